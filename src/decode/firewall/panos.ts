/**
 * Palo Alto Networks PAN-OS syslog in its default CSV format, with or without a syslog envelope, and CSV
 * exports with a header line of column names (rebuilt into the syslog field order, panos-header.ts):
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
 * Sensor is the device name, else the serial.
 *
 * `extra` (panos-extra.ts) holds, under its PAN-OS name (panos-fields.ts), every non-empty field a column does not hold
 * exactly, and the envelope's host as `syslog_host` unless it is the sensor. PAN-OS's "none" values count
 * as empty: `0` in dg_hier_level_1..4, tunnelid / tunnel_id, parent_session_id, assoc_id, chunks,
 * chunks_sent, chunks_received, and `N/A` in tunnel. Left out (docs/firewall-fields.md):
 *   both types: `type` (the table says it), `future_use_*` placeholders, src, dst, sport, dport, proto,
 *     sessionid (uid), the field the sensor came from (device_name, else serial), time_generated when ts
 *     was read from it or, with a high resolution timestamp (kept: its zone is not in ts), when it is
 *     that timestamp's local time to the second;
 *   TRAFFIC: action when the column holds the same word (allow, deny, drop; reset-* and drop-icmp stay),
 *     rule, rule_uuid (rule_id), from, to (zones), inbound_if, outbound_if, bytes, packets, elapsed
 *     (duration) when they are numbers, bytes_sent and pkts_sent when bytes_sent + bytes_received = bytes
 *     (likewise packets), natsrc/natdst and natsport/natdport when in the NAT columns or when they are
 *     PAN-OS's "no translation" (0.0.0.0 or :: and port 0);
 *   THREAT: app (app_proto), severity when it is one of the five names (the column's number), threatid
 *     when it is exactly `signature(signature_id)`, and category or thr_category, whichever is the column.
 * Skips: `not_panos` (no CSV), `bad_quote`, `column_count`, `bad_timestamp`, `bad_value` (detail: field).
 */
import { isUtf8 } from 'node:buffer';
import { readByteLine, type ByteRecordFn } from './text-line.js';
import { FINDINGS, FIREWALL, columnIndex } from '../../model/fields.js';
import type { ColumnBatch } from '../../store/column-batch.js';
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { writeFlowKey, type FlowKey } from '../flow-key.js';
import { lineFramer } from '../line-framer.js';
import { latin1, parseUint } from '../zeek/zeek-values.js';
import { CsvFields, csvStart, envelopeHost, envelopeOffset, isoTime, panosTime } from './panos-csv.js';
import { RepeatString } from './byte-intern.js';
import { MIN_THREAT_FIELDS, MIN_TRAFFIC_FIELDS, P } from './panos-fields.js';
import { MAX_FLAGGED, PanosExtra, THREAT_LOG, TRAFFIC_LOG, type PanosLogTable } from './panos-extra.js';
import { PanosRowBuilder, readPanosHeader, startsWithBytes, startsWithExportHeader, startsWithLetter, type PanosHeader } from './panos-header.js';

const W = columnIndex(FIREWALL);
const G = columnIndex(FINDINGS);
const SOURCE = 'panos';
const OTHER_TYPES = new Set(['SYSTEM', 'CONFIG', 'HIP-MATCH', 'HIPMATCH', 'GLOBALPROTECT', 'USERID', 'DECRYPTION', 'AUTHENTICATION', 'TUNNEL', 'SCTP', 'CORRELATION', 'GTP', 'IPTAG', 'AUDIT']);
const SEVERITY = new Map<string, number>([['critical', 1], ['high', 2], ['medium', 3], ['low', 4], ['informational', 5]]);
const THREAT_ALLOWED = new Set(['alert', 'allow', 'continue', 'override', 'wildfire-upload-success', 'wildfire-upload-skip']);

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

const utf8 = (b: Buffer, s: number, e: number): string => b.toString('utf8', s, e);

/** Whether `b[s..e)` is valid UTF-8 (checked natively only when not ASCII). */
function isUtf8Range(b: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] >= 0x80) return isUtf8(b.subarray(s, e));
  return true;
}

/** Decoding of one input. */
class PanosDecoder {
  readonly decoder: Decoder;
  private readonly f = new CsvFields();
  private readonly extra = new PanosExtra();
  private readonly iso = { micros: 0, offsetMicros: 0 };
  private readonly key: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };
  private buf: Buffer = Buffer.alloc(0);
  private readonly host = { start: 0, end: 0 };
  /** 1 for each field of this line that `extra` leaves out: the static list, then what this line's columns hold. */
  private readonly drop = new Uint8Array(MAX_FLAGGED);
  /** This line's time_generated is what ts holds (set by `time`). */
  private tgInTs = false;
  /** Field the sensor column came from, -1 when none (or when the context names the sensor). */
  private sensorField = -1;
  /** The envelope's host is the sensor's text. */
  private hostIsSensor = false;
  // Strings of fields that repeat from line to line, made again only when their bytes change.
  private readonly protoText = new RepeatString(latin1);
  private readonly deviceText = new RepeatString(utf8);
  /** The column map of a CSV export (panos-header.ts), once its header line was read; null for syslog lines. */
  private header: PanosHeader | null = null;
  /** The held header line's first field and its comma: only a line starting so may be a new header. */
  private headerLead: Buffer | null = null;
  private readonly rows = new PanosRowBuilder();
  private readonly headerFields = new CsvFields();
  /** A record line was read: from then on only an export's own rows may be followed by a header again. */
  private sawRecord = false;
  /** The `extra` tables of this row: the syslog ones, or an export's with its own column names added. */
  private trafficLog = TRAFFIC_LOG;
  private threatLog = THREAT_LOG;

  constructor(private readonly ctx: DecodeContext) {
    this.decoder = lineFramer((buf, start, end, lineNo) => this.line(buf, start, end, lineNo), {
      onOversize: (lineNo) => ctx.skip('line_too_long', lineNo),
    });
  }

  private readonly onRecord: ByteRecordFn = (buf, start, end, lineNo) => this.line0(buf, start, end, lineNo);

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

  /**
   * One line: an export's header (kept, nothing stored), an export row (rebuilt in syslog order), or a
   * syslog line. Only the first line, or a line of an export starting as its header did (a repeated
   * header, as concatenated exports have), is tried as a header: trying every row starting with a letter
   * (an export whose first column is the Type) halved the rate.
   */
  private line0(buf: Buffer, start: number, end: number, lineNo: number): void {
    const lead = this.headerLead;
    const mayBeHeader = !this.sawRecord ? startsWithLetter(buf, start, end) : lead !== null && startsWithBytes(buf, start, end, lead);
    if (mayBeHeader && this.tryHeader(buf, start, end)) return;
    this.sawRecord = true;
    if (this.header === null) return this.record(buf, start, end, lineNo);
    const f = this.f;
    if (!f.split(buf, start, end)) return this.ctx.skip('bad_quote', lineNo);
    const built = this.rows.build(this.header, buf, f);
    if (built === null) return this.ctx.skip('not_panos', lineNo);
    this.record(built.line, 0, built.line.length, lineNo, buf, start, end);
  }

  /** Reads the line as an export header; true when it is one. */
  private tryHeader(buf: Buffer, start: number, end: number): boolean {
    const h = readPanosHeader(buf, start, end, this.headerFields);
    if (h === null) return false;
    this.header = h;
    const comma = buf.indexOf(44, start);
    this.headerLead = comma >= 0 && comma < end ? Buffer.from(buf.subarray(start, comma + 1)) : null;
    this.trafficLog = h.traffic.log;
    this.threatLog = h.threat.log;
    return true;
  }

  private record(buf: Buffer, start: number, end: number, lineNo: number, msgBuf = buf, msgStart = start, msgEnd = end): void {
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
    this.sensorField = ctx.sensor !== null ? -1 : !this.empty(device) ? device : this.empty(P.serial) ? -1 : P.serial;
    const sf = this.sensorField;
    const sensor = ctx.sensor ?? (sf < 0 ? null : f.quoted[sf] === 2 ? this.str(sf) : this.deviceText.get(buf, f.start[sf], f.end[sf]));
    const host = this.host;
    if (s > start) envelopeHost(buf, start, s, host);
    else host.start = host.end = 0;
    this.hostIsSensor = this.sensorField >= 0 && f.quoted[this.sensorField] !== 2 && this.sameBytes(host.start, host.end, this.sensorField);
    if (traffic) this.traffic(sensor, msgBuf, msgStart, msgEnd);
    else this.threat(sensor);
  }

  /** Field i's text (as `text` makes it), the string of last time when the bytes repeat. */
  private repeated(cache: RepeatString, i: number): string {
    return this.f.quoted[i] === 2 ? this.text(i) : cache.get(this.buf, this.f.start[i], this.f.end[i]);
  }

  /** Stores the line's `extra` (panos-extra.ts), with the envelope host unless it is the sensor. */
  private writeExtra(b: ColumnBatch, col: number, row: number, log: PanosLogTable): void {
    const host = this.host;
    const keep = !this.hostIsSensor;
    this.extra.write(b, col, row, this.buf, this.f, log, this.drop, keep ? host.start : 0, keep ? host.end : 0);
  }

  /** True when `buf[s..e)` is field i's bytes. */
  private sameBytes(s: number, e: number, i: number): boolean {
    const f = this.f;
    const fs = f.start[i];
    if (e - s !== f.end[i] - fs) return false;
    for (let k = 0; k < e - s; k++) if (this.buf[s + k] !== this.buf[fs + k]) return false;
    return true;
  }

  /** Marks what every row leaves out of `extra` besides the static list: time_generated and the sensor's field. */
  private dropCommon(d: Uint8Array): void {
    if (this.tgInTs) d[P.timeGenerated] = 1;
    // The sensor is the field's text when its bytes are UTF-8 (else the decoded text replaced some).
    const sf = this.sensorField;
    if (sf >= 0 && isUtf8Range(this.buf, this.f.start[sf], this.f.end[sf])) d[sf] = 1;
  }

  private port(i: number): number {
    if (this.empty(i)) return NaN;
    const v = parseUint(this.buf, this.f.start[i], this.f.end[i]);
    return v <= 65535 ? v : NaN;
  }

  private time(highRes: number, envStart: number, csvAt: number): number {
    const f = this.f;
    const t = panosTime(this.buf, f.start[P.timeGenerated], f.end[P.timeGenerated]);
    const iso = this.iso;
    if (!this.empty(highRes) && isoTime(this.buf, f.start[highRes], f.end[highRes], iso)) {
      // time_generated is the high resolution time's local clock without the fraction when they agree.
      const local = iso.micros + (Number.isNaN(iso.offsetMicros) ? 0 : iso.offsetMicros);
      this.tgInTs = t === Math.floor(local / 1e6) * 1e6;
      return iso.micros;
    }
    this.tgInTs = true;
    const off = csvAt > envStart ? envelopeOffset(this.buf, envStart, csvAt, this.iso) : NaN;
    return Number.isNaN(off) ? t : t - off;
  }

  private traffic(sensor: string | null, msgBuf: Buffer, start: number, end: number): void {
    const b = this.ctx.batch('firewall');
    const row = b.addRow();
    writeFlowKey(b, row, this.key, SOURCE, sensor, this.ctx.ingestId);
    this.set(b, W.uid, row, P.sessionid);
    const f = this.f;
    const d = this.drop;
    d.set(TRAFFIC_LOG.inColumns);
    this.dropCommon(d);
    const action = f.quoted[P.action] === 2 ? null : trafficAction(this.buf, f.start[P.action], f.end[P.action]);
    b.setStr(W.action, row, action);
    if (action !== null && action.length === f.end[P.action] - f.start[P.action]) d[P.action] = 1;
    this.set(b, W.rule, row, P.rule);
    this.set(b, W.rule_id, row, P.trafficRuleUuid);
    this.set(b, W.in_zone, row, P.from);
    this.set(b, W.out_zone, row, P.to);
    this.set(b, W.in_iface, row, P.inboundIf);
    this.set(b, W.out_iface, row, P.outboundIf);
    this.nat(b, row, P.natsrc, P.natsport, W.nat_orig_h, W.nat_orig_p);
    this.nat(b, row, P.natdst, P.natdport, W.nat_resp_h, W.nat_resp_p);
    this.dropSent(this.count(b, W.bytes, row, P.bytes), P.bytesSent, P.bytesReceived);
    this.dropSent(this.count(b, W.packets, row, P.packets), P.pktsSent, P.pktsReceived);
    this.count(b, W.duration, row, P.elapsed);
    b.setBytes(W.message, row, msgBuf, start, end);
    this.writeExtra(b, W.extra, row, this.trafficLog);
  }

  /** Leaves the sent count out of `extra` when the stored total minus the kept received count gives it. */
  private dropSent(total: number, sent: number, received: number): void {
    if (Number.isNaN(total) || this.empty(sent) || this.empty(received)) return;
    const f = this.f;
    const s = parseUint(this.buf, f.start[sent], f.end[sent]);
    const r = parseUint(this.buf, f.start[received], f.end[received]);
    if (s + r === total && (f.end[sent] - f.start[sent] === 1 || this.buf[f.start[sent]] !== 48)) this.drop[sent] = 1;
  }

  /**
   * NAT columns, left null when PAN-OS says "no translation" (address 0.0.0.0 or ::, or empty). What the
   * columns hold, and a "no translation" address with port 0, is left out of `extra`.
   */
  private nat(b: ColumnBatch, row: number, hi: number, pi: number, hc: number, pc: number): void {
    if (this.empty(hi)) return;
    const f = this.f;
    const d = this.drop;
    const n = f.end[hi] - f.start[hi];
    const c = this.buf[f.start[hi]];
    if ((n === 7 && c === 48 && this.text(hi) === '0.0.0.0') || (n === 2 && c === 58)) {
      d[hi] = 1;
      if (!this.empty(pi) && f.end[pi] - f.start[pi] === 1 && this.buf[f.start[pi]] === 48) d[pi] = 1;
      return;
    }
    b.setBytes(hc, row, this.buf, f.start[hi], f.end[hi]);
    if (f.quoted[hi] !== 2) d[hi] = 1;
    const p = this.port(pi);
    if (Number.isNaN(p)) return;
    b.setNum(pc, row, p);
    if (f.end[pi] - f.start[pi] === 1 || this.buf[f.start[pi]] !== 48) d[pi] = 1;
  }

  /** Stores field i as a count when it is a number (then left out of `extra`); returns it, else NaN. */
  private count(b: ColumnBatch, col: number, row: number, i: number): number {
    if (this.empty(i)) return NaN;
    const v = parseUint(this.buf, this.f.start[i], this.f.end[i]);
    if (Number.isNaN(v)) return v;
    b.setNum(col, row, v);
    this.drop[i] = 1;
    return v;
  }

  private threat(sensor: string | null): void {
    const b = this.ctx.batch('findings');
    const row = b.addRow();
    writeFlowKey(b, row, this.key, SOURCE, sensor, this.ctx.ingestId);
    this.set(b, G.uid, row, P.sessionid);
    const d = this.drop;
    d.set(THREAT_LOG.inColumns);
    this.dropCommon(d);
    const threat = this.empty(P.threatid) ? '' : this.str(P.threatid);
    const open = threat.lastIndexOf('(');
    const idText = open >= 0 && threat.endsWith(')') ? threat.slice(open + 1, -1) : threat;
    const id = Number(idText);
    const idOk = idText !== '' && Number.isInteger(id) && id >= 0;
    // A name without its `(id)` (an export's Threat/Content Name column, with the id in a column of its own) is the signature.
    const name = (open >= 0 ? threat.slice(0, open) : idOk ? '' : threat).trim();
    if (name !== '') b.setStr(G.signature, row, name);
    if (idOk) b.setNum(G.signature_id, row, id);
    if (idOk && name !== '' && threat === `${name}(${id})`) d[P.threatid] = 1;
    const category = this.noThreatCategory() ? P.category : P.thrCategory;
    this.set(b, G.category, row, category);
    d[category] = 1;
    const sev = SEVERITY.get(this.text(P.severity));
    if (sev !== undefined) {
      b.setNum(G.severity, row, sev);
      d[P.severity] = 1;
    }
    const action = this.text(P.action);
    if (action !== '') b.setStr(G.action, row, THREAT_ALLOWED.has(action) ? 'allowed' : 'blocked');
    this.set(b, G.app_proto, row, P.app);
    this.writeExtra(b, G.extra, row, this.threatLog);
  }

  /** True when thr_category holds nothing: empty, or the `unknown` / `N/A` URL logs carry (their URL category says more). */
  private noThreatCategory(): boolean {
    if (this.empty(P.thrCategory)) return true;
    const t = this.text(P.thrCategory);
    return t === 'unknown' || t === 'N/A';
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
  description: 'Palo Alto Networks PAN-OS syslog CSV and CSV exports with a header: TRAFFIC as firewall decisions, THREAT as findings',
  positionUnit: 'line',
  sniff(head: Buffer): number {
    if (startsWithExportHeader(head)) return 0.9;
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
