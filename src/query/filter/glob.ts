/**
 * Wildcards (`*` any run, `?` one character) as a SQL LIKE pattern and as a JavaScript RegExp, both
 * over lower-cased text, so SQL and the TypeScript evaluator agree. LIKE's own metacharacters in the
 * user's text (`%`, `_`, `\`) are escaped; the pattern is always bound as a parameter.
 */

/** True when an unquoted value uses wildcards. */
export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

/** LIKE pattern (escape character `\`) for a wildcard text, lower-cased. */
export function likePattern(glob: string): string {
  let out = '';
  for (const ch of glob.toLowerCase()) {
    if (ch === '*') out += '%';
    else if (ch === '?') out += '_';
    else if (ch === '%' || ch === '_' || ch === '\\') out += '\\' + ch;
    else out += ch;
  }
  return out;
}

/** RegExp matching lower-cased text the way `likePattern` does in SQL (whole value, by code point). */
export function globRegExp(glob: string): RegExp {
  let out = '';
  for (const ch of glob.toLowerCase()) {
    if (ch === '*') out += '[\\s\\S]*';
    else if (ch === '?') out += '[\\s\\S]';
    else out += ch.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 'u');
}
