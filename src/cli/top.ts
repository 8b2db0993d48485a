/** `nightjar top`: the busiest talkers, destinations, ports or services, with a bar chart in a terminal. */
import { Command, Option } from 'commander';
import { NightjarError } from '../model/errors.js';
import { top, type TopMetric, type TopSubject } from '../query/questions.js';
import { isEnrichedTopSubject, topEnriched, type EnrichedTopSubject } from '../query/top-enriched.js';
import { openStore } from '../store/open.js';
import type { OutputColumn } from './output/format.js';
import { bar } from './output/sparkline.js';
import { type CommonOpts, dbOf, FILTER_ARG, formatOf, limitOf, recordFilterOf, withQueryOptions } from './options.js';
import { printRows } from './print.js';
import { siteOf, withConfig } from './site-options.js';

const SUBJECTS: Record<TopSubject | EnrichedTopSubject, { key: OutputColumn[]; extra: OutputColumn[]; measures?: OutputColumn[] }> = {
  talkers: {
    key: [{ name: 'host' }],
    extra: [{ name: 'bytes_sent', header: 'sent', kind: 'bytes' }, { name: 'bytes_received', header: 'received', kind: 'bytes' }, { name: 'peers', kind: 'number' }],
  },
  sources: { key: [{ name: 'host', header: 'source' }], extra: [{ name: 'peers', kind: 'number' }, { name: 'services' }] },
  destinations: { key: [{ name: 'host', header: 'destination' }], extra: [{ name: 'peers', kind: 'number' }, { name: 'services' }] },
  ports: { key: [{ name: 'port', kind: 'number' }, { name: 'proto' }], extra: [{ name: 'clients', kind: 'number' }, { name: 'servers', kind: 'number' }, { name: 'services' }] },
  services: { key: [{ name: 'service' }], extra: [{ name: 'clients', kind: 'number' }, { name: 'servers', kind: 'number' }] },
  countries: { key: [{ name: 'country' }], extra: [{ name: 'local_hosts', header: 'local hosts', kind: 'number' }, { name: 'remote_hosts', header: 'remote hosts', kind: 'number' }] },
  asns: { key: [{ name: 'asn', kind: 'number' }, { name: 'as_org', header: 'organisation' }], extra: [{ name: 'local_hosts', header: 'local hosts', kind: 'number' }, { name: 'remote_hosts', header: 'remote hosts', kind: 'number' }] },
  zones: { key: [{ name: 'orig_zone', header: 'from zone' }, { name: 'resp_zone', header: 'to zone' }, { name: 'direction' }], extra: [{ name: 'clients', kind: 'number' }, { name: 'servers', kind: 'number' }] },
  domains: { key: [{ name: 'domain' }], measures: [{ name: 'queries', kind: 'number' }], extra: [{ name: 'clients', kind: 'number' }, { name: 'answered', kind: 'number' }, { name: 'nxdomain_share', header: 'NXDOMAIN share', kind: 'number' }] },
};

/** Registers the command. */
export function topCommand(): Command {
  const cmd = new Command('top')
    .summary('rank talkers, destinations, ports or services')
    .description(
      'Rank what the connections show. talkers: hosts by traffic on either side; sources and ' +
        'destinations: by side; ports: server ports; services: application protocols; countries and ' +
        'asns: of the far end (ip_info); zones: zone pairs with direction (site config); domains: most ' +
        'queried DNS names with clients and NXDOMAIN share.',
    )
    .argument('<subject>', `one of ${Object.keys(SUBJECTS).join(', ')}`)
    .argument('[filter...]', FILTER_ARG)
    .addOption(new Option('--by <metric>', 'rank by').choices(['bytes', 'connections']).default('bytes'))
    .option('-n, --limit <n>', 'how many to show (default 10)');
  withQueryOptions(cmd);
  withConfig(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  nightjar top talkers
  nightjar top ports --by connections --since 24h
  nightjar top destinations --host 10.0.0.5 --format json
  nightjar top talkers 'net 10.1.0.0/16 and not port 53'
  nightjar top ports dst net 192.168.0.0/16 --by connections
  nightjar top countries --since 24h
  nightjar top domains --by connections`,
  );
  cmd.action(async (subject: string, words: string[], o: CommonOpts & { by: TopMetric; config?: string }) => {
    if (!(subject in SUBJECTS)) {
      throw new NightjarError('NJ_USAGE', `top ${subject}: unknown; use one of ${Object.keys(SUBJECTS).join(', ')}`);
    }
    const s = subject as TopSubject | EnrichedTopSubject;
    const format = formatOf(o);
    const store = await openStore(dbOf(o));
    try {
      const filter = recordFilterOf(o, words);
      const rows = isEnrichedTopSubject(s)
        ? await topEnriched(store, siteOf(o, store.dialect), s, o.by, filter, limitOf(o, 10))
        : await top(store, s, o.by, filter, limitOf(o, 10));
      const cols: OutputColumn[] = [
        ...SUBJECTS[s].key,
        ...(SUBJECTS[s].measures ?? [{ name: 'connections', kind: 'number' }, { name: 'bytes', kind: 'bytes' }]),
        ...SUBJECTS[s].extra,
      ];
      if (format === 'table' && rows.length > 0) {
        const metric = s === 'domains' ? 'queries' : o.by === 'bytes' ? 'bytes' : 'connections';
        const max = Math.max(...rows.map((r) => Number(r[metric]) || 0));
        for (const r of rows) r.share = bar(Number(r[metric]) || 0, max, 16);
        cols.push({ name: 'share', header: 'share' });
      }
      await printRows(rows, cols, format);
    } finally {
      await store.close();
    }
  });
  return cmd;
}
