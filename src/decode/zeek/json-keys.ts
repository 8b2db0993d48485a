/**
 * What the Zeek JSON fast path knows about a key (`id.orig_h`, `duration`, `_path`...): its flow-key
 * role, the column and store type it has in conn and dns, whether it hints at the log, and whether its
 * name can be copied into `extra` as it is. Worked out once per distinct key, from the field registry.
 */
import type { FieldType } from '../../model/fields.js';
import { SHARED_NONE, SHARED_ROLES, zeekColumns } from './zeek-columns.js';

/** Store type: not a column of the table (the value goes to `extra`). */
export const T_NONE = 0;
/** Store type: timestamp column. */
export const T_TIME = 1;
/** Store type: f64 column. */
export const T_F64 = 2;
/** Store type: unsigned (or i32, non-negative) column, range-checked. */
export const T_UINT = 3;
/** Store type: bool column. */
export const T_BOOL = 4;
/** Store type: string column. */
export const T_STR = 5;
/** Store type: string list column. */
export const T_STRLIST = 6;
/** Store type: f64 list column. */
export const T_F64LIST = 7;
/** A column type the fast path does not handle: the line goes the general way. */
export const T_OTHER = 8;

const UINT_MAX: Partial<Record<FieldType, number>> = { u8: 255, u16: 65535, u32: 4294967295, u64: Number.MAX_VALUE, i32: 2147483647 };

/** What is known about one key, found once and reused for every line that has it. */
export interface KeyInfo {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** `"name":` as JSON.stringify writes it. */
  readonly jsonKey: Uint8Array;
  readonly role: number;
  /** 1 when the key says the log is conn, 2 when it says dns (see logFromFields). */
  readonly hint: number;
  readonly isPath: boolean;
  /** False for keys JSON.stringify would not write in place (array-index-like names, `__proto__`). */
  readonly plain: boolean;
  readonly connType: number;
  readonly connCol: number;
  readonly dnsType: number;
  readonly dnsCol: number;
  readonly connMax: number;
  readonly dnsMax: number;
  /** Number of the last line the key was seen on, to catch duplicate keys. */
  stamp: number;
  /** The two keys seen after this one most recently (optional fields make the next key vary). */
  next: KeyInfo | null;
  next2: KeyInfo | null;
}

function storeType(t: FieldType | undefined): number {
  switch (t) {
    case undefined:
      return T_NONE;
    case 'timestamp':
      return T_TIME;
    case 'f64':
      return T_F64;
    case 'bool':
      return T_BOOL;
    case 'string':
      return T_STR;
    case 'string[]':
      return T_STRLIST;
    case 'f64[]':
      return T_F64LIST;
    case 'json':
      return T_OTHER;
    default:
      return T_UINT;
  }
}

const encoder = new TextEncoder();
const CONN_HINTS = new Set(['conn_state', 'history', 'orig_bytes']);
const DNS_HINTS = new Set(['query', 'qtype', 'trans_id', 'rcode']);

/** Everything the fast path needs to know about a key, worked out from the field registry. */
export function keyInfo(name: string): KeyInfo {
  const conn = zeekColumns('connections').get(name);
  const dns = zeekColumns('dns').get(name);
  return {
    name,
    bytes: encoder.encode(name),
    jsonKey: encoder.encode(JSON.stringify(name) + ':'),
    role: SHARED_ROLES.get(name) ?? SHARED_NONE,
    hint: CONN_HINTS.has(name) ? 1 : DNS_HINTS.has(name) ? 2 : 0,
    isPath: name === '_path',
    plain: !/^\d+$/.test(name) && name !== '__proto__',
    connType: storeType(conn?.type),
    connCol: conn?.col ?? -1,
    dnsType: storeType(dns?.type),
    dnsCol: dns?.col ?? -1,
    connMax: conn === undefined ? 0 : (UINT_MAX[conn.type] ?? Number.MAX_VALUE),
    dnsMax: dns === undefined ? 0 : (UINT_MAX[dns.type] ?? Number.MAX_VALUE),
    stamp: 0,
    next: null,
    next2: null,
  };
}

