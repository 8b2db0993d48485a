/**
 * Reads the standard (enterprise 0) flow records of an sFlow v5 flow sample into the reused
 * SflowFlowSample: the raw packet header (handed to the project's PacketDecoder), sampled Ethernet,
 * IPv4 and IPv6, and the extended switch, router, gateway, user and URL records. Every length comes
 * from the datagram, so each read is checked against the record's end first; nothing throws.
 */
import { PacketDecoder } from '../packet/decode-packet.js';
import { LinkType, PacketInfo } from '../packet/packet-info.js';
import { readAddress, readString, u32 } from './sflow-read.js';
import { MAX_AS_PATH, MAX_COMMUNITIES, type SflowErrorCode, type SflowFlowSample } from './sflow-types.js';

/** Standard flow record formats this module reads. */
export const FlowRecordFormat = {
  RawHeader: 1,
  Ethernet: 2,
  Ipv4: 3,
  Ipv6: 4,
  Switch: 1001,
  Router: 1002,
  Gateway: 1003,
  User: 1004,
  Url: 1005,
} as const;

/** Longest user name or URL kept, in bytes; longer ones are cut. */
const MAX_TEXT = 512;

/** Link type for an sFlow header protocol (1 Ethernet, 11 IPv4, 12 IPv6), or -1 when not decoded. */
export function headerLinkType(headerProtocol: number): number {
  if (headerProtocol === 1) return LinkType.ETHERNET;
  if (headerProtocol === 11) return LinkType.IPV4;
  if (headerProtocol === 12) return LinkType.IPV6;
  return -1;
}

/** Decodes flow records with one reused PacketDecoder and PacketInfo (no allocation per record). */
export class FlowRecordReader {
  /** Raw headers whose packet could not be taken down to IP. */
  undecodedHeaders = 0;
  private readonly decoder: PacketDecoder;
  private readonly pi = new PacketInfo();
  private readonly scratch = { text: '', next: 0 };

  constructor() {
    // Sampled headers are independent packets: never hold fragments for reassembly.
    this.decoder = new PacketDecoder({ maxFragmentBytes: 0 });
  }

  /**
   * Reads the record of format `format` in `b[p, end)` into `s`; returns a damage code, or null when
   * the record was read or is of a format this reader skips (then `s.unknownRecords` grows).
   */
  read(format: number, b: Uint8Array, p: number, end: number, s: SflowFlowSample): SflowErrorCode | null {
    switch (format) {
      case FlowRecordFormat.RawHeader:
        return this.rawHeader(b, p, end, s);
      case FlowRecordFormat.Ethernet:
        if (end - p < 24) return 'record_too_short';
        s.hasEthernet = true;
        s.ethLength = u32(b, p);
        for (let i = 0; i < 6; i++) {
          s.srcMac[i] = b[p + 4 + i];
          s.dstMac[i] = b[p + 12 + i];
        }
        s.ethType = u32(b, p + 20);
        if (!s.hasHeader) s.frameLength = s.ethLength;
        return null;
      case FlowRecordFormat.Ipv4:
        return end - p < 32 ? 'record_too_short' : sampledIp(b, p, 4, s);
      case FlowRecordFormat.Ipv6:
        return end - p < 56 ? 'record_too_short' : sampledIp(b, p, 16, s);
      case FlowRecordFormat.Switch:
        if (end - p < 16) return 'record_too_short';
        s.hasSwitch = true;
        s.srcVlan = u32(b, p);
        s.srcPriority = u32(b, p + 4);
        s.dstVlan = u32(b, p + 8);
        s.dstPriority = u32(b, p + 12);
        return null;
      case FlowRecordFormat.Router: {
        const a = this.scratch;
        if (!readAddress(b, p, end, a) || a.next + 8 > end) return 'record_too_short';
        s.hasRouter = true;
        s.routerNextHop = a.text;
        s.srcMask = u32(b, a.next);
        s.dstMask = u32(b, a.next + 4);
        return null;
      }
      case FlowRecordFormat.Gateway:
        return this.gateway(b, p, end, s);
      case FlowRecordFormat.User: {
        const a = this.scratch;
        if (p + 4 > end || !readString(b, p + 4, end, MAX_TEXT, a)) return 'record_too_short';
        const src = a.text;
        if (a.next + 4 > end || !readString(b, a.next + 4, end, MAX_TEXT, a)) return 'record_too_short';
        s.srcUser = src;
        s.dstUser = a.text;
        return null;
      }
      case FlowRecordFormat.Url: {
        const a = this.scratch;
        if (p + 4 > end || !readString(b, p + 4, end, MAX_TEXT, a)) return 'record_too_short';
        const url = a.text;
        // The host string was added in a later revision; old agents end the record after the URL.
        const host = a.next < end && readString(b, a.next, end, MAX_TEXT, a) ? a.text : null;
        s.urlDirection = u32(b, p);
        s.url = url;
        s.urlHost = host;
        return null;
      }
      default:
        s.unknownRecords++;
        return null;
    }
  }

  private rawHeader(b: Uint8Array, p: number, end: number, s: SflowFlowSample): SflowErrorCode | null {
    if (end - p < 16) return 'record_too_short';
    const protocol = u32(b, p);
    const frameLength = u32(b, p + 4);
    const stripped = u32(b, p + 8);
    const headerLength = u32(b, p + 12);
    if (headerLength > end - p - 16) return 'record_too_short';
    s.hasHeader = true;
    s.headerProtocol = protocol;
    s.frameLength = frameLength;
    s.stripped = stripped;
    s.headerLength = headerLength;
    const link = headerLinkType(protocol);
    if (link < 0) {
      this.undecodedHeaders++;
      return null;
    }
    const pi = this.pi;
    const wire = frameLength > stripped ? frameLength - stripped : 0;
    this.decoder.decode(link, b, p + 16, headerLength, wire > headerLength ? wire : headerLength, s.tsMicros, pi);
    if (pi.ipVersion === 0) {
      this.undecodedHeaders++;
      return null;
    }
    const n = pi.ipVersion === 4 ? 4 : 16;
    for (let i = 0; i < n; i++) {
      s.src[i] = pi.src[i];
      s.dst[i] = pi.dst[i];
    }
    s.tupleSource = 1;
    s.ipVersion = pi.ipVersion;
    s.ipProto = pi.ipProto;
    const ports = pi.transportOk && hasPorts(pi.ipProto);
    s.portsOk = ports;
    s.srcPort = ports ? pi.srcPort : 0;
    s.dstPort = ports ? pi.dstPort : 0;
    s.tcpFlags = pi.transportOk && pi.ipProto === 6 ? pi.tcpFlags : 0;
    s.ipLen = pi.ipLen;
    s.vlan = pi.vlan;
    s.innerVlan = pi.innerVlan;
    return null;
  }

  private gateway(b: Uint8Array, p: number, end: number, s: SflowFlowSample): SflowErrorCode | null {
    const a = this.scratch;
    if (!readAddress(b, p, end, a) || a.next + 16 > end) return 'record_too_short';
    let q = a.next;
    s.gatewayNextHop = a.text;
    s.routerAs = u32(b, q);
    s.srcAs = u32(b, q + 4);
    s.srcPeerAs = u32(b, q + 8);
    const segments = u32(b, q + 12);
    q += 16;
    // Each segment takes at least 8 bytes: a count larger than the record can hold is damage.
    if (segments > (end - q) / 8) return 'absurd_record_count';
    let kept = 0;
    for (let i = 0; i < segments; i++) {
      if (q + 8 > end) return 'record_too_short';
      const count = u32(b, q + 4);
      q += 8;
      if (count > (end - q) / 4) return 'absurd_record_count';
      for (let j = 0; j < count; j++) {
        if (kept < MAX_AS_PATH) s.asPath[kept++] = u32(b, q);
        else s.gatewayTruncated = true;
        q += 4;
      }
    }
    if (q + 4 > end) return 'record_too_short';
    const communities = u32(b, q);
    q += 4;
    if (communities > (end - q) / 4) return 'absurd_record_count';
    let c = 0;
    for (let i = 0; i < communities; i++) {
      if (c < MAX_COMMUNITIES) s.communities[c++] = u32(b, q);
      else s.gatewayTruncated = true;
      q += 4;
    }
    s.asPathLength = kept;
    s.communityCount = c;
    // Local preference was added in a later revision of the record; absent in older agents.
    s.localPref = q + 4 <= end ? u32(b, q) : 0;
    s.hasGateway = true;
    return null;
  }
}

/** Protocols whose flows have ports (ICMP and ICMPv6: type and code). */
function hasPorts(proto: number): boolean {
  return proto === 6 || proto === 17 || proto === 132 || proto === 1 || proto === 58;
}

function sampledIp(b: Uint8Array, p: number, n: 4 | 16, s: SflowFlowSample): null {
  const len = u32(b, p);
  if (!s.hasHeader && !s.hasEthernet) s.frameLength = len;
  if (s.tupleSource === 1) return null; // the decoded header is the better source
  s.tupleSource = n === 4 ? 3 : 4;
  s.ipVersion = n === 4 ? 4 : 6;
  s.ipProto = u32(b, p + 4) & 0xff;
  for (let i = 0; i < n; i++) {
    s.src[i] = b[p + 8 + i];
    s.dst[i] = b[p + 8 + n + i];
  }
  const q = p + 8 + 2 * n;
  s.srcPort = u32(b, q) & 0xffff;
  s.dstPort = u32(b, q + 4) & 0xffff;
  s.portsOk = hasPorts(s.ipProto);
  s.tcpFlags = u32(b, q + 8) & 0xff;
  s.tos = u32(b, q + 12);
  s.ipLen = len;
  return null;
}
