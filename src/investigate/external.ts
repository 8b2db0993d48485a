/**
 * External connections of the host, grouped by destination, with the flags an analyst looks for:
 * new (not contacted in the baseline), rare (few internal hosts reach it), threat-intel match, denied
 * by a firewall, long-lived, and regular timing (beacon-like). One SQL statement computes the groups,
 * inter-arrival statistics, baseline membership, fleet prevalence, firewall denials and intel matches.
 *
 * Regular timing: over the gaps between consecutive connection starts to one destination, with at
 * least `beaconMinConnections` connections and a mean gap of at least `beaconMinIntervalSeconds`, the
 * coefficient of variation (stddev / mean) is at most `beaconMaxCv`, or the median absolute deviation
 * is at most `beaconMaxMadRatio` of the median gap (robust to a few missed or doubled check-ins).
 */
import { raw, sql } from '../store/sql.js';
import type { InvestigationContext } from './context.js';
import { prevalenceSql } from './baseline.js';
import { hostDnsNamer } from './destination-names.js';
import { BYTES_IN, BYTES_OUT, DENIED_ACTIONS, FINAL_ROWS, inAddresses, inRange, isoToMicros, keyList, num, str } from './host-sql.js';
import type { Scope, Traffic } from './scope.js';

/** Flags of one destination. */
export interface DestinationFlags {
  new: boolean;
  rare: boolean;
  intel: boolean;
  denied: boolean;
  long_lived: boolean;
  regular_timing: boolean;
}

/** Inter-arrival statistics of the connections to one destination. */
export interface Timing {
  intervals: number;
  mean_seconds: number;
  median_seconds: number;
  cv: number | null;
  mad_ratio: number | null;
}

/** One external destination of the host. */
export interface ExternalDestination extends Traffic {
  address: string;
  name: string | null;
  country: string | null;
  asn: number | null;
  as_org: string | null;
  services: string[];
  ports: number[];
  max_duration_seconds: number | null;
  /** Internal hosts that reached it over baseline and period (null when the store has no fleet data). */
  prevalence: number | null;
  timing: Timing | null;
  intel: string[];
  denied_events: number;
  flags: DestinationFlags;
}

/** How suspicious a destination looks, for ordering: unusual (new or rare) weighs most with other signs. */
function suspicion(x: ExternalDestination, uploadBytes: number): number {
  const f = x.flags;
  const unusual = f.new || f.rare;
  return (
    (f.intel ? 16 : 0) +
    (f.regular_timing ? (unusual ? 8 : 0.5) : 0) +
    (unusual && x.bytes_out >= uploadBytes ? 8 : 0) +
    (f.denied ? 2 : 0) +
    (f.rare ? 2 : 0) +
    (f.new ? 1 : 0) +
    (f.long_lived ? 1 : 0)
  );
}

/** The host's external destinations in the period, most suspicious first. */
export async function externalDestinations(s: Scope): Promise<ExternalDestination[]> {
  const { ctx, addresses, period, baseline, fleet, opts } = s;
  const d = ctx.store.dialect;
  const host = inAddresses(raw('orig_h'), addresses);
  const rows = await ctx.store.all(sql`WITH h AS MATERIALIZED (
      SELECT ts, ${d.epochMicros(raw('ts'))} AS us, resp_h, resp_p, service, duration, conn_state, action,
             ${BYTES_OUT} AS bo, ${BYTES_IN} AS bi
      FROM connections WHERE ${host} AND ${inRange(d, period)} AND ${FINAL_ROWS} AND resp_h IS NOT NULL
        AND NOT ${inAddresses(raw('resp_h'), s.internalPeers)}),
    g AS (
      SELECT resp_h, count(*) AS n, sum(bo) AS bytes_out, sum(bi) AS bytes_in, min(ts) AS first, max(ts) AS last,
             max(duration) AS max_duration, string_agg(DISTINCT service, ',') AS services,
             list_sort(list_distinct(list(resp_p)))[1:8] AS ports,
             count(*) FILTER (WHERE conn_state IN ('S0', 'REJ', 'RSTOS0', 'SH')) AS failed,
             count(*) FILTER (WHERE action IN ${DENIED_ACTIONS}) AS denied_flows
      FROM h GROUP BY resp_h),
    iv AS (SELECT resp_h, us - lag(us) OVER (PARTITION BY resp_h ORDER BY us) AS gap FROM h),
    t AS (
      SELECT resp_h, count(gap) AS gaps, avg(gap) AS mean, stddev_pop(gap) AS sd, median(gap) AS med, mad(gap) AS mad
      FROM iv WHERE gap IS NOT NULL GROUP BY resp_h),
    base AS (SELECT DISTINCT resp_h FROM connections WHERE ${host} AND ${inRange(d, baseline)}),
    prev AS (${prevalenceSql(ctx, 'connections', raw('resp_h'), { since: baseline.since, until: period.until }, keyList(s.externalInPeriod, raw('SELECT resp_h FROM g')))}),
    fw AS (
      SELECT resp_h, count(*) AS denied FROM firewall
      WHERE ${host} AND ${inRange(d, period)} AND action IN ${DENIED_ACTIONS} GROUP BY resp_h),
    intel AS (
      SELECT resp_h, string_agg(DISTINCT coalesce(signature, 'intel match'), '\n') AS sigs FROM findings
      WHERE source_type = 'intel' AND ${host} AND ${inRange(d, period)} GROUP BY resp_h)
    SELECT g.*, t.gaps, t.mean, t.sd, t.med, t.mad, base.resp_h IS NULL AS is_new, prev.hosts AS prevalence,
           coalesce(fw.denied, 0) + g.denied_flows AS denied, intel.sigs
    FROM g LEFT JOIN t USING (resp_h) LEFT JOIN base USING (resp_h) LEFT JOIN prev ON prev.key = g.resp_h
      LEFT JOIN fw USING (resp_h) LEFT JOIN intel USING (resp_h)`);
  const out = rows.map((r): ExternalDestination => {
    const n = num(r.n);
    const gaps = num(r.gaps);
    const mean = num(r.mean) / 1e6;
    const med = num(r.med) / 1e6;
    const cv = gaps > 0 && mean > 0 ? num(r.sd) / 1e6 / mean : null;
    const madRatio = gaps > 0 && med > 0 ? num(r.mad) / 1e6 / med : null;
    const timing = gaps > 0 ? { intervals: gaps, mean_seconds: round(mean), median_seconds: round(med), cv: cv === null ? null : round(cv), mad_ratio: madRatio === null ? null : round(madRatio) } : null;
    const regular =
      n >= opts.beaconMinConnections &&
      mean >= opts.beaconMinIntervalSeconds &&
      ((cv !== null && cv <= opts.beaconMaxCv) || (madRatio !== null && madRatio <= opts.beaconMaxMadRatio));
    const prevalence = r.prevalence === null || r.prevalence === undefined ? null : num(r.prevalence);
    const intel = str(r.sigs)?.split('\n') ?? [];
    const denied = num(r.denied);
    const maxDur = r.max_duration === null ? null : num(r.max_duration);
    return {
      address: String(r.resp_h),
      name: null,
      country: null,
      asn: null,
      as_org: null,
      services: str(r.services)?.split(',').filter((s) => s !== '') ?? [],
      ports: Array.isArray(r.ports) ? r.ports.map(num) : [],
      connections: n,
      failed: num(r.failed),
      bytes_out: num(r.bytes_out),
      bytes_in: num(r.bytes_in),
      first: String(r.first),
      last: String(r.last),
      max_duration_seconds: maxDur,
      prevalence,
      timing,
      intel,
      denied_events: denied,
      flags: {
        new: r.is_new === true,
        rare: fleet.meaningful && prevalence !== null && prevalence <= fleet.rare_max_hosts,
        intel: intel.length > 0,
        denied: denied > 0,
        long_lived: maxDur !== null && maxDur >= opts.longLivedSeconds,
        regular_timing: regular,
      },
    };
  });
  out.sort((a, b) => suspicion(b, opts.uploadBytes) - suspicion(a, opts.uploadBytes) || b.bytes_out - a.bytes_out || a.address.localeCompare(b.address));
  const kept = out.slice(0, opts.sectionLimit);
  await enrich(ctx, addresses, kept);
  return out;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** Names, countries and ASNs for the destinations shown (the rest are only counted). */
async function enrich(ctx: InvestigationContext, addresses: readonly string[], dests: ExternalDestination[]): Promise<void> {
  if (dests.length === 0) return;
  const namer = ctx.destinationName ?? hostDnsNamer(ctx);
  const names = await namer(
    addresses.flatMap((client) => dests.map((x) => ({ client, server: x.address, at: isoToMicros(x.last) }))),
  );
  const geo = ctx.geo ? await ctx.geo(dests.map((x) => x.address)) : new Map();
  for (const x of dests) {
    x.name = names.get(x.address) ?? null;
    const g = geo.get(x.address);
    if (g) {
      x.country = g.country;
      x.asn = g.asn;
      x.as_org = g.asOrg;
    }
  }
}
