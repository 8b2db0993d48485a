/**
 * `validate egress`: checks what the zones' hosts actually reached outside the site against the
 * egress policy. Connections are aggregated in SQL by (zone, source, destination, port, protocol,
 * destination name, outcome) and streamed in key order; each group is decided by the policy in
 * TypeScript (domains, ASNs and countries need the name and geo data), so memory holds only the
 * current key, the kept top rows of each section and per-rule counters.
 */
import { join, raw, sql, type SqlFragment } from '../store/sql.js';
import type { Row } from '../store/store.js';
import { finalRowSql, outcomeSql, BLOCK_ACTIONS, type ConnectionOutcome } from './connection-outcome.js';
import type { GeoInfo, ValidationContext, ValidationOptions, Verdict } from './context.js';
import { dnsAnswersFromStore, nameJoinSql } from './dns-answers.js';
import { rangeSql, reportRange } from './range.js';
import { decide, type EgressPolicy, type PolicyRule } from './egress-policy.js';
import { evidenceFilter, TopList } from './top-list.js';

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

interface RuleUse {
  connections: number;
  used: Map<string, string | null>;
  more: boolean;
}

type Category = 'violation' | 'unanswered' | 'blocked';

interface Acc {
  group: EgressGroup;
  names: Set<string>;
  action?: string;
  firewallRule?: string | null;
  policyAction?: 'allow' | 'deny';
}

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

  const zones = [...policy.zones.keys()];
  const answers = (ctx.dnsAnswers ?? dnsAnswersFromStore(d)).answersSql(opts.range);
  const zoneList = join(zones.map((z) => sql`${z}`));
  const scope = (table: string, extra: SqlFragment): SqlFragment =>
    sql`(SELECT * FROM (SELECT *, ${site.zoneSql(raw('orig_h'))} AS zone FROM ${raw(table)} WHERE ${rangeSql(d, opts.range)} AND ${extra})
         WHERE zone IN (${zoneList}) AND resp_h IS NOT NULL AND NOT ${site.internalSql(raw('resp_h'))})`;

  const conns = nameJoinSql(scope('connections', finalRowSql()), answers);
  const connQ = sql`SELECT c.zone, c.orig_h, c.resp_h, c.resp_p, c.proto, ${conns.name} AS name, ${outcomeSql('c.')} AS outcome,
      NULL AS fw_rule, lower(c.action) AS fw_action, count(*) AS connections, sum(coalesce(c.orig_bytes, 0)) AS bytes_out,
      sum(coalesce(c.resp_bytes, 0)) AS bytes_in, min(c.ts) AS first, max(c.ts) AS last
    FROM ${conns.from} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5`;
  const blockList = raw(BLOCK_ACTIONS.map((a) => `'${a}'`).join(', '));
  const fw = nameJoinSql(scope('firewall', sql`lower(action) IN (${blockList})`), answers);
  const fwQ = sql`SELECT c.zone, c.orig_h, c.resp_h, c.resp_p, c.proto, ${fw.name} AS name, 'blocked' AS outcome,
      coalesce(c.rule, c.rule_id) AS fw_rule, lower(c.action) AS fw_action, count(*) AS connections,
      sum(coalesce(c.bytes, 0)) AS bytes_out, 0 AS bytes_in, min(c.ts) AS first, max(c.ts) AS last
    FROM ${fw.from} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5`;

  const byConnections = (g: { group: EgressGroup }): number => g.group.connections;
  const tie = (a: Acc, b: Acc): number => (a.group.evidence < b.group.evidence ? -1 : a.group.evidence > b.group.evidence ? 1 : 0);
  const sections: Record<Category, TopList<Acc>> = {
    violation: new TopList(opts.limit, byConnections, tie),
    unanswered: new TopList(opts.limit, byConnections, tie),
    blocked: new TopList(opts.limit, byConnections, tie),
  };
  const use = new Map<string, RuleUse>();
  let checked = 0;
  let violationConnections = 0;
  let blockedAllowed = 0;

  const run = async (q: SqlFragment, table: EgressGroup['table']): Promise<void> => {
    let current = '';
    let open = new Map<string, Acc>();
    const flush = (): void => {
      for (const [cat, acc] of open) {
        acc.group.names = [...acc.names].sort();
        sections[cat.split('|')[0] as Category].add(acc);
      }
      open = new Map();
    };
    for await (const batch of store.stream(q)) {
      const geo = await geoFor(ctx, policy.needsGeo, batch);
      for (const r of batch) {
        const key = `${r.zone}|${r.orig_h}|${r.resp_h}|${r.resp_p}|${r.proto}`;
        if (key !== current) {
          flush();
          current = key;
        }
        add(r, table, geo.get(String(r.resp_h)) ?? null);
      }
    }
    flush();

    function add(r: Row, tbl: EgressGroup['table'], g: GeoInfo | null): void {
      const zp = policy.zones.get(String(r.zone))!;
      const connections = Number(r.connections);
      const outcome = String(r.outcome) as ConnectionOutcome;
      const port = r.resp_p === null ? null : Number(r.resp_p);
      const proto = r.proto === null ? null : String(r.proto);
      const name = r.name === null ? null : String(r.name);
      const dec = decide(zp, { address: String(r.resp_h), port, proto, name, country: g?.country ?? null, asn: g?.asn ?? null });
      if (tbl === 'connections') checked += connections;
      if (dec.rule) {
        let u = use.get(`${zp.zone}|${dec.rule.id}`);
        if (!u) use.set(`${zp.zone}|${dec.rule.id}`, (u = { connections: 0, used: new Map(), more: false }));
        u.connections += connections;
        if (u.used.size <= broadMax) {
          if (!u.used.has(String(r.resp_h)) || name !== null) u.used.set(String(r.resp_h), name);
        } else u.more = true;
      }
      let cat: Category | null = null;
      if (outcome === 'blocked') {
        cat = 'blocked';
        if (dec.action === 'allow') blockedAllowed += connections;
      } else if (dec.action === 'deny') {
        cat = outcome === 'unanswered' ? 'unanswered' : 'violation';
        if (cat === 'violation') violationConnections += connections;
      }
      if (cat === null) return;
      const sub = cat === 'blocked' ? `${cat}|${r.fw_action}|${r.fw_rule}` : cat;
      let acc = open.get(sub);
      if (!acc) {
        acc = {
          names: new Set(),
          group: {
            zone: zp.zone,
            source: String(r.orig_h),
            destination: String(r.resp_h),
            names: [],
            port,
            proto,
            connections: 0,
            bytes_out: 0,
            bytes_in: 0,
            first: String(r.first),
            last: String(r.last),
            policy_rule: dec.rule?.id ?? null,
            policy_line: dec.rule?.line ?? null,
            evidence: evidenceFilter(String(r.orig_h), String(r.resp_h), port),
            table: tbl,
          },
        };
        if (cat === 'blocked') {
          acc.action = r.fw_action === null ? 'blocked' : String(r.fw_action);
          acc.firewallRule = r.fw_rule === null ? null : String(r.fw_rule);
          acc.policyAction = dec.action;
        }
        open.set(sub, acc);
      }
      const gr = acc.group;
      gr.connections += connections;
      gr.bytes_out += Number(r.bytes_out);
      gr.bytes_in += Number(r.bytes_in);
      if (String(r.first) < gr.first) gr.first = String(r.first);
      if (String(r.last) > gr.last) gr.last = String(r.last);
      if (name !== null) acc.names.add(name);
    }
  };
  await run(connQ, 'connections');
  await run(fwQ, 'firewall');

  const unexercised: UnexercisedRule[] = [];
  const broad: BroadRule[] = [];
  let ruleCount = 0;
  for (const zp of policy.zones.values()) {
    for (const rule of zp.rules) {
      ruleCount++;
      const u = use.get(`${zp.zone}|${rule.id}`);
      const base = { zone: zp.zone, rule: rule.id, line: rule.line, summary: rule.summary };
      if (!u) unexercised.push(base);
      else if (rule.action === 'allow' && isBroad(rule) && !u.more && u.used.size <= broadMax) {
        const used = [...u.used].map(([destination, name]) => ({ destination, name })).sort((a, b) => (a.destination < b.destination ? -1 : 1));
        broad.push({
          ...base,
          connections: u.connections,
          destinations: used.length,
          used,
          advice: `"${rule.summary}" was used for only ${used.length} destination(s); allow those instead: ${used
            .map((x) => x.name ?? x.destination)
            .join(', ')}`,
        });
      }
    }
  }

  const strip = (a: Acc): EgressGroup => a.group;
  const blocked = sections.blocked.result().map(
    (a): BlockedGroup => ({ ...a.group, action: a.action!, firewall_rule: a.firewallRule ?? null, policy_action: a.policyAction! }),
  );
  const violations = sections.violation.result().map(strip);
  const reasons: string[] = [];
  if (sections.violation.total > 0) {
    reasons.push(`${sections.violation.total} source/destination/port group(s) reached destinations the policy denies (${violationConnections} connection(s))`);
  } else reasons.push(`no connection the policy denies got through (${checked} connection(s) checked)`);
  return {
    report: 'egress',
    policy: policy.source,
    range: reportRange(opts.range),
    verdict: { status: sections.violation.total > 0 ? 'fail' : 'pass', reasons },
    summary: {
      connections_checked: checked,
      violations: sections.violation.total,
      violation_connections: violationConnections,
      unanswered: sections.unanswered.total,
      blocked: sections.blocked.total,
      blocked_allowed_by_policy: blockedAllowed,
      rules: ruleCount,
      unexercised_rules: unexercised.length,
      broad_rules: broad.length,
    },
    violations,
    unanswered: sections.unanswered.result().map(strip),
    blocked,
    unexercised_rules: unexercised,
    broad_rules: broad,
    unpoliced_zones: [...siteZones].filter((z) => !policy.zones.has(z)).sort(),
    notes,
  };
}

async function geoFor(ctx: ValidationContext, needed: boolean, batch: Row[]): Promise<ReadonlyMap<string, GeoInfo>> {
  if (!needed || !ctx.geo) return new Map();
  return ctx.geo.lookup([...new Set(batch.map((r) => String(r.resp_h)))]);
}
