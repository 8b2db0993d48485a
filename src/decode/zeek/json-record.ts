/**
 * Maps one Zeek JSON record onto a row: conn -> connections, dns -> dns, any other log -> metadata with
 * the whole record as `data`. Every value is checked before anything is written, so a record with one
 * bad value is skipped whole and never leaves half a row behind.
 */
import { METADATA } from '../../model/fields.js';
import type { DecodeContext } from '../decoder.js';
import { K, writeFlowKey, type FlowKey } from '../flow-key.js';
import { jsonBool, jsonMicros, jsonNumber, jsonText, jsonUint } from './json-values.js';
import {
  EXTRA_COL, SHARED_CID, SHARED_NONE, SHARED_ORIG_H, SHARED_ORIG_P, SHARED_PROTO, SHARED_RESP_H, SHARED_RESP_P,
  SHARED_ROLES, SHARED_SENSOR, SHARED_TS, SHARED_UID, interimLog, logFromFields, logFromInputName, refineLog, tableForLog,
  fixIcmp6, zeekColumns, type ZeekColumn,
} from './zeek-columns.js';

const LOG_COL = METADATA.fields.findIndex((f) => f.name === 'log');
const DATA_COL = METADATA.fields.findIndex((f) => f.name === 'data');
const UINT_MAX: Record<string, number> = { u8: 255, u16: 65535, u32: 4294967295, u64: Number.MAX_VALUE, i32: 2147483647 };

/** A checked value waiting to be written: a number, a bool, a string, or a list of strings or numbers. */
type Ready = number | boolean | string | string[] | number[];

/** The log a flat JSON record belongs to: `_path`, else guessed from its fields, else from the input name. */
export function jsonLog(rec: Record<string, unknown>, inputName: string): string {
  const path = rec._path;
  const log =
    (typeof path === 'string' && path !== '' ? path : null) ??
    logFromFields((f) => rec[f] !== undefined) ??
    logFromInputName(inputName) ??
    'unknown';
  return refineLog(log, inputName);
}

/** Converts a value for its column; undefined when it does not fit the column's type. */
function convert(target: ZeekColumn, v: unknown): Ready | undefined {
  switch (target.type) {
    case 'timestamp': {
      const t = jsonMicros(v);
      return t === t ? t : undefined;
    }
    case 'f64': {
      const n = jsonNumber(v);
      return n === n ? n : undefined;
    }
    case 'bool':
      return jsonBool(v) ?? undefined;
    case 'string':
      return jsonText(v) ?? undefined;
    case 'string[]': {
      if (!Array.isArray(v)) return undefined;
      const out: string[] = [];
      for (const item of v) {
        const s = item === null ? '' : jsonText(item);
        if (s === null) return undefined;
        out.push(s);
      }
      return out;
    }
    case 'f64[]': {
      if (!Array.isArray(v)) return undefined;
      const out: number[] = [];
      for (const item of v) {
        const n = item === null ? NaN : jsonNumber(item);
        if (n !== n && item !== null) return undefined;
        out.push(n);
      }
      return out;
    }
    default: {
      const n = jsonUint(v, UINT_MAX[target.type] ?? Number.MAX_VALUE);
      return n === n ? n : undefined;
    }
  }
}

/** Reusable flow key, reset for every record. */
const fk: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };

/** Checks a shared field into `fk`; false when its value is of the wrong type. */
function shared(role: number, v: unknown): boolean {
  if (role === SHARED_TS) {
    const t = jsonMicros(v);
    fk.tsMicros = t === t ? t : null;
    return t === t;
  }
  if (role === SHARED_ORIG_P || role === SHARED_RESP_P) {
    const port = jsonUint(v, 65535);
    if (port !== port) return false;
    if (role === SHARED_ORIG_P) fk.origP = port;
    else fk.respP = port;
    return true;
  }
  const s = jsonText(v);
  if (s === null) return false;
  if (role === SHARED_UID) fk.uid = s;
  else if (role === SHARED_ORIG_H) fk.origH = s;
  else if (role === SHARED_RESP_H) fk.respH = s;
  else if (role === SHARED_PROTO) fk.proto = s;
  else if (role === SHARED_CID) fk.communityId = s;
  return true;
}

/** Writes one flat Zeek JSON record (nested records already flattened, nulls dropped); skips it on a bad value. */
export function writeJsonRecord(ctx: DecodeContext, rec: Record<string, unknown>, lineNo: number): void {
  const log = jsonLog(rec, ctx.inputName);
  const table = tableForLog(log);
  const own = zeekColumns(table);
  fk.tsMicros = fk.origP = fk.respP = null;
  fk.uid = fk.origH = fk.respH = fk.proto = fk.communityId = null;
  let sensor = ctx.sensor;
  const cols: number[] = [];
  const values: Ready[] = [];
  let extra: Record<string, unknown> | null = null;
  for (const name in rec) {
    if (name === '_path') continue;
    const v = rec[name];
    const role = SHARED_ROLES.get(name) ?? SHARED_NONE;
    if (role === SHARED_SENSOR) {
      const s = jsonText(v);
      if (s === null) return ctx.skip('bad_value', lineNo, name);
      if (ctx.sensor === null) sensor = s;
      continue;
    }
    if (role !== SHARED_NONE) {
      if (!shared(role, v)) return ctx.skip('bad_value', lineNo, name);
      continue;
    }
    const target = own.get(name);
    if (target === undefined) {
      if (table !== 'metadata') (extra ??= {})[name] = v;
      continue;
    }
    const ready = convert(target, v);
    if (ready === undefined) return ctx.skip('bad_value', lineNo, name);
    cols.push(target.col);
    values.push(ready);
  }
  // Serialised before the row is added: a value nested too deeply to serialise throws with no row begun.
  let json: string | null = null;
  if (table === 'metadata') {
    const { _path: _omit, ...data } = rec;
    json = JSON.stringify(data);
  } else if (extra !== null) json = JSON.stringify(extra);
  const b = ctx.batch(table);
  const row = b.addRow();
  for (let i = 0; i < cols.length; i++) {
    const v = values[i];
    if (typeof v === 'number') b.setNum(cols[i], row, v);
    else if (typeof v === 'boolean') b.setBool(cols[i], row, v);
    else if (typeof v === 'string') b.setStr(cols[i], row, v);
    else {
      b.setEmptyList(cols[i], row);
      for (const item of v) {
        if (typeof item === 'string') b.pushStr(cols[i], row, item);
        else b.pushNum(cols[i], row, item);
      }
    }
  }
  if (table === 'metadata') {
    b.setStr(LOG_COL, row, log);
    b.setStr(DATA_COL, row, json);
  } else if (json !== null) b.setStr(EXTRA_COL[table], row, json);
  if (interimLog(log)) b.setStr(K.state_reason, row, 'interim');
  fk.proto = fixIcmp6(fk.proto, fk.origH);
  writeFlowKey(b, row, fk, 'zeek', sensor, ctx.ingestId);
}
