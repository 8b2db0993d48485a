/**
 * Renders a validation report: `json` is the report object itself (the stable schema in
 * docs/controls.md); `table` is for a terminal (verdict, reasons, then one table per section);
 * `md` is the same for a ticket or a CI summary. Sections list the kept rows and say how many
 * there were in all, so a limited report never hides that more exist.
 */
import type { Verdict } from '../controls/context.js';
import { plainText } from './output/cells.js';
import { createWriter, type OutputColumn } from './output/format.js';

/** Formats `validate` prints. */
export const REPORT_FORMATS = ['table', 'json', 'md'] as const;

/** A report format. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** One section of a report as printed. */
export interface ReportSection {
  title: string;
  rows: readonly object[];
  columns: OutputColumn[];
  /** Rows there were before the limit (defaults to rows.length). */
  total?: number;
}

/** What every report has in common, for the heading. */
export interface PrintableReport {
  readonly report: string;
  readonly verdict: Verdict;
  readonly notes: readonly string[];
}

function mdCell(v: unknown, kind: OutputColumn['kind']): string {
  const t = Array.isArray(v) ? v.map((x) => plainText(x, kind)).join(', ') : plainText(v, kind);
  return t.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

function countNote(s: ReportSection): string {
  const total = s.total ?? s.rows.length;
  return total > s.rows.length ? ` (showing ${s.rows.length} of ${total}; raise --limit for more)` : ` (${total})`;
}

function markdown(r: PrintableReport, heading: string, sections: readonly ReportSection[]): string {
  const out: string[] = [`# ${heading}`, '', `**${r.verdict.status.toUpperCase()}**`, '', ...r.verdict.reasons.map((x) => `- ${x}`), ''];
  for (const s of sections) {
    out.push(`## ${s.title}${countNote(s)}`, '');
    if (s.rows.length === 0) {
      out.push('None.', '');
      continue;
    }
    out.push(`| ${s.columns.map((c) => c.header ?? c.name).join(' | ')} |`, `|${s.columns.map((c) => (c.kind && c.kind !== 'text' ? ' ---: |' : ' --- |')).join('')}`);
    for (const row of s.rows) out.push(`| ${s.columns.map((c) => mdCell((row as Record<string, unknown>)[c.name], c.kind)).join(' | ')} |`);
    out.push('');
  }
  if (r.notes.length) out.push('## Notes', '', ...r.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}

/** Prints a report in the chosen format to standard output. */
export async function printReport(r: PrintableReport, heading: string, sections: readonly ReportSection[], format: ReportFormat): Promise<void> {
  const out = process.stdout;
  const write = (text: string): Promise<void> => new Promise((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve)));
  if (format === 'json') return write(`${JSON.stringify(r, null, 2)}\n`);
  if (format === 'md') return write(markdown(r, heading, sections));
  const color = out.isTTY === true && !process.env.NO_COLOR;
  const paint = (code: string, t: string): string => (color ? `\x1b[${code}m${t}\x1b[0m` : t);
  const status = r.verdict.status === 'pass' ? paint('1;32', 'PASS') : paint('1;31', 'FAIL');
  await write(`${status}  ${heading}\n${r.verdict.reasons.map((x) => `  - ${x}\n`).join('')}`);
  for (const s of sections) {
    await write(`\n${paint('1', s.title)}${countNote(s)}\n`);
    if (s.rows.length === 0) {
      await write('  none\n');
      continue;
    }
    const w = createWriter('table', s.columns, out, { termWidth: out.columns, color });
    for (const row of s.rows) await w.write(row as Record<string, unknown>);
    await w.end();
  }
  if (r.notes.length) await write(`\n${paint('1', 'Notes')}\n${r.notes.map((n) => `  - ${n}\n`).join('')}`);
}
