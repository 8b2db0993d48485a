/**
 * The egress policy (`egress.yaml`, documented in docs/controls.md): per zone of the site model, the
 * external destinations (CIDR, domain with wildcard, ASN, country, or `any`) and ports its hosts may
 * reach, deny rules that win over allow rules, and a default (deny unless said otherwise). Loaded
 * once, validated strictly (unknown keys are errors naming their place), then frozen.
 */
import fs from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { NightjarError } from '../model/errors.js';
import { addressInCidr, parseCidr, type Cidr } from '../query/cidr-sql.js';
import { DomainSet, normaliseDomain } from './domain-match.js';
import { PROTOCOLS, portMatches, portSpecSchema, type PortSpec } from './port-spec.js';

const selectorSchema = z.union([
  z.strictObject({ cidr: z.string() }),
  z.strictObject({ domain: z.string() }),
  z.strictObject({ asn: z.union([z.number().int().positive(), z.string().regex(/^(AS)?\d+$/i, 'an AS number such as 64500 or AS64500')]) }),
  z.strictObject({ country: z.string().regex(/^[A-Za-z]{2}$/, 'a two-letter country code such as NL') }),
]);

const ruleSchema = z.strictObject({
  name: z.string().min(1).optional(),
  to: z.union([z.literal('any'), z.array(selectorSchema).min(1)]),
  ports: z.array(portSpecSchema).min(1).optional(),
  protocols: z.array(z.enum(PROTOCOLS)).min(1).optional(),
  comment: z.string().optional(),
});

const zoneSchema = z.strictObject({
  default: z.enum(['deny', 'allow']).default('deny'),
  allow: z.array(ruleSchema).default([]),
  deny: z.array(ruleSchema).default([]),
});

const policySchema = z.strictObject({
  version: z.literal(1),
  zones: z.record(z.string().min(1), zoneSchema).refine((z) => Object.keys(z).length > 0, 'name at least one zone'),
});

/** What a rule does when it matches. */
export type RuleAction = 'allow' | 'deny';

/** One compiled policy rule. */
export interface PolicyRule {
  /** Stable id: the rule's `name`, else `zone/allow#2`. */
  readonly id: string;
  readonly zone: string;
  readonly action: RuleAction;
  /** Line of the rule in the policy file (1-based), or null when built in code. */
  readonly line: number | null;
  readonly any: boolean;
  readonly cidrs: readonly Cidr[];
  readonly domains: DomainSet;
  /** The domain patterns as written, normalised (`example.com`, `*.example.com`). */
  readonly domainPatterns: readonly string[];
  readonly asns: ReadonlySet<number>;
  readonly countries: ReadonlySet<string>;
  readonly ports: readonly PortSpec[] | null;
  readonly protocols: readonly string[] | null;
  /** The rule as written, for reports (`any on 443/tcp`). */
  readonly summary: string;
}

/** The policy of one zone. */
export interface ZonePolicy {
  readonly zone: string;
  readonly defaultAction: RuleAction;
  /** Deny rules first, then allow rules: the first match decides. */
  readonly rules: readonly PolicyRule[];
}

/** A loaded egress policy. */
export interface EgressPolicy {
  readonly source: string;
  readonly zones: ReadonlyMap<string, ZonePolicy>;
  /** True when some rule names an ASN or a country (those need geo data). */
  readonly needsGeo: boolean;
}

/** What a rule is matched against: one destination as a connection saw it. */
export interface Destination {
  readonly address: string;
  readonly port: number | null;
  readonly proto: string | null;
  /** Name the client resolved for the address, when known. */
  readonly name: string | null;
  readonly country: string | null;
  readonly asn: number | null;
}

/** The policy's decision for one destination. */
export interface Decision {
  readonly action: RuleAction;
  /** The rule that decided, or null when the zone default did. */
  readonly rule: PolicyRule | null;
}

function fail(source: string, where: string, what: string): never {
  throw new NightjarError('NJ_USAGE', `${source}: ${where ? `${where}: ` : ''}${what}; see docs/controls.md for the egress policy format`);
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

type RawRule = z.infer<typeof ruleSchema>;

function compileRule(source: string, zone: string, action: RuleAction, idx: number, r: RawRule, line: number | null): PolicyRule {
  const where = `zones.${zone}.${action}[${idx}]`;
  const cidrs: Cidr[] = [];
  const domains = new DomainSet();
  const domainPatterns: string[] = [];
  const asns = new Set<number>();
  const countries = new Set<string>();
  const parts: string[] = [];
  if (r.to !== 'any') {
    for (const s of r.to) {
      if ('cidr' in s) {
        try {
          cidrs.push(parseCidr(s.cidr));
        } catch {
          fail(source, where, `"${s.cidr}" is not a CIDR (10.0.0.0/8, 2001:db8::/32)`);
        }
        parts.push(s.cidr);
      } else if ('domain' in s) {
        const d = normaliseDomain(s.domain);
        if (!domains.add(d)) fail(source, where, `"${s.domain}" is not a domain name or *.domain wildcard`);
        domainPatterns.push(d);
        parts.push(d);
      } else if ('asn' in s) {
        const n = typeof s.asn === 'number' ? s.asn : Number(s.asn.replace(/^AS/i, ''));
        asns.add(n);
        parts.push(`AS${n}`);
      } else {
        countries.add(s.country.toUpperCase());
        parts.push(`country ${s.country.toUpperCase()}`);
      }
    }
  }
  const ports = r.ports ?? null;
  const protocols = r.protocols ?? null;
  const summary = `${action} ${r.to === 'any' ? 'any' : parts.join(', ')} on ${ports ? ports.map((p) => p.text).join(', ') : 'any port'}${protocols ? ` (${protocols.join(', ')})` : ''}`;
  return {
    id: r.name ?? `${zone}/${action}#${idx + 1}`,
    zone,
    action,
    line,
    any: r.to === 'any',
    cidrs,
    domains,
    domainPatterns,
    asns,
    countries,
    ports,
    protocols,
    summary,
  };
}

/** True when the rule's destination and port match. */
export function ruleMatches(rule: PolicyRule, d: Destination): boolean {
  if (rule.protocols && (d.proto === null || !rule.protocols.includes(d.proto))) return false;
  if (rule.ports && !rule.ports.some((p) => portMatches(p, d.port, d.proto))) return false;
  if (rule.any) return true;
  if (rule.cidrs.some((c) => addressInCidr(d.address, c))) return true;
  if (d.name !== null && rule.domains.size > 0 && rule.domains.match(d.name) !== null) return true;
  if (d.asn !== null && rule.asns.has(d.asn)) return true;
  return d.country !== null && rule.countries.has(d.country.toUpperCase());
}

/** The zone policy's decision: first matching rule (deny rules before allow rules), else the default. */
export function decide(zp: ZonePolicy, d: Destination): Decision {
  for (const r of zp.rules) if (ruleMatches(r, d)) return { action: r.action, rule: r };
  return { action: zp.defaultAction, rule: null };
}

/** Parses policy text (YAML); `source` names it in errors. */
export function parseEgressPolicy(text: string, source: string): EgressPolicy {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length > 0) fail(source, '', `not valid YAML (${doc.errors[0].message.split('\n')[0]})`);
  const parsed = policySchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(source, pathText(issue.path), issue.message);
  }
  const lineOf = (path: (string | number)[]): number | null => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lines.linePos(node.range[0]).line : null;
  };
  const zones = new Map<string, ZonePolicy>();
  let needsGeo = false;
  for (const [zone, zp] of Object.entries(parsed.data.zones)) {
    const rules = [
      ...zp.deny.map((r, i) => compileRule(source, zone, 'deny', i, r, lineOf(['zones', zone, 'deny', i]))),
      ...zp.allow.map((r, i) => compileRule(source, zone, 'allow', i, r, lineOf(['zones', zone, 'allow', i]))),
    ];
    const ids = new Set<string>();
    for (const r of rules) {
      if (ids.has(r.id)) fail(source, `zones.${zone}`, `two rules are named "${r.id}"; rule names must be unique within a zone`);
      ids.add(r.id);
      if (r.asns.size > 0 || r.countries.size > 0) needsGeo = true;
    }
    zones.set(zone, Object.freeze({ zone, defaultAction: zp.default, rules }));
  }
  return Object.freeze({ source, zones, needsGeo });
}

/** Reads and parses a policy file. */
export function loadEgressPolicy(file: string): EgressPolicy {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new NightjarError('NJ_USAGE', `cannot read the egress policy ${file}: ${(err as Error).message}`, { cause: err });
  }
  return parseEgressPolicy(text, file);
}
