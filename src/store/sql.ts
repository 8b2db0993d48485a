/**
 * Parameterized SQL fragments. Values interpolated into `sql` always become parameters; identifiers go
 * through `ident`, which accepts only plain names. Nothing a user types can become SQL text: the query
 * layer builds everything from these.
 */

/** A value that can be bound as a parameter. */
export type SqlParam = string | number | boolean | null | bigint;

/** SQL text split around its parameters: `parts.length === params.length + 1`. */
export interface SqlFragment {
  readonly parts: readonly string[];
  readonly params: readonly SqlParam[];
}

function isFragment(v: unknown): v is SqlFragment {
  return typeof v === 'object' && v !== null && 'parts' in v && 'params' in v;
}

/** Tagged template: `sql\`select * from t where a = ${x}\`` binds x; nested fragments are spliced in. */
export function sql(strings: TemplateStringsArray, ...values: (SqlParam | SqlFragment)[]): SqlFragment {
  const parts: string[] = [strings[0]];
  const params: SqlParam[] = [];
  values.forEach((v, i) => {
    if (isFragment(v)) {
      parts[parts.length - 1] += v.parts[0];
      for (let k = 0; k < v.params.length; k++) {
        params.push(v.params[k]);
        parts.push(v.parts[k + 1]);
      }
      parts[parts.length - 1] += strings[i + 1];
    } else {
      params.push(v);
      parts.push(strings[i + 1]);
    }
  });
  return { parts, params };
}

/** Trusted constant SQL text (never user input). */
export function raw(text: string): SqlFragment {
  return { parts: [text], params: [] };
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A quoted identifier; throws on anything but a plain name. */
export function ident(name: string): SqlFragment {
  if (!IDENT.test(name)) throw new Error(`not a plain identifier: ${JSON.stringify(name)}`);
  return raw(`"${name}"`);
}

/** Joins fragments with a separator. */
export function join(frags: readonly SqlFragment[], sep = ', '): SqlFragment {
  if (frags.length === 0) return raw('');
  let out = frags[0];
  for (let i = 1; i < frags.length; i++) out = sql`${out}${raw(sep)}${frags[i]}`;
  return out;
}
