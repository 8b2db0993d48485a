/**
 * What the host resolved: domains with counts, the NXDOMAIN rate, new domains (not queried in the
 * baseline) and rare ones (few internal hosts query them), long or high-entropy names (generated
 * names, tunnelling), and the resolvers it asked, with those outside the sanctioned list called out.
 * Resolver use is read from the DNS records and from connections to ports 53 and 853 (DNS over TLS),
 * so a client talking DNS that no sensor decoded is still seen.
 */
import { raw, sql } from '../store/sql.js';
import { prevalenceSql } from './baseline.js';
import { inAddresses, inRange, keyList, num } from './host-sql.js';
import type { Scope } from './scope.js';

/** One domain the host queried. */
export interface DnsDomain {
  name: string;
  queries: number;
  nxdomain: number;
  first: string;
  last: string;
  answers: string[];
  new: boolean;
  rare: boolean;
  prevalence: number | null;
  long: boolean;
  /** Shannon entropy (bits per character) of the labels left of the registered domain. */
  entropy: number;
  high_entropy: boolean;
}

/** One resolver the host used. */
export interface ResolverUse {
  address: string;
  /** DNS records with this server. */
  queries: number;
  /** Connections to port 53 or 853 (853: DNS over TLS). */
  connections: number;
  dot: boolean;
  /** Null when no sanctioned resolvers are configured. */
  sanctioned: boolean | null;
  first: string;
}

/** The DNS section. */
export interface DnsActivity {
  queries: number;
  nxdomain: number;
  nxdomain_rate: number;
  domains: DnsDomain[];
  resolvers: ResolverUse[];
  sanctioned_configured: boolean;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / text.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** The labels left of the registered domain (approximated as the last two labels), dots removed. */
export function subdomainPart(name: string): string {
  const labels = name.replace(/\.$/, '').split('.');
  return labels.length > 2 ? labels.slice(0, -2).join('') : labels[0] ?? '';
}

/** The host's DNS activity in the period. */
export async function dnsActivity(s: Scope): Promise<DnsActivity> {
  const { ctx, addresses, period, baseline, fleet, opts } = s;
  const d = ctx.store.dialect;
  const host = inAddresses(raw('orig_h'), addresses);
  const q = sql`SELECT ts, query AS raw_name, lower(query) AS name, rcode_name, answers FROM dns WHERE ${host} AND ${inRange(d, period)} AND query IS NOT NULL`;
  // Prevalence matches names as the host spelled them (then folds case): lower-casing every name of
  // the fleet's window would cost more than the rest of the section.
  const names = await ctx.store.all(sql`SELECT DISTINCT query FROM dns WHERE ${host} AND ${inRange(d, period)} AND query IS NOT NULL`);
  const keys = keyList(names.map((r) => String(r.query)), raw('SELECT DISTINCT raw_name FROM q'));
  const domains = await ctx.store.all(sql`WITH q AS MATERIALIZED (${q}),
    base AS (SELECT DISTINCT lower(query) AS name FROM dns WHERE ${host} AND ${inRange(d, baseline)}),
    prev0 AS (${prevalenceSql(ctx, 'dns', raw('query'), { since: baseline.since, until: period.until }, keys)}),
    prev AS (SELECT lower(key) AS key, max(hosts) AS hosts FROM prev0 GROUP BY 1)
    SELECT q.name, count(*) AS n, count(*) FILTER (WHERE rcode_name = 'NXDOMAIN') AS nx, min(ts) AS first, max(ts) AS last,
           list_sort(list_distinct(flatten(list(answers))))[1:6] AS answers, bool_and(base.name IS NULL) AS is_new,
           any_value(prev.hosts) AS prevalence
    FROM q LEFT JOIN base USING (name) LEFT JOIN prev ON prev.key = q.name GROUP BY q.name`);
  const totals = await ctx.store.all(
    sql`SELECT count(*) AS n, count(*) FILTER (WHERE rcode_name = 'NXDOMAIN') AS nx FROM dns WHERE ${host} AND ${inRange(d, period)}`,
  );
  const resolvers = await ctx.store.all(sql`SELECT address, sum(queries) AS queries, sum(conns) AS conns, bool_or(dot) AS dot, min(first) AS first FROM (
      SELECT resp_h AS address, count(*) AS queries, 0 AS conns, false AS dot, min(ts) AS first FROM dns
        WHERE ${host} AND ${inRange(d, period)} AND resp_h IS NOT NULL GROUP BY resp_h
      UNION ALL
      SELECT resp_h, 0, count(*), bool_or(resp_p = 853), min(ts) FROM connections
        WHERE ${host} AND ${inRange(d, period)} AND resp_p IN (53, 853) AND proto IN ('tcp', 'udp') GROUP BY resp_h)
    GROUP BY address ORDER BY queries DESC, conns DESC, address`);
  const sanctioned = new Set(ctx.site.sanctionedResolvers);
  const configured = sanctioned.size > 0;
  const n = num(totals[0]?.n);
  const nx = num(totals[0]?.nx);
  const list = domains.map((r): DnsDomain => {
    const name = String(r.name);
    const prevalence = r.prevalence === null || r.prevalence === undefined ? null : num(r.prevalence);
    const part = subdomainPart(name);
    const entropy = Math.round(shannonEntropy(part) * 100) / 100;
    return {
      name,
      queries: num(r.n),
      nxdomain: num(r.nx),
      first: String(r.first),
      last: String(r.last),
      answers: Array.isArray(r.answers) ? r.answers.map(String) : [],
      new: r.is_new === true,
      rare: fleet.meaningful && prevalence !== null && prevalence <= fleet.rare_max_hosts,
      prevalence,
      long: name.length > opts.longNameLength,
      entropy,
      high_entropy: part.length >= opts.entropyMinLength && entropy >= opts.entropyBits,
    };
  });
  const suspicious = (x: DnsDomain): number => Number(x.high_entropy || x.long) * 4 + Number(x.rare) * 2 + Number(x.new);
  list.sort((a, b) => suspicious(b) - suspicious(a) || b.queries - a.queries || a.name.localeCompare(b.name));
  return {
    queries: n,
    nxdomain: nx,
    nxdomain_rate: n > 0 ? Math.round((nx / n) * 1000) / 1000 : 0,
    domains: list,
    resolvers: resolvers.map((r) => ({
      address: String(r.address),
      queries: num(r.queries),
      connections: num(r.conns),
      dot: r.dot === true,
      sanctioned: configured ? sanctioned.has(String(r.address)) : null,
      first: String(r.first),
    })),
    sanctioned_configured: configured,
  };
}
