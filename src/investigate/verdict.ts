/**
 * The verdict: evidence items scored by fixed rules (documented with their points in
 * `docs/investigation.md`), summed, and compared with two thresholds: contain, monitor, or no action.
 * Each item carries filters that reproduce its records, with the number each one matches, counted by
 * the same clauses the filter text is written from. Suggested next steps follow from the evidence.
 */
import type { DnsActivity } from './dns-activity.js';
import type { ExternalDestination } from './external.js';
import { countFilter, filterText, type Clause, type EvidenceTable } from './filter-text.js';
import type { FindingGroup, FirewallActivity } from './firewall-activity.js';
import { microsToIso } from './host-sql.js';
import type { Identity } from './identity.js';
import type { InternalPeer, ScanPattern } from './internal.js';
import type { Decision, Evidence, Reproduction, Verdict } from './report.js';
import type { Scope } from './scope.js';

/** Points per rule. */
export const RULE_POINTS = {
  'intel-destination': 60,
  'intel-finding': 30,
  beacon: 35,
  upload: 35,
  'internal-scan': 35,
  'lateral-admin': 15,
  'lateral-admin-many': 25,
  'outside-resolver': 15,
  'nxdomain-burst': 15,
  'generated-names': 10,
  'firewall-blocked': 10,
  'firewall-blocked-many': 20,
  'long-lived': 10,
  'ids-alert-high': 30,
  'ids-alert-medium': 15,
  'ids-alert-low': 5,
  'ids-alert-cap': 45,
} as const;

/** The sections the verdict is drawn from (full lists, before trimming for display). */
export interface VerdictInput {
  identity: Identity;
  external: ExternalDestination[];
  peers: InternalPeer[];
  scans: ScanPattern[];
  dns: DnsActivity;
  firewall: FirewallActivity;
  findings: FindingGroup[];
}

const MAX_REPRO = 5;

/** Reproducing filters, one per host address (and target), keeping those that match records. */
async function reproduce(s: Scope, table: EvidenceTable, targets: readonly Clause[][]): Promise<Reproduction[]> {
  const out: Reproduction[] = [];
  for (const extra of targets.slice(0, MAX_REPRO)) {
    for (const a of s.addresses) {
      // Alerts name the host on either side (an inbound exploit attempt has it as responder).
      const self: Clause = table === 'findings' ? { op: 'host', value: a } : { op: '==', field: 'orig_h', value: a };
      const f = { table, clauses: [self, ...extra] };
      const records = await countFilter(s.ctx.store, s.ctx.store.dialect, f, s.period);
      if (records > 0 || s.addresses.length === 1) {
        out.push({ table, filter: filterText(f), since: microsToIso(s.period.since), until: microsToIso(s.period.until), records });
      }
    }
  }
  return out;
}

const resp = (address: string): Clause[] => [{ op: '==', field: 'resp_h', value: address }];

function label(x: ExternalDestination): string {
  return x.name ? `${x.name} (${x.address})` : x.address;
}

function listed(items: readonly string[], max = 5): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** Scores the evidence and decides. */
export async function decide(s: Scope, v: VerdictInput): Promise<Verdict> {
  const ev: Evidence[] = [];
  const add = async (rule: keyof typeof RULE_POINTS, title: string, detail: string, table: EvidenceTable, targets: Clause[][]): Promise<void> => {
    ev.push({ rule, title, points: RULE_POINTS[rule], detail, reproduce: await reproduce(s, table, targets) });
  };
  const unusual = (x: ExternalDestination): boolean => x.flags.new || x.flags.rare;
  // Destinations worth blocking: the ones that drove external evidence.
  const block = new Set<string>();
  const toBlock = (xs: readonly ExternalDestination[]): void => xs.forEach((x) => block.add(x.name ? `${x.address} (${x.name})` : x.address));

  const intel = v.external.filter((x) => x.flags.intel && x.connections > 0);
  toBlock(intel);
  if (intel.length) {
    await add('intel-destination', 'Connected to threat-intel indicators', `${listed(intel.map(label))}: ${listed(intel.flatMap((x) => x.intel), 3)}`, 'connections', intel.map((x) => resp(x.address)));
  }
  const connected = new Set(v.external.map((x) => x.address));
  const intelOther = v.findings.filter((f) => f.source_type === 'intel' && !f.peers.some((p) => connected.has(p)));
  if (intelOther.length) {
    await add('intel-finding', 'Threat-intel matches about this host', listed(intelOther.map((f) => f.signature ?? 'intel match')), 'findings', intelOther.flatMap((f) => f.peers.map(resp)));
  }
  const beacons = v.external.filter((x) => x.flags.regular_timing && unusual(x));
  toBlock(beacons);
  if (beacons.length) {
    const d = beacons.map((x) => `${label(x)} every ${Math.round(x.timing?.median_seconds ?? 0)} s over ${x.connections} connections`);
    await add('beacon', 'Beacon-like regular connections to a new or rare destination', listed(d, 3), 'connections', beacons.map((x) => resp(x.address)));
  }
  const uploads = v.external.filter((x) => x.bytes_out >= s.opts.uploadBytes && unusual(x));
  toBlock(uploads);
  if (uploads.length) {
    await add('upload', 'Large upload to a new or rare destination', listed(uploads.map((x) => `${label(x)}: ${(x.bytes_out / 1e6).toFixed(1)} MB sent`), 3), 'connections', uploads.map((x) => resp(x.address)));
  }
  const longLived = v.external.filter((x) => x.flags.long_lived && unusual(x));
  toBlock(longLived);
  if (longLived.length) {
    await add('long-lived', 'Long-lived connection to a new or rare destination', listed(longLived.map((x) => `${label(x)}: ${Math.round(x.max_duration_seconds ?? 0)} s`), 3), 'connections', longLived.map((x) => resp(x.address)));
  }
  if (v.scans.length) {
    const d = v.scans.map((x) => (x.kind === 'horizontal' ? `port ${x.port}/${x.proto} on ${x.targets} hosts` : `${x.targets} ports on ${x.target}`));
    const targets = v.scans.map((x): Clause[] => (x.kind === 'horizontal' ? [{ op: '==', field: 'resp_p', value: x.port ?? 0 }] : resp(x.target ?? '')));
    await add('internal-scan', 'Scan-like fan-out inside the network', listed(d, 3), 'connections', targets);
  }
  const lateral = v.peers.filter((p) => p.new && p.admin_established > 0);
  if (lateral.length) {
    const rule = lateral.length >= 3 ? 'lateral-admin-many' : 'lateral-admin';
    await add(rule, 'Administrative logins to internal systems new for this host', listed(lateral.map((p) => `${p.hostname ?? p.address} (${p.admin.join('/')})`)), 'connections', lateral.map((p) => resp(p.address)));
  }
  const outside = v.dns.resolvers.filter((r) => r.sanctioned === false);
  if (outside.length) {
    await add('outside-resolver', 'DNS to resolvers other than the sanctioned ones', listed(outside.map((r) => `${r.address}${r.dot ? ' (DNS over TLS)' : ''}`)), outside.some((r) => r.queries > 0) ? 'dns' : 'connections', outside.map((r) => resp(r.address)));
  }
  if (v.dns.queries >= s.opts.nxMinQueries && v.dns.nxdomain_rate >= s.opts.nxdomainRate) {
    await add('nxdomain-burst', 'Burst of failed lookups (NXDOMAIN)', `${v.dns.nxdomain} of ${v.dns.queries} queries (${Math.round(v.dns.nxdomain_rate * 100)}%)`, 'dns', [[{ op: '==', field: 'rcode_name', value: 'NXDOMAIN' }]]);
  }
  const generated = v.dns.domains.filter((x) => (x.high_entropy || x.long) && (x.new || x.rare));
  if (generated.length) {
    await add('generated-names', 'Long or random-looking names, new or rare', `${generated.length} names, e.g. ${listed(generated.map((x) => x.name), 3)}`, 'dns', generated.map((x) => [{ op: 'query', value: x.name }]));
  }
  if (v.firewall.blocked.length) {
    const events = v.firewall.blocked.reduce((n, b) => n + b.events, 0);
    const dests = [...new Set(v.firewall.blocked.map((b) => b.address))];
    const rule = dests.length >= 3 || events >= 20 ? 'firewall-blocked-many' : 'firewall-blocked';
    await add(rule, 'Connections blocked by the firewall', `${events} denied attempts to ${listed(dests)}`, 'firewall', dests.map(resp));
  }
  const alerts = v.findings.filter((f) => f.source_type !== 'intel');
  if (alerts.length) {
    const pts = Math.min(
      RULE_POINTS['ids-alert-cap'],
      alerts.reduce((n, f) => n + (f.severity === 1 ? RULE_POINTS['ids-alert-high'] : f.severity === 2 ? RULE_POINTS['ids-alert-medium'] : RULE_POINTS['ids-alert-low']), 0),
    );
    const worst = Math.min(...alerts.map((f) => f.severity ?? 9));
    const rule = worst === 1 ? 'ids-alert-high' : worst === 2 ? 'ids-alert-medium' : 'ids-alert-low';
    await add(rule, 'Alerts about this host', listed(alerts.map((f) => `${f.signature ?? f.source_type} x${f.count}`), 3), 'findings',
      alerts.filter((f) => f.signature !== null).map((f) => [{ op: '==', field: 'signature', value: f.signature! }]));
    ev[ev.length - 1].points = pts;
  }
  ev.sort((a, b) => b.points - a.points || a.rule.localeCompare(b.rule));
  const score = ev.reduce((n, e) => n + e.points, 0);
  const decision: Decision = score >= s.opts.containScore ? 'contain' : score >= s.opts.monitorScore ? 'monitor' : 'no_action';
  return {
    decision,
    score,
    thresholds: { contain: s.opts.containScore, monitor: s.opts.monitorScore },
    evidence: ev,
    next_steps: nextSteps(decision, v, ev, [...block]),
  };
}

function nextSteps(decision: Decision, v: VerdictInput, ev: readonly Evidence[], block: readonly string[]): string[] {
  const who = v.identity.names[0] ? `${v.identity.names[0]} (${v.identity.addresses.join(', ')})` : v.identity.addresses.join(', ');
  const has = (r: string): boolean => ev.some((e) => e.rule.startsWith(r));
  const capture = `nightjar capture -i IFACE --filter 'host ${v.identity.addresses[0]}'`;
  if (decision === 'no_action') return ['No action needed: nothing in the period departs enough from the host\'s baseline and the fleet.'];
  const steps: string[] = [];
  if (decision === 'contain') steps.push(`Isolate ${who} from the network (switch port, NAC or EDR) and preserve its memory and disk.`);
  if (block.length) steps.push(`Block at the egress firewall and DNS: ${listed(block, 8)}.`);
  steps.push(`${decision === 'contain' ? 'Before isolating, collect' : 'Collect'} a packet capture of the host's traffic: ${capture}`);
  if (has('lateral')) {
    const peers = v.peers.filter((p) => p.new && p.admin_established > 0).map((p) => p.hostname ?? p.address);
    steps.push(`Investigate the internal systems it logged into: ${listed(peers, 8)}; reset the credentials used.`);
  }
  if (has('internal-scan')) steps.push('Check the scanned hosts for follow-up connections from this host.');
  if (has('outside-resolver')) steps.push('Block DNS (53/udp, 53/tcp, 853/tcp) to anything but the sanctioned resolvers.');
  if (has('ids-alert') || has('intel')) steps.push('Review the alerts and intel matches listed under findings.');
  if (decision === 'monitor') steps.push('Investigate again after the next 24 hours to see whether the pattern continues.');
  return steps;
}
