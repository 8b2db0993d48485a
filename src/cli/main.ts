/**
 * The `nightjar` command line: explicit wiring of one module per command, and the single place where
 * errors become messages and exit codes.
 */
import { Command } from 'commander';
import { createRequire } from 'node:module';
import { captureCommand } from './capture.js';
import { collectCommand } from './collect.js';
import { conversationsCommand } from './conversations.js';
import { convertCommand } from './convert.js';
import { demoCommand } from './demo.js';
import { reportError } from './errors.js';
import { fieldsCommand } from './fields.js';
import { ingestCommand } from './ingest.js';
import { intelCommand } from './intel.js';
import { investigateCommand } from './investigate.js';
import { queryCommand } from './query.js';
import { siteCommands } from './site-commands.js';
import { installSiteFor } from './site-options.js';
import { sqlCommand } from './sql.js';
import { statsCommand } from './stats.js';
import { timelineCommand } from './timeline.js';
import { topCommand } from './top.js';
import { validateCommand } from './validate.js';

const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };

/** Builds the program (exported so tests can run commands in-process). */
export function buildProgram(): Command {
  const program = new Command('nightjar')
    .description(
      'Nightjar: network telemetry in one schema. Ingest Zeek, Suricata, packet captures, flow ' +
        'exports, firewall and cloud flow logs; ask who talked to whom, from where, how often, over ' +
        'what; investigate a suspicious host; check that egress and DNS filtering work.',
    )
    .version(pkg.version)
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `
Quick start:
  nightjar ingest /var/log/zeek/current/          load logs (format recognised from content)
  nightjar ingest capture.pcapng                  packets to connections and DNS
  nightjar stats                                  what the store holds
  nightjar top talkers --since 24h                busiest hosts
  nightjar query 'host 10.0.0.5 and not port 443' that host's connections (docs/query-language.md)
  nightjar investigate 10.0.0.5 --since 24h       evidence and a verdict: contain, monitor or no action
  nightjar demo                                   all of this on a recorded incident

The store is ./nightjar.duckdb unless --db or $NIGHTJAR_DB says otherwise; the site config
(zones, assets, resolvers) is ./nightjar.yaml unless --config or $NIGHTJAR_CONFIG says otherwise.`,
    );
  const commands = [
    ingestCommand(),
    captureCommand(),
    collectCommand(),
    statsCommand(),
    queryCommand(),
    topCommand(),
    conversationsCommand(),
    timelineCommand(),
    investigateCommand(),
    validateCommand(),
    sqlCommand(),
    convertCommand(),
    fieldsCommand(),
    intelCommand(),
    demoCommand(),
    ...siteCommands(),
  ];
  for (const c of commands) {
    // Usage errors exit 2 (as documented), help and version exit 0.
    c.exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2));
    program.addCommand(c);
  }
  program.exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2));
  program.hook('preAction', (_program, action) => installSiteFor(action));
  return program;
}

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    process.exitCode = reportError(err);
  });
