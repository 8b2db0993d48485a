/**
 * FortiGate (FortiOS) `key=value` logs, with or without a syslog envelope. `type=traffic` lines of every
 * subtype (forward, local, multicast, sniffer) become firewall rows; other types (event, utm, ...) are
 * counted as ignored, `fortigate-<type>`.
 *
 *   action     accept, close, timeout, client-rst, server-rst, start -> allow (the session was let
 *              through; how it ended is in extra.action); deny, block, blocked -> deny; else null
 *   rule       policyname, else policyid; rule_id = policyid
 *   interfaces srcintf / dstintf (FortiOS logs no zones there)
 *   NAT        trandisp snat: transip/transport; dnat: tranip/tranport; snat+dnat: both (0.0.0.0 = none)
 *   counters   bytes = sentbyte + rcvdbyte, packets = sentpkt + rcvdpkt, duration
 *   time       date + time in tz= when given; else eventtime (s, ms, us or ns by its length); else
 *              date + time read as UTC
 *
 * `extra` holds, as strings under FortiOS's key names, every pair a column does not hold exactly, and the
 * envelope host as `syslog_host` unless it is the sensor; srcintfrole / dstintfrole `undefined` (FortiOS's
 * "no role") count as empty. Left out (docs/firewall-fields.md): type (the
 * table says it), srcip, srcport, dstip, dstport, proto (ip_proto), sessionid (uid), srcintf, dstintf,
 * policyname and policyid (rule, rule_id), duration when a number; the key the sensor came from (devname,
 * else devid); action when the column holds the same word (deny; accept, close, timeout, ...-rst stay: the
 * column says allow); transip/transport and tranip/tranport when in the NAT columns or "no translation"
 * (0.0.0.0 or :: with port 0); sentbyte and sentpkt when sent + rcvd is the bytes/packets column; date and
 * time when ts was read from them (with tz=, which stays); eventtime when ts was read from it (times are
 * compared at the store's precision, the microsecond).
 * Skips: `bad_kv`, `unterminated_quote`, `no_type`, `bad_timestamp`, `bad_value`.
 */
import { isUtf8 } from 'node:buffer';
import { readByteLine, type ByteRecordFn } from './text-line.js';
import { FIREWALL, columnIndex } from '../../model/fields.js';
import type { ColumnBatch } from '../../store/column-batch.js';
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { protoName, writeFlowKey, type FlowKey } from '../flow-key.js';
import { lineFramer } from '../line-framer.js';
import { ByteWriter } from '../zeek/byte-writer.js';
import { latin1, parseUint } from '../zeek/zeek-values.js';
import { daysFromCivil } from './cisco-asa-envelope.js';
import { FG_KEYS, KvPairs, S, kvStart } from './fortigate-kv.js';
import { envelopeHost } from './panos-csv.js';

const W = columnIndex(FIREWALL);
const SOURCE = 'fortigate';
const OTHER_TYPES = new Set(['event', 'utm', 'anomaly', 'dlp', 'emailfilter', 'virus', 'webfilter', 'ips', 'app-ctrl', 'dns', 'ssh', 'ssl', 'waf', 'voip', 'file-filter', 'gtp']);
const ALLOWED = new Set(['accept', 'close', 'timeout', 'client-rst', 'server-rst', 'start']);
const DENIED = new Set(['deny', 'block', 'blocked']);
const UNDEFINED = Buffer.from('undefined', 'latin1');

/** Slots always left out of `extra`: their text goes to a column unchanged, or the table says it (type). */
const IN_COLUMNS = new Uint8Array(FG_KEYS.length);
for (const k of ['type', 'srcip', 'srcport', 'dstip', 'dstport', 'srcintf', 'dstintf', 'sessionid', 'policyid', 'policyname'] as const) IN_COLUMNS[S[k]] = 1;

/** Decoding of one input. */
class FortigateDecoder {
  readonly decoder: Decoder;
  private readonly kv = new KvPairs();
  private readonly w = new ByteWriter(2048);
  private readonly host = { start: 0, end: 0 };
  private readonly key: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };
  private buf: Buffer = Buffer.alloc(0);
  /** 1 for each slot this line leaves out of `extra`: IN_COLUMNS, then what this line's columns hold. */
  private readonly drop = new Uint8Array(FG_KEYS.length);
  /** How `time` found ts: 1 date + time (+ tz), 2 eventtime. */
  private timeFrom = 0;

  constructor(private readonly ctx: DecodeContext) {
    this.decoder = lineFramer((buf, start, end, lineNo) => this.line(buf, start, end, lineNo), {
      onOversize: (lineNo) => ctx.skip('line_too_long', lineNo),
    });
  }

  private readonly onRecord: ByteRecordFn = (buf, start, end, lineNo) => this.record(buf, start, end, lineNo);

  private line(buf: Buffer, start: number, end: number, lineNo: number): void {
    readByteLine(buf, start, end, lineNo, this.ctx, this.onRecord);
  }


  private text(slot: number): string {
    const p = this.kv.pair[slot];
    return p < 0 ? '' : latin1(this.buf, this.kv.valStart[p], this.kv.valEnd[p]);
  }

  /** The slot's value as UTF-8 text (the device name as the device wrote it). */
  private utf8(slot: number): string {
    const p = this.kv.pair[slot];
    return this.buf.toString('utf8', this.kv.valStart[p], this.kv.valEnd[p]);
  }

  private uint(slot: number): number {
    const p = this.kv.pair[slot];
    return p < 0 ? NaN : parseUint(this.buf, this.kv.valStart[p], this.kv.valEnd[p]);
  }

  /** True when the slot holds a number written without leading zeros (so a number column gives it back). */
  private canonical(slot: number): boolean {
    const p = this.kv.pair[slot];
    return p >= 0 && (this.kv.valEnd[p] - this.kv.valStart[p] === 1 || this.buf[this.kv.valStart[p]] !== 48);
  }

  private set(b: ColumnBatch, col: number, row: number, slot: number): void {
    if (!this.kv.has(slot)) return;
    const p = this.kv.pair[slot];
    b.setBytes(col, row, this.buf, this.kv.valStart[p], this.kv.valEnd[p]);
  }

  private record(buf: Buffer, start: number, end: number, lineNo: number): void {
    const ctx = this.ctx;
    const kvAt = kvStart(buf, start, end);
    if (kvAt < 0) return ctx.skip('bad_kv', lineNo);
    this.buf = buf;
    const kv = this.kv;
    const err = kv.split(buf, kvAt, end);
    if (err !== null) return ctx.skip(err, lineNo);
    if (!kv.has(S.type)) return ctx.skip('no_type', lineNo);
    const type = this.text(S.type);
    if (type !== 'traffic') return ctx.ignore(OTHER_TYPES.has(type) ? `fortigate-${type}` : 'fortigate-other');
    const ts = this.time();
    if (Number.isNaN(ts)) return ctx.skip('bad_timestamp', lineNo);
    const sport = this.uint(S.srcport);
    const dport = this.uint(S.dstport);
    const proto = this.uint(S.proto);
    if (!kv.has(S.srcip) || !kv.has(S.dstip)) return ctx.skip('bad_value', lineNo, 'address');
    if ((kv.has(S.srcport) && !(sport <= 65535)) || (kv.has(S.dstport) && !(dport <= 65535))) return ctx.skip('bad_value', lineNo, 'port');
    if (kv.has(S.proto) && !(proto <= 255)) return ctx.skip('bad_value', lineNo, 'proto');
    const k = this.key;
    k.tsMicros = ts;
    k.uid = kv.has(S.sessionid) ? this.text(S.sessionid) : null;
    k.addrBuf = buf;
    k.origHStart = kv.valStart[kv.pair[S.srcip]];
    k.origHEnd = kv.valEnd[kv.pair[S.srcip]];
    k.respHStart = kv.valStart[kv.pair[S.dstip]];
    k.respHEnd = kv.valEnd[kv.pair[S.dstip]];
    k.origP = Number.isNaN(sport) ? null : sport;
    k.respP = Number.isNaN(dport) ? null : dport;
    k.proto = Number.isNaN(proto) ? null : protoName(proto);
    const host = this.host;
    if (kvAt > start) envelopeHost(buf, start, kvAt, host);
    else host.start = host.end = 0;
    const hostStart = host.start;
    const hostEnd = host.end;
    const d = this.drop;
    d.set(IN_COLUMNS);
    const sensorSlot = ctx.sensor !== null ? -2 : kv.has(S.devname) ? S.devname : kv.has(S.devid) ? S.devid : -1;
    const sensor = ctx.sensor ?? (sensorSlot >= 0 ? this.utf8(sensorSlot) : hostEnd > hostStart ? latin1(buf, hostStart, hostEnd) : null);
    // The sensor is the value's text when its bytes are UTF-8 (else the decoded text replaced some).
    if (sensorSlot >= 0 && this.utf8Value(sensorSlot)) d[sensorSlot] = 1;
    // The envelope host is left out when it is the sensor column's text.
    const hostInSensor = sensorSlot === -1 || (sensorSlot >= 0 && this.sameBytes(hostStart, hostEnd, sensorSlot));
    if (kv.has(S.proto) && this.canonical(S.proto)) d[S.proto] = 1;
    // FortiOS's "no role" is written `undefined`: left out like an empty value.
    if (this.isUndefined(S.srcintfrole)) d[S.srcintfrole] = 1;
    if (this.isUndefined(S.dstintfrole)) d[S.dstintfrole] = 1;
    if (this.timeFrom === 1) d[S.date] = d[S.time] = 1;
    else if (this.timeFrom === 2) d[S.eventtime] = 1;
    const b = ctx.batch('firewall');
    const row = b.addRow();
    writeFlowKey(b, row, k, SOURCE, sensor, ctx.ingestId);
    const action = this.text(S.action);
    const column = ALLOWED.has(action) ? 'allow' : DENIED.has(action) ? 'deny' : null;
    b.setStr(W.action, row, column);
    if (column === action) d[S.action] = 1;
    this.set(b, W.rule, row, kv.has(S.policyname) ? S.policyname : S.policyid);
    this.set(b, W.rule_id, row, S.policyid);
    this.set(b, W.in_iface, row, S.srcintf);
    this.set(b, W.out_iface, row, S.dstintf);
    const nat = this.text(S.trandisp);
    if (nat === 'snat' || nat === 'snat+dnat') this.nat(b, row, S.transip, S.transport, W.nat_orig_h, W.nat_orig_p);
    else this.noNat(S.transip, S.transport);
    if (nat === 'dnat' || nat === 'snat+dnat') this.nat(b, row, S.tranip, S.tranport, W.nat_resp_h, W.nat_resp_p);
    else this.noNat(S.tranip, S.tranport);
    this.sum(b, W.bytes, row, S.sentbyte, S.rcvdbyte);
    this.sum(b, W.packets, row, S.sentpkt, S.rcvdpkt);
    const dur = this.uint(S.duration);
    if (!Number.isNaN(dur)) {
      b.setNum(W.duration, row, dur);
      if (this.canonical(S.duration)) d[S.duration] = 1;
    }
    b.setBytes(W.message, row, buf, start, end);
    this.extra(b, row, hostInSensor ? 0 : hostStart, hostInSensor ? 0 : hostEnd);
  }

  /** True when `buf[s..e)` is the slot's value bytes. */
  private sameBytes(s: number, e: number, slot: number): boolean {
    const p = this.kv.pair[slot];
    const vs = this.kv.valStart[p];
    if (e - s !== this.kv.valEnd[p] - vs) return false;
    for (let i = 0; i < e - s; i++) if (this.buf[s + i] !== this.buf[vs + i]) return false;
    return true;
  }

  /** True when the slot's value bytes are valid UTF-8 (checked natively only when not ASCII). */
  private utf8Value(slot: number): boolean {
    const p = this.kv.pair[slot];
    const s = this.kv.valStart[p];
    const e = this.kv.valEnd[p];
    for (let i = s; i < e; i++) if (this.buf[i] >= 0x80) return isUtf8(this.buf.subarray(s, e));
    return true;
  }

  /** True when the slot's value is the word `undefined`. */
  private isUndefined(slot: number): boolean {
    const p = this.kv.pair[slot];
    if (p < 0) return false;
    const s = this.kv.valStart[p];
    if (this.kv.valEnd[p] - s !== 9) return false;
    for (let i = 0; i < 9; i++) if (this.buf[s + i] !== UNDEFINED[i]) return false;
    return true;
  }

  /** True when the slot is FortiOS's "no translation" address. */
  private unset(hs: number): boolean {
    const h = this.text(hs);
    return h === '0.0.0.0' || h === '::';
  }

  /** Leaves a "no translation" address, and its port when 0, out of `extra`. */
  private noNat(hs: number, ps: number): void {
    if (!this.kv.has(hs) || !this.unset(hs)) return;
    this.drop[hs] = 1;
    if (this.text(ps) === '0') this.drop[ps] = 1;
  }

  private nat(b: ColumnBatch, row: number, hs: number, ps: number, hc: number, pc: number): void {
    if (!this.kv.has(hs)) return;
    if (this.unset(hs)) return this.noNat(hs, ps);
    this.set(b, hc, row, hs);
    this.drop[hs] = 1;
    const p = this.uint(ps);
    if (p > 0 && p <= 65535) {
      b.setNum(pc, row, p);
      if (this.canonical(ps)) this.drop[ps] = 1;
    }
  }

  /** Stores sent + received; the sent count is left out of `extra` when the column minus the kept received count gives it. */
  private sum(b: ColumnBatch, col: number, row: number, a: number, c: number): void {
    const x = this.uint(a);
    const y = this.uint(c);
    if (Number.isNaN(x) && Number.isNaN(y)) return;
    b.setNum(col, row, (Number.isNaN(x) ? 0 : x) + (Number.isNaN(y) ? 0 : y));
    if (!Number.isNaN(x) && !Number.isNaN(y) && this.canonical(a)) this.drop[a] = 1;
  }

  /** Microseconds of the line, NaN when no usable time is given. */
  private time(): number {
    const kv = this.kv;
    const buf = this.buf;
    let local = NaN;
    if (kv.has(S.date) && kv.has(S.time)) {
      const d = kv.pair[S.date];
      const t = kv.pair[S.time];
      local = civil(buf, kv.valStart[d], kv.valEnd[d], kv.valStart[t], kv.valEnd[t]);
    }
    if (!Number.isNaN(local) && kv.has(S.tz)) {
      const off = tzOffset(this.text(S.tz));
      this.timeFrom = 1;
      if (!Number.isNaN(off)) return local - off;
    }
    if (kv.has(S.eventtime)) {
      const p = kv.pair[S.eventtime];
      const s = kv.valStart[p];
      const e = kv.valEnd[p];
      const n = e - s;
      // FortiOS writes seconds, milliseconds, microseconds or nanoseconds depending on version.
      const v = n >= 18 ? parseUint(buf, s, e - 3) : parseUint(buf, s, e);
      const us = n >= 18 ? v : n >= 15 ? v : n >= 12 ? v * 1e3 : v * 1e6;
      // ts holds it to the store's precision, the microsecond.
      this.timeFrom = 2;
      if (!Number.isNaN(us)) return us;
    }
    this.timeFrom = 1;
    return local;
  }

  /** Every pair not stored as is in a column, as a JSON object of strings. */
  private extra(b: ColumnBatch, row: number, hostStart: number, hostEnd: number): void {
    const kv = this.kv;
    const w = this.w;
    const buf = this.buf;
    w.reset();
    w.byte(123);
    let first = true;
    if (hostEnd > hostStart) {
      w.ascii('"syslog_host":"');
      w.jsonEscaped(buf, hostStart, hostEnd);
      w.byte(34);
      first = false;
    }
    // Keys are plain words; values are copied as they are unless the line holds something to escape.
    w.ensure((kv.valEnd[kv.count - 1] - kv.keyStart[0]) * 6 + kv.count * 8 + 8);
    const raw = !kv.escapes;
    let o = w.buf;
    let p = w.len;
    for (let i = 0; i < kv.count; i++) {
      const slot = kv.slotOf[i];
      if (slot >= 0 && (this.drop[slot] === 1 || kv.pair[slot] !== i)) continue;
      if (!first) o[p++] = 44;
      first = false;
      o[p++] = 34;
      for (let j = kv.keyStart[i]; j < kv.keyEnd[i]; j++) o[p++] = buf[j];
      o[p++] = 34;
      o[p++] = 58;
      o[p++] = 34;
      if (raw) for (let j = kv.valStart[i]; j < kv.valEnd[i]; j++) o[p++] = buf[j];
      else {
        w.len = p;
        w.jsonEscaped(buf, kv.valStart[i], kv.valEnd[i]);
        o = w.buf;
        p = w.len;
      }
      o[p++] = 34;
    }
    w.len = p;
    w.byte(125);
    b.setBytes(W.extra, row, w.buf, 0, w.len);
  }
}

function dig(buf: Uint8Array, i: number, n: number): number {
  return parseUint(buf, i, i + n);
}

/** `YYYY-MM-DD` and `HH:MM:SS` as microseconds read as UTC; NaN when malformed. */
function civil(buf: Uint8Array, ds: number, de: number, ts: number, te: number): number {
  if (de - ds !== 10 || te - ts !== 8 || buf[ds + 4] !== 45 || buf[ds + 7] !== 45 || buf[ts + 2] !== 58 || buf[ts + 5] !== 58) return NaN;
  const y = dig(buf, ds, 4);
  const mo = dig(buf, ds + 5, 2);
  const d = dig(buf, ds + 8, 2);
  const h = dig(buf, ts, 2);
  const mi = dig(buf, ts + 3, 2);
  const s = dig(buf, ts + 6, 2);
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 60)) return NaN;
  return (daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1e6;
}

/** `-0800`, `+05:30` as microseconds east of UTC; NaN otherwise. */
function tzOffset(tz: string): number {
  const sign = tz[0] === '-' ? -1 : tz[0] === '+' ? 1 : 0;
  const hm = tz.slice(1).replace(':', '');
  if (sign === 0 || hm.length !== 4) return NaN;
  const h = Number(hm.slice(0, 2));
  const m = Number(hm.slice(2));
  return Number.isInteger(h) && Number.isInteger(m) ? sign * (h * 60 + m) * 60e6 : NaN;
}

function looksLikeFortigate(line: string): boolean {
  return line.includes('date=') && line.includes('time=') && line.includes('type=') && (line.includes('logid=') || line.includes('devid='));
}

/** The FortiGate decoder, registered as `fortigate`. */
export const fortigate: DecoderDef = {
  name: 'fortigate',
  description: 'FortiGate key=value logs: traffic (forward, local, multicast, sniffer) as firewall decisions',
  positionUnit: 'line',
  sniff(head: Buffer): number {
    const lines = head.toString('latin1', 0, Math.min(head.length, 65536)).split('\n');
    if (lines.length > 1 && (head.length > 65536 || head[head.length - 1] !== 10)) lines.pop();
    let seen = 0;
    let hits = 0;
    for (const l of lines) {
      if (l.trim() === '') continue;
      if (++seen > 5) break;
      if (looksLikeFortigate(l)) hits++;
    }
    return seen > 0 && hits * 2 > Math.min(seen, 5) ? 0.9 : 0;
  },
  create(ctx: DecodeContext): Decoder {
    return new FortigateDecoder(ctx).decoder;
  },
};
