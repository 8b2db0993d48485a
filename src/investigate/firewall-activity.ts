/**
 * Firewall decisions about the host (allowed and denied, by rule), the destinations it was blocked
 * from, and findings from any source (IDS alerts, intel matches, notices) that name it.
 */
import { raw, sql } from '../store/sql.js';
import type { Scope } from './scope.js';
import { DENIED_ACTIONS, inAddresses, inRange, num, str } from './host-sql.js';

/** Firewall decisions by action and rule. */
export interface FirewallActivity {
  events: number;
  by_rule: { action: string; rule: string | null; events: number }[];
  /** Destinations the host tried to reach and was denied. */
  blocked: { address: string; port: number | null; proto: string | null; events: number; rules: string[]; first: string; last: string }[];
}

/** Findings about the host, grouped by source and signature. */
export interface FindingGroup {
  source_type: string;
  signature: string | null;
  category: string | null;
  /** Highest severity seen (Suricata's scale: 1 is the most severe). */
  severity: number | null;
  count: number;
  peers: string[];
  first: string;
  last: string;
}

/** The host's firewall decisions in the period. */
export async function firewallActivity(s: Scope): Promise<FirewallActivity> {
  const { ctx, addresses, period } = s;
  const d = ctx.store.dialect;
  const either = sql`(${inAddresses(raw('orig_h'), addresses)} OR ${inAddresses(raw('resp_h'), addresses)})`;
  const byRule = await ctx.store.all(sql`SELECT coalesce(action, 'unknown') AS action, coalesce(rule, rule_id) AS rule, count(*) AS n
    FROM firewall WHERE ${either} AND ${inRange(d, period)} GROUP BY 1, 2 ORDER BY n DESC, action, rule`);
  const blocked = await ctx.store.all(sql`SELECT resp_h, resp_p, proto, count(*) AS n, list_sort(list_distinct(list(coalesce(rule, rule_id)))) AS rules,
      min(ts) AS first, max(ts) AS last
    FROM firewall WHERE ${inAddresses(raw('orig_h'), addresses)} AND ${inRange(d, period)} AND action IN ${DENIED_ACTIONS} AND resp_h IS NOT NULL
    GROUP BY resp_h, resp_p, proto ORDER BY n DESC, resp_h, resp_p`);
  return {
    events: byRule.reduce((s, r) => s + num(r.n), 0),
    by_rule: byRule.map((r) => ({ action: String(r.action), rule: str(r.rule), events: num(r.n) })),
    blocked: blocked.map((r) => ({
      address: String(r.resp_h),
      port: r.resp_p === null ? null : num(r.resp_p),
      proto: str(r.proto),
      events: num(r.n),
      rules: Array.isArray(r.rules) ? r.rules.filter((x) => x !== null).map(String) : [],
      first: String(r.first),
      last: String(r.last),
    })),
  };
}

/** Findings naming the host in the period. */
export async function findingsAbout(s: Scope): Promise<FindingGroup[]> {
  const { ctx, addresses, period } = s;
  const d = ctx.store.dialect;
  const rows = await ctx.store.all(sql`SELECT source_type, signature, any_value(category) AS category, min(severity) AS severity, count(*) AS n,
      list_sort(list_distinct(list(CASE WHEN ${inAddresses(raw('orig_h'), addresses)} THEN resp_h ELSE orig_h END)))[1:10] AS peers,
      min(ts) AS first, max(ts) AS last
    FROM findings WHERE (${inAddresses(raw('orig_h'), addresses)} OR ${inAddresses(raw('resp_h'), addresses)}) AND ${inRange(d, period)}
    GROUP BY source_type, signature ORDER BY severity NULLS LAST, n DESC, signature`);
  return rows.map((r) => ({
    source_type: String(r.source_type ?? 'unknown'),
    signature: str(r.signature),
    category: str(r.category),
    severity: r.severity === null ? null : num(r.severity),
    count: num(r.n),
    peers: Array.isArray(r.peers) ? r.peers.filter((x) => x !== null).map(String) : [],
    first: String(r.first),
    last: String(r.last),
  }));
}
