/** SQL fragments every investigation query shares: the host's addresses, time windows, byte counts. */
import type { SiteModel } from '../enrich/site-model.js';
import { isoMicros } from '../model/time.js';
import type { Dialect } from '../store/dialect.js';
import { join, raw, sql, type SqlFragment } from '../store/sql.js';
import type { MicroRange } from './context.js';

/** `column IN (a, b, ...)` with every address a parameter. */
export function inAddresses(column: SqlFragment, addresses: readonly string[]): SqlFragment {
  if (addresses.length === 0) return raw('FALSE');
  return sql`${column} IN (${join(addresses.map((a) => sql`${a}`))})`;
}

/** `ts` inside the range. */
export function inRange(d: Dialect, r: MicroRange, column: SqlFragment = raw('ts')): SqlFragment {
  return sql`${column} >= ${d.timestampFromMicros(r.since)} AND ${column} < ${d.timestampFromMicros(r.until)}`;
}

/** Longest key list bound as parameters; longer lists are matched by a subquery instead. */
const MAX_KEY_PARAMS = 2000;

/**
 * The keys for an `IN (...)` test: the values as parameters when the list is short (the engine then
 * filters while scanning, comparing against each column segment's dictionary), else the subquery that
 * yields them (a hash semi-join, slower per row but unbounded). An empty list matches nothing.
 */
export function keyList(keys: readonly string[], subquery: SqlFragment): SqlFragment {
  if (keys.length === 0) return raw('NULL');
  if (keys.length > MAX_KEY_PARAMS) return subquery;
  return join(keys.map((k) => sql`${k}`));
}

/** Bytes the originator sent (IP bytes when the source has them, as `top` counts). */
export const BYTES_OUT = raw('coalesce(orig_ip_bytes, orig_bytes, 0)');

/** Bytes the responder sent. */
export const BYTES_IN = raw('coalesce(resp_ip_bytes, resp_bytes, 0)');

/** Excludes progress rows of connections still open in a live capture (they would count twice). */
export const FINAL_ROWS = raw(`state_reason IS DISTINCT FROM 'interim'`);

/** Firewall and flow-log actions that mean the traffic did not pass. */
export const DENIED_ACTIONS = raw(`('deny', 'drop', 'reject')`);

/**
 * SQL: the addresses of a subquery's `addr` column that the site model calls internal. The site's CIDR
 * test is costly per value (IPv6 prefixes compare hex strings), so it runs once per distinct address,
 * never once per row: over ten million rows that is the difference between 40 s and 0.1 s.
 */
export function internalAddressesSql(site: SiteModel, addresses: SqlFragment): SqlFragment {
  return sql`SELECT addr FROM (SELECT DISTINCT addr FROM (${addresses})) WHERE ${site.internalSql(raw('addr'))}`;
}

/** Microseconds of an ISO time as the store returns it. */
export function isoToMicros(iso: string): number {
  const frac = /\.(\d+)/.exec(iso);
  const micros = frac && frac[1].length > 3 ? Number(frac[1].slice(3, 6).padEnd(3, '0')) : 0;
  return Date.parse(iso) * 1000 + micros;
}

/** ISO time (microsecond precision) of microseconds since the epoch. */
export function microsToIso(us: number): string {
  return isoMicros(us) ?? new Date(0).toISOString();
}

/** A number from a result value (DuckDB sums may arrive as numbers or numeric text). */
export function num(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v ?? 0);
  return Number.isFinite(n) ? n : 0;
}

/** A string or null from a result value. */
export function str(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}
