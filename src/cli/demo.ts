/**
 * `nightjar demo`: the reference workflow on a recorded incident, in one command. It loads the bundled
 * recording (a packet capture and the firewall's log, demo/incident/), reads its site config, and runs
 * the investigation of the workstation an alert named, then the same for a clean workstation, so a
 * fresh clone shows what Nightjar is for.
 */
import { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installEnrichmentFields } from '../enrich/catalog-setup.js';
import { createSite } from '../enrich/site.js';
import { loadSiteConfig } from '../enrich/site-config.js';
import { investigationContext } from '../investigate/wiring.js';
import { investigate } from '../investigate/investigate.js';
import { renderTerminal } from '../investigate/render/terminal.js';
import { NightjarError } from '../model/errors.js';
import { ingest } from '../pipeline/ingest.js';
import { parseTime } from '../query/time-range.js';
import { openStore } from '../store/open.js';
import { formatIngestReport, ingestExitCode } from './ingest.js';
import { dbOf, withDb, type CommonOpts } from './options.js';

/** Where the recorded incident lives (relative to the compiled file: dist/src/cli). */
export const DEMO_INCIDENT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../demo/incident');

/** The alert that starts the demo: the host it names and when it fired (the recording's T1). */
interface DemoAlert {
  readonly host: string;
  readonly clean: string;
  readonly since: string;
  readonly until: string;
}

function demoAlert(dir: string): DemoAlert {
  const file = path.join(dir, 'ground-truth.json');
  let phases: { t1_compromise?: string; t2_end?: string };
  try {
    phases = (JSON.parse(fs.readFileSync(file, 'utf8')) as { phases: typeof phases }).phases;
  } catch (err) {
    throw new NightjarError('NJ_INPUT_UNREADABLE', `cannot read the demo's ground truth ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (!phases.t1_compromise || !phases.t2_end) throw new NightjarError('NJ_INPUT_UNREADABLE', `${file} gives no phases.t1_compromise / t2_end`);
  // The period ends a minute after the recording, so connections still open at its end count.
  const until = new Date(parseTime(phases.t2_end) / 1000 + 60_000).toISOString();
  return { host: 'ws-bob', clean: 'ws-alice', since: phases.t1_compromise, until };
}

/** Registers the command. */
export function demoCommand(): Command {
  const cmd = new Command('demo')
    .summary('investigate the bundled recorded incident')
    .description(
      'Load the bundled recorded incident (demo/incident: a packet capture and the firewall log of a ' +
        'small site in which one workstation beacons, scans and uploads; see demo/incident/README.md), ' +
        'then investigate the workstation an alert named and a clean one. Running it again is ' +
        'harmless: inputs are not loaded twice.',
    );
  withDb(cmd);
  cmd.action(async (o: CommonOpts) => {
    const alert = demoAlert(DEMO_INCIDENT);
    const configFile = path.join(DEMO_INCIDENT, 'nightjar.yaml');
    const config = loadSiteConfig(configFile);
    const store = await openStore(dbOf(o));
    try {
      const data = path.join(DEMO_INCIDENT, 'data');
      // The IPFIX export (data/flows.pcap) describes the same traffic as the capture: loading both
      // would count every connection twice, so the demo takes the capture.
      const inputs = [path.join(data, 'capture.pcap'), path.join(data, 'firewall.log')];
      process.stdout.write(`Loading the recorded incident from ${data} into ${store.location}\n\n`);
      const report = await ingest(store, inputs);
      process.stdout.write(formatIngestReport(report));
      const site = createSite(config, store.dialect);
      installEnrichmentFields(site, config, store.dialect);
      const ctx = investigationContext(store, site, { validity: 'ttl', windowSeconds: config.enrichment.passive_dns_window_seconds });
      const range = { since: parseTime(alert.since), until: parseTime(alert.until) };
      const width = process.stdout.isTTY ? process.stdout.columns : 100;
      const color = process.stdout.isTTY === true;
      process.stdout.write(
        `\nAn alert at ${alert.since} named ${alert.host}. Investigating it from then on, with the ` +
          `recording before it as the baseline (site config ${path.relative(process.cwd(), configFile)}):\n\n`,
      );
      const bad = await investigate(ctx, alert.host, range, { baselineDays: 7 });
      process.stdout.write(renderTerminal(bad, { width, color }));
      const clean = await investigate(ctx, alert.clean, range, { baselineDays: 7 });
      process.stdout.write(
        `\nFor comparison, ${alert.clean} over the same period: ${clean.verdict.decision.replace('_', ' ').toUpperCase()} ` +
          `(score ${clean.verdict.score}, ${clean.summary.connections} connections, ${clean.summary.external_destinations} external destinations)\n`,
      );
      const rel = (p: string) => path.relative(process.cwd(), path.join(DEMO_INCIDENT, p));
      const cfg = `--config ${rel('nightjar.yaml')}`;
      process.stdout.write(
        '\nTry next:\n' +
          `  bin/nightjar.js investigate ${alert.host} ${cfg} --since ${alert.since} --until ${alert.until} --format html --out ${alert.host}.html\n` +
          `  bin/nightjar.js validate egress --policy ${rel('egress.yaml')} ${cfg}\n` +
          `  bin/nightjar.js validate dns-filter --blocklist ${rel('blocklist.txt')} ${cfg}\n` +
          `  bin/nightjar.js conversations 'src ${bad.identity.addresses[0] ?? alert.host}' ${cfg}\n` +
          `  bin/nightjar.js query 'resp_name: c2.* or resp_p == 8080' ${cfg} --format ndjson\n`,
      );
      process.exitCode = ingestExitCode(report);
    } finally {
      await store.close();
    }
  });
  return cmd;
}
