/** `nightjar intel`: load threat-intelligence feeds, list them, and hunt for their indicators in stored records. */
import { Command, Option } from 'commander';
import { HUNT_COLUMNS, huntMatches, recordHunt } from '../enrich/intel/intel-match.js';
import { listFeeds, loadFeed, removeFeed, type FeedLoad } from '../enrich/intel/intel-store.js';
import { NightjarError } from '../model/errors.js';
import { parseTimeRange } from '../query/time-range.js';
import { openStore } from '../store/open.js';
import type { OutputColumn } from './output/format.js';
import { dbOf, formatOf, limitOf, withDb, withFormat, type CommonOpts } from './options.js';
import { printRows, printStream } from './print.js';

function loadReport(r: FeedLoad): string {
  const kinds = Object.entries(r.byKind).map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
  const lines = [`feed ${r.feed} (${r.format}): ${r.indicators} indicator(s): ${kinds}` + (r.replaced ? `; replaced ${r.replaced} earlier` : '')];
  if (r.duplicates) lines.push(`  ${r.duplicates} duplicate(s) kept once`);
  if (r.format === 'stix') {
    const c = r.counts;
    lines.push(`  STIX indicators: ${c.indicators}; patterns matched fully ${c.full}, in part ${c.partial} (values of an AND or a qualified pattern: broader than the pattern), not at all ${c.unmatchable}, malformed ${c.malformed}`);
  }
  for (const [reason, s] of Object.entries(r.skipped)) lines.push(`  skipped ${s.count} ${reason}: ${s.examples.join('; ')}${s.count > s.examples.length ? '; ...' : ''}`);
  return lines.join('\n') + '\n';
}

function loadCommand(): Command {
  const cmd = new Command('load')
    .summary('load (or replace) a feed of indicators')
    .description(
      'Load indicators from a plain-text list (one per line, # comments), a CSV file (indicator column found ' +
        'by name or content, or given with --column; optional type, source, confidence, description, ' +
        'subdomains, valid_from, valid_until columns) or a STIX 2.1 bundle (indicator patterns over ' +
        'ipv4-addr, ipv6-addr, domain-name and url values). Indicators: addresses, CIDRs, domains, ' +
        '*.domain (subdomains only), URLs (their host). Loading a feed again under the same name replaces it.',
    )
    .argument('<file>', 'the feed file')
    .option('--name <feed>', 'feed name (default: the file name without extension)')
    .addOption(new Option('--format <format>', 'feed format (default: recognised from content)').choices(['text', 'csv', 'stix']))
    .option('--column <column>', 'CSV: the indicator column, by header name or 1-based number')
    .option('--subdomains', 'exact domains also match their subdomains (wildcards *.x always do)');
  withDb(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  nightjar intel load blocklist.txt --name blocklist
  nightjar intel load threatfox.csv --column ioc_value
  nightjar intel load cert-bundle.json --format stix --name cert`,
  );
  cmd.action(async (file: string, o: CommonOpts & { name?: string; format?: 'text' | 'csv' | 'stix'; column?: string; subdomains?: boolean }) => {
    const store = await openStore(dbOf(o));
    try {
      const r = await loadFeed(store, { file, name: o.name, format: o.format, column: o.column, subdomains: o.subdomains });
      process.stdout.write(loadReport(r));
    } finally {
      await store.close();
    }
  });
  return cmd;
}

function listCommand(): Command {
  const cmd = new Command('list').summary('list loaded feeds').description('List the loaded feeds: indicators by kind, what was skipped, where each came from.');
  withFormat(cmd);
  withDb(cmd);
  cmd.addHelpText('after', '\nExamples:\n  nightjar intel list\n  nightjar intel list --format json');
  cmd.action(async (o: CommonOpts) => {
    const store = await openStore(dbOf(o));
    try {
      const cols: OutputColumn[] = [
        { name: 'feed' }, { name: 'format' }, { name: 'indicators', kind: 'number' }, { name: 'ips', kind: 'number' },
        { name: 'cidrs', kind: 'number' }, { name: 'domains', kind: 'number' }, { name: 'skipped', kind: 'number' },
        { name: 'loaded_at', header: 'loaded at' }, { name: 'path' }, { name: 'sha256' },
      ];
      await printRows(await listFeeds(store), cols, formatOf(o));
    } finally {
      await store.close();
    }
  });
  return cmd;
}

function removeCommand(): Command {
  const cmd = new Command('remove').summary('remove a feed').description('Remove a feed and its indicators; findings already recorded from it stay.').argument('<feed>', 'feed name');
  withDb(cmd);
  cmd.action(async (feed: string, o: CommonOpts) => {
    const store = await openStore(dbOf(o));
    try {
      if (!(await removeFeed(store, feed))) throw new NightjarError('NJ_USAGE', `no feed named ${feed}; see nightjar intel list`);
      process.stdout.write(`removed feed ${feed}\n`);
    } finally {
      await store.close();
    }
  });
  return cmd;
}

function huntCommand(): Command {
  const cmd = new Command('hunt')
    .summary('match stored records against the loaded indicators')
    .description(
      'Look for the loaded indicators in stored records: both addresses of connections and firewall rows, ' +
        'DNS query names and answers. Prints every match; --record also writes new ones to findings ' +
        '(source_type intel), never duplicating a match recorded before (at ingest or by an earlier hunt).',
    )
    .option('--since <time>', 'only records at or after this time: 30m, 2h, 7d, or an ISO time')
    .option('--until <time>', 'only records before this time (same forms as --since)')
    .option('--feed <feed>', 'only this feed\'s indicators')
    .option('--record', 'write the matches as findings')
    .option('-n, --limit <n>', 'print at most this many matches');
  withFormat(cmd);
  withDb(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  nightjar intel hunt --since 7d
  nightjar intel hunt --feed cert --record
  nightjar intel hunt --format ndjson > matches.ndjson`,
  );
  cmd.action(async (o: CommonOpts & { feed?: string; record?: boolean }) => {
    const store = await openStore(dbOf(o));
    try {
      const range = parseTimeRange(o.since, o.until);
      const format = formatOf(o);
      const limit = limitOf(o, format === 'table' ? Math.max(10, (process.stdout.rows ?? 40) - 5) : undefined);
      if (o.feed !== undefined && !(await listFeeds(store)).some((f) => f.feed === o.feed)) {
        throw new NightjarError('NJ_USAGE', `--feed ${o.feed}: no such feed; see nightjar intel list`);
      }
      const recorded = o.record ? await recordHunt(store, { range, feed: o.feed }) : null;
      const cols: OutputColumn[] = HUNT_COLUMNS.map((name) => ({ name, kind: name === 'ts' ? 'time' : name.endsWith('_p') ? 'number' : 'text' }));
      let printed = 0;
      await printStream(counted(huntMatches(store, { range, feed: o.feed, limit }), (n) => (printed += n)), cols, format);
      if (recorded !== null) {
        // The printed matches are all of them unless the limit cut them short.
        const all = limit === undefined || printed < limit;
        process.stderr.write(all ? `${printed} match(es); recorded ${recorded} new finding(s), ${printed - recorded} were recorded before\n` : `recorded ${recorded} new finding(s)\n`);
      }
    } finally {
      await store.close();
    }
  });
  return cmd;
}

async function* counted<T>(batches: AsyncIterable<T[]>, add: (n: number) => void): AsyncIterable<T[]> {
  for await (const b of batches) {
    add(b.length);
    yield b;
  }
}

/** Registers the command. */
export function intelCommand(): Command {
  const cmd = new Command('intel')
    .summary('threat-intelligence feeds: load, list, hunt')
    .description('Threat-intelligence indicators: load feeds (text, CSV, STIX 2.1), list them, and hunt for them in stored records. New ingests are matched as they load.');
  for (const c of [loadCommand(), listCommand(), huntCommand(), removeCommand()]) {
    c.exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2));
    cmd.addCommand(c);
  }
  return cmd;
}
