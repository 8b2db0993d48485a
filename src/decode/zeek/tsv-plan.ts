/**
 * Zeek TSV header blocks (`#separator`, `#fields`, `#types`, ...) and the per-block plan compiled from
 * them: for every column, one small integer saying how to handle its value, so the per-line loop in
 * zeek-tsv.ts is a flat switch with no lookups, closures or per-line objects.
 */
import type { FieldType } from '../../model/fields.js';
import { METADATA } from '../../model/fields.js';
import {
  EXTRA_COL, SHARED_CID, SHARED_NONE, SHARED_ORIG_H, SHARED_ORIG_P, SHARED_PROTO, SHARED_RESP_H, SHARED_RESP_P,
  SHARED_ROLES, SHARED_SENSOR, SHARED_TS, SHARED_UID, interimLog, logFromFields, logFromInputName, refineLog, tableForLog,
  zeekColumns, type ZeekTable,
} from './zeek-columns.js';
import { inferredTypes } from './tsv-inferred-types.js';
import { zeekString } from './zeek-values.js';

/** Column handler: the value only goes into the JSON object (`extra` or `data`). Codes 1-9 are the SHARED_* roles. */
export const H_JSON = 0;
/** Column handler: `time` into a timestamp column. */
export const H_TIME = 10;
/** Column handler: `interval`/`double` into an f64 column. */
export const H_F64 = 11;
/** Column handler: `count`/`port` into an unsigned column (range-checked). */
export const H_UINT = 12;
/** Column handler: `int` into a signed column. */
export const H_INT = 13;
/** Column handler: `bool` (T/F). */
export const H_BOOL = 14;
/** Column handler: string-like value into a string column. */
export const H_STR = 15;
/** Column handler: set/vector of strings into a string list column. */
export const H_STRLIST = 16;
/** Column handler: vector of numbers into an f64 list column. */
export const H_F64LIST = 17;

/** JSON value kind: not written to the JSON object. */
export const V_NONE = 0;
/** JSON value kind: string. */
export const V_STR = 1;
/** JSON value kind: a double, interval or time, written as a number. */
export const V_NUM = 2;
/** JSON value kind: count or port. */
export const V_UINT = 3;
/** JSON value kind: int. */
export const V_INT = 4;
/** JSON value kind: bool. */
export const V_BOOL = 5;
/** JSON value kind: set or vector, elements of kind `elem`. */
export const V_LIST = 6;

/** Everything the line loop needs for one header block. */
export interface TsvPlan {
  readonly log: string;
  readonly table: ZeekTable;
  /** The rows are interim reports of open connections (conn_long): stored with state_reason 'interim'. */
  readonly interim: boolean;
  readonly names: readonly string[];
  readonly kind: Int32Array;
  readonly col: Int32Array;
  readonly max: Float64Array;
  readonly val: Int32Array;
  readonly elem: Int32Array;
  readonly isSet: Uint8Array;
  /** JSON member prefix per column: `"name":`. */
  readonly keys: readonly Uint8Array[];
  /** Column receiving the JSON object: `extra` (conn, dns) or `data` (metadata). */
  readonly jsonCol: number;
  /** Metadata always gets `data`; conn and dns get `extra` only when it has members. */
  readonly alwaysJson: boolean;
  /** Indexes of the columns stored in list columns (written last, see zeek-tsv.ts). */
  readonly listCols: Int32Array;
  readonly sep: number;
  readonly setSep: number;
  readonly unset: Uint8Array;
  readonly empty: Uint8Array;
}

const UINT_MAX: Partial<Record<FieldType, number>> = { u8: 255, u16: 65535, u32: 4294967295, u64: Number.MAX_VALUE };

function valueKind(type: string): number {
  switch (type) {
    case 'count':
    case 'port':
      return V_UINT;
    case 'int':
      return V_INT;
    case 'double':
    case 'interval':
    case 'time':
      return V_NUM;
    case 'bool':
      return V_BOOL;
    default:
      return type.endsWith(']') && type.includes('[') ? V_LIST : V_STR;
  }
}

function innerType(type: string): string {
  return type.slice(type.indexOf('[') + 1, -1);
}

function sharedAccepts(role: number, type: string): boolean {
  switch (role) {
    case SHARED_TS:
      return type === 'time';
    case SHARED_ORIG_P:
    case SHARED_RESP_P:
      return type === 'port' || type === 'count';
    case SHARED_ORIG_H:
    case SHARED_RESP_H:
      return type === 'addr' || type === 'string';
    case SHARED_PROTO:
      return type === 'enum' || type === 'string';
    case SHARED_UID:
    case SHARED_CID:
    case SHARED_SENSOR:
      return type === 'string';
    default:
      return false;
  }
}

/** The handler storing a Zeek value of `type` in a column of `colType`, or -1 when they do not fit. */
function columnHandler(colType: FieldType, type: string): number {
  const v = valueKind(type);
  const inner = v === V_LIST ? valueKind(innerType(type)) : V_NONE;
  switch (colType) {
    case 'timestamp':
      return type === 'time' ? H_TIME : -1;
    case 'f64':
      return v === V_NUM || v === V_UINT || v === V_INT ? H_F64 : -1;
    case 'u8':
    case 'u16':
    case 'u32':
    case 'u64':
      return v === V_UINT ? H_UINT : -1;
    case 'i32':
      return v === V_INT || v === V_UINT ? H_INT : -1;
    case 'bool':
      return v === V_BOOL ? H_BOOL : -1;
    case 'string':
      return v === V_STR ? H_STR : -1;
    case 'string[]':
      return inner === V_STR ? H_STRLIST : -1;
    case 'f64[]':
      return inner === V_NUM || inner === V_UINT || inner === V_INT ? H_F64LIST : -1;
    default:
      return -1;
  }
}

const encoder = new TextEncoder();

/**
 * Builds the plan of one header block; `path` null means the block had no `#path`, `declared` null that it
 * had no `#types` line (the types are then inferred from the field names, tsv-inferred-types.ts).
 */
export function compilePlan(
  fields: readonly string[],
  declared: readonly string[] | null,
  path: string | null,
  inputName: string,
  seps: { sep: number; setSep: number; unset: Uint8Array; empty: Uint8Array },
): TsvPlan {
  const present = new Set(fields);
  const raw = path ?? logFromFields((f) => present.has(f)) ?? logFromInputName(inputName) ?? 'unknown';
  const log = refineLog(raw, inputName);
  const table = tableForLog(log);
  const own = zeekColumns(table);
  const types = declared ?? inferredTypes(fields, table);
  const n = fields.length;
  const kind = new Int32Array(n);
  const col = new Int32Array(n).fill(-1);
  const max = new Float64Array(n);
  const val = new Int32Array(n);
  const elem = new Int32Array(n);
  const isSet = new Uint8Array(n);
  const seen = new Set<string>();
  const listCols: number[] = [];
  for (let i = 0; i < n; i++) {
    const name = fields[i];
    const type = types[i];
    const v = valueKind(type);
    if (v === V_LIST) {
      elem[i] = valueKind(innerType(type));
      isSet[i] = type.startsWith('set[') ? 1 : 0;
    }
    const first = !seen.has(name);
    seen.add(name);
    const role = first ? (SHARED_ROLES.get(name) ?? SHARED_NONE) : SHARED_NONE;
    const target = first ? own.get(name) : undefined;
    if (role !== SHARED_NONE && sharedAccepts(role, type)) {
      kind[i] = role;
      val[i] = table === 'metadata' ? v : V_NONE;
    } else if (target !== undefined && columnHandler(target.type, type) >= 0) {
      kind[i] = columnHandler(target.type, type);
      col[i] = target.col;
      max[i] = UINT_MAX[target.type] ?? Number.MAX_VALUE;
      val[i] = V_NONE;
      if (kind[i] === H_STRLIST || kind[i] === H_F64LIST) listCols.push(i);
    } else {
      kind[i] = H_JSON;
      val[i] = v;
    }
  }
  return {
    log,
    table,
    interim: interimLog(log),
    names: fields,
    kind,
    col,
    max,
    val,
    elem,
    isSet,
    keys: fields.map((f) => encoder.encode(JSON.stringify(f) + ':')),
    jsonCol: table === 'metadata' ? METADATA.fields.findIndex((f) => f.name === 'data') : EXTRA_COL[table],
    alwaysJson: table === 'metadata',
    listCols: Int32Array.from(listCols),
    sep: seps.sep,
    setSep: seps.setSep,
    unset: seps.unset,
    empty: seps.empty,
  };
}

/** Header state of the current block: separators, path, field names and types. */
export class TsvHeader {
  sep = 9;
  setSep = 44;
  unset: Uint8Array = encoder.encode('-');
  empty: Uint8Array = encoder.encode('(empty)');
  path: string | null = null;
  fields: string[] | null = null;
  types: string[] | null = null;
  /** Bumped whenever the block changes, so the decoder knows to compile a new plan. */
  version = 0;
  /** The block came from a zeek-cut minimal header line (tsv-minimal-header.ts). */
  minimal = false;
  /** The block's `#types` line did not match its `#fields`: its rows are not read (no types are guessed). */
  typesRefused = false;
  private unusable = false;

  /** Starts a block from a zeek-cut minimal header: Zeek's default separators, these fields, inferred types. */
  applyMinimal(fields: string[]): void {
    this.reset();
    this.unusable = false;
    this.sep = 9;
    this.fields = fields;
    this.minimal = true;
  }

  /**
   * Applies one header line, whose meta prefix (`#` unless Zeek's `LogAscii::meta_prefix` says otherwise)
   * is `prefixLen` bytes long; returns a skip reason when the line is a malformed directive, else null.
   */
  apply(buf: Buffer, lineStart: number, end: number, prefixLen = 1): string | null {
    this.minimal = false;
    const start = lineStart + prefixLen;
    if (startsWith(buf, start, end, 'separator')) {
      let i = start + 9;
      while (i < end && (buf[i] === 32 || buf[i] === 9)) i++;
      const v = zeekString(buf, i, end);
      this.reset();
      // Only one-byte separators are supported; a block with another is ignored up to the next #separator.
      this.unusable = v.length !== 1 || v.charCodeAt(0) > 127;
      if (this.unusable) return 'bad_header';
      this.sep = v.charCodeAt(0);
      return null;
    }
    if (this.unusable) return null;
    let nameEnd = start;
    while (nameEnd < end && buf[nameEnd] !== this.sep) nameEnd++;
    const name = buf.toString('latin1', start, nameEnd);
    const values: string[] = [];
    for (let i = nameEnd + 1; i <= end; ) {
      let j = i;
      while (j < end && buf[j] !== this.sep) j++;
      values.push(zeekString(buf, i, j));
      i = j + 1;
    }
    switch (name) {
      case 'set_separator':
        if (values.length !== 1 || values[0].length !== 1) return 'bad_header';
        this.setSep = values[0].charCodeAt(0);
        break;
      case 'empty_field':
        this.empty = encoder.encode(values[0] ?? '');
        break;
      case 'unset_field':
        this.unset = encoder.encode(values[0] ?? '');
        break;
      case 'path':
        this.path = values[0] || null;
        break;
      case 'fields':
        if (values.length > 1 && values[values.length - 1] === '') values.pop();
        this.fields = values;
        this.types = null;
        this.typesRefused = false;
        break;
      case 'types':
        if (values.length > 1 && values[values.length - 1] === '') values.pop();
        if (this.fields === null || values.length !== this.fields.length) {
          this.types = null;
          this.typesRefused = true;
          this.version++;
          return 'bad_header';
        }
        this.types = values;
        this.typesRefused = false;
        break;
      default:
        return null; // #open, #close and comments change nothing
    }
    this.version++;
    return null;
  }

  private reset(): void {
    this.setSep = 44;
    this.unset = encoder.encode('-');
    this.empty = encoder.encode('(empty)');
    this.path = null;
    this.fields = null;
    this.types = null;
    this.typesRefused = false;
    this.version++;
  }
}

function startsWith(buf: Buffer, start: number, end: number, s: string): boolean {
  if (end - start < s.length) return false;
  for (let i = 0; i < s.length; i++) if (buf[start + i] !== s.charCodeAt(i)) return false;
  return true;
}
