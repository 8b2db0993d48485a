/**
 * Top-N rankings that need enrichment: countries and autonomous systems of the far end of each
 * connection (from ip_info), zone pairs with their direction (from the site model, at query time),
 * and the most queried DNS names with how many clients asked and how often the answer was NXDOMAIN.
 */
import type { Site } from '../enrich/site.js';
import { raw, sql, type SqlFragment } from '../store/sql.js';
import type { Row, Store } from '../store/store.js';
import type { TopMetric } from './questions.js';

/** What these rankings rank. */
export type EnrichedTopSubject = 'countries' | 'asns' | 'zones' | 'domains';

/** The enriched subjects, for argument checking and help. */
export const ENRICHED_TOP_SUBJECTS: readonly EnrichedTopSubject[] = ['countries', 'asns', 'zones', 'domains'];

/** True when `s` is one of the enriched subjects. */
export function isEnrichedTopSubject(s: string): s is EnrichedTopSubject {
  return (ENRICHED_TOP_SUBJECTS as readonly string[]).includes(s);
}

const BYTES = raw('(coalesce(t.orig_ip_bytes, t.orig_bytes, 0) + coalesce(t.resp_ip_bytes, t.resp_bytes, 0))');

/**
 * Each matching connection with its local and remote end: the external end of an inbound or outbound
 * connection is the remote one; between two internal (or two external) hosts, the responder is.
 */
function endsSql(site: Site, where: SqlFragment): SqlFragment {
  const oi = site.internalSql(raw('t.orig_h'));
  const ri = site.internalSql(raw('t.resp_h'));
  return sql`SELECT CASE WHEN ri AND NOT oi THEN orig_h ELSE resp_h END AS remote,
      CASE WHEN ri AND NOT oi THEN resp_h ELSE orig_h END AS local, oi AND ri AS both_internal, bytes
    FROM (SELECT t.orig_h, t.resp_h, ${oi} AS oi, ${ri} AS ri, ${BYTES} AS bytes
          FROM connections AS t WHERE (${where}) AND t.state_reason IS DISTINCT FROM 'interim') AS c`;
}

/**
 * Ranks countries, ASNs, zone pairs or DNS names. `where` is a condition over the subject's table
 * (connections, or dns for domains) aliased `t`; domains rank by queries whatever `by` says.
 */
export async function topEnriched(store: Store, site: Site, subject: EnrichedTopSubject, by: TopMetric, where: SqlFragment, limit = 10): Promise<Row[]> {
  const order = by === 'bytes' ? raw('bytes DESC, connections DESC') : raw('connections DESC, bytes DESC');
  let q: SqlFragment;
  switch (subject) {
    case 'countries':
      q = sql`SELECT CASE WHEN both_internal THEN '(internal)' ELSE coalesce(g.country, '(unknown)') END AS country,
          count(*) AS connections, sum(bytes)::UBIGINT AS bytes, count(DISTINCT local) AS local_hosts, count(DISTINCT remote) AS remote_hosts
        FROM (${endsSql(site, where)}) AS e LEFT JOIN ip_info AS g ON g.address = e.remote
        GROUP BY 1 ORDER BY ${order}, country LIMIT ${limit}`;
      break;
    case 'asns':
      q = sql`SELECT CASE WHEN both_internal THEN NULL ELSE g.asn END AS asn,
          CASE WHEN both_internal THEN '(internal)' WHEN g.asn IS NULL THEN '(unknown)' ELSE any_value(g.as_org) END AS as_org,
          count(*) AS connections, sum(bytes)::UBIGINT AS bytes, count(DISTINCT local) AS local_hosts, count(DISTINCT remote) AS remote_hosts
        FROM (${endsSql(site, where)}) AS e LEFT JOIN ip_info AS g ON g.address = e.remote
        GROUP BY both_internal, g.asn ORDER BY ${order}, asn LIMIT ${limit}`;
      break;
    case 'zones':
      q = sql`SELECT coalesce(orig_zone, '(none)') AS orig_zone, coalesce(resp_zone, '(none)') AS resp_zone, direction,
          count(*) AS connections, sum(bytes)::UBIGINT AS bytes, count(DISTINCT orig_h) AS clients, count(DISTINCT resp_h) AS servers
        FROM (SELECT t.orig_h, t.resp_h, ${site.zoneSql(raw('t.orig_h'))} AS orig_zone, ${site.zoneSql(raw('t.resp_h'))} AS resp_zone,
                ${site.directionSql(raw('t.orig_h'), raw('t.resp_h'))} AS direction, ${BYTES} AS bytes
              FROM connections AS t WHERE (${where}) AND t.state_reason IS DISTINCT FROM 'interim') AS z
        GROUP BY 1, 2, 3 ORDER BY ${order}, orig_zone, resp_zone LIMIT ${limit}`;
      break;
    case 'domains':
      // The share of NXDOMAIN among the queries whose response was seen.
      q = sql`SELECT lower(rtrim(t.query, '.')) AS domain, count(*) AS queries, count(DISTINCT t.orig_h) AS clients,
          count(t.rcode) AS answered,
          round(count(*) FILTER (WHERE t.rcode_name = 'NXDOMAIN') / nullif(count(t.rcode), 0), 4) AS nxdomain_share
        FROM dns AS t WHERE (${where}) AND t.query IS NOT NULL AND t.query <> ''
        GROUP BY 1 ORDER BY queries DESC, clients DESC, domain LIMIT ${limit}`;
      break;
  }
  return store.all(q);
}
