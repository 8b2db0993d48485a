/**
 * The ingest pipeline: inputs in, one atomic store transaction per input out. It fingerprints each
 * input (a re-ingest is a no-op unless forced), sniffs the format from content, streams chunks through
 * the decoder, hands full batches to the store and ends with a per-input summary. Any input that
 * cannot be read becomes one clear error in the report; the others go on.
 */
import { statSync } from 'node:fs';
import { DECODERS } from './registry.js';
import type { FlowSettings } from '../decode/decoder.js';
import type { EventTableName } from '../model/fields.js';
import { NightjarError } from '../model/errors.js';
import { expandInputs, type InputRef } from '../sources/expand-inputs.js';
import { openInput, type OpenedInput } from '../sources/file-input.js';
import type { IngestWriter, Store } from '../store/store.js';
import { isoMicros } from '../model/time.js';
import { decodeInput, sniffInput, type DecodeOutcome, type Driver } from './decode-input.js';
import { InlineDecoder } from './inline-decoder.js';
import type { SkipSummary } from './skip-log.js';
import { ShardedDecoder } from './sharded-decoder.js';

export type { SkipSummary } from './skip-log.js';




/** Options of one ingest run. */
export interface IngestOptions {
  /** Decoder name; sniffed from content when absent. */
  readonly format?: string;
  /** Re-ingest inputs already in the store, replacing their rows. */
  readonly force?: boolean;
  /** Sensor name to stamp on every record (overrides what records say). */
  readonly sensor?: string | null;
  /** Rows per batch handed to the store. */
  readonly batchRows?: number;
  /**
   * Decode on a worker thread, overlapping decoding with storing (true), or on the calling thread
   * (false). Default: a worker, unless the inputs are files of at most INLINE_BYTES in all.
   */
  readonly worker?: boolean;
  /** Worker threads a packet capture is split over by flow (default: defaultDecodeShards()). */
  readonly decodeWorkers?: number;
  /** Flow-table settings for packet captures (timeouts, interim interval, table size). */
  readonly flow?: FlowSettings;
  /** Called about every 100 ms while reading. */
  readonly onProgress?: (p: IngestProgress) => void;
}

/** Progress of the whole run. */
export interface IngestProgress {
  readonly input: string;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly records: number;
}

/** What happened to one input. */
export interface FileSummary {
  input: string;
  status: 'ingested' | 'already-ingested' | 'failed';
  format: string | null;
  ingestId: number | null;
  /** Rows stored, by table. */
  records: Partial<Record<EventTableName, number>>;
  totalRecords: number;
  skipped: Record<string, SkipSummary>;
  totalSkipped: number;
  ignored: Record<string, number>;
  bytes: number;
  seconds: number;
  /** Error or note for the user. */
  message?: string;
  /** Set when the failure was a bug rather than bad input (not reported). */
  internal?: boolean;
}

/** The whole run. */
export interface IngestReport {
  files: FileSummary[];
  /** Arguments that named nothing readable. */
  problems: { arg: string; message: string }[];
}

/** Total input size up to which files are decoded on the calling thread unless a worker is asked for. */
export const INLINE_BYTES = 2 << 20;

/** Ingests every input named by `args` (files, directories, globs, `-`). */
export async function ingest(store: Store, args: readonly string[], opts: IngestOptions = {}): Promise<IngestReport> {
  if (opts.format !== undefined && !DECODERS.has(opts.format)) {
    throw new NightjarError('NJ_USAGE', `unknown format ${opts.format}; known: ${[...DECODERS.keys()].join(', ')}`);
  }
  const { inputs, problems } = expandInputs(args);
  const report: IngestReport = { files: [], problems };
  let bytesBefore = 0;
  const bytesTotal = inputs.reduce((n, i) => n + (i.kind === 'file' ? safeSize(i.path) : 0), 0);
  let driver: Driver | null = null;
  // Starting a worker costs a few hundred milliseconds (it loads and compiles the decoders again): a
  // few small files are decoded sooner on this thread.
  const inline =
    opts.worker === false ||
    (opts.worker === undefined && opts.decodeWorkers === undefined && inputs.every((i) => i.kind === 'file') && bytesTotal <= INLINE_BYTES);
  try {
    for (const ref of inputs) {
      driver ??= inline ? new InlineDecoder() : new ShardedDecoder(opts.decodeWorkers);
      const summary = await ingestOne(store, ref, opts, driver, (done, records) =>
        opts.onProgress?.({ input: ref.kind === 'file' ? ref.path : '-', bytesDone: bytesBefore + done, bytesTotal, records }),
      );
      if (summary.status === 'failed' && summary.internal) {
        // A decoder crashed: start a fresh worker for the next input.
        await driver.close();
        driver = null;
      }
      delete summary.internal;
      bytesBefore += summary.bytes;
      report.files.push(summary);
    }
  } finally {
    await driver?.close();
  }
  return report;
}

function safeSize(p: string): number {
  try {
    return statSync(p).size;
  } catch {
    return 0;
  }
}

function emptySummary(input: string): FileSummary {
  return {
    input,
    status: 'failed',
    format: null,
    ingestId: null,
    records: {},
    totalRecords: 0,
    skipped: {},
    totalSkipped: 0,
    ignored: {},
    bytes: 0,
    seconds: 0,
  };
}

async function ingestOne(
  store: Store,
  ref: InputRef,
  opts: IngestOptions,
  driver: Driver,
  progress: (bytesDone: number, records: number) => void,
): Promise<FileSummary> {
  const name = ref.kind === 'file' ? ref.path : '-';
  const summary = emptySummary(name);
  const t0 = performance.now();
  let input: OpenedInput;
  try {
    input = await openInput(ref);
  } catch (err) {
    summary.message = err instanceof Error ? err.message : String(err);
    return summary;
  }
  let previous = input.fingerprint ? await store.findIngest(input.fingerprint) : null;
  if (previous && !opts.force) {
    input.close();
    summary.status = 'already-ingested';
    summary.format = previous.format;
    summary.ingestId = previous.ingestId;
    summary.message = `already ingested as #${previous.ingestId} on ${previous.finishedAt} (${previous.records} records); use --force to re-ingest`;
    return summary;
  }

  const sniffed = await sniffInput(input, opts.format);
  if ('error' in sniffed) {
    summary.message = sniffed.error;
    return summary;
  }
  summary.format = sniffed.def.name;

  const writer: IngestWriter = await store.beginIngest();
  let committed = false;
  try {
    if (previous && opts.force) await writer.replace(previous.ingestId);
    let outcome: DecodeOutcome;
    try {
      outcome = await decodeInput(
        sniffed,
        input,
        driver,
        { ingestId: writer.ingestId, sensor: opts.sensor ?? null, batchRows: opts.batchRows ?? 8192, flow: opts.flow },
        (b) => writer.append(b),
        progress,
        () => writer.drain(),
      );
    } catch (err) {
      summary.internal = true;
      summary.message = `${name}: ${err instanceof Error ? err.message : String(err)} (nothing from this input was stored; please report it)`;
      return summary;
    }
    const { counts, records } = outcome;
    summary.skipped = outcome.skips.skipped;
    summary.totalSkipped = outcome.skips.totalSkipped;
    summary.ignored = outcome.skips.ignored;

    summary.records = counts;
    summary.totalRecords = records;
    summary.bytes = input.bytesRead();
    const sha256 = input.sha256();
    if (input.fingerprint === null && sha256 !== null) {
      previous = await store.findIngestBySha256(sha256);
      if (previous && !opts.force) {
        await writer.rollback();
        committed = true;
        summary.status = 'already-ingested';
        summary.ingestId = previous.ingestId;
        summary.message = `the same content was already ingested as #${previous.ingestId}; use --force to re-ingest`;
        summary.seconds = (performance.now() - t0) / 1000;
        return summary;
      }
      if (previous) await writer.replace(previous.ingestId);
    }
    // Records ignored by design (a firewall's SYSTEM logs, say) were read and understood: not a failure.
    if (records === 0 && summary.totalSkipped > 0 && Object.keys(summary.ignored).length === 0) {
      await writer.rollback();
      committed = true;
      summary.message = `${name}: nothing could be read: every record was skipped (${Object.keys(summary.skipped).join(', ')})`;
      summary.seconds = (performance.now() - t0) / 1000;
      return summary;
    }
    summary.seconds = (performance.now() - t0) / 1000;
    const now = isoMicros(Date.now() * 1000)!;
    await writer.commit({
      fingerprint: input.fingerprint ?? `sha256:${sha256 ?? ''}`,
      sha256,
      path: name,
      size: summary.bytes,
      format: sniffed.def.name,
      sensor: opts.sensor ?? null,
      startedAt: isoMicros(Math.round((Date.now() - summary.seconds * 1000) * 1000))!,
      finishedAt: now,
      records,
      skipped: summary.totalSkipped,
      summary: JSON.stringify({ records: counts, skipped: summary.skipped, ignored: summary.ignored }),
    });
    committed = true;
    summary.status = 'ingested';
    summary.ingestId = writer.ingestId;
    return summary;
  } finally {
    if (!committed) await writer.rollback().catch(() => undefined);
  }
}
