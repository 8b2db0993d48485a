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
 * picks for them anyway. Long unique text (original lines, JSON): zstd.
 *
 * Which methods exist depends on the file's storage format. Files made before STORAGE_VERSION (DuckDB's
 * default, readable by 0.10) have no zstd for text: FSST there, and the dictionary is the old one. In
 * DuckDB 1.5's format FSST and the old dictionary can no longer be chosen (DICT_FSST replaces both), and
 * zstd halves DuckDB's own cost of storing long text and shrinks the file several times (measured in
 * bench/README.md, "DuckDB 1.5's storage format").
 */
const FEW_VALUES = new Set([
  'proto', 'source_type', 'sensor', 'service', 'conn_state', 'history', 'state_reason', 'action',
  'cloud_provider', 'cloud_account', 'cloud_region', 'cloud_vpc', 'cloud_subnet', 'cloud_instance',
  'rule', 'rule_id', 'in_iface', 'out_iface', 'in_zone', 'out_zone',
]);
const LONG_TEXT = new Set(['message', 'extra', 'data']);

/** Storage format of new store files (DuckDB's `storage_compatibility_version`); see above. */
export const STORAGE_VERSION = 'v1.5.0';

/** Compression methods of one storage format. */
interface Methods {
  readonly fewValues: string;
  readonly longText: string;
}
const CURRENT: Methods = { fewValues: 'dict_fsst', longText: 'zstd' };
const BEFORE_1_5: Methods = { fewValues: 'dictionary', longText: 'fsst' };

function compression(f: FieldDef, m: Methods): string | null {
  if (f.random) return 'uncompressed';
  if (f.type !== 'string' && f.type !== 'json') return null;
  if (FEW_VALUES.has(f.name)) return m.fewValues;
  if (LONG_TEXT.has(f.name)) return m.longText;
  return null;
}

/**
 * True when a file of storage format `version` (as DuckDB's duckdb_databases() tags it: 'v1.0.0+',
 * 'v1.5.0+') has the current compression methods.
 */
function hasCurrentMethods(version: string): boolean {
  const m = /^v(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 1 || (major === 1 && minor >= 5);
}

/** The DuckDB dialect for a file of storage format `version` (DDL differs; queries do not). */
export function duckdbDialectFor(version: string): Dialect {
  return hasCurrentMethods(version) ? duckdbDialect : beforeV15Dialect;
}

function makeDialect(methods: Methods): Dialect {
  const columnDef = (f: FieldDef): string => {
    const c = compression(f, methods);
    return c === null ? TYPES[f.type] : `${TYPES[f.type]} USING COMPRESSION ${c}`;
  };
  return {
    ...QUERIES,
    columnDef,
    createTable(table: TableDef): string {
      const cols = table.fields.map((f) => `  "${f.name}" ${columnDef(f)}`).join(',\n');
      return `CREATE TABLE IF NOT EXISTS "${table.name}" (\n${cols}\n)`;
    },
  };
}

/** What the dialect is besides DDL: the same for every storage format. */
const QUERIES: Omit<Dialect, 'columnDef' | 'createTable'> = {
  name: 'duckdb',
  columnType: (t) => TYPES[t],
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

/** The DuckDB dialect for new files. */
export const duckdbDialect: Dialect = makeDialect(CURRENT);
const beforeV15Dialect: Dialect = makeDialect(BEFORE_1_5);
