/** `nightjar stats`: what the store holds, by table and source, the time span, and the ingested inputs. */
import { Command } from 'commander';
import { lostExportRecords } from '../query/lost-records.js';
import { storeStats } from '../query/questions.js';
import { openStore } from '../store/open.js';
import { humanCount } from './output/humanize.js';
import { overlapNote } from './output/overlap-note.js';
import { dbOf, formatOf, withDb, withFormat, type CommonOpts } from './options.js';
import { printRows } from './print.js';

/** Registers the command. */
export function statsCommand(): Command {
  const cmd = new Command('stats')
    .summary('what the store holds')
    .description('Show record counts per table and source, the time span covered, and the inputs ingested.')
    .option('--ingests', 'list every ingested input instead of the summary')
    .addHelpText('after', '\nExamples:\n  nightjar stats\n  nightjar stats --format json\n  nightjar stats --ingests --format csv');
  withDb(cmd);
  withFormat(cmd);
  cmd.action(async (o: CommonOpts & { ingests?: boolean }) => {
    const store = await openStore(dbOf(o));
    try {
      const s = await storeStats(store);
      const lost = await lostExportRecords(store);
      const format = formatOf(o);
      if (o.ingests) {
        await printRows(s.ingests, [
          { name: 'ingest_id', header: '#', kind: 'number' },
          { name: 'path' },
          { name: 'format' },
          { name: 'records', kind: 'number' },
          { name: 'skipped', kind: 'number' },
          { name: 'finished_at', header: 'ingested at' },
        ], format);
        return;
      }
      if (format === 'json') {
        process.stdout.write(JSON.stringify({ ...s, lost_export_records: lost }, null, 2) + '\n');
        return;
      }
      const tableCols = [
        { name: 'table' },
        { name: 'source_type', header: 'source' },
        { name: 'records', kind: 'number' as const },
        { name: 'first', header: 'first seen' },
        { name: 'last', header: 'last seen' },
      ];
      if (format !== 'table') {
        await printRows(s.tables, tableCols, format);
        return;
      }
      const total = Object.values(s.totals).reduce((a, b) => a + b, 0);
      process.stdout.write(
        `Store ${s.location}: ${humanCount(total)} records from ${s.ingests.length} input(s)` +
          (s.first ? `, ${s.first} to ${s.last}` : '') + '\n\n',
      );
      await printRows(s.tables, tableCols, 'table');
      if (s.overlaps.length > 0) {
        process.stdout.write('\nConnections stored by two sources (the same Community ID, starting within a minute):\n');
        for (const v of s.overlaps) process.stdout.write(overlapNote(v) + '\n');
      }
      if (lost.length > 0) {
        process.stdout.write('\nLost export records (gaps in the exporters\' sequence numbers, over all collector runs):\n');
        await printRows(lost, [
          { name: 'exporter' },
          { name: 'domain', kind: 'number' },
          { name: 'version', kind: 'number' },
          { name: 'lost_records', header: 'lost', kind: 'number' },
          { name: 'sequence_resets', header: 'resets', kind: 'number' },
        ], 'table');
      }
    } finally {
      await store.close();
    }
  });
  return cmd;
}
