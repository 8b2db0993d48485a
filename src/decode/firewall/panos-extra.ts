/**
 * The `extra` object of a PAN-OS row: every non-empty field of the line that the decoder's per-line
 * `drop` flags do not leave out, under its PAN-OS name, as a JSON object of strings written straight
 * into reused bytes (values copied as they are unless the line holds something to escape). Also the
 * tables that say, per log type, which fields are always left out (held by a column, the log type,
 * `future_use_*` placeholders) and which values are PAN-OS's "none".
 */
import type { ColumnBatch } from '../../store/column-batch.js';
import { ByteWriter } from '../zeek/byte-writer.js';
import { ViewCache, copyEscaped, copyWords } from '../word-copy.js';
import { closeExtra, jsonPair, openExtra } from './json-extra.js';
import type { CsvFields } from './panos-csv.js';
import { P, THREAT_FIELDS, TRAFFIC_FIELDS } from './panos-fields.js';

/** What `extra` needs to know of one log type's fields. */
export interface PanosLogTable {
  /** The `"name":"` bytes of the keys, laid end to end in one array (copied from with one loop). */
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly start: Int32Array;
  readonly length: number;
  /** Per field: 1 when its `0`, 2 when its `N/A` is PAN-OS's "none" (left out like an empty value). */
  readonly none: Uint8Array;
  /** Per field: 1 when it is always left out (the decoder adds what depends on the line). */
  readonly inColumns: Uint8Array;
}

/** Size of the per-field flag arrays: field positions beyond it are never left out. */
export const MAX_FLAGGED = 512;

function flags(list: number[]): Uint8Array {
  const a = new Uint8Array(MAX_FLAGGED);
  for (const i of list) a[i] = 1;
  return a;
}

/**
 * Fields whose `0` (1) or `N/A` (2) is PAN-OS's way of writing "none": no device group, no tunnel, no
 * parent session, no SCTP association (the SCTP counters of any other session).
 */
function noneValues(table: readonly string[]): Uint8Array {
  const a = new Uint8Array(MAX_FLAGGED);
  table.forEach((n, i) => {
    if (/^(dg_hier_level_\d|tunnelid|tunnel_id|parent_session_id|assoc_id|chunks|chunks_sent|chunks_received)$/.test(n)) a[i] = 1;
    else if (n === 'tunnel') a[i] = 2;
  });
  return a;
}

/** The `extra` table of a log whose fields are `names` (by position), `always` being left out of every row. */
export function panosLogTable(names: readonly string[], always: readonly number[]): PanosLogTable {
  const parts = names.map((n) => Buffer.from(`"${n}":"`, 'latin1'));
  const start = new Int32Array(parts.length + 1);
  for (let i = 0; i < parts.length; i++) start[i + 1] = start[i] + parts[i].length;
  const bytes = new Uint8Array(start[parts.length]);
  parts.forEach((b, i) => bytes.set(b, start[i]));
  const futureUse = names.flatMap((n, i) => (n.startsWith('future_use_') ? [i] : []));
  return { bytes, view: new DataView(bytes.buffer), start, length: parts.length, none: noneValues(names), inColumns: flags([...always, ...futureUse]) };
}

/** TRAFFIC: fields always left out of `extra` (the log type, the 5-tuple, rule, zones, interfaces, session, rule uuid). */
export const TRAFFIC_ALWAYS: readonly number[] = [P.type, P.src, P.dst, P.sport, P.dport, P.proto, P.rule, P.from, P.to, P.inboundIf, P.outboundIf, P.sessionid, P.trafficRuleUuid];
/** THREAT: fields always left out of `extra` (the log type, the 5-tuple, session, app). */
export const THREAT_ALWAYS: readonly number[] = [P.type, P.src, P.dst, P.sport, P.dport, P.proto, P.sessionid, P.app];
/** The TRAFFIC table of syslog lines. */
export const TRAFFIC_LOG = panosLogTable(TRAFFIC_FIELDS, TRAFFIC_ALWAYS);
/** The THREAT table of syslog lines. */
export const THREAT_LOG = panosLogTable(THREAT_FIELDS, THREAT_ALWAYS);

const NA = Buffer.from('N/A', 'latin1');

/** Writes PAN-OS `extra` objects, one row at a time, into a reused buffer. */
export class PanosExtra {
  private readonly w = new ByteWriter(2048);
  private readonly outView = new ViewCache();
  private readonly lineView = new ViewCache();

  /**
   * Stores in `col` of `row` the fields of `f` (split from `buf`) that `drop` does not leave out, with
   * the envelope host `buf[hostStart..hostEnd)` as `syslog_host` when that is not empty.
   */
  write(b: ColumnBatch, col: number, row: number, buf: Buffer, f: CsvFields, log: PanosLogTable, drop: Uint8Array, hostStart: number, hostEnd: number): void {
    const w = this.w;
    const none = log.none;
    openExtra(w);
    w.ensure((f.end[f.count - 1] - f.start[0]) * 6 + f.count * 40 + (hostEnd - hostStart) * 6 + 64);
    if (hostEnd > hostStart) jsonPair(w, 'syslog_host', buf, hostStart, hostEnd);
    let first = w.len === 1;
    // Room for everything was made above, so `o` stays the writer's buffer; refreshed anyway after
    // the writer's own methods, which may grow it.
    let o = w.buf;
    let ov = this.outView.of(o);
    const lv = this.lineView.of(buf);
    const kb = log.bytes;
    const kv = log.view;
    let p = w.len;
    for (let i = 0; i < f.count; i++) {
      const s = f.start[i];
      const e = f.end[i];
      if (s === e || (i < MAX_FLAGGED && (drop[i] === 1 || (none[i] !== 0 && isNone(buf, none[i], s, e))))) continue;
      if (!first) o[p++] = 44;
      first = false;
      if (i < log.length) p = copyWords(o, ov, p, kb, kv, log.start[i], log.start[i + 1]);
      else {
        w.len = p;
        w.ascii(`"field_${i}":"`);
        p = w.len;
        o = w.buf;
        ov = this.outView.of(o);
      }
      if (f.quoted[i] === 2) {
        const enc = Buffer.from(JSON.stringify(buf.toString('utf8', s, e).replaceAll('""', '"')));
        w.len = p;
        w.bytes(enc, 1, enc.length - 1);
        p = w.len;
        o = w.buf;
        ov = this.outView.of(o);
      } else p = copyEscaped(o, ov, p, buf, lv, s, e);
      o[p++] = 34;
    }
    w.len = p;
    closeExtra(w);
    b.setBytes(col, row, w.buf, 0, w.len);
  }
}

/** True when `buf[s..e)` is the "none" value of its kind: `0` (1) or `N/A` (2). */
function isNone(buf: Uint8Array, kind: number, s: number, e: number): boolean {
  if (kind === 1) return e - s === 1 && buf[s] === 48;
  return e - s === 3 && buf[s] === NA[0] && buf[s + 1] === NA[1] && buf[s + 2] === NA[2];
}
