/**
 * Ingest of a live source (a capture tool's output): one ingest whose rows are committed every few
 * seconds, so they are queryable while the capture runs, and whose last rows are committed when the
 * source ends (on SIGINT/SIGTERM the caller stops the tool; everything it wrote is still decoded and
 * the flow table is flushed before the final commit).
 */
import type { FlowSettings } from '../decode/decoder.js';
import type { OpenedInput } from '../sources/file-input.js';
import type { Store } from '../store/store.js';
import { isoMicros } from '../model/time.js';
import { SNIFF_BYTES } from './decode-input.js';
import { InlineDecoder } from './inline-decoder.js';
import { DECODERS, sniffFormat } from './registry.js';
import { SkipLog } from './skip-log.js';

/** Options of a live ingest. */
export interface LiveOptions {
  readonly format?: string;
  readonly sensor?: string | null;
  /** Commit at least this often (milliseconds). */
  readonly commitEveryMs: number;
  /** Flow-table settings (timeouts, interim interval, table size). */
  readonly flow?: FlowSettings;
  /** Called after every commit with the rows stored so far. */
  readonly onCommit?: (records: number) => void;
}

/** Outcome of a live ingest. */
export interface LiveResult {
  ingestId: number | null;
  records: number;
  commits: number;
  skips: SkipLog;
  message?: string;
}

/** Reads a live input to its end, committing as it goes. */
export async function ingestLive(store: Store, input: OpenedInput, opts: LiveOptions): Promise<LiveResult> {
  const head: Buffer[] = [];
  let headLen = 0;
  let ended = false;
  // A capture tool writes its file header at once: the first chunk is enough to recognise it.
  while (headLen < 24) {
    const c = await input.next();
    if (c === null) {
      ended = true;
      break;
    }
    head.push(c);
    headLen += c.length;
  }
  const headBuf = Buffer.concat(head);
  const def = opts.format ? DECODERS.get(opts.format) : sniffFormat(headBuf.subarray(0, SNIFF_BYTES));
  const skips = new SkipLog('packet');
  if (!def) return { ingestId: null, records: 0, commits: 0, skips, message: `${input.name}: the live source sent nothing Nightjar recognises` };
  const writer = await store.beginIngest();
  const driver = new InlineDecoder();
  let records = 0;
  let commits = 0;
  const startedAt = isoMicros(Date.now() * 1000)!;
  driver.begin({
    format: def.name,
    ingestId: writer.ingestId,
    sensor: opts.sensor ?? null,
    inputName: input.name,
    batchRows: 4096,
    live: true,
    flow: opts.flow,
    onBatch: (b) => {
      writer.append(b);
      records += b.length;
    },
  });
  const record = () => ({
    fingerprint: `live:${input.name}:${startedAt}`,
    sha256: input.sha256(),
    path: input.name,
    size: input.bytesRead(),
    format: def.name,
    sensor: opts.sensor ?? null,
    startedAt,
    finishedAt: isoMicros(Date.now() * 1000)!,
    records,
    skipped: skips.totalSkipped,
    summary: JSON.stringify({ live: true, skipped: skips.skipped }),
  });
  let lastCommit = Date.now();
  const commitIfDue = async (): Promise<void> => {
    if (Date.now() - lastCommit < opts.commitEveryMs) return;
    await driver.flush();
    await writer.checkpoint(record());
    commits++;
    lastCommit = Date.now();
    opts.onCommit?.(records);
  };
  // Commit on a timer too, so a quiet link still shows what it saw.
  let pending: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    pending = pending.then(commitIfDue);
  }, Math.max(200, opts.commitEveryMs / 2));
  try {
    if (headBuf.length) await driver.push(headBuf);
    while (!ended) {
      const c = await input.next();
      if (c === null) break;
      await pending;
      await driver.push(c);
      await writer.drain();
    }
  } finally {
    clearInterval(timer);
    await pending;
  }
  skips.merge(await driver.finish());
  await writer.commit(record());
  commits++;
  opts.onCommit?.(records);
  return { ingestId: writer.ingestId, records, commits, skips };
}
