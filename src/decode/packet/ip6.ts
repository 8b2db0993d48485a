/**
 * IPv6: the fixed header, the extension header chain (hop-by-hop, routing, destination options,
 * AH skipped; fragment headers reassembled; ESP ends the chain), then the transport.
 */
import { DecodeResult } from './packet-info.js';
import type { Layers } from './layers.js';
import { FRAGMENT_DROPPED, FRAGMENT_HELD } from './fragments.js';
import { decodeTransport } from './transport.js';
import { commitTunnel } from './tunnels.js';
import { Weird } from './weird-codes.js';

/** fragment6() result meaning: an incompletely captured first fragment, decode it as it is. */
const FRAGMENT_FIRST_INCOMPLETE = -1;

/** Decodes the IPv6 packet at `off` (the caller checked that its version nibble is 6). */
export function decodeIp6(L: Layers, buf: Uint8Array, off: number, end: number, wend: number): DecodeResult {
  const out = L.out;
  if (end - off < 40) {
    L.weird(Weird.truncatedIp);
    return DecodeResult.Malformed;
  }
  const totalLen = 40 + ((buf[off + 4] << 8) | buf[off + 5]);
  if (wend - off < totalLen) {
    L.weird(Weird.truncatedIpLen);
    return DecodeResult.Malformed;
  }
  if (L.tunnelPending) commitTunnel(L);
  out.ipVersion = 6;
  out.ipOffset = off;
  out.ipLen = totalLen;
  out.ttl = buf[off + 7];
  const src = out.src;
  const dst = out.dst;
  for (let i = 0; i < 16; i++) {
    src[i] = buf[off + 8 + i];
    dst[i] = buf[off + 24 + i];
  }
  const dend = off + totalLen;
  const cend = end < dend ? end : dend;
  let nh = buf[off + 6];
  let nhPos = off + 6;
  let p = off + 40;
  for (;;) {
    if (nh === 0 || nh === 43 || nh === 60 || nh === 51) {
      // Hop-by-hop, routing, destination options: length in 8-byte units beyond the first 8.
      // AH: length in 4-byte units beyond the first 8.
      if (!extensionFits(L, p, cend, dend, 2)) return DecodeResult.Malformed;
      const len = nh === 51 ? (buf[p + 1] + 2) << 2 : (buf[p + 1] + 1) << 3;
      if (!extensionFits(L, p, cend, dend, len)) return DecodeResult.Malformed;
      nhPos = p;
      nh = buf[p];
      p += len;
      continue;
    }
    if (nh === 44) {
      if (!extensionFits(L, p, cend, dend, 8)) return DecodeResult.Malformed;
      const next = buf[p];
      const fo = (buf[p + 2] << 8) | buf[p + 3];
      // An atomic fragment (offset 0, no more) is a whole packet (RFC 6946).
      if ((fo & 0xfff9) !== 0) {
        out.ipProto = next;
        const r = fragment6(L, buf, off, p, nhPos, next, fo, totalLen, cend < dend);
        if (r !== FRAGMENT_FIRST_INCOMPLETE) return r;
      }
      nhPos = p;
      nh = next;
      p += 8;
      continue;
    }
    break;
  }
  out.ipProto = nh;
  return decodeTransport(L, nh, buf, p, cend, dend);
}

function extensionFits(L: Layers, p: number, cend: number, dend: number, len: number): boolean {
  if (dend - p < len) {
    L.weird(Weird.truncatedIpv6Ext);
    return false;
  }
  if (cend - p < len) {
    L.weird(Weird.internallyTruncatedHeader);
    return false;
  }
  return true;
}

/** Hands a fragment (header at `p`) to the reassembler and decodes the datagram it completes. */
function fragment6(
  L: Layers,
  buf: Uint8Array,
  off: number,
  p: number,
  nhPos: number,
  next: number,
  fo: number,
  totalLen: number,
  incomplete: boolean,
): number {
  const offset = fo & 0xfff8;
  if (incomplete) {
    L.weird(Weird.incompletelyCapturedFragment);
    if (offset !== 0) return DecodeResult.Malformed;
    L.partial = true;
    return FRAGMENT_FIRST_INCOMPLETE;
  }
  if (L.reassembledDepth === L.depth) {
    L.weird(Weird.fragmentInReassembled);
    return DecodeResult.Malformed;
  }
  const out = L.out;
  const frags = L.frags;
  const f = frags.input;
  f.ts = out.tsMicros;
  f.version = 6;
  f.buf = buf;
  f.ipOff = off;
  f.hdrLen = p - off; // the unfragmentable part: fixed header and the extensions before this one
  f.nextHeaderPos = nhPos - off;
  f.nextHeader = next;
  f.offset = offset;
  f.more = (fo & 1) !== 0;
  f.dontFragment = false;
  f.id = ((buf[p + 4] << 24) | (buf[p + 5] << 16) | (buf[p + 6] << 8) | buf[p + 7]) >>> 0;
  f.proto = 0; // RFC 8200 keys IPv6 datagrams by addresses and id only
  f.ipLen = totalLen;
  f.dataOff = p + 8;
  f.dataLen = off + totalLen - (p + 8);
  f.vlan = out.vlan;
  f.innerVlan = out.innerVlan;
  f.depth = L.depth;
  const src = out.src;
  const dst = out.dst;
  for (let i = 0; i < 16; i++) {
    f.src[i] = src[i];
    f.dst[i] = dst[i];
  }
  const len = frags.add();
  if (len === FRAGMENT_HELD) return DecodeResult.FragmentHeld;
  if (len === FRAGMENT_DROPPED) return DecodeResult.Malformed;
  const rebuilt = frags.output(L.depth);
  out.buf = rebuilt;
  out.reassembled = true;
  L.reassembledDepth = L.depth;
  return L.ip(rebuilt, 0, len, len);
}
