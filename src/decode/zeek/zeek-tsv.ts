/**
 * The Zeek TSV log decoder (`#separator` headers, one record per line). Built for speed on conn.log:
 * it works on the line's bytes, parses numbers without creating strings, copies strings into the batch
 * arena, and runs each line through a plan compiled once per header block (see tsv-plan.ts). Only the
 * addresses (needed for Community ID) and a few rare values become JS strings. zeek-cut's minimal
 * header (a line of field names, no `#` lines) starts a block too (tsv-minimal-header.ts).
 */
import { METADATA } from '../../model/fields.js';
import type { ColumnBatch } from '../../store/column-batch.js';
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { K, resetFlowKey, writeFlowKey, type FlowKey } from '../flow-key.js';
import { lineFramer } from '../line-framer.js';
import { ByteWriter } from './byte-writer.js';
import {
  SHARED_CID, SHARED_ORIG_H, SHARED_ORIG_P, SHARED_PROTO, SHARED_RESP_H, SHARED_RESP_P, SHARED_SENSOR, SHARED_TS,
  SHARED_UID,
} from './zeek-columns.js';
import { isMarker, writeJsonValue } from './tsv-json.js';
import {
  H_BOOL, H_F64, H_F64LIST, H_INT, H_STR, H_STRLIST, H_TIME, H_UINT, TsvHeader, V_NONE, compilePlan, type TsvPlan,
} from './tsv-plan.js';
import { minimalHeaderFields } from './tsv-minimal-header.js';
import { matchesAt, separatorLinePrefix } from './tsv-meta-prefix.js';
import { fieldEnd, markerAt, scanDouble, scanEnd, scanMicros, scanString, scanUint } from './tsv-scan.js';
import { decodeZeekString, parseDouble, parseInt64, protoText, zeekString } from './zeek-values.js';

const LOG_COL = METADATA.fields.findIndex((f) => f.name === 'log');
/** Longer lines are never a separator line (tsv-meta-prefix.ts); data lines skip the check. */
const SEPARATOR_LINE_MAX = 32;

/** True when the first field of `buf[s..e)` is written like a Zeek field name: a-z, 0-9, '.' and '_' only. */
function nameLikeField(buf: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e && buf[i] !== 9; i++) {
    const c = buf[i];
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46 || c === 95)) return false;
  }
  return true;
}

class TsvDecoder {
  private readonly ctx: DecodeContext;
  private readonly header = new TsvHeader();
  private plan: TsvPlan | null = null;
  private planVersion = -1;
  private readonly json = new ByteWriter(4096);
  private readonly scratch = new ByteWriter(256);
  private readonly fk: FlowKey = {
    tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null,
  };
  /** Zeek's `LogAscii::meta_prefix`: what header lines start with (learnt from a block's separator line). */
  private metaPrefix: Uint8Array = new Uint8Array([35]);
  /** A `#` directive was seen: a line of names is then data, not a zeek-cut header. */
  private sawDirective = false;
  /** Line whose column count was wrong; reported once we know whether it was the unterminated last line. */
  private pendingCount = 0;
  private listStart = new Int32Array(64);
  private listEnd = new Int32Array(64);
  readonly framer: Decoder;

  constructor(ctx: DecodeContext) {
    this.ctx = ctx;
    this.framer = lineFramer((buf, s, e, n) => this.line(buf, s, e, n), {
      onOversize: (n) => ctx.skip('oversize', n),
      onEnd: (unterminated) => this.flushPending(unterminated),
    });
  }

  private flushPending(truncated: boolean): void {
    if (this.pendingCount === 0) return;
    this.ctx.skip(truncated ? 'truncated' : 'column_count', this.pendingCount);
    this.pendingCount = 0;
  }

  private line(buf: Buffer, s: number, e: number, lineNo: number): void {
    if (this.pendingCount !== 0) this.flushPending(false);
    if (s === e) return;
    if (e - s <= SEPARATOR_LINE_MAX) {
      // A block's separator line tells its meta prefix (LogAscii::meta_prefix: '#', '@', '##', ...).
      const p = separatorLinePrefix(buf, s, e);
      if (p > 0 && !(p === this.metaPrefix.length && matchesAt(buf, s, this.metaPrefix))) {
        this.metaPrefix = Uint8Array.prototype.slice.call(buf, s, s + p);
      }
    }
    const mp = this.metaPrefix;
    if (buf[s] === mp[0] && (mp.length === 1 || matchesAt(buf, s, mp))) {
      this.sawDirective = true;
      const err = this.header.apply(buf, s, e, this.metaPrefix.length);
      if (err !== null) this.ctx.skip(err, lineNo);
      return;
    }
    const h = this.header;
    // After a minimal header, only a line whose first field could be a Zeek field name may be another one
    // (data lines start with a time, a uid or an address: looked at no further).
    if ((h.fields === null && !this.sawDirective) || (h.minimal && isNameStart(buf[s]) && nameLikeField(buf, s, e))) {
      const names = minimalHeaderFields(buf.toString('latin1', s, e));
      if (names !== null) return h.applyMinimal(names);
    }
    if (h.version !== this.planVersion) {
      this.planVersion = h.version;
      // A block with `#fields` and no `#types` line (zeek-cut, some exporters) is read with inferred types.
      this.plan = h.fields !== null && !h.typesRefused ? compilePlan(h.fields, h.types, h.path, this.ctx.inputName, h) : null;
      if (this.plan !== null && this.plan.names.length > this.listStart.length) {
        this.listStart = new Int32Array(this.plan.names.length);
        this.listEnd = new Int32Array(this.plan.names.length);
      }
    }
    if (this.plan === null) this.ctx.skip('no_header', lineNo);
    else this.record(this.plan, buf, s, e, lineNo);
  }

  private record(plan: TsvPlan, buf: Buffer, s: number, e: number, lineNo: number): void {
    const ctx = this.ctx;
    const b = ctx.batch(plan.table);
    const row = b.addRow();
    const fk = this.fk;
    resetFlowKey(fk, buf);
    let sensor = ctx.sensor;
    const json = this.json;
    json.len = 0;
    json.byte(123);
    let members = 0;
    const { kind, col, val, sep, unset } = plan;
    const n = kind.length;
    const m0 = unset.length > 0 ? unset[0] : -1;
    let bad = -1;
    let p = s;
    let ci = 0;
    for (; ci < n && p <= e; ci++) {
      const k = kind[ci];
      if (bad >= 0) {
        p = fieldEnd(buf, p, e, sep) + 1;
        continue;
      }
      if (m0 < 0 ? p === e || buf[p] === sep : buf[p] === m0 && markerAt(buf, p, e, sep, unset)) {
        if (k === H_STRLIST || k === H_F64LIST) this.listStart[ci] = -1;
        p += unset.length + 1;
        continue;
      }
      let q: number;
      let v = 0;
      switch (k) {
        case SHARED_TS:
          v = scanMicros(buf, p, e, sep);
          q = scanEnd[0];
          if (v === v) fk.tsMicros = v;
          else bad = ci;
          break;
        case SHARED_UID:
          q = scanString(buf, p, e, sep);
          this.setString(b, K.uid, row, buf, p, q, plan);
          break;
        case SHARED_ORIG_H:
          q = fieldEnd(buf, p, e, sep);
          fk.origHStart = p;
          fk.origHEnd = q;
          break;
        case SHARED_RESP_H:
          q = fieldEnd(buf, p, e, sep);
          fk.respHStart = p;
          fk.respHEnd = q;
          break;
        case SHARED_ORIG_P:
          v = scanUint(buf, p, e, sep);
          q = scanEnd[0];
          if (v <= 65535) fk.origP = v;
          else bad = ci;
          break;
        case SHARED_RESP_P:
          v = scanUint(buf, p, e, sep);
          q = scanEnd[0];
          if (v <= 65535) fk.respP = v;
          else bad = ci;
          break;
        case SHARED_PROTO:
          q = fieldEnd(buf, p, e, sep);
          fk.proto = protoText(buf, p, q);
          break;
        case SHARED_CID:
          q = fieldEnd(buf, p, e, sep);
          fk.communityId = zeekString(buf, p, q);
          break;
        case SHARED_SENSOR:
          q = fieldEnd(buf, p, e, sep);
          if (ctx.sensor === null) sensor = zeekString(buf, p, q);
          break;
        case H_TIME:
          v = scanMicros(buf, p, e, sep);
          q = scanEnd[0];
          if (v === v) b.setNum(col[ci], row, v);
          else bad = ci;
          break;
        case H_F64:
          v = scanDouble(buf, p, e, sep);
          q = scanEnd[0];
          if (v === v) b.setNum(col[ci], row, v);
          else bad = ci;
          break;
        case H_UINT:
          v = scanUint(buf, p, e, sep);
          q = scanEnd[0];
          if (v <= plan.max[ci]) b.setNum(col[ci], row, v);
          else bad = ci;
          break;
        case H_INT:
          q = fieldEnd(buf, p, e, sep);
          v = parseInt64(buf, p, q);
          if (v === v) b.setNum(col[ci], row, v);
          else bad = ci;
          break;
        case H_BOOL:
          q = fieldEnd(buf, p, e, sep);
          if (q - p === 1 && buf[p] === 84) b.setNum(col[ci], row, 1);
          else if (q - p === 1 && buf[p] === 70) b.setNum(col[ci], row, 0);
          else bad = ci;
          break;
        case H_STR:
          q = scanString(buf, p, e, sep);
          this.setString(b, col[ci], row, buf, p, q, plan);
          break;
        case H_F64LIST:
          q = fieldEnd(buf, p, e, sep);
          if (!this.numbersOk(buf, p, q, plan)) bad = ci;
          this.listStart[ci] = p;
          this.listEnd[ci] = q;
          break;
        case H_STRLIST:
          q = fieldEnd(buf, p, e, sep);
          this.listStart[ci] = p;
          this.listEnd[ci] = q;
          break;
        default:
          q = fieldEnd(buf, p, e, sep);
      }
      if (val[ci] !== V_NONE && bad < 0) {
        if (members++ > 0) json.byte(44);
        const key = plan.keys[ci];
        json.bytes(key, 0, key.length);
        if (!writeJsonValue(ci, buf, p, q, plan, json, this.scratch)) bad = ci;
      }
      p = q + 1;
    }
    if (ci < n || p <= e) {
      b.dropLastRow();
      this.pendingCount = lineNo;
      return;
    }
    if (bad >= 0) {
      b.dropLastRow();
      ctx.skip('bad_value', lineNo, plan.names[bad]);
      return;
    }
    if (plan.listCols.length > 0) this.writeLists(plan, b, row, buf);
    if (plan.table === 'metadata') b.setStr(LOG_COL, row, plan.log);
    else if (plan.interim) b.setStr(K.state_reason, row, 'interim');
    json.byte(125);
    if (members > 0 || plan.alwaysJson) b.setBytes(plan.jsonCol, row, json.buf, 0, json.len);
    if (fk.proto === 'icmp' && buf.indexOf(58, fk.origHStart) >= 0 && buf.indexOf(58, fk.origHStart) < fk.origHEnd!) fk.proto = 'icmp6';
    writeFlowKey(b, row, fk, 'zeek', sensor, ctx.ingestId);
  }

  /** Stores a string scanned by scanString (which noted in scanEnd[1] whether it needs unescaping). */
  private setString(b: ColumnBatch, c: number, row: number, buf: Buffer, p: number, q: number, plan: TsvPlan): void {
    if (scanEnd[1] === 0) {
      if (q - p === plan.empty.length && isMarker(buf, p, q, plan.empty)) b.setBytes(c, row, buf, p, p);
      else b.setBytes(c, row, buf, p, q);
    }
    else {
      const w = this.scratch;
      w.reset();
      decodeZeekString(buf, p, q, w);
      b.setBytes(c, row, w.buf, 0, w.len);
    }
  }

  /** Checks every element of a numeric list column, before anything of the row is pushed. */
  private numbersOk(buf: Buffer, p: number, q: number, plan: TsvPlan): boolean {
    if (isMarker(buf, p, q, plan.empty)) return true;
    for (let i = p; i <= q; ) {
      let j = i;
      while (j < q && buf[j] !== plan.setSep) j++;
      if (!isMarker(buf, i, j, plan.unset) && parseDouble(buf, i, j) !== parseDouble(buf, i, j)) return false;
      i = j + 1;
    }
    return true;
  }

  /** Lists go last: a row dropped after a list push would leave the list column inconsistent. */
  private writeLists(plan: TsvPlan, b: ColumnBatch, row: number, buf: Buffer): void {
    for (let li = 0; li < plan.listCols.length; li++) {
      const ci = plan.listCols[li];
      const k = plan.kind[ci];
      if (this.listStart[ci] < 0) continue;
      const p = this.listStart[ci];
      const q = this.listEnd[ci];
      const c = plan.col[ci];
      b.setEmptyList(c, row);
      if (isMarker(buf, p, q, plan.empty)) continue;
      for (let i = p; i <= q; ) {
        let j = i;
        while (j < q && buf[j] !== plan.setSep) j++;
        // An unset element keeps its place (answers and TTLs pair up by index): '' or NaN.
        const unsetItem = isMarker(buf, i, j, plan.unset);
        if (k === H_STRLIST) b.pushStr(c, row, unsetItem ? '' : zeekString(buf, i, j));
        else b.pushNum(c, row, unsetItem ? NaN : parseDouble(buf, i, j));
        i = j + 1;
      }
    }
  }
}

/** True for a byte a field name can start with (zeek-cut -M repeats its header line for each block). */
function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** True when `head` starts with `s`. */
function startsWith(head: Buffer, s: string): boolean {
  return head.length >= s.length && head.toString('latin1', 0, s.length) === s;
}

/**
 * True when the `#` lines opening `head` include a `#fields` line naming a Zeek key field: a header cut
 * down to `#fields` (with or without `#path`, `#set_separator`...), as some exporters write it.
 */
function fieldsDirective(head: Buffer): boolean {
  for (let s = 0; s < head.length && head[s] === 35; ) {
    let e = head.indexOf(10, s);
    if (e < 0) e = head.length;
    if (startsWith(head.subarray(s, e), '#fields\t')) {
      return minimalHeaderFields(head.toString('latin1', s + 8, e)) !== null;
    }
    s = e + 1;
  }
  return false;
}

/** Zeek TSV logs: conn -> connections, dns -> dns, every other log -> metadata. */
export const zeekTsv: DecoderDef = {
  name: 'zeek-tsv',
  description: 'Zeek logs in TSV form (#separator or #fields header, any meta prefix, or zeek-cut\'s line of names): conn, dns and any other log',
  positionUnit: 'line',
  sniff(head: Buffer): number {
    const nl0 = head.indexOf(10);
    if (separatorLinePrefix(head, 0, nl0 < 0 ? Math.min(head.length, SEPARATOR_LINE_MAX) : nl0) > 0) return 1;
    if (startsWith(head, '#separator')) return 1;
    if (head[0] === 35) return fieldsDirective(head) ? 0.8 : 0;
    const nl = head.indexOf(10);
    return nl > 0 && minimalHeaderFields(head.toString('latin1', 0, nl)) !== null ? 0.7 : 0;
  },
  create(ctx: DecodeContext): Decoder {
    return new TsvDecoder(ctx).framer;
  },
};
