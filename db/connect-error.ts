/**
 * One line saying why PostgreSQL could not be reached at `where` (host:port, never the password), for an operator:
 * a bare `ECONNREFUSED` says neither where nor what to do. Keeps the original as `cause` and its `code`.
 */
export function postgresConnectError(error: unknown, where: string): Error {
  const first = firstError(error);
  const code = String((first as { code?: unknown }).code ?? '');
  const why = WHY[code] ?? (firstLine(first) || code || 'unknown error');
  return Object.assign(new Error(`cannot connect to PostgreSQL at ${where}: ${why}`, { cause: error }), {
    code,
  });
}

/** host:port of a postgres:// URL (default port 5432), or a socket folder given as ?host=; never the password. */
export function postgresAddress(url: string): string {
  try {
    const parsed = new URL(url);
    const socket = parsed.searchParams.get('host');
    if (socket) return socket;
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`;
  } catch {
    return 'the host in DATABASE_URL (the URL does not parse)';
  }
}

const WHY: Record<string, string> = {
  ECONNREFUSED: 'connection refused — is PostgreSQL running and listening on that address and port?',
  ENOTFOUND: 'the host name does not resolve — check the host in DATABASE_URL',
  EAI_AGAIN: 'the host name could not be resolved (DNS) — check the host in DATABASE_URL and the network',
  ETIMEDOUT: 'no answer (timed out) — check the host and port, and any firewall in between',
  EHOSTUNREACH: 'the host cannot be reached — check the host in DATABASE_URL and the network',
  ENETUNREACH: 'the network is unreachable — check the host in DATABASE_URL and the network',
  ECONNRESET:
    'the server closed the connection — is it PostgreSQL, and does it accept this client (pg_hba.conf)?',
  '28P01': 'the password was refused — check the user and password in DATABASE_URL',
  '3D000': 'that database does not exist — create it (createdb) or fix its name in DATABASE_URL',
};

/** Node reports a host with several addresses as an AggregateError with an empty message: take the first. */
function firstError(error: unknown): unknown {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors[0];
  return error;
}

function firstLine(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0]?.trim() ?? '') : String(error ?? '');
}
