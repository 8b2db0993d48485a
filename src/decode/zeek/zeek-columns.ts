/**
 * Where Zeek log fields go in Nightjar's tables. The conn and dns columns are derived from the field
 * registry's `zeek` names, so the mapping is never written twice; every other log lands in `metadata`.
 * Also decides which log a record comes from when the source does not say.
 */
import { CONNECTIONS, DNS, type EventTableName, type FieldType, type TableDef } from '../../model/fields.js';

/** What a shared (flow key) field is; 0 means the field is not one of them. */
export const SHARED_NONE = 0;
/** Role of `ts`. */
export const SHARED_TS = 1;
/** Role of `uid`. */
export const SHARED_UID = 2;
/** Role of `id.orig_h`. */
export const SHARED_ORIG_H = 3;
/** Role of `id.orig_p`. */
export const SHARED_ORIG_P = 4;
/** Role of `id.resp_h`. */
export const SHARED_RESP_H = 5;
/** Role of `id.resp_p`. */
export const SHARED_RESP_P = 6;
/** Role of `proto`. */
export const SHARED_PROTO = 7;
/** Role of `community_id`. */
export const SHARED_CID = 8;
/** Role of `_system_name` (the sensor). */
export const SHARED_SENSOR = 9;

const ROLE_BY_FIELD: Record<string, number> = {
  ts: SHARED_TS,
  uid: SHARED_UID,
  orig_h: SHARED_ORIG_H,
  orig_p: SHARED_ORIG_P,
  resp_h: SHARED_RESP_H,
  resp_p: SHARED_RESP_P,
  proto: SHARED_PROTO,
  community_id: SHARED_CID,
  sensor: SHARED_SENSOR,
};

/** A table column a Zeek field is stored in. */
export interface ZeekColumn {
  readonly col: number;
  readonly type: FieldType;
}

/**
 * Shared field roles by Zeek field name (`id.orig_h` -> SHARED_ORIG_H), valid for every log. The
 * connection id is also known as `id_orig_h`...: Zeek writes that with `Log::default_scope_sep = "_"`
 * (or the equivalent `Log::default_field_name_map`), which sites set for stores that dislike dots.
 */
export const SHARED_ROLES: ReadonlyMap<string, number> = new Map(
  CONNECTIONS.fields.flatMap((fd) => {
    const role = ROLE_BY_FIELD[fd.name];
    if (fd.zeek === undefined || role === undefined) return [];
    const named = [fd.zeek, role] as const;
    return fd.zeek.startsWith('id.') ? [named, [fd.zeek.replace('.', '_'), role] as const] : [named];
  }),
);

function ownColumns(table: TableDef): ReadonlyMap<string, ZeekColumn> {
  const out = new Map<string, ZeekColumn>();
  table.fields.forEach((fd, col) => {
    if (fd.zeek !== undefined && fd.name !== 'extra' && !(fd.name in ROLE_BY_FIELD)) {
      out.set(fd.zeek, { col, type: fd.type });
    }
  });
  return out;
}

const CONN_COLUMNS = ownColumns(CONNECTIONS);
// Zeek 7+ logs the IP protocol number in conn.log (`ip_proto`), so connections of protocols it has no
// analyzer for (`unknown_transport`: GRE, ESP, ...) still say which protocol they carried.
const IP_PROTO_COL = CONNECTIONS.fields.findIndex((f) => f.name === 'ip_proto');
(CONN_COLUMNS as Map<string, ZeekColumn>).set('ip_proto', { col: IP_PROTO_COL, type: CONNECTIONS.fields[IP_PROTO_COL].type });
const DNS_COLUMNS = ownColumns(DNS);

/** Columns of a table (beyond the shared ones) keyed by Zeek field name; empty for `metadata`. */
export function zeekColumns(table: EventTableName): ReadonlyMap<string, ZeekColumn> {
  if (table === 'connections') return CONN_COLUMNS;
  if (table === 'dns') return DNS_COLUMNS;
  return new Map();
}

/** Column index of `extra` in conn and dns, `data` and `log` in metadata. */
export const EXTRA_COL = {
  connections: CONNECTIONS.fields.findIndex((f) => f.name === 'extra'),
  dns: DNS.fields.findIndex((f) => f.name === 'extra'),
} as const;

/** The tables Zeek records are stored in. */
export type ZeekTable = Extract<EventTableName, 'connections' | 'dns' | 'metadata'>;

/**
 * Logs of connection records written while the connection was still open: the conn-long package's
 * `conn_long` (Corelight) and RITA's zeek-open-connections `open_conn` (told by the file's name, see
 * refineLog). Each record holds the connection's totals so far, so they are stored as connections marked
 * `state_reason = 'interim'`, which every summary leaves out: the final conn.log record of the same uid is
 * the one counted, and a connection still open when the logs were taken is listed but not yet counted.
 */
const INTERIM_LOGS: ReadonlySet<string> = new Set(['conn_long', 'open_conn']);

/** True when the log's records are interim reports of still-open connections (see INTERIM_LOGS). */
export function interimLog(log: string): boolean {
  return INTERIM_LOGS.has(log);
}

/** The table a Zeek log is stored in: conn (and its interim logs) and dns have their own, everything else is metadata. */
export function tableForLog(log: string): ZeekTable {
  if (log === 'conn' || INTERIM_LOGS.has(log)) return 'connections';
  if (log === 'dns') return 'dns';
  return 'metadata';
}

/** Infers the log from the fields a record has (conn and dns only), or null. */
export function logFromFields(has: (name: string) => boolean): string | null {
  if (has('conn_state') || has('history') || has('orig_bytes')) return 'conn';
  if (has('query') || has('qtype') || has('trans_id') || has('rcode')) return 'dns';
  return null;
}

const KNOWN_LOGS = [
  'open_conn', 'conn', 'dns', 'http', 'ssl', 'x509', 'files', 'notice', 'weird', 'dhcp', 'dpd', 'ssh',
  'smtp', 'ftp', 'rdp', 'sip', 'snmp', 'smb_files', 'smb_mapping', 'dce_rpc', 'kerberos', 'ntlm', 'ntp',
  'radius', 'rfb', 'mysql', 'irc', 'tunnel', 'software', 'known_hosts', 'known_services', 'known_certs',
  'capture_loss', 'stats', 'reporter', 'pe', 'intel', 'signatures', 'syslog', 'modbus', 'dnp3', 'socks',
  'quic', 'analyzer', 'packet_filter', 'loaded_scripts', 'ocsp', 'conn_long',
].sort((a, b) => b.length - a.length);

/**
 * The log named by an input's file name (`/x/http.2023-01-01.log` -> `http`), or null. The name is a
 * hint only: it is used when the content says nothing.
 */
export function logFromInputName(inputName: string): string | null {
  // The JSON decoder asks once per record (through refineLog), always for the same input.
  if (inputName === lastName) return lastLog;
  lastName = inputName;
  lastLog = logOfName(inputName);
  return lastLog;
}

let lastName = '';
let lastLog: string | null = null;

function logOfName(inputName: string): string | null {
  const base = inputName.slice(inputName.lastIndexOf('/') + 1).toLowerCase();
  const stem = base.split('.')[0];
  if (stem === '' || stem === '-' || !/^[a-z0-9_]+$/.test(stem)) return null;
  for (const known of KNOWN_LOGS) {
    if (stem === known || stem.endsWith('_' + known)) return known;
  }
  return stem;
}

/**
 * RITA's open-connections plugin writes `conn` records (`#path conn`, `_path: conn`) to open_conn.log;
 * those are not finished connections, so an input named like that turns `conn` into `open_conn`. A
 * conn_long.log whose records do not say their path (a header cut down to `#fields`) is conn_long. From
 * standard input there is no name: such records are read as the finished connections they claim to be.
 */
export function refineLog(log: string, inputName: string): string {
  if (log !== 'conn') return log;
  const named = logFromInputName(inputName);
  return named === 'open_conn' || named === 'conn_long' ? named : log;
}

/** Zeek logs ICMPv6 as `icmp`; between IPv6 addresses it is `icmp6` (IP protocol 58, which Community ID hashes). */
export function fixIcmp6(proto: string | null, origH: string | null): string | null {
  return proto === 'icmp' && origH !== null && origH.includes(':') ? 'icmp6' : proto;
}
