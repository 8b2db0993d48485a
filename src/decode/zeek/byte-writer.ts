/**
 * A growable byte buffer reused across records, so the Zeek decoders can build a decoded string or a
 * JSON object (the `extra` and `data` columns) without allocating per value or per line.
 */

const HEX = '0123456789abcdef';

/** Reusable output bytes: append, then copy `buf[0 .. len)` wherever it is needed. */
export class ByteWriter {
  /** The bytes written so far are `buf[0 .. len)`; `buf` is replaced when it grows. */
  buf: Uint8Array;
  /** Number of bytes written. */
  len = 0;

  constructor(size = 1024) {
    this.buf = new Uint8Array(size);
  }

  /** Empties the writer, keeping its memory. */
  reset(): void {
    this.len = 0;
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** Appends one byte. */
  byte(c: number): void {
    if (this.len >= this.buf.length) this.ensure(1);
    this.buf[this.len++] = c;
  }

  /** Appends `src[start .. end)` unchanged. */
  bytes(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.ensure(n);
    const b = this.buf;
    let p = this.len;
    if (n < 32) for (let i = start; i < end; i++) b[p++] = src[i];
    else {
      b.set(src.subarray(start, end), p);
      p += n;
    }
    this.len = p;
  }

  /** Appends a string made only of ASCII characters (keys, numbers, literals). */
  ascii(s: string): void {
    const n = s.length;
    this.ensure(n);
    const b = this.buf;
    let p = this.len;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.len = p;
  }

  /** Appends the text `\xHH` for one byte (how Zeek shows a byte that is not valid UTF-8). */
  hexEscape(c: number): void {
    this.ensure(4);
    const b = this.buf;
    const p = this.len;
    b[p] = 92;
    b[p + 1] = 120;
    b[p + 2] = HEX.charCodeAt(c >> 4);
    b[p + 3] = HEX.charCodeAt(c & 15);
    this.len = p + 4;
  }

  /** Appends UTF-8 bytes `src[start .. end)` as the inside of a JSON string (quotes not included). */
  jsonEscaped(src: Uint8Array, start: number, end: number): void {
    this.ensure((end - start) * 6);
    const b = this.buf;
    let p = this.len;
    for (let i = start; i < end; i++) {
      const c = src[i];
      if (c >= 32 && c !== 34 && c !== 92) {
        b[p++] = c;
        continue;
      }
      b[p++] = 92;
      if (c === 34 || c === 92) b[p++] = c;
      else if (c === 10) b[p++] = 110;
      else if (c === 9) b[p++] = 116;
      else if (c === 13) b[p++] = 114;
      else {
        b[p++] = 117;
        b[p++] = 48;
        b[p++] = 48;
        b[p++] = HEX.charCodeAt(c >> 4);
        b[p++] = HEX.charCodeAt(c & 15);
      }
    }
    this.len = p;
  }
}
