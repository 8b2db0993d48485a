/**
 * `nightjar investigate HOST`: the host investigation report in the terminal, as JSON, Markdown or a
 * self-contained HTML file. Parses options, builds the investigation's context, renders; the work is
 * `investigate()` in src/investigate/.
 */
import fs from 'node:fs';
import { Command, Option } from 'commander';
import { NightjarError } from '../model/errors.js';
import { parseTimeRange } from '../query/time-range.js';
import { openStore } from '../store/open.js';
import { investigate } from '../investigate/investigate.js';
import { investigationContext } from '../investigate/wiring.js';
import { renderHtml } from '../investigate/render/html.js';
import { renderJson } from '../investigate/render/json.js';
import { renderMarkdown } from '../investigate/render/markdown.js';
import { renderTerminal } from '../investigate/render/terminal.js';
import { withDb, dbOf, type CommonOpts } from './options.js';
import { siteOf, withConfig } from './site-options.js';

const FORMATS = ['table', 'json', 'md', 'html'] as const;

interface InvestigateOpts extends CommonOpts {
  config?: string;
  baseline: string;
  rare?: string;
  out?: string;
}


/** Parses --baseline: a duration such as 7d, 36h or 2w, in days. */
export function baselineDays(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([hdw])$/i.exec(text.trim());
  const days = m ? Number(m[1]) * ({ h: 1 / 24, d: 1, w: 7 } as Record<string, number>)[m[2].toLowerCase()] : NaN;
  if (!(days > 0 && days <= 366)) throw new NightjarError('NJ_USAGE', `--baseline ${text}: give a duration such as 7d, 36h or 2w (at most 366 days)`);
  return days;
}

/** Parses --rare: a share of active hosts such as 2% or 0.02. */
export function rareShare(text: string): number {
  const t = text.trim();
  const v = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
  if (!(v >= 0 && v <= 1) || t === '') throw new NightjarError('NJ_USAGE', `--rare ${text}: give a share of active hosts such as 2% or 0.02`);
  return v;
}

/** Registers the command. */
export function investigateCommand(): Command {
  const cmd = new Command('investigate')
    .summary('report on one host: connections, peers, DNS, firewall, verdict')
    .description(
      'Investigate one host over a period: its unusual external connections (new, rare, beacon-like, ' +
        'uploads, intel matches, denied), the internal systems it touched, what it resolved, what the ' +
        'firewall allowed and blocked, alerts about it, a timeline, and a verdict (contain, monitor or ' +
        'no action) with the evidence and the filters that reproduce it. HOST is an address, an asset ' +
        'hostname, or a name seen in DNS answers.',
    )
    .argument('<host>', 'address, asset hostname, or DNS name')
    .option('--since <time>', 'start of the period: 30m, 24h, 7d, or an ISO time', '24h')
    .option('--until <time>', 'end of the period (default now)')
    .option('--baseline <duration>', 'history before the period that defines normal', '7d')
    .option('--rare <share>', 'at most this share of active hosts makes a destination rare (default 2%)')
    .addOption(new Option('--format <format>', 'table (terminal), json, md or html').choices([...FORMATS]).default('table'))
    .option('-o, --out <file>', 'write the report to a file instead of standard output');
  withConfig(cmd);
  withDb(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  nightjar investigate 10.1.0.5
  nightjar investigate fin-laptop-05 --since 2024-03-08 --until 2024-03-09 --baseline 14d
  nightjar investigate 10.1.0.5 --format html --out 10.1.0.5.html
  nightjar investigate 10.1.0.5 --format json | jq .verdict

The JSON schema and the scoring rules are in docs/investigation.md.`,
  );
  cmd.action(async (host: string, o: InvestigateOpts) => {
    const range = parseTimeRange(o.since, o.until);
    const opts = { baselineDays: baselineDays(o.baseline), ...(o.rare !== undefined ? { rareShare: rareShare(o.rare) } : {}) };
    const store = await openStore(dbOf(o));
    let text: string;
    try {
      const report = await investigate(investigationContext(store, siteOf(o, store.dialect)), host, range, opts);
      const toTty = !o.out && process.stdout.isTTY === true;
      text =
        o.format === 'json' ? renderJson(report)
        : o.format === 'md' ? renderMarkdown(report)
        : o.format === 'html' ? renderHtml(report)
        : renderTerminal(report, { width: toTty ? process.stdout.columns : 100, color: toTty });
    } finally {
      await store.close();
    }
    if (o.out) {
      try {
        fs.writeFileSync(o.out, text);
      } catch (err) {
        throw new NightjarError('NJ_USAGE', `cannot write ${o.out}: ${(err as Error).message}`, { cause: err });
      }
    } else process.stdout.write(text);
  });
  return cmd;
}
