/**
 * Builds `extra` from the record's own bytes: the members of the line's JSON object that did not go to
 * columns, copied as they were written. Measured on flow lines, rebuilding an object and calling
 * JSON.stringify cost about as much as JSON.parse itself; copying byte ranges costs a fraction of it,
 * and keeps values exactly as the sensor wrote them (integers beyond 2^53 included).
 *
 * The scanner assumes well-formed JSON: it runs only on lines JSON.parse has accepted. Keys written
 * with escapes never match a column's name, so at worst such a member is kept twice, never lost.
 */

/** A fixed set of member names, looked up from raw bytes without making strings. */
export class KeyTable {
  private readonly names: Buffer[];
  /** For each name length, the indexes of the names of that length (most lengths have one or none). */
  private readonly byLength: number[][] = [];

  constructor(names: readonly string[]) {
    this.names = names.map((n) => Buffer.from(n, 'latin1'));
    this.names.forEach((n, k) => (this.byLength[n.length] ??= []).push(k));
  }

  /** Index of the name equal to buf[a..b), or -1. */
  match(buf: Buffer, a: number, b: number): number {
    const candidates = this.byLength[b - a];
    if (candidates === undefined) return -1;
    outer: for (let j = 0; j < candidates.length; j++) {
      const k = candidates[j];
      const name = this.names[k];
      for (let i = a; i < b; i++) if (buf[i] !== name[i - a]) continue outer;
      return k;
    }
    return -1;
  }
}

function skipWs(buf: Buffer, i: number, end: number): number {
  while (i < end) {
    const c = buf[i];
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return i;
    i++;
  }
  return i;
}

/** Index just past the closing quote of the string opening at `i`. */
function skipString(buf: Buffer, i: number, end: number): number {
  for (i++; i < end; i++) {
    const c = buf[i];
    if (c === 34) return i + 1;
    if (c === 92) i++;
  }
  return end;
}

/** Index just past the JSON value starting at `i`. */
function skipValue(buf: Buffer, i: number, end: number): number {
  const c = buf[i];
  if (c === 34) return skipString(buf, i, end);
  if (c === 123 || c === 91) {
    let depth = 0;
    for (; i < end; i++) {
      const d = buf[i];
      if (d === 34) {
        for (i++; i < end; i++) {
          const e = buf[i];
          if (e === 34) break;
          if (e === 92) i++;
        }
      } else if (d === 123 || d === 91) depth++;
      else if ((d === 125 || d === 93) && --depth === 0) return i + 1;
    }
    return end;
  }
  for (; i < end; i++) {
    const d = buf[i];
    if (d === 44 || d === 125 || d === 93 || d === 32 || d === 9 || d === 10 || d === 13) return i;
  }
  return end;
}

/** Filters the members of one JSON object of a line into a reused output buffer. */
export class RawFilter {
  private out = Buffer.alloc(4096);
  /** Bytes of output written by the last filter() call. */
  length = 0;

  /**
   * Copies the members of the object opening at buf[start] (ending before `end`) into the output,
   * dropping those whose key is in `top` with `drop[index]` set. The member whose key has index
   * `subIndex` is itself filtered, dropping every key found in `sub` (and left out if nothing
   * remains). Returns false when nothing is left.
   */
  filter(buf: Buffer, start: number, end: number, top: KeyTable, drop: Uint8Array, subIndex: number, sub: KeyTable | null): boolean {
    this.reserve(end - start + 2);
    this.length = 0;
    this.members(buf, start, end, top, drop, subIndex, sub);
    return this.length > 2;
  }

  /** The output bytes (valid until the next call). */
  get bytes(): Buffer {
    return this.out;
  }

  private members(buf: Buffer, start: number, end: number, table: KeyTable, drop: Uint8Array | null, subIndex: number, sub: KeyTable | null): void {
    const out = this.out;
    const open = this.length;
    let p = open;
    out[p++] = 123;
    let i = skipWs(buf, start + 1, end);
    let first = true;
    while (i < end && buf[i] === 34) {
      const keyEnd = skipString(buf, i, end);
      const k = table.match(buf, i + 1, keyEnd - 1);
      const vs = skipWs(buf, skipWs(buf, keyEnd, end) + 1, end);
      const ve = skipValue(buf, vs, end);
      if (k < 0 || (drop !== null && drop[k] === 0 && k !== subIndex)) {
        if (!first) out[p++] = 44;
        first = false;
        p = copy(buf, i, keyEnd, out, p);
        out[p++] = 58;
        p = copy(buf, vs, ve, out, p);
      } else if (k === subIndex && sub !== null) {
        if (buf[vs] !== 123) {
          if (!first) out[p++] = 44;
          first = false;
          p = copy(buf, i, keyEnd, out, p);
          out[p++] = 58;
          p = copy(buf, vs, ve, out, p);
        } else {
          const mark = p;
          if (!first) out[p++] = 44;
          p = copy(buf, i, keyEnd, out, p);
          out[p++] = 58;
          this.length = p;
          this.members(buf, vs, ve, sub, null, -1, null);
          if (this.length - p > 2) {
            p = this.length;
            first = false;
          } else p = mark; // the sub-object had nothing else: leave the member out
        }
      }
      i = skipWs(buf, ve, end);
      if (buf[i] === 44) i = skipWs(buf, i + 1, end);
    }
    out[p++] = 125;
    this.length = p;
  }

  private reserve(n: number): void {
    if (this.out.length >= n) return;
    let size = this.out.length * 2;
    while (size < n) size *= 2;
    this.out = Buffer.alloc(size);
  }
}

function copy(src: Buffer, a: number, b: number, dst: Buffer, p: number): number {
  if (b - a > 48) return p + src.copy(dst, p, a, b);
  for (let i = a; i < b; i++) dst[p++] = src[i];
  return p;
}
