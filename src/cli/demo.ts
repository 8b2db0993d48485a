/**
 * `nightjar demo`: loads the bundled sample logs into the store and answers the first questions an
 * analyst asks of them, so a fresh clone shows what Nightjar does in one command.
 */
import { Command } from 'commander';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingest } from '../pipeline/ingest.js';
import { storeStats, top } from '../query/questions.js';
import { openStore } from '../store/open.js';
import { formatIngestReport, ingestExitCode } from './ingest.js';
import { bar } from './output/sparkline.js';
import { dbOf, withDb, type CommonOpts } from './options.js';
import { printRows } from './print.js';

/** Where the bundled demo data lives (relative to the compiled file: dist/src/cli). */
export const DEMO_DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../demo/data');

/** Registers the command. */
export function demoCommand(): Command {
  const cmd = new Command('demo')
    .summary('load the bundled sample data and show what it holds')
    .description('Ingest the bundled Zeek and Suricata samples (demo/data) and print the store summary, the top talkers, services and ports. Running it again is harmless: inputs are not loaded twice.');
  withDb(cmd);
  cmd.action(async (o: CommonOpts) => {
    const store = await openStore(dbOf(o));
    try {
      process.stdout.write(`Loading the demo data from ${DEMO_DATA} into ${store.location}\n\n`);
      const report = await ingest(store, [DEMO_DATA]);
      process.stdout.write(formatIngestReport(report));
      const s = await storeStats(store);
      const total = Object.values(s.totals).reduce((a, b) => a + b, 0);
      process.stdout.write(`\nThe store now holds ${total} records: ${Object.entries(s.totals).map(([t, n]) => `${t} ${n}`).join(', ')}\n`);
      for (const [title, subject] of [['Top talkers by bytes', 'talkers'], ['Top services', 'services'], ['Top server ports', 'ports']] as const) {
        const rows = await top(store, subject, 'bytes', {}, 5);
        const max = Math.max(1, ...rows.map((r) => Number(r.bytes) || 0));
        for (const r of rows) r.share = bar(Number(r.bytes) || 0, max, 16);
        process.stdout.write(`\n${title}\n`);
        const key = subject === 'talkers' ? [{ name: 'host' }] : subject === 'services' ? [{ name: 'service' }] : [{ name: 'port', kind: 'number' as const }, { name: 'proto' }];
        await printRows(rows, [...key, { name: 'connections', kind: 'number' }, { name: 'bytes', kind: 'bytes' }, { name: 'share', header: 'share' }], 'table');
      }
      process.stdout.write(
        '\nTry next:\n  bin/nightjar.js query --host 10.136.0.18 --limit 5\n  bin/nightjar.js top ports --by connections\n' +
          '  bin/nightjar.js query --type dns --limit 3 --format ndjson\n  bin/nightjar.js stats\n',
      );
      process.exitCode = ingestExitCode(report);
    } finally {
      await store.close();
    }
  });
  return cmd;
}
