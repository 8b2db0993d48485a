/** `nightjar host ADDRESS`: the profile of one address, as sections in a terminal or one JSON object. */
import { Command, Option } from 'commander';
import { openGeo } from '../enrich/geo.js';
import { NightjarError } from '../model/errors.js';
import { hostProfile, type HostProfile } from '../query/host-profile.js';
import { parseTimeRange } from '../query/time-range.js';
import { openStore } from '../store/open.js';
import { humanBytes, humanCount } from './output/humanize.js';
import { sparkline } from './output/sparkline.js';
import { dbOf, withDb, type CommonOpts } from './options.js';
import { printRows } from './print.js';
import { siteOf, withConfig } from './site-options.js';

/** Registers the command. */
export function hostCommand(): Command {
  const cmd = new Command('host')
    .summary('profile one address: names, zone, asset, peers, services, volume')
    .description(
      'Everything the store and the site config say about one address: its names (asset inventory, DNS ' +
        'answers, PTR), zone, subnet, asset record, country and AS, first and last seen, top peers, ' +
        'services used and offered, and its traffic over time.',
    )
    .argument('<address>', 'IPv4 or IPv6 address')
    .option('--since <time>', 'only records at or after this time: 30m, 2h, 7d, or an ISO time')
    .option('--until <time>', 'only records before this time (same forms as --since)')
    .option('-n, --limit <n>', 'peers and services listed (default 10)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'));
  withDb(cmd);
  withConfig(cmd);
  cmd.addHelpText('after', '\nExamples:\n  nightjar host 10.0.0.5\n  nightjar host 10.0.0.5 --since 24h --limit 20\n  nightjar host 2001:db8::5 --format json');
  cmd.action(async (address: string, o: CommonOpts & { config?: string }) => {
    const limit = o.limit === undefined ? 10 : Number(o.limit);
    if (!Number.isInteger(limit) || limit <= 0) throw new NightjarError('NJ_USAGE', `--limit ${o.limit}: give a positive whole number`);
    const range = parseTimeRange(o.since, o.until);
    const store = await openStore(dbOf(o));
    try {
      const p = await hostProfile(store, siteOf(o, store.dialect), address, range, { limit, geo: await openGeo(dbOf(o)) });
      if (o.format === 'json') process.stdout.write(JSON.stringify(p, null, 2) + '\n');
      else await printProfile(p);
    } finally {
      await store.close();
    }
  });
  return cmd;
}

function line(label: string, value: string | null | undefined): string {
  return `  ${label.padEnd(12)} ${value === null || value === undefined || value === '' ? '-' : value}\n`;
}

async function printProfile(p: HostProfile): Promise<void> {
  const out = process.stdout;
  const names = [p.names.asset, ...p.names.dns.map((d) => d.name), ...p.names.ptr].filter((n): n is string => n !== null);
  out.write(`Host ${p.address}${names.length ? ` (${[...new Set(names)].slice(0, 3).join(', ')})` : ''}\n`);
  out.write(line('zone', p.zone === null ? 'none (external)' : `${p.zone}${p.internal ? ' (internal)' : ' (not internal)'}`));
  out.write(line('subnet', p.subnet?.name));
  if (p.asset) {
    const a = p.asset;
    out.write(line('asset', [a.hostname, a.role, a.owner && `owner ${a.owner}`, a.criticality && `criticality ${a.criticality}`, a.tags.length ? `tags ${a.tags.join(',')}` : null].filter(Boolean).join(', ')));
  }
  out.write(line('location', [p.geo.country, p.geo.asn !== null ? `AS${p.geo.asn}` : null, p.geo.as_org].filter(Boolean).join(' ')));
  out.write(line('DNS names', p.names.dns.map((d) => d.name).join(', ')));
  out.write(line('PTR', p.names.ptr.join(', ')));
  out.write(line('seen', p.first_seen ? `${p.first_seen} to ${p.last_seen}` : 'never, in this store and range'));
  const t = p.totals;
  out.write(line('traffic', `${humanCount(t.as_client)} connections as client, ${humanCount(t.as_server)} as server; sent ${humanBytes(t.bytes_sent)}, received ${humanBytes(t.bytes_received)}; ${humanCount(t.dns_queries)} DNS queries`));
  if (p.volume.buckets.length > 0) {
    const counts = p.volume.buckets.map((b) => b.connections);
    out.write(line('volume', `${sparkline(counts, Math.min(counts.length, 60))}  ${p.volume.buckets.length} x ${p.volume.interval_seconds}s from ${p.volume.buckets[0].start}, peak ${Math.max(...counts)} connections`));
  }
  if (p.peers.length > 0) {
    out.write('\nPeers\n');
    await printRows(p.peers.map((x) => ({ ...x })), [
      { name: 'address', header: 'peer' }, { name: 'asset' }, { name: 'zone' }, { name: 'country' }, { name: 'asn', header: 'AS', kind: 'number' },
      { name: 'as_org', header: 'organisation' }, { name: 'connections', kind: 'number' }, { name: 'bytes', kind: 'bytes' }, { name: 'services' },
    ], 'table');
  }
  for (const [title, rows, hosts] of [['Services used (as client)', p.services_used, 'servers'], ['Services offered (as server)', p.services_offered, 'clients']] as const) {
    if (rows.length === 0) continue;
    out.write(`\n${title}\n`);
    await printRows(rows.map((x) => ({ ...x })), [
      { name: 'service' }, { name: 'port', kind: 'number' }, { name: 'proto' }, { name: 'connections', kind: 'number' }, { name: 'bytes', kind: 'bytes' }, { name: 'hosts', header: hosts, kind: 'number' },
    ], 'table');
  }
}
