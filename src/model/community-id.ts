/**
 * Community ID v1 (https://github.com/corelight/community-id-spec): a hash of the 5-tuple that is
 * the same whichever direction it is seen from, so records from Zeek, Suricata, flow exports and
 * firewalls join on it.
 *
 * The hash input is built in place in the block of a one-block SHA-1 (sha1-block.ts) and the result is
 * written as base64 bytes, so decoders can store it without making a string (communityIdBytes).
 */
import { parseIpInto } from './ip.js';
import { SHA1_BLOCK, SHA1_DIGEST, sha1Block } from './sha1-block.js';

const ICMP4_PAIRS: Record<number, number> = { 8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 10: 9, 9: 10, 17: 18, 18: 17 };
const ICMP6_PAIRS: Record<number, number> = {
  128: 129, 129: 128, 133: 134, 134: 133, 135: 136, 136: 135, 130: 131, 131: 130, 144: 145, 145: 144,
};

/** Length of a Community ID v1 text: `1:` and the base64 of a 20-byte SHA-1. */
export const COMMUNITY_ID_LEN = 30;

const out = Buffer.alloc(COMMUNITY_ID_LEN);

// The seed of IDs computed without an explicit one: one per deployment, as Zeek's CommunityID::seed and
// Suricata's community-id-seed (a decoder thread sets it from its job: setCommunityIdSeed).
let defaultSeed = 0;

/** True when `n` is a Community ID seed: a whole number from 0 to 65535. */
export function isCommunityIdSeed(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffff;
}

/** Sets the seed of the IDs this thread computes from now on without an explicit one (default 0). */
export function setCommunityIdSeed(seed: number): void {
  if (!isCommunityIdSeed(seed)) throw new RangeError(`Community ID seed ${seed}: a whole number from 0 to 65535`);
  defaultSeed = seed;
}
const B64 = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');
const addrA = new Uint8Array(16);
const addrB = new Uint8Array(16);

/**
 * Computes the Community ID v1 string (`1:base64`) of a flow. For ICMP and ICMPv6, `sport` is the
 * type and `dport` the code, as Zeek and Suricata log them. Returns null when an address does not parse.
 */
export function communityId(
  saddr: string,
  daddr: string,
  sport: number,
  dport: number,
  proto: number,
  seed = defaultSeed,
): string | null {
  const la = parseIpInto(saddr, addrA, 0);
  const lb = parseIpInto(daddr, addrB, 0);
  if (la === 0 || la !== lb) return null;
  return communityIdOfAddrs(addrA, addrB, la, sport, dport, proto, seed);
}

/**
 * Community ID of a flow whose addresses are already bytes (`len` 4 or 16 of each of `a` and `b`),
 * for decoders that never make address strings.
 */
export function communityIdOfAddrs(
  a: Uint8Array,
  b: Uint8Array,
  len: number,
  sport: number,
  dport: number,
  proto: number,
  seed = defaultSeed,
): string {
  // Spelled out rather than (...flow) spread: netflow and sflow call this once per flow.
  return communityIdBytes(a, b, len, sport, dport, proto, seed).toString('latin1', 0, COMMUNITY_ID_LEN);
}

/**
 * As communityIdOfAddrs, but the text (COMMUNITY_ID_LEN ASCII bytes) is left in a shared buffer, valid
 * until the next call: decoders copy it into their batch and never make a string.
 */
export function communityIdBytes(
  a: Uint8Array,
  b: Uint8Array,
  len: number,
  sport: number,
  dport: number,
  proto: number,
  seed = defaultSeed,
): Buffer {
  let sp = sport;
  let dp = dport;
  let oneWay = false;
  if (proto === 1 || proto === 58) {
    const pairs = proto === 1 ? ICMP4_PAIRS : ICMP6_PAIRS;
    const peer = pairs[sport];
    if (peer === undefined) oneWay = true;
    else dp = peer;
  }
  let swap = false;
  if (!oneWay) {
    const c = compareBytes(a, b, len);
    swap = c > 0 || (c === 0 && sp > dp);
  }
  const first = swap ? b : a;
  const second = swap ? a : b;
  if (swap) {
    const t = sp;
    sp = dp;
    dp = t;
  }
  const msg = SHA1_BLOCK;
  let n = 0;
  msg[n++] = (seed >> 8) & 255;
  msg[n++] = seed & 255;
  for (let i = 0; i < len; i++) msg[n++] = first[i];
  for (let i = 0; i < len; i++) msg[n++] = second[i];
  msg[n++] = proto;
  msg[n++] = 0;
  if (proto === 6 || proto === 17 || proto === 132 || proto === 1 || proto === 58) {
    msg[n++] = sp >> 8;
    msg[n++] = sp & 255;
    msg[n++] = dp >> 8;
    msg[n++] = dp & 255;
  }
  sha1Block(n);
  return base64Digest();
}

/** `1:` and the base64 of SHA1_DIGEST, into `out`. */
function base64Digest(): Buffer {
  const d = SHA1_DIGEST;
  out[0] = 49;
  out[1] = 58;
  let p = 2;
  for (let i = 0; i < 18; i += 3) {
    const v = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
    out[p++] = B64[v >>> 18];
    out[p++] = B64[(v >>> 12) & 63];
    out[p++] = B64[(v >>> 6) & 63];
    out[p++] = B64[v & 63];
  }
  const v = (d[18] << 16) | (d[19] << 8);
  out[p++] = B64[v >>> 18];
  out[p++] = B64[(v >>> 12) & 63];
  out[p++] = B64[(v >>> 6) & 63];
  out[p] = 61;
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array, n: number): number {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** IANA protocol number of a transport name as Zeek and Suricata write it; undefined when unknown. */
export function protoNumber(name: string): number | undefined {
  // Decoders pass interned lower-case names; check those before lower-casing.
  if (name === 'tcp') return 6;
  if (name === 'udp') return 17;
  switch (name.toLowerCase()) {
    case 'tcp':
      return 6;
    case 'udp':
      return 17;
    case 'icmp':
      return 1;
    case 'icmp6':
    case 'ipv6-icmp':
    case 'ipv6_icmp':
    case 'icmpv6':
      return 58;
    case 'sctp':
      return 132;
    case 'gre':
      return 47;
    case 'esp':
      return 50;
    case 'ah':
      return 51;
    case 'igmp':
      return 2;
    case 'ipip':
    case 'ipencap':
      return 4;
    case 'ospf':
      return 89;
    case 'vrrp':
      return 112;
    default: {
      const n = Number(name);
      return Number.isInteger(n) && n >= 0 && n <= 255 ? n : undefined;
    }
  }
}
