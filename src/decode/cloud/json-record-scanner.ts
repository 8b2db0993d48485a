/**
 * Cuts a stream holding one big JSON document into its record objects without parsing or holding the
 * whole document: a byte scanner tracks strings and nesting, finds the array of records (the value of
 * a top-level "records" key, or a top-level array) and hands over each element object's bytes when it
 * closes. Top-level objects without a "records" array are handed over whole, so JSON lines of records
 * decode too. Memory is bounded by the largest record (`maxRecord` bytes); a larger one is dropped
 * and reported, and scanning goes on after it.
 */

import { ViewCache, findQuoteOrBackslash } from '../word-copy.js';

/** Receives one record's bytes and the byte offset of its opening brace in the input. */
export type RecordHandler = (json: Buffer, offset: number) => void;

/** What the scanner reports besides records. */
export interface ScannerEvents {
  /** A record longer than the bound was dropped. */
  oversize(offset: number): void;
  /** Bytes outside any JSON value (reported once per run of them). */
  garbage(offset: number): void;
  /** The input ended inside a value. */
  truncated(offset: number): void;
}

const KEY_MAX = 16;
/** The key whose array holds the records, as bytes. */
const RECORDS = Buffer.from('records', 'latin1');

/** An incremental scanner over one input. */
export class JsonRecordScanner {
  private depth = 0;
  private inStr = false;
  private esc = false;
  /** Depth of the array whose element objects are records (0: none seen yet). */
  private arrayDepth = 0;
  /** Depth at which captured objects start: 0 for top-level records, arrayDepth for elements. */
  private captureDepth = -1;
  private captureAt = -1;
  private pieces: Buffer[] = [];
  private captured = 0;
  private oversized = false;
  private inGarbage = false;
  private offset = 0;
  // The last short string seen at depth 1 and whether a ':' followed it (it was a key).
  private readonly str = new Uint8Array(KEY_MAX);
  private strLen = 0;
  private strAt1 = false;
  /** True while the value of a depth-1 key `records` is being read. */
  private inRecords = false;
  private readonly views = new ViewCache();
  private keyPending = false;

  constructor(
    private readonly onRecord: RecordHandler,
    private readonly events: ScannerEvents,
    private readonly maxRecord = 64 * 1024 * 1024,
  ) {}

  /** Scans the next chunk. */
  push(chunk: Buffer): void {
    let from = 0;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk[i];
      if (this.inStr) {
        if (this.esc) this.esc = false;
        else if (c === 0x5c) {
          // A key written with an escape is not taken for `records` (its bytes are not its text).
          this.esc = true;
          this.strAt1 = false;
        } else if (c === 0x22) {
          this.inStr = false;
          if (this.strAt1) this.keyPending = true;
        } else if (this.strAt1) {
          if (this.strLen < KEY_MAX) this.str[this.strLen++] = c;
          else this.strAt1 = false;
        }
        // Jump to the closing quote with a native search: only keys at depth 1 need the contents.
        if (this.inStr && !this.esc && !this.strAt1) i = this.skipString(chunk, i + 1) - 1;
        continue;
      }
      switch (c) {
        case 0x22: {
          if (this.depth === 0) this.badByte(i);
          // A string without escapes that ends in this chunk is read in one step, with the outcome
          // the byte-by-byte states below would reach (a depth-1 string of up to KEY_MAX bytes may be
          // a key; a longer one keeps its first KEY_MAX bytes and cannot be).
          const q = findQuoteOrBackslash(chunk, this.views.of(chunk), i + 1, n);
          if (q < n && chunk[q] === 0x22) {
            const len = q - i - 1;
            const kept = this.depth === 1 ? Math.min(len, KEY_MAX) : 0;
            for (let k = 0; k < kept; k++) this.str[k] = chunk[i + 1 + k];
            this.strLen = kept;
            if (this.depth === 1 && len <= KEY_MAX) this.keyPending = true;
            i = q;
            break;
          }
          this.inStr = true;
          this.strAt1 = this.depth === 1;
          this.strLen = 0;
          break;
        }
        case 0x3a: // :
          if (this.depth === 1 && this.keyPending) this.inRecords = this.keyIsRecords();
          this.keyPending = false;
          break;
        case 0x7b: // {
        case 0x5b: // [
          this.keyPending = false;
          this.inGarbage = false;
          if (this.captureAt < 0 && c === 0x7b && (this.depth === 0 || (this.arrayDepth > 0 && this.depth === this.arrayDepth))) {
            this.captureAt = this.offset + i;
            this.captureDepth = this.depth;
            from = i;
            this.captured = 0;
            this.oversized = false;
          }
          this.depth++;
          if (c === 0x5b && this.arrayDepth === 0 && (this.depth === 1 || (this.depth === 2 && this.inRecords))) {
            this.arrayDepth = this.depth;
            if (this.captureDepth === 0) this.dropCapture(); // the wrapper object is not a record
          }
          break;
        case 0x7d: // }
        case 0x5d: // ]
          this.keyPending = false;
          if (this.depth === 0) {
            this.badByte(i);
            break;
          }
          this.depth--;
          if (this.depth === this.arrayDepth - 1 && c === 0x5d) this.arrayDepth = 0;
          if (this.depth === 1 || this.depth === 0) this.inRecords = false;
          if (this.captureAt >= 0 && this.depth === this.captureDepth) {
            if (this.pieces.length === 0 && !this.oversized && this.captured === 0) {
              // The whole record is in this chunk: hand it over without copying.
              const at = this.captureAt;
              this.dropCapture();
              if (i + 1 - from > this.maxRecord) this.events.oversize(at);
              else this.onRecord(chunk.subarray(from, i + 1), at);
            } else {
              this.take(chunk, from, i + 1);
              this.emit();
            }
          }
          break;
        case 0x20:
        case 0x0a:
        case 0x0d:
        case 0x09:
        case 0x2c:
          this.keyPending = this.keyPending && c !== 0x2c;
          break;
        default:
          this.keyPending = false;
          if (this.depth === 0) this.badByte(i);
      }
    }
    if (this.captureAt >= 0) this.take(chunk, from, n);
    this.offset += n;
  }

  /** Ends the input. */
  finish(): void {
    if (this.depth > 0 || this.inStr) this.events.truncated(this.captureAt >= 0 ? this.captureAt : this.offset);
    this.dropCapture();
  }

  /**
   * Returns the index of the quote that closes the current string, searching from `from` (the string's
   * bytes before `from` hold no pending escape), or `chunk.length` when the chunk ends first, leaving
   * `esc` set when the chunk ends in an odd run of backslashes.
   */
  private skipString(chunk: Buffer, from: number): number {
    // Most strings are short: a plain loop beats a native search's call for the first bytes.
    const n = chunk.length;
    const stop = Math.min(n, from + 64);
    let i = from;
    for (; i < stop; i++) {
      const c = chunk[i];
      if (c === 0x22) return i;
      if (c === 0x5c) {
        if (i + 1 === n) {
          this.esc = true;
          return n;
        }
        i++;
      }
    }
    if (i >= n) return n;
    let k = i;
    while (true) {
      const j = chunk.indexOf(0x22, k);
      const end = j < 0 ? n : j;
      let run = 0;
      while (end - run - 1 >= i && chunk[end - run - 1] === 0x5c) run++;
      if (j < 0) {
        this.esc = (run & 1) === 1;
        return n;
      }
      if ((run & 1) === 0) return j;
      k = j + 1;
    }
  }

  private badByte(i: number): void {
    if (!this.inGarbage) this.events.garbage(this.offset + i);
    this.inGarbage = true;
  }

  /** Whether the key just read is `records` (compared as bytes: no string per key). */
  private keyIsRecords(): boolean {
    if (this.strLen !== RECORDS.length) return false;
    for (let k = 0; k < RECORDS.length; k++) if (this.str[k] !== RECORDS[k]) return false;
    return true;
  }

  private take(chunk: Buffer, from: number, to: number): void {
    if (this.oversized || to <= from) return;
    this.captured += to - from;
    if (this.captured > this.maxRecord) {
      this.oversized = true;
      this.pieces = [];
      return;
    }
    // Copy: the caller may reuse its chunk buffers.
    this.pieces.push(Buffer.from(chunk.subarray(from, to)));
  }

  private emit(): void {
    const at = this.captureAt;
    const pieces = this.pieces;
    const oversized = this.oversized;
    this.dropCapture();
    if (oversized) this.events.oversize(at);
    else this.onRecord(pieces.length === 1 ? pieces[0] : Buffer.concat(pieces), at);
  }

  private dropCapture(): void {
    this.captureAt = -1;
    this.captureDepth = -1;
    // A new list only when the old one holds pieces (emit still reads them): no array per record.
    if (this.pieces.length > 0) this.pieces = [];
    this.captured = 0;
    this.oversized = false;
  }
}
