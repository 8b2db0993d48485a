/**
 * What differs between storage engines' SQL, behind one interface: types, placeholders, DDL and the
 * few functions the query layer needs. The DuckDB dialect is the first; ClickHouse's comes next.
 */
import type { FieldDef, FieldType, TableDef } from '../model/fields.js';
import type { SqlFragment, SqlParam } from './sql.js';

/** SQL text with its parameters in the engine's placeholder style. */
export interface RenderedSql {
  readonly text: string;
  readonly params: readonly SqlParam[];
}

/** One engine's SQL dialect. */
export interface Dialect {
  readonly name: string;
  /** SQL type of a registry type. */
  columnType(t: FieldType): string;
  /** A column's type and any storage clause, as CREATE TABLE and ADD COLUMN write it. */
  columnDef(field: FieldDef): string;
  /** CREATE TABLE IF NOT EXISTS for an event table. */
  createTable(table: TableDef): string;
  /** Renders a fragment with engine placeholders. */
  render(q: SqlFragment): RenderedSql;
  /** Expression truncating a timestamp column to buckets of `seconds`. */
  timeBucket(column: SqlFragment, seconds: number): SqlFragment;
  /** Expression: microseconds since the epoch of a timestamp expression. */
  epochMicros(expr: SqlFragment): SqlFragment;
  /** Expression: a timestamp from a microseconds parameter. */
  timestampFromMicros(micros: number): SqlFragment;
  /**
   * Expression: the 32 lower-case hex digits of an IPv6 address stored as text (RFC 5952 form), so
   * prefixes compare as fixed-width strings. Only meaningful where the text contains ':'.
   */
  ipv6Hex(address: SqlFragment): SqlFragment;
}
