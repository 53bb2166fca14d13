/**
 * Which IP addresses a request made for a URL someone typed must never reach: loopback, private, link-local (cloud
 * metadata at 169.254.169.254 and fd00:ec2::254), shared, multicast, reserved and documentation ranges, and IPv6 forms
 * that hide an IPv4 address. Pure: the runtime resolves names, this only classifies what it got.
 */

/** Why an address is refused; a public address has none. */
export type AddressClass =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared (carrier-grade NAT)'
  | 'link-local (cloud metadata)'
  | 'multicast'
  | 'reserved'
  | 'documentation'
  | 'IPv4-mapped';

type Range = readonly [base: number, prefix: number, kind: AddressClass];

/** IPv4 ranges that are not the public internet (RFC 6890 and its updates). */
const IPV4_REFUSED: readonly Range[] = [
  [ipv4Number(0, 0, 0, 0), 8, 'unspecified'],
  [ipv4Number(10, 0, 0, 0), 8, 'private'],
  [ipv4Number(100, 64, 0, 0), 10, 'shared (carrier-grade NAT)'],
  [ipv4Number(127, 0, 0, 0), 8, 'loopback'],
  [ipv4Number(169, 254, 0, 0), 16, 'link-local (cloud metadata)'],
  [ipv4Number(172, 16, 0, 0), 12, 'private'],
  [ipv4Number(192, 0, 0, 0), 24, 'reserved'],
  [ipv4Number(192, 0, 2, 0), 24, 'documentation'],
  [ipv4Number(192, 88, 99, 0), 24, 'reserved'],
  [ipv4Number(192, 168, 0, 0), 16, 'private'],
  [ipv4Number(198, 18, 0, 0), 15, 'reserved'],
  [ipv4Number(198, 51, 100, 0), 24, 'documentation'],
  [ipv4Number(203, 0, 113, 0), 24, 'documentation'],
  [ipv4Number(224, 0, 0, 0), 4, 'multicast'],
  [ipv4Number(240, 0, 0, 0), 4, 'reserved'],
];

function ipv4Number(a: number, b: number, c: number, d: number): number {
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

/** A dotted-quad IPv4 address as a number, or null (URL and getaddrinfo both hand addresses over in this form). */
export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^(0|[1-9]\d{0,2})$/.test(p) ? Number(p) : Number.NaN));
  if (bytes.some((b) => !(b >= 0 && b <= 255))) return null;
  const [a = 0, b = 0, c = 0, d = 0] = bytes;
  return ipv4Number(a, b, c, d);
}

/** An IPv6 address (brackets and a zone id allowed) as its eight 16-bit groups, or null. */
export function parseIpv6(text: string): number[] | null {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  s = s.split('%')[0] ?? '';
  if (!s.includes(':')) return null;
  // A trailing dotted quad stands for the last two groups.
  const tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  const after = s.slice(lastColon + 1);
  if (after.includes('.')) {
    const v4 = parseIpv4(after);
    if (v4 === null) return null;
    tail.push(v4 >>> 16, v4 & 0xffff);
    s = s.slice(0, lastColon + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  if ([...head, ...rest].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  const zeros = new Array<number>(8 - known).fill(0);
  return [
    ...head.map((g) => Number.parseInt(g, 16)),
    ...(halves.length === 2 ? zeros : []),
    ...rest.map((g) => Number.parseInt(g, 16)),
    ...tail,
  ];
}

/** Whether a host (as URL.hostname has it, or an address from the resolver) is an IP address rather than a name. */
export function isIpAddress(host: string): boolean {
  return parseIpv4(host) !== null || parseIpv6(host) !== null;
}

/** Why this address must not be reached, or null for a public address; text that is no address is refused. */
export function refusedAddressClass(address: string): AddressClass | null {
  const v4 = parseIpv4(address);
  if (v4 !== null) return ipv4Class(v4);
  const v6 = parseIpv6(address);
  return v6 ? ipv6Class(v6) : 'reserved';
}

function ipv4Class(address: number): AddressClass | null {
  for (const [base, prefix, kind] of IPV4_REFUSED) {
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    if ((address & mask) >>> 0 === base) return kind;
  }
  return null;
}

function ipv6Class(g: number[]): AddressClass | null {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = ((g6 << 16) >>> 0) + g7;
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && g7 === 1) return 'loopback';
  // ::ffff:a.b.c.d reaches a.b.c.d over IPv4 on a dual-stack socket: refused whatever the address.
  if (zeroUpTo(5) && g5 === 0xffff) return 'IPv4-mapped';
  if (zeroUpTo(6)) return 'reserved'; // deprecated IPv4-compatible ::a.b.c.d
  // The NAT64 well-known prefix carries a real IPv4 destination (DNS64 networks): judged by it.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)
    return ipv4Class(embedded);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return 'private'; // local-use NAT64
  if ((g0 & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7 (AWS metadata fd00:ec2::254)
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local (cloud metadata)';
  if ((g0 & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  if (g0 === 0x2001 && g1 === 0x0db8) return 'documentation';
  if (g0 === 0x2001 && g1 < 0x0200) return 'reserved'; // 2001::/23: Teredo, ORCHID, benchmarking…
  // 6to4 carries an IPv4 address in groups 1-2: judged by it.
  if (g0 === 0x2002) return ipv4Class(((g1 << 16) >>> 0) + g2);
  // Only 2000::/3 is global unicast.
  if ((g0 & 0xe000) !== 0x2000) return 'reserved';
  return null;
}

/** Names that lead to this machine, the local network or a cloud metadata service, whatever DNS says. */
export function isLocalName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (!name.includes('.')) return true; // a single label resolves through the search domains: internal
  return (
    /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/.test(name) ||
    name === 'instance-data.ec2.internal'
  );
}
