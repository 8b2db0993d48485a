/**
 * `investigate(ctx, host, range, opts)`: the analyst's answer about one host in one call. Resolves
 * HOST, builds its baseline, runs each section (external destinations, internal systems, DNS, firewall,
 * findings, activity), merges the timeline, scores the verdict, and returns the typed report that every
 * renderer and the HTTP API present.
 */
import { NightjarError } from '../model/errors.js';
import { raw, sql } from '../store/sql.js';
import { activity } from './activity.js';
import { hostBaseline } from './baseline.js';
import type { InvestigationContext } from './context.js';
import { dnsActivity } from './dns-activity.js';
import { externalDestinations } from './external.js';
import { findingsAbout, firewallActivity } from './firewall-activity.js';
import { FINAL_ROWS, inAddresses, inRange, microsToIso, num, str } from './host-sql.js';
import { identify, resolveHost } from './identity.js';
import { internalActivity } from './internal.js';
import { investigateOptions, type InvestigateOptions } from './options.js';
import { SCHEMA_VERSION, type InvestigationReport, type Section } from './report.js';
import type { Scope } from './scope.js';
import { sourceOverlapNote } from './source-overlap.js';
import { buildTimeline } from './timeline.js';
import { decide } from './verdict.js';

/** The investigated period in microseconds; `since` defaults to 24 hours before `until`, `until` to now. */
export interface InvestigateRange {
  readonly since?: number;
  readonly until?: number;
}

function section<T>(items: readonly T[], limit: number): Section<T> {
  return { total: items.length, items: items.slice(0, limit) };
}

/** Investigates one host over a period. */
export async function investigate(
  ctx: InvestigationContext,
  host: string,
  range: InvestigateRange = {},
  partial: Partial<InvestigateOptions> = {},
): Promise<InvestigationReport> {
  const opts = investigateOptions(partial);
  const until = range.until ?? ctx.now * 1000;
  const since = range.since ?? until - 86_400_000_000;
  if (!(since < until)) throw new NightjarError('NJ_USAGE', 'the investigated period is empty: --since must be before --until');
  const period = { since, until };
  const { addresses, matchedBy } = await resolveHost(ctx, host);
  const { baseline, range: baseRange, internalPeers, externalInPeriod } = await hostBaseline(ctx, addresses, period, opts);
  const identity = await identify(ctx, host, addresses, matchedBy, { since: baseRange.since, until });
  const s: Scope = { ctx, addresses, period, baseline: baseRange, fleet: baseline.fleet, internalPeers, externalInPeriod, opts };
  const external = await externalDestinations(s);
  const internal = await internalActivity(s);
  const dns = await dnsActivity(s);
  const firewall = await firewallActivity(s);
  const findings = await findingsAbout(s);
  const act = await activity(s);
  const totals = await ctx.store.all(sql`SELECT count(*) AS n, sum(coalesce(orig_ip_bytes, orig_bytes, 0)) AS bo,
      sum(coalesce(resp_ip_bytes, resp_bytes, 0)) AS bi, min(ts) AS first
    FROM connections WHERE ${inAddresses(raw('orig_h'), addresses)} AND ${inRange(ctx.store.dialect, period)} AND ${FINAL_ROWS}`);
  const input = { identity, external, peers: internal.peers, scans: internal.scans, dns, firewall, findings };
  const verdict = await decide(s, input);
  const notes = [baseline.window.note, baseline.fleet.note].filter((n): n is string => n !== null);
  if (!ctx.geo) notes.push('no geo/ASN data is configured: countries and ASNs are unknown');
  if (!ctx.destinationName) notes.push("destination names come from this host's own DNS lookups (no passive-DNS enrichment configured)");
  if (!dns.sanctioned_configured) notes.push('no sanctioned resolvers are configured: resolver use is listed but not judged');
  const overlap = await sourceOverlapNote(ctx, addresses, period);
  if (overlap !== null) notes.push(overlap);
  if (identity.internal === false) notes.push(`${addresses.join(', ')} is not in an internal zone of the site model; "internal" and "external" are judged from the site model`);
  const { domains, ...dnsRest } = dns;
  const lim = opts.sectionLimit;
  return {
    schema_version: SCHEMA_VERSION,
    generated_at: new Date(ctx.now).toISOString(),
    period: { since: microsToIso(since), until: microsToIso(until) },
    identity,
    summary: {
      connections: num(totals[0]?.n),
      bytes_out: num(totals[0]?.bo),
      bytes_in: num(totals[0]?.bi),
      external_destinations: external.length,
      internal_peers: internal.peers.length,
      dns_queries: dns.queries,
      firewall_events: firewall.events,
      findings: findings.reduce((n, f) => n + f.count, 0),
    },
    baseline,
    external: section(external, lim),
    internal: { peers: section(internal.peers, lim), admin: internal.peers.filter((p) => p.admin.length > 0).slice(0, lim), scans: internal.scans },
    dns: { ...dnsRest, domains: section(domains, lim) },
    firewall: { ...firewall, blocked: firewall.blocked.slice(0, lim), by_rule: firewall.by_rule.slice(0, lim) },
    findings: findings.slice(0, lim),
    activity: act,
    timeline: buildTimeline(input, str(totals[0]?.first)),
    verdict,
    notes,
  };
}
