/**
 * The report for a terminal: sections with fixed-width columns that fit in 100 columns, a sparkline of
 * activity, and colour (verdict, flags) only when writing to a TTY. Every text from the data goes through
 * `sanitize`, since names from captured traffic may carry control characters.
 */
import { humanBytes, humanCount } from '../../cli/output/humanize.js';
import { sparkline } from '../../cli/output/sparkline.js';
import { fit, sanitize, truncate, wrapWords } from '../../cli/output/text-width.js';
import type { InvestigationReport } from '../report.js';
import { baselineText, DECISION_TEXT, flagText, hostTitle, placeText, shortTime } from './labels.js';

/** Terminal rendering options. */
export interface TerminalOptions {
  /** Width to fit (default 100). */
  width?: number;
  color?: boolean;
}

type Align = 'left' | 'right';

/** Renders the report as terminal text. */
export function renderTerminal(r: InvestigationReport, opts: TerminalOptions = {}): string {
  const width = Math.max(60, opts.width ?? 100);
  const paint = (code: string, t: string): string => (opts.color ? `\x1b[${code}m${t}\x1b[0m` : t);
  const bold = (t: string): string => paint('1', t);
  const out: string[] = [];
  const line = (t = ''): void => {
    out.push(truncate(t, width));
  };
  const wrap = (t: string, indent: string, hanging = indent): void => {
    wrapWords(sanitize(t), width - hanging.length).forEach((l, i) => out.push((i === 0 ? indent : hanging) + l));
  };
  const heading = (t: string): void => {
    line();
    line(bold(t));
  };
  const table = (cols: [string, number, Align][], rows: string[][]): void => {
    const fmt = (cells: string[]): string => '  ' + cols.map(([, w, a], i) => fit(sanitize(cells[i] ?? ''), w, a)).join(' ');
    line(paint('2', fmt(cols.map(([h]) => h))));
    for (const row of rows) line(fmt(row));
  };
  const more = (shown: number, total: number): void => {
    if (total > shown) line(paint('2', `  ... ${total - shown} more (use --format json for all)`));
  };

  const v = r.verdict;
  const vColor = v.decision === 'contain' ? '1;31' : v.decision === 'monitor' ? '1;33' : '1;32';
  line(bold(`Investigation of ${sanitize(hostTitle(r))}`));
  line(`  ${sanitize(placeText(r))}`);
  line(`  period ${shortTime(r.period.since)} to ${shortTime(r.period.until)} UTC`);
  line(`  ${baselineText(r)}`);
  line(`  seen ${shortTime(r.identity.first_seen)} to ${shortTime(r.identity.last_seen)}; found by ${r.identity.matched_by}`);
  line();
  line(`${paint(vColor, `VERDICT: ${DECISION_TEXT[v.decision]}`)}  score ${v.score} (contain at ${v.thresholds.contain}, monitor at ${v.thresholds.monitor})`);
  for (const e of v.evidence) {
    line(`  ${fit(`+${e.points}`, 4, 'right')} ${bold(sanitize(e.title))}`);
    wrap(e.detail, '       ');
    for (const rep of e.reproduce) line(paint('2', `       ${rep.table}: ${sanitize(rep.filter)}  (${rep.records} ${rep.records === 1 ? 'record' : 'records'})`));
  }
  heading('Next steps');
  v.next_steps.forEach((s, i) => wrap(`${i + 1}. ${s}`, '  ', '     '));

  const s = r.summary;
  heading('Activity');
  line(`  ${humanCount(s.connections)} connections opened, ${humanBytes(s.bytes_out)} out, ${humanBytes(s.bytes_in)} in; ${s.external_destinations} external destinations, ${s.internal_peers} internal peers`);
  line(`  ${s.dns_queries} DNS queries, ${s.firewall_events} firewall events, ${s.findings} findings`);
  const spark = sparkline(r.activity.points.map((p) => p.connections), width - 4);
  line(`  ${spark}`);
  line(paint('2', `  ${fit(shortTime(r.activity.points[0]?.ts ?? null), Math.max(0, spark.length - 19), 'left')}${shortTime(r.period.until)}`));

  heading(`External destinations (${r.external.total})`);
  table(
    [['destination', 15, 'left'], ['name', 24, 'left'], ['geo', 14, 'left'], ['conns', 5, 'right'], ['out', 8, 'right'], ['in', 8, 'right'], ['flags', 16, 'left']],
    r.external.items.map((x) => [
      x.address,
      x.name ?? '',
      [x.country, x.asn !== null ? `AS${x.asn}` : null].filter(Boolean).join(' '),
      humanCount(x.connections),
      humanBytes(x.bytes_out),
      humanBytes(x.bytes_in),
      flagText(x.flags),
    ]),
  );
  more(r.external.items.length, r.external.total);

  heading(`Internal systems (${r.internal.peers.total} peers)`);
  for (const sc of r.internal.scans) {
    const what = sc.kind === 'horizontal' ? `port ${sc.port}/${sc.proto} on ${sc.targets} hosts` : `${sc.targets} ports on ${sc.target}`;
    line(paint('33', `  scan: ${what}, ${sc.connections} connections, ${Math.round(sc.failed_share * 100)}% failed, from ${shortTime(sc.first)}`));
  }
  table(
    [['peer', 15, 'left'], ['host', 16, 'left'], ['ports', 18, 'left'], ['conns', 5, 'right'], ['failed', 6, 'right'], ['admin', 10, 'left'], ['new', 3, 'left']],
    r.internal.peers.items.map((p) => [
      p.address, p.hostname ?? '', p.ports.join(','), humanCount(p.connections), humanCount(p.failed), p.admin.join('/'), p.new ? 'yes' : '',
    ]),
  );
  more(r.internal.peers.items.length, r.internal.peers.total);

  const d = r.dns;
  heading(`DNS (${d.queries} queries, ${d.nxdomain} NXDOMAIN = ${Math.round(d.nxdomain_rate * 100)}%)`);
  for (const res of d.resolvers) {
    const tag = res.sanctioned === false ? paint('31', 'NOT SANCTIONED') : res.sanctioned ? 'sanctioned' : 'unjudged';
    line(`  resolver ${sanitize(res.address)}: ${res.queries} queries, ${res.connections} connections${res.dot ? ', DNS over TLS' : ''} (${tag})`);
  }
  table(
    [['name', 44, 'left'], ['queries', 7, 'right'], ['nx', 4, 'right'], ['entropy', 7, 'right'], ['flags', 24, 'left']],
    d.domains.items.map((x) => [
      x.name, String(x.queries), String(x.nxdomain), x.entropy.toFixed(2),
      [x.new && 'new', x.rare && 'rare', x.long && 'long', x.high_entropy && 'high-entropy'].filter(Boolean).join(', '),
    ]),
  );
  more(d.domains.items.length, d.domains.total);

  heading(`Firewall (${r.firewall.events} events)`);
  for (const b of r.firewall.by_rule) line(`  ${fit(b.action, 8, 'left')} ${fit(sanitize(b.rule ?? '(no rule)'), 40, 'left')} ${b.events}`);
  for (const b of r.firewall.blocked) {
    line(`  blocked ${sanitize(b.address)}${b.port !== null ? `:${b.port}` : ''}/${b.proto ?? '?'} x${b.events} by ${sanitize(b.rules.join(', '))}`);
  }

  heading(`Findings (${r.findings.length})`);
  for (const f of r.findings) {
    line(`  ${fit(f.source_type, 9, 'left')} sev ${f.severity ?? '-'}  ${sanitize(f.signature ?? '')} x${f.count}  ${shortTime(f.first)}`);
  }

  heading('Timeline');
  for (const e of r.timeline) line(`  ${shortTime(e.ts)}  ${fit(e.kind, 8, 'left')} ${sanitize(e.summary)}`);
  if (r.notes.length) {
    heading('Notes');
    for (const n of r.notes) wrap(`- ${n}`, '  ', '    ');
  }
  return out.join('\n') + '\n';
}
