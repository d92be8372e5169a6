import { promises as dns } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** Every address a host name resolves to, as `dns.lookup(host, { all: true })` answers. Injectable for tests. */
export type LookupAll = (host: string) => Promise<{ address: string; family: number }[]>;

export const systemLookupAll: LookupAll = (host) => dns.lookup(host, { all: true, verbatim: true });

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** A webhook URL that passed the checks needing no DNS. */
export interface WebhookTarget {
  url: URL;
  /** Lower-case, without IPv6 brackets or a trailing dot. */
  host: string;
  /** A private IP literal, or a localhost name (RFC 6761: always loopback, whatever DNS says). */
  knownPrivate: boolean;
}

// Ranges a webhook must never reach from inside our network: loopback, private, link-local, unspecified,
// carrier-grade NAT, multicast, broadcast, and the reserved and documentation blocks nobody serves hooks on.
const privateRanges = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv6');
}

/**
 * True when `ip` lies in a range a webhook must not reach, including IPv6 forms that carry an IPv4 address
 * (mapped `::ffff:127.0.0.1`, compatible `::127.0.0.1`, NAT64 `64:ff9b::`, 6to4 `2002::`). A string that is not
 * an IP address answers true: callers check resolved addresses with it, and failing closed is the safe side.
 */
export function isPrivateAddress(ip: string): boolean {
  const address = ip.split('%')[0]; // a zone id (fe80::1%eth0) names an interface, not part of the address
  const family = isIP(address);
  if (family === 4) return privateRanges.check(address, 'ipv4');
  if (family !== 6) return true;
  if (privateRanges.check(address, 'ipv6')) return true;
  const carried = embeddedIPv4(ipv6Groups(address));
  return carried !== null && privateRanges.check(carried, 'ipv4');
}

/** The eight 16-bit groups of a valid IPv6 address. */
function ipv6Groups(ip: string): number[] {
  let text = ip.toLowerCase();
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a, b, c, d] = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest ? rest.split(':') : [];
  const zeros = rest === undefined ? 0 : 8 - headGroups.length - restGroups.length;
  return [...headGroups, ...Array<string>(zeros).fill('0'), ...restGroups].map((group) => parseInt(group, 16));
}

function embeddedIPv4(groups: number[]): string | null {
  const dotted = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  const zeroBefore = (end: number, start = 0) => groups.slice(start, end).every((group) => group === 0);
  if (zeroBefore(5) && (groups[5] === 0xffff || groups[5] === 0)) return dotted(groups[6], groups[7]);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeroBefore(6, 2)) return dotted(groups[6], groups[7]);
  if (groups[0] === 0x2002) return dotted(groups[1], groups[2]);
  return null;
}

function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/** The checks that need no DNS: a target, or the problem to report. */
export function parseWebhookUrl(
  raw: string,
): { target: WebhookTarget; problem: null } | { target: null; problem: string } {
  const refuse = (problem: string) => ({ target: null, problem });
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) return refuse(`URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return refuse('URL scheme must be http or https');
  if (url.username || url.password) return refuse('credentials in the URL are refused');
  // WHATWG parsing already turned 2130706433, 0x7f.1 and similar spellings into dotted IPv4.
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (!host) return refuse('URL has no host');
  const knownPrivate = isIP(host) ? isPrivateAddress(host) : isLocalhostName(host);
  return { target: { url, host, knownPrivate }, problem: null };
}

/**
 * Null when `url` may be stored as a webhook, else a short message for a 1002 error. A name that does not
 * resolve is accepted: DNS may be down now, and the sender checks the addresses again at each attempt.
 */
export async function webhookUrlProblem(
  url: string,
  options: { allowPrivate: boolean; lookup?: LookupAll },
): Promise<string | null> {
  const { target, problem } = parseWebhookUrl(url);
  if (!target) return problem;
  if (options.allowPrivate) return null;
  if (target.knownPrivate) return `host ${target.host} is a private address`;
  if (isIP(target.host)) return null;
  let addresses: { address: string }[];
  try {
    addresses = await (options.lookup ?? systemLookupAll)(target.host);
  } catch {
    return null;
  }
  const privateOne = addresses.find(({ address }) => isPrivateAddress(address));
  return privateOne ? `host ${target.host} resolves to private address ${privateOne.address}` : null;
}
