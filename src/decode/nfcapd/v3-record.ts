/**
 * nfdump 1.7's V3 flow record (type 11): a 12-byte header (size, element count, engine, internal
 * exporter id, flags, NetFlow version) followed by extension elements, each with a type and a
 * length. Known elements fill the shared FlowRecord; unknown ones are stepped over by their length
 * and counted. Elements are little-endian, addresses in host order (see addresses.ts).
 */
import type { FlowRecord } from '../netflow/flow-record.js';
import { ipv4LeText, ipv6LeText, le16, le32, le64 } from './addresses.js';

/** V3 record header flag: the counts were already multiplied by the sampling rate by nfcapd. */
export const V3_FLAG_SAMPLED = 2;

/** What one V3 record held besides the FlowRecord fields. */
export class V3Extras {
  /** Internal exporter id (the exporter info record's sysid). */
  sysid = 0;
  flags = 0;
  nfversion = 0;
  /** Router address from the ipReceived element. */
  received: string | null = null;
  /** Sampler selector id from the samplerInfo element. */
  selector: number | null = null;
  /** Unknown element types met in this record (at most a few, reported by the caller). */
  unknownCount = 0;
  readonly unknown = new Uint16Array(16);
  /** nfdump-only values worth keeping in `extra` (null when all default). */
  more: Record<string, string | number> | null = null;
}

/** Why a V3 record was rejected, or null when it was read. */
export type V3Problem = 'bad_element_length' | null;

/** Reads the V3 record at b[p, p + size) into `rec` and `x`. */
export function readV3Record(b: Uint8Array, p: number, size: number, rec: FlowRecord, x: V3Extras): V3Problem {
  rec.reset();
  x.received = null;
  x.selector = null;
  x.unknownCount = 0;
  x.more = null;
  const n = le16(b, p + 4);
  rec.domain = (b[p + 6] << 8) | b[p + 7];
  x.sysid = le16(b, p + 8);
  x.flags = b[p + 10];
  x.nfversion = b[p + 11];
  const end = p + size;
  let e = p + 12;
  for (let i = 0; i < n; i++) {
    if (e + 4 > end) return 'bad_element_length';
    const type = le16(b, e);
    const len = le16(b, e + 2);
    if (len < 4 || e + len > end) return 'bad_element_length';
    const v = e + 4;
    const vlen = len - 4;
    if (!element(type, b, v, vlen, rec, x)) {
      if (x.unknownCount < x.unknown.length) x.unknown[x.unknownCount] = type;
      x.unknownCount++;
    }
    e += len;
  }
  return null;
}

function more(x: V3Extras, k: string, v: string | number): void {
  (x.more ??= {})[k] = v;
}

/** Reads one element; false when its type is unknown or it is too short for its type. */
function element(type: number, b: Uint8Array, v: number, len: number, rec: FlowRecord, x: V3Extras): boolean {
  switch (type) {
    case 1: // generic flow
      if (len < 48) return false;
      rec.ts = le64(b, v) * 1000;
      rec.end = le64(b, v + 8) * 1000;
      rec.packets = le64(b, v + 24);
      rec.bytes = le64(b, v + 32);
      rec.srcPort = le16(b, v + 40);
      rec.dstPort = le16(b, v + 42);
      rec.proto = b[v + 44];
      rec.tcpFlags = b[v + 45];
      rec.tos = b[v + 47];
      // nfdump keeps ICMP type << 8 | code in the destination port.
      if (rec.proto === 1 || rec.proto === 58) rec.icmpTypeCode = rec.dstPort;
      if (b[v + 46] !== 0) more(x, 'fwd_status', b[v + 46]);
      return true;
    case 2: // IPv4 addresses
      if (len < 8) return false;
      rec.srcAddr = ipv4LeText(b, v);
      rec.dstAddr = ipv4LeText(b, v + 4);
      return true;
    case 3: // IPv6 addresses
      if (len < 32) return false;
      rec.srcAddr = ipv6LeText(b, v);
      rec.dstAddr = ipv6LeText(b, v + 16);
      return true;
    case 4: // flow misc: interfaces, masks, direction
      if (len < 14) return false;
      rec.inIf = le32(b, v);
      rec.outIf = le32(b, v + 4);
      rec.srcMask = b[v + 8];
      rec.dstMask = b[v + 9];
      rec.direction = b[v + 10];
      if (b[v + 11] !== 0) more(x, 'dst_tos', b[v + 11]);
      if (b[v + 12] !== 0) more(x, 'biflow_direction', b[v + 12]);
      if (b[v + 13] !== 0) more(x, 'flow_end_reason', b[v + 13]);
      return true;
    case 5: // counters: aggregated flows, reverse packets and bytes
      if (len < 24) return false;
      if (le64(b, v) > 1) more(x, 'aggregated_flows', le64(b, v));
      rec.respPackets = le64(b, v + 8);
      rec.respBytes = le64(b, v + 16);
      if (rec.respPackets === 0 && rec.respBytes === 0) rec.respPackets = rec.respBytes = null;
      return true;
    case 6: // VLAN
      if (len < 8) return false;
      rec.vlan = le32(b, v);
      if (le32(b, v + 4) !== 0) more(x, 'dst_vlan', le32(b, v + 4));
      return true;
    case 7: // AS numbers
      if (len < 8) return false;
      rec.srcAs = le32(b, v);
      rec.dstAs = le32(b, v + 4);
      return true;
    case 8: // BGP next hop v4
      if (len < 4) return false;
      more(x, 'bgp_next_hop', ipv4LeText(b, v));
      return true;
    case 9: // BGP next hop v6
      if (len < 16) return false;
      more(x, 'bgp_next_hop', ipv6LeText(b, v));
      return true;
    case 10: // IP next hop v4
      if (len < 4) return false;
      rec.nextHop = ipv4LeText(b, v);
      return true;
    case 11: // IP next hop v6
      if (len < 16) return false;
      rec.nextHop = ipv6LeText(b, v);
      return true;
    case 12: // router address v4
      if (len < 4) return false;
      x.received = ipv4LeText(b, v);
      return true;
    case 13: // router address v6
      if (len < 16) return false;
      x.received = ipv6LeText(b, v);
      return true;
    case 18: // sampler info: selector id (64-bit in 1.7.2+, 32-bit before)
      if (len >= 16) x.selector = le64(b, v);
      else if (len >= 4) x.selector = le32(b, v) | 0;
      else return false;
      if (x.selector > 0) rec.samplerId = x.selector;
      return true;
    case 19: // NSEL common: event time, connection id, firewall event
      if (len < 15) return false;
      rec.firewallEvent = b[v + 14];
      more(x, 'event_ts', le64(b, v) * 1000);
      if (le32(b, v + 8) !== 0) more(x, 'conn_id', le32(b, v + 8));
      if (le16(b, v + 12) !== 0) more(x, 'fw_ext_event', le16(b, v + 12));
      return true;
    case 20: // NAT translated IPv4 addresses
      if (len < 8) return false;
      rec.natSrcAddr = ipv4LeText(b, v);
      rec.natDstAddr = ipv4LeText(b, v + 4);
      return true;
    case 21: // NAT translated IPv6 addresses
      if (len < 32) return false;
      rec.natSrcAddr = ipv6LeText(b, v);
      rec.natDstAddr = ipv6LeText(b, v + 16);
      return true;
    case 22: // NAT translated ports
      if (len < 4) return false;
      rec.natSrcPort = le16(b, v);
      rec.natDstPort = le16(b, v + 2);
      return true;
    case 25: // NEL common: event time, NAT pool, NAT event (older files carry two VRF ids before the pool)
      if (len < 13) return false;
      more(x, 'event_ts', le64(b, v) * 1000);
      rec.natEvent = len >= 21 ? b[v + 20] : b[v + 12];
      return true;
    case 26: // NEL port block
      if (len < 8) return false;
      more(x, 'nat_port_block', `${le16(b, v)}-${le16(b, v + 2)}`);
      return true;
    default:
      return false;
  }
}
