/**
 * Clients that go around the sanctioned resolvers: plain DNS (53/udp, 53/tcp) or DNS over TLS
 * (853) to any other server, and DNS over HTTPS (443) to a well-known public resolver, recognised by
 * its address, by the name the client resolved for it, or by the TLS server name (capture `extra`,
 * Zeek ssl.log `server_name`, Suricata tls `sni`). Sanctioned resolvers themselves are not clients:
 * they talk to upstream servers by design.
 */
import { join, raw, sql, type SqlFragment } from '../store/sql.js';
import type { Row } from '../store/store.js';
import { finalRowSql, outcomeSql } from './connection-outcome.js';
import type { ValidationContext, ValidationOptions } from './context.js';
import { dnsAnswersFromStore, nameJoinSql } from './dns-answers.js';
import { rangeSql } from './range.js';
import { PUBLIC_DOH_RESOLVERS, publicResolverOf } from './public-resolvers.js';
import { evidenceFilter } from './top-list.js';

/** How a client reached a resolver that is not sanctioned. */
export type BypassKind = 'dns' | 'dot' | 'doh';

/** One client/resolver pair going around the sanctioned resolvers. */
export interface Bypass {
  client: string;
  resolver: string;
  kind: BypassKind;
  port: number;
  proto: string;
  /** Public resolver operator, when known. */
  provider: string | null;
  /** What identified DoH: the server name or the address. */
  indicator: string | null;
  /** Connection records seen. */
  connections: number;
  /** DNS transactions logged to that resolver (plain DNS only). */
  queries: number;
  /** Connections that got through (see docs/controls.md for the rule). */
  succeeded: number;
  /** Logged DNS transactions that got a response. */
  answered: number;
  blocked: number;
  first: string;
  last: string;
  evidence: string;
}

/** The bypass section of the DNS-filter report. */
export interface BypassResult {
  rows: Bypass[];
  total: number;
  clients: number;
  /** Rows where something got through. */
  succeeded: number;
  notes: string[];
}

const list = (xs: readonly string[]): SqlFragment => join(xs.map((x) => sql`${x}`));

function toBypass(r: Row, kind: BypassKind): Bypass {
  const indicator = r.indicator === null || r.indicator === undefined ? null : String(r.indicator);
  const port = Number(r.resp_p);
  return {
    client: String(r.orig_h),
    resolver: String(r.resp_h),
    kind,
    port,
    proto: String(r.proto),
    provider: publicResolverOf(indicator ?? String(r.resp_h)) ?? publicResolverOf(String(r.resp_h)),
    indicator,
    connections: Number(r.connections),
    queries: Number(r.queries ?? 0),
    succeeded: Number(r.succeeded),
    answered: Number(r.answered ?? 0),
    blocked: Number(r.blocked),
    first: String(r.first),
    last: String(r.last),
    evidence: evidenceFilter(String(r.orig_h), String(r.resp_h), port),
  };
}

/** Finds clients bypassing the sanctioned resolvers. */
export async function findResolverBypass(ctx: ValidationContext, opts: ValidationOptions): Promise<BypassResult> {
  const { store, site } = ctx;
  const d = store.dialect;
  const sanctioned = site.sanctionedResolvers;
  const notes: string[] = [];
  const notSanctioned = (col: string): SqlFragment => (sanctioned.length ? sql`${raw(col)} NOT IN (${list(sanctioned)})` : raw('TRUE'));
  const clientSql = (col: string): SqlFragment => sql`${site.internalSql(raw(col))} AND ${notSanctioned(col)}`;

  const parts: SqlFragment[] = [];
  if (sanctioned.length === 0) {
    notes.push('the site model names no sanctioned resolvers: plain DNS and DNS over TLS to other servers were not checked');
  } else {
    parts.push(sql`SELECT CASE WHEN resp_p = 853 THEN 'dot' ELSE 'dns' END AS kind, orig_h, resp_h, resp_p, proto, NULL AS indicator, sum(conns) AS connections, sum(queries) AS queries, sum(ok) AS succeeded,
        sum(answered) AS answered, sum(blocked) AS blocked, min(ts) AS first, max(ts) AS last FROM (
          SELECT orig_h, resp_h, resp_p, proto, ts, 1 AS conns, 0 AS queries, 0 AS answered,
                 CASE WHEN ${outcomeSql()} IN ('succeeded', 'allowed') THEN 1 ELSE 0 END AS ok,
                 CASE WHEN ${outcomeSql()} = 'blocked' THEN 1 ELSE 0 END AS blocked
          FROM connections WHERE ${rangeSql(d, opts.range)} AND ${finalRowSql()} AND resp_p IN (53, 853) AND proto IN ('tcp', 'udp')
            AND ${clientSql('orig_h')} AND ${notSanctioned('resp_h')}
          UNION ALL
          SELECT orig_h, resp_h, resp_p, proto, ts, 0, 1, CASE WHEN rcode IS NOT NULL OR rcode_name IS NOT NULL THEN 1 ELSE 0 END, 0, 0
          FROM dns WHERE ${rangeSql(d, opts.range)} AND resp_p IN (53, 853) AND proto IN ('tcp', 'udp')
            AND ${clientSql('orig_h')} AND ${notSanctioned('resp_h')}
        ) GROUP BY 1, 2, 3, 4, 5`);
  }

  const names = PUBLIC_DOH_RESOLVERS.flatMap((r) => r.names);
  const addresses = PUBLIC_DOH_RESOLVERS.flatMap((r) => r.addresses);
  const answers = (ctx.dnsAnswers ?? dnsAnswersFromStore(d)).answersSql(opts.range);
  const scoped = sql`(SELECT c0.*, coalesce(lower(json_extract_string(c0.extra, '$.app.sni')), m.server_name) AS sni FROM connections AS c0
      LEFT JOIN (SELECT uid, any_value(lower(coalesce(json_extract_string(data, '$.server_name'), json_extract_string(data, '$.tls.sni')))) AS server_name
                 FROM metadata WHERE log IN ('ssl', 'tls') AND ${rangeSql(d, opts.range)} GROUP BY uid) AS m ON m.uid = c0.uid
      WHERE ${rangeSql(d, opts.range, 0, raw('c0.ts'))} AND ${finalRowSql()} AND c0.resp_p = 443 AND c0.proto IN ('tcp', 'udp')
        AND ${clientSql('c0.orig_h')} AND ${notSanctioned('c0.resp_h')})`;
  const j = nameJoinSql(scoped, answers);
  parts.push(sql`SELECT 'doh' AS kind, orig_h, resp_h, resp_p, proto, indicator, count(*) AS connections, 0 AS queries,
      sum(CASE WHEN outcome IN ('succeeded', 'allowed') THEN 1 ELSE 0 END) AS succeeded, 0 AS answered,
      sum(CASE WHEN outcome = 'blocked' THEN 1 ELSE 0 END) AS blocked, min(ts) AS first, max(ts) AS last
    FROM (SELECT c.orig_h, c.resp_h, c.resp_p, c.proto, c.ts, ${outcomeSql('c.')} AS outcome, ${j.name} AS name, c.sni,
            CASE WHEN c.sni IN (${list(names)}) THEN c.sni WHEN ${j.name} IN (${list(names)}) THEN ${j.name} ELSE c.resp_h END AS indicator
          FROM ${j.from})
    WHERE resp_h IN (${list(addresses)}) OR sni IN (${list(names)}) OR name IN (${list(names)})
    GROUP BY 1, 2, 3, 4, 5, 6`);
  // One pass over the union: the kept rows, plus complete counts for the summary.
  const q = sql`WITH u AS MATERIALIZED (${join(parts, ' UNION ALL ')})
    SELECT *, (SELECT count(*) FROM u) AS total, (SELECT count(DISTINCT orig_h) FROM u) AS clients,
      (SELECT count(*) FROM u WHERE succeeded + answered > 0) AS through
    FROM u ORDER BY (succeeded + answered > 0) DESC, succeeded + answered DESC, connections + queries DESC, orig_h, resp_h, resp_p, kind
    LIMIT ${opts.limit}`;
  const rows = await store.all(q);
  return {
    rows: rows.map((r) => toBypass(r, String(r.kind) as BypassKind)),
    total: Number(rows[0]?.total ?? 0),
    clients: Number(rows[0]?.clients ?? 0),
    succeeded: Number(rows[0]?.through ?? 0),
    notes,
  };
}
