/**
 * The decoded view of one packet, shared by the packet decoders (which fill it) and the flow table
 * (which reads it). One instance is reused for every packet: no per-packet allocation. Offsets point
 * into `buf`, which is the capture's own buffer, or a reassembly buffer after IP defragmentation.
 */

/** What decodePacket made of a packet. */
export const enum DecodeResult {
  /** A network-layer packet was decoded (transport fields valid when `transportOk`). */
  Ok = 0,
  /** An IP fragment was stored for reassembly; nothing to process yet. */
  FragmentHeld = 1,
  /** Not IP (ARP, LLDP, STP, ...): counted, not a connection. */
  NotIp = 2,
  /** Damaged or truncated below the transport layer; `weird` says why. */
  Malformed = 3,
  /** A link type or encapsulation Nightjar does not decode; `weird` says which. */
  Unsupported = 4,
}

/** Tunnel kinds recorded on the inner flow. */
export const enum TunnelKind {
  None = 0,
  IpInIp = 1, // 4in4, 6in4, 4in6, 6in6
  Gre = 2,
  Vxlan = 3,
  Geneve = 4,
  Teredo = 5,
}

/** One packet, decoded down to the transport header. */
export class PacketInfo {
  /** Capture timestamp, microseconds since the epoch. */
  tsMicros = 0;
  /** Length on the wire (as the capture reported). */
  wireLen = 0;
  /** Bytes captured (may be less than wireLen when a snaplen cut the packet). */
  capLen = 0;

  /** The buffer all offsets below refer to. */
  buf: Uint8Array = new Uint8Array(0);

  /** Outer and inner 802.1Q/802.1ad VLAN ids, or -1. */
  vlan = -1;
  innerVlan = -1;

  /** 4 or 6 (0 before decoding). */
  ipVersion = 0;
  /** Source and destination address bytes (4 used for IPv4, 16 for IPv6). */
  readonly src = new Uint8Array(16);
  readonly dst = new Uint8Array(16);
  /** IP protocol of the transport (after IPv6 extension headers). */
  ipProto = 0;
  /** Offset of the (innermost) IP header in `buf`. */
  ipOffset = 0;
  /** Length of the whole IP packet per its header (total length / payload length + 40). */
  ipLen = 0;
  /** TTL or hop limit. */
  ttl = 0;
  /** True when this packet was rebuilt from fragments. */
  reassembled = false;

  /** True when the transport header was fully captured and parsed. */
  transportOk = false;
  /** Ports (TCP, UDP, SCTP); for ICMP/ICMPv6: type in srcPort, code in dstPort. */
  srcPort = 0;
  dstPort = 0;
  /** TCP header fields. */
  tcpFlags = 0; // FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80
  tcpSeq = 0; // unsigned 32-bit, as a number
  tcpAck = 0;
  tcpWindow = 0;
  /** ICMP type and code (also in srcPort/dstPort). */
  icmpType = 0;
  icmpCode = 0;

  /** Transport payload: offset in `buf`, bytes captured, and length per the headers. */
  payloadOffset = 0;
  payloadCapLen = 0;
  payloadLen = 0;

  /** Innermost tunnel this packet was carried in, and its outer endpoints. */
  tunnel: TunnelKind = TunnelKind.None;
  readonly tunnelSrc = new Uint8Array(16);
  readonly tunnelDst = new Uint8Array(16);
  tunnelIpVersion = 0;
  /** The outer IP packet's total length and protocol (17 for UDP-based tunnels). */
  tunnelIpLen = 0;
  tunnelIpProto = 0;
  /** Outer ports of UDP-based tunnels (VXLAN, Geneve, Teredo), else 0. */
  tunnelSrcPort = 0;
  tunnelDstPort = 0;
  /** How many tunnel layers were peeled to reach the inner flow (0 when not tunnelled). */
  tunnelDepth = 0;
  /** VXLAN or Geneve VNI, or GRE key, of the innermost tunnel; -1 when it has none. */
  tunnelId = -1;

  /** Short reason code when the result is Malformed or Unsupported, or for a non-fatal anomaly. */
  weird = '';

  /** Resets every field before decoding the next packet. */
  reset(): void {
    this.vlan = this.innerVlan = -1;
    this.ipVersion = this.ipProto = this.ipOffset = this.ipLen = this.ttl = 0;
    this.reassembled = false;
    this.transportOk = false;
    this.srcPort = this.dstPort = this.tcpFlags = this.tcpSeq = this.tcpAck = this.tcpWindow = 0;
    this.icmpType = this.icmpCode = 0;
    this.payloadOffset = this.payloadCapLen = this.payloadLen = 0;
    this.tunnel = TunnelKind.None;
    this.tunnelIpVersion = this.tunnelSrcPort = this.tunnelDstPort = this.tunnelDepth = 0;
    this.tunnelId = -1;
    this.weird = '';
  }
}

/** Link-layer header types (LINKTYPE_* values as pcap and pcapng store them). */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  NFLOG: 239,
  PPP: 9,
  PPP_HDLC: 50,
  C_HDLC: 104,
  IEEE802_11: 105,
  PFLOG: 117,
  IEEE802_11_RADIOTAP: 127,
  LINUX_SLL2: 276,
  /** Raw IP as some old captures store it (DLT_RAW was 12 on most systems, 14 on OpenBSD). */
  RAW_LEGACY_12: 12,
  RAW_LEGACY_14: 14,
} as const;
