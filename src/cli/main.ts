/**
 * The `nightjar` command line: explicit wiring of one module per command, and the single place where
 * errors become messages and exit codes.
 */
import { Command } from 'commander';
import { createRequire } from 'node:module';
import { reportError } from './errors.js';

/**
 * Every command, in help order, with the module defining it. Only the module of the command being run
 * is loaded (each pulls in its own part of Nightjar: loading all of them cost 0.6 CPU-s before any
 * work, 0.3 for `stats` alone); help, the version and an unknown name load them all.
 */
const COMMANDS: readonly (readonly [string, () => Promise<Command[]>])[] = [
  ['ingest', async () => [(await import('./ingest.js')).ingestCommand()]],
  ['capture', async () => [(await import('./capture.js')).captureCommand()]],
  ['collect', async () => [(await import('./collect.js')).collectCommand()]],
  ['stats', async () => [(await import('./stats.js')).statsCommand()]],
  ['query', async () => [(await import('./query.js')).queryCommand()]],
  ['top', async () => [(await import('./top.js')).topCommand()]],
  ['conversations', async () => [(await import('./conversations.js')).conversationsCommand()]],
  ['timeline', async () => [(await import('./timeline.js')).timelineCommand()]],
  ['investigate', async () => [(await import('./investigate.js')).investigateCommand()]],
  ['validate', async () => [(await import('./validate.js')).validateCommand()]],
  ['sql', async () => [(await import('./sql.js')).sqlCommand()]],
  ['convert', async () => [(await import('./convert.js')).convertCommand()]],
  ['fields', async () => [(await import('./fields.js')).fieldsCommand()]],
  ['intel', async () => [(await import('./intel.js')).intelCommand()]],
  ['demo', async () => [(await import('./demo.js')).demoCommand()]],
  ['host', async () => [(await import('./host.js')).hostCommand()]],
  ['check-config', async () => [(await import('./check-config.js')).checkConfigCommand()]],
  ['geo', async () => [(await import('./geo.js')).geoCommand()]],
  ['enrich', async () => [(await import('./enrich.js')).enrichCommand()]],
];

/** The commands to define for `args` (the arguments after the program's name): the one named, or all. */
async function commandsFor(args: readonly string[]): Promise<Command[]> {
  const named = args.find((a) => !a.startsWith('-'));
  const one = COMMANDS.find(([name]) => name === named);
  if (one !== undefined) return one[1]();
  if (named === undefined && args.some((a) => a === '--version' || a === '-V')) return [];
  return (await Promise.all(COMMANDS.map(([, load]) => load()))).flat();
}

const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };

/** Builds the program for `argv` (as process.argv: node, script, arguments); exported so tests can run commands in-process. */
export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
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
  const commands = await commandsFor(argv.slice(2));
  for (const c of commands) {
    // Usage errors exit 2 (as documented), help and version exit 0.
    c.exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2));
    program.addCommand(c);
  }
  program.exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2));
  program.hook('preAction', async (_program, action) => (await import('./site-options.js')).installSiteFor(action));
  return program;
}

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

buildProgram()
  .then((program) => program.parseAsync(process.argv))
  .catch((err: unknown) => {
    process.exitCode = reportError(err);
  });
