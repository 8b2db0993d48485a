/**
 * Test support for the output layer: a Writable that collects everything written to it, and a helper
 * that runs rows through a writer and returns the text.
 */
import { Writable } from 'node:stream';
import { createWriter, type OutputColumn, type OutputFormat, type WriterOptions } from './format.js';

/** A Writable keeping every chunk as text; `delayMs` makes it slow, to exercise backpressure. */
export class Collector extends Writable {
  readonly chunks: string[] = [];
  constructor(opts: { highWaterMark?: number; delayMs?: number } = {}) {
    const delay = opts.delayMs;
    super({
      decodeStrings: false,
      highWaterMark: opts.highWaterMark,
      write: (chunk: unknown, _enc, cb) => {
        this.chunks.push(String(chunk));
        if (delay === undefined) cb();
        else setTimeout(cb, delay);
      },
    });
  }
  /** Everything written so far. */
  get text(): string {
    return this.chunks.join('');
  }
}

/** Writes `rows` in `format` into a fresh Collector and returns the output. */
export async function renderRows(
  format: OutputFormat,
  columns: readonly OutputColumn[],
  rows: readonly Record<string, unknown>[],
  opts: WriterOptions = {},
): Promise<string> {
  const out = new Collector();
  const w = createWriter(format, columns, out, opts);
  for (const r of rows) await w.write(r);
  await w.end();
  return out.text;
}

/** Visible width as the tests count it: one per code point (test data avoids wide characters). */
export function codePoints(line: string): number {
  return [...line].length;
}
