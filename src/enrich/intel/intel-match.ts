/**
 * Matching records against the loaded indicators, in bulk SQL: addresses by an equality join, CIDRs by
 * a range join on fixed-width address keys, domains by exploding each name into its label suffixes
 * and equality-joining them (so a feed of 100 k domains costs a hash join, not 100 k LIKEs). What is
 * looked at: both addresses of connections and firewall rows, DNS query names, and DNS answers
 * (addresses and CNAME targets). An indicator past its `valid_until` no longer matches (the address
 * may have changed hands); `valid_from` is not enforced, so a hunt with a new feed finds the activity
 * that led to the indicator being published.
 *
 * The same SQL serves the ingest hook (the new ingest's rows) and `intel hunt` (a time range), so the
 * two always agree. Each match has a key (a hash of the record, field, value, feed and indicator);
 * recording inserts only matches whose key no intel finding of the same ingest has yet, which makes
 * the hook idempotent across checkpoints and a repeated `hunt --record` a no-op.
 */
import type { TimeRange } from '../../query/time-range.js';
import type { Dialect } from '../../store/dialect.js';
import { raw, sql, type SqlFragment } from '../../store/sql.js';
import type { IngestHook, Row, Store, TxContext } from '../../store/store.js';

/** Which records and indicators a match run covers. */
export interface MatchScope {
  /** Only records of this ingest (the ingest hook). */
  readonly ingestId?: number;
  /** Only records in this time range (hunts). */
  readonly range?: TimeRange;
  /** Only this feed's indicators. */
  readonly feed?: string;
}

const KEYS = 'ts, uid, community_id, orig_h, orig_p, resp_h, resp_p, proto, ip_proto, sensor, ingest_id';
const V4 = '^[0-9]{1,3}(\\.[0-9]{1,3}){3}$';

function where(d: Dialect, s: MatchScope): SqlFragment {
  let w = raw('TRUE');
  if (s.ingestId !== undefined) w = sql`${w} AND ingest_id = ${s.ingestId}`;
  if (s.range?.since !== undefined) w = sql`${w} AND ts >= ${d.timestampFromMicros(s.range.since)}`;
  if (s.range?.until !== undefined) w = sql`${w} AND ts < ${d.timestampFromMicros(s.range.until)}`;
  return w;
}

/** Every (record, field, value) that could match, for the scope. */
function observations(d: Dialect, s: MatchScope): SqlFragment {
  const w = where(d, s);
  const k = raw(KEYS);
  return sql`SELECT 'connections' AS tbl, 'orig_h' AS field, orig_h AS value, ${k} FROM connections WHERE ${w}
UNION ALL SELECT 'connections', 'resp_h', resp_h, ${k} FROM connections WHERE ${w}
UNION ALL SELECT 'firewall', 'orig_h', orig_h, ${k} FROM firewall WHERE ${w}
UNION ALL SELECT 'firewall', 'resp_h', resp_h, ${k} FROM firewall WHERE ${w}
UNION ALL SELECT 'dns', 'query', lower(rtrim(query, '.')), ${k} FROM dns WHERE ${w} AND query IS NOT NULL
UNION ALL SELECT 'dns', 'answers', lower(rtrim(answer, '.')), ${k} FROM (SELECT UNNEST(list_distinct(answers)) AS answer, ${k} FROM dns WHERE ${w} AND len(answers) > 0)`;
}

/** SQL: the fixed-width key of an address text (see `addressKey`), NULL for anything else. */
function addressKeySql(d: Dialect, v: SqlFragment): SqlFragment {
  const octet = (n: number) => sql`TRY_CAST(split_part(${v}, '.', ${n}) AS INTEGER)`;
  return sql`(CASE WHEN regexp_full_match(${v}, ${V4}) THEN '4' || printf('%02x%02x%02x%02x', ${octet(1)}, ${octet(2)}, ${octet(3)}, ${octet(4)})
  WHEN contains(${v}, ':') AND NOT contains(${v}, '.') THEN '6' || ${d.ipv6Hex(v)} END)`;
}

const HIT_COLS = 'i.feed, i.indicator, i.kind, i.description, i.confidence, i.source, i.ref, i.valid_until';

/**
 * The matches of a scope, one row per (record, field, value, indicator), with a stable `match_key`.
 * Indicators are matched against the distinct observed values first (hosts and names repeat, so
 * these are far fewer than the records), so address keys and domain suffixes are computed once per
 * value; the hits then join back to the records by plain equality. Each (record, field, value,
 * indicator) is one row (answers are deduplicated per record), so no DISTINCT pass is needed (it
 * tripled the cost); two byte-identical records give one finding each. The observations are
 * scanned twice rather than materialised: holding millions of wide rows cost 3x the time and ran
 * out of memory (measured on 3 M connections and 1 M DNS records).
 */
export function matchesSql(d: Dialect, s: MatchScope): SqlFragment {
  const ind = s.feed === undefined ? sql`SELECT * FROM intel` : sql`SELECT * FROM intel WHERE feed = ${s.feed}`;
  const hit = raw(HIT_COLS);
  const key = raw(`md5(concat_ws('|', m.tbl, m.field, m.value, m.ingest_id::VARCHAR, epoch_us(m.ts)::VARCHAR, coalesce(m.uid, ''), coalesce(m.community_id, ''),
  coalesce(m.orig_h, ''), coalesce(m.orig_p::VARCHAR, ''), coalesce(m.resp_h, ''), coalesce(m.resp_p::VARCHAR, ''), m.feed, m.indicator))`);
  return sql`WITH obs AS NOT MATERIALIZED (SELECT * FROM (${observations(d, s)}) WHERE value IS NOT NULL AND value <> ''),
ind AS MATERIALIZED (${ind}),
vals AS MATERIALIZED (SELECT DISTINCT value FROM obs),
addr AS (SELECT value, ${addressKeySql(d, raw('value'))} AS k FROM vals WHERE EXISTS (SELECT 1 FROM ind WHERE kind = 'cidr')),
names AS (
  SELECT value, depth, array_to_string(list_slice(parts, depth + 1, len(parts)), '.') AS suffix FROM (
    SELECT value, parts, UNNEST(range(len(parts) - 1)) AS depth FROM (
      SELECT value, string_split(value, '.') AS parts FROM vals
      WHERE contains(value, '.') AND NOT contains(value, ':') AND NOT regexp_full_match(value, ${V4})))),
hits AS MATERIALIZED (
  SELECT v.value AS hit_value, ${hit} FROM vals AS v JOIN ind AS i ON i.kind = 'ip' AND i.value = v.value
  UNION ALL
  SELECT a.value, ${hit} FROM addr AS a JOIN ind AS i ON i.kind = 'cidr' AND a.k BETWEEN i.lo AND i.hi
  UNION ALL
  SELECT n.value, ${hit} FROM names AS n JOIN ind AS i ON i.value = n.suffix
    AND ((n.depth = 0 AND i.kind = 'domain') OR (n.depth > 0 AND (i.kind = 'wildcard' OR (i.kind = 'domain' AND i.subdomains))))),
m AS (
  SELECT o.tbl, o.field, o.value, h.feed, h.indicator, h.kind, h.description, h.confidence, h.source, h.ref, o.${raw(KEYS.split(', ').join(', o.'))}
  FROM obs AS o JOIN hits AS h ON h.hit_value = o.value
  WHERE h.valid_until IS NULL OR o.ts < h.valid_until)
SELECT *, ${key} AS match_key FROM m`;
}

/** Inserts the scope's matches as `intel` findings that are not recorded yet; returns how many were new. */
export async function recordMatches(tx: TxContext, d: Dialect, s: MatchScope): Promise<number> {
  const count = async (): Promise<number> => Number((await tx.all(sql`SELECT count(*) AS n FROM findings WHERE source_type = 'intel'`))[0].n);
  const before = await count();
  await tx.run(sql`INSERT INTO findings (ts, uid, community_id, orig_h, orig_p, resp_h, resp_p, proto, ip_proto, source_type, sensor, ingest_id, signature, category, app_proto, extra)
SELECT ts, uid, community_id, orig_h, orig_p, resp_h, resp_p, proto, ip_proto, 'intel', sensor, ingest_id,
  'intel ' || feed || ': ' || indicator, 'threat-intel', CASE WHEN tbl = 'dns' THEN 'dns' END,
  json_object('feed', feed, 'indicator', indicator, 'kind', kind, 'table', tbl, 'field', field, 'value', value,
    'description', description, 'confidence', confidence, 'source', source, 'ref', ref, 'match_key', match_key)::VARCHAR
FROM (${matchesSql(d, s)}) AS m
WHERE NOT EXISTS (SELECT 1 FROM findings AS f WHERE f.source_type = 'intel' AND f.ingest_id = m.ingest_id
  AND json_extract_string(f.extra, '$.match_key') = m.match_key)`);
  return (await count()) - before;
}

/**
 * The ingest hook writing intel matches of each new ingest to `findings`. Findings carry the record's
 * ingest id, so `--force` removes them with the rows they point at and the re-ingest matches again.
 */
export function intelMatchHook(dialect: Dialect): IngestHook {
  return {
    name: 'threat-intel matches',
    async beforeCommit(tx: TxContext, ingestId: number, since: number | null): Promise<void> {
      if (since !== null && !Number.isFinite(since)) return;
      const any = await tx.all(sql`SELECT EXISTS (SELECT 1 FROM intel) AS any`);
      if (any[0].any !== true) return;
      // At a live checkpoint only rows from `since` on can be new (matches already recorded are skipped).
      await recordMatches(tx, dialect, since === null ? { ingestId } : { ingestId, range: { since } });
    },
  };
}

/** Options of a retroactive hunt. */
export interface HuntOptions {
  readonly range?: TimeRange;
  readonly feed?: string;
  /** At most this many matches (the oldest). */
  readonly limit?: number;
}

/** The columns a hunt prints, in order. */
export const HUNT_COLUMNS = ['ts', 'feed', 'indicator', 'kind', 'table', 'field', 'value', 'orig_h', 'orig_p', 'resp_h', 'resp_p', 'proto', 'uid', 'community_id', 'description'] as const;

/** A hunt's matches, oldest first, streamed in batches. */
export function huntMatches(store: Store, o: HuntOptions = {}): AsyncIterable<Row[]> {
  const m = matchesSql(store.dialect, { range: o.range, feed: o.feed });
  return store.stream(sql`SELECT ts, feed, indicator, kind, tbl AS "table", field, value, orig_h, orig_p, resp_h, resp_p, proto, uid, community_id, description
FROM (${m}) ORDER BY ts, "table", field, feed, indicator${o.limit === undefined ? raw('') : sql` LIMIT ${o.limit}`}`);
}

/** Records a hunt's matches as findings (those not recorded before); returns how many were new. */
export async function recordHunt(store: Store, o: HuntOptions = {}): Promise<number> {
  return store.transaction((tx) => recordMatches(tx, store.dialect, { range: o.range, feed: o.feed }));
}
