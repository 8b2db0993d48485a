/**
 * The filter language's entry points: text (plus the simple `--host/--port/--proto/--since/--until`
 * options, ANDed in) to a WHERE condition and the FROM clause with only the joins it needs, or to a
 * predicate over records in TypeScript. See docs/query-language.md for the language.
 */
import type { Dialect } from '../../store/dialect.js';
import { raw, type SqlFragment } from '../../store/sql.js';
import { fromClause } from '../base-catalog.js';
import type { BasicFilter } from '../basic-filter.js';
import type { FieldCatalog } from '../catalog.js';
import { bindFilter, fieldsOf } from './bind.js';
import type { Bound } from './bound.js';
import { compileBound } from './compile.js';
import { evaluateBound } from './evaluate.js';
import { parseFilter } from './parser.js';

/** What selects records: filter text and the simple options, both optional. */
export interface RecordFilter extends BasicFilter {
  /** Filter in the query language (`net 10.0.0.0/8 and port 53`). */
  readonly text?: string;
}

/** A filter ready for SQL: the condition, the relation it applies to, and the bound form. */
export interface CompiledFilter {
  /** WHERE condition over the catalog's relation (base table aliased `t`); TRUE for no filter. */
  readonly where: SqlFragment;
  /** FROM clause: the base table as `t` plus the joins the filter's fields need. */
  readonly from: SqlFragment;
  /** The bound filter, or null when nothing was asked. */
  readonly bound: Bound | null;
}

function basicText(f: BasicFilter): string[] {
  const parts: string[] = [];
  // The option values were checked by options.ts; going through the parser keeps one code path.
  if (f.hosts?.length) parts.push(`(${f.hosts.map((h) => `${h.includes('/') ? 'net' : 'host'} ${h}`).join(' or ')})`);
  if (f.ports?.length) parts.push(`(${f.ports.map((p) => `port ${p}`).join(' or ')})`);
  if (f.proto !== undefined) parts.push(`proto "${f.proto.replace(/["\\]/g, '')}"`);
  return parts;
}

/** Binds a record filter to a catalog (no SQL yet); null when it selects everything. */
export function bindRecordFilter(f: RecordFilter, catalog: FieldCatalog, now = Date.now()): Bound | null {
  const items: Bound[] = [];
  if (f.text !== undefined && f.text.trim() !== '') items.push(bindFilter(parseFilter(f.text), catalog, f.text, now));
  const opts = basicText(f).join(' and ');
  if (opts) items.push(bindFilter(parseFilter(opts), catalog, opts, now));
  const time = catalog.fields.find((x) => x.role === 'time');
  if (time && f.range?.since !== undefined) items.push({ k: 'pred', field: time, test: { t: 'cmp', op: '>=', v: f.range.since } });
  if (time && f.range?.until !== undefined) items.push({ k: 'pred', field: time, test: { t: 'cmp', op: '<', v: f.range.until } });
  if (items.length === 0) return null;
  return items.length === 1 ? items[0] : { k: 'and', items };
}

/** Compiles a record filter for a catalog and dialect. */
export function compileRecordFilter(f: RecordFilter, catalog: FieldCatalog, d: Dialect, now = Date.now()): CompiledFilter {
  const bound = bindRecordFilter(f, catalog, now);
  const needs = new Set<string>();
  if (bound) for (const field of fieldsOf(bound)) for (const n of field.needs ?? []) needs.add(n);
  return { where: bound ? compileBound(bound, d) : raw('TRUE'), from: fromClause(catalog, needs), bound };
}

/** A TypeScript predicate over records for filter text (the evaluator twin of the SQL). */
export function recordPredicate(f: RecordFilter, catalog: FieldCatalog, now = Date.now()): (row: Readonly<Record<string, unknown>>) => boolean {
  const bound = bindRecordFilter(f, catalog, now);
  return bound ? (row) => evaluateBound(bound, row) : () => true;
}
