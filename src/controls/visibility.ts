/**
 * `validate visibility`: where is Nightjar blind? Zones and subnets without telemetry, sources
 * (table, source type, sensor) silent for longer than a threshold, gaps in each source's records,
 * connections seen one way only, and flow-export loss. Silence is measured against the newest
 * record in the store, not the wall clock, so the check means the same on an archive as on a live
 * feed; the report states the reference time it used.
 */
import { isoMicros } from '../model/time.js';
import { raw, sql } from '../store/sql.js';
import type { ValidationContext, ValidationOptions, Verdict } from './context.js';
import { rangeSql, reportRange } from './range.js';
import { flowLoss, type FlowLoss } from './flow-loss.js';
import { findOneWay, type OneWayGroup } from './one-way.js';
import { telemetryCoverage, TELEMETRY, type Coverage } from './telemetry-coverage.js';
import { TopList } from './top-list.js';

/** One source of records and how recently it spoke. */
export interface SourceActivity {
  table: string;
  source_type: string | null;
  sensor: string | null;
  /** The sensor's name from the site model, when it has one. */
  sensor_name: string | null;
  records: number;
  first: string;
  last: string;
  /** Seconds between this source's last record and the reference time. */
  silent_for_seconds: number;
  silent: boolean;
}

/** A stretch of time in which a source recorded nothing. */
export interface TimeGap {
  table: string;
  source_type: string | null;
  sensor: string | null;
  from: string;
  to: string;
  seconds: number;
}

/** The visibility report (stable JSON; see docs/controls.md). */
export interface VisibilityReport {
  report: 'visibility';
  range: { since: string | null; until: string | null };
  /** The time silence is measured from: the newest record (of connections, DNS, firewall) in the range. */
  reference: { time: string | null; basis: 'newest-record' };
  silent_after_seconds: number;
  verdict: Verdict;
  summary: { zones: number; subnets: number; blind: number; partial: number; sources: number; silent_sources: number; gaps: number; one_way_groups: number; one_way_connections: number };
  coverage: Coverage[];
  sources: SourceActivity[];
  gaps: TimeGap[];
  one_way: OneWayGroup[];
  flow_loss: FlowLoss;
  notes: string[];
}

/** Tuning for the visibility validation. */
export interface VisibilityOptions extends ValidationOptions {
  /** Seconds without records after which a source is silent, and a pause is a gap (default 3600). */
  readonly silentAfterSeconds?: number;
  /** See OneWayOptions.minPackets. */
  readonly minPackets?: number;
}

/** Microseconds since the epoch of an ISO time the store returned. */
function micros(iso: string): number {
  const frac = /\.(\d+)Z$/.exec(iso);
  return Date.parse(iso) * 1000 + (frac && frac[1].length > 3 ? Number(frac[1].slice(3, 6).padEnd(3, '0')) : 0);
}

/** Checks what the store can see, and where it is blind. */
export async function validateVisibility(ctx: ValidationContext, opts: VisibilityOptions): Promise<VisibilityReport> {
  const { store, site } = ctx;
  const d = store.dialect;
  const silentAfter = opts.silentAfterSeconds ?? 3600;
  const notes: string[] = [];

  const coverage = await telemetryCoverage(ctx, opts);

  const activity = TELEMETRY.map(
    (t) => sql`SELECT ${t} AS tbl, source_type, sensor, count(*) AS records, min(ts) AS first, max(ts) AS last
      FROM ${raw(t)} WHERE ${rangeSql(d, opts.range)} GROUP BY source_type, sensor`,
  );
  const rows = await store.all(sql`${activity[0]} UNION ALL ${activity[1]} UNION ALL ${activity[2]} ORDER BY tbl, source_type, sensor`);
  const newest = rows.reduce<string | null>((m, r) => (m === null || String(r.last) > m ? String(r.last) : m), null);
  const ref = newest === null ? 0 : micros(newest);
  const sources: SourceActivity[] = rows.map((r) => {
    const silentFor = Math.round((ref - micros(String(r.last))) / 1e6);
    const sensor = r.sensor === null ? null : String(r.sensor);
    return {
      table: String(r.tbl),
      source_type: r.source_type === null ? null : String(r.source_type),
      sensor,
      sensor_name: sensor === null ? null : (site.sensors.get(sensor) ?? null),
      records: Number(r.records),
      first: String(r.first),
      last: String(r.last),
      silent_for_seconds: silentFor,
      silent: silentFor > silentAfter,
    };
  });
  if (newest === null) notes.push('the store holds no connections, DNS or firewall records in the range');

  // Gaps, found on buckets so the window function sorts minutes rather than every record.
  const bucket = Math.max(1, Math.min(60, Math.floor(silentAfter / 4)));
  const buckets = TELEMETRY.map(
    (t) => sql`SELECT DISTINCT ${t} AS tbl, source_type, sensor, ${d.epochMicros(d.timeBucket(raw('ts'), bucket))} AS b
      FROM ${raw(t)} WHERE ${rangeSql(d, opts.range)}`,
  );
  const gapQ = sql`SELECT tbl, source_type, sensor, prev + ${bucket * 1e6} AS gap_from, b AS gap_to FROM (
      SELECT *, lag(b) OVER (PARTITION BY tbl, source_type, sensor ORDER BY b) AS prev
      FROM (${buckets[0]} UNION ALL ${buckets[1]} UNION ALL ${buckets[2]}))
    WHERE prev IS NOT NULL AND b - prev - ${bucket * 1e6} >= ${silentAfter * 1e6}`;
  const gaps = new TopList<TimeGap>(opts.limit, (g) => g.seconds, (a, b) => (a.from < b.from ? -1 : 1));
  for await (const batch of store.stream(gapQ)) {
    for (const r of batch) {
      const from = Number(r.gap_from);
      const to = Number(r.gap_to);
      gaps.add({
        table: String(r.tbl),
        source_type: r.source_type === null ? null : String(r.source_type),
        sensor: r.sensor === null ? null : String(r.sensor),
        from: isoMicros(from) ?? '',
        to: isoMicros(to) ?? '',
        seconds: Math.round((to - from) / 1e6),
      });
    }
  }

  const oneWay = await findOneWay(ctx, opts);
  const loss = await flowLoss(store);
  if (!loss.available && loss.reason) notes.push(`flow loss: ${loss.reason}`);

  const blind = coverage.filter((c) => c.missing.length === TELEMETRY.length);
  const partial = coverage.filter((c) => c.missing.length > 0 && c.missing.length < TELEMETRY.length);
  const silent = sources.filter((s) => s.silent);
  const oneWayConnections = oneWay.connections;
  const reasons: string[] = [];
  if (blind.length) reasons.push(`no telemetry at all from ${blind.map((c) => `${c.kind} ${c.name}`).join(', ')}`);
  if (silent.length) reasons.push(`${silent.length} source(s) silent for more than ${silentAfter} s before the newest record: ${silent.map((s) => `${s.table}/${s.source_type ?? '-'}/${s.sensor ?? '-'}`).join(', ')}`);
  if (oneWay.total) reasons.push(`${oneWay.total} sensor/subnet group(s) with connections seen one way only (${oneWayConnections} connection(s))`);
  if (loss.lost_records > 0) reasons.push(`flow exporters lost ${loss.lost_records} record(s)`);
  const failed = reasons.length > 0;
  if (!failed) reasons.push('every zone and subnet has telemetry, no source is silent, and no one-way connections were seen');
  if (partial.length) reasons.push(`note: ${partial.length} zone(s)/subnet(s) lack some telemetry (see coverage.missing)`);
  if (gaps.total) reasons.push(`note: ${gaps.total} gap(s) of ${silentAfter} s or more inside sources' records`);
  return {
    report: 'visibility',
    range: reportRange(opts.range),
    reference: { time: newest, basis: 'newest-record' },
    silent_after_seconds: silentAfter,
    verdict: { status: failed ? 'fail' : 'pass', reasons },
    summary: {
      zones: coverage.filter((c) => c.kind === 'zone').length,
      subnets: coverage.filter((c) => c.kind === 'subnet').length,
      blind: blind.length,
      partial: partial.length,
      sources: sources.length,
      silent_sources: silent.length,
      gaps: gaps.total,
      one_way_groups: oneWay.total,
      one_way_connections: oneWayConnections,
    },
    coverage,
    sources,
    gaps: gaps.result(),
    one_way: oneWay.groups,
    flow_loss: loss,
    notes,
  };
}
