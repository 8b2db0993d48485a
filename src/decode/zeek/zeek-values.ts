/**
 * Zeek value parsing straight from bytes: numbers and times without creating strings, and Zeek's
 * string escapes (`\xHH`, `\\`, `\t`...) decoded the way Zeek's own JSON writer and Zed show them:
 * valid UTF-8 is kept, every byte that is not part of valid UTF-8 becomes the text `\xHH`.
 */
import { ByteWriter } from './byte-writer.js';

type Latin1Slicer = (this: Buffer, start: number, end: number) => string;
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice?: Latin1Slicer }).latin1Slice;

/** Bytes `buf[start .. end)` as a JS string, one character per byte (for ASCII text such as addresses). */
export function latin1(buf: Buffer, start: number, end: number): string {
  return latin1Slice !== undefined ? latin1Slice.call(buf, start, end) : buf.toString('latin1', start, end);
}

/** Interned transport names, so the common ones cost no string per line. */
export function protoText(buf: Buffer, p: number, q: number): string {
  const n = q - p;
  if (n === 3) {
    if (buf[p] === 116 && buf[p + 1] === 99 && buf[p + 2] === 112) return 'tcp';
    if (buf[p] === 117 && buf[p + 1] === 100 && buf[p + 2] === 112) return 'udp';
  } else if (n === 4 && buf[p] === 105 && buf[p + 1] === 99 && buf[p + 2] === 109 && buf[p + 3] === 112) return 'icmp';
  return latin1(buf, p, q);
}

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses Zeek `time` text (epoch seconds with a fraction) into integer microseconds, exactly from the
 * digits (a 7th fraction digit rounds half up); NaN when it is not a number.
 */
export function parseMicros(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let neg = false;
  if (i < end && buf[i] === 45) {
    neg = true;
    i++;
  }
  let secs = 0;
  let intDigits = 0;
  while (i < end) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) break;
    secs = secs * 10 + c;
    intDigits++;
    i++;
  }
  let frac = 0;
  let fracDigits = 0;
  let roundUp = 0;
  if (i < end && buf[i] === 46) {
    i++;
    while (i < end) {
      const c = buf[i] - 48;
      if (c < 0 || c > 9) break;
      if (fracDigits < 6) frac = frac * 10 + c;
      else if (fracDigits === 6 && c >= 5) roundUp = 1;
      fracDigits++;
      i++;
    }
  }
  if (i !== end || (intDigits === 0 && fracDigits === 0) || intDigits > 12) return slowMicros(buf, start, end);
  for (let k = fracDigits; k < 6; k++) frac *= 10;
  const micros = secs * 1e6 + frac + roundUp;
  return neg ? -micros : micros;
}

function slowMicros(buf: Uint8Array, start: number, end: number): number {
  const s = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
  if (!NUMBER_TEXT.test(s)) return NaN;
  const v = Number(s);
  return Number.isFinite(v) && Math.abs(v) < 9e9 ? Math.round(v * 1e6) : NaN;
}

/** Parses an unsigned decimal integer (Zeek `count` or `port`); NaN when the text is anything else. */
export function parseUint(buf: Uint8Array, start: number, end: number): number {
  if (start >= end || end - start > 20) return NaN;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/** Parses a signed decimal integer (Zeek `int`); NaN when the text is anything else. */
export function parseInt64(buf: Uint8Array, start: number, end: number): number {
  if (start < end && buf[start] === 45) return -parseUint(buf, start + 1, end);
  return parseUint(buf, start, end);
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * Parses a Zeek `double` or `interval`. Up to 15 significant digits the result is one correctly rounded
 * division of two exact numbers; longer or exponent forms go through Number(). NaN when not a number.
 */
export function parseDouble(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let neg = false;
  if (i < end && buf[i] === 45) {
    neg = true;
    i++;
  }
  let mant = 0;
  let digits = 0;
  let scale = 0;
  let seenDot = false;
  for (; i < end; i++) {
    const ch = buf[i];
    const c = ch - 48;
    if (c >= 0 && c <= 9) {
      mant = mant * 10 + c;
      digits++;
      if (seenDot) scale++;
    } else if (ch === 46 && !seenDot) seenDot = true;
    else break;
  }
  if (i !== end || digits === 0 || digits > 15) {
    const s = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
    return NUMBER_TEXT.test(s) ? Number(s) : NaN;
  }
  const v = scale === 0 ? mant : mant / POW10[scale];
  return neg ? -v : v;
}

/** True when `buf[start .. end)` is a number as JSON writes it, so it can be copied into JSON text as is. */
export function isJsonNumber(buf: Uint8Array, start: number, end: number): boolean {
  let i = start;
  if (i < end && buf[i] === 45) i++;
  if (i >= end) return false;
  if (buf[i] === 48) i++;
  else if (buf[i] >= 49 && buf[i] <= 57) while (i < end && buf[i] >= 48 && buf[i] <= 57) i++;
  else return false;
  if (i < end && buf[i] === 46) {
    i++;
    const d = i;
    while (i < end && buf[i] >= 48 && buf[i] <= 57) i++;
    if (i === d) return false;
  }
  if (i < end && (buf[i] === 101 || buf[i] === 69)) {
    i++;
    if (i < end && (buf[i] === 43 || buf[i] === 45)) i++;
    const d = i;
    while (i < end && buf[i] >= 48 && buf[i] <= 57) i++;
    if (i === d) return false;
  }
  return i === end;
}

/** True when a string value holds an escape or a non-ASCII byte, i.e. cannot be copied as it is. */
export function needsDecode(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 92 || c >= 128) return true;
  }
  return false;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function simpleEscape(c: number): number {
  switch (c) {
    case 92:
      return 92;
    case 34:
      return 34;
    case 98:
      return 8;
    case 102:
      return 12;
    case 110:
      return 10;
    case 114:
      return 13;
    case 116:
      return 9;
    default:
      return -1;
  }
}

const unescaped = new ByteWriter(256);

/**
 * Appends a Zeek string value to `out` as valid UTF-8: escapes decoded (an unknown escape is kept as
 * written), then every byte that does not start or continue a valid UTF-8 sequence written as `\xHH`.
 */
export function decodeZeekString(buf: Uint8Array, start: number, end: number, out: ByteWriter): void {
  const u = unescaped;
  u.reset();
  u.ensure(end - start);
  const t = u.buf;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 92 && i + 1 < end) {
      const d = buf[i + 1];
      if (d === 120 && i + 3 < end) {
        const hi = hexValue(buf[i + 2]);
        const lo = hexValue(buf[i + 3]);
        if (hi >= 0 && lo >= 0) {
          t[n++] = (hi << 4) | lo;
          i += 3;
          continue;
        }
      } else {
        const e = simpleEscape(d);
        if (e >= 0) {
          t[n++] = e;
          i++;
          continue;
        }
      }
    }
    t[n++] = c;
  }
  out.ensure(n * 4);
  for (let i = 0; i < n; ) {
    const len = utf8SequenceLength(t, i, n);
    if (len === 0) {
      out.hexEscape(t[i]);
      i++;
    } else {
      out.bytes(t, i, i + len);
      i += len;
    }
  }
}

/** Length of the valid UTF-8 sequence starting at `b[i]` (overlongs, surrogates and > U+10FFFF refused), or 0. */
export function utf8SequenceLength(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  if (c < 0xc2 || c > 0xf4) return 0;
  if (c < 0xe0) return i + 1 < end && (b[i + 1] & 0xc0) === 0x80 ? 2 : 0;
  const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
  const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
  if (i + 1 >= end || b[i + 1] < lo || b[i + 1] > hi) return 0;
  if (i + 2 >= end || (b[i + 2] & 0xc0) !== 0x80) return 0;
  if (c < 0xf0) return 3;
  return i + 3 < end && (b[i + 3] & 0xc0) === 0x80 ? 4 : 0;
}

const forString = new ByteWriter(256);

/** A Zeek string value as a JS string (escapes decoded), for the few places that need one. */
export function zeekString(buf: Buffer, start: number, end: number): string {
  if (!needsDecode(buf, start, end)) return latin1(buf, start, end);
  forString.reset();
  decodeZeekString(buf, start, end, forString);
  return Buffer.from(forString.buf.buffer, forString.buf.byteOffset, forString.len).toString('utf8');
}
