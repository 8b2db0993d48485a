/**
 * PAN-OS logs exported as CSV (the web interface's and Panorama's "Export to CSV", Cortex Data Lake /
 * Strata Logging Service exports): a header line of column names, then one row per log. Columns are
 * found by name, never by position: exports leave columns out, reorder them and name them for display
 * (`Serial #`, `Generate Time`, `Source address`, `Elapsed Time (sec)`), in PAN-OS's "Syslog Field
 * Descriptions" wording (`Source Address`, `Generated Time`) or with the syslog field names themselves
 * (`seqno`, `pkts_sent`). Each row is rebuilt into the syslog field order (panos-fields.ts), so one
 * decoder reads both; a column with no PAN-OS field is kept in `extra` under its header name.
 */
import { CsvFields, isoTime, panosTime } from './panos-csv.js';
import { THREAT_FIELDS, TRAFFIC_FIELDS } from './panos-fields.js';
import { panosLogTable, THREAT_ALWAYS, TRAFFIC_ALWAYS, type PanosLogTable } from './panos-extra.js';
import { ByteWriter } from '../zeek/byte-writer.js';

/** Header names (normalised: lower case, runs of other characters as `_`) of the display forms, to syslog names. */
const COMMON_ALIASES: Record<string, string> = {
  domain: 'future_use_0',
  serial_number: 'serial',
  threat_content_type: 'subtype',
  sub_type: 'subtype',
  config_version: 'config_ver',
  generate_time: 'time_generated',
  generated_time: 'time_generated',
  source_address: 'src',
  source_ip: 'src',
  destination_address: 'dst',
  destination_ip: 'dst',
  nat_source_ip: 'natsrc',
  nat_destination_ip: 'natdst',
  rule_name: 'rule',
  source_user: 'srcuser',
  destination_user: 'dstuser',
  application: 'app',
  virtual_system: 'vsys',
  source_zone: 'from',
  destination_zone: 'to',
  inbound_interface: 'inbound_if',
  outbound_interface: 'outbound_if',
  log_action: 'logset',
  session_id: 'sessionid',
  repeat_count: 'repeatcnt',
  source_port: 'sport',
  destination_port: 'dport',
  nat_source_port: 'natsport',
  nat_destination_port: 'natdport',
  ip_protocol: 'proto',
  protocol: 'proto',
  sequence_number: 'seqno',
  action_flags: 'actionflags',
  source_country: 'srcloc',
  source_location: 'srcloc',
  destination_country: 'dstloc',
  destination_location: 'dstloc',
  dg_hierarchy_level_1: 'dg_hier_level_1',
  dg_hierarchy_level_2: 'dg_hier_level_2',
  dg_hierarchy_level_3: 'dg_hier_level_3',
  dg_hierarchy_level_4: 'dg_hier_level_4',
  device_group_hierarchy_level_1: 'dg_hier_level_1',
  device_group_hierarchy_level_2: 'dg_hier_level_2',
  device_group_hierarchy_level_3: 'dg_hier_level_3',
  device_group_hierarchy_level_4: 'dg_hier_level_4',
  virtual_system_name: 'vsys_name',
  source_vm_uuid: 'src_uuid',
  destination_vm_uuid: 'dst_uuid',
  monitor_tag_imei: 'monitortag',
  tunnel_type: 'tunnel',
  sctp_association_id: 'assoc_id',
  rule_uuid: 'rule_uuid',
  http_2_connection: 'http2_connection',
  dynamic_user_group_name: 'dynusergroup_name',
  xff_address: 'xff_ip',
  high_res_timestamp: 'high_res_timestamp',
};

const TRAFFIC_ALIASES: Record<string, string> = {
  start_time: 'start',
  elapsed_time_sec: 'elapsed',
  elapsed_time: 'elapsed',
  padding: 'future_use_38',
  cpadding: 'future_use_43',
  packets_sent: 'pkts_sent',
  packets_received: 'pkts_received',
  tunnel_id_imsi: 'tunnelid',
  sctp_chunks: 'chunks',
  sctp_chunks_sent: 'chunks_sent',
  sctp_chunks_received: 'chunks_received',
  app_flap_count: 'link_change_count',
};

const THREAT_ALIASES: Record<string, string> = {
  url: 'misc',
  url_filename: 'misc',
  threat_content_name: 'threatid',
  threat_id: 'threatid',
  threat_name: 'threatid',
  content_type: 'contenttype',
  file_digest: 'filedigest',
  url_index: 'url_idx',
  file_type: 'filetype',
  x_forwarded_for: 'xff',
  cpadding: 'future_use_40',
  report_id: 'reportid',
  tunnel_id_imsi: 'tunnel_id',
  threat_category: 'thr_category',
  content_version: 'contentver',
  payload_protocol_id: 'ppid',
};

/** Header columns that say a TRAFFIC export (bytes and session length), and a THREAT one (the threat's name). */
const TRAFFIC_MARKS = ['bytes', 'elapsed', 'packets'];
const THREAT_MARKS = ['threatid', 'severity', 'direction'];

/** A header name in the form the alias tables use: `Elapsed Time (sec)` -> `elapsed_time_sec`. */
export function normaliseHeaderName(name: string): string {
  return name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** Where one log type's syslog fields are in the export, and the `extra` table its rebuilt rows use. */
interface LogColumns {
  /** Per syslog position: the export column holding it, -1 when the export has none. */
  readonly at: Int32Array;
  /** Export columns with no field of this log type, appended after the syslog fields of a rebuilt row. */
  readonly unknown: readonly number[];
  /** The syslog field table plus the unknown columns' names, for `extra`. */
  readonly log: PanosLogTable;
}

/** The column map of one export header. */
export interface PanosHeader {
  /** The log type the columns say, when they say one; a row's Type column decides when it has one. */
  readonly kind: 'TRAFFIC' | 'THREAT' | null;
  readonly traffic: LogColumns;
  readonly threat: LogColumns;
  /** Export column of the log type, -1 when none. */
  readonly typeCol: number;
  /**
   * A `Threat ID` column beside a threat-name column (-1 when not both): the syslog field holds
   * `name(id)`, so the row is rebuilt that way and the decoder reads both.
   */
  readonly threatIdCol: number;
}

function syslogName(norm: string, table: readonly string[], aliases: Record<string, string>): string | null {
  if (table.includes(norm)) return norm;
  const a = aliases[norm] ?? COMMON_ALIASES[norm];
  return a !== undefined && table.includes(a) ? a : null;
}

function mapColumns(norms: readonly string[], table: readonly string[], aliases: Record<string, string>): Int32Array {
  const at = new Int32Array(table.length).fill(-1);
  norms.forEach((n, col) => {
    const name = syslogName(n, table, aliases);
    // A second column of the same field (10.x's device-ID `Serial Number` after the firewall's) is not it.
    if (name !== null && at[table.indexOf(name)] < 0) at[table.indexOf(name)] = col;
  });
  return at;
}

/**
 * The column map when `names` (one line's fields) is a PAN-OS export header: it names the source and
 * destination addresses and a log time, and most of its columns are PAN-OS fields. Null otherwise.
 */
export function panosHeader(names: readonly string[]): PanosHeader | null {
  if (names.length < 8) return null;
  const norms = names.map(normaliseHeaderName);
  const traffic = mapColumns(norms, TRAFFIC_FIELDS, TRAFFIC_ALIASES);
  const threat = mapColumns(norms, THREAT_FIELDS, THREAT_ALIASES);
  const has = (at: Int32Array, table: readonly string[], n: string): boolean => at[table.indexOf(n)] >= 0;
  const t = (n: string): boolean => has(traffic, TRAFFIC_FIELDS, n);
  if (!t('src') || !t('dst') || !(t('time_generated') || t('receive_time'))) return null;
  // The syslog field is `name(id)`; an export may give the two in columns of their own.
  const nameCol = norms.findIndex((n) => n === 'threat_content_name' || n === 'threat_name');
  const idCol = norms.indexOf('threat_id');
  const threatIdCol = nameCol >= 0 && idCol >= 0 ? idCol : -1;
  if (threatIdCol >= 0) threat[THREAT_FIELDS.indexOf('threatid')] = nameCol;
  const used = new Set<number>([...traffic, ...threat, threatIdCol].filter((c) => c >= 0));
  if (used.size * 2 < names.length) return null;
  const columns = (at: Int32Array, table: readonly string[], always: readonly number[]): LogColumns => {
    const mine = new Set([...at, threatIdCol]);
    const unknown = names.map((_, i) => i).filter((i) => !mine.has(i));
    return { at, unknown, log: panosLogTable([...table, ...unknown.map((i) => norms[i] || `column_${i}`)], always) };
  };
  const isTraffic = TRAFFIC_MARKS.some((n) => has(traffic, TRAFFIC_FIELDS, n));
  const isThreat = THREAT_MARKS.some((n) => has(threat, THREAT_FIELDS, n));
  return {
    kind: isTraffic === isThreat ? null : isTraffic ? 'TRAFFIC' : 'THREAT',
    traffic: columns(traffic, TRAFFIC_FIELDS, TRAFFIC_ALWAYS),
    threat: columns(threat, THREAT_FIELDS, THREAT_ALWAYS),
    typeCol: traffic[TRAFFIC_FIELDS.indexOf('type')],
    threatIdCol,
  };
}

/** The column map when the line `buf[s..e)` (split with `f`) is a PAN-OS export header, else null. */
export function readPanosHeader(buf: Buffer, s: number, e: number, f: CsvFields): PanosHeader | null {
  if (!f.split(buf, s, e)) return null;
  const names: string[] = [];
  for (let i = 0; i < f.count; i++) names.push(buf.toString('utf8', f.start[i], f.end[i]));
  return panosHeader(names);
}

/** True when the line `buf[s..e)` starts with the bytes `lead` (a held header's first field and comma). */
export function startsWithBytes(buf: Uint8Array, s: number, e: number, lead: Uint8Array): boolean {
  if (e - s < lead.length) return false;
  for (let i = 0; i < lead.length; i++) if (buf[s + i] !== lead[i]) return false;
  return true;
}

/** True when the line starts with a letter, or a quote and a letter, as an export's header does (its rows do not). */
export function startsWithLetter(buf: Uint8Array, s: number, e: number): boolean {
  const c = buf[s] === 34 && s + 1 < e ? buf[s + 1] : buf[s];
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** True when the first line of `head` (after a UTF-8 byte order mark) is a PAN-OS CSV export's header. */
export function startsWithExportHeader(head: Buffer): boolean {
  let s = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) s = 3;
  let e = head.indexOf(10, s);
  if (e < 0) e = head.length;
  if (e > s && head[e - 1] === 13) e--;
  return startsWithLetter(head, s, e) && readPanosHeader(head, s, e, new CsvFields()) !== null;
}

const ISO = { micros: 0, offsetMicros: 0 };

/** Rebuilds export rows into syslog field order, in a reused buffer. */
export class PanosRowBuilder {
  private readonly w = new ByteWriter(4096);

  /**
   * The row `f` (split from `buf`) in syslog field order for the log type it holds, as a line in a
   * reused buffer, and that type's `extra` table; null when the row says no TRAFFIC or THREAT type and
   * the header none either. A Generate Time written in ISO 8601 (Cortex Data Lake) is also given as the
   * high resolution time, which the decoder reads with its zone.
   */
  build(h: PanosHeader, buf: Buffer, f: CsvFields): { line: Buffer; log: PanosLogTable } | null {
    let type: string | null = h.kind;
    // The row's Type decides; another log type (SYSTEM, CONFIG, ...) goes through as written and the
    // decoder counts it as ignored.
    if (this.has(f, h.typeCol)) type = buf.toString('latin1', f.start[h.typeCol], f.end[h.typeCol]).toUpperCase();
    if (type === null) return null;
    const threat = type === 'THREAT';
    const cols = threat ? h.threat : h.traffic;
    const table = threat ? THREAT_FIELDS : TRAFFIC_FIELDS;
    const w = this.w;
    w.reset();
    const typePos = table.indexOf('type');
    const threatIdPos = threat && h.threatIdCol >= 0 ? table.indexOf('threatid') : -1;
    // With no Generate Time column, the Receive Time (when the management plane got the log) stands in for it.
    const tgPos = table.indexOf('time_generated');
    const tgCol = cols.at[tgPos] >= 0 ? cols.at[tgPos] : cols.at[table.indexOf('receive_time')];
    const hrPos = table.indexOf('high_res_timestamp');
    const isoGenerated =
      tgCol >= 0 && tgCol < f.count && Number.isNaN(panosTime(buf, f.start[tgCol], f.end[tgCol])) && isoTime(buf, f.start[tgCol], f.end[tgCol], ISO);
    // An ISO Generate Time moves to the high resolution time's place (when that is empty), read with its zone.
    const moveTime = isoGenerated && !this.has(f, cols.at[hrPos]);
    // Every syslog position is written, so an export of a few columns is not taken for a cut-short line.
    for (let pos = 0; pos < table.length; pos++) {
      if (pos > 0) w.byte(44);
      if (pos === typePos) w.ascii(type);
      else if (pos === threatIdPos) this.threatField(buf, f, cols.at[pos], h.threatIdCol);
      else if (moveTime && pos === hrPos) this.field(buf, f, tgCol);
      else if (!moveTime && pos === tgPos) this.field(buf, f, tgCol);
      else if (!(moveTime && cols.at[pos] === tgCol)) this.field(buf, f, cols.at[pos]);
    }
    for (const c of cols.unknown) {
      w.byte(44);
      this.field(buf, f, c);
    }
    return { line: Buffer.from(w.buf.buffer, w.buf.byteOffset, w.len), log: cols.log };
  }

  /** The threat name column and the id column as one field, `name(id)` (either alone when the other is empty). */
  private threatField(buf: Buffer, f: CsvFields, nameCol: number, idCol: number): void {
    if (!this.has(f, idCol)) return this.field(buf, f, nameCol);
    if (!this.has(f, nameCol)) return this.field(buf, f, idCol);
    const w = this.w;
    // Quoted, so a comma in the name stays inside the field; a quoted name's bytes keep their doubled quotes.
    w.byte(34);
    w.bytes(buf, f.start[nameCol], f.end[nameCol]);
    w.byte(40);
    w.bytes(buf, f.start[idCol], f.end[idCol]);
    w.byte(41);
    w.byte(34);
  }

  private has(f: CsvFields, col: number): boolean {
    return col >= 0 && col < f.count && f.end[col] > f.start[col];
  }

  /** Copies export column `col` as one CSV field (quoted again when it was quoted). */
  private field(buf: Buffer, f: CsvFields, col: number): void {
    if (col < 0 || col >= f.count) return;
    const w = this.w;
    const quoted = f.quoted[col] !== 0;
    if (quoted) w.byte(34);
    w.bytes(buf, f.start[col], f.end[col]);
    if (quoted) w.byte(34);
  }
}
