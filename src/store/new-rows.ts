/**
 * Which of an ingest's rows a hook reads at a commit or checkpoint, as one condition: the rows appended
 * since the previous checkpoint when the store singles them out (FreshRows), else those from `since` on,
 * else all of them.
 */
import { raw, sql, type SqlFragment } from './sql.js';
import type { FreshRows } from './store.js';

/**
 * ` AND <condition>` (or nothing) for an event table's rows, `alias` qualifying its columns; `since` is a
 * timestamp expression, null to read every row when the store cannot single out the new ones.
 */
export function newRowsFilter(fresh: FreshRows | undefined, since: SqlFragment | null, alias?: string): SqlFragment {
  if (fresh !== undefined) return sql` AND ${fresh.where(alias)}`;
  if (since === null) return raw('');
  return sql` AND ${raw(alias === undefined ? 'ts' : `${alias}.ts`)} >= ${since}`;
}
