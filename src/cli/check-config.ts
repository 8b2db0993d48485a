/** `nightjar check-config`: validates the site config and summarises it, or lists every problem (exit 2). */
import { Command } from 'commander';
import { loadSiteConfig } from '../enrich/site-config.js';
import { siteSummary } from '../enrich/site-summary.js';
import { formatOf, withFormat, type CommonOpts } from './options.js';
import { printRows } from './print.js';

/** Registers the command. */
export function checkConfigCommand(): Command {
  const cmd = new Command('check-config')
    .summary('validate nightjar.yaml and summarise it')
    .description(
      'Validate the site config (zones, subnets, assets and their CSV, sanctioned resolvers, sensors, ' +
        'enrichment settings) and print what it defines, or every problem with its file and line.',
    )
    .argument('[path]', 'config file (default: $NIGHTJAR_CONFIG, else ./nightjar.yaml, else built-in defaults)')
    .addHelpText('after', '\nExamples:\n  nightjar check-config\n  nightjar check-config site/nightjar.yaml --format json');
  withFormat(cmd);
  cmd.action(async (file: string | undefined, o: CommonOpts) => {
    const s = siteSummary(loadSiteConfig(file));
    const format = formatOf(o);
    if (format === 'json') {
      process.stdout.write(JSON.stringify(s, null, 2) + '\n');
      return;
    }
    const zones = s.zones.map((z) => ({ zone: z.name, internal: z.internal, networks: z.networks.join(' ') }));
    if (format === 'table') {
      process.stdout.write(
        `${s.source ?? 'No site config found; built-in defaults'}: ${s.zones.length} zone(s), ${s.subnets} subnet(s), ` +
          `${s.assets} asset(s), ${s.sensors} sensor(s), sanctioned resolvers: ${s.sanctioned_resolvers.join(', ') || 'none'}\n\n`,
      );
    }
    await printRows(zones, [{ name: 'zone' }, { name: 'internal' }, { name: 'networks' }], format);
  });
  return cmd;
}
