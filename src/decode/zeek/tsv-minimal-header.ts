/**
 * zeek-cut's minimal header (`zeek-cut -m` / `-M`): one line of tab-separated field names, without the
 * `#fields`, `#types` or separator lines, followed by the selected columns. Zeek's defaults apply
 * (tab, `,` between set members, `-` unset, `(empty)`), and each field's type is the one Zeek gives it
 * where Nightjar knows it (the shared key fields and the conn/dns columns, from the field registry);
 * any other field is read as a string.
 */
import type { FieldType } from '../../model/fields.js';
import {
  SHARED_CID, SHARED_NONE, SHARED_ORIG_H, SHARED_ORIG_P, SHARED_PROTO, SHARED_RESP_H, SHARED_RESP_P, SHARED_ROLES,
  SHARED_SENSOR, SHARED_TS, SHARED_UID, zeekColumns,
} from './zeek-columns.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
/** Fields one of which a line of names must have to be taken for a zeek-cut header. */
const KEY_FIELDS = new Set(['ts', 'uid', 'id.orig_h', 'id_orig_h']);

const ROLE_TYPES: Record<number, string> = {
  [SHARED_TS]: 'time',
  [SHARED_UID]: 'string',
  [SHARED_ORIG_H]: 'addr',
  [SHARED_ORIG_P]: 'port',
  [SHARED_RESP_H]: 'addr',
  [SHARED_RESP_P]: 'port',
  [SHARED_PROTO]: 'enum',
  [SHARED_CID]: 'string',
  [SHARED_SENSOR]: 'string',
};

const COLUMN_TYPES: Record<FieldType, string> = {
  timestamp: 'time',
  f64: 'interval',
  u8: 'count',
  u16: 'count',
  u32: 'count',
  u64: 'count',
  i32: 'int',
  bool: 'bool',
  string: 'string',
  'string[]': 'vector[string]',
  'f64[]': 'vector[interval]',
  json: 'string',
};

/** The field names of a zeek-cut minimal header line, or null when the line is not one. */
export function minimalHeaderFields(line: string): string[] | null {
  const names = line.endsWith('\r') ? line.slice(0, -1).split('\t') : line.split('\t');
  if (names.length < 3 || !names.every((n) => NAME.test(n))) return null;
  return names.some((n) => KEY_FIELDS.has(n)) ? names : null;
}

/** Zeek's type for each field of a minimal header, as `#types` would have said. */
export function minimalHeaderTypes(fields: readonly string[]): string[] {
  const conn = zeekColumns('connections');
  const dns = zeekColumns('dns');
  return fields.map((f) => {
    const role = SHARED_ROLES.get(f) ?? SHARED_NONE;
    if (role !== SHARED_NONE) return ROLE_TYPES[role];
    const c = conn.get(f) ?? dns.get(f);
    return c === undefined ? 'string' : COLUMN_TYPES[c.type];
  });
}
