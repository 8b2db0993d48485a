/** The time range of a validation: as SQL conditions, and as the report prints it. */
import { isoMicros } from '../model/time.js';
import type { TimeRange } from '../query/time-range.js';
import type { Dialect } from '../store/dialect.js';
import { raw, sql, type SqlFragment } from '../store/sql.js';

/** SQL conditions keeping rows of a time range, widened back by `lookback` microseconds. */
export function rangeSql(d: Dialect, range: TimeRange, lookback = 0, column: SqlFragment = raw('ts')): SqlFragment {
  const since = range.since === undefined ? raw('TRUE') : sql`${column} >= ${d.timestampFromMicros(range.since - lookback)}`;
  const until = range.until === undefined ? raw('TRUE') : sql`${column} < ${d.timestampFromMicros(range.until)}`;
  return sql`(${since} AND ${until})`;
}

/** The range as reports print it: ISO times with microseconds, null for an open end. */
export function reportRange(range: TimeRange): { since: string | null; until: string | null } {
  return {
    since: range.since === undefined ? null : isoMicros(range.since),
    until: range.until === undefined ? null : isoMicros(range.until),
  };
}
