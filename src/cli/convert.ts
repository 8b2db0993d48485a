/**
 * `nightjar convert`: decodes inputs (captures, logs) and writes Zeek-format conn.log and dns.log
 * instead of storing them, so Nightjar's results can feed zeek-cut, RITA or any Zeek-aware tool.
 */
import { Command, Option } from 'commander';
import fs from 'node:fs';
import { DECODERS } from '../pipeline/registry.js';
import { CONNECTIONS, DNS } from '../model/fields.js';
import { NightjarError } from '../model/errors.js';
import { ZeekLogWriter, type ZeekFlavour } from '../export/zeek-writer.js';
import { decodeInput, sniffInput } from '../pipeline/decode-input.js';
import { InlineDecoder } from '../pipeline/inline-decoder.js';
import { expandInputs } from '../sources/expand-inputs.js';
import { openInput } from '../sources/file-input.js';
import { flowSettingsOf, withFlowOptions, type FlowOpts } from './options.js';

interface ConvertOpts extends FlowOpts {
  to: 'zeek' | 'json';
  out: string;
  format?: string;
}

/** Registers the command. */
export function convertCommand(): Command {
  const cmd = new Command('convert')
    .summary('write Zeek conn.log and dns.log from captures or logs')
    .description(
      'Decode inputs as ingest would, but write the connections and DNS transactions as Zeek logs ' +
        '(TSV with Zeek headers, readable by zeek-cut; or Zeek JSON lines) into a directory.',
    )
    .argument('<inputs...>', 'files, directories, glob patterns, or - for standard input')
    .addOption(new Option('--to <kind>', 'output flavour').choices(['zeek', 'json']).default('zeek'))
    .requiredOption('--out <dir>', 'directory to write conn.log and dns.log into (created if needed)')
    .option('--format <name>', `force an input format: ${[...DECODERS.keys()].join(', ')}`)
    .addHelpText(
      'after',
      `
Examples:
  nightjar convert capture.pcap --to zeek --out zeek-logs/ && zeek-cut id.orig_h service < zeek-logs/conn.log
  nightjar convert eve.json --to json --out out/`,
    );
  withFlowOptions(cmd);
  cmd.action(async (inputs: string[], o: ConvertOpts) => {
    if (o.format !== undefined && !DECODERS.has(o.format)) throw new NightjarError('NJ_USAGE', `unknown format ${o.format}`);
    fs.mkdirSync(o.out, { recursive: true });
    const flavour: ZeekFlavour = o.to === 'json' ? 'json' : 'tsv';
    const writers = new Map<string, ZeekLogWriter>();
    const writerFor = (table: string): ZeekLogWriter | null => {
      if (table !== CONNECTIONS.name && table !== DNS.name) return null;
      let w = writers.get(table);
      if (!w) writers.set(table, (w = new ZeekLogWriter(o.out, table, flavour)));
      return w;
    };
    const { inputs: refs, problems } = expandInputs(inputs);
    for (const p of problems) process.stderr.write(`nightjar: ${p.arg}: ${p.message}\n`);
    let failed = problems.length;
    let ok = 0;
    const other = new Map<string, number>();
    const driver = new InlineDecoder();
    for (const ref of refs) {
      let input;
      try {
        input = await openInput(ref);
      } catch (err) {
        process.stderr.write(`nightjar: ${(err as Error).message}\n`);
        failed++;
        continue;
      }
      const sniffed = await sniffInput(input, o.format);
      if ('error' in sniffed) {
        process.stderr.write(`nightjar: ${sniffed.error}\n`);
        failed++;
        continue;
      }
      const outcome = await decodeInput(sniffed, input, driver, { ingestId: 0, sensor: null, batchRows: 8192, flow: flowSettingsOf(o) }, (b) => {
        const w = writerFor(b.table.name);
        if (w) w.write(b);
        else other.set(b.table.name, (other.get(b.table.name) ?? 0) + b.length);
        b.release();
      }, () => undefined);
      ok++;
      const skipped = outcome.skips.totalSkipped;
      if (skipped > 0) {
        process.stderr.write(
          `nightjar: ${input.name}: warning: skipped ${skipped}: ${Object.entries(outcome.skips.skipped)
            .map(([k, s]) => `${k} ×${s.count} (first at ${s.unit} ${s.first[0]})`)
            .join('; ')}\n`,
        );
      }
    }
    for (const t of [CONNECTIONS.name, DNS.name]) writerFor(t);
    for (const w of writers.values()) w.close();
    const written = [...writers.entries()].map(([t, w]) => `${t === CONNECTIONS.name ? 'conn' : 'dns'}.log ${w.rows} rows`);
    process.stdout.write(`wrote ${written.join(', ')} to ${o.out}\n`);
    if (other.size > 0) {
      process.stdout.write(`not written (no Zeek log for them here; use ingest): ${[...other].map(([t, n]) => `${t} ${n}`).join(', ')}\n`);
    }
    process.exitCode = failed === 0 ? 0 : ok > 0 ? 1 : 3;
  });
  return cmd;
}
