/**
 * `nightjar collect`: the always-on flow collector. Parses options into a collector configuration,
 * opens the store, starts the collector, and on SIGINT/SIGTERM stops it (everything it accepted is
 * committed) and prints what it did.
 */
import { Command } from 'commander';
import { Collector } from '../collector/collector.js';
import { collectorConfig } from '../collector/config.js';
import type { CollectorSummary } from '../collector/summary.js';
import { NightjarError } from '../model/errors.js';
import { openStore } from '../store/open.js';
import { dbOf, withDb, type CommonOpts } from './options.js';

interface CollectOpts extends CommonOpts {
  bind: string;
  netflowPort: string;
  ipfixPort: string;
  sflowPort: string;
  syslogUdp: string;
  syslogTcp: string;
  metrics: string;
  flushEvery: string;
  flushRows: string;
  queue: string;
  templateFile?: string;
  sensor?: string;
  communityIdSeed?: string;
}

function int(flag: string, v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n)) throw new NightjarError('NJ_USAGE', `${flag} ${v}: give a whole number`);
  return n;
}

/** `--metrics ADDR:PORT`, `PORT` or `off` as the config's metrics listener. */
export function metricsListener(v: string, bind = '127.0.0.1'): { address: string; port: number } | null {
  if (v === 'off' || v === '0') return null;
  const m = /^(?:\[?([0-9a-fA-F:.]+?)\]?:)?(\d+)$/.exec(v);
  if (!m) throw new NightjarError('NJ_USAGE', `--metrics ${v}: give ADDRESS:PORT, PORT or off`);
  return { address: m[1] ?? bind, port: int('--metrics', m[2]) };
}

/** The collector configuration the options describe. */
export function collectConfigOf(o: CollectOpts): ReturnType<typeof collectorConfig> {
  const db = dbOf(o);
  const every = Number(o.flushEvery);
  if (!(every > 0)) throw new NightjarError('NJ_USAGE', `--flush-every ${o.flushEvery}: give a number of seconds`);
  return collectorConfig({
    bind: o.bind,
    netflowPort: int('--netflow-port', o.netflowPort),
    ipfixPort: int('--ipfix-port', o.ipfixPort),
    sflowPort: int('--sflow-port', o.sflowPort),
    syslogUdpPort: int('--syslog-udp', o.syslogUdp),
    syslogTcpPort: int('--syslog-tcp', o.syslogTcp),
    metrics: metricsListener(o.metrics),
    flushEveryMs: Math.round(every * 1000),
    flushRows: int('--flush-rows', o.flushRows),
    queueDatagrams: int('--queue', o.queue),
    templateFile: o.templateFile === 'none' ? null : (o.templateFile ?? (db === ':memory:' ? null : `${db}.templates.json`)),
    sensor: o.sensor ?? null,
    communityIdSeed: o.communityIdSeed === undefined ? 0 : Number(o.communityIdSeed),
  });
}

function printSummary(s: CollectorSummary, ingestId: number): void {
  const lost = s.exporters.reduce((a, e) => a + e.lost_records, 0);
  process.stdout.write(
    `collected ${s.received} datagrams: ${s.flows} flows, ${s.committed} rows stored as ingest #${ingestId} in ${s.commits} commits; ` +
      `${s.dropped} dropped, ${lost + s.sflow_lost_samples} lost by the network (sequence gaps)\n`,
  );
  for (const [reason, n] of Object.entries(s.dropped_by_reason)) process.stdout.write(`  dropped ${reason}: ${n}\n`);
}

/** Registers the command. */
export function collectCommand(): Command {
  const cmd = new Command('collect')
    .summary('receive NetFlow/IPFIX, sFlow and syslog into the store')
    .description(
      'Listen for NetFlow v5/v9, IPFIX and sFlow v5 datagrams, decode them and commit them to the store every ' +
        'few seconds (or every --flush-rows rows). Prometheus metrics and a health check are served over HTTP. ' +
        'Template state is kept beside the store, so a restart decodes data that arrives before exporters ' +
        'resend their templates. Syslog (UDP and TCP, off by default) goes to the firewall decoder that ' +
        'recognises each message; other messages are kept raw in metadata (log syslog). Stop with Ctrl-C or SIGTERM: everything received is stored before Nightjar exits. ' +
        'A port of 0 turns that listener off.',
    )
    .option('--bind <address>', 'address the listeners bind', '127.0.0.1')
    .option('--netflow-port <port>', 'UDP port for NetFlow v5/v9 (and IPFIX)', '2055')
    .option('--ipfix-port <port>', 'UDP port for IPFIX (and NetFlow)', '4739')
    .option('--sflow-port <port>', 'UDP port for sFlow v5', '6343')
    .option('--syslog-udp <port>', 'UDP port for syslog (RFC 3164/5424); off unless given', '0')
    .option('--syslog-tcp <port>', 'TCP port for syslog (newline or octet-counting framing); off unless given', '0')
    .option('--metrics <addr:port|off>', 'HTTP listener for /metrics and /health', '127.0.0.1:9464')
    .option('--flush-every <seconds>', 'commit at least this often', '2')
    .option('--flush-rows <rows>', 'commit when this many rows wait', '200000')
    .option('--queue <datagrams>', 'datagrams waiting to be decoded before new ones are dropped', '16384')
    .option('--template-file <path|none>', 'where templates persist (default: <db>.templates.json)')
    .option('--sensor <name>', 'sensor name on every row (default: the exporter address)')
    .option('--community-id-seed <n>', 'seed of the flows\' Community IDs (0-65535, default 0; as Zeek and Suricata)')
    .addHelpText(
      'after',
      '\nExamples:\n  nightjar collect\n  nightjar collect --bind 0.0.0.0 --netflow-port 9995 --sflow-port 0\n' +
        '  nightjar collect --syslog-udp 5514 --syslog-tcp 5514\n' +
        '  nightjar collect --metrics 127.0.0.1:9100 --flush-every 5\n  curl -s 127.0.0.1:9464/metrics | grep nightjar_collector_',
    );
  withDb(cmd);
  cmd.action(async (o: CollectOpts) => {
    const config = collectConfigOf(o);
    const store = await openStore(dbOf(o));
    try {
      const log = (line: string): void => void process.stderr.write(`nightjar: ${line}\n`);
      const collector = await Collector.start(config, { store, log });
      const p = collector.ports;
      const on = Object.entries(p).filter(([k, v]) => v > 0 && k !== 'metrics').map(([k, v]) => `${k} ${k === 'syslog_tcp' ? 'tcp' : 'udp'} ${config.bind}:${v}`);
      log(`collecting on ${on.join(', ') || 'no listener'}${p.metrics ? `; metrics on http://${config.metrics!.address}:${p.metrics}/metrics` : ''}`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          log('stopping: storing everything received...');
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      printSummary(await collector.stop(), collector.ingestId);
    } finally {
      await store.close();
    }
  });
  return cmd;
}
