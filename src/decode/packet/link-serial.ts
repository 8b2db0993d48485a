/**
 * Point-to-point and log-header link layers: PPP (LINKTYPE_PPP, with or without RFC 1662 HDLC-like
 * framing), PPP in HDLC framing (LINKTYPE_PPP_HDLC, which may also hold Cisco HDLC), Cisco HDLC
 * (LINKTYPE_C_HDLC), and OpenBSD/FreeBSD/macOS pflog (LINKTYPE_PFLOG: pf's log header, then the packet).
 */
import { DecodeResult } from './packet-info.js';
import type { Layers } from './layers.js';
import { Weird } from './weird-codes.js';

/** PPP protocol numbers that carry IP. */
const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;

/**
 * A PPP protocol field and what follows. The field is two bytes, or one when compressed (RFC 1661:
 * protocol numbers are odd in their low byte and even in their high byte, so an odd first byte is a
 * one-byte field).
 */
function pppProtocol(L: Layers, buf: Uint8Array, off: number, end: number, wend: number): DecodeResult {
  if (end - off < 1) {
    L.weird(Weird.truncatedPpp);
    return DecodeResult.Malformed;
  }
  let proto: number;
  if (buf[off] & 1) {
    proto = buf[off];
    off += 1;
  } else {
    if (end - off < 2) {
      L.weird(Weird.truncatedPpp);
      return DecodeResult.Malformed;
    }
    proto = (buf[off] << 8) | buf[off + 1];
    off += 2;
  }
  if (proto === PPP_IPV4 || proto === PPP_IPV6) return L.ip(buf, off, end, wend);
  return DecodeResult.NotIp;
}

/** LINKTYPE_PPP (9): a PPP frame, after the HDLC-like address and control bytes when present. */
export function decodePpp(L: Layers, buf: Uint8Array, off: number, end: number, wend: number): DecodeResult {
  if (end - off >= 2 && buf[off] === 0xff && buf[off + 1] === 0x03) off += 2;
  return pppProtocol(L, buf, off, end, wend);
}

/** LINKTYPE_PPP_HDLC (50): address 0xff and control 0x03, then PPP; Cisco HDLC frames appear here too. */
export function decodePppHdlc(L: Layers, buf: Uint8Array, off: number, end: number, wend: number): DecodeResult {
  if (end - off < 2) {
    L.weird(Weird.truncatedPpp);
    return DecodeResult.Malformed;
  }
  if (buf[off] === 0x0f || buf[off] === 0x8f) return decodeCiscoHdlc(L, buf, off, end, wend);
  return pppProtocol(L, buf, buf[off] === 0xff && buf[off + 1] === 0x03 ? off + 2 : off, end, wend);
}

/** LINKTYPE_C_HDLC (104): address (0x0f unicast, 0x8f broadcast), control, then an ethertype. */
export function decodeCiscoHdlc(L: Layers, buf: Uint8Array, off: number, end: number, wend: number): DecodeResult {
  if (end - off < 4) {
    L.weird(Weird.truncatedHdlc);
    return DecodeResult.Malformed;
  }
  const type = (buf[off + 2] << 8) | buf[off + 3];
  if (type < 0x0600) return DecodeResult.NotIp;
  return L.etherType(type, buf, off + 4, end, wend);
}

/** Address families pflog headers give for IPv4 and, by system, IPv6. */
const AF_INET = 2;
const AF_INET6 = new Set([24, 28, 30]);

/**
 * LINKTYPE_PFLOG (117): pf's log header (its first byte is the header's length, padded to 4 bytes by
 * the capture; then the address family, action, reason, interface and ruleset names, rule numbers...),
 * then the logged packet.
 */
export function decodePflog(L: Layers, buf: Uint8Array, off: number, end: number, wend: number): DecodeResult {
  if (end - off < 2) {
    L.weird(Weird.truncatedPflog);
    return DecodeResult.Malformed;
  }
  const hdrLen = (buf[off] + 3) & ~3;
  if (buf[off] < 4 || end - off < hdrLen) {
    L.weird(Weird.truncatedPflog);
    return DecodeResult.Malformed;
  }
  const af = buf[off + 1];
  if (af !== AF_INET && !AF_INET6.has(af)) return DecodeResult.NotIp;
  return L.ip(buf, off + hdrLen, end, wend);
}
