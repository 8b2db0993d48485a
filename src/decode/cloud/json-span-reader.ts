/**
 * Reads JSON text as bytes without building values: checks that a value is valid JSON (RFC 8259
 * grammar, the same that `JSON.parse` accepts) and finds the byte spans of an object's members, so a
 * decoder takes the few fields it maps and copies the rest to `extra` as the bytes they already are.
 *
 * Written here rather than taken from a library: the npm JSON parsers all build JS values (that cost
 * is what this avoids), and the streaming tokenizers emit a string per key and value. Nesting is
 * followed with a fixed stack (no recursion), deeper than `MAX_DEPTH` counts as "cannot read", and
 * every failure is a -1 the caller answers by falling back to `JSON.parse`: the reader may refuse valid
 * JSON, never accept invalid JSON. Non-ASCII bytes are only noted (`high`): the caller checks UTF-8 natively.
 */
import { ViewCache, plainRunEnd } from '../word-copy.js';

/** Deepest nesting read; deeper values are refused (the caller falls back). */
export const MAX_DEPTH = 256;

/** 1 for the bytes a number or literal is made of. */
const IN_SCALAR = new Uint8Array(256);
for (const c of '0123456789+-.eEtrufalsn') IN_SCALAR[c.charCodeAt(0)] = 1;

const OBJ = 1;
const ARR = 2;

/** A reusable reader over one buffer at a time. */
export class JsonSpanReader {
  /** True when a string read since `reset` held a byte from 0x80 (the caller then checks UTF-8). */
  high = false;
  /** The bytes read; set with `reset`. */
  buf: Uint8Array = new Uint8Array(0);
  /** End of the readable bytes. */
  end = 0;
  /** True when the last `string` call met a backslash escape. */
  escaped = false;
  /**
   * Set by the caller once the whole text was read and found valid: `value` then only finds where a
   * value ends, without checking it again (walking into a checked object costs one pass, not two).
   */
  trusted = false;
  /** True when a `value` call skipped whitespace inside the value (copies must then drop it). */
  spaced = false;
  // Members of the object being walked: key span (quotes included) and value span.
  keyStart = 0;
  keyEnd = 0;
  keyEscaped = false;
  valStart = 0;
  valEnd = 0;
  /** The index after the walked object, once `next()` returned 0. */
  after = 0;
  private pos = 0;
  private first = false;
  private readonly stack = new Uint8Array(MAX_DEPTH);
  private readonly views = new ViewCache();
  private view: DataView = this.views.of(this.buf);

  /** Starts reading `buf` up to `end`. */
  reset(buf: Uint8Array, end: number): void {
    this.buf = buf;
    this.view = this.views.of(buf);
    this.end = end;
    this.high = false;
    this.trusted = false;
  }

  /** Index of the first byte at or after `i` that is not JSON whitespace. */
  ws(i: number): number {
    const b = this.buf;
    const end = this.end;
    while (i < end) {
      const c = b[i];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      i++;
    }
    return i;
  }

  /** Reads the string starting at `i` (its opening quote); returns the index after it, or -1. */
  string(i: number): number {
    const b = this.buf;
    const end = this.end;
    const dv = this.view;
    let escaped = false;
    i++;
    while (i < end) {
      i = plainRunEnd(b, dv, i, end);
      if (i >= end) break;
      const c = b[i++];
      if (c >= 0x80) {
        this.high = true;
        continue;
      }
      if (c === 0x22) {
        this.escaped = escaped;
        return i;
      }
      if (c !== 0x5c) return -1; // a control character
      escaped = true;
      if (i >= end) return -1;
      const e = b[i++];
      if (e === 0x75) {
        if (i + 4 > end || !isHex(b[i]) || !isHex(b[i + 1]) || !isHex(b[i + 2]) || !isHex(b[i + 3])) return -1;
        i += 4;
      } else if (e !== 0x22 && e !== 0x5c && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) return -1;
    }
    return -1;
  }

  /** Reads the number starting at `i`; returns the index after it, or -1. */
  number(i: number): number {
    const b = this.buf;
    const end = this.end;
    if (b[i] === 0x2d) i++;
    if (i >= end) return -1;
    if (b[i] === 0x30) i++;
    else if (b[i] >= 0x31 && b[i] <= 0x39) while (i < end && isDigit(b[i])) i++;
    else return -1;
    if (i < end && b[i] === 0x2e) {
      i++;
      if (i >= end || !isDigit(b[i])) return -1;
      while (i < end && isDigit(b[i])) i++;
    }
    if (i < end && (b[i] === 0x65 || b[i] === 0x45)) {
      i++;
      if (i < end && (b[i] === 0x2b || b[i] === 0x2d)) i++;
      if (i >= end || !isDigit(b[i])) return -1;
      while (i < end && isDigit(b[i])) i++;
    }
    return i;
  }

  /** Reads the value starting at `i` (no leading whitespace); returns the index after it, or -1. */
  value(i: number): number {
    if (this.trusted) return this.skipChecked(i);
    const b = this.buf;
    const end = this.end;
    const stack = this.stack;
    let depth = 0;
    let spaced = false;
    for (;;) {
      // A value is expected at i.
      if (i >= end) return -1;
      const c = b[i];
      if (c === 0x7b || c === 0x5b) {
        let j = i + 1;
        const k = this.ws(j);
        if (k !== j) spaced = true;
        j = k;
        if (j < end && b[j] === (c === 0x7b ? 0x7d : 0x5d)) {
          i = j + 1;
        } else {
          if (depth === MAX_DEPTH) return -1;
          stack[depth++] = c === 0x7b ? OBJ : ARR;
          if (c === 0x7b) {
            j = this.memberKey(j);
            if (j < 0) return -1;
            if (this.spaced) spaced = true;
          }
          i = j;
          continue;
        }
      } else if (c === 0x22) i = this.string(i);
      else if (c === 0x74) i = this.literal(i, 0x72, 0x75, 0x65, 4); // true
      else if (c === 0x66) i = this.literal(i, 0x61, 0x6c, 0x73, 5); // false
      else if (c === 0x6e) i = this.literal(i, 0x75, 0x6c, 0x6c, 4); // null
      else i = this.number(i);
      if (i < 0) return -1;
      // After a value: close containers or move to the next element.
      for (;;) {
        if (depth === 0) {
          this.spaced = spaced;
          return i;
        }
        let j = this.ws(i);
        if (j !== i) spaced = true;
        if (j >= end) return -1;
        const d = b[j];
        const top = stack[depth - 1];
        if (d === 0x2c) {
          const k = this.ws(j + 1);
          if (k !== j + 1) spaced = true;
          j = k;
          if (top === OBJ) {
            j = this.memberKey(j);
            if (j < 0) return -1;
            if (this.spaced) spaced = true;
          }
          i = j;
          break;
        }
        if (d !== (top === OBJ ? 0x7d : 0x5d)) return -1;
        depth--;
        i = j + 1;
      }
    }
  }

  /** The end of the value at `i` of text already found valid (see `trusted`). */
  private skipChecked(i: number): number {
    const b = this.buf;
    let depth = 0;
    let spaced = false;
    do {
      const c = b[i];
      if (c === 0x22) {
        // To the closing quote: runs of plain bytes four at a time, an escape's two bytes at once.
        i++;
        for (;;) {
          i = plainRunEnd(b, this.view, i, this.end);
          const d = b[i];
          if (d === 0x22) break;
          i += d === 0x5c ? 2 : 1;
        }
        i++;
      } else if (c === 0x7b || c === 0x5b) {
        depth++;
        i++;
      } else if (c === 0x7d || c === 0x5d) {
        depth--;
        i++;
      } else if (c === 0x2c || c === 0x3a) i++;
      else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        spaced = true;
        i++;
      } else {
        // A number or literal: up to the next delimiter.
        i++;
        while (i < this.end && IN_SCALAR[b[i]] === 1) i++;
      }
    } while (depth > 0);
    this.spaced = spaced;
    return i;
  }

  /**
   * Starts walking the members of the object at `i`; false when no object starts there. Then each
   * `next()` that returns 1 sets the member's key and value spans; 0 ends the object, -1 is an error.
   */
  open(i: number): boolean {
    if (i >= this.end || this.buf[i] !== 0x7b) return false;
    this.pos = this.ws(i + 1);
    this.first = true;
    return true;
  }

  /** Reads the next member of the walked object: 1 read, 0 at its end (`after` is then set), -1 invalid. */
  next(): number {
    const m = this.nextKey();
    return m === 1 && !this.skipValue() ? -1 : m;
  }

  /**
   * Reads the next member's key and the colon after it, leaving its value (from `valStart`) to the
   * caller: `skipValue()` reads past it, or the caller walks it and calls `endValue`. Returns as `next`.
   */
  nextKey(): number {
    const b = this.buf;
    let i = this.step(0x7d);
    if (i < 0) return i === -2 ? 0 : -1;
    if (i >= this.end || b[i] !== 0x22) return -1;
    this.keyStart = i;
    i = this.string(i);
    if (i < 0) return -1;
    this.keyEnd = i;
    this.keyEscaped = this.escaped;
    i = this.ws(i);
    if (i >= this.end || b[i] !== 0x3a) return -1;
    this.valStart = this.ws(i + 1);
    return 1;
  }

  /** Reads the value of the member whose key `nextKey` read; false when it is not valid JSON. */
  skipValue(): boolean {
    const i = this.value(this.valStart);
    if (i < 0) return false;
    this.endValue(i);
    return true;
  }

  /** Goes on after a member value the caller walked itself (with `open`/`next`), which ends at `at`. */
  endValue(at: number): void {
    this.valEnd = at;
    this.pos = this.ws(at);
    this.first = false;
  }

  /** Starts walking the elements of the array at `i` with `nextItem`; false when no array starts there. */
  openArray(i: number): boolean {
    if (i >= this.end || this.buf[i] !== 0x5b) return false;
    this.pos = this.ws(i + 1);
    this.first = true;
    return true;
  }

  /**
   * Moves to the next element of the walked array, leaving it (from `valStart`) to the caller as
   * `nextKey` does: 1 there is one, 0 at the array's end (`after` is then set), -1 invalid.
   */
  nextItem(): number {
    const i = this.step(0x5d);
    if (i < 0) return i === -2 ? 0 : -1;
    this.valStart = i;
    return 1;
  }

  /**
   * Steps to the next member or element of the walked container: past the comma, if not the first.
   * Returns its index, -2 at the container's end (`close`; `after` is then set), -1 when invalid.
   */
  private step(close: number): number {
    const b = this.buf;
    let i = this.pos;
    if (i >= this.end) return -1;
    if (b[i] === close) {
      this.after = i + 1;
      return -2;
    }
    if (this.first) this.first = false;
    else {
      if (b[i] !== 0x2c) return -1;
      i = this.ws(i + 1);
    }
    return i;
  }

  /** True when the walked member's key is `name` (plain ASCII, compared without unescaping). */
  keyIs(name: string): boolean {
    const s = this.keyStart + 1;
    if (this.keyEnd - 1 - s !== name.length) return false;
    const b = this.buf;
    for (let k = 0; k < name.length; k++) if (b[s + k] !== name.charCodeAt(k)) return false;
    return true;
  }

  /** Reads `"key"` `:` at `i` and the whitespace after it; returns the index of the value, or -1. */
  private memberKey(i: number): number {
    const b = this.buf;
    let spaced = false;
    if (i >= this.end || b[i] !== 0x22) return -1;
    i = this.string(i);
    if (i < 0) return -1;
    const j = this.ws(i);
    if (j !== i) spaced = true;
    if (j >= this.end || b[j] !== 0x3a) return -1;
    i = this.ws(j + 1);
    if (i !== j + 1) spaced = true;
    this.spaced = spaced;
    return i;
  }

  private literal(i: number, c1: number, c2: number, c3: number, n: number): number {
    const b = this.buf;
    if (i + n > this.end || b[i + 1] !== c1 || b[i + 2] !== c2 || b[i + 3] !== c3) return -1;
    if (n === 5 && b[i + 4] !== 0x65) return -1; // the 'e' of false
    return i + n;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/**
 * Copies the valid JSON value `src[start, end)` to `dst` at `at` without the whitespace between its
 * tokens; returns the index after the copy. `dst` must have `end - start` bytes of room.
 */
export function copyCompact(src: Uint8Array, start: number, end: number, dst: Uint8Array, at: number): number {
  let i = start;
  while (i < end) {
    const c = src[i++];
    if (c === 0x22) {
      dst[at++] = c;
      // Inside a string: copy through the closing quote, escapes included.
      for (;;) {
        const d = src[i++];
        dst[at++] = d;
        if (d === 0x5c) dst[at++] = src[i++];
        else if (d === 0x22) break;
      }
    } else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) dst[at++] = c;
  }
  return at;
}

/** A fixed set of plain ASCII member names, found by a key's bytes without making a string. */
export class KeySet {
  private readonly names: Uint8Array[];
  /** First name of each length (-1: none), then the next name of the same length. */
  private readonly byLength = new Int16Array(64).fill(-1);
  private readonly sameLength: Int16Array;

  constructor(names: readonly string[]) {
    this.names = names.map((n) => Buffer.from(n, 'latin1'));
    this.sameLength = new Int16Array(names.length).fill(-1);
    for (let k = names.length - 1; k >= 0; k--) {
      const len = names[k].length;
      if (len >= 64) throw new Error(`key too long for a KeySet: ${names[k]}`);
      this.sameLength[k] = this.byLength[len];
      this.byLength[len] = k;
    }
  }

  /** Index of the name the key token `buf[start, end)` (quotes included, no escapes) spells, or -1. */
  find(buf: Uint8Array, start: number, end: number): number {
    const len = end - start - 2;
    if (len >= 64) return -1;
    for (let k = this.byLength[len]; k >= 0; k = this.sameLength[k]) {
      const name = this.names[k];
      let i = 0;
      while (i < len && buf[start + 1 + i] === name[i]) i++;
      if (i === len) return k;
    }
    return -1;
  }
}
