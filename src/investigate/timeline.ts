/**
 * The merged timeline: the key moments of every section (first activity, first contact with each
 * flagged destination, scans, administrative logins, DNS bursts and outside resolvers, firewall blocks,
 * alerts) in time order.
 */
import type { VerdictInput } from './verdict.js';
import type { TimelineEvent } from './report.js';

const MAX_EVENTS = 100;
const MAX_ADMIN = 10;

function flagList(f: Record<string, boolean>): string {
  return Object.entries(f)
    .filter(([, v]) => v)
    .map(([k]) => k.replace('_', ' '))
    .join(', ');
}

/** Builds the timeline from the sections. */
export function buildTimeline(v: VerdictInput, firstActivity: string | null): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  if (firstActivity) out.push({ ts: firstActivity, kind: 'activity', summary: 'first connection in the period' });
  for (const x of v.external) {
    const flags = flagList({ ...x.flags });
    if (!(x.flags.intel || x.flags.rare || x.flags.new || x.flags.denied)) continue;
    out.push({ ts: x.first, kind: 'external', summary: `first connection to ${x.name ? `${x.name} ` : ''}${x.address} (${flags}; ${x.connections} connections)` });
  }
  for (const sc of v.scans) {
    const what = sc.kind === 'horizontal' ? `port ${sc.port}/${sc.proto} on ${sc.targets} hosts` : `${sc.targets} ports on ${sc.target}`;
    out.push({ ts: sc.first, kind: 'scan', summary: `scan started: ${what} (${Math.round(sc.failed_share * 100)}% failed)` });
  }
  // Established administrative sessions to new peers; attempts that failed are summed up by the scans.
  const admin = v.peers.filter((x) => x.new && x.admin_established > 0).sort((a, b) => a.first.localeCompare(b.first));
  for (const p of admin.slice(0, MAX_ADMIN)) {
    out.push({ ts: p.first, kind: 'internal', summary: `${p.admin.join('/')} session to ${p.hostname ?? p.address}, new for this host` });
  }
  if (admin.length > MAX_ADMIN) {
    out.push({ ts: admin[MAX_ADMIN].first, kind: 'internal', summary: `and ${admin.length - MAX_ADMIN} more administrative sessions to new peers` });
  }
  const nx = v.dns.domains.filter((d) => d.nxdomain > 0);
  if (nx.length >= 5) {
    const first = nx.reduce((m, d) => (d.first < m ? d.first : m), nx[0].first);
    out.push({ ts: first, kind: 'dns', summary: `NXDOMAIN answers begin (${v.dns.nxdomain} in the period, ${nx.length} names)` });
  }
  for (const r of v.dns.resolvers.filter((x) => x.sanctioned === false)) {
    out.push({ ts: r.first, kind: 'dns', summary: `DNS to outside resolver ${r.address}${r.dot ? ' over TLS' : ''}` });
  }
  for (const b of v.firewall.blocked) {
    out.push({ ts: b.first, kind: 'firewall', summary: `blocked: ${b.address}${b.port !== null ? `:${b.port}` : ''} by ${b.rules.join(', ') || 'a rule'} (${b.events} times)` });
  }
  for (const f of v.findings) {
    out.push({ ts: f.first, kind: 'finding', summary: `${f.source_type}: ${f.signature ?? 'finding'}${f.count > 1 ? ` (x${f.count})` : ''}` });
  }
  out.sort((a, b) => a.ts.localeCompare(b.ts) || a.kind.localeCompare(b.kind));
  return out.slice(0, MAX_EVENTS);
}
