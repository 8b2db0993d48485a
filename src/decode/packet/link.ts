/**
 * Link-layer headers other than Ethernet, by pcap LINKTYPE: raw IP, BSD null/loopback, Linux cooked
 * capture (SLL and SLL2) and NFLOG here; PPP, HDLC and pflog in link-serial.ts; 802.11 in ieee80211.ts. Each finds where the network layer starts and hands it on.
 */
import { DecodeResult, LinkType } from './packet-info.js';
import type { Layers } from './layers.js';
import { decodeLlc } from './ethernet.js';
import { Weird } from './weird-codes.js';
import { decodeCiscoHdlc, decodePflog, decodePpp, decodePppHdlc } from './link-serial.js';
import { decode80211, decodeRadiotap } from './ieee80211.js';

/** ARPHRD_NETLINK: SLL frames of this hardware type carry netlink messages, not network packets. */
const ARPHRD_NETLINK = 824;
/** NFULA_PAYLOAD: the NFLOG attribute that holds the logged packet. */
const NFULA_PAYLOAD = 9;

/** Decodes one packet of the given link type, from its link header down. */
export function decodeLink(
  L: Layers,
  linkType: number,
  buf: Uint8Array,
  off: number,
  end: number,
  wend: number,
): DecodeResult {
  switch (linkType) {
    case LinkType.ETHERNET:
      return L.ethernet(buf, off, end, wend);
    case LinkType.RAW:
    case LinkType.IPV4:
    case LinkType.IPV6:
    case LinkType.RAW_LEGACY_12:
    case LinkType.RAW_LEGACY_14:
      return L.ip(buf, off, end, wend);
    case LinkType.NULL:
    case LinkType.LOOP:
      return decodeNull(L, buf, off, end, wend);
    case LinkType.LINUX_SLL:
      return decodeSll(L, buf, off, end, wend);
    case LinkType.LINUX_SLL2:
      return decodeSll2(L, buf, off, end, wend);
    case LinkType.NFLOG:
      return decodeNflog(L, buf, off, end, wend);
    case LinkType.PPP:
      return decodePpp(L, buf, off, end, wend);
    case LinkType.PPP_HDLC:
      return decodePppHdlc(L, buf, off, end, wend);
    case LinkType.C_HDLC:
      return decodeCiscoHdlc(L, buf, off, end, wend);
    case LinkType.PFLOG:
      return decodePflog(L, buf, off, end, wend);
    case LinkType.IEEE802_11:
      return decode80211(L, buf, off, end, wend);
    case LinkType.IEEE802_11_RADIOTAP:
      return decodeRadiotap(L, buf, off, end, wend);
    default:
      L.weird(Weird.unknownLinkType);
      return DecodeResult.Unsupported;
  }
}

/**
 * BSD null (0) and OpenBSD loopback (108): a 4-byte address family, in the capturing host's byte
 * order for NULL and in network order for LOOP. Families are small numbers, so whichever half of the
 * word is non-zero tells the order and one reading serves both.
 */
export function decodeNull(L: Layers, buf: Uint8Array, off: number, end: number, wend: number): DecodeResult {
  if (end - off < 4) {
    L.weird(Weird.truncatedNull);
    return DecodeResult.Malformed;
  }
  let family = buf[off] | (buf[off + 1] << 8);
  if (family === 0) family = (buf[off + 2] << 8) | buf[off + 3];
  switch (family) {
    case 2: // AF_INET everywhere
    case 24: // AF_INET6 on NetBSD, OpenBSD, BSD/OS
    case 28: // AF_INET6 on FreeBSD, DragonFly
    case 30: // AF_INET6 on Darwin
      return L.ip(buf, off + 4, end, wend);
    default:
      return DecodeResult.NotIp;
  }
}

/** Linux cooked capture v1: 16-byte header ending in the protocol (an ethertype for most devices). */
export function decodeSll(L: Layers, buf: Uint8Array, off: number, end: number, wend: number): DecodeResult {
  if (end - off < 16) {
    L.weird(Weird.truncatedSll);
    return DecodeResult.Malformed;
  }
  const hatype = (buf[off + 2] << 8) | buf[off + 3];
  const proto = (buf[off + 14] << 8) | buf[off + 15];
  return sllProtocol(L, hatype, proto, buf, off + 16, end, wend);
}

/** Linux cooked capture v2: 20-byte header starting with the protocol. */
export function decodeSll2(L: Layers, buf: Uint8Array, off: number, end: number, wend: number): DecodeResult {
  if (end - off < 20) {
    L.weird(Weird.truncatedSll2);
    return DecodeResult.Malformed;
  }
  const proto = (buf[off] << 8) | buf[off + 1];
  const hatype = (buf[off + 8] << 8) | buf[off + 9];
  return sllProtocol(L, hatype, proto, buf, off + 20, end, wend);
}

/** The SLL protocol field is an ethertype, except for a few small values with Linux meanings. */
function sllProtocol(
  L: Layers,
  hatype: number,
  proto: number,
  buf: Uint8Array,
  off: number,
  end: number,
  wend: number,
): DecodeResult {
  if (hatype === ARPHRD_NETLINK) return DecodeResult.NotIp;
  if (proto === 0x0004) return decodeLlc(L, buf, off, end, wend); // ETH_P_802_2
  if (proto < 0x0600) return DecodeResult.NotIp; // ETH_P_802_3 (Novell), CAN, ...
  return L.etherType(proto, buf, off, end, wend);
}

/**
 * NFLOG: a 4-byte header, then netlink-style attributes (length, type; host byte order; padded to 4
 * bytes). The packet is the NFULA_PAYLOAD attribute. The byte order is taken from the first
 * attribute, read whichever way gives a plausible length and type.
 */
export function decodeNflog(L: Layers, buf: Uint8Array, off: number, end: number, wend: number): DecodeResult {
  if (end - off < 4) {
    L.weird(Weird.truncatedNflog);
    return DecodeResult.Malformed;
  }
  if (buf[off + 1] !== 0) {
    L.weird(Weird.unknownNflogVersion);
    return DecodeResult.Unsupported;
  }
  let p = off + 4;
  let little = true;
  if (end - p >= 4) {
    const lenLe = buf[p] | (buf[p + 1] << 8);
    const typeLe = (buf[p + 2] | (buf[p + 3] << 8)) & 0x3fff;
    little = lenLe >= 4 && lenLe <= end - p + 3 && typeLe < 0x100;
  }
  while (end - p >= 4) {
    const len = little ? buf[p] | (buf[p + 1] << 8) : (buf[p] << 8) | buf[p + 1];
    // The top two bits of the type are netlink flags (nested, network byte order).
    const type = (little ? buf[p + 2] | (buf[p + 3] << 8) : (buf[p + 2] << 8) | buf[p + 3]) & 0x3fff;
    if (len < 4) {
      L.weird(Weird.badNflogTlv);
      return DecodeResult.Malformed;
    }
    if (type === NFULA_PAYLOAD) {
      const vend = p + len;
      return L.ip(buf, p + 4, vend < end ? vend : end, vend < wend ? vend : wend);
    }
    p += (len + 3) & ~3;
  }
  if (end < wend) {
    // The snap length cut the attributes before the payload.
    L.weird(Weird.truncatedNflog);
    return DecodeResult.Malformed;
  }
  // A log entry without the packet.
  return DecodeResult.NotIp;
}
