/**
 * The report as Markdown (GitHub-flavoured tables), for tickets and case notes. Cell text is escaped
 * so names from traffic cannot break a table or inject markup.
 */
import { sanitize } from '../../cli/output/text-width.js';
import type { InvestigationReport } from '../report.js';
import { baselineText, DECISION_TEXT, flagText, hostTitle, placeText, shortTime } from './labels.js';

/** Escapes text for a Markdown table cell or paragraph (control characters become visible escapes). */
export function mdEscape(text: string): string {
  return sanitize(text).replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

function table(head: string[], rows: (string | number)[][]): string[] {
  if (rows.length === 0) return ['_none_', ''];
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map((c) => (typeof c === 'number' ? String(c) : mdEscape(c))).join(' | ')} |`),
    '',
  ];
}

function more(shown: number, total: number): string[] {
  return total > shown ? [`_${total - shown} more not shown; see the JSON report._`, ''] : [];
}

/** Renders the report as Markdown. */
export function renderMarkdown(r: InvestigationReport): string {
  const v = r.verdict;
  const out: string[] = [
    `# Investigation of ${mdEscape(hostTitle(r))}`,
    '',
    `- ${mdEscape(placeText(r))}`,
    `- Period: ${shortTime(r.period.since)} to ${shortTime(r.period.until)} UTC`,
    `- ${mdEscape(baselineText(r))}`,
    `- Seen: ${shortTime(r.identity.first_seen)} to ${shortTime(r.identity.last_seen)}`,
    '',
    `## Verdict: ${DECISION_TEXT[v.decision]} (score ${v.score})`,
    '',
    `Contain at ${v.thresholds.contain} points, monitor at ${v.thresholds.monitor}.`,
    '',
  ];
  out.push(
    ...table(
      ['points', 'evidence', 'detail', 'reproduce'],
      v.evidence.map((e) => [
        e.points,
        e.title,
        e.detail,
        e.reproduce.map((x) => `${x.table}: ${x.filter} (${x.records})`).join('; '),
      ]),
    ),
  );
  out.push('### Next steps', '', ...v.next_steps.map((s, i) => `${i + 1}. ${mdEscape(s)}`), '');
  const s = r.summary;
  out.push(
    '## Activity',
    '',
    `${s.connections} connections opened, ${s.bytes_out} bytes out, ${s.bytes_in} bytes in; ${s.external_destinations} external destinations, ` +
      `${s.internal_peers} internal peers, ${s.dns_queries} DNS queries, ${s.firewall_events} firewall events, ${s.findings} findings.`,
    '',
    `## External destinations (${r.external.total})`,
    '',
  );
  out.push(
    ...table(
      ['destination', 'name', 'country', 'ASN', 'connections', 'bytes out', 'bytes in', 'first', 'last', 'flags'],
      r.external.items.map((x) => [
        x.address, x.name ?? '', x.country ?? '', x.asn === null ? '' : `AS${x.asn} ${x.as_org ?? ''}`.trim(), x.connections, x.bytes_out, x.bytes_in,
        shortTime(x.first), shortTime(x.last), flagText(x.flags),
      ]),
    ),
    ...more(r.external.items.length, r.external.total),
  );
  out.push(`## Internal systems (${r.internal.peers.total})`, '');
  for (const sc of r.internal.scans) {
    out.push(`- **Scan**: ${sc.kind === 'horizontal' ? `port ${sc.port}/${sc.proto} on ${sc.targets} hosts` : `${sc.targets} ports on ${mdEscape(sc.target ?? '')}`}, ${Math.round(sc.failed_share * 100)}% failed`);
  }
  if (r.internal.scans.length) out.push('');
  out.push(
    ...table(
      ['peer', 'host', 'ports', 'connections', 'failed', 'admin', 'new'],
      r.internal.peers.items.map((p) => [p.address, p.hostname ?? '', p.ports.join(', '), p.connections, p.failed, p.admin.join('/'), p.new ? 'yes' : '']),
    ),
    ...more(r.internal.peers.items.length, r.internal.peers.total),
  );
  const d = r.dns;
  out.push(`## DNS (${d.queries} queries, ${Math.round(d.nxdomain_rate * 100)}% NXDOMAIN)`, '');
  out.push(
    ...table(
      ['resolver', 'queries', 'connections', 'sanctioned'],
      d.resolvers.map((x) => [x.address, x.queries, x.connections, x.sanctioned === null ? 'not configured' : x.sanctioned ? 'yes' : '**no**']),
    ),
  );
  out.push(
    ...table(
      ['name', 'queries', 'NXDOMAIN', 'entropy', 'flags'],
      d.domains.items.map((x) => [
        x.name, x.queries, x.nxdomain, x.entropy,
        [x.new && 'new', x.rare && 'rare', x.long && 'long', x.high_entropy && 'high entropy'].filter(Boolean).join(', '),
      ]),
    ),
    ...more(d.domains.items.length, d.domains.total),
  );
  out.push(`## Firewall (${r.firewall.events} events)`, '');
  out.push(...table(['action', 'rule', 'events'], r.firewall.by_rule.map((b) => [b.action, b.rule ?? '', b.events])));
  out.push(...table(['blocked destination', 'port', 'events', 'rules'], r.firewall.blocked.map((b) => [b.address, b.port === null ? '' : String(b.port), b.events, b.rules.join(', ')])));
  out.push(`## Findings (${r.findings.length})`, '');
  out.push(...table(['source', 'signature', 'severity', 'count', 'first'], r.findings.map((f) => [f.source_type, f.signature ?? '', f.severity === null ? '' : String(f.severity), f.count, shortTime(f.first)])));
  out.push('## Timeline', '');
  out.push(...table(['time', 'kind', 'event'], r.timeline.map((e) => [shortTime(e.ts), e.kind, e.summary])));
  if (r.notes.length) out.push('## Notes', '', ...r.notes.map((n) => `- ${mdEscape(n)}`), '');
  return out.join('\n');
}
