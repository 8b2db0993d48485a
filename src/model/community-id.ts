/**
 * Community ID v1 (https://github.com/corelight/community-id-spec): a hash of the 5-tuple that is
 * the same whichever direction it is seen from, so records from Zeek, Suricata, flow exports and
 * firewalls join on it.
 *
 * The hash input is built in place in the block of a one-block SHA-1 (sha1-block.ts) and the result is
 * written as base64 bytes, so decoders can store it without making a string (communityIdBytes).
 */
import { parseIpInto } from './ip.js';
import { SHA1_STATE, SHA1_WORDS, sha1Words } from './sha1-block.js';

/** The ICMP type answering each request type and the reverse (-1: a one-way type, hashed as seen). */
const ICMP4_PEER = peerTable([[8, 0], [13, 14], [15, 16], [10, 9], [17, 18]]);
/** As ICMP4_PEER for ICMPv6. */
const ICMP6_PEER = peerTable([[128, 129], [133, 134], [135, 136], [130, 131], [144, 145]]);

/** icmpPeer's answer for a message type without a peer: the flow is hashed in the direction seen. */
const ONE_WAY = -1;

/**
 * For ICMP (1) and ICMPv6 (58) whatever the address family (as the spec's tables are keyed by protocol
 * only): the peer type of type `sp`, or ONE_WAY; -2 for every other protocol.
 */
function icmpPeer(proto: number, sp: number): number {
  if (proto !== 1 && proto !== 58) return -2;
  // Only whole numbers 0..255 are types with a peer.
  if (sp !== (sp & 255)) return ONE_WAY;
  return proto === 1 ? ICMP4_PEER[sp] : ICMP6_PEER[sp];
}

function peerTable(pairs: Array<[number, number]>): Int16Array {
  const t = new Int16Array(256).fill(-1);
  for (const [x, y] of pairs) {
    t[x] = y;
    t[y] = x;
  }
  return t;
}

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
  return idText(communityIdBytes(a, b, len, sport, dport, proto, seed));
}

/**
 * The COMMUNITY_ID_LEN ASCII bytes at the start of `u` as a string: one fromCharCode call with every code
 * makes the one-byte string directly (about 40 ns here, against 55-60 for Buffer#toString('latin1')).
 */
function idText(u: Uint8Array): string {
  return String.fromCharCode(
    u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15], u[16], u[17], u[18], u[19], u[20], u[21], u[22], u[23], u[24], u[25], u[26], u[27], u[28], u[29],
  );
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
  if (len === 4) hashCommunityIdV4(be32(a, 0), be32(b, 0), sport, dport, proto, seed);
  else hashCommunityIdV6(a, b, sport, dport, proto, seed);
  writeCommunityId(out, 0);
  return out;
}

/**
 * Hashes the Community ID input of an IPv4 flow (addresses as 32-bit numbers, `a3 << 24 | ... | a0`, signed
 * or not, for decoders that parse an address straight into a number); writeCommunityId
 * then writes the text wherever the caller wants it (a batch's own bytes, with no copy in between).
 */
export function hashCommunityIdV4(a: number, b: number, sport: number, dport: number, proto: number, seed = defaultSeed): void {
  const ua = a >>> 0;
  const ub = b >>> 0;
  const ports = orient(proto, sport, dport, ua > ub ? 1 : ua < ub ? -1 : 0);
  const first = swapped ? b : a;
  const second = swapped ? a : b;
  // seed(2) first(4) second(4) proto(1) 0(1): three words, then the ports and the padding.
  const w = SHA1_WORDS;
  w[0] = ((seed & 0xffff) << 16) | (first >>> 16);
  w[1] = (first << 16) | ((second >>> 16) & 0xffff);
  w[2] = (second << 16) | ((proto & 255) << 8);
  finishWords(w, 3, proto, ports);
  sha1Words();
}

/** As hashCommunityIdV4 for an IPv6 flow (16 bytes of each of `a` and `b`). */
export function hashCommunityIdV6(a: Uint8Array, b: Uint8Array, sport: number, dport: number, proto: number, seed = defaultSeed): void {
  const ports = orient(proto, sport, dport, compareBytes(a, b, 16));
  const x = swapped ? b : a;
  const y = swapped ? a : b;
  // seed(2) x(16) y(16) proto(1) 0(1): each address starts two bytes into a word.
  const w = SHA1_WORDS;
  w[0] = ((seed & 0xffff) << 16) | (x[0] << 8) | x[1];
  w[1] = be32(x, 2);
  w[2] = be32(x, 6);
  w[3] = be32(x, 10);
  w[4] = (x[14] << 24) | (x[15] << 16) | (y[0] << 8) | y[1];
  w[5] = be32(y, 2);
  w[6] = be32(y, 6);
  w[7] = be32(y, 10);
  w[8] = (y[14] << 24) | (y[15] << 16) | ((proto & 255) << 8);
  finishWords(w, 9, proto, ports);
  sha1Words();
}

/** Set by orient: whether the second endpoint goes first in the hash input. */
let swapped = false;

/**
 * The spec's ordering of the two endpoints, given how the addresses compare (`cmp`, as a byte-wise
 * comparison): sets `swapped` and returns the ports word in hash order (ICMP: the type, then the code
 * or, for a paired type, the peer type).
 */
function orient(proto: number, sport: number, dport: number, cmp: number): number {
  let dp = dport;
  const peer = icmpPeer(proto, sport);
  if (peer === ONE_WAY) swapped = false;
  else {
    if (peer >= 0) dp = peer;
    swapped = cmp > 0 || (cmp === 0 && sport > dp);
  }
  return swapped ? ((dp & 0xffff) << 16) | (sport & 0xffff) : ((sport & 0xffff) << 16) | (dp & 0xffff);
}

/** Writes the words from `at` on: the ports when the protocol has them, the 0x80 pad, zeros and the bit length. */
function finishWords(w: Int32Array, at: number, proto: number, ports: number): void {
  let i = at;
  if (hasPorts(proto)) w[i++] = ports;
  w[15] = i * 32;
  w[i++] = PAD;
  while (i < 15) w[i++] = 0;
}

/** The 0x80 byte that ends every message, at the start of a word. */
const PAD = -0x80000000;

/** True for the protocols whose ports (ICMP: type and code) are part of the hash input. */
function hasPorts(proto: number): boolean {
  return proto === 6 || proto === 17 || proto === 1 || proto === 58 || proto === 132;
}

/** Big-endian 32-bit word of `x` at `i`. */
function be32(x: Uint8Array, i: number): number {
  return (x[i] << 24) | (x[i + 1] << 16) | (x[i + 2] << 8) | x[i + 3];
}

/** Writes the Community ID text of the last hash (`1:` and the base64 of the digest) into `dst` at `at`: COMMUNITY_ID_LEN bytes. */
export function writeCommunityId(dst: Uint8Array, at: number): void {
  const s = SHA1_STATE;
  const h0 = s[0];
  const h1 = s[1];
  const h2 = s[2];
  const h3 = s[3];
  const h4 = s[4];
  dst[at] = 49;
  dst[at + 1] = 58;
  // The 20 digest bytes as six 24-bit groups and a last 16-bit one, taken across the word boundaries.
  put24(dst, at + 2, h0 >>> 8);
  put24(dst, at + 6, ((h0 & 0xff) << 16) | (h1 >>> 16));
  put24(dst, at + 10, ((h1 & 0xffff) << 8) | (h2 >>> 24));
  put24(dst, at + 14, h2 & 0xffffff);
  put24(dst, at + 18, h3 >>> 8);
  put24(dst, at + 22, ((h3 & 0xff) << 16) | (h4 >>> 16));
  const v = h4 & 0xffff;
  dst[at + 26] = B64[v >>> 10];
  dst[at + 27] = B64[(v >>> 4) & 63];
  dst[at + 28] = B64[(v << 2) & 63];
  dst[at + 29] = 61;
}

/** Four base64 characters of a 24-bit group. */
function put24(dst: Uint8Array, at: number, v: number): void {
  dst[at] = B64[v >>> 18];
  dst[at + 1] = B64[(v >>> 12) & 63];
  dst[at + 2] = B64[(v >>> 6) & 63];
  dst[at + 3] = B64[v & 63];
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
