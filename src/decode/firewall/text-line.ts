/**
 * The line handling the text firewall decoders share: blank lines skipped, the line decoded once as
 * UTF-8, trailing blanks trimmed for parsing while `message` keeps the whole line (copied as bytes
 * when the line is ASCII), and any exception turned into a counted `decoder_error` skip.
 */
import { isUtf8 } from 'node:buffer';
import type { DecodeContext } from '../decoder.js';
import type { ColumnBatch } from '../../store/column-batch.js';

/** Where the current line's bytes are, so `message` can be copied without re-encoding. */
export interface LineCursor {
  /** The line's buffer when the line is ASCII (its bytes are its UTF-8), else null. */
  bytes: Buffer | null;
  start: number;
}

/** Handles one line: the whole line, the line without trailing blanks, and its number. */
export type LineRecordFn = (line: string, trimmed: string, lineNo: number) => void;

/** Runs `record` for one line of input, as every text firewall decoder does. */
export function readTextLine(
  buf: Buffer,
  start: number,
  end: number,
  lineNo: number,
  cur: LineCursor,
  ctx: DecodeContext,
  record: LineRecordFn,
): void {
  let blank = true;
  for (let i = start; i < end && blank; i++) blank = buf[i] === 32 || buf[i] === 9;
  if (blank) return;
  try {
    const s = buf.toString('utf8', start, end);
    const last = buf[end - 1];
    cur.bytes = s.length === end - start ? buf : null;
    cur.start = start;
    record(s, last === 32 || last === 9 ? s.trimEnd() : s, lineNo);
  } catch (err) {
    ctx.skip('decoder_error', lineNo, err instanceof Error ? err.message : String(err));
  }
}

/** Writes the original line into the `message` column. */
export function writeMessage(b: ColumnBatch, col: number, row: number, cur: LineCursor, line: string): void {
  if (cur.bytes !== null) b.setBytes(col, row, cur.bytes, cur.start, cur.start + line.length);
  else b.setStr(col, row, line);
}

/** Handles one trimmed line as bytes: buf[start..end). */
export type ByteRecordFn = (buf: Buffer, start: number, end: number, lineNo: number) => void;

/**
 * Runs `record` for one line as bytes, without blanks at either end; a line that is not valid UTF-8
 * is re-encoded (invalid sequences replaced) first; a thrown error becomes a `decoder_error` skip.
 */
export function readByteLine(buf: Buffer, start: number, end: number, lineNo: number, ctx: DecodeContext, record: ByteRecordFn): void {
  while (start < end && (buf[start] === 32 || buf[start] === 9)) start++;
  while (end > start && (buf[end - 1] === 32 || buf[end - 1] === 9)) end--;
  if (start === end) return;
  let ascii = true;
  for (let i = start; i < end && ascii; i++) ascii = buf[i] < 128;
  if (!ascii && !isUtf8(buf.subarray(start, end))) {
    buf = Buffer.from(buf.toString('utf8', start, end));
    start = 0;
    end = buf.length;
  }
  try {
    record(buf, start, end, lineNo);
  } catch (err) {
    ctx.skip('decoder_error', lineNo, err instanceof Error ? err.message : String(err));
  }
}

/** A decimal field as a number no greater than `max`, or -1 when it is empty, not digits, or too large. */
export function parseUint(v: string, max: number): number {
  if (v.length === 0 || v.length > 10) return -1;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n > max ? -1 : n;
}
