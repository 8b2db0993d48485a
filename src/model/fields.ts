/**
 * The field registry: every stored field is documented once here (name, type, meaning, Zeek and ECS
 * equivalents). Store schemas, column indexes, the query layer and `nightjar fields` are all generated
 * from these tables, so a field is never described in two places.
 */

/** Storage types a field can have; each engine's dialect maps them to its own SQL types. */
export type FieldType =
  | 'timestamp' // microseconds since the Unix epoch, UTC
  | 'string'
  | 'u8'
  | 'u16'
  | 'u32'
  | 'u64'
  | 'i32'
  | 'f64'
  | 'bool'
  | 'string[]'
  | 'f64[]'
  | 'json'; // JSON text

/** One documented field of a stored table. */
export interface FieldDef {
  readonly name: string;
  readonly type: FieldType;
  readonly meaning: string;
  readonly zeek?: string;
  readonly ecs?: string;
  /** Values look random (hashes, ids): engines may skip trying to compress them. */
  readonly random?: boolean;
}

/** One stored table: an event kind and its fields in column order. */
export interface TableDef<N extends string = string> {
  readonly name: string;
  readonly kind: 'connection' | 'dns' | 'firewall' | 'finding' | 'metadata';
  readonly description: string;
  readonly fields: readonly (FieldDef & { readonly name: N })[];
}

function f(name: string, type: FieldType, meaning: string, zeek?: string, ecs?: string): FieldDef {
  return { name, type, meaning, zeek, ecs };
}

/** A field whose values look random (uids, hashes). */
function rnd(fd: FieldDef): FieldDef {
  return { ...fd, random: true };
}

/** Fields every event carries, so any record joins back to its connection and its source. */
const COMMON = [
  f('ts', 'timestamp', 'Time of the event (connection start for connections), microsecond precision, UTC', 'ts', '@timestamp'),
  rnd(f('uid', 'string', 'Connection identifier from the source (Zeek uid, Suricata flow_id)', 'uid', 'zeek.session_id')),
  rnd(f('community_id', 'string', 'Community ID v1 flow hash of the 5-tuple (computed when the source lacks it)', 'community_id', 'network.community_id')),
  f('orig_h', 'string', 'Originator (client) address', 'id.orig_h', 'source.ip'),
  f('orig_p', 'u16', 'Originator port (ICMP: type)', 'id.orig_p', 'source.port'),
  f('resp_h', 'string', 'Responder (server) address', 'id.resp_h', 'destination.ip'),
  f('resp_p', 'u16', 'Responder port (ICMP: code)', 'id.resp_p', 'destination.port'),
  f('proto', 'string', 'Transport protocol name (tcp, udp, icmp, icmp6, sctp, or the IANA number as text)', 'proto', 'network.transport'),
  f('ip_proto', 'u8', 'IANA IP protocol number', undefined, 'network.iana_number'),
  f('source_type', 'string', 'Kind of source the record came from (zeek, suricata, ...)', undefined, 'event.module'),
  f('sensor', 'string', 'Sensor, exporter or device that observed the event', '_system_name', 'observer.name'),
  f('ingest_id', 'i32', 'Ingest (file or stream) the record was loaded from; see the ingests table'),
] as const;

const EXTRA = f('extra', 'json', 'Source fields that have no column of their own, kept verbatim as JSON');

/** Connection summaries (Zeek conn.log, Suricata flow/netflow, flow exports). */
export const CONNECTIONS = {
  name: 'connections',
  kind: 'connection',
  description: 'Connection summaries: one row per bidirectional connection (or one direction, for one-way flow exports)',
  fields: [
    ...COMMON,
    f('service', 'string', 'Application protocol(s) identified, comma separated', 'service', 'network.protocol'),
    f('duration', 'f64', 'Duration in seconds', 'duration', 'event.duration'),
    f('orig_bytes', 'u64', 'Payload bytes sent by the originator', 'orig_bytes', 'source.bytes'),
    f('resp_bytes', 'u64', 'Payload bytes sent by the responder', 'resp_bytes', 'destination.bytes'),
    f('conn_state', 'string', 'Zeek connection state (S0, SF, REJ, ...)', 'conn_state'),
    f('local_orig', 'bool', 'Originator is in the local networks of the source', 'local_orig'),
    f('local_resp', 'bool', 'Responder is in the local networks of the source', 'local_resp'),
    f('missed_bytes', 'u64', 'Bytes missed in content gaps', 'missed_bytes'),
    f('history', 'string', 'Zeek connection history string', 'history'),
    f('orig_pkts', 'u64', 'Packets sent by the originator', 'orig_pkts', 'source.packets'),
    f('orig_ip_bytes', 'u64', 'IP-level bytes sent by the originator', 'orig_ip_bytes'),
    f('resp_pkts', 'u64', 'Packets sent by the responder', 'resp_pkts', 'destination.packets'),
    f('resp_ip_bytes', 'u64', 'IP-level bytes sent by the responder', 'resp_ip_bytes'),
    f('tunnel_parents', 'string[]', 'uids of the tunnels this connection was carried in', 'tunnel_parents'),
    f('end_ts', 'timestamp', 'Time of the last packet, when the source gives it', undefined, 'event.end'),
    f('state_reason', 'string', 'Why the source ended the connection record (timeout, closed, ...)', undefined),
    EXTRA,
    // Added by migration 2 (new fields go last: appenders write columns in table order).
    f('action', 'string', 'Decision when the source is a firewall or cloud flow log: allow, deny, drop or reject', undefined, 'event.action'),
    f('cloud_provider', 'string', 'Cloud the flow log came from (aws, gcp, azure)', undefined, 'cloud.provider'),
    f('cloud_account', 'string', 'Account, project or subscription', undefined, 'cloud.account.id'),
    f('cloud_region', 'string', 'Region or location', undefined, 'cloud.region'),
    f('cloud_vpc', 'string', 'VPC or VNet', undefined, 'network.name'),
    f('cloud_subnet', 'string', 'Subnet', undefined),
    f('cloud_instance', 'string', 'Instance, VM or network interface the flow was logged for', undefined, 'cloud.instance.id'),
  ],
} as const satisfies TableDef;

/** DNS transactions: a query and, when seen, its response. */
export const DNS = {
  name: 'dns',
  kind: 'dns',
  description: 'DNS transactions: one row per query (with its answers when the response was seen)',
  fields: [
    ...COMMON,
    f('trans_id', 'u16', 'DNS transaction id', 'trans_id', 'dns.id'),
    f('rtt', 'f64', 'Seconds between query and response', 'rtt'),
    f('query', 'string', 'Queried domain name', 'query', 'dns.question.name'),
    f('qclass', 'u16', 'Query class number', 'qclass'),
    f('qclass_name', 'string', 'Query class name', 'qclass_name', 'dns.question.class'),
    f('qtype', 'u16', 'Query type number', 'qtype'),
    f('qtype_name', 'string', 'Query type name (A, AAAA, ...)', 'qtype_name', 'dns.question.type'),
    f('rcode', 'u16', 'Response code number', 'rcode'),
    f('rcode_name', 'string', 'Response code name (NOERROR, NXDOMAIN, ...)', 'rcode_name', 'dns.response_code'),
    f('aa', 'bool', 'Authoritative answer flag', 'AA'),
    f('tc', 'bool', 'Truncation flag', 'TC'),
    f('rd', 'bool', 'Recursion desired flag', 'RD'),
    f('ra', 'bool', 'Recursion available flag', 'RA'),
    f('z', 'u8', 'Reserved Z bits', 'Z'),
    f('answers', 'string[]', 'Answer data (addresses, names, text)', 'answers', 'dns.answers.data'),
    f('ttls', 'f64[]', 'TTL of each answer, seconds', 'TTLs', 'dns.answers.ttl'),
    f('rejected', 'bool', 'The server rejected the query', 'rejected'),
    EXTRA,
  ],
} as const satisfies TableDef;

/** Firewall decisions: one row per logged allow/deny. */
export const FIREWALL = {
  name: 'firewall',
  kind: 'firewall',
  description: 'Firewall decisions: one row per logged packet or session decision',
  fields: [
    ...COMMON,
    f('action', 'string', 'Decision: allow, deny, drop or reject', undefined, 'event.action'),
    f('rule', 'string', 'Rule name or id that decided', undefined, 'rule.name'),
    f('in_iface', 'string', 'Ingress interface or zone', undefined, 'observer.ingress.interface.name'),
    f('out_iface', 'string', 'Egress interface or zone', undefined, 'observer.egress.interface.name'),
    f('bytes', 'u64', 'Bytes, when the device reports them', undefined, 'network.bytes'),
    f('packets', 'u64', 'Packets, when the device reports them', undefined, 'network.packets'),
    f('message', 'string', 'The original log line', undefined, 'event.original'),
    EXTRA,
    // Added by migration 2.
    f('rule_id', 'string', 'Rule number or id, when the device gives one besides a name', undefined, 'rule.id'),
    f('in_zone', 'string', 'Ingress zone', undefined, 'observer.ingress.zone'),
    f('out_zone', 'string', 'Egress zone', undefined, 'observer.egress.zone'),
    f('nat_orig_h', 'string', 'Source address after NAT', undefined, 'source.nat.ip'),
    f('nat_orig_p', 'u16', 'Source port after NAT', undefined, 'source.nat.port'),
    f('nat_resp_h', 'string', 'Destination address after NAT', undefined, 'destination.nat.ip'),
    f('nat_resp_p', 'u16', 'Destination port after NAT', undefined, 'destination.nat.port'),
    f('duration', 'f64', 'Session duration in seconds, when the device reports it', undefined, 'event.duration'),
  ],
} as const satisfies TableDef;

/** Findings: alerts from IDSs and, later, Nightjar's own detections. */
export const FINDINGS = {
  name: 'findings',
  kind: 'finding',
  description: 'Findings and alerts (Suricata alerts, Zeek notices, detections)',
  fields: [
    ...COMMON,
    f('signature', 'string', 'Signature or notice name', 'note', 'rule.name'),
    f('signature_id', 'u64', 'Signature id', undefined, 'rule.id'),
    f('rev', 'u32', 'Signature revision', undefined, 'rule.version'),
    f('category', 'string', 'Category', undefined, 'rule.category'),
    f('severity', 'u8', 'Severity as given by the source (Suricata: 1 is highest)', undefined, 'event.severity'),
    f('action', 'string', 'What the source did (allowed, blocked)', undefined, 'event.action'),
    f('app_proto', 'string', 'Application protocol of the flow', undefined, 'network.protocol'),
    EXTRA,
  ],
} as const satisfies TableDef;

/** Protocol metadata: every other log (Zeek http/ssl/files/..., Suricata http/tls/fileinfo/...). */
export const METADATA = {
  name: 'metadata',
  kind: 'metadata',
  description: 'Other protocol logs, kept whole as JSON and joined to connections by uid or community_id',
  fields: [
    ...COMMON,
    f('log', 'string', 'Log or event type (Zeek path such as http, Suricata event_type such as tls)', '_path', 'event.dataset'),
    f('data', 'json', 'The whole record as JSON'),
  ],
} as const satisfies TableDef;

/** Every event table, in a stable order. */
export const EVENT_TABLES = [CONNECTIONS, DNS, FIREWALL, FINDINGS, METADATA] as const;

/** Name of an event table. */
export type EventTableName = (typeof EVENT_TABLES)[number]['name'];

/** Map from a table's field names to their column index. */
export type ColumnIndex<T extends TableDef> = { readonly [K in T['fields'][number]['name']]: number };

/** Column index of every field of a table, so hot paths address columns by number. */
export function columnIndex<T extends TableDef>(table: T): ColumnIndex<T> {
  const out: Record<string, number> = {};
  table.fields.forEach((fd, i) => (out[fd.name] = i));
  return Object.freeze(out) as ColumnIndex<T>;
}

/** Looks up a table definition by name. */
export function tableByName(name: string): TableDef | undefined {
  return EVENT_TABLES.find((t) => t.name === name);
}
