/**
 * Ethernet II and 802.3 frames, and what an ethertype can lead to before IP: 802.1Q/802.1ad VLAN
 * stacks, MPLS label stacks, PPPoE sessions and LLC/SNAP.
 */
import { DecodeResult } from './packet-info.js';
import type { Layers } from './layers.js';
import { Weird } from './weird-codes.js';

/** Ethertypes the decoder acts on. */
export const EtherType = {
  IPV4: 0x0800,
  IPV6: 0x86dd,
  VLAN: 0x8100,
  QINQ: 0x88a8,
  QINQ_OLD1: 0x9100,
  QINQ_OLD2: 0x9200,
  MPLS: 0x8847,
  MPLS_MULTICAST: 0x8848,
  PPPOE_SESSION: 0x8864,
  TEB: 0x6558,
} as const;

/** Decodes an Ethernet II or 802.3 frame starting at `off`. */
export function decodeEthernet(L: Layers, buf: Uint8Array, off: number, end: number, wend: number): DecodeResult {
  if (end - off < 14) {
    L.weird(Weird.truncatedEthernet);
    return DecodeResult.Malformed;
  }
  const type = (buf[off + 12] << 8) | buf[off + 13];
  if (type >= 0x0600) return L.etherType(type, buf, off + 14, end, wend);
  if (type > 1500) return DecodeResult.NotIp;
  // 802.3: the field is the length of what follows, which bounds the frame (padding excluded).
  const lend = off + 14 + type;
  return decodeLlc(L, buf, off + 14, lend < end ? lend : end, lend < wend ? lend : wend);
}

/** Decodes an 802.2 LLC header; only SNAP with an ethertype (IP, VLAN...) continues. */
export function decodeLlc(L: Layers, buf: Uint8Array, off: number, end: number, wend: number): DecodeResult {
  if (end - off < 3) {
    L.weird(Weird.truncatedLlc);
    return DecodeResult.Malformed;
  }
  if (buf[off] !== 0xaa || buf[off + 1] !== 0xaa || buf[off + 2] !== 0x03) return DecodeResult.NotIp;
  if (end - off < 8) {
    L.weird(Weird.truncatedLlc);
    return DecodeResult.Malformed;
  }
  // Only the OUIs that mean "an ethertype follows" (RFC 1042 and 802.1H); others carry vendor protocols.
  const oui = (buf[off + 3] << 16) | (buf[off + 4] << 8) | buf[off + 5];
  if (oui !== 0 && oui !== 0xf8) return DecodeResult.NotIp;
  const type = (buf[off + 6] << 8) | buf[off + 7];
  if (type < 0x0600) return DecodeResult.NotIp;
  return L.etherType(type, buf, off + 8, end, wend);
}

/**
 * Follows an ethertype through any VLAN tags to the network layer. The outermost tag goes to
 * `out.vlan` and the next one to `out.innerVlan`; deeper tags are skipped.
 */
export function decodeEtherType(
  L: Layers,
  type: number,
  buf: Uint8Array,
  off: number,
  end: number,
  wend: number,
): DecodeResult {
  const out = L.out;
  for (;;) {
    switch (type) {
      case EtherType.IPV4:
      case EtherType.IPV6:
        return L.ip(buf, off, end, wend);
      case EtherType.VLAN:
      case EtherType.QINQ:
      case EtherType.QINQ_OLD1:
      case EtherType.QINQ_OLD2: {
        if (end - off < 4) {
          L.weird(Weird.truncatedVlan);
          return DecodeResult.Malformed;
        }
        const vid = ((buf[off] & 0x0f) << 8) | buf[off + 1];
        if (out.vlan < 0) out.vlan = vid;
        else if (out.innerVlan < 0) out.innerVlan = vid;
        type = (buf[off + 2] << 8) | buf[off + 3];
        off += 4;
        if (type < 0x0600) {
          if (type > 1500) return DecodeResult.NotIp;
          return decodeLlc(L, buf, off, end, wend);
        }
        continue;
      }
      case EtherType.MPLS:
      case EtherType.MPLS_MULTICAST:
        return decodeMpls(L, buf, off, end, wend);
      case EtherType.PPPOE_SESSION:
        return decodePppoe(L, buf, off, end, wend);
      default:
        return DecodeResult.NotIp;
    }
  }
}

/** Skips an MPLS label stack; the payload is IP by its first nibble, or Ethernet after a control word. */
export function decodeMpls(L: Layers, buf: Uint8Array, off: number, end: number, wend: number): DecodeResult {
  for (;;) {
    if (end - off < 4) {
      L.weird(Weird.truncatedMpls);
      return DecodeResult.Malformed;
    }
    const bottom = buf[off + 2] & 1;
    off += 4;
    if (bottom) break;
  }
  if (end - off < 1) {
    L.weird(Weird.truncatedMpls);
    return DecodeResult.Malformed;
  }
  const nibble = buf[off] >> 4;
  if (nibble === 4 || nibble === 6) return L.ip(buf, off, end, wend);
  if (nibble === 0) {
    // Ethernet pseudowire (RFC 4448) with its 4-byte control word. It nests a whole frame, so it
    // counts against the tunnel depth bound like any other encapsulation.
    if (end - off < 4 + 14) {
      L.weird(Weird.truncatedMpls);
      return DecodeResult.Malformed;
    }
    if (L.depth >= L.maxDepth) {
      L.weird(Weird.exceededTunnelMaxDepth);
      return DecodeResult.Malformed;
    }
    L.depth++;
    return L.ethernet(buf, off + 4, end, wend);
  }
  L.weird(Weird.unknownMplsPayload);
  return DecodeResult.Unsupported;
}

/** Decodes a PPPoE session header and its PPP protocol (IPv4 0x0021, IPv6 0x0057). */
export function decodePppoe(L: Layers, buf: Uint8Array, off: number, end: number, wend: number): DecodeResult {
  if (end - off < 8) {
    L.weird(Weird.truncatedPppoe);
    return DecodeResult.Malformed;
  }
  if (buf[off] !== 0x11 || buf[off + 1] !== 0x00) {
    L.weird(Weird.badPppoe);
    return DecodeResult.Malformed;
  }
  // The PPPoE length covers the PPP protocol field and payload; it bounds the data (padding excluded).
  const pend = off + 6 + ((buf[off + 4] << 8) | buf[off + 5]);
  const proto = (buf[off + 6] << 8) | buf[off + 7];
  if (proto !== 0x0021 && proto !== 0x0057) return DecodeResult.NotIp;
  return L.ip(buf, off + 8, pend < end ? pend : end, pend < wend ? pend : wend);
}
