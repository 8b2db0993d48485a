/**
 * Palo Alto Networks PAN-OS syslog in its default CSV format, with or without a syslog envelope:
 *
 *   TRAFFIC -> firewall: action (allow; deny; drop, drop-icmp, drop-all-packets -> drop; reset-* ->
 *              reject), rule, zones, interfaces, NAT, bytes, packets, duration = elapsed
 *   THREAT  -> findings: signature and signature_id from `Name(id)`, category = threat category (else,
 *              or when it is `unknown` / `N/A`, the URL category / verdict), severity critical..informational as 1..5 (Suricata's order,
 *              1 highest; the name stays in extra), action allowed or blocked
 *   other log types (SYSTEM, CONFIG, ...) -> counted as ignored, `panos-<type>`
 *
 * Time: the 10.x high resolution timestamp when present (it has a zone), else the generated time in
 * the envelope's UTC offset when the envelope is ISO 8601 with one, else the generated time read as UTC.
 * Every field whose exact text is not in a column goes to `extra` under its PAN-OS name (panos-fields.ts),
 * with the envelope's host as `syslog_host`; sensor is the device name, else the serial.
 * Skips: `not_panos` (no CSV), `bad_quote`, `column_count`, `bad_timestamp`, `bad_value` (detail: field).
 */
import { readByteLine, type ByteRecordFn } from './text-line.js';
import { FINDINGS, FIREWALL, columnIndex } from '../../model/fields.js';
import type { ColumnBatch } from '../../store/column-batch.js';
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { writeFlowKey, type FlowKey } from '../flow-key.js';
import { lineFramer } from '../line-framer.js';
import { ByteWriter } from '../zeek/byte-writer.js';
import { latin1, parseUint } from '../zeek/zeek-values.js';
import { CsvFields, csvStart, envelopeHost, envelopeOffset, isoTime, panosTime } from './panos-csv.js';
import { RepeatString } from './byte-intern.js';
import { ViewCache, copyEscaped, copyWords } from '../word-copy.js';
import { MIN_THREAT_FIELDS, MIN_TRAFFIC_FIELDS, P, THREAT_FIELDS, TRAFFIC_FIELDS } from './panos-fields.js';

const W = columnIndex(FIREWALL);
const G = columnIndex(FINDINGS);
const SOURCE = 'panos';
const OTHER_TYPES = new Set(['SYSTEM', 'CONFIG', 'HIP-MATCH', 'HIPMATCH', 'GLOBALPROTECT', 'USERID', 'DECRYPTION', 'AUTHENTICATION', 'TUNNEL', 'SCTP', 'CORRELATION', 'GTP', 'IPTAG', 'AUDIT']);
const SEVERITY: Record<string, number> = { critical: 1, high: 2, medium: 3, low: 4, informational: 5 };
const THREAT_ALLOWED = new Set(['alert', 'allow', 'continue', 'override', 'wildfire-upload-success', 'wildfire-upload-skip']);

/** The `"name":"` bytes of a table's keys, laid end to end in one array (copied from with one loop). */
interface KeyBytes {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly start: Int32Array;
  readonly length: number;
}

function keyBytes(table: readonly string[]): KeyBytes {
  const parts = table.map((n) => Buffer.from(`"${n}":"`, 'latin1'));
  const start = new Int32Array(parts.length + 1);
  for (let i = 0; i < parts.length; i++) start[i + 1] = start[i] + parts[i].length;
  const bytes = new Uint8Array(start[parts.length]);
  parts.forEach((b, i) => bytes.set(b, start[i]));
  return { bytes, view: new DataView(bytes.buffer), start, length: parts.length };
}
const TRAFFIC_KEYS = keyBytes(TRAFFIC_FIELDS);
const THREAT_KEYS = keyBytes(THREAT_FIELDS);

function flags(list: number[]): Uint8Array {
  const a = new Uint8Array(512);
  for (const i of list) a[i] = 1;
  return a;
}
/** Fields whose text is stored as is in a column, so `extra` does not repeat them. */
const TRAFFIC_IN_COLUMNS = flags([P.src, P.dst, P.sport, P.dport, P.proto, P.rule, P.from, P.to, P.inboundIf, P.outboundIf, P.sessionid, P.bytes, P.packets, P.elapsed, P.trafficRuleUuid]);
const THREAT_IN_COLUMNS = flags([P.src, P.dst, P.sport, P.dport, P.proto, P.sessionid, P.app]);

const ascii = (t: string): Uint8Array => Buffer.from(t, 'latin1');
const TRAFFIC = ascii('TRAFFIC');
const THREAT = ascii('THREAT');
const ACTIONS: readonly [Uint8Array, string][] = [
  ['allow', 'allow'],
  ['deny', 'deny'],
  ['drop', 'drop'],
  ['drop-icmp', 'drop'],
  ['drop-all-packets', 'drop'],
  ['drop-all', 'drop'],
].map(([a, v]) => [ascii(a), v]);
const RESET = ascii('reset-');

/** True when `b[s..e)` starts with `word` (and is exactly it when `whole`). */
function bytesAre(b: Uint8Array, s: number, e: number, word: Uint8Array, whole: boolean): boolean {
  const n = word.length;
  if (whole ? e - s !== n : e - s < n) return false;
  for (let i = 0; i < n; i++) if (b[s + i] !== word[i]) return false;
  return true;
}

/** PAN-OS TRAFFIC action `b[s..e)` to the firewall table's vocabulary; null when unknown (the text stays in extra). */
function trafficAction(b: Uint8Array, s: number, e: number): string | null {
  for (const [a, v] of ACTIONS) if (bytesAre(b, s, e, a, true)) return v;
  return bytesAre(b, s, e, RESET, false) ? 'reject' : null;
}

/** Decoding of one input. */
class PanosDecoder {
  readonly decoder: Decoder;
  private readonly f = new CsvFields();
  private readonly w = new ByteWriter(2048);
  private readonly outView = new ViewCache();
  private readonly lineView = new ViewCache();
  private readonly iso = { micros: 0, offsetMicros: 0 };
  private readonly key: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };
  private buf: Buffer = Buffer.alloc(0);
  private readonly host = { start: 0, end: 0 };
  // Strings of fields that repeat from line to line, made again only when their bytes change.
  private readonly protoText = new RepeatString(latin1);
  private readonly deviceText = new RepeatString(latin1);

  constructor(private readonly ctx: DecodeContext) {
    this.decoder = lineFramer((buf, start, end, lineNo) => this.line(buf, start, end, lineNo), {
      onOversize: (lineNo) => ctx.skip('line_too_long', lineNo),
    });
  }

  private readonly onRecord: ByteRecordFn = (buf, start, end, lineNo) => this.record(buf, start, end, lineNo);

  private line(buf: Buffer, start: number, end: number, lineNo: number): void {
    readByteLine(buf, start, end, lineNo, this.ctx, this.onRecord);
  }


  private text(i: number): string {
    const f = this.f;
    const s = latin1(this.buf, f.start[i], f.end[i]);
    return f.quoted[i] === 2 ? s.replaceAll('""', '"') : s;
  }

  private str(i: number): string {
    const f = this.f;
    const s = this.buf.toString('utf8', f.start[i], f.end[i]);
    return f.quoted[i] === 2 ? s.replaceAll('""', '"') : s;
  }

  private empty(i: number): boolean {
    return i >= this.f.count || this.f.end[i] === this.f.start[i];
  }

  /** True when field i is only spaces, the placeholder some 10.x forwarding profiles write (`" ", , ,`). */
  private spaces(i: number): boolean {
    const f = this.f;
    for (let k = f.start[i]; k < f.end[i]; k++) if (this.buf[k] !== 32) return false;
    return true;
  }

  private set(b: ColumnBatch, col: number, row: number, i: number): void {
    const f = this.f;
    if (this.empty(i) || this.spaces(i)) return;
    if (f.quoted[i] === 2) b.setStr(col, row, this.str(i));
    else b.setBytes(col, row, this.buf, f.start[i], f.end[i]);
  }

  private record(buf: Buffer, start: number, end: number, lineNo: number): void {
    const ctx = this.ctx;
    const s = csvStart(buf, start, end);
    if (s < 0) return ctx.skip('not_panos', lineNo);
    this.buf = buf;
    const f = this.f;
    if (!f.split(buf, s, end)) return ctx.skip('bad_quote', lineNo);
    if (f.count < 5) return ctx.skip('not_panos', lineNo);
    const traffic = bytesAre(buf, f.start[P.type], f.end[P.type], TRAFFIC, true);
    if (!traffic && !bytesAre(buf, f.start[P.type], f.end[P.type], THREAT, true)) {
      const type = this.text(P.type);
      // HIP-MATCH as PAN-OS's field table spells it, HIPMATCH as firewalls send it: one reason for both.
      if (OTHER_TYPES.has(type)) return ctx.ignore(`panos-${type.toLowerCase().replace('-', '')}`);
      return ctx.skip('not_panos', lineNo);
    }
    const type = traffic ? 'TRAFFIC' : 'THREAT';
    if (f.count < (traffic ? MIN_TRAFFIC_FIELDS : MIN_THREAT_FIELDS)) return ctx.skip('column_count', lineNo, type);
    const ts = this.time(traffic ? P.trafficHighRes : P.threatHighRes, start, s);
    if (Number.isNaN(ts)) return ctx.skip('bad_timestamp', lineNo);
    const sport = this.port(P.sport);
    const dport = this.port(P.dport);
    if (Number.isNaN(sport) || Number.isNaN(dport)) return ctx.skip('bad_value', lineNo, Number.isNaN(sport) ? 'sport' : 'dport');
    if (this.empty(P.src) || this.empty(P.dst)) return ctx.skip('bad_value', lineNo, 'address');
    const k = this.key;
    k.tsMicros = ts;
    k.uid = null; // written as bytes after the key
    k.addrBuf = buf;
    k.origHStart = f.start[P.src];
    k.origHEnd = f.end[P.src];
    k.respHStart = f.start[P.dst];
    k.respHEnd = f.end[P.dst];
    k.origP = sport;
    k.respP = dport;
    k.proto = this.empty(P.proto) ? null : this.repeated(this.protoText, P.proto);
    const device = traffic ? P.trafficDevice : P.threatDevice;
    const sensor = ctx.sensor ?? (this.empty(device) ? (this.empty(P.serial) ? null : this.repeated(this.deviceText, P.serial)) : this.repeated(this.deviceText, device));
    if (s > start) envelopeHost(buf, start, s, this.host);
    else this.host.start = this.host.end = 0;
    if (traffic) this.traffic(sensor, start, end);
    else this.threat(sensor);
  }

  /** Field i's text (as `text` makes it), the string of last time when the bytes repeat. */
  private repeated(cache: RepeatString, i: number): string {
    return this.f.quoted[i] === 2 ? this.text(i) : cache.get(this.buf, this.f.start[i], this.f.end[i]);
  }

  private port(i: number): number {
    if (this.empty(i)) return NaN;
    const v = parseUint(this.buf, this.f.start[i], this.f.end[i]);
    return v <= 65535 ? v : NaN;
  }

  private time(highRes: number, envStart: number, csvAt: number): number {
    const f = this.f;
    if (!this.empty(highRes) && isoTime(this.buf, f.start[highRes], f.end[highRes], this.iso)) return this.iso.micros;
    const t = panosTime(this.buf, f.start[P.timeGenerated], f.end[P.timeGenerated]);
    const off = csvAt > envStart ? envelopeOffset(this.buf, envStart, csvAt, this.iso) : NaN;
    return Number.isNaN(off) ? t : t - off;
  }

  private traffic(sensor: string | null, start: number, end: number): void {
    const b = this.ctx.batch('firewall');
    const row = b.addRow();
    writeFlowKey(b, row, this.key, SOURCE, sensor, this.ctx.ingestId);
    this.set(b, W.uid, row, P.sessionid);
    const f = this.f;
    b.setStr(W.action, row, f.quoted[P.action] === 2 ? null : trafficAction(this.buf, f.start[P.action], f.end[P.action]));
    this.set(b, W.rule, row, P.rule);
    this.set(b, W.rule_id, row, P.trafficRuleUuid);
    this.set(b, W.in_zone, row, P.from);
    this.set(b, W.out_zone, row, P.to);
    this.set(b, W.in_iface, row, P.inboundIf);
    this.set(b, W.out_iface, row, P.outboundIf);
    this.nat(b, row, P.natsrc, P.natsport, W.nat_orig_h, W.nat_orig_p);
    this.nat(b, row, P.natdst, P.natdport, W.nat_resp_h, W.nat_resp_p);
    this.count(b, W.bytes, row, P.bytes);
    this.count(b, W.packets, row, P.packets);
    this.count(b, W.duration, row, P.elapsed);
    b.setBytes(W.message, row, this.buf, start, end);
    this.extra(b, W.extra, row, TRAFFIC_KEYS, TRAFFIC_IN_COLUMNS);
  }

  /** NAT columns, left null when PAN-OS says "no translation" (address 0.0.0.0 or ::, or empty). */
  private nat(b: ColumnBatch, row: number, hi: number, pi: number, hc: number, pc: number): void {
    if (this.empty(hi)) return;
    const f = this.f;
    const n = f.end[hi] - f.start[hi];
    const c = this.buf[f.start[hi]];
    if ((n === 7 && c === 48 && this.text(hi) === '0.0.0.0') || (n === 2 && c === 58)) return;
    b.setBytes(hc, row, this.buf, f.start[hi], f.end[hi]);
    const p = this.port(pi);
    if (!Number.isNaN(p)) b.setNum(pc, row, p);
  }

  private count(b: ColumnBatch, col: number, row: number, i: number): void {
    if (this.empty(i)) return;
    const v = parseUint(this.buf, this.f.start[i], this.f.end[i]);
    if (!Number.isNaN(v)) b.setNum(col, row, v);
  }

  private threat(sensor: string | null): void {
    const b = this.ctx.batch('findings');
    const row = b.addRow();
    writeFlowKey(b, row, this.key, SOURCE, sensor, this.ctx.ingestId);
    this.set(b, G.uid, row, P.sessionid);
    const threat = this.empty(P.threatid) ? '' : this.str(P.threatid);
    const open = threat.lastIndexOf('(');
    const idText = open >= 0 && threat.endsWith(')') ? threat.slice(open + 1, -1) : threat;
    const name = (open >= 0 ? threat.slice(0, open) : '').trim();
    if (name !== '') b.setStr(G.signature, row, name);
    const id = Number(idText);
    if (idText !== '' && Number.isInteger(id) && id >= 0) b.setNum(G.signature_id, row, id);
    this.set(b, G.category, row, this.noThreatCategory() ? P.category : P.thrCategory);
    const sev = SEVERITY[this.text(P.severity)];
    if (sev !== undefined) b.setNum(G.severity, row, sev);
    const action = this.text(P.action);
    if (action !== '') b.setStr(G.action, row, THREAT_ALLOWED.has(action) ? 'allowed' : 'blocked');
    this.set(b, G.app_proto, row, P.app);
    this.extra(b, G.extra, row, THREAT_KEYS, THREAT_IN_COLUMNS);
  }

  /** True when thr_category holds nothing: empty, or the `unknown` / `N/A` URL logs carry (their URL category says more). */
  private noThreatCategory(): boolean {
    if (this.empty(P.thrCategory)) return true;
    const t = this.text(P.thrCategory);
    return t === 'unknown' || t === 'N/A';
  }

  /**
   * Every non-empty field not stored as is in a column, as a JSON object of strings, written straight
   * into the writer's bytes: values are copied as they are unless the line holds something to escape.
   */
  private extra(b: ColumnBatch, col: number, row: number, keys: KeyBytes, inColumns: Uint8Array): void {
    const f = this.f;
    const w = this.w;
    const buf = this.buf;
    w.reset();
    const host = this.host;
    w.ensure((f.end[f.count - 1] - f.start[0]) * 6 + f.count * 40 + (host.end - host.start) * 6 + 64);
    w.byte(123);
    let first = true;
    if (host.end > host.start) {
      w.ascii('"syslog_host":"');
      w.jsonEscaped(buf, host.start, host.end);
      w.byte(34);
      first = false;
    }
    // Room for everything was made above, so `o` stays the writer's buffer; refreshed anyway after
    // the writer's own methods, which may grow it.
    let o = w.buf;
    let ov = this.outView.of(o);
    const lv = this.lineView.of(buf);
    const kb = keys.bytes;
    const kv = keys.view;
    let p = w.len;
    for (let i = 0; i < f.count; i++) {
      const s = f.start[i];
      const e = f.end[i];
      if (s === e || inColumns[i] === 1) continue;
      if (!first) o[p++] = 44;
      first = false;
      if (i < keys.length) p = copyWords(o, ov, p, kb, kv, keys.start[i], keys.start[i + 1]);
      else {
        w.len = p;
        w.ascii(`"field_${i}":"`);
        p = w.len;
        o = w.buf;
        ov = this.outView.of(o);
      }
      if (f.quoted[i] === 2) {
        const enc = Buffer.from(JSON.stringify(this.str(i)));
        w.len = p;
        w.bytes(enc, 1, enc.length - 1);
        p = w.len;
        o = w.buf;
        ov = this.outView.of(o);
      } else p = copyEscaped(o, ov, p, buf, lv, s, e);
      o[p++] = 34;
    }
    w.len = p;
    w.byte(125);
    b.setBytes(col, row, w.buf, 0, w.len);
  }
}

/** True when `line` (envelope included) looks like a PAN-OS CSV log: a known type and a PAN-OS time. */
function looksLikePanos(line: string): boolean {
  const b = Buffer.from(line, 'latin1');
  const s = csvStart(b, 0, b.length);
  if (s < 0) return false;
  const parts = line.slice(s).split(',', 8);
  if (parts.length < 8) return false;
  const t = parts[3];
  const known = t === 'TRAFFIC' || t === 'THREAT' || OTHER_TYPES.has(t);
  const tb = Buffer.from(parts[1], 'latin1');
  return known && !Number.isNaN(panosTime(tb, 0, tb.length));
}

/** The PAN-OS decoder, registered as `panos`. */
export const panos: DecoderDef = {
  name: 'panos',
  description: 'Palo Alto Networks PAN-OS syslog CSV: TRAFFIC as firewall decisions, THREAT as findings',
  positionUnit: 'line',
  sniff(head: Buffer): number {
    const lines = head.toString('latin1', 0, Math.min(head.length, 65536)).split('\n');
    if (lines.length > 1 && (head.length > 65536 || head[head.length - 1] !== 10)) lines.pop();
    let seen = 0;
    let hits = 0;
    for (const l of lines) {
      if (l.trim() === '') continue;
      if (++seen > 5) break;
      if (looksLikePanos(l)) hits++;
    }
    return seen > 0 && hits * 2 > Math.min(seen, 5) ? 0.9 : 0;
  },
  create(ctx: DecodeContext): Decoder {
    return new PanosDecoder(ctx).decoder;
  },
};
