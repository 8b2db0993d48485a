/**
 * `nightjar capture`: live capture from an interface through tcpdump (or dumpcap), decoded as it
 * arrives and committed every few seconds; SIGINT or SIGTERM stops the tool, and everything it
 * captured is decoded, flushed and committed before Nightjar exits.
 */
import { spawn, spawnSync } from 'node:child_process';
import { Command } from 'commander';
import { NightjarError } from '../model/errors.js';
import { ingestLive } from '../pipeline/live.js';
import { openLiveStream } from '../sources/file-input.js';
import { openStore } from '../store/open.js';
import { dbOf, withDb, type CommonOpts } from './options.js';

interface CaptureOpts extends CommonOpts {
  interface: string;
  filter?: string;
  commitEvery: string;
  sensor?: string;
  snaplen: string;
}

function has(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

/** The capture tool's command line: pcap on stdout, packet-buffered so nothing waits in its buffers. */
export function captureCommandLine(iface: string, filter: string | undefined, snaplen: number): [string, string[]] {
  if (has('tcpdump')) {
    return ['tcpdump', ['-i', iface, '-U', '-n', '-s', String(snaplen), '-w', '-', ...(filter ? [filter] : [])]];
  }
  if (has('dumpcap')) {
    return ['dumpcap', ['-i', iface, '-q', '-P', '-s', String(snaplen), '-w', '-', ...(filter ? ['-f', filter] : [])]];
  }
  throw new NightjarError('NJ_USAGE', 'live capture needs tcpdump or dumpcap: install one (apt-get install tcpdump)');
}

/** Registers the command. */
export function captureCommand(): Command {
  const cmd = new Command('capture')
    .summary('capture live traffic into the store')
    .description(
      'Capture from an interface with tcpdump (or dumpcap), turn packets into connections and DNS ' +
        'transactions as they arrive, and commit them every few seconds. Stop with Ctrl-C (or SIGTERM): ' +
        'everything already captured is still decoded and stored before Nightjar exits.',
    )
    .requiredOption('-i, --interface <name>', 'interface to capture on (as tcpdump -i takes it)')
    .option('--filter <bpf>', 'BPF capture filter, as for tcpdump (e.g. "not port 22")')
    .option('--commit-every <seconds>', 'commit at least this often', '5')
    .option('--snaplen <bytes>', 'bytes kept per packet', '262144')
    .option('--sensor <name>', 'sensor name recorded on every row')
    .addHelpText('after', '\nExamples:\n  nightjar capture -i eth0 --filter "not port 22"\n  nightjar capture -i any --commit-every 2 --sensor dmz-tap');
  withDb(cmd);
  cmd.action(async (o: CaptureOpts) => {
    const every = Number(o.commitEvery);
    if (!(every > 0)) throw new NightjarError('NJ_USAGE', `--commit-every ${o.commitEvery}: give a number of seconds`);
    const [tool, args] = captureCommandLine(o.interface, o.filter, Number(o.snaplen) || 262144);
    const store = await openStore(dbOf(o));
    const child = spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let toolErr = '';
    child.stderr.on('data', (c: Buffer) => (toolErr = (toolErr + c.toString()).slice(-2000)));
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      process.stderr.write('\nnightjar: stopping capture; storing what was captured...\n');
      child.kill('SIGTERM');
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    try {
      const result = await ingestLive(store, await openLiveStream(`${tool}:${o.interface}`, child.stdout), {
        sensor: o.sensor ?? null,
        commitEveryMs: every * 1000,
        onCommit: (n) => {
          if (process.stderr.isTTY) process.stderr.write(`\r${n} records stored`);
        },
      });
      const exit = await new Promise<number | null>((resolve) => {
        if (child.exitCode !== null) resolve(child.exitCode);
        else child.on('exit', (code) => resolve(code));
      });
      if (result.ingestId === null) {
        throw new NightjarError('NJ_INPUT_UNREADABLE', `${tool} produced no capture: ${toolErr.trim() || result.message || `exit ${exit}`}`);
      }
      process.stdout.write(
        `${process.stderr.isTTY ? '\n' : ''}captured on ${o.interface}: ${result.records} records stored as ingest #${result.ingestId} in ${result.commits} commits\n`,
      );
      if (!stopping && exit !== 0) {
        process.stderr.write(`nightjar: ${tool} ended: ${toolErr.trim().split('\n').pop() ?? `exit ${exit}`}\n`);
        process.exitCode = 1;
      }
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (child.exitCode === null) child.kill('SIGTERM');
      await store.close();
    }
  });
  return cmd;
}
