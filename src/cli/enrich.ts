/** `nightjar enrich refresh`: recompute stored address enrichment after a newer database is loaded. */
import { Command } from 'commander';
import { openGeo } from '../enrich/geo.js';
import { refreshIpInfo } from '../enrich/ip-info.js';
import { openStore } from '../store/open.js';
import { dbOf, formatOf, withDb, withFormat, type CommonOpts } from './options.js';
import { printRows } from './print.js';

/** Registers the command. */
export function enrichCommand(): Command {
  const cmd = new Command('enrich').summary('maintain stored enrichment');
  const refresh = new Command('refresh')
    .summary('recompute country and ASN of every stored address')
    .description('Look every address in the store up again (after `nightjar geo load`) and replace the ip_info table in one transaction. Zones, direction and assets need no refresh: they are applied when a question is asked.')
    .addHelpText('after', '\nExamples:\n  nightjar geo load GeoLite2-Country.mmdb && nightjar enrich refresh');
  withDb(refresh);
  withFormat(refresh);
  refresh.action(async (o: CommonOpts) => {
    const store = await openStore(dbOf(o));
    try {
      const r = await refreshIpInfo(store, await openGeo(dbOf(o)));
      await printRows([{ ...r }], [{ name: 'addresses', kind: 'number' }, { name: 'withCountry', header: 'with country', kind: 'number' }, { name: 'withAsn', header: 'with ASN', kind: 'number' }, { name: 'source' }], formatOf(o));
    } finally {
      await store.close();
    }
  });
  cmd.addCommand(refresh);
  return cmd;
}
