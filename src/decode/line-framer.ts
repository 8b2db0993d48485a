/**
 * Splits a byte stream into lines by scanning for LF, without creating strings: the handler gets the
 * chunk and the line's byte range. A line split across chunks is joined in a carry buffer; a line longer
 * than `maxLine` is reported once and skipped rather than growing memory without bound.
 */
import type { Decoder } from './decoder.js';

/** Receives one line (CR before the LF already removed) and its 1-based line number. */
export type LineHandler = (buf: Buffer, start: number, end: number, lineNo: number) => void;

/** Options for line framing. */
export interface LineFramerOptions {
  readonly maxLine?: number;
  /** Called for a line longer than maxLine (it is skipped). */
  readonly onOversize?: (lineNo: number) => void;
  /** Called at end of input, with whether the last line lacked its newline. */
  readonly onEnd?: (unterminated: boolean) => void;
}

/** Wraps a line handler as a chunk decoder. */
export function lineFramer(handle: LineHandler, opts: LineFramerOptions = {}): Decoder {
  const maxLine = opts.maxLine ?? 16 * 1024 * 1024;
  let carry: Buffer | null = null;
  let oversize = false;
  let lineNo = 0;

  function emit(buf: Buffer, start: number, end: number): void {
    lineNo++;
    if (end > start && buf[end - 1] === 13) end--;
    handle(buf, start, end, lineNo);
  }

  return {
    push(chunk: Buffer): void {
      let pos = 0;
      if (carry !== null || oversize) {
        const nl = chunk.indexOf(10);
        if (nl < 0) {
          if (!oversize) {
            if (carry!.length + chunk.length > maxLine) {
              oversize = true;
              carry = null;
            } else carry = Buffer.concat([carry!, chunk]);
          }
          return;
        }
        if (oversize) {
          lineNo++;
          opts.onOversize?.(lineNo);
          oversize = false;
        } else {
          const joined: Buffer = Buffer.concat([carry!, chunk.subarray(0, nl)]);
          emit(joined, 0, joined.length);
        }
        carry = null;
        pos = nl + 1;
      }
      while (pos < chunk.length) {
        const nl = chunk.indexOf(10, pos);
        if (nl < 0) {
          if (chunk.length - pos > maxLine) oversize = true;
          else carry = Buffer.from(chunk.subarray(pos));
          return;
        }
        emit(chunk, pos, nl);
        pos = nl + 1;
      }
    },
    finish(): void {
      let unterminated = false;
      if (oversize) {
        lineNo++;
        opts.onOversize?.(lineNo);
        unterminated = true;
      } else if (carry !== null && carry.length > 0) {
        unterminated = true;
        emit(carry, 0, carry.length);
      }
      carry = null;
      opts.onEnd?.(unterminated);
    },
  };
}
