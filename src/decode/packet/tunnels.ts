/**
 * Tunnels decoded through to the inner packet: IP-in-IP (4in4, 6in4, 4in6, 6in6), GRE version 0
 * (IP, transparent Ethernet bridging, ERSPAN), VXLAN, Geneve and Teredo. The carrier's addresses
 * and UDP ports are kept in the `tunnel*` fields; everything else in PacketInfo describes the inner
 * packet. Each layer counts against the tunnel depth bound. When the payload is not IP after all
 * (an ARP frame inside VXLAN) or is damaged before its IP header, or the depth bound is hit, the
 * packet is reported as the carrier's own flow (UDP, GRE, or IP protocol 4/41), any weird kept.
 */
import { TunnelKind } from './packet-info.js';
import type { Layers } from './layers.js';
import { Weird } from './weird-codes.js';

/** Returned when the payload is not (or not decodable as) a tunnel: the caller keeps the outer flow. */
export const NOT_A_TUNNEL = -1;

/**
 * Starts a tunnel layer. The carrier is not recorded yet: that happens in commitTunnel() once an
 * inner IP header is found. Until then the carrier's own flow is intact, so a payload that turns out
 * not to be IP (an ARP frame in VXLAN) or to be damaged before its IP header can fall back to it.
 * False when the depth bound is hit.
 */
function enterTunnel(L: Layers, kind: TunnelKind, sport: number, dport: number, id: number): boolean {
  if (L.depth >= L.maxDepth) {
    L.weird(Weird.exceededTunnelMaxDepth);
    return false;
  }
  L.depth++;
  L.tunnelPending = true;
  L.pendingKind = kind;
  L.pendingSrcPort = sport;
  L.pendingDstPort = dport;
  L.pendingId = id;
  return true;
}

/**
 * Records the pending tunnel's carrier (addresses still in `out`) and clears what the carrier's
 * transport set; called by the IP decoders just before they write the inner addresses.
 */
export function commitTunnel(L: Layers): void {
  L.tunnelPending = false;
  const out = L.out;
  out.tunnel = L.pendingKind;
  out.tunnelDepth++;
  out.tunnelIpVersion = out.ipVersion;
  out.tunnelIpLen = out.ipLen;
  out.tunnelIpProto = out.ipProto;
  const n = out.ipVersion === 4 ? 4 : 16;
  const src = out.src;
  const dst = out.dst;
  const tsrc = out.tunnelSrc;
  const tdst = out.tunnelDst;
  for (let i = 0; i < n; i++) {
    tsrc[i] = src[i];
    tdst[i] = dst[i];
  }
  out.tunnelSrcPort = L.pendingSrcPort;
  out.tunnelDstPort = L.pendingDstPort;
  out.tunnelId = L.pendingId;
  out.transportOk = false;
  out.srcPort = out.dstPort = 0;
  out.payloadOffset = out.payloadCapLen = out.payloadLen = 0;
}

/** Decodes the inner packet (an Ethernet frame or an IP packet) of a tunnel layer. */
function tunnelInto(
  L: Layers,
  kind: TunnelKind,
  sport: number,
  dport: number,
  id: number,
  ethernet: boolean,
  buf: Uint8Array,
  off: number,
  end: number,
  wend: number,
): number {
  const out = L.out;
  const depth = L.depth;
  const vlan = out.vlan;
  const innerVlan = out.innerVlan;
  if (!enterTunnel(L, kind, sport, dport, id)) return NOT_A_TUNNEL;
  const r = ethernet ? L.ethernet(buf, off, end, wend) : L.ip(buf, off, end, wend);
  if (!L.tunnelPending) return r;
  // No inner IP header was reached: undo, so the caller keeps the carrier's flow.
  L.tunnelPending = false;
  L.depth = depth;
  out.vlan = vlan;
  out.innerVlan = innerVlan;
  return NOT_A_TUNNEL;
}

/** IP protocol 4 (IPv4 inside) or 41 (IPv6 inside). */
export function decodeIpInIp(
  L: Layers,
  proto: number,
  buf: Uint8Array,
  off: number,
  end: number,
  dend: number,
): number {
  if (end > off && buf[off] >> 4 !== (proto === 4 ? 4 : 6)) {
    L.weird(Weird.invalidInnerIpVersion);
    return NOT_A_TUNNEL;
  }
  return tunnelInto(L, TunnelKind.IpInIp, 0, 0, -1, false, buf, off, end, dend);
}

/**
 * GRE. Version 0 is followed into IP, Ethernet (0x6558) and ERSPAN; PPTP's enhanced GRE (version 1)
 * carries PPP, which we do not follow, so it stays a protocol-47 flow, as do unknown payload types.
 */
export function decodeGre(L: Layers, buf: Uint8Array, off: number, end: number, dend: number): number {
  if (end - off < 4) {
    L.weird(Weird.truncatedGre);
    return NOT_A_TUNNEL;
  }
  const flags = (buf[off] << 8) | buf[off + 1];
  const version = flags & 7;
  if (version === 1) return NOT_A_TUNNEL;
  if (version !== 0) {
    L.weird(Weird.unknownGreVersion);
    return NOT_A_TUNNEL;
  }
  const proto = (buf[off + 2] << 8) | buf[off + 3];
  let p = off + 4;
  if (flags & 0xc000) p += 4; // checksum and offset, present if either C or R is set
  let key = -1;
  if (flags & 0x2000) {
    if (end - p < 4) {
      L.weird(Weird.truncatedGre);
      return NOT_A_TUNNEL;
    }
    key = ((buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3]) >>> 0;
    p += 4;
  }
  if (flags & 0x1000) p += 4; // sequence number
  if (flags & 0x4000) {
    // RFC 1701 source route entries, up to a null entry.
    for (;;) {
      if (end - p < 4) {
        L.weird(Weird.truncatedGre);
        return NOT_A_TUNNEL;
      }
      const family = (buf[p] << 8) | buf[p + 1];
      const sreLen = buf[p + 3];
      p += 4 + sreLen;
      if (family === 0 && sreLen === 0) break;
    }
  }
  if (p > end) {
    L.weird(Weird.truncatedGre);
    return NOT_A_TUNNEL;
  }
  switch (proto) {
    case 0x0800:
    case 0x86dd:
      return tunnelInto(L, TunnelKind.Gre, 0, 0, key, false, buf, p, end, dend);
    case 0x6558:
      return tunnelInto(L, TunnelKind.Gre, 0, 0, key, true, buf, p, end, dend);
    case 0x88be:
      // ERSPAN type II has an 8-byte header and GRE sequence numbers; type I has neither.
      if (flags & 0x1000) {
        if (end - p < 8) {
          L.weird(Weird.truncatedErspan);
          return NOT_A_TUNNEL;
        }
        p += 8;
      }
      return tunnelInto(L, TunnelKind.Gre, 0, 0, key, true, buf, p, end, dend);
    case 0x22eb:
      // ERSPAN type III: 12 bytes, plus an 8-byte platform subheader when the O bit is set.
      if (end - p < 12) {
        L.weird(Weird.truncatedErspan);
        return NOT_A_TUNNEL;
      }
      p += buf[p + 11] & 1 ? 20 : 12;
      return tunnelInto(L, TunnelKind.Gre, 0, 0, key, true, buf, p, end, dend);
    default:
      return NOT_A_TUNNEL;
  }
}

/**
 * UDP payloads on the tunnel ports: VXLAN (destination 4789), Geneve (destination 6081), Teredo
 * (3544 either way). Each is checked before being believed; a payload that does not fit stays UDP.
 */
export function decodeUdpTunnel(
  L: Layers,
  sport: number,
  dport: number,
  buf: Uint8Array,
  off: number,
  end: number,
  uend: number,
): number {
  if (dport === 4789) return decodeVxlan(L, sport, dport, buf, off, end, uend);
  if (dport === 6081) return decodeGeneve(L, sport, dport, buf, off, end, uend);
  return decodeTeredo(L, sport, dport, buf, off, end, uend);
}

function decodeVxlan(
  L: Layers,
  sport: number,
  dport: number,
  buf: Uint8Array,
  off: number,
  end: number,
  uend: number,
): number {
  // The I flag says the VNI is valid; without it this is not VXLAN as RFC 7348 defines it.
  if (end - off < 8 || uend - off < 8 + 14 || (buf[off] & 0x08) === 0) return NOT_A_TUNNEL;
  const vni = (buf[off + 4] << 16) | (buf[off + 5] << 8) | buf[off + 6];
  return tunnelInto(L, TunnelKind.Vxlan, sport, dport, vni, true, buf, off + 8, end, uend);
}

function decodeGeneve(
  L: Layers,
  sport: number,
  dport: number,
  buf: Uint8Array,
  off: number,
  end: number,
  uend: number,
): number {
  if (end - off < 8 || uend - off < 8 || buf[off] >> 6 !== 0) return NOT_A_TUNNEL;
  const p = off + 8 + ((buf[off] & 0x3f) << 2);
  const proto = (buf[off + 2] << 8) | buf[off + 3];
  const vni = (buf[off + 4] << 16) | (buf[off + 5] << 8) | buf[off + 6];
  switch (proto) {
    case 0x6558:
      return tunnelInto(L, TunnelKind.Geneve, sport, dport, vni, true, buf, p, end, uend);
    case 0x0800:
    case 0x86dd:
      return tunnelInto(L, TunnelKind.Geneve, sport, dport, vni, false, buf, p, end, uend);
    default:
      return NOT_A_TUNNEL;
  }
}

/**
 * Teredo (RFC 4380): optional authentication and origin indication, then an IPv6 packet that must
 * fill the datagram exactly (a bubble may be followed by junk), as Zeek requires before it believes
 * a port-3544 datagram is Teredo.
 */
function decodeTeredo(
  L: Layers,
  sport: number,
  dport: number,
  buf: Uint8Array,
  off: number,
  end: number,
  uend: number,
): number {
  let p = off;
  let origin = false;
  let auth = false;
  for (;;) {
    if (end - p < 2) return NOT_A_TUNNEL;
    const tag = (buf[p] << 8) | buf[p + 1];
    if (tag === 0) {
      if (origin || end - p < 8) return NOT_A_TUNNEL;
      origin = true;
      p += 8;
    } else if (tag === 1) {
      if (origin || auth || end - p < 4) return NOT_A_TUNNEL;
      // Header, client id, authentication value, nonce (8) and confirmation byte.
      const len = 4 + buf[p + 2] + buf[p + 3] + 9;
      if (end - p < len) return NOT_A_TUNNEL;
      auth = true;
      p += len;
    } else {
      break;
    }
  }
  if (end - p < 40 || buf[p] >> 4 !== 6) return NOT_A_TUNNEL;
  const ipLen = 40 + ((buf[p + 4] << 8) | buf[p + 5]);
  const avail = uend - p;
  if (ipLen !== avail) {
    if (ipLen !== 40 || buf[p + 6] !== 59 || avail < 40) return NOT_A_TUNNEL;
    L.weird(Weird.teredoBubbleWithPayload);
  }
  return tunnelInto(L, TunnelKind.Teredo, sport, dport, -1, false, buf, p, end, uend);
}
