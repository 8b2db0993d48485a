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
import type { Row, Store } from '../store/store.js';
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
  const conns = sql`${mine} AND state_reason IS DISTINCT FROM 'interim'`;
  const sent = sql`CASE WHEN orig_h = ${a} THEN coalesce(orig_ip_bytes, orig_bytes, 0) ELSE coalesce(resp_ip_bytes, resp_bytes, 0) END`;
  const received = sql`CASE WHEN orig_h = ${a} THEN coalesce(resp_ip_bytes, resp_bytes, 0) ELSE coalesce(orig_ip_bytes, orig_bytes, 0) END`;

  const seen = await store.all(
    sql`SELECT min(first) AS first, max(last) AS last FROM (${join(
      EVENT_TABLES.map((t) => sql`SELECT min(ts) AS first, max(ts) AS last FROM ${ident(t.name)} WHERE ${mine}`),
      ' UNION ALL ',
    )}) AS s`,
  );
  const totals = (await store.all(
    sql`SELECT count(*) FILTER (WHERE orig_h = ${a}) AS as_client, count(*) FILTER (WHERE resp_h = ${a}) AS as_server,
        coalesce(sum(${sent}), 0)::UBIGINT AS bytes_sent, coalesce(sum(${received}), 0)::UBIGINT AS bytes_received
      FROM connections WHERE ${conns}`,
  ))[0];
  const dnsQueries = (await store.all(sql`SELECT count(*) AS n FROM dns WHERE orig_h = ${a} AND ${inRange}`))[0];

  const peerRows = await store.all(
    sql`SELECT p.peer, p.connections, p.bytes, p.services, g.country, g.asn, g.as_org FROM (
        SELECT CASE WHEN orig_h = ${a} THEN resp_h ELSE orig_h END AS peer, count(*) AS connections,
          sum(${sent} + ${received})::UBIGINT AS bytes, string_agg(DISTINCT service, ',') AS services
        FROM connections WHERE ${conns} GROUP BY 1) AS p
      LEFT JOIN ip_info AS g ON g.address = p.peer
      WHERE p.peer IS NOT NULL ORDER BY p.bytes DESC, p.connections DESC, p.peer LIMIT ${limit}`,
  );
  const peers: HostPeer[] = peerRows.map((r) => {
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

  const services = async (side: 'orig_h' | 'resp_h', other: 'orig_h' | 'resp_h'): Promise<HostService[]> => {
    const rows = await store.all(
      sql`SELECT coalesce(service, '(unknown)') AS service, resp_p AS port, proto, count(*) AS connections,
          sum(coalesce(orig_ip_bytes, orig_bytes, 0) + coalesce(resp_ip_bytes, resp_bytes, 0))::UBIGINT AS bytes,
          count(DISTINCT ${ident(other)}) AS hosts
        FROM connections WHERE ${ident(side)} = ${a} AND ${inRange} AND state_reason IS DISTINCT FROM 'interim'
        GROUP BY 1, 2, 3 ORDER BY connections DESC, bytes DESC, port LIMIT ${limit}`,
    );
    return rows.map((r) => ({ service: String(r.service), port: r.port === null ? null : num(r.port), proto: str(r.proto), connections: num(r.connections), bytes: num(r.bytes), hosts: num(r.hosts) }));
  };

  const dnsNames = await store.all(
    sql`SELECT lower(rtrim(query, '.')) AS name, count(*) AS answers, max(ts) AS last_seen FROM dns
      WHERE list_contains(answers, ${a}) AND ${inRange} GROUP BY 1 ORDER BY answers DESC, name LIMIT ${limit}`,
  );
  const ptr = await store.all(
    sql`SELECT DISTINCT lower(rtrim(name, '.')) AS name FROM (SELECT unnest(answers) AS name FROM dns
      WHERE lower(rtrim(query, '.')) = ${reverseName(a)} AND ${inRange}) AS p ORDER BY 1 LIMIT ${limit}`,
  );
  const geoRow = (await store.all(sql`SELECT country, asn, as_org FROM ip_info WHERE address = ${a} LIMIT 1`))[0] as Row | undefined;
  const geo: GeoAnswer = geoRow
    ? { country: str(geoRow.country), asn: geoRow.asn === null ? null : num(geoRow.asn), as_org: str(geoRow.as_org) }
    : (opts.geo?.lookup(a) ?? { country: null, asn: null, as_org: null });

  const first = str(seen[0]?.first);
  const last = str(seen[0]?.last);
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
    services_used: await services('orig_h', 'resp_h'),
    services_offered: await services('resp_h', 'orig_h'),
    volume: await volume(store, conns, range, first, last, opts.buckets ?? 48),
  };
}

/** Connections and bytes per interval, empty intervals included, at a step giving at most `most` of them. */
async function volume(store: Store, conns: SqlFragment, range: TimeRange, first: string | null, last: string | null, most: number): Promise<HostProfile['volume']> {
  if (first === null || last === null) return { interval_seconds: 3600, buckets: [] };
  const from = range.since ?? Date.parse(first) * 1000;
  const to = range.until ?? Date.parse(last) * 1000 + 1;
  const span = Math.max(1, (to - from) / 1e6);
  const step = STEPS.find((s) => span / s <= most) ?? Math.ceil(span / most / 86400) * 86400;
  const stepUs = step * 1e6;
  const start = Math.floor(from / stepUs) * stepUs;
  // Buckets are counted from `start` here rather than by the engine's own bucketing, whose origin varies.
  const rows = await store.all(
    sql`SELECT CAST(floor((${store.dialect.epochMicros(raw('ts'))} - ${start}) / ${stepUs}) AS BIGINT) AS i, count(*) AS connections,
        sum(coalesce(orig_ip_bytes, orig_bytes, 0) + coalesce(resp_ip_bytes, resp_bytes, 0))::UBIGINT AS bytes
      FROM connections WHERE ${conns} GROUP BY 1 ORDER BY 1`,
  );
  const byIndex = new Map(rows.map((r) => [num(r.i), r]));
  const buckets: VolumeBucket[] = [];
  for (let i = 0; start + i * stepUs < to; i++) {
    const r = byIndex.get(i);
    buckets.push({ start: new Date((start + i * stepUs) / 1000).toISOString(), connections: num(r?.connections), bytes: num(r?.bytes) });
  }
  return { interval_seconds: step, buckets };
}
