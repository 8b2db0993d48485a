/**
 * zeek-cut's minimal header (`zeek-cut -m` / `-M`): one line of tab-separated field names, without the
 * `#fields`, `#types` or separator lines, followed by the selected columns. Zeek's defaults apply
 * (tab, `,` between set members, `-` unset, `(empty)`); the types are inferred (tsv-inferred-types.ts).
 */
const NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
/** Fields one of which a line of names must have to be taken for a zeek-cut header. */
const KEY_FIELDS = new Set(['ts', 'uid', 'id.orig_h', 'id_orig_h']);

/** The field names of a zeek-cut minimal header line, or null when the line is not one. */
export function minimalHeaderFields(line: string): string[] | null {
  const names = line.endsWith('\r') ? line.slice(0, -1).split('\t') : line.split('\t');
  if (names.length < 3 || !names.every((n) => NAME.test(n))) return null;
  return names.some((n) => KEY_FIELDS.has(n)) ? names : null;
}
