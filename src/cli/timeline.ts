/** `nightjar timeline`: records and bytes per interval, drawn as sparklines in a terminal. */
import { Command, Option } from 'commander';
import { humanBytes, humanCount } from './output/humanize.js';
import { parseInterval, timeline } from '../query/timeline.js';
import { resolveTable, TYPE_ALIASES } from '../query/questions.js';
import { openStore } from '../store/open.js';
import type { OutputColumn } from './output/format.js';
import { sparkline } from './output/sparkline.js';
import { type CommonOpts, dbOf, FILTER_ARG, formatOf, limitOf, recordFilterOf, withQueryOptions } from './options.js';
import { printRows } from './print.js';

function label(seconds: number): string {
  for (const [unit, s] of [['w', 604800], ['d', 86400], ['h', 3600], ['m', 60]] as const) if (seconds % s === 0) return `${seconds / s}${unit}`;
  return `${seconds}s`;
}

/** Registers the command. */
export function timelineCommand(): Command {
  const cmd = new Command('timeline')
    .summary('activity per interval, as a sparkline')
    .description(
      'Count the records matching a filter (and their bytes, for connections) per interval. In a terminal ' +
        'the series is drawn as sparklines above a screenful of intervals; json, ndjson and csv give every ' +
        'interval, empty ones included, unless --limit is given.',
    )
    .argument('[filter...]', FILTER_ARG)
    .addOption(new Option('-t, --type <type>', 'record kind').choices(Object.keys(TYPE_ALIASES)).default('conn'))
    .option('-i, --interval <interval>', 'interval: auto, or a duration such as 30s, 5m, 1h, 1d', 'auto')
    .option('-n, --limit <n>', 'at most this many intervals (the first ones)');
  withQueryOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  nightjar timeline host 10.0.0.5 --since 7d --interval 1h
  nightjar timeline --type dns 'query: *.example.com' --format csv
  nightjar timeline 'dst port 443 and not dst net 10.0.0.0/8' --since 2024-03-01 --until 2024-03-02`,
  );
  cmd.action(async (words: string[], o: CommonOpts & { type: string; interval: string }) => {
    const table = resolveTable(o.type);
    const format = formatOf(o);
    const interval = parseInterval(o.interval);
    const store = await openStore(dbOf(o));
    try {
      const t = await timeline(store, table, recordFilterOf(o, words), interval);
      const conns = table === 'connections';
      const limit = limitOf(o, format === 'table' ? Math.max(10, (process.stdout.rows ?? 40) - 10) : undefined);
      const columns: OutputColumn[] = [{ name: 'time', kind: 'time' }, { name: 'records', kind: 'number' }];
      if (conns) columns.push({ name: 'bytes', kind: 'bytes' });
      if (format === 'table') {
        const pts = t.points;
        if (pts.length === 0) {
          process.stdout.write('no matching records\n');
          return;
        }
        const width = Math.max(10, Math.min(pts.length, (process.stdout.columns ?? 100) - 12));
        const total = pts.reduce((s, p) => s + p.records, 0);
        process.stdout.write(`${pts[0].time} .. ${pts[pts.length - 1].time}, ${pts.length} intervals of ${label(t.intervalSeconds)}\n`);
        process.stdout.write(`records  ${sparkline(pts.map((p) => p.records), width)}  ${humanCount(total)}\n`);
        if (conns) {
          const bytes = pts.reduce((s, p) => s + (p.bytes ?? 0), 0);
          process.stdout.write(`bytes    ${sparkline(pts.map((p) => p.bytes ?? 0), width)}  ${humanBytes(bytes)}\n`);
        }
        process.stdout.write('\n');
      }
      const rows = limit === undefined ? t.points : t.points.slice(0, limit);
      await printRows(rows.map((p) => ({ ...p })), columns, format);
      if (format === 'table' && rows.length < t.points.length) {
        process.stderr.write(`(${t.points.length - rows.length} more intervals; --limit or --format csv for all)\n`);
      }
    } finally {
      await store.close();
    }
  });
  return cmd;
}
