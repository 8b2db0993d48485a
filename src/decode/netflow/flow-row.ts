/**
 * Maps a FlowRecord onto the CONNECTIONS table: the shared key columns (with Community ID) through
 * writeFlowKey, counts into the originator columns (a one-way flow; biflow reverse counts into the
 * responder ones), and everything without a column into `extra` as JSON, raw counts included.
 */
import { CONNECTIONS, columnIndex } from '../../model/fields.js';
import type { ColumnBatch } from '../../store/column-batch.js';
import type { DecodeContext } from '../decoder.js';
import { writeFlowKey, type FlowKey } from '../flow-key.js';
import type { FlowRecord } from './flow-record.js';
import { flowExtraJson } from './flow-extra-json.js';

const C = columnIndex(CONNECTIONS);
const key: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };

/** Source type of a record's rows: `netflow` for v5/v9, `ipfix` for IPFIX. */
export function flowSourceType(rec: FlowRecord): 'netflow' | 'ipfix' {
  return rec.version === 10 ? 'ipfix' : 'netflow';
}

/**
 * Writes `rec` into row `row` of a CONNECTIONS batch. The count columns hold the sampling-corrected
 * counts (equal to the exported ones when unsampled); the exported counts and the rate go to `extra`.
 */
export function writeFlowRow(batch: ColumnBatch, row: number, rec: FlowRecord, ctx: Pick<DecodeContext, 'sensor' | 'ingestId'>): void {
  const src = flowSourceType(rec);
  let origP = rec.srcPort;
  let respP = rec.dstPort;
  const icmp = rec.proto === 1 || rec.proto === 58;
  if (icmp) {
    // Zeek's convention: ICMP type in orig_p, code in resp_p. v5/v9 exporters put type<<8|code in the
    // destination port when they have no ICMP element.
    const tc = rec.icmpTypeCode ?? (rec.srcPort === 0 || rec.srcPort === null ? rec.dstPort : null);
    if (tc !== null) {
      origP = tc >> 8;
      respP = tc & 255;
    }
  }
  key.tsMicros = rec.ts;
  key.origH = rec.srcAddr;
  key.respH = rec.dstAddr;
  key.origP = origP;
  key.respP = respP;
  key.proto = rec.proto === null ? null : String(rec.proto);
  writeFlowKey(batch, row, key, src, ctx.sensor ?? rec.exporter, ctx.ingestId);
  if (rec.end !== null) batch.setNum(C.end_ts, row, rec.end);
  if (rec.ts !== null && rec.end !== null && rec.end >= rec.ts) batch.setNum(C.duration, row, (rec.end - rec.ts) / 1e6);
  if (rec.scaledBytes !== null) batch.setNum(C.orig_ip_bytes, row, rec.scaledBytes);
  if (rec.scaledPackets !== null) batch.setNum(C.orig_pkts, row, rec.scaledPackets);
  const rate = rec.samplingRate !== null && rec.samplingRate > 1 ? rec.samplingRate : 1;
  if (rec.respBytes !== null) batch.setNum(C.resp_ip_bytes, row, Math.round(rec.respBytes * rate));
  if (rec.respPackets !== null) batch.setNum(C.resp_pkts, row, Math.round(rec.respPackets * rate));
  batch.setStr(C.state_reason, row, src);
  batch.setStr(C.extra, row, flowExtraJson(rec));
}

/** The `extra` object of a flow row: exporter identity, raw and scaled counts, and every other element. */
export function flowExtra(rec: FlowRecord): Record<string, unknown> {
  const x: Record<string, unknown> = { exporter: rec.exporter, version: rec.version };
  x[rec.version === 10 ? 'observation_domain' : rec.version === 9 ? 'source_id' : 'engine'] = rec.domain;
  put(x, 'bytes_raw', rec.bytes);
  put(x, 'packets_raw', rec.packets);
  put(x, 'sampling_rate', rec.samplingRate);
  put(x, 'bytes_scaled', rec.scaledBytes);
  put(x, 'packets_scaled', rec.scaledPackets);
  put(x, 'resp_bytes_raw', rec.respBytes);
  put(x, 'resp_packets_raw', rec.respPackets);
  put(x, 'src_port', rec.srcPort);
  put(x, 'dst_port', rec.dstPort);
  put(x, 'tcp_flags', rec.tcpFlags);
  put(x, 'tos', rec.tos);
  put(x, 'direction', rec.direction === null ? null : rec.direction === 0 ? 'ingress' : rec.direction === 1 ? 'egress' : rec.direction);
  put(x, 'in_if', rec.inIf);
  put(x, 'out_if', rec.outIf);
  put(x, 'next_hop', rec.nextHop);
  put(x, 'src_as', rec.srcAs);
  put(x, 'dst_as', rec.dstAs);
  put(x, 'src_mask', rec.srcMask);
  put(x, 'dst_mask', rec.dstMask);
  put(x, 'vlan', rec.vlan);
  put(x, 'icmp_type_code', rec.icmpTypeCode);
  put(x, 'sampler_id', rec.samplerId);
  put(x, 'nat_src_h', rec.natSrcAddr);
  put(x, 'nat_dst_h', rec.natDstAddr);
  put(x, 'nat_src_p', rec.natSrcPort);
  put(x, 'nat_dst_p', rec.natDstPort);
  put(x, 'nat_event', rec.natEvent);
  put(x, 'firewall_event', rec.firewallEvent);
  if (rec.extraCount > 0 || rec.derived !== null) x.elements = rec.extras();
  return x;
}

function put(x: Record<string, unknown>, k: string, v: unknown): void {
  if (v !== null && v !== undefined) x[k] = v;
}
