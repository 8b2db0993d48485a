/**
 * The transport header after IP: TCP, UDP, ICMP, ICMPv6, SCTP, and the hand-off to tunnels
 * (IP-in-IP, GRE, and the UDP-based ones). Other protocols are a flow by protocol number alone.
 */
import { DecodeResult, TunnelKind } from './packet-info.js';
import type { Layers } from './layers.js';
import { decodeGre, decodeIpInIp, decodeUdpTunnel, NOT_A_TUNNEL } from './tunnels.js';
import { Weird } from './weird-codes.js';

/** IP protocol numbers the decoder acts on. */
export const IpProto = {
  ICMP: 1,
  IPIP: 4,
  TCP: 6,
  UDP: 17,
  IPV6: 41,
  GRE: 47,
  ESP: 50,
  AH: 51,
  ICMPV6: 58,
  NONE: 59,
  SCTP: 132,
} as const;

/**
 * Decodes the transport header at `off`. `end` is the end of the captured IP payload and `dend` its
 * end per the IP header (`end <= dend`).
 */
export function decodeTransport(
  L: Layers,
  proto: number,
  buf: Uint8Array,
  off: number,
  end: number,
  dend: number,
): DecodeResult {
  switch (proto) {
    case IpProto.TCP:
      return decodeTcp(L, buf, off, end, dend);
    case IpProto.UDP:
      return decodeUdp(L, buf, off, end, dend);
    case IpProto.ICMP:
    case IpProto.ICMPV6:
      return decodeIcmp(L, buf, off, end, dend);
    case IpProto.SCTP:
      return decodeSctp(L, buf, off, end, dend);
    case IpProto.IPIP:
    case IpProto.IPV6: {
      const r = decodeIpInIp(L, proto, buf, off, end, dend);
      return r !== NOT_A_TUNNEL ? r : otherProtocol(L, off, end, dend);
    }
    case IpProto.GRE: {
      const r = decodeGre(L, buf, off, end, dend);
      return r !== NOT_A_TUNNEL ? r : otherProtocol(L, off, end, dend);
    }
    case IpProto.NONE:
      // No transport at all (Teredo bubbles look like this, and are expected there).
      if (L.out.tunnel !== TunnelKind.Teredo) L.weird(Weird.ipv6NoNext);
      setPayload(L, off, end, dend);
      return DecodeResult.Ok;
    default:
      return otherProtocol(L, off, end, dend);
  }
}

/** A protocol whose header we do not parse: a flow by protocol number, ports 0, payload from `off`. */
function otherProtocol(L: Layers, off: number, end: number, dend: number): DecodeResult {
  L.out.transportOk = true;
  setPayload(L, off, end, dend);
  return DecodeResult.Ok;
}

function setPayload(L: Layers, off: number, end: number, dend: number): void {
  const out = L.out;
  out.payloadOffset = off;
  out.payloadLen = dend > off ? dend - off : 0;
  out.payloadCapLen = end > off ? end - off : 0;
}

/**
 * Checks that a `min`-byte header fits both the IP payload (else `truncated_header`) and the captured
 * bytes (else `internally_truncated_header`), as Zeek does.
 */
function headerFits(L: Layers, off: number, end: number, dend: number, min: number): boolean {
  if (dend - off < min) {
    L.weird(Weird.truncatedHeader);
    return false;
  }
  if (end - off < min) {
    L.weird(Weird.internallyTruncatedHeader);
    return false;
  }
  return true;
}

function decodeTcp(L: Layers, buf: Uint8Array, off: number, end: number, dend: number): DecodeResult {
  if (!headerFits(L, off, end, dend, 20)) return DecodeResult.Ok;
  const out = L.out;
  out.srcPort = (buf[off] << 8) | buf[off + 1];
  out.dstPort = (buf[off + 2] << 8) | buf[off + 3];
  out.tcpSeq = ((buf[off + 4] << 24) | (buf[off + 5] << 16) | (buf[off + 6] << 8) | buf[off + 7]) >>> 0;
  out.tcpAck = ((buf[off + 8] << 24) | (buf[off + 9] << 16) | (buf[off + 10] << 8) | buf[off + 11]) >>> 0;
  out.tcpFlags = buf[off + 13];
  out.tcpWindow = (buf[off + 14] << 8) | buf[off + 15];
  const hlen = (buf[off + 12] >> 4) << 2;
  if (hlen < 20 || hlen > dend - off) {
    L.weird(Weird.badTcpHeaderLen);
    return DecodeResult.Ok;
  }
  out.transportOk = true;
  // Options beyond the snap length are not needed: the fixed header is what the flow table reads.
  const p = off + hlen;
  out.payloadOffset = p;
  out.payloadLen = dend - p;
  out.payloadCapLen = end > p ? end - p : 0;
  return DecodeResult.Ok;
}

function decodeUdp(L: Layers, buf: Uint8Array, off: number, end: number, dend: number): DecodeResult {
  if (!headerFits(L, off, end, dend, 8)) return DecodeResult.Ok;
  const out = L.out;
  const sport = (buf[off] << 8) | buf[off + 1];
  const dport = (buf[off + 2] << 8) | buf[off + 3];
  out.srcPort = sport;
  out.dstPort = dport;
  const ulen = (buf[off + 4] << 8) | buf[off + 5];
  let uend = dend;
  if (ulen !== dend - off && !L.partial) {
    L.weird(Weird.udpLengthMismatch);
    // A shorter UDP length bounds the datagram (the rest is padding); a longer one cannot be honoured.
    if (ulen >= 8 && ulen < dend - off) uend = off + ulen;
  }
  out.transportOk = true;
  const p = off + 8;
  const cend = end < uend ? end : uend;
  out.payloadOffset = p;
  out.payloadLen = uend - p;
  out.payloadCapLen = cend > p ? cend - p : 0;
  if (dport === 4789 || dport === 6081 || dport === 3544 || sport === 3544) {
    const r = decodeUdpTunnel(L, sport, dport, buf, p, cend, uend);
    if (r !== NOT_A_TUNNEL) return r;
  }
  return DecodeResult.Ok;
}

/** ICMP and ICMPv6 share the layout we read. Errors quote a packet; the flow stays the outer one. */
function decodeIcmp(L: Layers, buf: Uint8Array, off: number, end: number, dend: number): DecodeResult {
  if (!headerFits(L, off, end, dend, 8)) return DecodeResult.Ok;
  const out = L.out;
  out.icmpType = out.srcPort = buf[off];
  out.icmpCode = out.dstPort = buf[off + 1];
  out.transportOk = true;
  setPayload(L, off + 8, end, dend);
  return DecodeResult.Ok;
}

function decodeSctp(L: Layers, buf: Uint8Array, off: number, end: number, dend: number): DecodeResult {
  if (!headerFits(L, off, end, dend, 12)) return DecodeResult.Ok;
  const out = L.out;
  out.srcPort = (buf[off] << 8) | buf[off + 1];
  out.dstPort = (buf[off + 2] << 8) | buf[off + 3];
  out.transportOk = true;
  setPayload(L, off + 12, end, dend);
  return DecodeResult.Ok;
}
