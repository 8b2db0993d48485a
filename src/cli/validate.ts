/**
 * `nightjar validate egress|dns-filter|visibility`: checks that controls do what the policy says,
 * and where Nightjar is blind. Exit codes: 0 pass, 1 fail, 2 usage. The CLI only parses options,
 * wires the dependencies (store, site model, enrichment) and renders; the checks are plain
 * functions in src/controls/.
 */
import { Command, Option } from 'commander';
import { loadBlocklist } from '../controls/blocklist.js';
import type { ValidationContext } from '../controls/context.js';
import { DEFAULT_SINKHOLES, validateDnsFilter } from '../controls/dns-filter.js';
import { loadEgressPolicy } from '../controls/egress-policy.js';
import { validateEgress } from '../controls/egress.js';
import { validateVisibility } from '../controls/visibility.js';
import { NightjarError } from '../model/errors.js';
import { parseTimeRange } from '../query/time-range.js';
import { openStore } from '../store/open.js';
import { raw } from '../store/sql.js';
import type { Store } from '../store/store.js';
import { dbOf, limitOf, withDb, type CommonOpts } from './options.js';
import { siteOf, withConfig } from './site-options.js';
import { egressSections, dnsFilterSections, visibilitySections } from './validate-sections.js';
import { printReport, REPORT_FORMATS, type ReportFormat } from './validate-render.js';

interface ValidateOpts extends CommonOpts {
  config?: string;
}

/**
 * Builds the validation context: the one place the site model and enrichment are wired in. Geo comes
 * from ip_info and DNS answers from the passive DNS table, both kept by the ingest hooks.
 */
async function contextFor(store: Store, o: ValidateOpts): Promise<ValidationContext> {
  return {
    store,
    site: siteOf(o, store.dialect),
    geo: { relationSql: () => raw('ip_info') },
    dnsAnswers: {
      answersSql: () =>
        raw(`(SELECT client, answer AS address, name, ts,
          ts + to_microseconds(CAST(coalesce(ttl, 3600) * 1000000 AS BIGINT)) AS expires FROM dns_answers)`),
    },
  };
}

function common(cmd: Command): Command {
  cmd
    .option('--since <time>', 'only records at or after this time: 30m, 2h, 7d, or an ISO time')
    .option('--until <time>', 'only records before this time (same forms as --since)')
    .option('-n, --limit <n>', 'rows per report section (default 100; counts are always complete)')
    .addOption(new Option('--format <format>', 'output format').choices([...REPORT_FORMATS]).default('table'));
  return withConfig(withDb(cmd));
}

async function run(o: ValidateOpts, work: (ctx: ValidationContext, base: { range: ReturnType<typeof parseTimeRange>; limit: number }) => Promise<'pass' | 'fail'>): Promise<void> {
  const range = parseTimeRange(o.since, o.until);
  const limit = limitOf(o, 100)!;
  const store = await openStore(dbOf(o));
  try {
    const status = await work(await contextFor(store, o), { range, limit });
    if (status === 'fail') process.exitCode = 1;
  } finally {
    await store.close();
  }
}

function egressCommand(): Command {
  const cmd = new Command('egress')
    .summary('check connections against an egress policy')
    .description(
      'Check what each zone reached outside the site against an egress policy (docs/controls.md): ' +
        'violations that got through (fail), attempts a firewall blocked, silent drops, rules never ' +
        'used and rules far broader than their use.',
    )
    .requiredOption('--policy <file>', 'egress policy (YAML)')
    .option('--broad-max <n>', 'flag a broad rule (any, country, wide CIDR) used for at most this many destinations', '10');
  common(cmd).addHelpText(
    'after',
    `
Examples:
  nightjar validate egress --policy egress.yaml --config nightjar.yaml --since 24h
  nightjar validate egress --policy egress.yaml --format md > egress-report.md`,
  );
  cmd.action(async (o: ValidateOpts & { policy: string; broadMax: string }) => {
    const broad = Number(o.broadMax);
    if (!Number.isInteger(broad) || broad < 0) throw new NightjarError('NJ_USAGE', `--broad-max ${o.broadMax}: give a whole number`);
    const policy = loadEgressPolicy(o.policy);
    await run(o, async (ctx, base) => {
      const report = await validateEgress(ctx, policy, { ...base, broadMaxDestinations: broad });
      await printReport(report, `egress policy ${policy.source}`, egressSections(report), o.format as ReportFormat);
      return report.verdict.status;
    });
  });
  return cmd;
}

function dnsFilterCommand(): Command {
  const cmd = new Command('dns-filter')
    .summary('check DNS filtering against a blocklist, and resolver bypass')
    .description(
      'Check that blocked domains were sinkholed or refused rather than answered and connected to, ' +
        'and find clients that bypass the sanctioned resolvers (plain DNS, DNS over TLS, DNS over HTTPS ' +
        'to public resolvers). The blocklist holds one domain per line, *.domain wildcards, # comments ' +
        'or hosts-file lines ("0.0.0.0 name").',
    )
    .requiredOption('--blocklist <file>', 'blocked domains')
    .option('--sinkhole <addr>', `an address the filter answers blocked names with (besides ${DEFAULT_SINKHOLES.join(', ')}; repeatable)`, (v: string, p: string[] = []) => [...p, v]);
  common(cmd).addHelpText(
    'after',
    `
Examples:
  nightjar validate dns-filter --blocklist blocked.txt --config nightjar.yaml --since 7d
  nightjar validate dns-filter --blocklist hosts --sinkhole 10.0.0.1 --format json`,
  );
  cmd.action(async (o: ValidateOpts & { blocklist: string; sinkhole?: string[] }) => {
    const blocklist = loadBlocklist(o.blocklist);
    await run(o, async (ctx, base) => {
      const report = await validateDnsFilter(ctx, blocklist, { ...base, sinkholes: o.sinkhole });
      await printReport(report, `DNS filter ${blocklist.source}`, dnsFilterSections(report), o.format as ReportFormat);
      return report.verdict.status;
    });
  });
  return cmd;
}

const DURATION = /^(\d+)\s*([smhdw])$/i;
const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

function visibilityCommand(): Command {
  const cmd = new Command('visibility')
    .summary('find zones without telemetry, silent sensors, gaps and one-way traffic')
    .description(
      'Report which zones and subnets have connection, DNS and firewall telemetry; sources silent ' +
        'longer than --silent-after before the newest record (not the wall clock, so old data works); ' +
        'gaps; connections seen one way only (a missing tap or asymmetric routing); flow-export loss.',
    )
    .option('--silent-after <duration>', 'silence that counts as a dead source or a gap: 30m, 1h, 1d', '1h')
    .option('--min-packets <n>', 'packets one side must send before silence from the other counts as one-way', '10');
  common(cmd).addHelpText(
    'after',
    `
Examples:
  nightjar validate visibility --config nightjar.yaml
  nightjar validate visibility --silent-after 15m --since 24h --format md`,
  );
  cmd.action(async (o: ValidateOpts & { silentAfter: string; minPackets: string }) => {
    const m = DURATION.exec(o.silentAfter.trim());
    if (!m || Number(m[1]) === 0) throw new NightjarError('NJ_USAGE', `--silent-after ${o.silentAfter}: give a duration such as 30m, 1h or 1d`);
    const minPackets = Number(o.minPackets);
    if (!Number.isInteger(minPackets) || minPackets < 1) throw new NightjarError('NJ_USAGE', `--min-packets ${o.minPackets}: give a positive whole number`);
    await run(o, async (ctx, base) => {
      const report = await validateVisibility(ctx, { ...base, silentAfterSeconds: Number(m[1]) * UNIT[m[2].toLowerCase()], minPackets });
      await printReport(report, 'visibility', visibilitySections(report), o.format as ReportFormat);
      return report.verdict.status;
    });
  });
  return cmd;
}

/** Registers `validate` and its three checks. */
export function validateCommand(): Command {
  const cmd = new Command('validate')
    .summary('check egress and DNS filtering against policy, and find blind spots')
    .description('Validate controls against what the telemetry shows. Exit code 0: pass; 1: fail; 2: bad usage.');
  for (const sub of [egressCommand(), dnsFilterCommand(), visibilityCommand()]) {
    sub.exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2));
    cmd.addCommand(sub);
  }
  return cmd;
}
