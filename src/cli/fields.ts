/** `nightjar fields`: the field registry, so users can see every stored field with its Zeek and ECS names. */
import { Command } from 'commander';
import { EVENT_TABLES } from '../model/fields.js';
import { formatOf, withFormat, type CommonOpts } from './options.js';
import { printRows } from './print.js';

/** Registers the command. */
export function fieldsCommand(): Command {
  const cmd = new Command('fields')
    .summary('list every stored field')
    .description('List the fields of each record kind with their type, meaning, and Zeek and ECS names.')
    .argument('[table]', 'only this table (connections, dns, firewall, findings, metadata)');
  withFormat(cmd);
  cmd.action(async (table: string | undefined, o: CommonOpts) => {
    const rows = EVENT_TABLES.filter((t) => !table || t.name === table).flatMap((t) =>
      t.fields.map((f) => ({ table: t.name, field: f.name, type: f.type, zeek: f.zeek ?? null, ecs: f.ecs ?? null, meaning: f.meaning })),
    );
    await printRows(rows, [{ name: 'table' }, { name: 'field' }, { name: 'type' }, { name: 'zeek' }, { name: 'ecs' }, { name: 'meaning' }], formatOf(o));
  });
  return cmd;
}
