/**
 * PAN-OS syslog field positions for TRAFFIC and THREAT logs, named with the field names of Palo Alto's
 * "Syslog Field Descriptions" (the `(name)` after each description). PAN-OS only appends fields, so one
 * table per log type serves every version: a shorter line simply ends earlier. Positions 0-46 (TRAFFIC)
 * and 0-40 (THREAT) are the same from PAN-OS 6.1 on; the comments give the version that added the rest.
 * Fields past the end of a table are kept in `extra` as `field_<index>`.
 */

/** Position (0-based) and name of every TRAFFIC field. */
export const TRAFFIC_FIELDS: readonly string[] = [
  'future_use_0', 'receive_time', 'serial', 'type', 'subtype', 'config_ver', 'time_generated', 'src', 'dst', 'natsrc',
  'natdst', 'rule', 'srcuser', 'dstuser', 'app', 'vsys', 'from', 'to', 'inbound_if', 'outbound_if',
  'logset', 'time_logged', 'sessionid', 'repeatcnt', 'sport', 'dport', 'natsport', 'natdport', 'flags', 'proto',
  'action', 'bytes', 'bytes_sent', 'bytes_received', 'packets', 'start', 'elapsed', 'category', 'future_use_38', 'seqno',
  'actionflags', 'srcloc', 'dstloc', 'future_use_43', 'pkts_sent', 'pkts_received', 'session_end_reason',
  // 7.0 and later
  'dg_hier_level_1', 'dg_hier_level_2', 'dg_hier_level_3', 'dg_hier_level_4', 'vsys_name', 'device_name', 'action_source',
  // 8.0 and later
  'src_uuid', 'dst_uuid', 'tunnelid', 'monitortag', 'parent_session_id', 'parent_start_time', 'tunnel',
  // 8.1 and later (SCTP); 65 fields in all, the shape of the TRAFFIC fixture
  'assoc_id', 'chunks', 'chunks_sent', 'chunks_received',
  // 9.0 / 9.1
  'rule_uuid', 'http2_connection', 'link_change_count', 'policy_id', 'link_switches', 'sdwan_cluster', 'sdwan_device_type',
  'sdwan_cluster_type', 'sdwan_site', 'dynusergroup_name',
  // 10.0 and later (device-ID, containers, EDLs, high resolution time, app characteristics)
  'xff_ip', 'src_category', 'src_profile', 'src_model', 'src_vendor', 'src_osfamily', 'src_osversion', 'src_host', 'src_mac',
  'dst_category', 'dst_profile', 'dst_model', 'dst_vendor', 'dst_osfamily', 'dst_osversion', 'dst_host', 'dst_mac',
  'container_id', 'pod_namespace', 'pod_name', 'src_edl', 'dst_edl', 'hostid', 'serialnumber', 'src_dag', 'dst_dag',
  'session_owner', 'high_res_timestamp', 'nssai_sst', 'nssai_sd', 'subcategory_of_app', 'category_of_app',
  'technology_of_app', 'risk_of_app', 'characteristic_of_app', 'container_of_app', 'tunneled_app', 'is_saas_of_app',
  'sanctioned_state_of_app', 'offloaded', 'flow_type', 'cluster_name',
];

/** Position (0-based) and name of every THREAT field. */
export const THREAT_FIELDS: readonly string[] = [
  'future_use_0', 'receive_time', 'serial', 'type', 'subtype', 'config_ver', 'time_generated', 'src', 'dst', 'natsrc',
  'natdst', 'rule', 'srcuser', 'dstuser', 'app', 'vsys', 'from', 'to', 'inbound_if', 'outbound_if',
  'logset', 'time_logged', 'sessionid', 'repeatcnt', 'sport', 'dport', 'natsport', 'natdport', 'flags', 'proto',
  'action', 'misc', 'threatid', 'category', 'severity', 'direction', 'seqno', 'actionflags', 'srcloc', 'dstloc',
  'future_use_40', 'contenttype', 'pcap_id', 'filedigest', 'cloud', 'url_idx', 'user_agent', 'filetype', 'xff', 'referer',
  'sender', 'subject', 'recipient', 'reportid',
  // 7.0 and later
  'dg_hier_level_1', 'dg_hier_level_2', 'dg_hier_level_3', 'dg_hier_level_4', 'vsys_name', 'device_name', 'future_use_60',
  // 8.0 and later
  'src_uuid', 'dst_uuid', 'http_method', 'tunnel_id', 'monitortag', 'parent_session_id', 'parent_start_time', 'tunnel',
  'thr_category', 'contentver', 'future_use_71',
  // 8.1 / 9.0 / 9.1
  'assoc_id', 'ppid', 'http_headers', 'url_category_list', 'rule_uuid', 'http2_connection', 'dynusergroup_name',
  // 10.0 and later
  'xff_ip', 'src_category', 'src_profile', 'src_model', 'src_vendor', 'src_osfamily', 'src_osversion', 'src_host', 'src_mac',
  'dst_category', 'dst_profile', 'dst_model', 'dst_vendor', 'dst_osfamily', 'dst_osversion', 'dst_host', 'dst_mac',
  'container_id', 'pod_namespace', 'pod_name', 'src_edl', 'dst_edl', 'hostid', 'serialnumber', 'domain_edl', 'src_dag',
  'dst_dag', 'partial_hash', 'high_res_timestamp', 'reason', 'justification', 'nssai_sst', 'subcategory_of_app',
  'category_of_app', 'technology_of_app', 'risk_of_app', 'characteristic_of_app', 'container_of_app', 'tunneled_app',
  'is_saas_of_app', 'sanctioned_state_of_app',
];

/** Index of a field by name in a table (resolved once, so the hot path uses numbers). */
function at(table: readonly string[], name: string): number {
  const i = table.indexOf(name);
  if (i < 0) throw new Error(`PAN-OS field ${name} missing from its table`);
  return i;
}

/** Positions the decoder reads, for both log types (the first 36 agree). */
export const P = {
  serial: 2,
  type: 3,
  subtype: 4,
  timeGenerated: 6,
  src: 7,
  dst: 8,
  natsrc: 9,
  natdst: 10,
  rule: 11,
  app: 14,
  from: 16,
  to: 17,
  inboundIf: 18,
  outboundIf: 19,
  sessionid: 22,
  sport: 24,
  dport: 25,
  natsport: 26,
  natdport: 27,
  proto: 29,
  action: 30,
  // TRAFFIC
  bytes: at(TRAFFIC_FIELDS, 'bytes'),
  packets: at(TRAFFIC_FIELDS, 'packets'),
  bytesSent: at(TRAFFIC_FIELDS, 'bytes_sent'),
  bytesReceived: at(TRAFFIC_FIELDS, 'bytes_received'),
  pktsSent: at(TRAFFIC_FIELDS, 'pkts_sent'),
  pktsReceived: at(TRAFFIC_FIELDS, 'pkts_received'),
  elapsed: at(TRAFFIC_FIELDS, 'elapsed'),
  trafficDevice: at(TRAFFIC_FIELDS, 'device_name'),
  trafficRuleUuid: at(TRAFFIC_FIELDS, 'rule_uuid'),
  trafficHighRes: at(TRAFFIC_FIELDS, 'high_res_timestamp'),
  // THREAT
  threatid: at(THREAT_FIELDS, 'threatid'),
  category: at(THREAT_FIELDS, 'category'),
  severity: at(THREAT_FIELDS, 'severity'),
  direction: at(THREAT_FIELDS, 'direction'),
  threatDevice: at(THREAT_FIELDS, 'device_name'),
  thrCategory: at(THREAT_FIELDS, 'thr_category'),
  threatHighRes: at(THREAT_FIELDS, 'high_res_timestamp'),
} as const;

/** Fewest fields a usable line has: through `elapsed` (TRAFFIC) or `direction` (THREAT). */
export const MIN_TRAFFIC_FIELDS = P.elapsed + 1;
/** Fewest fields a usable THREAT line has. */
export const MIN_THREAT_FIELDS = P.direction + 1;
