/**
 * The egress policy as SQL, so the store decides every connection where the data is and only the
 * findings travel back: a rule becomes a condition over the destination columns (`resp_h`, `resp_p`,
 * `proto`, the resolved `name`, `geo_country`, `geo_asn`), a zone's rules a CASE yielding the index
 * of the first match (deny rules first), and the policy a CASE on the zone. `ruleMatches` in
 * egress-policy.ts is the TypeScript twin, and a test checks that both decide alike.
 */
import { cidrSql } from '../query/cidr-sql.js';
import type { Dialect } from '../store/dialect.js';
import { join, raw, sql, type SqlFragment } from '../store/sql.js';
import type { EgressPolicy, PolicyRule } from './egress-policy.js';

const col = (n: string): SqlFragment => raw(n);
const values = (xs: readonly (string | number)[]): SqlFragment => join(xs.map((x) => sql`${x}`));
const any = (conds: readonly SqlFragment[]): SqlFragment => (conds.length ? sql`(${join(conds, ' OR ')})` : raw('FALSE'));

/** SQL: the rule matches the row's destination. */
export function ruleSql(rule: PolicyRule, d: Dialect): SqlFragment {
  const conds: SqlFragment[] = [];
  if (rule.protocols) conds.push(sql`${col('proto')} IN (${values(rule.protocols)})`);
  if (rule.ports) {
    conds.push(
      any(
        rule.ports.map((p) => {
          const proto = p.proto === null ? sql`${col('proto')} IN ('tcp', 'udp', 'sctp')` : sql`${col('proto')} = ${p.proto}`;
          return sql`(${col('resp_p')} BETWEEN ${p.from} AND ${p.to} AND ${proto})`;
        }),
      ),
    );
  }
  if (!rule.any) {
    const to: SqlFragment[] = rule.cidrs.map((c) => cidrSql(col('resp_h'), c, d));
    const exact = rule.domainPatterns.filter((p) => !p.startsWith('*.'));
    if (exact.length) to.push(sql`${col('name')} IN (${values(exact)})`);
    for (const p of rule.domainPatterns.filter((x) => x.startsWith('*.'))) to.push(sql`ends_with(${col('name')}, ${p.slice(1)})`);
    if (rule.asns.size) to.push(sql`${col('geo_asn')} IN (${values([...rule.asns])})`);
    if (rule.countries.size) to.push(sql`upper(${col('geo_country')}) IN (${values([...rule.countries])})`);
    conds.push(any(to));
  }
  return conds.length ? sql`coalesce(${join(conds, ' AND ')}, FALSE)` : raw('TRUE');
}

/** The policy's rules in one list; a rule's position is the index the SQL yields. */
export function policyRules(policy: EgressPolicy): PolicyRule[] {
  return [...policy.zones.values()].flatMap((zp) => [...zp.rules]);
}

/** SQL: the index (in `policyRules`) of the first rule of the row's zone that matches, or NULL. */
export function ruleIndexSql(policy: EgressPolicy, d: Dialect): SqlFragment {
  let i = 0;
  const zones: SqlFragment[] = [];
  for (const zp of policy.zones.values()) {
    const whens = zp.rules.map((r) => sql`WHEN ${ruleSql(r, d)} THEN ${i++}`);
    if (whens.length) zones.push(sql`WHEN ${zp.zone} THEN (CASE ${join(whens, ' ')} END)`);
  }
  return zones.length ? sql`(CASE ${col('zone')} ${join(zones, ' ')} END)` : raw('CAST(NULL AS INTEGER)');
}

/** SQL: `allow` or `deny` for the row, from its rule index (column `rule_idx`) or its zone's default. */
export function decisionSql(policy: EgressPolicy): SqlFragment {
  const rules = policyRules(policy);
  const deny = rules.map((r, i) => (r.action === 'deny' ? i : -1)).filter((i) => i >= 0);
  const defaults = [...policy.zones.values()].map((zp) => sql`WHEN ${zp.zone} THEN ${zp.defaultAction}`);
  return sql`(CASE WHEN ${col('rule_idx')} IN (${values(deny.length ? deny : [-1])}) THEN 'deny'
    WHEN ${col('rule_idx')} IS NOT NULL THEN 'allow'
    ELSE (CASE ${col('zone')} ${join(defaults, ' ')} END) END)`;
}
