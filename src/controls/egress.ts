/**
 * `validate egress`: checks what the zones' hosts actually reached outside the site against the
 * egress policy. The policy is compiled to SQL (policy-sql.ts), so the store names, decides and
 * aggregates every connection and firewall block by (zone, source, destination, port, protocol)
 * where the data is; only the top rows of each section, the per-rule counts and the samples of
 * broad rules come back.
 */
import { join, raw, sql, type SqlFragment } from '../store/sql.js';
import { BLOCK_ACTIONS, finalRowSql, outcomeSql } from './connection-outcome.js';
import type { ValidationContext, ValidationOptions, Verdict } from './context.js';
import { dnsAnswersFromStore, nameJoinSql } from './dns-answers.js';
import { rangeSql, reportRange } from './range.js';
import type { EgressPolicy, PolicyRule } from './egress-policy.js';
import { decisionSql, policyRules, ruleIndexSql } from './policy-sql.js';
import { evidenceFilter } from './top-list.js';

/** One (zone, source, destination, port, protocol) group of a report section. */
export interface EgressGroup {
  zone: string;
  source: string;
  destination: string;
  /** Names the source resolved for the destination before connecting (empty when none was seen). */
  names: string[];
  port: number | null;
  proto: string | null;
  connections: number;
  bytes_out: number;
  bytes_in: number;
  first: string;
  last: string;
  /** The policy rule that decided (null: the zone's default). */
  policy_rule: string | null;
  policy_line: number | null;
  /** The filter that reproduces the records (over `table`). */
  evidence: string;
  table: 'connections' | 'firewall';
}

/** A blocked group: the firewall rule that blocked it and whether the policy agrees. */
export interface BlockedGroup extends EgressGroup {
  action: string;
  firewall_rule: string | null;
  /** What the policy says for this destination: `deny` (the control did its job) or `allow` (stricter than policy). */
  policy_action: 'allow' | 'deny';
}

/** A rule that allowed far more than it was used for. */
export interface BroadRule {
  zone: string;
  rule: string;
  line: number | null;
  summary: string;
  connections: number;
  destinations: number;
  /** The destinations it was used for (address and name), to replace it with. */
  used: { destination: string; name: string | null }[];
  advice: string;
}

/** A policy rule that matched nothing in the range. */
export interface UnexercisedRule {
  zone: string;
  rule: string;
  line: number | null;
  summary: string;
}

/** The egress validation report (stable JSON; see docs/controls.md). */
export interface EgressReport {
  report: 'egress';
  policy: string;
  range: { since: string | null; until: string | null };
  verdict: Verdict;
  summary: {
    connections_checked: number;
    violations: number;
    violation_connections: number;
    unanswered: number;
    blocked: number;
    blocked_allowed_by_policy: number;
    rules: number;
    unexercised_rules: number;
    broad_rules: number;
  };
  /** Violations that got through: the control failed. */
  violations: EgressGroup[];
  /** Violations with no sign of an answer and no block record (dropped silently, or nobody home). */
  unanswered: EgressGroup[];
  /** Attempts a device blocked: the control worked. */
  blocked: BlockedGroup[];
  unexercised_rules: UnexercisedRule[];
  broad_rules: BroadRule[];
  /** Zones of the site model the policy does not mention (not checked). */
  unpoliced_zones: string[];
  notes: string[];
}

/** Tuning for the egress validation. */
export interface EgressOptions extends ValidationOptions {
  /** A broad rule used for at most this many distinct destinations is flagged (default 10). */
  readonly broadMaxDestinations?: number;
}

type Category = 'violation' | 'unanswered' | 'blocked';

/** True when a rule's destinations span far more than a handful of hosts. */
export function isBroad(rule: PolicyRule): boolean {
  return rule.any || rule.countries.size > 0 || rule.cidrs.some((c) => c.bits < (c.v6 ? 32 : 16));
}

/** Validates the store's connections and firewall records against an egress policy. */
export async function validateEgress(ctx: ValidationContext, policy: EgressPolicy, opts: EgressOptions): Promise<EgressReport> {
  const { store, site } = ctx;
  const d = store.dialect;
  const broadMax = opts.broadMaxDestinations ?? 10;
  const notes: string[] = [];
  const siteZones = new Set(site.zones.map((z) => z.name));
  for (const z of policy.zones.keys()) {
    if (!siteZones.has(z)) notes.push(`policy zone "${z}" is not a zone of the site model: nothing is checked for it`);
  }
  if (policy.needsGeo && !ctx.geo) notes.push('no geo/ASN data is wired in: ASN and country rules match nothing');
  const rules = policyRules(policy);

  const answers = (ctx.dnsAnswers ?? dnsAnswersFromStore(d)).answersSql(opts.range);
  const zoneList = join([...policy.zones.keys()].map((z) => sql`${z}`));
  const scope = (table: string, extra: SqlFragment): SqlFragment =>
    sql`(SELECT * FROM (SELECT *, ${site.zoneSql(raw('orig_h'))} AS zone FROM ${raw(table)} WHERE ${rangeSql(d, opts.range)} AND ${extra})
         WHERE zone IN (${zoneList}) AND resp_h IS NOT NULL AND NOT ${site.internalSql(raw('resp_h'))})`;
  const blockList = raw(BLOCK_ACTIONS.map((a) => `'${a}'`).join(', '));
  const events = sql`(SELECT 'connections' AS tbl, zone, ts, orig_h, resp_h, resp_p, proto, ${outcomeSql()} AS outcome,
        lower(action) AS fw_action, CAST(NULL AS VARCHAR) AS fw_rule, coalesce(orig_bytes, 0) AS bytes_out, coalesce(resp_bytes, 0) AS bytes_in
      FROM ${scope('connections', finalRowSql())} AS s
      UNION ALL
      SELECT 'firewall', zone, ts, orig_h, resp_h, resp_p, proto, 'blocked', lower(action), coalesce(rule, rule_id), coalesce(bytes, 0), 0
      FROM ${scope('firewall', sql`lower(action) IN (${blockList})`)} AS s)`;
  const j = nameJoinSql(events, answers);
  const useGeo = policy.needsGeo && ctx.geo !== undefined;
  const geoCols = useGeo ? raw('g.country AS geo_country, g.asn AS geo_asn') : raw('CAST(NULL AS VARCHAR) AS geo_country, CAST(NULL AS BIGINT) AS geo_asn');
  const geoJoin = useGeo ? sql` LEFT JOIN ${ctx.geo!.relationSql()} AS g ON g.address = c.resp_h` : raw('');
  const decided = sql`WITH named AS (SELECT c.*, ${j.name} AS name, ${geoCols} FROM ${j.from}${geoJoin}),
    ruled AS (SELECT *, ${ruleIndexSql(policy, d)} AS rule_idx FROM named),
    decided AS (SELECT *, ${decisionSql(policy)} AS decision FROM ruled),
    cat AS (SELECT *, CASE WHEN outcome = 'blocked' THEN 'blocked' WHEN decision = 'deny' AND outcome = 'unanswered' THEN 'unanswered'
                           WHEN decision = 'deny' THEN 'violation' END AS category FROM decided)`;

  const sectionQ = sql`${decided},
    g AS (SELECT category, tbl, zone, orig_h, resp_h, resp_p, proto, decision,
            CASE WHEN category = 'blocked' THEN fw_action END AS fw_action, CASE WHEN category = 'blocked' THEN fw_rule END AS fw_rule,
            min(rule_idx) AS rule_idx, list_sort(list_distinct(list(name) FILTER (WHERE name IS NOT NULL))) AS names,
            count(*) AS connections, sum(bytes_out) AS bytes_out, sum(bytes_in) AS bytes_in, min(ts) AS first, max(ts) AS last
          FROM cat WHERE category IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
    gm AS MATERIALIZED (SELECT * FROM g),
    totals AS (SELECT category, count(*) AS total, sum(connections) AS total_connections,
                 coalesce(sum(connections) FILTER (WHERE decision = 'allow'), 0) AS allowed_connections FROM gm GROUP BY category)
    SELECT gm.*, totals.total, totals.total_connections, totals.allowed_connections FROM gm JOIN totals USING (category)
    QUALIFY row_number() OVER (PARTITION BY category ORDER BY connections DESC, orig_h, resp_h, resp_p, tbl, fw_action, fw_rule) <= ${opts.limit}
    ORDER BY category, connections DESC, orig_h, resp_h, resp_p, tbl, fw_action, fw_rule`;
  const sections: Record<Category, EgressGroup[]> = { violation: [], unanswered: [], blocked: [] };
  const totals: Record<Category, number> = { violation: 0, unanswered: 0, blocked: 0 };
  let violationConnections = 0;
  let blockedAllowed = 0;
  for (const r of await store.all(sectionQ)) {
    const cat = String(r.category) as Category;
    totals[cat] = Number(r.total);
    if (cat === 'violation') violationConnections = Number(r.total_connections);
    if (cat === 'blocked') blockedAllowed = Number(r.allowed_connections);
    const rule = r.rule_idx === null ? null : rules[Number(r.rule_idx)];
    const port = r.resp_p === null ? null : Number(r.resp_p);
    const group: EgressGroup = {
      zone: String(r.zone),
      source: String(r.orig_h),
      destination: String(r.resp_h),
      names: Array.isArray(r.names) ? r.names.map(String) : [],
      port,
      proto: r.proto === null ? null : String(r.proto),
      connections: Number(r.connections),
      bytes_out: Number(r.bytes_out),
      bytes_in: Number(r.bytes_in),
      first: String(r.first),
      last: String(r.last),
      policy_rule: rule?.id ?? null,
      policy_line: rule?.line ?? null,
      evidence: evidenceFilter(String(r.orig_h), String(r.resp_h), port),
      table: String(r.tbl) as EgressGroup['table'],
    };
    if (cat === 'blocked') {
      const b: BlockedGroup = {
        ...group,
        action: r.fw_action === null ? 'blocked' : String(r.fw_action),
        firewall_rule: r.fw_rule === null ? null : String(r.fw_rule),
        policy_action: String(r.decision) as 'allow' | 'deny',
      };
      sections.blocked.push(b);
    } else sections[cat].push(group);
  }

  const usageQ = sql`${decided}
    SELECT rule_idx, count(*) AS connections, count(*) FILTER (WHERE tbl = 'connections') AS checked, count(DISTINCT resp_h) AS destinations
    FROM cat GROUP BY rule_idx`;
  const usage = new Map<number, { connections: number; destinations: number }>();
  let checked = 0;
  for (const r of await store.all(usageQ)) {
    checked += Number(r.checked);
    if (r.rule_idx !== null) usage.set(Number(r.rule_idx), { connections: Number(r.connections), destinations: Number(r.destinations) });
  }
  const broadIdx = rules
    .map((rule, i) => ({ rule, i, u: usage.get(i) }))
    .filter((x) => x.rule.action === 'allow' && isBroad(x.rule) && x.u !== undefined && x.u.destinations <= broadMax)
    .map((x) => x.i);
  const used = new Map<number, { destination: string; name: string | null }[]>();
  if (broadIdx.length) {
    const sampleQ = sql`${decided}
      SELECT rule_idx, resp_h, max(name) AS name FROM cat WHERE rule_idx IN (${join(broadIdx.map((i) => sql`${i}`))}) GROUP BY 1, 2 ORDER BY 1, 2`;
    for (const r of await store.all(sampleQ)) {
      const list = used.get(Number(r.rule_idx)) ?? [];
      list.push({ destination: String(r.resp_h), name: r.name === null ? null : String(r.name) });
      used.set(Number(r.rule_idx), list);
    }
  }

  const unexercised: UnexercisedRule[] = [];
  const broad: BroadRule[] = [];
  rules.forEach((rule, i) => {
    const base = { zone: rule.zone, rule: rule.id, line: rule.line, summary: rule.summary };
    const u = usage.get(i);
    if (!u) unexercised.push(base);
    const sample = used.get(i);
    if (u && sample) {
      broad.push({
        ...base,
        connections: u.connections,
        destinations: sample.length,
        used: sample,
        advice: `"${rule.summary}" was used for only ${sample.length} destination(s); allow those instead: ${sample.map((x) => x.name ?? x.destination).join(', ')}`,
      });
    }
  });

  const reasons: string[] = [];
  if (totals.violation > 0) {
    reasons.push(`${totals.violation} source/destination/port group(s) reached destinations the policy denies (${violationConnections} connection(s))`);
  } else reasons.push(`no connection the policy denies got through (${checked} connection(s) checked)`);
  return {
    report: 'egress',
    policy: policy.source,
    range: reportRange(opts.range),
    verdict: { status: totals.violation > 0 ? 'fail' : 'pass', reasons },
    summary: {
      connections_checked: checked,
      violations: totals.violation,
      violation_connections: violationConnections,
      unanswered: totals.unanswered,
      blocked: totals.blocked,
      blocked_allowed_by_policy: blockedAllowed,
      rules: rules.length,
      unexercised_rules: unexercised.length,
      broad_rules: broad.length,
    },
    violations: sections.violation,
    unanswered: sections.unanswered,
    blocked: sections.blocked as BlockedGroup[],
    unexercised_rules: unexercised,
    broad_rules: broad,
    unpoliced_zones: [...siteZones].filter((z) => !policy.zones.has(z)).sort(),
    notes,
  };
}
