/**
 * IPv4: header checks in the order and with the names of Zeek's IP analyzer, fragments handed to
 * the reassembler, AH skipped, then the transport (or tunnel) decoded.
 */
import { DecodeResult } from './packet-info.js';
import type { Layers } from './layers.js';
import { FRAGMENT_DROPPED, FRAGMENT_HELD } from './fragments.js';
import { decodeTransport, IpProto } from './transport.js';
import { commitTunnel } from './tunnels.js';
import { Weird } from './weird-codes.js';

/** fragment() result meaning: an incompletely captured first fragment, decode it as it is. */
const FRAGMENT_FIRST_INCOMPLETE = -1;

/** Decodes the IPv4 packet at `off` (the caller checked that 20 bytes are captured). */
export function decodeIp4(L: Layers, buf: Uint8Array, off: number, end: number, wend: number): DecodeResult {
  const out = L.out;
  const avail = end - off;
  const totalLen = (buf[off + 2] << 8) | buf[off + 3];
  const ihl = (buf[off] & 0x0f) << 2;
  if (totalLen === 0) {
    // TCP segmentation offload leaves the length zero in captures taken on the sending host; the
    // checksum is then wrong too, and Zeek (checking checksums, its default) drops the packet.
    L.weird(Weird.ipHdrLenZero);
    return DecodeResult.Malformed;
  }
  if (wend - off < totalLen) {
    L.weird(Weird.truncatedIpLen);
    return DecodeResult.Malformed;
  }
  if (ihl > totalLen) {
    L.weird(Weird.invalidIpHeaderSize);
    return DecodeResult.Malformed;
  }
  if (ihl > avail) {
    L.weird(Weird.internallyTruncatedHeader);
    return DecodeResult.Malformed;
  }
  if (ihl < 20) {
    L.weird(Weird.ipv4MinHeaderSize);
    return DecodeResult.Malformed;
  }
  if (L.tunnelPending) commitTunnel(L);
  out.ipVersion = 4;
  out.ipOffset = off;
  out.ipLen = totalLen;
  out.ttl = buf[off + 8];
  let proto = buf[off + 9];
  out.ipProto = proto;
  const src = out.src;
  const dst = out.dst;
  src[0] = buf[off + 12];
  src[1] = buf[off + 13];
  src[2] = buf[off + 14];
  src[3] = buf[off + 15];
  dst[0] = buf[off + 16];
  dst[1] = buf[off + 17];
  dst[2] = buf[off + 18];
  dst[3] = buf[off + 19];

  // Data past the total length is link padding; data short of it was cut by the snap length.
  const dend = off + totalLen;
  const cend = end < dend ? end : dend;
  let p = off + ihl;

  const frag = (buf[off + 6] << 8) | buf[off + 7];
  if ((frag & 0x3fff) !== 0) {
    const r = fragment(L, buf, off, ihl, frag, proto, totalLen, cend < dend);
    if (r !== FRAGMENT_FIRST_INCOMPLETE) return r;
  }

  while (proto === IpProto.AH) {
    // Authentication header: next header, then its length in 4-byte words minus 2.
    const len = cend - p < 2 ? 2 : (buf[p + 1] + 2) << 2;
    if (cend - p < len) {
      L.weird(Weird.truncatedAh);
      return DecodeResult.Malformed;
    }
    proto = buf[p];
    p += len;
    out.ipProto = proto;
  }
  return decodeTransport(L, proto, buf, p, cend, dend);
}

/** Hands a fragment to the reassembler and, when it completes a datagram, decodes that. */
function fragment(
  L: Layers,
  buf: Uint8Array,
  off: number,
  ihl: number,
  frag: number,
  proto: number,
  totalLen: number,
  incomplete: boolean,
): number {
  const offset = (frag & 0x1fff) << 3;
  if (incomplete) {
    // Reassembly is doomed; the first fragment still shows the transport header.
    L.weird(Weird.incompletelyCapturedFragment);
    if (offset !== 0) return DecodeResult.Malformed;
    L.partial = true;
    return FRAGMENT_FIRST_INCOMPLETE;
  }
  if (L.reassembledDepth === L.depth) {
    // A fragment inside a datagram we just rebuilt: never legitimate, and a way to recurse.
    L.weird(Weird.fragmentInReassembled);
    return DecodeResult.Malformed;
  }
  const out = L.out;
  const frags = L.frags;
  const f = frags.input;
  f.ts = out.tsMicros;
  f.version = 4;
  f.buf = buf;
  f.ipOff = off;
  f.hdrLen = ihl;
  f.nextHeaderPos = 9;
  f.nextHeader = proto;
  f.offset = offset;
  f.more = (frag & 0x2000) !== 0;
  f.dontFragment = (frag & 0x4000) !== 0;
  f.id = (buf[off + 4] << 8) | buf[off + 5];
  f.proto = proto;
  f.ipLen = totalLen;
  f.dataOff = off + ihl;
  f.dataLen = totalLen - ihl;
  f.vlan = out.vlan;
  f.innerVlan = out.innerVlan;
  f.depth = L.depth;
  for (let i = 0; i < 4; i++) {
    f.src[i] = out.src[i];
    f.dst[i] = out.dst[i];
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
