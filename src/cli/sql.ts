/** `nightjar sql`: one read-only SQL statement for power users. */
import { Command } from 'commander';
import { readOnlyQuery } from '../query/read-only-sql.js';
import { openStore } from '../store/open.js';
import { dbOf, formatOf, limitOf, withDb, withFormat, type CommonOpts } from './options.js';
import { printRows } from './print.js';

/** Registers the command. */
export function sqlCommand(): Command {
  const cmd = new Command('sql')
    .summary('run one read-only SQL statement')
    .description(
      'Run one SELECT (or EXPLAIN) statement against the store, with file and network access switched ' +
        'off. Tables: connections, dns, firewall, findings, metadata, ingests (nightjar fields lists the columns).',
    )
    .argument('<statement>', 'the SELECT statement (quote it)')
    .option('-n, --limit <n>', 'print at most this many rows');
  withFormat(cmd);
  withDb(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  nightjar sql "SELECT resp_p, count(*) AS n FROM connections GROUP BY 1 ORDER BY n DESC LIMIT 10"
  nightjar sql "SELECT query, count(DISTINCT orig_h) AS clients FROM dns GROUP BY 1 ORDER BY 2 DESC" --format csv`,
  );
  cmd.action(async (statement: string, o: CommonOpts) => {
    const format = formatOf(o);
    const store = await openStore(dbOf(o));
    try {
      const all = await readOnlyQuery(store, statement);
      const limit = limitOf(o, format === 'table' ? Math.max(10, (process.stdout.rows ?? 40) - 5) : undefined);
      const rows = limit === undefined ? all : all.slice(0, limit);
      const names = all.length > 0 ? Object.keys(all[0]) : [];
      await printRows(rows, names.map((name) => ({ name })), format);
      if (format === 'table' && rows.length < all.length) process.stderr.write(`(${all.length - rows.length} more rows; --limit or --format csv for all)\n`);
    } finally {
      await store.close();
    }
  });
  return cmd;
}
