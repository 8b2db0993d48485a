/**
 * The field catalog: every name a user may type in a filter (our column names, Zeek's `id.orig_h`,
 * ECS's `source.ip`, enrichment fields such as `resp_country`), each bound to the SQL expression that
 * yields it over one relation. The filter compiler and the TypeScript evaluator both work from this,
 * so a field means the same thing in SQL and in tests. Enrichment extends a table's base catalog with
 * fields that need joins; a query pays for a join only when it names a field that needs it.
 */
import type { EventTableName } from '../model/fields.js';
import type { SqlFragment } from '../store/sql.js';

/** What kind of value a queryable field holds; it decides which operators and literals fit. */
export type QueryType = 'string' | 'number' | 'address' | 'timestamp' | 'bool' | 'string[]' | 'number[]';

/** Roles that BPF-style qualifiers (`src`, `dst port`, `proto`) resolve to. */
export type FieldRole = 'src-addr' | 'dst-addr' | 'src-port' | 'dst-port' | 'proto' | 'time';

/** One field the filter language can name. */
export interface QueryField {
  /** Canonical name: the stored column or the enrichment field; rows carry the value under it. */
  readonly name: string;
  /** Other names users type (Zeek `id.orig_h`, ECS `source.ip`), matched case-sensitively. */
  readonly aliases: readonly string[];
  readonly type: QueryType;
  /** One sentence, shown by `nightjar fields` and in error suggestions. */
  readonly meaning: string;
  /** SQL expression yielding the value, over the catalog's relation (the base table aliased `t`). */
  readonly expr: SqlFragment;
  /** Role for BPF-style qualifiers, when the field plays one. */
  readonly role?: FieldRole;
  /** Keys of `FieldCatalog.joins` this field's expression needs. */
  readonly needs?: readonly string[];
}

/** The fields of one event table, plus the joins enrichment fields need. */
export interface FieldCatalog {
  readonly table: EventTableName;
  /** The base relation, always aliased `t` (e.g. `"connections" AS t`). */
  readonly base: SqlFragment;
  /** Named LEFT JOIN clauses (full text such as `LEFT JOIN ip_info AS rg ON rg.address = t.resp_h`). */
  readonly joins: ReadonlyMap<string, SqlFragment>;
  readonly fields: readonly QueryField[];
  /** The field a name or alias denotes, if any. */
  resolve(name: string): QueryField | undefined;
}
