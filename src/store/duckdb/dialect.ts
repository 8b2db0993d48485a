/** DuckDB's SQL dialect. */
import type { FieldDef, FieldType, TableDef } from '../../model/fields.js';
import type { Dialect, RenderedSql } from '../dialect.js';
import { sql, type SqlFragment } from '../sql.js';

const TYPES: Record<FieldType, string> = {
  timestamp: 'TIMESTAMP',
  string: 'VARCHAR',
  json: 'VARCHAR',
  u8: 'UTINYINT',
  u16: 'USMALLINT',
  u32: 'UINTEGER',
  u64: 'UBIGINT',
  i32: 'INTEGER',
  f64: 'DOUBLE',
  bool: 'BOOLEAN',
  'string[]': 'VARCHAR[]',
  'f64[]': 'DOUBLE[]',
};

/**
 * Compression fixed per column, so DuckDB skips trying every method on each row group while loading.
 * Random-looking values (uids, hashes) never compress: uncompressed (loading 15% faster for 10% more
 * disk, 1 M conn rows). Names, states and labels with few distinct values: dictionary, what DuckDB
 * picked for them anyway. Long unique text (original lines, JSON): FSST, ditto. Measured on CPU time
 * of the appends: 1 M Zeek conn rows 2.76/3.01 s -> 2.66/2.83 s, 200 k PAN-OS lines 1.95/2.10 s ->
 * 1.74/1.85 s, 200 k netfilter lines 1.03/1.06 s -> 0.91/0.92 s, for 2-5% more disk.
 */
const FEW_VALUES = new Set([
  'proto', 'source_type', 'sensor', 'service', 'conn_state', 'history', 'state_reason', 'action',
  'cloud_provider', 'cloud_account', 'cloud_region', 'cloud_vpc', 'cloud_subnet', 'cloud_instance',
  'rule', 'rule_id', 'in_iface', 'out_iface', 'in_zone', 'out_zone',
]);
const LONG_TEXT = new Set(['message', 'extra', 'data']);

function compression(f: FieldDef): string | null {
  if (f.random) return 'uncompressed';
  if (f.type !== 'string' && f.type !== 'json') return null;
  if (FEW_VALUES.has(f.name)) return 'dictionary';
  if (LONG_TEXT.has(f.name)) return 'fsst';
  return null;
}

/** The DuckDB dialect. */
export const duckdbDialect: Dialect = {
  name: 'duckdb',
  columnType: (t) => TYPES[t],
  columnDef(f: FieldDef): string {
    const c = compression(f);
    return c === null ? TYPES[f.type] : `${TYPES[f.type]} USING COMPRESSION ${c}`;
  },
  createTable(table: TableDef): string {
    const cols = table.fields.map((f) => `  "${f.name}" ${duckdbDialect.columnDef(f)}`).join(',\n');
    return `CREATE TABLE IF NOT EXISTS "${table.name}" (\n${cols}\n)`;
  },
  render(q: SqlFragment): RenderedSql {
    let text = q.parts[0];
    for (let i = 1; i < q.parts.length; i++) text += `$${i}` + q.parts[i];
    return { text, params: q.params };
  },
  timeBucket(column, seconds) {
    return sql`time_bucket(to_microseconds(${Math.round(seconds * 1e6)}::BIGINT), ${column})`;
  },
  epochMicros(expr) {
    return sql`epoch_us(${expr})`;
  },
  timestampFromMicros(micros) {
    return sql`make_timestamp(${Math.round(micros)}::BIGINT)`;
  },
  ipv6Hex(a) {
    // Groups left and right of '::' padded to four digits, the gap filled with zero groups.
    const left = sql`CASE WHEN contains(${a}, '::') THEN split_part(${a}, '::', 1) ELSE ${a} END`;
    const right = sql`CASE WHEN contains(${a}, '::') THEN split_part(${a}, '::', 2) ELSE '' END`;
    const groups = (part: SqlFragment) => sql`(CASE WHEN ${part} = '' THEN []::VARCHAR[] ELSE string_split(${part}, ':') END)`;
    const hex = (part: SqlFragment) => sql`array_to_string(list_transform(${groups(part)}, g -> lpad(g, 4, '0')), '')`;
    return sql`(${hex(left)} || repeat('0000', 8 - len(${groups(left)}) - len(${groups(right)})) || ${hex(right)})`;
  },
};

