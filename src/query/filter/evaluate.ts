/**
 * The bound filter evaluated over one record in TypeScript: the twin of `compile.ts`, used by the
 * property tests that hold the two to the same answers and by streaming detections that test records
 * before they are stored. A record carries each field's value under the field's canonical name;
 * timestamps may be microseconds (number or bigint) or ISO text, as the store returns them.
 */
import type { QueryField } from '../catalog.js';
import { addressInCidr } from '../cidr-sql.js';
import type { Bound, BoundValue, Test } from './bound.js';
import { isList } from './bound.js';
import { globRegExp } from './glob.js';

/** Microseconds of an ISO time `2024-03-01T12:00:00.123456Z`, or NaN. */
function isoToMicros(s: string): number {
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) return NaN;
  const frac = /\.(\d+)/.exec(s);
  return ms * 1000 + (frac && frac[1].length > 3 ? Number(frac[1].slice(3, 6).padEnd(3, '0')) : 0);
}

/** A stored value as the comparable scalar of its field type, or null when missing. */
function scalar(f: QueryField, v: unknown): BoundValue | null {
  if (v === null || v === undefined) return null;
  if (f.type === 'timestamp') {
    if (typeof v === 'string') return isoToMicros(v);
    if (v instanceof Date) return v.getTime() * 1000;
    return Number(v);
  }
  if (f.type === 'number' || f.type === 'number[]') return Number(v);
  if (typeof v === 'bigint') return String(v);
  return v as BoundValue;
}

const regexps = new WeakMap<Test, RegExp>();

function holds(f: QueryField, raw: unknown, test: Test): boolean {
  const x = scalar(f, raw);
  if (x === null) return false;
  switch (test.t) {
    case 'eq':
      return x === test.v;
    case 'in':
      return test.vs.includes(x);
    case 'cmp': {
      const n = x as number;
      if (Number.isNaN(n)) return false;
      return test.op === '<' ? n < test.v : test.op === '<=' ? n <= test.v : test.op === '>' ? n > test.v : n >= test.v;
    }
    case 'like': {
      const s = String(x).toLowerCase();
      if (!test.glob) return s === test.text;
      let re = regexps.get(test);
      if (!re) regexps.set(test, (re = globRegExp(test.text)));
      return re.test(s);
    }
    case 'cidr':
      return typeof x === 'string' && addressInCidr(x, test.c);
    case 'range':
      return (x as number) >= test.lo && (x as number) <= test.hi;
    case 'exists':
      return true;
  }
}

function predicate(f: QueryField, v: unknown, test: Test): boolean {
  if (!isList(f)) return holds(f, v, test);
  if (!Array.isArray(v)) return false;
  if (test.t === 'exists') return v.length > 0;
  return v.some((el) => holds(f, el, test));
}

/** True when the record passes the bound filter. */
export function evaluateBound(b: Bound, row: Readonly<Record<string, unknown>>): boolean {
  switch (b.k) {
    case 'not':
      return !evaluateBound(b.item, row);
    case 'and':
      return b.items.every((i) => evaluateBound(i, row));
    case 'or':
      return b.items.some((i) => evaluateBound(i, row));
    case 'pred':
      return predicate(b.field, row[b.field.name], b.test);
  }
}
