/**
 * The report as one self-contained HTML file: inline CSS and inline SVG charts (connections over time,
 * bytes per destination), no scripts and no external requests, so it can be attached to a ticket and
 * opened offline. Every value from the data is escaped.
 */
import { humanBytes } from '../../cli/output/humanize.js';
import type { InvestigationReport } from '../report.js';
import { baselineText, DECISION_TEXT, flagText, hostTitle, placeText, shortTime } from './labels.js';
import { barChart, columnChart, escapeHtml as e } from './svg-charts.js';

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eee;vertical-align:top}
th{background:#f6f6f6}td.n{text-align:right}code{font-size:.92em;background:#f3f3f3;padding:0 3px}
.verdict{padding:.6em 1em;border-radius:6px;font-size:1.2em;font-weight:600;display:inline-block}
.contain{background:#fdd;color:#900}.monitor{background:#ffeeb5;color:#7a5a00}.no_action{background:#dfd;color:#060}
.flag{display:inline-block;background:#eee;border-radius:3px;padding:0 4px;margin-right:3px;font-size:.85em}
svg.chart{max-width:100%;height:auto}svg.chart rect{fill:#4a78b5}svg.chart text{font:11px sans-serif;fill:#444}svg.chart .axis{stroke:#999}
.muted{color:#777}`;

function table(head: string[], rows: string[][], numeric: number[] = []): string {
  if (rows.length === 0) return '<p class="muted">none</p>';
  const th = head.map((h) => `<th>${e(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric.includes(i) ? ' class="n"' : ''}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function flags(list: string): string {
  return list
    .split(', ')
    .filter((f) => f !== '')
    .map((f) => `<span class="flag">${e(f)}</span>`)
    .join('');
}

/** Renders the report as a standalone HTML document. */
export function renderHtml(r: InvestigationReport): string {
  const v = r.verdict;
  const s = r.summary;
  const pts = r.activity.points;
  const topBytes = [...r.external.items].sort((a, b) => b.bytes_out + b.bytes_in - (a.bytes_out + a.bytes_in)).slice(0, 12);
  const parts: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>Investigation of ${e(hostTitle(r))}</title>`,
    `<style>${CSS}</style></head><body>`,
    `<h1>Investigation of ${e(hostTitle(r))}</h1>`,
    `<p>${e(placeText(r))}<br>Period ${e(shortTime(r.period.since))} to ${e(shortTime(r.period.until))} UTC; ${e(baselineText(r))}<br>` +
      `Seen ${e(shortTime(r.identity.first_seen))} to ${e(shortTime(r.identity.last_seen))}</p>`,
    `<p><span class="verdict ${v.decision}">${DECISION_TEXT[v.decision]}</span> score ${v.score} ` +
      `<span class="muted">(contain at ${v.thresholds.contain}, monitor at ${v.thresholds.monitor})</span></p>`,
    table(
      ['points', 'evidence', 'reproduce'],
      v.evidence.map((x) => [
        String(x.points),
        `<strong>${e(x.title)}</strong><br>${e(x.detail)}`,
        x.reproduce.map((p) => `${e(p.table)}: <code>${e(p.filter)}</code> (${p.records})`).join('<br>'),
      ]),
      [0],
    ),
    '<h2>Next steps</h2>',
    `<ol>${v.next_steps.map((x) => `<li>${e(x)}</li>`).join('')}</ol>`,
    '<h2>Activity</h2>',
    `<p>${s.connections} connections opened, ${e(humanBytes(s.bytes_out))} out, ${e(humanBytes(s.bytes_in))} in; ${s.external_destinations} external destinations, ` +
      `${s.internal_peers} internal peers, ${s.dns_queries} DNS queries, ${s.firewall_events} firewall events, ${s.findings} findings.</p>`,
    `<p class="muted">Connections per ${r.activity.bucket_seconds / 60} minutes</p>`,
    columnChart(pts.map((p) => p.connections), [shortTime(pts[0]?.ts ?? r.period.since), shortTime(r.period.until)], 'connections over time'),
    '<p class="muted">Bytes per external destination (both directions)</p>',
    barChart(
      topBytes.map((x) => ({ label: x.name ? `${x.name} (${x.address})` : x.address, value: x.bytes_out + x.bytes_in, text: `${humanBytes(x.bytes_out)} out, ${humanBytes(x.bytes_in)} in` })),
      'bytes per destination',
    ),
    `<h2>External destinations (${r.external.total})</h2>`,
    table(
      ['destination', 'name', 'geo', 'connections', 'out', 'in', 'first', 'last', 'flags'],
      r.external.items.map((x) => [
        e(x.address), e(x.name ?? ''), e([x.country, x.asn !== null ? `AS${x.asn} ${x.as_org ?? ''}` : null].filter(Boolean).join(' ')),
        String(x.connections), e(humanBytes(x.bytes_out)), e(humanBytes(x.bytes_in)), e(shortTime(x.first)), e(shortTime(x.last)), flags(flagText(x.flags)),
      ]),
      [3, 4, 5],
    ),
    `<h2>Internal systems (${r.internal.peers.total})</h2>`,
    ...r.internal.scans.map(
      (sc) => `<p><strong>Scan:</strong> ${sc.kind === 'horizontal' ? `port ${sc.port}/${e(sc.proto)} on ${sc.targets} hosts` : `${sc.targets} ports on ${e(sc.target ?? '')}`}, ${Math.round(sc.failed_share * 100)}% failed</p>`,
    ),
    table(
      ['peer', 'host', 'ports', 'connections', 'failed', 'admin', 'new'],
      r.internal.peers.items.map((p) => [e(p.address), e(p.hostname ?? ''), e(p.ports.join(', ')), String(p.connections), String(p.failed), e(p.admin.join('/')), p.new ? 'yes' : '']),
      [3, 4],
    ),
    `<h2>DNS (${r.dns.queries} queries, ${Math.round(r.dns.nxdomain_rate * 100)}% NXDOMAIN)</h2>`,
    table(
      ['resolver', 'queries', 'connections', 'sanctioned'],
      r.dns.resolvers.map((x) => [e(x.address), String(x.queries), String(x.connections), x.sanctioned === null ? 'not configured' : x.sanctioned ? 'yes' : '<strong>no</strong>']),
      [1, 2],
    ),
    table(
      ['name', 'queries', 'NXDOMAIN', 'entropy', 'flags'],
      r.dns.domains.items.map((x) => [
        e(x.name), String(x.queries), String(x.nxdomain), x.entropy.toFixed(2),
        flags([x.new && 'new', x.rare && 'rare', x.long && 'long', x.high_entropy && 'high entropy'].filter(Boolean).join(', ')),
      ]),
      [1, 2, 3],
    ),
    `<h2>Firewall (${r.firewall.events} events)</h2>`,
    table(['action', 'rule', 'events'], r.firewall.by_rule.map((b) => [e(b.action), e(b.rule ?? ''), String(b.events)]), [2]),
    table(
      ['blocked destination', 'port', 'events', 'rules'],
      r.firewall.blocked.map((b) => [e(b.address), b.port === null ? '' : String(b.port), String(b.events), e(b.rules.join(', '))]),
      [2],
    ),
    `<h2>Findings (${r.findings.length})</h2>`,
    table(
      ['source', 'signature', 'severity', 'count', 'first'],
      r.findings.map((f) => [e(f.source_type), e(f.signature ?? ''), f.severity === null ? '' : String(f.severity), String(f.count), e(shortTime(f.first))]),
      [3],
    ),
    '<h2>Timeline</h2>',
    table(['time', 'kind', 'event'], r.timeline.map((x) => [e(shortTime(x.ts)), e(x.kind), e(x.summary)])),
    ...(r.notes.length ? ['<h2>Notes</h2>', `<ul>${r.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>`] : []),
    `<p class="muted">Nightjar investigation report, schema version ${r.schema_version}, generated ${e(r.generated_at)}.</p>`,
    '</body></html>',
  ];
  return parts.join('\n') + '\n';
}
