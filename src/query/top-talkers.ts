/**
 * Top talkers: hosts ranked by the traffic they took part in, whichever side of the connection they
 * were on, with how many distinct peers each had. When the filter is only a time range, the whole days
 * inside it are answered from the per-day host summary kept at ingest (src/store/host-rollup.ts) and
 * only the partial days at its edges from raw rows; any other filter needs raw rows throughout.
 * Peers are distinct addresses, which do not add up across days, so they are counted from raw rows,
 * for the top hosts only.
 */
import { HOST_ROLLUP_TABLE, wholeBuckets, type WholeBuckets } from '../store/host-rollup.js';
import { ident, join, raw, sql, type SqlFragment } from '../store/sql.js';
import type { Dialect } from '../store/dialect.js';
import { BYTES_ORIG, BYTES_RESP, FINAL_ROWS } from './connection-sql.js';
import type { CompiledFilter, RecordFilter } from './filter/filter.js';

/** True when the filter selects by time only, so the host summary can answer its whole days. */
export function summaryAnswers(filter: RecordFilter): boolean {
  return (filter.text === undefined || filter.text.trim() === '') && !filter.hosts?.length && !filter.ports?.length && filter.proto === undefined;
}

/** The raw rows outside the whole buckets (the edges of the range; rows without a time), or null when there are none. */
function edgesOf(d: Dialect, whole: WholeBuckets): SqlFragment | null {
  const parts: SqlFragment[] = [];
  if (whole.from !== undefined) parts.push(sql`t.ts < ${d.timestampFromMicros(whole.from)}`);
  if (whole.to !== undefined) parts.push(sql`t.ts >= ${d.timestampFromMicros(whole.to)}`);
  if (parts.length === 0) return null;
  parts.push(raw('t.ts IS NULL'));
  return sql`(${join(parts, ' OR ')})`;
}

/**
 * SELECT of the top `limit` talkers over the connections a compiled filter selects; `useSummary`
 * (true unless told otherwise) lets whole days come from the summary when `filter` allows it.
 */
export function topTalkersSql(d: Dialect, filter: RecordFilter, f: CompiledFilter, order: SqlFragment, limit: number, useSummary = true): SqlFragment {
  const where = sql`${f.where} AND ${FINAL_ROWS}`;
  const from = f.from;
  const rawSide = (cond: SqlFragment, host: SqlFragment, sent: SqlFragment, received: SqlFragment) =>
    sql`SELECT ${host} AS host, count(*) AS n, sum(${sent}) AS sent, sum(${received}) AS received FROM ${from} WHERE ${cond} GROUP BY 1`;
  const rawSides = (cond: SqlFragment) =>
    sql`${rawSide(cond, raw('t.orig_h'), BYTES_ORIG, BYTES_RESP)} UNION ALL ${rawSide(cond, raw('t.resp_h'), BYTES_RESP, BYTES_ORIG)}`;
  const whole = useSummary && summaryAnswers(filter) ? wholeBuckets(filter.range?.since, filter.range?.until) : null;
  let sides: SqlFragment;
  if (whole) {
    const inWhole: SqlFragment[] = [raw('TRUE')];
    if (whole.from !== undefined) inWhole.push(sql`bucket >= ${d.timestampFromMicros(whole.from)}`);
    if (whole.to !== undefined) inWhole.push(sql`bucket < ${d.timestampFromMicros(whole.to)}`);
    sides = sql`SELECT host, connections AS n, bytes_sent AS sent, bytes_received AS received FROM ${ident(HOST_ROLLUP_TABLE)} WHERE ${join(inWhole, ' AND ')}`;
    const edges = edgesOf(d, whole);
    if (edges) sides = sql`${sides} UNION ALL ${rawSides(sql`${where} AND ${edges}`)}`;
  } else {
    sides = rawSides(where);
  }
  // Each side is aggregated on its own and peers are counted for the top hosts only: on 10 M
  // connections this is about four times faster than counting distinct peers for every host over a
  // union of both sides.
  const peers = (host: SqlFragment, peer: SqlFragment) =>
    sql`SELECT ${host} AS host, ${peer} AS peer FROM ${from} WHERE ${where} AND ${host} IN (SELECT host FROM ranked)`;
  return sql`WITH ranked AS (
      SELECT host, sum(n) AS connections, sum(sent)::UBIGINT AS bytes_sent, sum(received)::UBIGINT AS bytes_received,
             (sum(sent) + sum(received))::UBIGINT AS bytes
      FROM (${sides}) AS s
      WHERE host IS NOT NULL GROUP BY host ORDER BY ${order}, host LIMIT ${limit}
    ), peers AS (
      SELECT host, count(DISTINCT peer) AS peers
      FROM (${peers(raw('t.orig_h'), raw('t.resp_h'))} UNION ALL ${peers(raw('t.resp_h'), raw('t.orig_h'))}) GROUP BY host
    )
    SELECT ranked.*, coalesce(peers.peers, 0) AS peers FROM ranked LEFT JOIN peers USING (host) ORDER BY ${order}, host`;
}
