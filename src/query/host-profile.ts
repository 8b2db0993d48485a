/**
 * The profile of one address: what it is called (asset inventory, DNS answers that pointed at it, PTR
 * records), where it sits (zone, subnet, country, AS), when it was seen, whom it talked to, which
 * services it used and offered, and its traffic over time. One plain function returning one typed
 * object, for `nightjar host`, the API and the UI.
 */
import { normalAddress } from '../enrich/asset-address.js';
import type { GeoAnswer, GeoSource } from '../enrich/geo-answer.js';
import type { Site } from '../enrich/site.js';
import type { Asset, Subnet } from '../enrich/site-model.js';
import { NightjarError } from '../model/errors.js';
import { EVENT_TABLES } from '../model/fields.js';
import { ident, join, raw, sql, type SqlFragment } from '../store/sql.js';
import type { Dialect } from '../store/dialect.js';
import type { Row, Store, Value } from '../store/store.js';
import { isoMicros } from '../model/time.js';
import type { TimeRange } from './time-range.js';

/** A peer of the host, with where it sits. */
export interface HostPeer {
  address: string;
  zone: string | null;
  asset: string | null;
  country: string | null;
  asn: number | null;
  as_org: string | null;
  connections: number;
  bytes: number;
  services: string | null;
}

/** A service the host used (as client) or offered (as server). */
export interface HostService {
  service: string;
  port: number | null;
  proto: string | null;
  connections: number;
  bytes: number;
  /** Distinct servers (used) or clients (offered). */
  hosts: number;
}

/** Connections and bytes in one interval. */
export interface VolumeBucket {
  start: string;
  connections: number;
  bytes: number;
}

/** Everything known about one address. */
export interface HostProfile {
  address: string;
  names: {
    asset: string | null;
    /** Names whose DNS answers held the address, most often seen first. */
    dns: { name: string; answers: number; last_seen: string | null }[];
    /** Names from PTR answers for the address. */
    ptr: string[];
  };
  zone: string | null;
  internal: boolean;
  subnet: Subnet | null;
  asset: Asset | null;
  geo: GeoAnswer;
  first_seen: string | null;
  last_seen: string | null;
  totals: { as_client: number; as_server: number; bytes_sent: number; bytes_received: number; dns_queries: number };
  peers: HostPeer[];
  services_used: HostService[];
  services_offered: HostService[];
  volume: { interval_seconds: number; buckets: VolumeBucket[] };
}

/** Options of a profile. */
export interface HostProfileOptions {
  /** Peers and services listed (default 10). */
  limit?: number;
  /** Answers for an address no stored record holds (ip_info has rows only for stored addresses). */
  geo?: GeoSource;
  /** Most intervals in the volume series (default 48). */
  buckets?: number;
}

/** The reverse-DNS name of an address (`4.3.2.1.in-addr.arpa`, nibbles for IPv6). */
export function reverseName(address: string): string {
  if (!address.includes(':')) return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
  const hex = expandV6(address);
  return `${hex.split('').reverse().join('.')}.ip6.arpa`;
}

function expandV6(a: string): string {
  const [l, r = ''] = a.split('::');
  const left = l ? l.split(':') : [];
  const right = a.includes('::') && r ? r.split(':') : [];
  const gap = a.includes('::') ? 8 - left.length - right.length : 0;
  return [...left, ...new Array<string>(gap).fill('0'), ...right].map((g) => g.padStart(4, '0')).join('');
}

const STEPS = [60, 300, 900, 3600, 3 * 3600, 6 * 3600, 86400, 7 * 86400];

function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

function str(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

/** Builds the profile of `address` over the records in `range`. */
export async function hostProfile(store: Store, site: Site, address: string, range: TimeRange = {}, opts: HostProfileOptions = {}): Promise<HostProfile> {
  let a: string;
  try {
    a = normalAddress(address);
  } catch {
    throw new NightjarError('NJ_USAGE', `${address}: not an IP address (e.g. 10.0.0.5, 2001:db8::1)`);
  }
  const d = store.dialect;
  const limit = opts.limit ?? 10;
  const time: SqlFragment[] = [];
  if (range.since !== undefined) time.push(sql`ts >= ${d.timestampFromMicros(range.since)}`);
  if (range.until !== undefined) time.push(sql`ts < ${d.timestampFromMicros(range.until)}`);
  const inRange = time.length ? join(time, ' AND ') : raw('TRUE');
  const mine = sql`(orig_h = ${a} OR resp_h = ${a}) AND ${inRange}`;

  // The host's connections are scanned once (connectionPartsSql), which also gives their first and
  // last times; the other tables are scanned here. The volume series is aggregated in that same scan
  // at a step fine enough to be regrouped exactly once the whole span is known.
  const most = opts.buckets ?? 48;
  const others = EVENT_TABLES.filter((t) => t.name !== 'connections');
  // A PTR query's name starts with the address's digits (IPv4) or nibbles; the digits and dots before
  // the first hex letter have no case, so comparing that prefix first lets the engine skip most rows
  // without lower-casing every stored name.
  const rev = reverseName(a);
  const plain = /^[0-9.]*/.exec(rev)![0];
  // The statements are independent: issued together, they run at once on the store's reader connections.
  const [parts, seenRows, dnsCount, dnsNames, ptr, geoRows] = await Promise.all([
    store.all(connectionPartsSql(d, a, inRange, limit, range, most)),
    store.all(
      sql`SELECT ${d.epochMicros(raw('min(first)'))} AS first, ${d.epochMicros(raw('max(last)'))} AS last FROM (${join(
        others.map((t) => sql`SELECT min(ts) AS first, max(ts) AS last FROM ${ident(t.name)} WHERE ${mine}`),
        ' UNION ALL ',
      )}) AS s`,
    ),
    store.all(sql`SELECT count(*) AS n FROM dns WHERE orig_h = ${a} AND ${inRange}`),
    store.all(
      sql`SELECT lower(rtrim(query, '.')) AS name, count(*) AS answers, max(ts) AS last_seen FROM dns
        WHERE list_contains(answers, ${a}) AND ${inRange} GROUP BY 1 ORDER BY answers DESC, name LIMIT ${limit}`,
    ),
    store.all(
      sql`SELECT DISTINCT lower(rtrim(name, '.')) AS name FROM (SELECT unnest(answers) AS name FROM dns
        WHERE starts_with(query, ${plain}) AND lower(rtrim(query, '.')) = ${rev} AND ${inRange}) AS p ORDER BY 1 LIMIT ${limit}`,
    ),
    store.all(sql`SELECT country, asn, as_org FROM ip_info WHERE address = ${a} LIMIT 1`),
  ]);
  const c = parts[0] ?? {};
  const seen = seenRows[0];
  const firstUs = minOf(seen?.first, c.first_us);
  const lastUs = maxOf(seen?.last, c.last_us);
  const first = firstUs === null ? null : isoMicros(firstUs);
  const last = lastUs === null ? null : isoMicros(lastUs);
  const grid = volumeGrid(range, firstUs, lastUs, most);
  const totals = (c.totals ?? {}) as Row;
  const dnsQueries = dnsCount[0];
  const peers: HostPeer[] = rowsOf(c.peers).map((r) => {
    const peer = String(r.peer);
    return {
      address: peer,
      zone: site.zoneOf(peer),
      asset: site.assetOf(peer)?.hostname ?? null,
      country: str(r.country),
      asn: r.asn === null ? null : num(r.asn),
      as_org: str(r.as_org),
      connections: num(r.connections),
      bytes: num(r.bytes),
      services: str(r.services),
    };
  });
  const services = (v: Value | undefined): HostService[] =>
    rowsOf(v).map((r) => ({ service: String(r.service), port: r.port === null ? null : num(r.port), proto: str(r.proto), connections: num(r.connections), bytes: num(r.bytes), hosts: num(r.hosts) }));

  const geoRow = geoRows[0] as Row | undefined;
  const geo: GeoAnswer = geoRow
    ? { country: str(geoRow.country), asn: geoRow.asn === null ? null : num(geoRow.asn), as_org: str(geoRow.as_org) }
    : (opts.geo?.lookup(a) ?? { country: null, asn: null, as_org: null });

  const asset = site.assetOf(a);
  return {
    address: a,
    names: {
      asset: asset?.hostname ?? null,
      dns: dnsNames.map((r) => ({ name: String(r.name), answers: num(r.answers), last_seen: str(r.last_seen) })),
      ptr: ptr.map((r) => String(r.name)),
    },
    zone: site.zoneOf(a),
    internal: site.isInternal(a),
    subnet: site.subnetOf(a),
    asset,
    geo,
    first_seen: first,
    last_seen: last,
    totals: { as_client: num(totals.as_client), as_server: num(totals.as_server), bytes_sent: num(totals.bytes_sent), bytes_received: num(totals.bytes_received), dns_queries: num(dnsQueries.n) },
    peers,
    services_used: services(c.used),
    services_offered: services(c.offered),
    volume: await volumeOf(store, grid, c, mine),
  };
}

/** The volume series' intervals: `step` seconds from `start` (microseconds) up to `to`; null when the host was never seen. */
interface VolumeGrid {
  step: number;
  start: number;
  to: number;
}

/** Intervals of the volume series, at a step giving at most `most` of them over the range or the host's span. */
function volumeGrid(range: TimeRange, first: number | null, last: number | null, most: number): VolumeGrid | null {
  if (first === null || last === null) return null;
  const from = range.since ?? first;
  const to = range.until ?? last + 1;
  const span = Math.max(1, (to - from) / 1e6);
  const step = STEPS.find((s) => span / s <= most) ?? Math.ceil(span / most / 86400) * 86400;
  const stepUs = step * 1e6;
  // Buckets are counted from `start` here rather than by the engine's own bucketing, whose origin varies.
  return { step, start: Math.floor(from / stepUs) * stepUs, to };
}

/**
 * Connections and bytes per interval, empty intervals included: the scan's fine intervals regrouped
 * (every step divides the larger ones, and the host's whole span is at least its connections' span,
 * so the fine step divides the final one); a statement of its own should that ever not hold.
 */
async function volumeOf(store: Store, grid: VolumeGrid | null, c: Row, mine: SqlFragment): Promise<HostProfile['volume']> {
  if (grid === null) return { interval_seconds: 3600, buckets: [] };
  const stepUs = grid.step * 1e6;
  const fineUs = num(c.fine) * 1e6;
  const counts = new Map<number, { connections: number; bytes: number }>();
  let rows: Row[];
  if (fineUs > 0 && stepUs % fineUs === 0 && grid.start % fineUs === 0) {
    rows = rowsOf(c.volume).map((r) => ({ ...r, i: Math.floor((num(r.i) * fineUs - grid.start) / stepUs) }));
  } else {
    rows = await store.all(
      sql`SELECT CAST(floor((${store.dialect.epochMicros(raw('ts'))} - ${grid.start}) / ${stepUs}) AS BIGINT) AS i, count(*) AS connections,
          sum(coalesce(orig_ip_bytes, orig_bytes, 0) + coalesce(resp_ip_bytes, resp_bytes, 0))::UBIGINT AS bytes
        FROM connections WHERE ${mine} AND state_reason IS DISTINCT FROM 'interim' GROUP BY 1`,
    );
  }
  for (const r of rows) {
    const k = num(r.i);
    const v = counts.get(k) ?? { connections: 0, bytes: 0 };
    v.connections += num(r.connections);
    v.bytes += num(r.bytes);
    counts.set(k, v);
  }
  const buckets: VolumeBucket[] = [];
  for (let i = 0; grid.start + i * stepUs < grid.to; i++) {
    const v = counts.get(i);
    buckets.push({ start: new Date((grid.start + i * stepUs) / 1000).toISOString(), connections: v?.connections ?? 0, bytes: v?.bytes ?? 0 });
  }
  return { interval_seconds: grid.step, buckets };
}

function minOf(x: Value | undefined, y: Value | undefined): number | null {
  const v = [x, y].filter((z) => z !== null && z !== undefined).map(Number);
  return v.length ? Math.min(...v) : null;
}

function maxOf(x: Value | undefined, y: Value | undefined): number | null {
  const v = [x, y].filter((z) => z !== null && z !== undefined).map(Number);
  return v.length ? Math.max(...v) : null;
}

/** A list-of-structs value as rows. */
function rowsOf(v: Value | undefined): Row[] {
  return Array.isArray(v) ? (v as Row[]) : [];
}

/**
 * One statement for everything the profile takes from connections: the host's rows are found once
 * (a scan of two text columns, the costly part on a large store) and the totals, peers, services
 * used and offered and the volume series are aggregated from them, each as one value of one row.
 * Six separate statements scanned the table six times (3.2 CPU-seconds on 10 M connections).
 */
function connectionPartsSql(d: Dialect, a: string, inRange: SqlFragment, limit: number, range: TimeRange, most: number): SqlFragment {
  // The finest step the volume series could take: chosen as volumeGrid chooses, from the span of the
  // connections alone (at most the host's whole span), and never above a day, which divides every
  // larger step.
  const span = sql`greatest(1, (coalesce(${range.until ?? null}::BIGINT, ${d.epochMicros(raw('max(ts)'))} + 1) - coalesce(${range.since ?? null}::BIGINT, ${d.epochMicros(raw('min(ts)'))})) / 1e6)`;
  const fine = sql`(SELECT CASE ${join(
    STEPS.filter((x) => x < 86400).map((x) => sql`WHEN ${span} / ${x} <= ${most} THEN ${x}`),
    ' ',
  )} ELSE 86400 END FROM mine HAVING count(*) > 0)`;
  const volume = sql`(SELECT list({'i': i, 'connections': connections, 'bytes': bytes} ORDER BY i) FROM (
      SELECT CAST(floor(${d.epochMicros(raw('ts'))} / (CAST((SELECT fine FROM step) AS BIGINT) * 1000000)) AS BIGINT) AS i, count(*) AS connections, sum(ob + rb)::UBIGINT AS bytes
      FROM fin GROUP BY 1))`;
  const services = (side: SqlFragment, other: SqlFragment) =>
    sql`(SELECT list({'service': service, 'port': port, 'proto': proto, 'connections': connections, 'bytes': bytes, 'hosts': hosts}
          ORDER BY connections DESC, bytes DESC, port) FROM (
          SELECT coalesce(service, '(unknown)') AS service, resp_p AS port, proto, count(*) AS connections, sum(ob + rb)::UBIGINT AS bytes,
            count(DISTINCT ${other}) AS hosts
          FROM fin WHERE ${side} GROUP BY 1, 2, 3 ORDER BY connections DESC, bytes DESC, port LIMIT ${limit}))`;
  // Two single-column equalities the engine pushes into the scan, rather than one OR across two
  // columns that it evaluates after reading every column of every row (about a quarter less CPU).
  const cols = sql`ts, orig_h, resp_h, resp_p, proto, service, state_reason, orig_h = ${a} AS out, resp_h = ${a} AS inn,
        coalesce(orig_ip_bytes, orig_bytes, 0) AS ob, coalesce(resp_ip_bytes, resp_bytes, 0) AS rb`;
  return sql`WITH mine AS MATERIALIZED (
      SELECT ${cols} FROM connections WHERE orig_h = ${a} AND ${inRange}
      UNION ALL
      SELECT ${cols} FROM connections WHERE resp_h = ${a} AND orig_h IS DISTINCT FROM ${a} AND ${inRange}
    ), fin AS (
      SELECT *, CASE WHEN out THEN ob ELSE rb END AS sent, CASE WHEN out THEN rb ELSE ob END AS received
      FROM mine WHERE state_reason IS DISTINCT FROM 'interim'
    ), step AS (SELECT ${fine} AS fine)
    SELECT
      (SELECT ${d.epochMicros(raw('min(ts)'))} FROM mine) AS first_us, (SELECT ${d.epochMicros(raw('max(ts)'))} FROM mine) AS last_us,
      (SELECT fine FROM step) AS fine,
      (SELECT {'as_client': count(*) FILTER (WHERE out), 'as_server': count(*) FILTER (WHERE inn),
               'bytes_sent': coalesce(sum(sent), 0)::UBIGINT, 'bytes_received': coalesce(sum(received), 0)::UBIGINT} FROM fin) AS totals,
      (SELECT list({'peer': p.peer, 'connections': p.connections, 'bytes': p.bytes, 'services': p.services,
                    'country': g.country, 'asn': g.asn, 'as_org': g.as_org} ORDER BY p.bytes DESC, p.connections DESC, p.peer)
        FROM (SELECT * FROM (
            SELECT CASE WHEN out THEN resp_h ELSE orig_h END AS peer, count(*) AS connections,
              sum(sent + received)::UBIGINT AS bytes, string_agg(DISTINCT service, ',' ORDER BY service) AS services
            FROM fin GROUP BY 1) WHERE peer IS NOT NULL ORDER BY bytes DESC, connections DESC, peer LIMIT ${limit}) AS p
        LEFT JOIN ip_info AS g ON g.address = p.peer) AS peers,
      ${services(raw('out'), raw('resp_h'))} AS used,
      ${services(raw('inn'), raw('orig_h'))} AS offered,
      ${volume} AS volume`;
}
