/**
 * The CEF extension (`key=value` pairs separated by spaces, a value running to the space before the
 * next key) split straight from the line's bytes into offset arrays, so a line costs no string per
 * value: values are decoded to strings only when a column needs one, and copied into `extra` as JSON
 * with their CEF escapes (`\=`, `\\`, `\n`, `\r`) undone on the way.
 */
import type { ByteWriter } from '../zeek/byte-writer.js';
import { latin1 } from '../zeek/zeek-values.js';
import { ByteInterner } from './byte-intern.js';
import { uintField } from './byte-fields.js';
import { ViewCache, copyEscaped, findByte } from '../word-copy.js';

function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45 || c === 91 || c === 93;
}

function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** A value with CEF escapes undone (a backslash at the very end stays). */
export function unescapeValue(v: string): string {
  if (v.indexOf('\\') < 0) return v;
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '\\' && i + 1 < v.length) {
      const n = v[++i];
      out += n === 'n' ? '\n' : n === 'r' ? '\r' : n;
    } else out += c;
  }
  return out;
}

/** The key/value pairs of one extension, as byte ranges of the line. */
export class ExtensionPairs {
  count = 0;
  keyStart = new Int32Array(64);
  keyEnd = new Int32Array(64);
  valStart = new Int32Array(64);
  valEnd = new Int32Array(64);
  keyIds = new Int32Array(64);
  /** 1 when the value ends in a byte above ASCII: JS trims some of those (U+00A0...), so it is read as a string. */
  odd = new Uint8Array(64);
  private buf: Buffer = Buffer.alloc(0);
  private readonly views = new ViewCache();
  private view: DataView = this.views.of(this.buf);
  private readonly outViews = new ViewCache();
  /** Key strings by their bytes: a device repeats its keys, so each is made once. */
  readonly keys = new ByteInterner();

  /** Splits `b[from..to)`. */
  scan(b: Buffer, from: number, to: number): void {
    const gen = this.keys.generation;
    this.split(b, from, to);
    if (this.keys.generation !== gen) {
      // The interner started over during this line: ids given before that are stale.
      for (let i = 0; i < this.count; i++) this.keyIds[i] = this.keys.intern(b, this.keyStart[i], this.keyEnd[i]);
    }
  }

  private split(b: Buffer, from: number, to: number): void {
    this.buf = b;
    const dv = (this.view = this.views.of(b));
    this.count = 0;
    let i = from;
    while (i < to && b[i] === 32) i++;
    let eq = nextEquals(b, dv, from, i, to);
    if (eq < 0) return;
    let keyS = i;
    let keyE = eq;
    let valS = eq + 1;
    let at = valS;
    for (;;) {
      const next = nextEquals(b, dv, from, at, to);
      if (next < 0) break;
      let sp = next - 1;
      while (sp >= valS && b[sp] !== 32) sp--;
      let ok = sp >= valS && sp + 1 < next;
      for (let k = sp + 1; ok && k < next; k++) ok = isKeyChar(b[k]);
      if (!ok) {
        at = next + 1; // a bare `=` inside a value
        continue;
      }
      this.push(keyS, keyE, valS, sp);
      keyS = sp + 1;
      keyE = next;
      valS = at = next + 1;
      eq = next;
    }
    this.push(keyS, keyE, valS, to);
  }

  private push(ks: number, ke: number, vs: number, ve: number): void {
    const b = this.buf;
    const n = this.count;
    if (n === this.keyStart.length) this.grow();
    while (ve > vs && isAsciiSpace(b[ve - 1])) ve--;
    this.keyStart[n] = ks;
    this.keyEnd[n] = ke;
    this.keyIds[n] = this.keys.intern(b, ks, ke);
    this.valStart[n] = vs;
    this.valEnd[n] = ve;
    this.odd[n] = ve > vs && b[ve - 1] >= 128 ? 1 : 0;
    this.count = n + 1;
  }

  private grow(): void {
    const n = this.keyStart.length * 2;
    const g = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const x = new Int32Array(n);
      x.set(a);
      return x;
    };
    this.keyStart = g(this.keyStart);
    this.keyEnd = g(this.keyEnd);
    this.valStart = g(this.valStart);
    this.valEnd = g(this.valEnd);
    this.keyIds = g(this.keyIds);
    const o = new Uint8Array(n);
    o.set(this.odd);
    this.odd = o;
  }

  /** Key i's id in `keys` (-1 for a key too long to intern). */
  keyId(i: number): number {
    return this.keyIds[i];
  }

  /** Key i as a string. */
  key(i: number): string {
    const id = this.keyId(i);
    return id >= 0 ? this.keys.strings[id] : this.buf.toString('utf8', this.keyStart[i], this.keyEnd[i]);
  }

  /** Value i as a string, escapes undone. */
  value(i: number): string {
    const b = this.buf;
    const s = this.valStart[i];
    const e = this.valEnd[i];
    if (this.odd[i] === 1) return unescapeValue(b.toString('utf8', s, e).trimEnd());
    const v = text(b, s, e);
    for (let j = s; j < e; j++) if (b[j] === 92) return unescapeValue(v);
    return v;
  }

  /** Whether value i is empty. */
  empty(i: number): boolean {
    return this.valEnd[i] === this.valStart[i];
  }

  /** Value i's bytes as a decimal number, -1 when they are not plain digits (or more than `digits`). */
  digits(i: number, digits: number): number {
    return uintField(this.buf, this.valStart[i], this.valEnd[i], digits, Number.MAX_SAFE_INTEGER);
  }


  /** Whether value i is plain digits without a leading zero (a number column gives its text back). */
  canonicalUint(i: number): boolean {
    const s = this.valStart[i];
    return this.digits(i, 15) >= 0 && (this.valEnd[i] - s === 1 || this.buf[s] !== 48);
  }

  /** Whether value i starts with four digits and a dash (an ISO 8601 date). */
  startsWithYear(i: number): boolean {
    const b = this.buf;
    const s = this.valStart[i];
    if (this.valEnd[i] - s < 5) return false;
    for (let j = s; j < s + 4; j++) if (b[j] < 48 || b[j] > 57) return false;
    return b[s + 4] === 45;
  }

  /** Writes value i as the inside of a JSON string and its closing quote, CEF escapes undone. */
  writeJson(w: ByteWriter, i: number): void {
    if (this.odd[i] === 1) {
      const enc = Buffer.from(JSON.stringify(this.value(i)));
      w.bytes(enc, 1, enc.length - 1);
      w.byte(34);
      return;
    }
    const b = this.buf;
    const dv = this.view;
    const s = this.valStart[i];
    const e = this.valEnd[i];
    w.ensure((e - s) * 6 + 1);
    const o = w.buf;
    const ov = this.outViews.of(o);
    let p = w.len;
    let run = s;
    for (;;) {
      // A backslash escapes the byte after it; one at the very end stays as it is.
      const j = findByte(b, dv, run, e, 92);
      if (j >= e - 1) break;
      p = copyEscaped(o, ov, p, b, dv, run, j);
      const n = b[j + 1];
      if (n === 110 || n === 114) {
        o[p++] = 92;
        o[p++] = n;
      } else p = copyEscaped(o, ov, p, b, dv, j + 1, j + 2);
      run = j + 2;
    }
    p = copyEscaped(o, ov, p, b, dv, run, e);
    o[p++] = 34;
    w.len = p;
  }
}

/** Bytes as a string: latin1 when ASCII (a copy V8 makes cheaply), else UTF-8. */
function text(b: Buffer, s: number, e: number): string {
  for (let j = s; j < e; j++) if (b[j] >= 128) return b.toString('utf8', s, e);
  return latin1(b, s, e);
}

/** Next `=` at or after `i` not escaped by a backslash (backslashes counted back to `from`), or -1. */
function nextEquals(b: Uint8Array, dv: DataView, from: number, i: number, to: number): number {
  for (;;) {
    const j = findByte(b, dv, i, to, 61);
    if (j >= to) return -1;
    let bs = 0;
    for (let k = j - 1; k >= from && b[k] === 92; k--) bs++;
    if (bs % 2 === 0) return j;
    i = j + 1;
  }
}
