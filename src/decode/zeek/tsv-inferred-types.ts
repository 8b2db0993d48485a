/**
 * Zeek types for a header block that declares field names but no `#types` line: zeek-cut's minimal header
 * (`zeek-cut -m` / `-M`) and exporters or hand-cut files that keep `#fields` alone. Each field gets the type
 * Zeek gives it where Nightjar knows it: the shared key fields, the columns the log is stored in (conn and
 * dns, from the field registry's Zeek names) and conn.log's optional policy columns. Any other field is a
 * string: a guessed number that fails to parse would drop the row, a string never does.
 */
import type { FieldType } from '../../model/fields.js';
import {
  SHARED_CID, SHARED_NONE, SHARED_ORIG_H, SHARED_ORIG_P, SHARED_PROTO, SHARED_RESP_H, SHARED_RESP_P, SHARED_ROLES,
  SHARED_SENSOR, SHARED_TS, SHARED_UID, zeekColumns, type ZeekTable,
} from './zeek-columns.js';

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

/**
 * conn.log and dns.log columns with no column of ours, as Zeek's scripts declare them: vlan-logging.zeek
 * (`vlan`, `inner_vlan`), mac-logging.zeek (`orig_l2_addr`, `resp_l2_addr`), Zeek 8's
 * conn_key/vlan_fivetuple.zeek (the connection id's context, `id.ctx.vlan`, `id.ctx.inner_vlan`), the
 * speculative service of Zeek 6; dns/auth-addl.zeek (`auth`, `addl`).
 */
const CONN_EXTRA_TYPES: ReadonlyMap<string, string> = new Map([
  ['vlan', 'int'],
  ['inner_vlan', 'int'],
  ['id.ctx.vlan', 'int'],
  ['id.ctx.inner_vlan', 'int'],
  ['orig_l2_addr', 'string'],
  ['resp_l2_addr', 'string'],
  ['speculative_service', 'string'],
]);
const DNS_EXTRA_TYPES: ReadonlyMap<string, string> = new Map([
  ['auth', 'set[string]'],
  ['addl', 'set[string]'],
]);
const EXTRA_TYPES: Partial<Record<ZeekTable, ReadonlyMap<string, string>>> = { connections: CONN_EXTRA_TYPES, dns: DNS_EXTRA_TYPES };

/**
 * Zeek's type for each field of a block stored in `table`, as its `#types` line would have said. Other
 * logs (kept whole as metadata) type a field named like a conn or dns column as that column, as zeek-cut
 * headers were read before (`duration`, `missed_bytes` of ssh.log, files.log, ... stay numbers).
 */
export function inferredTypes(fields: readonly string[], table: ZeekTable): string[] {
  const own = zeekColumns(table);
  const other = table === 'connections' || table === 'dns' ? null : [zeekColumns('connections'), zeekColumns('dns')];
  return fields.map((f) => {
    const role = SHARED_ROLES.get(f) ?? SHARED_NONE;
    if (role !== SHARED_NONE) return ROLE_TYPES[role];
    const c = own.get(f) ?? other?.[0].get(f) ?? other?.[1].get(f);
    if (c !== undefined) return COLUMN_TYPES[c.type];
    return EXTRA_TYPES[table]?.get(f) ?? 'string';
  });
}
