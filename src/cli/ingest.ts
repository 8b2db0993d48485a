/**
 * `nightjar ingest`: loads files, directories, globs or stdin into the store, with a progress bar on a
 * terminal and a per-file summary at the end. Exit codes: 0 every input read (skipped records are
 * warnings), 1 some inputs could not be read, 3 nothing could be read.
 */
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { DECODERS } from '../pipeline/registry.js';
import { ingest, type FileSummary, type IngestReport } from '../pipeline/ingest.js';
import { connectionOverlaps } from '../store/connection-overlaps.js';
import { openStore } from '../store/open.js';
import { overlapNote } from './output/overlap-note.js';
import { humanBytes, humanCount, humanDuration } from './output/humanize.js';
import { NightjarError } from '../model/errors.js';
import { MAX_DECODE_SHARDS } from '../pipeline/sharded-decoder.js';
import { dbOf, flowSettingsOf, withDb, withFlowOptions, type CommonOpts, type FlowOpts } from './options.js';

interface IngestOpts extends CommonOpts, FlowOpts {
  force?: boolean;
  sensor?: string;
  quiet?: boolean;
  json?: boolean;
  decodeWorkers?: string;
}

/** --decode-workers as a number, or undefined for the default. */
function decodeWorkersOf(o: IngestOpts): number | undefined {
  if (o.decodeWorkers === undefined) return undefined;
  const n = Number(o.decodeWorkers);
  if (!Number.isInteger(n) || n < 1 || n > MAX_DECODE_SHARDS) {
    throw new NightjarError('NJ_USAGE', `--decode-workers ${o.decodeWorkers}: give a whole number from 1 to ${MAX_DECODE_SHARDS}`);
  }
  return n;
}

/** Exit code of a finished ingest run. */
export function ingestExitCode(report: IngestReport): number {
  const failed = report.files.filter((f) => f.status === 'failed').length + report.problems.length;
  const ok = report.files.length - report.files.filter((f) => f.status === 'failed').length;
  if (failed === 0) return 0;
  return ok > 0 ? 1 : 3;
}

function skipText(f: FileSummary): string {
  return Object.entries(f.skipped)
    .map(([reason, s]) => `${reason} ×${s.count} (${s.unit}${s.first.length > 1 ? 's' : ''} ${s.first.join(', ')}${s.count > s.first.length ? ', …' : ''})`)
    .join('; ');
}

/** Human summary of a run, one block per input. */
export function formatIngestReport(report: IngestReport): string {
  const lines: string[] = [];
  for (const p of report.problems) lines.push(`failed    ${p.arg}: ${p.message}`);
  for (const f of report.files) {
    if (f.status === 'failed') {
      lines.push(`failed    ${f.message ?? f.input}`);
      // When nothing could be read, the first skip of each reason says why (e.g. an nfdump 1.6 file).
      for (const s of Object.values(f.skipped)) if (s.example) lines.push(`  ${s.example}`);
      continue;
    }
    if (f.status === 'already-ingested') {
      lines.push(`skipped   ${f.input}: ${f.message}`);
      continue;
    }
    const byTable = Object.entries(f.records)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ');
    const rate = f.seconds > 0 ? `${humanCount(Math.round(f.totalRecords / f.seconds))} rec/s, ${humanBytes(f.bytes / f.seconds)}/s` : '';
    lines.push(
      `ingested  ${f.input}  [${f.format}, #${f.ingestId}]  ${f.totalRecords} records${byTable ? ` (${byTable})` : ''}  in ${humanDuration(f.seconds)}${rate ? `, ${rate}` : ''}`,
    );
    if (f.totalSkipped > 0) lines.push(`  warning: skipped ${f.totalSkipped}: ${skipText(f)}`);
    const ign = Object.entries(f.ignored);
    if (ign.length) lines.push(`  not stored (by design): ${ign.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  }
  const n = (s: FileSummary['status']): number => report.files.filter((f) => f.status === s).length;
  const records = report.files.reduce((a, f) => a + (f.status === 'ingested' ? f.totalRecords : 0), 0);
  const skipped = report.files.reduce((a, f) => a + f.totalSkipped, 0);
  lines.push(
    `${report.files.length + report.problems.length} input(s): ${n('ingested')} ingested, ${n('already-ingested')} already in the store, ` +
      `${n('failed') + report.problems.length} failed; ${records} records stored, ${skipped} skipped`,
  );
  return lines.join('\n') + '\n';
}

/** Registers the command. */
export function ingestCommand(): Command {
  const cmd = new Command('ingest')
    .summary('load logs and captures into the store')
    .description(
      'Load files, directories (recursively), glob patterns or standard input (-) into the store. ' +
        'The format is recognised from the content; gzip is read transparently. Each input is one ' +
        'transaction: it is either wholly stored or not at all. Inputs already ingested are skipped ' +
        '(matched by content fingerprint) unless --force is given, which replaces their rows. ' +
        'Directories and patterns leave out hidden files, nfcapd.current.* (still being written) and ' +
        'DuckDB store files; name such a file on its own to read it.\n\n' +
        `Formats: ${[...DECODERS.values()].map((d) => `${d.name} (${d.description})`).join('; ')}.`,
    )
    .argument('<inputs...>', 'files, directories, glob patterns, or - for standard input')
    .option('--format <name>', `force a format instead of recognising it: ${[...DECODERS.keys()].join(', ')}`)
    .option('--force', 're-ingest inputs already in the store, replacing their rows')
    .option('--sensor <name>', 'sensor name to record on every row (default: what the records say)')
    .option('--json', 'print the summary as JSON')
    .option('-q, --quiet', 'print only warnings and errors')
    .option('--decode-workers <n>', 'worker threads a packet capture is split over by flow (default: 2 with 3 or more cores; with fewer, a capture is decoded by the thread that reads and stores it)')
    .addHelpText(
      'after',
      `
Examples:
  nightjar ingest /opt/zeek/logs/2024-03-01/          every log in a directory tree
  nightjar ingest 'logs/**/conn.*.log.gz'              a glob (quoted, expanded by nightjar)
  zcat eve.json.gz | nightjar ingest -                 standard input
  nightjar ingest /var/cache/nfdump/                   an nfdump archive (nfcapd.* files, any compression)
  nightjar ingest --force conn.log                     replace an earlier ingest of conn.log
  nightjar ingest --decode-workers 2 big.pcap          decode a capture on two cores

Exit status: 0 all inputs read (skipped records are reported as warnings), 1 some inputs could not
be read, 3 nothing could be read, 2 bad usage, 4 store error.`,
    );
  withFlowOptions(cmd);
  withDb(cmd);
  cmd.action(async (inputs: string[], o: IngestOpts) => {
    const flow = flowSettingsOf(o);
    const decodeWorkers = decodeWorkersOf(o);
    const store = await openStore(dbOf(o));
    const tty = process.stderr.isTTY && !o.quiet && !o.json;
    const bar = tty
      ? new cliProgress.SingleBar(
          {
            format: ' {bar} {percentage}% | {done} of {size} | {rate} rec/s | ETA {eta_formatted} | {input}',
            barsize: 30,
            hideCursor: true,
            clearOnComplete: true,
            stream: process.stderr,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
    let started = false;
    const t0 = performance.now();
    try {
      const report = await ingest(store, inputs, {
        format: o.format,
        force: o.force,
        sensor: o.sensor ?? null,
        flow,
        decodeWorkers,
        onProgress: (p) => {
          if (!bar) return;
          const payload = {
            done: humanBytes(p.bytesDone),
            size: humanBytes(p.bytesTotal),
            rate: humanCount(Math.round(p.records / Math.max(0.001, (performance.now() - t0) / 1000))),
            input: p.input.length > 40 ? '…' + p.input.slice(-39) : p.input,
          };
          if (!started) {
            bar.start(Math.max(1, p.bytesTotal), p.bytesDone, payload);
            started = true;
          } else bar.update(p.bytesDone, payload);
        },
      });
      if (started) bar?.stop();
      const ids = new Set(report.files.flatMap((f) => (f.status === 'ingested' && f.ingestId !== null ? [f.ingestId] : [])));
      const overlaps = ids.size === 0 ? [] : (await connectionOverlaps(store)).filter((v) => ids.has(v.ingest_id));
      if (o.json) process.stdout.write(JSON.stringify({ ...report, overlaps }, null, 2) + '\n');
      else {
        const text = formatIngestReport(report) + overlaps.map((v) => overlapNote(v) + '\n').join('');
        if (!o.quiet) process.stdout.write(text);
        else {
          const warn = text.split('\n').filter((l) => l.startsWith('failed') || l.includes('warning:'));
          if (warn.length) process.stderr.write(warn.join('\n') + '\n');
        }
      }
      process.exitCode = ingestExitCode(report);
    } finally {
      if (started) bar?.stop();
      await store.close();
    }
  });
  return cmd;
}
