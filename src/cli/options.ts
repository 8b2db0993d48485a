/**
 * Options shared by the data commands (store location, output format, simple filters), declared once
 * and parsed once, so every command spells and checks them the same way.
 */
import { Command, Option } from 'commander';
import { isCommunityIdSeed } from '../model/community-id.js';
import { NightjarError } from '../model/errors.js';
import { checkHost, checkPort, type BasicFilter } from '../query/basic-filter.js';
import type { FlowSettings } from '../decode/decoder.js';
import type { RecordFilter } from '../query/filter/filter.js';
import { parseDuration, parseTimeRange } from '../query/time-range.js';
import { storeLocation } from '../store/open.js';
import type { OutputFormat } from './output/format.js';
import { withConfig } from './site-options.js';

/** Raw option values as commander gives them. */
export interface CommonOpts {
  db?: string;
  format?: string;
  since?: string;
  until?: string;
  host?: string[];
  port?: string[];
  proto?: string;
  limit?: string;
}

const FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;

/** Adds --db. */
export function withDb(cmd: Command): Command {
  return cmd.option('--db <path>', 'database file (default: $NIGHTJAR_DB or ./nightjar.duckdb)');
}

/** Adds --format. */
export function withFormat(cmd: Command): Command {
  return cmd.addOption(new Option('--format <format>', 'output format').choices([...FORMATS]).default('table'));
}

/** Adds the simple filter options. */
export function withFilter(cmd: Command): Command {
  return cmd
    .option('--since <time>', 'only records at or after this time: 30m, 2h, 7d, or an ISO time')
    .option('--until <time>', 'only records before this time (same forms as --since)')
    .option('--host <addr>', 'address or CIDR (IPv4 or IPv6) on either side (repeatable)', collect)
    .option('--port <port>', 'port on either side (repeatable)', collect)
    .option('--proto <proto>', 'transport: tcp, udp, icmp, icmp6, sctp or a number');
}

function collect(v: string, prev: string[] | undefined): string[] {
  return [...(prev ?? []), v];
}

/** The store location chosen by --db and the environment. */
export function dbOf(o: CommonOpts): string {
  return storeLocation(o.db);
}

/** The output format chosen. */
export function formatOf(o: CommonOpts): OutputFormat {
  return (o.format ?? 'table') as OutputFormat;
}

/** The filter described by the options. */
export function filterOf(o: CommonOpts): BasicFilter {
  return {
    range: parseTimeRange(o.since, o.until),
    hosts: o.host?.map(checkHost),
    ports: o.port?.map(checkPort),
    proto: o.proto,
  };
}

/** Parses --limit (a positive integer), or returns the fallback. */
export function limitOf(o: CommonOpts, fallback?: number): number | undefined {
  if (o.limit === undefined) return fallback;
  const n = Number(o.limit);
  if (!Number.isInteger(n) || n <= 0) throw new NightjarError('NJ_USAGE', `--limit ${o.limit}: give a positive whole number`);
  return n;
}

/** Raw flow-table option values as commander gives them. */
export interface FlowOpts {
  tcpTimeout?: string;
  udpTimeout?: string;
  icmpTimeout?: string;
  otherTimeout?: string;
  interim?: string;
  maxFlows?: string;
  communityIdSeed?: string;
}

/** Adds the flow-table options of commands that turn packets into connections. */
export function withFlowOptions(cmd: Command): Command {
  return cmd
    .option('--tcp-timeout <duration>', 'packet captures: TCP inactivity timeout (Zeek default 5m)')
    .option('--udp-timeout <duration>', 'packet captures: UDP inactivity timeout (Zeek default 1m)')
    .option('--icmp-timeout <duration>', 'packet captures: ICMP inactivity timeout (Zeek default 1m)')
    .option('--other-timeout <duration>', 'packet captures: inactivity timeout of other IP protocols (default 1m)')
    .option('--interim <duration>', 'packet captures: report long-lived connections this often (0: only at the end)')
    .option('--max-flows <n>', 'packet captures: connections held at once (default 1000000, at most 4000000)')
    .option('--community-id-seed <n>', 'seed of the Community IDs computed for records without one (0-65535, default 0; as Zeek and Suricata)');
}

/** The flow settings described by the options (absent ones keep the defaults). */
export function flowSettingsOf(o: FlowOpts): FlowSettings {
  const d = (v: string | undefined, flag: string) => (v === undefined ? undefined : parseDuration(v, flag));
  let maxFlows: number | undefined;
  if (o.maxFlows !== undefined) {
    maxFlows = Number(o.maxFlows);
    if (!Number.isInteger(maxFlows) || maxFlows < 1 || maxFlows > 4_000_000) {
      throw new NightjarError('NJ_USAGE', `--max-flows ${o.maxFlows}: give a whole number from 1 to 4000000`);
    }
  }
  let communityIdSeed: number | undefined;
  if (o.communityIdSeed !== undefined) {
    communityIdSeed = Number(o.communityIdSeed);
    if (o.communityIdSeed.trim() === '' || !isCommunityIdSeed(communityIdSeed)) {
      throw new NightjarError('NJ_USAGE', `--community-id-seed ${o.communityIdSeed}: give a whole number from 0 to 65535`);
    }
  }
  const s: Record<string, number | undefined> = {
    tcpInactivityTimeout: d(o.tcpTimeout, '--tcp-timeout'),
    udpInactivityTimeout: d(o.udpTimeout, '--udp-timeout'),
    icmpInactivityTimeout: d(o.icmpTimeout, '--icmp-timeout'),
    unknownIpInactivityTimeout: d(o.otherTimeout, '--other-timeout'),
    interimInterval: d(o.interim, '--interim'),
    maxFlows,
    communityIdSeed,
  };
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as FlowSettings;
}

/** Help for the positional FILTER argument of the query commands. */
export const FILTER_ARG = 'filter in the query language, e.g. "net 10.0.0.0/8 and port 53" (see docs/query-language.md)';

/** The simple filter options ANDed with the positional filter words. */
export function recordFilterOf(o: CommonOpts, words: readonly string[] | undefined): RecordFilter {
  const text = (words ?? []).join(' ').trim();
  return { ...filterOf(o), text: text === '' ? undefined : text };
}

/** Adds what every filtered data command takes: the simple filter options, --format and --db. */
export function withQueryOptions(cmd: Command): Command {
  return withConfig(withDb(withFormat(withFilter(cmd))));
}
