/**
 * Reading one opened input through a decoder, shared by ingest (into the store) and convert (into
 * files): recognise the format from the first bytes, then stream every chunk through the decode
 * driver, handing each finished batch to the caller and collecting skip counts, including damage
 * found while reading (a cut gzip), so that what came before the damage is kept.
 */
import { DECODERS, sniffFormat } from './registry.js';
import type { DecoderDef, FlowSettings } from '../decode/decoder.js';
import type { EventTableName } from '../model/fields.js';
import type { OpenedInput } from '../sources/file-input.js';
import type { ColumnBatch } from '../store/column-batch.js';
import type { InlineDecoder } from './inline-decoder.js';
import { SkipLog, type SkipCounts } from './skip-log.js';
import type { ShardedDecoder } from './sharded-decoder.js';
import type { WorkerDecoder } from './worker-decoder.js';
import { Utf16ToUtf8, utf16ByteOrder } from './utf16-text.js';

/** How many bytes of an input are looked at to recognise its format. */
export const SNIFF_BYTES = 64 * 1024;

/** The ways of running a decoder. */
export type Driver = InlineDecoder | WorkerDecoder | ShardedDecoder;

/** An input whose format is known, with the bytes already read to find it out. */
export interface SniffedInput {
  readonly def: DecoderDef;
  readonly head: Buffer;
  readonly ended: boolean;
  readonly readFailure: string | null;
  /** Set for UTF-16 text: the rest of the input is transcoded to UTF-8 (the head already is). */
  readonly utf16: Utf16ToUtf8 | null;
}

/** Reads the start of an input and picks its decoder; returns a message for the user when it cannot. */
export async function sniffInput(input: OpenedInput, format?: string): Promise<SniffedInput | { error: string }> {
  const name = input.name;
  const head: Buffer[] = [];
  let headLen = 0;
  let ended = false;
  let readFailure: string | null = null;
  try {
    while (headLen < SNIFF_BYTES) {
      const c = await input.next();
      if (c === null) {
        ended = true;
        break;
      }
      head.push(c);
      headLen += c.length;
    }
  } catch (err) {
    // Damage early in the input (a cut gzip): decode what came before it.
    readFailure = readError(name, err);
    ended = true;
    if (headLen === 0) return { error: readFailure };
  }
  let headBuf: Buffer = Buffer.concat(head);
  if (input.pooled) for (const c of head) input.recycle(c.buffer);
  // UTF-16 text (PowerShell 5's default) becomes UTF-8 before anything looks at it; the decoder drops its BOM.
  const byteOrder = utf16ByteOrder(headBuf);
  const utf16 = byteOrder === null ? null : new Utf16ToUtf8(byteOrder);
  if (utf16 !== null) headBuf = ended ? Buffer.concat([utf16.push(headBuf), utf16.end()]) : utf16.push(headBuf);
  // A UTF-8 byte order mark (left by Windows editors and PowerShell's Out-File) is no part of the first
  // record: with it, no Zeek TSV header, syslog line or log line is recognised. No binary format starts so.
  if (headBuf.length >= 3 && headBuf[0] === 0xef && headBuf[1] === 0xbb && headBuf[2] === 0xbf) headBuf = headBuf.subarray(3);
  const def = format ? DECODERS.get(format)! : sniffFormat(headBuf);
  if (def === null) {
    input.close();
    return {
      error:
        headLen === 0
          ? `${name}: the input is empty`
          : `${name}: not a format Nightjar recognises (looked at the first ${Math.min(headLen, SNIFF_BYTES)} bytes); ` +
            `known formats: ${[...DECODERS.keys()].join(', ')}; use --format to force one`,
    };
  }
  return { def, head: headBuf, ended, readFailure, utf16 };
}

/** What decoding an input produced. */
export interface DecodeOutcome {
  counts: Partial<Record<EventTableName, number>>;
  records: number;
  skips: SkipCounts;
}

/** Who the rows are for and how they are batched. */
export interface DecodeParams {
  readonly ingestId: number;
  readonly sensor: string | null;
  readonly batchRows: number;
  readonly flow?: FlowSettings;
}

/**
 * Streams the rest of a sniffed input through `driver`; each batch goes to `onBatch` before it is
 * reused, and `room` (when given) is awaited between chunks while the consumer catches up. Throws only on an internal failure (a decoder bug); bad data is counted in `skips`.
 */
export async function decodeInput(
  s: SniffedInput,
  input: OpenedInput,
  driver: Driver,
  params: DecodeParams,
  onBatch: (b: ColumnBatch) => void,
  progress: (bytesDone: number, records: number) => void,
  room?: () => Promise<void>,
): Promise<DecodeOutcome> {
  const counts: Partial<Record<EventTableName, number>> = {};
  let records = 0;
  driver.begin({
    format: s.def.name,
    ingestId: params.ingestId,
    sensor: params.sensor,
    flow: params.flow,
    inputName: input.name,
    batchRows: params.batchRows,
    onBatch: (b) => {
      onBatch(b);
      const tname = b.table.name as EventTableName;
      counts[tname] = (counts[tname] ?? 0) + b.length;
      records += b.length;
    },
    onRecycle: (buf) => input.recycle(buf),
  });
  let readFailure = s.readFailure;
  let lastTick = performance.now();
  try {
    if (s.head.length > 0) await driver.push(s.head);
    if (!s.ended) {
      while (true) {
        let c: Buffer | null;
        try {
          c = await input.next();
        } catch (err) {
          // A damaged or truncated gzip stream: keep what was decoded, report where it stopped.
          readFailure = readError(input.name, err);
          break;
        }
        if (c === null) break;
        if (s.utf16 !== null) {
          const utf8 = s.utf16.push(c);
          if (input.pooled) input.recycle(c.buffer);
          await driver.push(utf8);
        } else {
          await driver.push(c, input.pooled);
        }
        // The store may still be writing earlier batches: wait for room, so memory stays bounded.
        if (room) await room();
        const now = performance.now();
        if (now - lastTick > 100) {
          lastTick = now;
          progress(input.bytesRead(), records);
        }
      }
      // The end of UTF-16 text: a lone byte or surrogate left over becomes U+FFFD.
      const rest = s.utf16?.end();
      if (rest !== undefined && rest.length > 0) await driver.push(rest);
    }
  } catch (err) {
    input.close();
    throw err;
  }
  const log = new SkipLog(s.def.positionUnit);
  log.merge(await driver.finish());
  const gz = input.gzipProblem();
  if (readFailure !== null) {
    log.totalSkipped++;
    log.skipped.read_error = { count: 1, first: [input.bytesRead()], unit: 'offset', example: readFailure };
  } else if (gz !== null) {
    // Damage or junk found after the data before it was delivered: one skip at its compressed offset.
    log.totalSkipped++;
    log.skipped[gz.reason] = { count: 1, first: [gz.offset], unit: 'offset', example: `${input.name}: ${gz.message}` };
  }
  progress(input.bytesRead(), records);
  return { counts, records, skips: log.toJSON() };
}

function readError(name: string, err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/incorrect header check|unexpected end of file|invalid/i.test(msg)) return `${name}: damaged gzip data: ${msg}`;
  return msg.startsWith(name) ? msg : `${name}: ${msg}`;
}
