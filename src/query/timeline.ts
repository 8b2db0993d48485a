/**
 * Activity over time: records (and, for connections, bytes) per interval, with empty intervals filled
 * in so a chart shows quiet periods as gaps. `auto` picks the shortest round interval that keeps the
 * series within about 120 points over the span asked for (or the span the data covers).
 */
import { NightjarError } from '../model/errors.js';
import type { EventTableName } from '../model/fields.js';
import { isoMicros } from '../model/time.js';
import { raw, sql } from '../store/sql.js';
import type { Store } from '../store/store.js';
import { catalogOf } from './base-catalog.js';
import type { FieldCatalog } from './catalog.js';
import { compileRecordFilter, type RecordFilter } from './filter/filter.js';
import { BYTES_ORIG, BYTES_RESP, FINAL_ROWS } from './questions.js';

/** One interval of a timeline. */
export interface TimelinePoint {
  /** Start of the interval, ISO UTC. */
  time: string;
  records: number;
  /** Bytes both ways (connections only; null for other record kinds). */
  bytes: number | null;
}

/** A timeline and the interval it was cut into. */
export interface Timeline {
  intervalSeconds: number;
  points: TimelinePoint[];
}

/** Round intervals `auto` chooses from, in seconds. */
export const NICE_INTERVALS = [1, 5, 10, 30, 60, 300, 600, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 7 * 86400, 30 * 86400];
/** Most points a timeline returns; a longer series needs a longer interval. */
export const MAX_POINTS = 100_000;
const AUTO_POINTS = 120;

/** Parses an interval (`30s`, `5m`, `1h`, `1d`, `1w`, or `auto`) into seconds, or 'auto'. */
export function parseInterval(text: string): number | 'auto' {
  if (text === 'auto') return 'auto';
  const m = /^(\d+)\s*([smhdw])$/i.exec(text.trim());
  const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  if (!m || Number(m[1]) === 0) throw new NightjarError('NJ_USAGE', `--interval ${text}: give auto or a duration such as 30s, 5m, 1h, 1d`);
  return Number(m[1]) * unit[m[2].toLowerCase()];
}

/** The shortest nice interval giving at most about 120 points over `spanMicros`. */
export function autoInterval(spanMicros: number): number {
  for (const s of NICE_INTERVALS) if (spanMicros / (s * 1e6) <= AUTO_POINTS) return s;
  return NICE_INTERVALS[NICE_INTERVALS.length - 1];
}

/** Counts (and bytes) per interval of the records of `table` matching a filter. */
export async function timeline(
  store: Store,
  table: EventTableName,
  filter: RecordFilter,
  interval: number | 'auto',
  catalog: FieldCatalog = catalogOf(table),
): Promise<Timeline> {
  const d = store.dialect;
  const f = compileRecordFilter(filter, catalog, d);
  const conns = table === 'connections';
  const where = conns ? sql`${f.where} AND ${FINAL_ROWS}` : f.where;
  let first = filter.range?.since;
  let last = filter.range?.until;
  if (first === undefined || last === undefined) {
    const [span] = await store.all(sql`SELECT ${d.epochMicros(raw('min(t.ts)'))} AS lo, ${d.epochMicros(raw('max(t.ts)'))} AS hi FROM ${f.from} WHERE ${where}`);
    if (span.lo === null || span.hi === null) return { intervalSeconds: interval === 'auto' ? 3600 : interval, points: [] };
    first ??= Number(span.lo);
    last ??= Number(span.hi) + 1;
  }
  const seconds = interval === 'auto' ? autoInterval(last - first) : interval;
  const step = seconds * 1e6;
  const start = Math.floor(first / step) * step;
  const count = Math.ceil((last - start) / step);
  if (count > MAX_POINTS) {
    throw new NightjarError('NJ_USAGE', `that is ${count} intervals of ${seconds}s; use a longer --interval (or auto) or a shorter time range`);
  }
  const bucket = d.epochMicros(d.timeBucket(raw('t.ts'), seconds));
  const bytes = conns ? sql`sum(${BYTES_ORIG} + ${BYTES_RESP})::UBIGINT` : raw('NULL');
  const rows = await store.all(sql`SELECT ${bucket} AS b, count(*) AS records, ${bytes} AS bytes FROM ${f.from} WHERE ${where} GROUP BY 1`);
  const points: TimelinePoint[] = [];
  for (let i = 0; i < count; i++) points.push({ time: isoMicros(start + i * step)!, records: 0, bytes: conns ? 0 : null });
  for (const r of rows) {
    // time_bucket aligns to its own origin; index by the interval the bucket starts in.
    const i = Math.floor((Number(r.b) - start) / step);
    if (i < 0 || i >= count) continue;
    points[i].records += Number(r.records);
    if (conns) points[i].bytes = (points[i].bytes ?? 0) + Number(r.bytes ?? 0);
  }
  return { intervalSeconds: seconds, points };
}
