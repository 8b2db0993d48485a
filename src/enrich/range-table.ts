/**
 * Address ranges to values, looked up by binary search over sorted typed arrays: the compact form of
 * a geolocation or ASN table (hundreds of thousands of ranges in a few MB, a lookup in under a
 * microsecond). Source tables may overlap (a more specific block inside a broader one); building
 * flattens them so the narrowest range holding an address wins, as with routing.
 */

/** One inclusive range and the value index it maps to. */
export interface RangeInput {
  start: bigint;
  end: bigint;
  value: number;
}

/** Sorted, non-overlapping ranges of one address family. */
export interface RangeTable {
  /** Bits of the family's addresses (32 or 128). */
  readonly bits: 32 | 128;
  /** Start and end of each range: one word per range for IPv4, hi/lo pairs for IPv6. */
  readonly starts: Uint32Array | BigUint64Array;
  readonly ends: Uint32Array | BigUint64Array;
  readonly values: Uint32Array;
}

/** Flattens possibly overlapping ranges (narrowest wins; later wins between equal ones) into a table. */
export function buildRangeTable(bits: 32 | 128, input: RangeInput[]): RangeTable {
  input.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.end > b.end ? -1 : a.end < b.end ? 1 : 0));
  const outS: bigint[] = [];
  const outE: bigint[] = [];
  const outV: number[] = [];
  const emit = (s: bigint, e: bigint, v: number): void => {
    if (s > e) return;
    const n = outV.length - 1;
    if (n >= 0 && outV[n] === v && outE[n] + 1n === s) outE[n] = e;
    else {
      outS.push(s);
      outE.push(e);
      outV.push(v);
    }
  };
  const stack: RangeInput[] = [];
  let cursor = 0n; // everything below it is emitted or uncovered
  for (const r of input) {
    // Close the ranges that end before this one starts, innermost first.
    while (stack.length > 0 && stack[stack.length - 1].end < r.start) {
      const t = stack.pop()!;
      emit(cursor, t.end, t.value);
      cursor = t.end + 1n;
    }
    if (stack.length > 0) {
      emit(cursor, r.start - 1n, stack[stack.length - 1].value);
      // A range overlapping the enclosing one's end (not nested): this one takes over from here.
      while (stack.length > 0 && stack[stack.length - 1].end < r.end) stack.pop();
    }
    cursor = r.start;
    stack.push(r);
  }
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (t.end >= cursor) {
      emit(cursor, t.end, t.value);
      cursor = t.end + 1n;
    }
  }
  const n = outV.length;
  if (bits === 32) {
    return { bits, starts: Uint32Array.from(outS, Number), ends: Uint32Array.from(outE, Number), values: Uint32Array.from(outV) };
  }
  const starts = new BigUint64Array(n * 2);
  const ends = new BigUint64Array(n * 2);
  const mask = (1n << 64n) - 1n;
  for (let i = 0; i < n; i++) {
    starts[2 * i] = outS[i] >> 64n;
    starts[2 * i + 1] = outS[i] & mask;
    ends[2 * i] = outE[i] >> 64n;
    ends[2 * i + 1] = outE[i] & mask;
  }
  return { bits, starts, ends, values: Uint32Array.from(outV) };
}

/** The value index for an IPv4 address as a 32-bit number, or -1. */
export function lookupV4(t: RangeTable, ip: number): number {
  const s = t.starts as Uint32Array;
  let lo = 0;
  let hi = s.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid] <= ip) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && ip <= (t.ends as Uint32Array)[found] ? t.values[found] : -1;
}

/** The value index for an IPv6 address given as its two 64-bit halves, or -1. */
export function lookupV6(t: RangeTable, hiWord: bigint, loWord: bigint): number {
  const s = t.starts as BigUint64Array;
  const e = t.ends as BigUint64Array;
  let lo = 0;
  let hi = t.values.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const sh = s[2 * mid];
    if (sh < hiWord || (sh === hiWord && s[2 * mid + 1] <= loWord)) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return -1;
  const eh = e[2 * found];
  return hiWord < eh || (hiWord === eh && loWord <= e[2 * found + 1]) ? t.values[found] : -1;
}
