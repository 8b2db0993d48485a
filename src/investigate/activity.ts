/**
 * The host's activity over the period in at most 96 evenly sized buckets (connections it opened and
 * bytes each way), for the timeline chart; empty buckets are filled in, so gaps show.
 */
import { raw, sql } from '../store/sql.js';
import { BYTES_IN, BYTES_OUT, FINAL_ROWS, inAddresses, inRange, microsToIso, num } from './host-sql.js';
import type { Scope } from './scope.js';

/** One bucket of activity. */
export interface ActivityPoint {
  ts: string;
  connections: number;
  bytes_out: number;
  bytes_in: number;
}

/** Activity over the period. */
export interface Activity {
  bucket_seconds: number;
  points: ActivityPoint[];
}

const STEPS = [60, 300, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 604800];

/** The bucket width giving at most `max` buckets over the period. */
export function bucketSeconds(spanMicros: number, max = 96): number {
  const span = spanMicros / 1e6;
  return STEPS.find((s) => span / s <= max) ?? Math.ceil(span / max / 86400) * 86400;
}

/** Connections the host opened per bucket. */
export async function activity(s: Scope): Promise<Activity> {
  const { ctx, addresses, period } = s;
  const d = ctx.store.dialect;
  const width = bucketSeconds(period.until - period.since);
  const widthUs = width * 1_000_000;
  const rows = await ctx.store.all(sql`SELECT (${d.epochMicros(raw('ts'))} - ${period.since}) // ${widthUs} AS b, count(*) AS n,
      sum(${BYTES_OUT}) AS bo, sum(${BYTES_IN}) AS bi
    FROM connections WHERE ${inAddresses(raw('orig_h'), addresses)} AND ${inRange(d, period)} AND ${FINAL_ROWS} GROUP BY 1`);
  const byBucket = new Map(rows.map((r) => [num(r.b), r]));
  const count = Math.ceil((period.until - period.since) / widthUs);
  const points: ActivityPoint[] = [];
  for (let b = 0; b < count; b++) {
    const r = byBucket.get(b);
    points.push({
      ts: microsToIso(period.since + b * widthUs),
      connections: num(r?.n),
      bytes_out: num(r?.bo),
      bytes_in: num(r?.bi),
    });
  }
  return { bucket_seconds: width, points };
}
