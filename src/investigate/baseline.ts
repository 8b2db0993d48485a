/**
 * Baselines for "unusual": what an internal host normally talks to over a window before the
 * investigated period (destinations, domains, countries, ASNs, ports and services, internal peers,
 * daily volume), and how many of the fleet's active internal hosts reach a destination or domain
 * (fleet prevalence, behind "rare"). Everything is aggregated in SQL; TypeScript only sees one row per
 * distinct value, never a row per connection.
 */
import { sql, raw, type SqlFragment } from '../store/sql.js';
import type { InvestigationContext, MicroRange } from './context.js';
import { BYTES_IN, BYTES_OUT, FINAL_ROWS, inAddresses, inRange, internalAddressesSql, microsToIso, num, str } from './host-sql.js';
import type { InvestigateOptions } from './options.js';

const DAY_US = 86_400_000_000;

/** The baseline window as requested and as the data allowed. */
export interface BaselineWindow {
  requested_since: string;
  since: string;
  until: string;
  requested_days: number;
  /** Days of history actually available in the window (less than requested when the store is younger). */
  days: number;
  limited: boolean;
  note: string | null;
}

/** How many internal hosts were active, and what "rare" means for this fleet. */
export interface FleetInfo {
  active_hosts: number;
  /** A destination reached by at most this many internal hosts is rare. */
  rare_max_hosts: number;
  rare_share: number;
  /** False when the fleet is too small for prevalence to mean anything (no "rare" flags then). */
  meaningful: boolean;
  note: string | null;
}

/** What the host normally does, over the baseline window. */
export interface HostBaseline {
  window: BaselineWindow;
  connections: number;
  bytes_out: number;
  bytes_in: number;
  external_destinations: number;
  internal_peers: number;
  domains: number;
  countries: { country: string; connections: number }[];
  asns: { asn: number; as_org: string | null; connections: number }[];
  ports: { proto: string; port: number; service: string | null; connections: number }[];
  daily: { day: string; connections: number; bytes_out: number; bytes_in: number }[];
  /** Average bytes sent per day of available history. */
  avg_daily_bytes_out: number;
  fleet: FleetInfo;
}

/** The requested baseline range: `days` before the period starts. */
export function baselineRange(period: MicroRange, days: number): MicroRange {
  return { since: Math.round(period.since - days * DAY_US), until: period.since };
}

/** The baseline range trimmed to the history the store holds, with a note when it is short. */
export async function effectiveBaseline(ctx: InvestigationContext, period: MicroRange, days: number): Promise<{ range: MicroRange; window: BaselineWindow }> {
  const requested = baselineRange(period, days);
  const d = ctx.store.dialect;
  const rows = await ctx.store.all(
    sql`SELECT least((SELECT ${d.epochMicros(raw('min(ts)'))} FROM connections), (SELECT ${d.epochMicros(raw('min(ts)'))} FROM dns)) AS first`,
  );
  const first = rows[0]?.first === null || rows[0]?.first === undefined ? null : num(rows[0].first);
  const since = first === null ? requested.until : Math.min(requested.until, Math.max(requested.since, first));
  const got = (requested.until - since) / DAY_US;
  const limited = since > requested.since;
  const note = !limited
    ? null
    : got <= 0
      ? `no history before the investigated period: every destination counts as new (asked for ${days} days)`
      : `only ${got.toFixed(1)} of the ${days} baseline days have data; "new" is judged against that`;
  return {
    range: { since, until: requested.until },
    window: {
      requested_since: microsToIso(requested.since),
      since: microsToIso(since),
      until: microsToIso(requested.until),
      requested_days: days,
      days: Math.round(got * 100) / 100,
      limited,
      note,
    },
  };
}

/** Counts active internal hosts over a range and derives the "rare" threshold. */
export async function fleetInfo(ctx: InvestigationContext, range: MicroRange, opts: Pick<InvestigateOptions, 'rareShare' | 'minFleet'>): Promise<FleetInfo> {
  const d = ctx.store.dialect;
  // Distinct originators come back to TypeScript to be classified: cheaper than planning the site's
  // CIDR test into SQL, and their number is bounded by the hosts seen, not the rows.
  const rows = await ctx.store.all(sql`SELECT DISTINCT orig_h FROM connections WHERE ${inRange(d, range)} AND orig_h IS NOT NULL`);
  const active = rows.reduce((n, r) => n + (ctx.site.isInternal(String(r.orig_h)) ? 1 : 0), 0);
  const rareMax = Math.max(1, Math.floor(active * opts.rareShare));
  const meaningful = active >= opts.minFleet;
  return {
    active_hosts: active,
    rare_max_hosts: rareMax,
    rare_share: opts.rareShare,
    meaningful,
    note: meaningful
      ? null
      : `only ${active} active internal host(s) (fewer than ${opts.minFleet}): fleet prevalence is not meaningful, nothing is flagged rare`,
  };
}

/**
 * SQL: per key (a destination address or a DNS name), how many distinct internal hosts reached it over
 * the range, restricted to the keys the subquery yields (so only the host's own destinations are counted).
 */
export function prevalenceSql(
  ctx: InvestigationContext,
  table: 'connections' | 'dns',
  key: SqlFragment,
  range: MicroRange,
  keys: SqlFragment,
): SqlFragment {
  const d = ctx.store.dialect;
  // Only the originators of the matching rows are classified, once each.
  return sql`WITH r AS MATERIALIZED (
      SELECT ${key} AS key, orig_h FROM ${raw(table)} WHERE ${inRange(d, range)} AND ${key} IN (${keys}) GROUP BY ALL)
    SELECT key, count(*) AS hosts FROM r
    WHERE orig_h IN (${internalAddressesSql(ctx.site, raw('SELECT orig_h AS addr FROM r'))}) GROUP BY key`;
}

/** SQL: the distinct values of `column` the host produced (as originator) in a range of a table. */
export function hostSetSql(ctx: InvestigationContext, table: 'connections' | 'dns', column: SqlFragment, addresses: readonly string[], range: MicroRange): SqlFragment {
  return sql`SELECT DISTINCT ${column} AS key FROM ${raw(table)} WHERE ${inAddresses(raw('orig_h'), addresses)} AND ${inRange(ctx.store.dialect, range)}`;
}

/** The host's baseline profile. */
export async function hostBaseline(
  ctx: InvestigationContext,
  addresses: readonly string[],
  period: MicroRange,
  opts: Pick<InvestigateOptions, 'baselineDays' | 'rareShare' | 'minFleet'>,
): Promise<{ baseline: HostBaseline; range: MicroRange; internalPeers: string[]; externalInPeriod: string[] }> {
  const { range, window } = await effectiveBaseline(ctx, period, opts.baselineDays);
  const d = ctx.store.dialect;
  // The host's destinations over baseline and period, classified once in TypeScript: the site's CIDR
  // test in SQL costs tens of milliseconds to plan per statement, and the list is short.
  const allDests = await ctx.store.all(
    sql`SELECT resp_h, bool_or(ts >= ${d.timestampFromMicros(period.since)}) AS in_period FROM connections
      WHERE ${inAddresses(raw('orig_h'), addresses)} AND ${inRange(d, { since: range.since, until: period.until })} AND resp_h IS NOT NULL
      GROUP BY resp_h`,
  );
  const internalPeers: string[] = [];
  const externalInPeriod: string[] = [];
  for (const r of allDests) {
    const a = String(r.resp_h);
    if (ctx.site.isInternal(a)) internalPeers.push(a);
    else if (r.in_period === true) externalInPeriod.push(a);
  }
  const host = sql`${inAddresses(raw('orig_h'), addresses)} AND ${inRange(d, range)} AND ${FINAL_ROWS}`;
  const internalResp = inAddresses(raw('resp_h'), internalPeers);
  // One statement at a time: the store has one connection, and DuckDB parallelises inside each query.
  const totals = await ctx.store.all(sql`SELECT count(*) AS connections, sum(${BYTES_OUT}) AS bytes_out, sum(${BYTES_IN}) AS bytes_in,
      count(DISTINCT CASE WHEN ${internalResp} THEN resp_h END) AS peers
    FROM connections WHERE ${host}`);
  const dests = await ctx.store.all(
    sql`SELECT resp_h, count(*) AS connections FROM connections WHERE ${host} AND NOT ${internalResp} GROUP BY resp_h`,
  );
  const ports = await ctx.store.all(sql`SELECT proto, resp_p AS port, any_value(service) AS service, count(*) AS connections FROM connections
    WHERE ${host} AND proto IN ('tcp', 'udp', 'sctp') GROUP BY proto, resp_p ORDER BY connections DESC, port LIMIT 50`);
  const daily = await ctx.store.all(sql`SELECT strftime(date_trunc('day', ts), '%Y-%m-%d') AS day, count(*) AS connections,
      sum(${BYTES_OUT}) AS bytes_out, sum(${BYTES_IN}) AS bytes_in
    FROM connections WHERE ${host} GROUP BY 1 ORDER BY 1`);
  const domains = await ctx.store.all(
    sql`SELECT count(DISTINCT lower(query)) AS n FROM dns WHERE ${inAddresses(raw('orig_h'), addresses)} AND ${inRange(d, range)}`,
  );
  const fleet = await fleetInfo(ctx, { since: range.since, until: period.until }, opts);
  const geo = ctx.geo ? await ctx.geo(dests.map((r) => String(r.resp_h))) : new Map();
  const countries = new Map<string, number>();
  const asns = new Map<number, { as_org: string | null; connections: number }>();
  for (const r of dests) {
    const g = geo.get(String(r.resp_h));
    if (!g) continue;
    const c = num(r.connections);
    if (g.country) countries.set(g.country, (countries.get(g.country) ?? 0) + c);
    if (g.asn !== null) {
      const a = asns.get(g.asn) ?? { as_org: g.asOrg, connections: 0 };
      a.connections += c;
      asns.set(g.asn, a);
    }
  }
  const t = totals[0] ?? {};
  const bytesOut = num(t.bytes_out);
  return {
    range,
    internalPeers,
    externalInPeriod,
    baseline: {
      window,
      connections: num(t.connections),
      bytes_out: bytesOut,
      bytes_in: num(t.bytes_in),
      external_destinations: dests.length,
      internal_peers: num(t.peers),
      domains: num(domains[0]?.n),
      countries: [...countries].map(([country, connections]) => ({ country, connections })).sort((a, b) => b.connections - a.connections),
      asns: [...asns].map(([asn, v]) => ({ asn, ...v })).sort((a, b) => b.connections - a.connections),
      ports: ports.map((r) => ({ proto: String(r.proto), port: num(r.port), service: str(r.service), connections: num(r.connections) })),
      daily: daily.map((r) => ({ day: String(r.day), connections: num(r.connections), bytes_out: num(r.bytes_out), bytes_in: num(r.bytes_in) })),
      avg_daily_bytes_out: window.days > 0 ? Math.round(bytesOut / Math.max(1, window.days)) : 0,
      fleet,
    },
  };
}
