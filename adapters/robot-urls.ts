import { isIpAddress, isLocalName, refusedAddressClass } from '../src/lib/ip-addresses.ts';

/**
 * Which robot webhooks (WeCom group robots, Feishu/Lark custom bots) Liaison posts to: a webhook URL an admin typed is
 * a URL the server fetches, so it must be one of the platform's own hosts — never this machine, the local network or
 * a cloud metadata service. Checked when a subscription is created and again before every send.
 */

export type RobotPlatform = 'wecom' | 'feishu';

/** The platforms' own robot webhook hosts (https on port 443); ROBOT_HOSTS_ALLOW adds to them. */
export const DEFAULT_ROBOT_HOSTS: Readonly<Record<RobotPlatform, readonly string[]>> = {
  wecom: ['qyapi.weixin.qq.com'],
  feishu: ['open.feishu.cn', 'open.larksuite.com'],
};

/** A host ROBOT_HOSTS_ALLOW adds for one platform's robots (https; port '' is 443). */
export interface ExtraRobotHost {
  platform: RobotPlatform;
  hostname: string;
  port: string;
}

/** One place a robot webhook may point. */
export interface RobotHost {
  protocol: 'https:' | 'http:';
  /** As URL.hostname has it (lowercase; IPv6 in brackets). */
  hostname: string;
  /** As URL.port has it: '' is the protocol's default. */
  port: string;
  /** The path the platform's API sits under: '' except for a configured base URL with a path. */
  basePath: string;
  /** The operator's own API base (WECOM_API_BASE, a FEISHU_DOMAIN URL): trusted as set, even on a private address. */
  configured: boolean;
}

/**
 * Resolves a host name to every address it has (Node: `dns.lookup` with `all`). Absent where the runtime has no
 * resolver (Cloudflare Workers, whose fetch cannot reach private networks anyway): the host allow-list still applies.
 */
export type HostResolver = (hostname: string) => Promise<string[]>;

/** What an adapter is given to check its robots' webhooks with. */
export interface RobotUrlOptions {
  /** From ROBOT_HOSTS_ALLOW. */
  extraHosts?: readonly ExtraRobotHost[];
  resolveHost?: HostResolver;
}

/** What was checked: the URL to post to (null for a bare WeCom key) and the WeCom key it carries. */
export type RobotUrlVerdict =
  | { ok: true; url: URL | null; key: string | null; host: RobotHost | null }
  | { ok: false; reason: string; transient?: boolean };

const NAMES: Record<RobotPlatform, string> = { wecom: 'WeCom group robot', feishu: 'Feishu/Lark custom bot' };
const SHAPES: Record<RobotPlatform, string> = {
  wecom: '/cgi-bin/webhook/send?key=<key>',
  feishu: '/open-apis/bot/v2/hook/<token>',
};
/** WeCom robot keys are UUIDs, Feishu hook tokens too: letters, digits, - and _ cover both. */
const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;

/** The hosts a platform's robots may use: its defaults, the extra ones configured, and its configured API base. */
export function robotHosts(
  platform: RobotPlatform,
  options: { base?: string | null; extra?: readonly ExtraRobotHost[] } = {},
): RobotHost[] {
  const hosts: RobotHost[] = [
    ...DEFAULT_ROBOT_HOSTS[platform].map((hostname) => ({ hostname, port: '' })),
    ...(options.extra ?? []).filter((h) => h.platform === platform),
  ].map(({ hostname, port }) => ({ protocol: 'https:', hostname, port, basePath: '', configured: false }));
  const base = options.base ? safeUrl(options.base) : null;
  if (base && (base.protocol === 'https:' || base.protocol === 'http:'))
    hosts.unshift({
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port,
      basePath: base.pathname.replace(/\/+$/, ''),
      configured: true,
    });
  return hosts;
}

/** Checks a robot target's URL (or bare WeCom key) against the allowed hosts and the platform's webhook shape. */
export function checkRobotUrl(
  platform: RobotPlatform,
  ref: string,
  hosts: readonly RobotHost[],
): RobotUrlVerdict {
  const trimmed = ref.trim();
  // WeCom shows the webhook URL; its key alone is as good, since the key is all WeCom needs.
  if (platform === 'wecom' && TOKEN.test(trimmed)) return { ok: true, url: null, key: trimmed, host: null };
  const url = safeUrl(trimmed);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    return refuse(
      `must be an https URL of a ${NAMES[platform]}${platform === 'wecom' ? ' (or its key)' : ''}`,
    );
  if (url.username || url.password) return refuse('must not carry a user name or password');
  // Only the exact scheme, host and port: the configured base on 127.0.0.1:4000 does not open 127.0.0.1:22.
  const host = hosts.find(
    (h) => h.hostname === url.hostname && h.protocol === url.protocol && h.port === url.port,
  );
  if (!host) {
    const kind = isIpAddress(url.hostname) ? refusedAddressClass(url.hostname) : null;
    if (!kind && hosts.some((h) => h.hostname === url.hostname && !h.configured))
      return refuse(`${url.host} must be reached over https on the default port`);
    const what = kind
      ? `${url.hostname} is ${an(kind)} address`
      : isIpAddress(url.hostname)
        ? `${url.hostname} is an IP address`
        : isLocalName(url.hostname)
          ? `${url.hostname} is a local name`
          : `${url.hostname} is not a ${NAMES[platform]} host`;
    return refuse(`${what}; allowed: ${allowedList(platform, hosts)} (ROBOT_HOSTS_ALLOW adds hosts)`);
  }
  if (url.hash) return refuse('must not carry a #fragment');
  const prefix = `${host.basePath}${platform === 'wecom' ? '/cgi-bin/webhook/send' : '/open-apis/bot/v2/hook/'}`;
  if (platform === 'feishu') {
    const token = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '';
    if (!TOKEN.test(token) || url.search) return refuse(`the path must be ${SHAPES.feishu}`);
    return { ok: true, url, key: null, host };
  }
  const names = [...url.searchParams.keys()];
  const key = url.searchParams.get('key') ?? '';
  if (url.pathname !== prefix || names.length !== 1 || names[0] !== 'key' || !TOKEN.test(key))
    return refuse(`the URL must be ${SHAPES.wecom}`);
  return { ok: true, url, key, host };
}

/**
 * `checkRobotUrl`, then — where the runtime can resolve names and the host is not the operator's configured API base —
 * every address the host resolves to must be public. A name that does not resolve now is a transient refusal.
 */
export async function checkRobotTarget(
  platform: RobotPlatform,
  ref: string,
  hosts: readonly RobotHost[],
  resolve?: HostResolver,
): Promise<RobotUrlVerdict> {
  const verdict = checkRobotUrl(platform, ref, hosts);
  if (!verdict.ok || !verdict.url || verdict.host?.configured || !resolve) return verdict;
  const hostname = verdict.url.hostname;
  let addresses: string[];
  try {
    addresses = isIpAddress(hostname) ? [hostname] : await resolve(hostname);
  } catch {
    addresses = [];
  }
  if (addresses.length === 0) return { ...refuse(`${hostname} does not resolve`), transient: true };
  for (const address of addresses) {
    const kind = refusedAddressClass(address);
    if (kind) return refuse(`${hostname} resolves to ${an(kind)} address (${address})`);
  }
  return verdict;
}

/**
 * Parses ROBOT_HOSTS_ALLOW: comma-separated `platform:host` or `platform:host:port` (https always). IP addresses and
 * local names are refused: a test server or proxy on a private address is set as WECOM_API_BASE / FEISHU_DOMAIN.
 */
export function parseRobotHostsAllow(raw: string | undefined, problems: string[]): ExtraRobotHost[] {
  const hosts: ExtraRobotHost[] = [];
  for (const entry of (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(wecom|feishu):([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(entry);
    const hostname = m?.[2]?.toLowerCase().replace(/\.$/, '') ?? '';
    const port = Number(m?.[3] ?? 443);
    const problem = !m
      ? 'is not platform:host or platform:host:port with platform wecom or feishu (e.g. feishu:open.feishu-boe.cn)'
      : isIpAddress(hostname) || !/^[a-z0-9]/.test(hostname)
        ? 'must name a host, not an IP address'
        : isLocalName(hostname)
          ? 'names a local host'
          : port < 1 || port > 65535
            ? 'has a port outside 1-65535'
            : null;
    if (problem || !m) {
      problems.push(`ROBOT_HOSTS_ALLOW: "${entry}" ${problem}`);
      continue;
    }
    hosts.push({ platform: m[1] as RobotPlatform, hostname, port: port === 443 ? '' : String(port) });
  }
  return hosts;
}

function allowedList(platform: RobotPlatform, hosts: readonly RobotHost[]): string {
  // The configured API base is left out: it may be a private test or proxy address.
  const shown = hosts.filter((h) => !h.configured).map((h) => `${h.hostname}${h.port ? `:${h.port}` : ''}`);
  return [...new Set(shown.length ? shown : DEFAULT_ROBOT_HOSTS[platform])].join(', ');
}

const an = (kind: string) => `${/^[aeiouI]/.test(kind) ? 'an' : 'a'} ${kind}`;

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

function safeUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
