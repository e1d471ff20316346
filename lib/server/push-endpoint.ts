import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';

/**
 * Where the server may POST a push: a device hands over the endpoint, so without rules it could
 * make the server post to this machine's other ports or to the local network. Only https:// on a
 * public name or address, unless the owner allows private endpoints (VIBES_PUSH_ALLOW_PRIVATE).
 * Null when it may be used; otherwise why not, without the endpoint (a capability URL).
 */
export function pushEndpointProblem(endpoint: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) return 'a push endpoint must be an https:// URL';
  if (url.username || url.password) return 'a push endpoint carries no user name or password';
  if (allowPrivate) return null;
  // The URL parser has already turned 2130706433, 0x7f.1 and 0177.0.0.1 into 127.0.0.1.
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (isIP(host) !== 0) {
    const kind = nonPublicAddressKind(host);
    return kind ? `a push endpoint must be on a public address, not a ${kind} one` : null;
  }
  if (!host.includes('.') || /(^|\.)(localhost|local|localdomain|internal|intranet|lan|home\.arpa)$/.test(host)) {
    return 'a push endpoint must be on a public host name';
  }
  return null;
}

const V4_RANGES: readonly [base: string, bits: number, kind: string][] = [
  ['0.0.0.0', 8, 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved (IETF)'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved (6to4 relay)'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved (benchmarking)'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved (and broadcast)'],
];

const V6_RANGES: readonly [base: string, bits: number, kind: string][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['100::', 64, 'reserved (discard)'],
  ['2001::', 23, 'reserved (IETF, Teredo)'],
  ['2001:db8::', 32, 'documentation'],
  ['3fff::', 20, 'documentation'],
  ['5f00::', 16, 'reserved (segment routing)'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

/** Prefixes that carry an IPv4 address, judged by that address: mapped, compatible, NAT64, 6to4. */
const V6_CARRYING_V4: readonly [base: string, bits: number, at: number][] = [
  ['::ffff:0:0', 96, 96],
  ['::', 96, 96],
  ['64:ff9b::', 96, 96],
  ['64:ff9b:1::', 48, 96],
  ['2002::', 16, 16],
];

/** What kind of address that is not on the public internet this is, or null for a public one. */
export function nonPublicAddressKind(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return v4Kind(v4Bits(bare));
  if (family !== 6) return 'unparseable';
  const bits = v6Bits(bare);
  for (const [base, length, kind] of V6_RANGES) if (inRange(bits, v6Bits(base), length, 128)) return kind;
  for (const [base, length, at] of V6_CARRYING_V4) {
    if (inRange(bits, v6Bits(base), length, 128)) return v4Kind(Number((bits >> BigInt(128 - at - 32)) & 0xffffffffn));
  }
  return null;
}

function v4Kind(value: number): string | null {
  for (const [base, length, kind] of V4_RANGES) if (inRange(BigInt(value), BigInt(v4Bits(base)), length, 32)) return kind;
  return null;
}

function inRange(value: bigint, base: bigint, length: number, width: number): boolean {
  const shift = BigInt(width - length);
  return value >> shift === base >> shift;
}

function v4Bits(address: string): number {
  return address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

function v6Bits(address: string): bigint {
  let text = address.toLowerCase();
  // A trailing dotted quad (::ffff:1.2.3.4) is two groups.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const value = v4Bits(quad[1]!);
    text = `${text.slice(0, quad.index)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/** Thrown (through the connection) when a push endpoint's name resolves to an address it may not use. */
export class NonPublicAddressError extends Error {
  constructor(kind: string) {
    super(`its host name resolves to a ${kind} address: not sent (VIBES_PUSH_ALLOW_PRIVATE=1 allows it)`);
    this.name = 'NonPublicAddressError';
  }
}

/**
 * A DNS lookup for the connection itself: the addresses it is about to connect to are checked,
 * so a name that resolves elsewhere by the time of sending (DNS rebinding) is refused all the same.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.map((found) => nonPublicAddressKind(found.address)).find((kind) => kind !== null);
    if (refused) return callback(new NonPublicAddressError(refused), '', 0);
    if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
    callback(null, first.address, first.family);
  });
};
