/** `nightjar query`: the records of one kind matching a filter, newest first; also written to Parquet. */
import { Command, Option } from 'commander';
import { NightjarError } from '../model/errors.js';
import { tableByName } from '../model/fields.js';
import { queryRecords, recordColumns, resolveTable, TYPE_ALIASES } from '../query/questions.js';
import { exportParquet } from '../query/record-export.js';
import { openStore } from '../store/open.js';
import type { OutputColumn, OutputFormat } from './output/format.js';
import { dbOf, FILTER_ARG, limitOf, recordFilterOf, withDb, withFilter, type CommonOpts } from './options.js';
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
    .summary('list records matching a filter')
    .description(
      'List stored records of one kind (connections by default), newest first, that match a filter in ' +
        'the query language and the --host/--port/--proto/--since/--until options (all ANDed). Tables show ' +
        'a screenful; json, ndjson and csv stream every matching record unless --limit is given; parquet ' +
        'writes them to --out.',
    )
    .argument('[filter...]', FILTER_ARG)
    .addOption(new Option('-t, --type <type>', 'record kind').choices(Object.keys(TYPE_ALIASES)).default('conn'))
    .option('-n, --limit <n>', 'at most this many records')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'ndjson', 'csv', 'parquet']).default('table'))
    .option('-o, --out <file>', 'file to write with --format parquet');
  withFilter(cmd);
  withDb(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  nightjar query host 10.0.0.5 and not port 443 --since 24h
  nightjar query 'dst net 10.0.0.0/8 and resp_p >= 1024 and service: ssl'
  nightjar query --type dns 'query: *.example.com and not rcode_name: NOERROR' --format ndjson
  nightjar query 'id.resp_p == 3389 or destination.port: 22' --format parquet --out remote.parquet
  nightjar query --host 10.0.0.0/8 --port 53 --proto udp --limit 100 --format csv > dns.csv

Quote the filter when it holds characters your shell treats specially (*, ?, !, <, >, parentheses).`,
  );
  cmd.action(async (words: string[], o: CommonOpts & { type: string; out?: string }) => {
    const table = resolveTable(o.type);
    const format = (o.format ?? 'table') as OutputFormat | 'parquet';
    const filter = recordFilterOf(o, words);
    if (format !== 'parquet' && o.out !== undefined) throw new NightjarError('NJ_USAGE', '--out goes with --format parquet');
    const store = await openStore(dbOf(o));
    try {
      if (format === 'parquet') {
        if (o.out === undefined) throw new NightjarError('NJ_USAGE', '--format parquet needs --out FILE');
        const n = await exportParquet(store, table, filter, o.out, limitOf(o));
        process.stderr.write(`wrote ${n} ${table} records to ${o.out}\n`);
        return;
      }
      const limit = limitOf(o, format === 'table' ? Math.max(10, (process.stdout.rows ?? 40) - 5) : undefined);
      const def = tableByName(table)!;
      const names = format === 'table' ? TABLE_COLUMNS[table] : recordColumns(table);
      const columns: OutputColumn[] = names.map((n) => ({
        name: n,
        kind: n === 'ts' ? 'time' : KINDS[n] ?? (['u8', 'u16', 'u32', 'u64', 'f64', 'i32'].includes(def.fields.find((f) => f.name === n)!.type) ? 'number' : 'text'),
      }));
      await printStream(queryRecords(store, table, filter, limit), columns, format);
    } finally {
      await store.close();
    }
  });
  return cmd;
}
