import { isIPv6 } from 'net';

/** A CIDR block, parsed: the family, the network as a number and the prefix length. */
interface ParsedCidr {
  readonly family: 4 | 6;
  readonly network: bigint;
  readonly prefix: number;
}

/** Why a block cannot be parsed, or the parsed block. */
type ParseResult = { readonly ok: true; readonly cidr: ParsedCidr } | { readonly ok: false; readonly reason: string };

/** Parses `a.b.c.d/n` (octets 0-255, n 0-32) or an IPv6 block (`addr/n`, n 0-128). */
export function parseCidr(value: string): ParseResult {
  const slash = value.indexOf('/');
  if (slash < 0) return { ok: false, reason: 'it has no /prefix length' };
  const address = value.slice(0, slash);
  const prefixText = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return { ok: false, reason: `the prefix length '${prefixText}' is not a number` };
  const prefix = Number(prefixText);
  if (/^[\d.]+$/.test(address)) {
    const octets = address.split('.');
    if (octets.length !== 4 || octets.some((o) => !/^\d{1,3}$/.test(o)))
      return { ok: false, reason: 'an IPv4 address has four dotted numbers' };
    const high = octets.find((o) => Number(o) > 255);
    if (high !== undefined) return { ok: false, reason: `octet ${high} is above 255` };
    if (prefix > 32) return { ok: false, reason: `the prefix length ${prefix} is above 32` };
    const network = octets.reduce((n, o) => (n << 8n) + BigInt(Number(o)), 0n);
    return { ok: true, cidr: { family: 4, network, prefix } };
  }
  if (!isIPv6(address)) return { ok: false, reason: `'${address}' is neither an IPv4 nor an IPv6 address` };
  if (prefix > 128) return { ok: false, reason: `the prefix length ${prefix} is above 128` };
  return { ok: true, cidr: { family: 6, network: ipv6ToBigInt(address), prefix } };
}

function ipv6ToBigInt(address: string): bigint {
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const text = v4
    ? address.slice(0, v4.index) +
      [((+v4[1] << 8) | +v4[2]).toString(16), ((+v4[3] << 8) | +v4[4]).toString(16)].join(':')
    : address;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = 8 - headParts.length - tailParts.length;
  const parts = tail === undefined ? headParts : [...headParts, ...Array<string>(missing).fill('0'), ...tailParts];
  return parts.reduce((n, p) => (n << 16n) + BigInt(parseInt(p || '0', 16)), 0n);
}

/** A range no Genesys export can come from, with the document that reserves it. */
interface ReservedRange {
  readonly cidr: string;
  /** e.g. `a private range (RFC 1918)`. */
  readonly what: string;
  /** Documentation ranges: the only ones an explicit example list may hold. */
  readonly documentation?: boolean;
}

const RESERVED: readonly ReservedRange[] = [
  { cidr: '0.0.0.0/8', what: "the 'this network' range (RFC 1122)" },
  { cidr: '10.0.0.0/8', what: 'a private range (RFC 1918)' },
  { cidr: '100.64.0.0/10', what: 'the carrier-grade NAT range (RFC 6598)' },
  { cidr: '127.0.0.0/8', what: 'the loopback range (RFC 1122)' },
  { cidr: '169.254.0.0/16', what: 'the link-local range (RFC 3927)' },
  { cidr: '172.16.0.0/12', what: 'a private range (RFC 1918)' },
  { cidr: '192.0.0.0/24', what: 'the IETF protocol assignments range (RFC 6890)' },
  { cidr: '192.0.2.0/24', what: 'a documentation range (RFC 5737)', documentation: true },
  { cidr: '192.168.0.0/16', what: 'a private range (RFC 1918)' },
  { cidr: '198.18.0.0/15', what: 'the benchmarking range (RFC 2544)' },
  { cidr: '198.51.100.0/24', what: 'a documentation range (RFC 5737)', documentation: true },
  { cidr: '203.0.113.0/24', what: 'a documentation range (RFC 5737)', documentation: true },
  { cidr: '224.0.0.0/4', what: 'the multicast range (RFC 5771)' },
  { cidr: '240.0.0.0/4', what: 'the reserved range 240.0.0.0/4 (RFC 1112)' },
  { cidr: '::/127', what: 'the unspecified or loopback address (RFC 4291)' },
  { cidr: '::ffff:0:0/96', what: 'the IPv4-mapped range (RFC 4291)' },
  { cidr: '2001:db8::/32', what: 'the documentation range (RFC 3849)', documentation: true },
  { cidr: 'fc00::/7', what: 'the unique local range (RFC 4193)' },
  { cidr: 'fe80::/10', what: 'the link-local range (RFC 4291)' },
  { cidr: 'ff00::/8', what: 'the multicast range (RFC 4291)' },
];

const PARSED_RESERVED = RESERVED.map((r) => ({ ...r, parsed: (parseCidr(r.cidr) as { cidr: ParsedCidr }).cidr }));

/** Whether two blocks share an address (one contains the other). */
function overlaps(a: ParsedCidr, b: ParsedCidr): boolean {
  if (a.family !== b.family) return false;
  const bits = a.family === 4 ? 32 : 128;
  const shortest = Math.min(a.prefix, b.prefix);
  const shift = BigInt(bits - shortest);
  return a.network >> shift === b.network >> shift;
}

/** The reserved range a block overlaps, if any. */
export function reservedRangeOf(cidr: string): ReservedRange | undefined {
  const parsed = parseCidr(cidr);
  if (!parsed.ok) return undefined;
  return PARSED_RESERVED.find((r) => overlaps(parsed.cidr, r.parsed));
}

/** What the CIDR checks need of an environment's committed list. */
export interface CidrListFacts {
  readonly envName: string;
  /** The committed file that holds the list (repository-relative). */
  readonly file: string;
  /** The environment's Genesys region. */
  readonly genesysRegion: string;
  readonly list: {
    readonly region: string;
    readonly fetchedAt: string | null;
    readonly example?: boolean;
    readonly cidrs: readonly string[];
  };
}

/** One refusal: the config field and the sentence (problem and fix). */
export interface CidrRefusal {
  readonly field: string;
  readonly message: string;
}

/**
 * Refusals of a committed CIDR list that would block Genesys silently. Invalid syntax is refused
 * in every environment; outside `sample` also a list fetched for another Genesys region, a list
 * never fetched (`fetchedAt: null`) and private or reserved ranges. A list marked `"example": true`
 * may stay unfetched, but then holds only documentation ranges (RFC 5737, RFC 3849), which no
 * packet on the internet comes from: it synthesizes, and it denies every export.
 */
export function cidrListRefusal(facts: CidrListFacts): CidrRefusal | undefined {
  const { envName, list } = facts;
  const file = facts.file;
  const refresh = `npm run genesys:ip-ranges -- --env ${envName}`;
  const field = (i: number) => `genesys.allowedCidrs.cidrs[${i}]`;

  for (const [i, cidr] of list.cidrs.entries()) {
    const parsed = parseCidr(cidr);
    if (!parsed.ok) {
      return {
        field: field(i),
        message: `'${cidr}' in ${file} is not a valid CIDR block (${parsed.reason}); correct it or run ${refresh} to rewrite the list from Genesys's feed.`,
      };
    }
  }
  if (envName === 'sample') return undefined;

  if (list.region !== facts.genesysRegion) {
    return {
      field: 'genesys.allowedCidrs.region',
      message: `${file} was fetched for the Genesys region ${list.region}, but this environment's Genesys organization is in ${facts.genesysRegion}; run ${refresh} to fetch the list for ${facts.genesysRegion}.`,
    };
  }
  if (list.example === true) {
    if (list.fetchedAt !== null) {
      return {
        field: 'genesys.allowedCidrs.example',
        message: `${file} is marked "example": true but was fetched at ${list.fetchedAt}; remove "example" from the file.`,
      };
    }
    const real = list.cidrs.findIndex((c) => !reservedRangeOf(c)?.documentation);
    if (real >= 0) {
      return {
        field: field(real),
        message: `${file} is marked "example": true but holds '${list.cidrs[real]}', which is not a documentation range (RFC 5737, RFC 3849); remove "example" and run ${refresh} before deploying.`,
      };
    }
    return undefined;
  }
  if (list.fetchedAt === null) {
    return {
      field: 'genesys.allowedCidrs.fetchedAt',
      message: `${file} was never fetched from Genesys (fetchedAt is null), so its ranges are placeholders that would deny every export; run ${refresh} before deploying.`,
    };
  }
  for (const [i, cidr] of list.cidrs.entries()) {
    const reserved = reservedRangeOf(cidr);
    if (reserved) {
      return {
        field: field(i),
        message: `'${cidr}' in ${file} is in ${reserved.what}, from which Genesys cannot write, so its exports would be denied; remove it or run ${refresh} to rewrite the list from Genesys's feed.`,
      };
    }
  }
  return undefined;
}
