/**
 * Maps one sFlow flow sample to a row of the CONNECTIONS table. A sample is one packet standing for
 * `sampling rate` packets, so the counters hold the scaled estimate and `extra` keeps the raw values
 * (one packet, its frame length) with the sampling rate, interfaces, VLANs and routing data.
 */
import { communityIdOfAddrs } from '../../model/community-id.js';
import { CONNECTIONS, columnIndex } from '../../model/fields.js';
import type { ColumnBatch } from '../../store/column-batch.js';
import { protoName, writeFlowKey, type FlowKey } from '../flow-key.js';
import { addressText } from './sflow-read.js';
import type { SflowFlowSample } from './sflow-types.js';

/** What a row needs besides the sample: the ingest it belongs to. */
export interface SflowRowContext {
  /** Ingest id every row carries. */
  readonly ingestId: number;
}

const C = columnIndex(CONNECTIONS);

const key: FlowKey = {
  tsMicros: null,
  uid: null,
  origH: null,
  origP: null,
  respH: null,
  respP: null,
  proto: null,
  communityId: null,
};

/** Writes `sample` into `row` of a CONNECTIONS batch (source_type `sflow`, sensor = agent address). */
export function writeSflowRow(batch: ColumnBatch, row: number, sample: SflowFlowSample, ctx: SflowRowContext): void {
  const s = sample;
  const hasIp = s.tupleSource !== 0;
  const v6 = s.ipVersion === 6;
  key.tsMicros = s.tsMicros;
  key.origH = hasIp ? addressText(s.src, 0, v6) : null;
  key.respH = hasIp ? addressText(s.dst, 0, v6) : null;
  key.origP = hasIp && s.portsOk ? s.srcPort : null;
  key.respP = hasIp && s.portsOk ? s.dstPort : null;
  key.proto = hasIp ? protoName(s.ipProto) : null;
  // From the address bytes: cheaper than letting writeFlowKey parse the text back.
  key.communityId = hasIp ? communityIdOfAddrs(s.src, s.dst, v6 ? 16 : 4, key.origP ?? 0, key.respP ?? 0, s.ipProto) : null;
  writeFlowKey(batch, row, key, 'sflow', s.agent, ctx.ingestId);
  batch.setNum(C.orig_pkts, row, s.scaledPackets);
  batch.setNum(C.orig_ip_bytes, row, s.scaledBytes);
  batch.setStr(C.state_reason, row, 'sflow');
  batch.setStr(C.extra, row, extraJson(s));
}

/** The sample's fields without a column, as JSON text (built by hand: this runs once per sample). */
export function extraJson(s: SflowFlowSample): string {
  let j =
    `{"exporter":${JSON.stringify(s.exporter)},"sub_agent_id":${s.subAgentId},"uptime_ms":${s.uptimeMs}` +
    `,"sample_seq":${s.sequence},"source_id_type":${s.sourceIdType},"source_id_index":${s.sourceIdIndex}` +
    `,"expanded":${s.expanded},"sampling_rate":${s.samplingRate},"sample_pool":${s.samplePool},"drops":${s.drops}` +
    `,"input_format":${s.inputFormat},"input":${s.inputValue},"output_format":${s.outputFormat},"output":${s.outputValue}` +
    `,"raw_pkts":1,"raw_bytes":${s.frameLength}`;
  if (s.hasHeader) j += `,"header_protocol":${s.headerProtocol},"stripped":${s.stripped},"header_len":${s.headerLength}`;
  if (s.ipLen > 0) j += `,"ip_len":${s.ipLen}`;
  if (s.ipProto === 6 && s.portsOk) j += `,"tcp_flags":${s.tcpFlags}`;
  if (s.tos >= 0) j += `,"tos":${s.tos}`;
  if (s.vlan >= 0) j += `,"vlan":${s.vlan}`;
  if (s.innerVlan >= 0) j += `,"inner_vlan":${s.innerVlan}`;
  if (s.hasEthernet) j += `,"eth_type":${s.ethType}`;
  if (s.hasSwitch) {
    j += `,"src_vlan":${s.srcVlan},"src_priority":${s.srcPriority},"dst_vlan":${s.dstVlan},"dst_priority":${s.dstPriority}`;
  }
  if (s.hasRouter) j += `,"next_hop":${JSON.stringify(s.routerNextHop)},"src_mask":${s.srcMask},"dst_mask":${s.dstMask}`;
  if (s.hasGateway) {
    j +=
      `,"bgp_next_hop":${JSON.stringify(s.gatewayNextHop)},"as":${s.routerAs},"src_as":${s.srcAs},"src_peer_as":${s.srcPeerAs}` +
      `,"as_path":[${s.asPath.subarray(0, s.asPathLength).join(',')}]` +
      `,"communities":[${s.communities.subarray(0, s.communityCount).join(',')}],"local_pref":${s.localPref}`;
    if (s.gatewayTruncated) j += ',"gateway_truncated":true';
  }
  if (s.srcUser !== null) j += `,"src_user":${JSON.stringify(s.srcUser)},"dst_user":${JSON.stringify(s.dstUser)}`;
  if (s.url !== null) j += `,"url":${JSON.stringify(s.url)},"url_host":${JSON.stringify(s.urlHost)},"url_direction":${s.urlDirection}`;
  if (s.unknownRecords > 0) j += `,"unknown_records":${s.unknownRecords}`;
  return j + '}';
}
