/**
 * Builds the `extra` JSON object of a row as UTF-8 bytes in a reusable buffer, straight from the input's
 * bytes, so a text decoder adds its leftover fields without creating a string per value.
 */
import type { ColumnBatch } from '../../store/column-batch.js';
import { copyCompact } from './json-span-reader.js';
import { ViewCache, copyWords } from '../word-copy.js';

const HEX = '0123456789abcdef';

/** A reusable writer of one flat JSON object at a time. */
export class JsonBytes {
  private buf = Buffer.allocUnsafe(4096);
  private n = 0;
  private fields = 0;
  /** The enclosing object's member count while a nested one is open. */
  private outer = 0;
  private readonly outView = new ViewCache();
  private readonly srcView = new ViewCache();
  private readonly headView = new ViewCache();

  /** Starts a new object. */
  begin(): void {
    this.buf[0] = 0x7b; // {
    this.n = 1;
    this.fields = 0;
  }

  /** Starts a new object with the fields of `head` (an unclosed object another JsonBytes wrote). */
  beginWith(head: JsonBytes): void {
    this.n = 0;
    this.reserve(head.n);
    // Heads are a few hundred bytes: copied by words (a native copy's call costs more).
    this.n = copyWords(this.buf, this.outView.of(this.buf), 0, head.buf, this.headView.of(head.buf), 0, head.n);
    this.fields = head.fields;
  }

  /** Starts a new object with the fields of `head`, the text of an unclosed JSON object (`{"a":1`). */
  beginWithText(head: string): void {
    this.begin();
    this.reserve(head.length * 3);
    this.n = this.buf.write(head, 0);
    this.fields = this.n > 1 ? 1 : 0;
  }

  /** Writes a JS string as a JSON string (directly when it is printable ASCII without quotes or backslashes). */
  str(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return this.value(s);
    }
    this.reserve(s.length + 2);
    const b = this.buf;
    b[this.n++] = 0x22;
    for (let i = 0; i < s.length; i++) b[this.n++] = s.charCodeAt(i);
    b[this.n++] = 0x22;
  }

  /** True when no field was written since `begin`. */
  get empty(): boolean {
    return this.fields === 0;
  }

  /** Writes `"key":`; the key must be plain ASCII without quotes or backslashes. */
  key(k: string): void {
    this.reserve(k.length + 4);
    const b = this.buf;
    if (this.fields++ > 0) b[this.n++] = 0x2c;
    b[this.n++] = 0x22;
    for (let i = 0; i < k.length; i++) b[this.n++] = k.charCodeAt(i);
    b[this.n++] = 0x22;
    b[this.n++] = 0x3a;
  }

  /** Writes bytes of valid UTF-8 as a JSON string, escaping quotes, backslashes and control bytes. */
  strBytes(src: Uint8Array, start: number, end: number): void {
    this.reserve((end - start) * 6 + 2);
    const b = this.buf;
    let p = this.n;
    b[p++] = 0x22;
    for (let i = start; i < end; i++) {
      const c = src[i];
      if (c === 0x22 || c === 0x5c) {
        b[p++] = 0x5c;
        b[p++] = c;
      } else if (c < 0x20) {
        b[p++] = 0x5c;
        b[p++] = 0x75;
        b[p++] = 0x30;
        b[p++] = 0x30;
        b[p++] = HEX.charCodeAt(c >> 4);
        b[p++] = HEX.charCodeAt(c & 15);
      } else b[p++] = c;
    }
    b[p++] = 0x22;
    this.n = p;
  }

  /** Writes bytes the caller checked are a JSON number (digits). */
  rawBytes(src: Uint8Array, start: number, end: number): void {
    this.reserve(end - start);
    for (let i = start; i < end; i++) this.buf[this.n++] = src[i];
  }

  /**
   * Copies a member of valid JSON as it is: its key token (quotes included) and its value, without the
   * whitespace between the value's tokens when `spaced` says there is some.
   */
  member(src: Buffer, keyStart: number, keyEnd: number, valStart: number, valEnd: number, spaced: boolean): void {
    this.reserve(keyEnd - keyStart + valEnd - valStart + 2);
    const b = this.buf;
    if (this.fields++ > 0) b[this.n++] = 0x2c;
    this.copy(src, keyStart, keyEnd);
    b[this.n++] = 0x3a;
    if (spaced) this.n = copyCompact(src, valStart, valEnd, b, this.n);
    else this.copy(src, valStart, valEnd);
  }

  /** Writes `"key":{` and counts members from there as the nested object's (one level deep). */
  openObject(k: string): void {
    this.key(k);
    this.reserve(1);
    this.buf[this.n++] = 0x7b;
    this.outer = this.fields;
    this.fields = 0;
  }

  /** Closes the object `openObject` opened. */
  closeObject(): void {
    this.reserve(1);
    this.buf[this.n++] = 0x7d;
    this.fields = this.outer;
  }

  /** Writes decimal digits (checked by the caller) as a JSON number, without leading zeros. */
  digits(src: Uint8Array, start: number, end: number): void {
    while (end - start > 1 && src[start] === 0x30) start++;
    this.rawBytes(src, start, end);
  }

  /** Writes a JS value with JSON.stringify (for the rare non-byte values). */
  value(v: unknown): void {
    const s = JSON.stringify(v);
    this.reserve(Buffer.byteLength(s));
    this.n += this.buf.write(s, this.n);
  }

  /** Closes the object and stores it in `col` of `row`; stores nothing when it has no field, unless `keepEmpty`. */
  store(b: ColumnBatch, col: number, row: number, keepEmpty = false): void {
    if (this.fields === 0 && !keepEmpty) return;
    this.reserve(1);
    this.buf[this.n++] = 0x7d;
    b.setBytes(col, row, this.buf, 0, this.n);
  }

  /** Copies `src[start, end)` (room already made) four bytes at a time: no view object per call. */
  private copy(src: Buffer, start: number, end: number): void {
    this.n = copyWords(this.buf, this.outView.of(this.buf), this.n, src, this.srcView.of(src), start, end);
  }

  private reserve(k: number): void {
    if (this.n + k <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.n + k) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.n);
    this.buf = next;
  }
}
