/** `nightjar geo`: load a MaxMind-format database, and look addresses up. */
import { Command } from 'commander';
import { openGeo } from '../enrich/geo.js';
import { installMmdb } from '../enrich/geo-mmdb.js';
import { normalAddress } from '../enrich/asset-address.js';
import { NightjarError } from '../model/errors.js';
import { dbOf, formatOf, withDb, withFormat, type CommonOpts } from './options.js';
import { printRows } from './print.js';

/** Registers the command and its subcommands. */
export function geoCommand(): Command {
  const cmd = new Command('geo').summary('country and ASN data: load a newer database, look addresses up');
  cmd.description(
    'Country and autonomous system of addresses. Built in: ip-location-db data (CC BY 4.0, see the README). ' +
      'A MaxMind-format database you load takes precedence for the answers it holds.',
  );
  const load = new Command('load')
    .summary('load a MaxMind-format database (.mmdb)')
    .description('Check a .mmdb file (GeoLite2/GeoIP2 Country, City or ASN, DB-IP, IPinfo, ...) and keep it beside the store, where it takes precedence over the built-in data. Run `nightjar enrich refresh` afterwards to update stored records.')
    .argument('<file>', 'the .mmdb file')
    .addHelpText('after', '\nExamples:\n  nightjar geo load GeoLite2-ASN.mmdb\n  nightjar geo load GeoLite2-Country.mmdb && nightjar enrich refresh');
  withDb(load);
  load.action((file: string, o: CommonOpts) => {
    const r = installMmdb(file, dbOf(o));
    process.stdout.write(`Loaded ${r.source.name} as the ${r.source.kind === 'both' ? 'country and ASN' : r.source.kind} database (${r.path}).\nRun \`nightjar enrich refresh\` to update the records already stored.\n`);
  });
  const lookup = new Command('lookup')
    .summary('country and ASN of addresses')
    .argument('<address...>', 'IPv4 or IPv6 addresses')
    .addHelpText('after', '\nExamples:\n  nightjar geo lookup 8.8.8.8 2606:4700:4700::1111\n  nightjar geo lookup 9.9.9.9 --format json');
  withDb(lookup);
  withFormat(lookup);
  lookup.action(async (addresses: string[], o: CommonOpts) => {
    const geo = await openGeo(dbOf(o));
    const rows = addresses.map((text) => {
      let address: string;
      try {
        address = normalAddress(text);
      } catch {
        throw new NightjarError('NJ_USAGE', `${text}: not an IP address (e.g. 8.8.8.8, 2001:db8::1)`);
      }
      return { address, ...geo.lookup(address), source: geo.name };
    });
    await printRows(rows, [{ name: 'address' }, { name: 'country' }, { name: 'asn', kind: 'number' }, { name: 'as_org', header: 'organisation' }, { name: 'source' }], formatOf(o));
  });
  cmd.addCommand(load);
  cmd.addCommand(lookup);
  return cmd;
}
