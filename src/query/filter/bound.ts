/**
 * The bound filter: the syntax tree resolved against a field catalog, with every value converted to
 * the field's type. Only `and`, `or`, `not` and single-field predicates remain (BPF primitives become
 * predicates on the fields holding their roles), so the SQL compiler and the TypeScript evaluator
 * interpret exactly the same small set of tests.
 */
import type { QueryField } from '../catalog.js';
import type { Cidr } from '../cidr-sql.js';

/** A scalar value after conversion (timestamps as microseconds since the epoch). */
export type BoundValue = string | number | boolean;

/** What a predicate checks of its field's value (of any element, for list fields). */
export type Test =
  /** Exactly equal. */
  | { readonly t: 'eq'; readonly v: BoundValue }
  /** Equal to one of the values. */
  | { readonly t: 'in'; readonly vs: readonly BoundValue[] }
  /** Ordered comparison of numbers or timestamps. */
  | { readonly t: 'cmp'; readonly op: '<' | '<=' | '>' | '>='; readonly v: number }
  /** Lower-cased text matches a wildcard pattern (`glob`) or equals `text` (already lower-cased). */
  | { readonly t: 'like'; readonly text: string; readonly glob: boolean }
  /** Address inside a CIDR. */
  | { readonly t: 'cidr'; readonly c: Cidr }
  /** Number in an inclusive range. */
  | { readonly t: 'range'; readonly lo: number; readonly hi: number }
  /** Has a value (a list: at least one element). */
  | { readonly t: 'exists' };

/** A bound filter. */
export type Bound =
  | { readonly k: 'and' | 'or'; readonly items: readonly Bound[] }
  | { readonly k: 'not'; readonly item: Bound }
  | { readonly k: 'pred'; readonly field: QueryField; readonly test: Test };

/** True when the field holds a list (a test then holds when any element passes). */
export function isList(f: QueryField): boolean {
  return f.type === 'string[]' || f.type === 'number[]';
}
