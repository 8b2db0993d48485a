/**
 * Splits one line holding a flat JSON object (what Zeek's JSON writer produces) into key and value
 * byte ranges, validating the JSON grammar as it goes, without creating strings or objects. It only
 * accepts what the fast Zeek JSON path can reproduce exactly: scalar values and arrays of scalars,
 * strings of printable ASCII without escapes. Anything else (nested objects, escapes, non-ASCII text,
 * invalid JSON) makes it answer false and the caller falls back to JSON.parse, which also reports
 * invalid lines.
 *
 * Why not the cloud decoders' JsonSpanReader (decode/cloud/json-span-reader.ts), which reads any JSON:
 * walking a conn line with it cost 0.76 CPU-s per 1 M lines against 0.68 here, and it reads each key
 * before the caller can compare it, where this scanner hands the key to a KeyResolver that recognises it
 * in the same pass (another 0.15-0.2 CPU-s per 1 M lines).
 */

/** Value kind: string; its range is the text between the quotes. */
export const J_STR = 1;
/** Value kind: number; its range is the number's text. */
export const J_NUM = 2;
/** Value kind: `true`. */
export const J_TRUE = 3;
/** Value kind: `false`. */
export const J_FALSE = 4;
/** Value kind: `null`. */
export const J_NULL = 5;
/** Value kind: array of scalars; its range runs from `[` to `]` inclusive, its items are in the item table. */
export const J_ARR = 6;

/** Most members a line may have on the fast path; longer objects take the JSON.parse path. */
const MAX_MEMBERS = 512;

/** Recognises keys as the scanner meets them, so a key's bytes are read once. */
export interface KeyResolver {
  /**
   * Recognises member `m`'s key, whose text starts at `p`; returns the index of its closing quote, or -1
   * when it is not a plain string (see stringEnd).
   */
  key(buf: Uint8Array, p: number, e: number, m: number): number;
}

/** Value ranges of the last scanned line, reused from line to line (keys are the resolver's business). */
export class JsonLineTokens {
  /** Members found. */
  count = 0;
  readonly valStart = new Int32Array(MAX_MEMBERS);
  readonly valEnd = new Int32Array(MAX_MEMBERS);
  readonly kind = new Uint8Array(MAX_MEMBERS);
  /** For a number member: its value when it is a plain unsigned integer of at most 15 digits, else NaN (parse the text). */
  readonly num = new Float64Array(MAX_MEMBERS);
  /** For an array member: index of its first item in the item table, and its item count. */
  readonly first = new Int32Array(MAX_MEMBERS);
  readonly items = new Int32Array(MAX_MEMBERS);
  /** For an array member: 1 when it holds no whitespace (so its bytes are what JSON.stringify writes). */
  readonly tight = new Uint8Array(MAX_MEMBERS);
  itemCount = 0;
  itemStart = new Int32Array(256);
  itemEnd = new Int32Array(256);
  itemKind = new Uint8Array(256);

  /** Appends one array item. */
  addItem(kind: number, start: number, end: number): void {
    const n = this.itemCount;
    if (n >= this.itemKind.length) this.growItems();
    this.itemStart[n] = start;
    this.itemEnd[n] = end;
    this.itemKind[n] = kind;
    this.itemCount = n + 1;
  }

  private growItems(): void {
    const size = this.itemKind.length * 2;
    const s = new Int32Array(size);
    s.set(this.itemStart);
    const e = new Int32Array(size);
    e.set(this.itemEnd);
    const k = new Uint8Array(size);
    k.set(this.itemKind);
    this.itemStart = s;
    this.itemEnd = e;
    this.itemKind = k;
  }
}

/** Index just after a valid JSON number starting at `p`, or -1. */
export function numberEnd(buf: Uint8Array, p: number, e: number): number {
  if (p < e && buf[p] === 45) p++;
  if (p >= e) return -1;
  if (buf[p] === 48) p++;
  else if (buf[p] >= 49 && buf[p] <= 57) while (p < e && buf[p] >= 48 && buf[p] <= 57) p++;
  else return -1;
  if (p < e && buf[p] === 46) {
    const f = ++p;
    while (p < e && buf[p] >= 48 && buf[p] <= 57) p++;
    if (p === f) return -1;
  }
  if (p < e && (buf[p] === 101 || buf[p] === 69)) {
    p++;
    if (p < e && (buf[p] === 43 || buf[p] === 45)) p++;
    const x = p;
    while (p < e && buf[p] >= 48 && buf[p] <= 57) p++;
    if (p === x) return -1;
  }
  return p;
}

/** 0 for a byte a plain string may hold, 1 for its closing quote, 2 for a byte it may not (escape, control, non-ASCII). */
const STR_CLASS = new Uint8Array(256).map((_, c) => (c === 34 ? 1 : c === 92 || c < 32 || c >= 128 ? 2 : 0));

/** Index of the closing quote of a plain string whose text starts at `p`, or -1 (escape, control or non-ASCII byte). */
export function stringEnd(buf: Uint8Array, p: number, e: number): number {
  // One table load per byte instead of four comparisons.
  while (p < e && STR_CLASS[buf[p]] === 0) p++;
  return p < e && buf[p] === 34 ? p : -1;
}

function literalEnd(buf: Uint8Array, p: number, e: number, c: number): number {
  // true, false, null: the first byte is known, the rest must follow.
  if (c === 116) return p + 4 <= e && buf[p + 1] === 114 && buf[p + 2] === 117 && buf[p + 3] === 101 ? p + 4 : -1;
  if (c === 102) {
    return p + 5 <= e && buf[p + 1] === 97 && buf[p + 2] === 108 && buf[p + 3] === 115 && buf[p + 4] === 101 ? p + 5 : -1;
  }
  return p + 4 <= e && buf[p + 1] === 117 && buf[p + 2] === 108 && buf[p + 3] === 108 ? p + 4 : -1;
}

function skipWs(buf: Uint8Array, p: number, e: number): number {
  while (p < e) {
    const c = buf[p];
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) break;
    p++;
  }
  return p;
}

/** Kind of the scalar starting with byte `c`, or 0 when it cannot start a scalar. */
function scalarKind(c: number): number {
  if (c === 34) return J_STR;
  if (c === 45 || (c >= 48 && c <= 57)) return J_NUM;
  if (c === 116) return J_TRUE;
  if (c === 102) return J_FALSE;
  if (c === 110) return J_NULL;
  return 0;
}

/** End of the scalar of kind `k` starting at `p` (for a string: its closing quote), or -1. */
function scalarEnd(buf: Uint8Array, p: number, e: number, k: number): number {
  if (k === J_STR) return stringEnd(buf, p + 1, e);
  if (k === J_NUM) return numberEnd(buf, p, e);
  return literalEnd(buf, p, e, buf[p]);
}

/**
 * numberEnd for member `m`, also leaving the value of a plain unsigned integer (ports, counts: most of a
 * conn line's numbers) in `t.num[m]`, so it is read once; NaN for any other number.
 */
function valuedNumberEnd(buf: Uint8Array, p: number, e: number, t: JsonLineTokens, m: number): number {
  let q = p;
  let v = 0;
  for (; q < e; q++) {
    const d = buf[q] - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  const next = q < e ? buf[q] : 0;
  if (q > p && q - p <= 15 && (buf[p] !== 48 || q === p + 1) && next !== 46 && next !== 101 && next !== 69) {
    t.num[m] = v;
    return q;
  }
  t.num[m] = NaN;
  return numberEnd(buf, p, e);
}

/** Scans an array of scalars starting at `[` (index `p`) as member `m`; the index after `]`, or -1. */
function scanArray(buf: Uint8Array, p: number, e: number, t: JsonLineTokens, m: number): number {
  t.first[m] = t.itemCount;
  let tight = 1;
  let n = 0;
  let q = p + 1;
  let r = skipWs(buf, q, e);
  if (r !== q) tight = 0;
  q = r;
  if (q < e && buf[q] === 93) {
    t.items[m] = 0;
    t.tight[m] = tight;
    return q + 1;
  }
  for (;;) {
    if (q >= e) return -1;
    const k = scalarKind(buf[q]);
    if (k === 0) return -1;
    const end = scalarEnd(buf, q, e, k);
    if (end < 0) return -1;
    if (k === J_STR) {
      t.addItem(k, q + 1, end);
      q = end + 1;
    } else {
      t.addItem(k, q, end);
      q = end;
    }
    n++;
    r = skipWs(buf, q, e);
    if (r !== q) tight = 0;
    q = r;
    if (q >= e) return -1;
    if (buf[q] === 93) break;
    if (buf[q] !== 44) return -1;
    q++;
    r = skipWs(buf, q, e);
    if (r !== q) tight = 0;
    q = r;
  }
  t.items[m] = n;
  t.tight[m] = tight;
  return q + 1;
}

/**
 * Scans the line `buf[s .. e)` into `t`, handing each key to `keys`; false when it is not a flat JSON
 * object of the supported kind (the caller then parses it the general way).
 */
export function scanJsonLine(buf: Uint8Array, s: number, e: number, t: JsonLineTokens, keys: KeyResolver): boolean {
  t.count = 0;
  t.itemCount = 0;
  let p = skipWs(buf, s, e);
  if (p >= e || buf[p] !== 123) return false;
  p = skipWs(buf, p + 1, e);
  if (p < e && buf[p] === 125) return skipWs(buf, p + 1, e) === e;
  let m = 0;
  for (;;) {
    if (m >= MAX_MEMBERS || p >= e || buf[p] !== 34) return false;
    const ke = keys.key(buf, p + 1, e, m);
    if (ke < 0) return false;
    p = skipWs(buf, ke + 1, e);
    if (p >= e || buf[p] !== 58) return false;
    p = skipWs(buf, p + 1, e);
    if (p >= e) return false;
    const c = buf[p];
    if (c === 91) {
      const end = scanArray(buf, p, e, t, m);
      if (end < 0) return false;
      t.kind[m] = J_ARR;
      t.valStart[m] = p;
      t.valEnd[m] = end;
      p = end;
    } else {
      const k = scalarKind(c);
      if (k === 0) return false;
      const end = k === J_NUM ? valuedNumberEnd(buf, p, e, t, m) : scalarEnd(buf, p, e, k);
      if (end < 0) return false;
      t.kind[m] = k;
      if (k === J_STR) {
        t.valStart[m] = p + 1;
        t.valEnd[m] = end;
        p = end + 1;
      } else {
        t.valStart[m] = p;
        t.valEnd[m] = end;
        p = end;
      }
    }
    m++;
    p = skipWs(buf, p, e);
    if (p >= e) return false;
    if (buf[p] === 125) break;
    if (buf[p] !== 44) return false;
    p = skipWs(buf, p + 1, e);
  }
  t.count = m;
  return skipWs(buf, p + 1, e) === e;
}
