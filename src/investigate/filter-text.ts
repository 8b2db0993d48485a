/**
 * The reproducing filters of evidence items: conjunctions of the simplest forms of the filter language
 * (`orig_h == A`, `resp_h == B`, `resp_p == N`, `rcode_name == NXDOMAIN`, `signature == "..."`,
 * `query: name`, `host A`), kept structured so the same clauses give both the text an analyst pastes
 * and the SQL that counts the records it matches. The counts in a report are therefore exactly what
 * the filter returns.
 */
import type { Dialect } from '../store/dialect.js';
import { ident, join, sql, type SqlFragment } from '../store/sql.js';
import type { MicroRange } from './context.js';
import { inRange, num } from './host-sql.js';
import type { Store } from '../store/store.js';

/** One clause of a reproducing filter. */
export type Clause =
  | { readonly op: '=='; readonly field: 'orig_h' | 'resp_h' | 'rcode_name' | 'action' | 'signature'; readonly value: string }
  | { readonly op: '=='; readonly field: 'resp_p'; readonly value: number }
  | { readonly op: 'query'; readonly value: string }
  | { readonly op: 'host'; readonly value: string };

/** Tables evidence is drawn from. */
export type EvidenceTable = 'connections' | 'dns' | 'firewall' | 'findings';

/** A filter over one table. */
export interface StructuredFilter {
  readonly table: EvidenceTable;
  readonly clauses: readonly Clause[];
}

/** A plain value as the filter language reads it (names with odd characters are quoted). */
function literal(v: string | number): string {
  if (typeof v === 'number') return String(v);
  return /^[A-Za-z0-9_.:\-*]+$/.test(v) ? v : JSON.stringify(v);
}

/** The filter as text. */
export function filterText(f: StructuredFilter): string {
  return f.clauses
    .map((c) => (c.op === 'host' ? `host ${literal(c.value)}` : c.op === 'query' ? `query: ${literal(c.value)}` : `${c.field} == ${literal(c.value)}`))
    .join(' and ');
}

/** The filter as a SQL condition (every value a parameter). */
export function filterSql(f: StructuredFilter): SqlFragment {
  const parts = f.clauses.map((c): SqlFragment => {
    switch (c.op) {
      case 'host':
        return sql`(orig_h = ${c.value} OR resp_h = ${c.value})`;
      case 'query':
        return sql`lower(query) = lower(${c.value})`;
      default:
        // Field names come from the closed Clause type, never from users.
        return sql`${ident(c.field)} = ${c.value}`;
    }
  });
  return parts.length ? join(parts, ' AND ') : sql`TRUE`;
}

/** Counts the records the filter matches in the range. */
export async function countFilter(store: Store, d: Dialect, f: StructuredFilter, range: MicroRange): Promise<number> {
  const rows = await store.all(sql`SELECT count(*) AS n FROM ${ident(f.table)} WHERE ${inRange(d, range)} AND ${filterSql(f)}`);
  return num(rows[0]?.n);
}
