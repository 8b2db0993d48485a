/** `nightjar conversations`: who talked to whom, busiest pairs first. */
import { Command, Option } from 'commander';
import { conversations } from '../query/conversations.js';
import type { TopMetric } from '../query/questions.js';
import { openStore } from '../store/open.js';
import type { OutputColumn } from './output/format.js';
import { type CommonOpts, dbOf, FILTER_ARG, formatOf, limitOf, recordFilterOf, withQueryOptions } from './options.js';
import { printStream } from './print.js';

const COLUMNS: OutputColumn[] = [
  { name: 'src', header: 'originator' },
  { name: 'dst', header: 'responder' },
  { name: 'connections', kind: 'number' },
  { name: 'bytes_sent', header: 'sent', kind: 'bytes' },
  { name: 'bytes_received', header: 'received', kind: 'bytes' },
  { name: 'bytes', kind: 'bytes' },
  { name: 'first_seen', header: 'first seen', kind: 'time' },
  { name: 'last_seen', header: 'last seen', kind: 'time' },
  { name: 'services' },
  { name: 'ports', kind: 'number' },
];

/** Registers the command. */
export function conversationsCommand(): Command {
  const cmd = new Command('conversations')
    .summary('who talked to whom: originator-responder pairs')
    .description(
      'Group the connections matching a filter by originator and responder: connections, bytes each ' +
        'way (sent by the originator, received from the responder), first and last seen, services and ' +
        'the number of server ports. Tables show a screenful; machine formats stream every pair unless ' +
        '--limit is given.',
    )
    .argument('[filter...]', FILTER_ARG)
    .addOption(new Option('--by <metric>', 'rank by').choices(['bytes', 'connections']).default('bytes'))
    .option('-n, --limit <n>', 'at most this many pairs');
  withQueryOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  nightjar conversations net 10.1.2.0/24
  nightjar conversations 'src net 10.0.0.0/8 and not dst net 10.0.0.0/8' --by connections --since 24h
  nightjar conversations host 10.0.0.5 --format csv > pairs.csv`,
  );
  cmd.action(async (words: string[], o: CommonOpts & { by: TopMetric }) => {
    const format = formatOf(o);
    const limit = limitOf(o, format === 'table' ? Math.max(10, (process.stdout.rows ?? 40) - 5) : undefined);
    const store = await openStore(dbOf(o));
    try {
      await printStream(conversations(store, recordFilterOf(o, words), o.by, limit), COLUMNS, format);
    } finally {
      await store.close();
    }
  });
  return cmd;
}
