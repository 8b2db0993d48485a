/**
 * The bound filter as parameterized SQL. Every value is a parameter, LIKE patterns are escaped, and
 * field SQL comes only from the catalog. `not` is pushed down to the predicates and a negated predicate
 * is `(p) IS NOT TRUE`, so a record missing the field fails `resp_p == 53` and passes `resp_p != 53`,
 * exactly as the TypeScript evaluator decides, without wrapping every positive test in coalesce (which
 * would keep DuckDB from using its min/max indexes).
 */
import type { Dialect } from '../../store/dialect.js';
import { join, raw, sql, type SqlFragment, type SqlParam } from '../../store/sql.js';
import type { QueryField } from '../catalog.js';
import { cidrSql } from '../cidr-sql.js';
import type { Bound, BoundValue, Test } from './bound.js';
import { isList } from './bound.js';
import { likePattern } from './glob.js';

const EL = raw('nj_el');

function value(f: QueryField, v: BoundValue, d: Dialect): SqlFragment {
  return f.type === 'timestamp' ? d.timestampFromMicros(v as number) : sql`${v as SqlParam}`;
}

/** The test over one scalar expression `x` of field `f`. */
function scalarTest(f: QueryField, x: SqlFragment, test: Test, d: Dialect): SqlFragment {
  switch (test.t) {
    case 'eq':
      return sql`${x} = ${value(f, test.v, d)}`;
    case 'in':
      return sql`${x} IN (${join(test.vs.map((v) => value(f, v, d)))})`;
    case 'cmp':
      return sql`${x} ${raw(test.op)} ${value(f, test.v, d)}`;
    case 'like':
      return test.glob ? sql`lower(${x}) LIKE ${likePattern(test.text)} ESCAPE '\\'` : sql`lower(${x}) = ${test.text}`;
    case 'cidr':
      return cidrSql(x, test.c, d);
    case 'range':
      return sql`${x} BETWEEN ${test.lo} AND ${test.hi}`;
    case 'exists':
      return sql`${x} IS NOT NULL`;
  }
}

function predicate(f: QueryField, test: Test, d: Dialect): SqlFragment {
  if (!isList(f)) return scalarTest(f, f.expr, test, d);
  if (test.t === 'exists') return sql`len(${f.expr}) > 0`;
  if (test.t === 'eq') return sql`list_contains(${f.expr}, ${value(f, test.v, d)})`;
  return sql`len(list_filter(${f.expr}, ${EL} -> ${scalarTest(f, EL, test, d)})) > 0`;
}

/** SQL condition for a bound filter; `negate` compiles its negation. */
export function compileBound(b: Bound, d: Dialect, negate = false): SqlFragment {
  switch (b.k) {
    case 'not':
      return compileBound(b.item, d, !negate);
    case 'and':
    case 'or': {
      // De Morgan: negation flips the connective, so only predicates are ever negated.
      const conj = (b.k === 'and') !== negate;
      return sql`(${join(b.items.map((i) => compileBound(i, d, negate)), conj ? ' AND ' : ' OR ')})`;
    }
    case 'pred': {
      const p = predicate(b.field, b.test, d);
      return negate ? sql`((${p}) IS NOT TRUE)` : sql`(${p})`;
    }
  }
}
