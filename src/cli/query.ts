/** `nightjar query`: the records of one kind matching simple filters, newest first. */
import { Command, Option } from 'commander';
import { tableByName } from '../model/fields.js';
import { queryRecords, resolveTable, TYPE_ALIASES } from '../query/questions.js';
import { openStore } from '../store/open.js';
import type { OutputColumn } from './output/format.js';
import { dbOf, filterOf, formatOf, limitOf, withDb, withFilter, withFormat, type CommonOpts } from './options.js';
import { printStream } from './print.js';

/** Columns shown in a terminal table per table; machine formats get every field. */
const TABLE_COLUMNS: Record<string, string[]> = {
  connections: ['ts', 'orig_h', 'orig_p', 'resp_h', 'resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'history', 'source_type'],
  dns: ['ts', 'orig_h', 'resp_h', 'query', 'qtype_name', 'rcode_name', 'answers', 'source_type'],
  firewall: ['ts', 'orig_h', 'orig_p', 'resp_h', 'resp_p', 'proto', 'action', 'rule', 'sensor'],
  findings: ['ts', 'orig_h', 'orig_p', 'resp_h', 'resp_p', 'proto', 'severity', 'signature', 'category', 'source_type'],
  metadata: ['ts', 'log', 'uid', 'orig_h', 'resp_h', 'resp_p', 'source_type'],
};

const KINDS: Record<string, OutputColumn['kind']> = {
  orig_bytes: 'bytes', resp_bytes: 'bytes', orig_ip_bytes: 'bytes', resp_ip_bytes: 'bytes', bytes: 'bytes',
  duration: 'duration', rtt: 'duration',
};

/** Registers the command. */
export function queryCommand(): Command {
  const cmd = new Command('query')
    .summary('list records matching filters')
    .description(
      'List stored records of one kind (connections by default), newest first, filtered by time, ' +
        'host, port and transport. Tables show a screenful; json, ndjson and csv stream every ' +
        'matching record unless --limit is given.',
    )
    .addOption(new Option('-t, --type <type>', 'record kind').choices(Object.keys(TYPE_ALIASES)).default('conn'))
    .option('-n, --limit <n>', 'at most this many records');
  withFilter(cmd);
  withFormat(cmd);
  withDb(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  nightjar query --host 10.0.0.5 --since 24h
  nightjar query --type dns --host 10.0.0.0/8 --port 53 --format ndjson
  nightjar query --proto udp --until 2024-03-01T00:00:00Z --limit 100 --format csv > udp.csv`,
  );
  cmd.action(async (o: CommonOpts & { type: string }) => {
    const table = resolveTable(o.type);
    const format = formatOf(o);
    const filter = filterOf(o);
    const limit = limitOf(o, format === 'table' ? Math.max(10, (process.stdout.rows ?? 40) - 5) : undefined);
    const def = tableByName(table)!;
    const names = format === 'table' ? TABLE_COLUMNS[table] : def.fields.map((f) => f.name).filter((n) => n !== 'ingest_id');
    const columns: OutputColumn[] = names.map((n) => ({
      name: n,
      kind: n === 'ts' ? 'time' : KINDS[n] ?? (['u8', 'u16', 'u32', 'u64', 'f64', 'i32'].includes(def.fields.find((f) => f.name === n)!.type) ? 'number' : 'text'),
    }));
    const store = await openStore(dbOf(o));
    try {
      await printStream(queryRecords(store, table, filter, limit), columns, format);
    } finally {
      await store.close();
    }
  });
  return cmd;
}
