/**
 * `validate dns-filter`: did the DNS filter keep clients away from blocked domains? The distinct
 * queried names are streamed from the store and matched against the blocklist in TypeScript (a
 * large list never becomes SQL); the transactions of the matched names are then classified in SQL:
 * - worked: NXDOMAIN, REFUSED, or only sinkhole addresses (0.0.0.0, ::, 127.0.0.1, or `--sinkhole`);
 * - failed: a real address came back and the same client then connected to it (the connection's
 *   destination name, from the answer it most recently got for that address, is the blocked name);
 * - leaked: a real address came back but no connection to it was seen (a warning, not a failure).
 * Plus the clients that bypass the sanctioned resolvers altogether (resolver-bypass.ts).
 */
import { join, raw, sql, type SqlFragment } from '../store/sql.js';
import type { Blocklist } from './blocklist.js';
import { finalRowSql, outcomeSql } from './connection-outcome.js';
import type { ValidationContext, ValidationOptions, Verdict } from './context.js';
import { dnsAnswersFromStore, isAddressSql, nameJoinSql } from './dns-answers.js';
import { rangeSql, reportRange } from './range.js';
import { findResolverBypass, type Bypass } from './resolver-bypass.js';
import { evidenceFilter, TopList } from './top-list.js';

/** Addresses filters answer blocked names with, besides any configured. */
export const DEFAULT_SINKHOLES = ['0.0.0.0', '::', '127.0.0.1'] as const;

/** A blocked domain a client resolved to a real address and then connected to. */
export interface FilterFailure {
  client: string;
  domain: string;
  /** The blocklist entry that matched (`evil.example` or `*.example`). */
  pattern: string;
  destination: string;
  port: number | null;
  proto: string | null;
  connections: number;
  /** Connections that got through (see docs/controls.md for the rule). */
  succeeded: number;
  first: string;
  last: string;
  evidence: { dns: string; connections: string };
}

/** A blocked domain that got a real answer (with or without a connection afterwards). */
export interface LeakedAnswer {
  client: string;
  domain: string;
  pattern: string;
  resolvers: string[];
  addresses: string[];
  queries: number;
  connected: boolean;
  first: string;
  last: string;
  evidence: string;
}

/** A blocked domain the filter answered as it should. */
export interface FilterSuccess {
  domain: string;
  pattern: string;
  sinkholed: number;
  nxdomain: number;
  refused: number;
  clients: number;
  first: string;
  last: string;
  evidence: string;
}

/** The DNS-filter validation report (stable JSON; see docs/controls.md). */
export interface DnsFilterReport {
  report: 'dns-filter';
  blocklist: { source: string; entries: number; skipped: number; skipped_lines: { line: number; reason: string; text: string }[] };
  range: { since: string | null; until: string | null };
  verdict: Verdict;
  summary: {
    names_queried: number;
    blocked_names_queried: number;
    worked: number;
    leaked: number;
    failed: number;
    failed_connections: number;
    bypass: number;
    bypass_clients: number;
  };
  failed: FilterFailure[];
  leaked: LeakedAnswer[];
  worked: FilterSuccess[];
  bypass: Bypass[];
  notes: string[];
}

/** Tuning for the DNS-filter validation. */
export interface DnsFilterOptions extends ValidationOptions {
  /** Extra sinkhole addresses the filter answers with. */
  readonly sinkholes?: readonly string[];
}

/** Names per query when the matched names go into SQL (one parameter, split in SQL). */
const CHUNK = 20_000;
/** Blocked names followed up at most (a blocklist matching more than this is itself a finding). */
const MAX_MATCHED = 20_000;

const params = (xs: readonly string[]): SqlFragment => join(xs.map((x) => sql`${x}`));

/**
 * SQL: a one-column relation of texts (names, `client|name` pairs). They travel as one newline-joined
 * parameter, since binding thousands of parameters costs far more than splitting one string.
 */
function textSet(texts: readonly string[]): SqlFragment {
  return sql`(SELECT unnest(string_split(${texts.join('\n')}, chr(10))))`;
}
const str = (v: unknown): string[] => (Array.isArray(v) ? v.map(String).sort() : []);

/** Validates DNS filtering against a blocklist, and looks for clients that bypass the resolvers. */
export async function validateDnsFilter(ctx: ValidationContext, blocklist: Blocklist, opts: DnsFilterOptions): Promise<DnsFilterReport> {
  const { store } = ctx;
  const d = store.dialect;
  const notes: string[] = [];
  const sinkholes = [...new Set([...DEFAULT_SINKHOLES, ...(opts.sinkholes ?? [])])];
  const nameExpr = raw("lower(rtrim(query, '.'))");

  const matched = new Map<string, string>();
  let namesQueried = 0;
  const distinct = sql`SELECT DISTINCT ${nameExpr} AS name FROM dns WHERE ${rangeSql(d, opts.range)} AND query IS NOT NULL`;
  for await (const batch of store.stream(distinct)) {
    for (const r of batch) {
      namesQueried++;
      const p = blocklist.domains.match(String(r.name));
      if (p !== null && matched.size < MAX_MATCHED) matched.set(String(r.name), p);
    }
  }
  if (matched.size >= MAX_MATCHED) notes.push(`only the first ${MAX_MATCHED} blocked names queried were followed up`);

  const tie = (a: { evidence: unknown }, b: { evidence: unknown }): number => (JSON.stringify(a.evidence) < JSON.stringify(b.evidence) ? -1 : 1);
  const worked = new TopList<FilterSuccess>(opts.limit, (w) => w.sinkholed + w.nxdomain + w.refused, tie);
  const leaked = new TopList<LeakedAnswer>(opts.limit, (l) => (l.connected ? 1e9 : 0) + l.queries, tie);
  const failed = new TopList<FilterFailure>(opts.limit, (f) => f.succeeded * 1e6 + f.connections, tie);
  let failedConnections = 0;
  let leakedOnly = 0;
  let leakedTotal = 0;
  let workedTotal = 0;
  const answersSrc = (ctx.dnsAnswers ?? dnsAnswersFromStore(d)).answersSql(opts.range);
  const names = [...matched.keys()].sort();
  // The sanctioned resolvers' own upstream lookups are how they answer clients, not clients.
  const resolvers = ctx.site.sanctionedResolvers;
  const notResolver = resolvers.length ? sql`orig_h NOT IN (${params(resolvers)})` : raw('TRUE');

  for (let i = 0; i < names.length; i += CHUNK) {
    const chunk = names.slice(i, i + CHUNK);
    const inChunk = textSet(chunk);
    const sinks = sql`list_value(${params(sinkholes)})`;
    // Connections named (by the answer their client most recently got) with a blocked name.
    const conns = sql`(SELECT * FROM connections WHERE ${rangeSql(d, opts.range)} AND ${finalRowSql()} AND ${notResolver}
        AND resp_h IN (SELECT address FROM ${answersSrc} AS x WHERE x.name IN ${inChunk}))`;
    const j = nameJoinSql(conns, answersSrc);
    const connQ = sql`SELECT c.orig_h, ${j.name} AS name, c.resp_h, c.resp_p, c.proto, count(*) AS connections,
        sum(CASE WHEN ${outcomeSql('c.')} IN ('succeeded', 'allowed') THEN 1 ELSE 0 END) AS succeeded, min(c.ts) AS first, max(c.ts) AS last
      FROM ${j.from} WHERE ${j.name} IN ${inChunk} AND NOT list_contains(${sinks}, c.resp_h) GROUP BY 1, 2, 3, 4, 5`;
    const connected = new Set<string>();
    for (const r of await store.all(connQ)) {
      const f: FilterFailure = {
        client: String(r.orig_h),
        domain: String(r.name),
        pattern: matched.get(String(r.name))!,
        destination: String(r.resp_h),
        port: r.resp_p === null ? null : Number(r.resp_p),
        proto: r.proto === null ? null : String(r.proto),
        connections: Number(r.connections),
        succeeded: Number(r.succeeded),
        first: String(r.first),
        last: String(r.last),
        evidence: { dns: `query: ${r.name} and orig_h == ${r.orig_h}`, connections: evidenceFilter(String(r.orig_h), String(r.resp_h), r.resp_p === null ? null : Number(r.resp_p)) },
      };
      failed.add(f);
      failedConnections += f.connections;
      connected.add(`${f.client}|${f.domain}`);
    }

    const classified = sql`SELECT orig_h, resp_h, ${nameExpr} AS name, ts, addrs,
        CASE WHEN upper(rcode_name) IN ('NXDOMAIN', 'REFUSED') THEN lower(rcode_name)
             WHEN len(addrs) > 0 AND len(list_filter(addrs, x -> NOT list_contains(${sinks}, x))) = 0 THEN 'sinkholed'
             WHEN len(addrs) > 0 THEN 'answered'
             ELSE 'unresolved' END AS outcome
      FROM (SELECT *, list_filter(coalesce(answers, []), x -> ${isAddressSql(raw('x'))}) AS addrs FROM dns
            WHERE ${rangeSql(d, opts.range)} AND ${nameExpr} IN ${inChunk} AND ${notResolver})`;
    const perDomain = sql`WITH x AS MATERIALIZED (SELECT name, count(*) FILTER (WHERE outcome = 'sinkholed') AS sinkholed,
        count(*) FILTER (WHERE outcome = 'nxdomain') AS nxdomain, count(*) FILTER (WHERE outcome = 'refused') AS refused,
        count(DISTINCT orig_h) FILTER (WHERE outcome IN ('sinkholed', 'nxdomain', 'refused')) AS clients,
        min(ts) FILTER (WHERE outcome IN ('sinkholed', 'nxdomain', 'refused')) AS first,
        max(ts) FILTER (WHERE outcome IN ('sinkholed', 'nxdomain', 'refused')) AS last
      FROM (${classified}) GROUP BY name HAVING count(*) FILTER (WHERE outcome IN ('sinkholed', 'nxdomain', 'refused')) > 0)
      SELECT *, (SELECT count(*) FROM x) AS total FROM x ORDER BY sinkholed + nxdomain + refused DESC, name LIMIT ${opts.limit}`;
    const workedRows = await store.all(perDomain);
    workedTotal += Number(workedRows[0]?.total ?? 0);
    for (const r of workedRows) {
      worked.add({
        domain: String(r.name),
        pattern: matched.get(String(r.name))!,
        sinkholed: Number(r.sinkholed),
        nxdomain: Number(r.nxdomain),
        refused: Number(r.refused),
        clients: Number(r.clients),
        first: String(r.first),
        last: String(r.last),
        evidence: `query: ${r.name}`,
      });
    }
    // Which answered (client, name) pairs were followed by a connection: a join on the pairs found above.
    const pairs = connected.size ? sql`(SELECT unnest(string_split(${[...connected].join('\n')}, chr(10))) AS pair)` : sql`(SELECT CAST(NULL AS VARCHAR) AS pair WHERE FALSE)`;
    // Totals come from scalar subqueries over a materialized CTE: DuckDB's whole-partition window
    // aggregates (count(*) OVER ()) next to row_number() were measured quadratic on 100k groups.
    const answered = sql`WITH x AS MATERIALIZED (
        SELECT orig_h, name, list_sort(list_distinct(list(resp_h))) AS resolvers,
          list_sort(list_distinct(flatten(list(list_filter(addrs, x -> NOT list_contains(${sinks}, x)))))) AS addresses,
          count(*) AS queries, min(ts) AS first, max(ts) AS last, bool_or(p.pair IS NOT NULL) AS connected
        FROM (${classified}) AS k LEFT JOIN ${pairs} AS p ON p.pair = k.orig_h || '|' || k.name
        WHERE outcome = 'answered' GROUP BY 1, 2)
      SELECT *, (SELECT count(*) FROM x) AS total, (SELECT count(*) FROM x WHERE NOT connected) AS not_connected
      FROM x ORDER BY connected DESC, queries DESC, orig_h, name LIMIT ${opts.limit}`;
    const leakedRows = await store.all(answered);
    leakedTotal += Number(leakedRows[0]?.total ?? 0);
    leakedOnly += Number(leakedRows[0]?.not_connected ?? 0);
    for (const r of leakedRows) {
      leaked.add({
        client: String(r.orig_h),
        domain: String(r.name),
        pattern: matched.get(String(r.name))!,
        resolvers: str(r.resolvers),
        addresses: str(r.addresses),
        queries: Number(r.queries),
        connected: r.connected === true,
        first: String(r.first),
        last: String(r.last),
        evidence: `query: ${r.name} and orig_h == ${r.orig_h}`,
      });
    }
  }

  const bypass = await findResolverBypass(ctx, opts);
  notes.push(...bypass.notes);
  const reasons: string[] = [];
  if (failed.total > 0) reasons.push(`${failed.total} client/domain/destination group(s) connected to a blocked domain after it resolved (${failedConnections} connection(s))`);
  if (bypass.succeeded > 0) reasons.push(`${bypass.succeeded} client/resolver pair(s) reached a resolver other than the sanctioned ones`);
  if (reasons.length === 0) reasons.push(`no blocked domain was connected to and no client reached another resolver (${matched.size} blocked name(s) queried)`);
  if (leakedOnly > 0) reasons.push(`warning: ${leakedOnly} blocked domain answer(s) carried real addresses but no connection followed`);
  return {
    report: 'dns-filter',
    blocklist: { source: blocklist.source, entries: blocklist.entries, skipped: blocklist.skipped, skipped_lines: blocklist.skippedLines.map((s) => ({ ...s })) },
    range: reportRange(opts.range),
    verdict: { status: failed.total > 0 || bypass.succeeded > 0 ? 'fail' : 'pass', reasons },
    summary: {
      names_queried: namesQueried,
      blocked_names_queried: matched.size,
      worked: workedTotal,
      leaked: leakedTotal,
      failed: failed.total,
      failed_connections: failedConnections,
      bypass: bypass.total,
      bypass_clients: bypass.clients,
    },
    failed: failed.result(),
    leaked: leaked.result(),
    worked: worked.result(),
    bypass: bypass.rows,
    notes,
  };
}
