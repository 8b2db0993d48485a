/**
 * The fast path of the Zeek JSON decoder: writes a line scanned by json-line-scan.ts straight from its
 * bytes into the batch, without JSON.parse, per-field strings or a JSON.stringify for `extra`. Keys are
 * recognised by comparing their bytes with the keys that followed the previous key on earlier lines
 * (Zeek writes them in a fixed order, some optional), so a line costs no key strings either.
 *
 * It stores exactly what json-record.ts stores for the same line. Whenever that is not certain (a value
 * of an unexpected type, a time with more than 6 decimals, a number whose text JSON.stringify would
 * write differently, a duplicate key...) it writes nothing and answers false, and the caller takes the
 * general path, which also does the skipping and its reason codes.
 */
import { METADATA } from '../../model/fields.js';
import type { ColumnBatch } from '../../store/column-batch.js';
import type { DecodeContext } from '../decoder.js';
import { K, resetFlowKey, writeFlowKey, type FlowKey } from '../flow-key.js';
import { ByteWriter } from './byte-writer.js';
import { T_BOOL, T_F64, T_F64LIST, T_NONE, T_STR, T_STRLIST, T_TIME, T_UINT, keyInfo, type KeyInfo } from './json-keys.js';
import {
  J_ARR, J_FALSE, J_NULL, J_NUM, J_STR, J_TRUE, JsonLineTokens, scanJsonLine, stringEnd, type KeyResolver,
} from './json-line-scan.js';
import {
  EXTRA_COL, SHARED_CID, SHARED_NONE, SHARED_ORIG_H, SHARED_ORIG_P, SHARED_PROTO, SHARED_RESP_H, SHARED_RESP_P,
  SHARED_SENSOR, SHARED_TS, SHARED_UID, interimLog, logFromInputName, refineLog, tableForLog, type ZeekTable,
} from './zeek-columns.js';
import { canonicalNumber, fastMicros } from './json-numbers.js';
import { latin1, parseDouble, protoText } from './zeek-values.js';

const LOG_COL = METADATA.fields.findIndex((f) => f.name === 'log');
const DATA_COL = METADATA.fields.findIndex((f) => f.name === 'data');

/** The value of number member `i`: as the scanner found it for a plain integer, else parsed from its text. */
function numberOf(t: JsonLineTokens, i: number, buf: Buffer, s: number, e: number): number {
  const v = t.num[i];
  return v === v ? v : parseDouble(buf, s, e);
}

/** Index of the closing quote when the key text at `p` is exactly `key`, else -1. */
function keyEnd(buf: Uint8Array, p: number, e: number, key: Uint8Array): number {
  const n = key.length;
  if (p + n >= e || buf[p + n] !== 34) return -1;
  for (let i = 0; i < n; i++) if (buf[p + i] !== key[i]) return -1;
  return p + n;
}

function sameBytes(buf: Uint8Array, s: number, e: number, b: Uint8Array): boolean {
  if (e - s !== b.length) return false;
  for (let i = 0; i < b.length; i++) if (buf[s + i] !== b[i]) return false;
  return true;
}

/** Remembers the last string made from some bytes, so a value repeated on every line (`_path`, the sensor) is made once. */
class LastText {
  private bytes = new Uint8Array(0);
  private text = '';

  get(buf: Buffer, s: number, e: number): string {
    if (!sameBytes(buf, s, e, this.bytes)) {
      this.bytes = buf.slice(s, e);
      this.text = latin1(buf, s, e);
    }
    return this.text;
  }
}

/** Writes flat Zeek JSON lines from their bytes; one per decoder, since it remembers the keys it has seen. */
export class JsonFastWriter implements KeyResolver {
  private readonly ctx: DecodeContext;
  private readonly t = new JsonLineTokens();
  private readonly known = new Map<string, KeyInfo>();
  /** The first key of recent lines (see KeyInfo.next). */
  private firstKey: KeyInfo | null = null;
  private firstKey2: KeyInfo | null = null;
  private readonly infos: KeyInfo[] = [];
  private readonly nums = new Float64Array(512);
  private stamp = 0;
  private readonly json = new ByteWriter(4096);
  private readonly path = new LastText();
  private readonly sensorText = new LastText();
  private readonly fk: FlowKey = {
    tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null,
  };
  private readonly nameLog: string;

  constructor(ctx: DecodeContext) {
    this.ctx = ctx;
    this.nameLog = logFromInputName(ctx.inputName) ?? 'unknown';
  }

  /**
   * Recognises member `m`'s key (KeyResolver): usually it is the key that followed member m-1's key
   * before, compared in place; otherwise its text is checked and looked up by name.
   */
  key(buf: Uint8Array, p: number, e: number, m: number): number {
    let prev = m === 0 ? null : this.infos[m - 1];
    const guess = prev === null ? this.firstKey : prev.next;
    if (guess !== null) {
      const end = keyEnd(buf, p, e, guess.bytes);
      if (end >= 0) {
        this.infos[m] = guess;
        return end;
      }
    }
    const q = stringEnd(buf, p, e);
    if (q < 0) return -1;
    const other = prev === null ? this.firstKey2 : prev.next2;
    let info: KeyInfo | undefined;
    if (other !== null && keyEnd(buf, p, e, other.bytes) === q) info = other;
    else {
      const name = latin1(buf as Buffer, p, q);
      info = this.known.get(name);
      if (info === undefined) {
        // A bounded cache: a file with endless distinct keys costs lookups, never memory. The
        // successor links are dropped with it, so no forgotten key stays reachable.
        if (this.known.size >= 4096) {
          this.known.clear();
          this.firstKey = this.firstKey2 = null;
          prev = null;
        }
        info = keyInfo(name);
        this.known.set(name, info);
      }
    }
    if (prev === null) {
      if (m === 0) {
        this.firstKey2 = this.firstKey;
        this.firstKey = info;
      }
    } else {
      prev.next2 = prev.next;
      prev.next = info;
    }
    this.infos[m] = info;
    return q;
  }

  /** True when JSON.stringify would write member `i`'s value as the bytes it has in the line. */
  private copyable(buf: Buffer, i: number): boolean {
    const t = this.t;
    const k = t.kind[i];
    if (k === J_NUM) return canonicalNumber(buf, t.valStart[i], t.valEnd[i]);
    if (k !== J_ARR) return true;
    if (t.tight[i] === 0) return false;
    for (let j = t.first[i], end = j + t.items[i]; j < end; j++) {
      if (t.itemKind[j] === J_NUM && !canonicalNumber(buf, t.itemStart[j], t.itemEnd[j])) return false;
    }
    return true;
  }

  /** Appends member `i` to the JSON object being built (`extra` or `data`). */
  private member(buf: Buffer, i: number, info: KeyInfo, first: boolean): void {
    const w = this.json;
    const t = this.t;
    if (!first) w.byte(44);
    w.bytes(info.jsonKey, 0, info.jsonKey.length);
    if (t.kind[i] === J_STR) {
      w.byte(34);
      w.bytes(buf, t.valStart[i], t.valEnd[i]);
      w.byte(34);
    } else w.bytes(buf, t.valStart[i], t.valEnd[i]);
  }

  /** Checks and converts a value for a column of store type `st`, leaving a number in nums[i]; false when unsure. */
  private convert(buf: Buffer, i: number, st: number, max: number): boolean {
    const t = this.t;
    const k = t.kind[i];
    const s = t.valStart[i];
    const e = t.valEnd[i];
    switch (st) {
      case T_TIME: {
        const v = k === J_NUM ? fastMicros(buf, s, e) : NaN;
        this.nums[i] = v;
        return v === v;
      }
      case T_F64:
        if (k !== J_NUM) return false;
        this.nums[i] = numberOf(t, i, buf, s, e);
        return true;
      case T_UINT: {
        if (k !== J_NUM) return false;
        const v = numberOf(t, i, buf, s, e);
        this.nums[i] = v;
        return Number.isInteger(v) && v >= 0 && v <= max;
      }
      case T_BOOL:
        if (k === J_TRUE || k === J_FALSE) this.nums[i] = k === J_TRUE ? 1 : 0;
        else if (k === J_STR && e - s === 1 && (buf[s] === 84 || buf[s] === 70)) this.nums[i] = buf[s] === 84 ? 1 : 0;
        else return false;
        return true;
      case T_STR:
        return k === J_STR;
      case T_STRLIST:
      case T_F64LIST: {
        if (k !== J_ARR) return false;
        const want = st === T_STRLIST ? J_STR : J_NUM;
        for (let j = t.first[i], end = j + t.items[i]; j < end; j++) {
          const ik = t.itemKind[j];
          if (ik !== want && ik !== J_NULL) return false;
        }
        return true;
      }
      default:
        return false;
    }
  }

  /** Checks a shared (flow key) field; false when unsure. */
  private sharedOk(buf: Buffer, i: number, role: number): boolean {
    const t = this.t;
    const k = t.kind[i];
    if (role === SHARED_TS) {
      if (k !== J_NUM) return false;
      const v = fastMicros(buf, t.valStart[i], t.valEnd[i]);
      this.nums[i] = v;
      return v === v;
    }
    if (role === SHARED_ORIG_P || role === SHARED_RESP_P) {
      if (k !== J_NUM) return false;
      const v = numberOf(t, i, buf, t.valStart[i], t.valEnd[i]);
      this.nums[i] = v;
      return Number.isInteger(v) && v >= 0 && v <= 65535;
    }
    // Addresses go through writeFlowKey as bytes, which stores an empty one as null: leave those to the general path.
    if (k !== J_STR) return false;
    return !((role === SHARED_ORIG_H || role === SHARED_RESP_H) && t.valEnd[i] === t.valStart[i]);
  }

  /** Writes the line `buf[s .. e)` if it can be done exactly; false (no row left behind) sends it the general way. */
  write(buf: Buffer, s: number, e: number): boolean {
    const t = this.t;
    if (!scanJsonLine(buf, s, e, t, this)) return false;
    const n = t.count;
    const infos = this.infos;
    const stamp = ++this.stamp;
    let pathAt = -1;
    let hints = 0;
    for (let i = 0; i < n; i++) {
      const info = infos[i];
      if (info.stamp === stamp) return false;
      info.stamp = stamp;
      if (t.kind[i] === J_NULL) continue;
      if (info.isPath) {
        if (t.kind[i] !== J_STR || t.valEnd[i] === t.valStart[i]) return false;
        pathAt = i;
      }
      hints |= info.hint;
    }
    const raw =
      pathAt >= 0 ? this.path.get(buf, t.valStart[pathAt], t.valEnd[pathAt]) : hints & 1 ? 'conn' : hints & 2 ? 'dns' : this.nameLog;
    const log = refineLog(raw, this.ctx.inputName);
    const table = tableForLog(log);
    return this.store(buf, table, log);
  }

  /**
   * Checks and writes every value in one pass; on the first value it is unsure of, drops the row
   * (the batch forgets it whole, lists included) and answers false.
   */
  private store(buf: Buffer, table: ZeekTable, log: string): boolean {
    const t = this.t;
    const ctx = this.ctx;
    const meta = table === 'metadata';
    const conn = table === 'connections';
    const b = ctx.batch(table);
    const row = b.addRow();
    const fk = this.fk;
    resetFlowKey(fk, buf);
    let sensor = ctx.sensor;
    const w = this.json;
    w.reset();
    w.byte(123);
    let members = 0;
    let ok = true;
    for (let i = 0; i < t.count && ok; i++) {
      const info = this.infos[i];
      const k = t.kind[i];
      if (k === J_NULL || info.isPath) continue;
      const s = t.valStart[i];
      const e = t.valEnd[i];
      if (meta) {
        if (!(info.plain && this.copyable(buf, i))) ok = false;
        else this.member(buf, i, info, members++ === 0);
      }
      const role = info.role;
      if (role !== SHARED_NONE) {
        if (role === SHARED_SENSOR) {
          if (k !== J_STR) ok = false;
          else if (ctx.sensor === null) sensor = this.sensorText.get(buf, s, e);
        } else if (!this.sharedOk(buf, i, role)) ok = false;
        else this.shared(b, row, buf, i, role);
        continue;
      }
      if (meta) continue;
      const st = conn ? info.connType : info.dnsType;
      const col = conn ? info.connCol : info.dnsCol;
      if (st === T_NONE) {
        if (!(info.plain && this.copyable(buf, i))) ok = false;
        else this.member(buf, i, info, members++ === 0);
      } else if (!this.convert(buf, i, st, conn ? info.connMax : info.dnsMax)) ok = false;
      else if (st === T_STR) b.setBytes(col, row, buf, s, e);
      else if (st === T_STRLIST || st === T_F64LIST) this.list(b, buf, i, st, col, row);
      else b.setNum(col, row, this.nums[i]);
    }
    if (!ok) {
      b.dropLastRow();
      return false;
    }
    w.byte(125);
    if (meta) {
      b.setStr(LOG_COL, row, log);
      b.setBytes(DATA_COL, row, w.buf, 0, w.len);
    } else if (members > 0) b.setBytes(EXTRA_COL[table], row, w.buf, 0, w.len);
    if (conn && interimLog(log)) b.setStr(K.state_reason, row, 'interim');
    if (fk.proto === 'icmp' && fk.origHEnd! > fk.origHStart!) {
      const colon = buf.indexOf(58, fk.origHStart);
      if (colon >= 0 && colon < fk.origHEnd!) fk.proto = 'icmp6';
    }
    writeFlowKey(b, row, fk, 'zeek', sensor, ctx.ingestId);
    return true;
  }

  /** Puts a checked shared field (other than the sensor) into the flow key, or the uid into its column. */
  private shared(b: ColumnBatch, row: number, buf: Buffer, i: number, role: number): void {
    const fk = this.fk;
    const s = this.t.valStart[i];
    const e = this.t.valEnd[i];
    switch (role) {
      case SHARED_TS:
        fk.tsMicros = this.nums[i];
        break;
      case SHARED_UID:
        b.setBytes(K.uid, row, buf, s, e);
        break;
      case SHARED_ORIG_H:
        fk.origHStart = s;
        fk.origHEnd = e;
        break;
      case SHARED_RESP_H:
        fk.respHStart = s;
        fk.respHEnd = e;
        break;
      case SHARED_ORIG_P:
        fk.origP = this.nums[i];
        break;
      case SHARED_RESP_P:
        fk.respP = this.nums[i];
        break;
      case SHARED_PROTO:
        fk.proto = protoText(buf, s, e);
        break;
      case SHARED_CID:
        fk.communityId = latin1(buf, s, e);
        break;
    }
  }

  private list(batch: ColumnBatch, buf: Buffer, i: number, st: number, col: number, row: number): void {
    const t = this.t;
    batch.setEmptyList(col, row);
    for (let j = t.first[i], end = j + t.items[i]; j < end; j++) {
      const ik = t.itemKind[j];
      if (st === T_STRLIST) {
        if (ik === J_NULL) batch.pushStr(col, row, '');
        else batch.pushStr(col, row, latin1(buf, t.itemStart[j], t.itemEnd[j]));
      } else batch.pushNum(col, row, ik === J_NULL ? NaN : parseDouble(buf, t.itemStart[j], t.itemEnd[j]));
    }
  }
}
