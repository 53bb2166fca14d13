import type { WebhookRequest, WebhookVerdict } from '../../src/core/ports/adapter.ts';
import { SECRET_HEADER, webPostSchema } from './types.ts';

/**
 * The page proves itself with the per-process secret it was served with (only to this computer), and must be
 * addressed by a loopback name: a page on another site that rebinds its DNS to 127.0.0.1 has neither.
 */
export async function verifyWeb(
  request: WebhookRequest,
  secretMatches: (given: string) => boolean,
): Promise<WebhookVerdict> {
  if (request.method !== 'POST')
    return { kind: 'reject', status: 405, reason: 'the playground posts messages' };
  if (!isLoopbackHost(request.headers.get('host')))
    return { kind: 'reject', status: 403, reason: 'the web channel answers on loopback names only' };
  const origin = request.headers.get('origin');
  if (origin !== null && !isLoopbackOrigin(origin))
    return { kind: 'reject', status: 403, reason: 'posted from a page on another site' };
  const given = request.headers.get(SECRET_HEADER);
  if (given === null) return { kind: 'reject', status: 401, reason: 'missing playground secret header' };
  if (!secretMatches(given)) return { kind: 'reject', status: 401, reason: 'wrong playground secret' };
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    return { kind: 'reject', status: 400, reason: 'body is not JSON' };
  }
  const post = webPostSchema.safeParse(body);
  if (!post.success) return { kind: 'reject', status: 400, reason: 'body is not a playground post' };
  return {
    kind: 'accept',
    deliveries: [{ dedupKey: `${post.data.chat.id}:${post.data.id}`, payload: request.body }],
  };
}

/** `localhost`, `127.x.x.x` or `[::1]`, with or without a port: a name only this computer answers to. */
export function isLoopbackHost(host: string | null): boolean {
  if (!host) return false;
  const name = host
    .trim()
    .toLowerCase()
    .replace(/:\d{1,5}$/, '');
  return name === 'localhost' || name === '[::1]' || /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(name);
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.host);
  } catch {
    return false;
  }
}
