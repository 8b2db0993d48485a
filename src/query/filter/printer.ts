/**
 * The syntax tree printed back as filter text that parses to the same tree: used to show a filter in
 * canonical form and by the property tests (random tree, printed, parsed, compared).
 */
import type { Direction, Expr, Literal } from './ast.js';
import { lex } from './lexer.js';

/** True when the lexer reads `text` back as one bare word. */
function bare(text: string): boolean {
  if (text === '' || /^(and|or|not|in)$/i.test(text)) return false;
  try {
    const t = lex(text);
    return t.length === 2 && t[0].kind === 'word' && t[0].text === text;
  } catch {
    return false;
  }
}

/** A literal as text: bare when it was bare and reads back the same, quoted otherwise. */
export function printLiteral(l: Literal): string {
  if (!l.quoted && bare(l.text)) return l.text;
  let out = '"';
  for (const ch of l.text) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

const DIRS: Record<Direction, string> = { any: '', src: 'src ', dst: 'dst ', both: 'src and dst ' };

function group(e: Expr): string {
  return e.kind === 'and' || e.kind === 'or' ? `(${printFilter(e)})` : printFilter(e);
}

/** Filter text for a syntax tree. */
export function printFilter(e: Expr): string {
  switch (e.kind) {
    case 'and':
    case 'or':
      return e.items.map(group).join(` ${e.kind} `);
    case 'not':
      return `not ${group(e.item)}`;
    case 'compare':
      return `${e.field.name} ${e.op} ${printLiteral(e.value)}`;
    case 'match':
      return `${e.field.name}: ${printLiteral(e.value)}`;
    case 'in':
      return `${e.field.name} in [${e.values.map(printLiteral).join(', ')}]`;
    case 'host': {
      const dir = DIRS[e.dir];
      return `${dir}${e.value.text.includes('/') ? 'net' : 'host'} ${printLiteral(e.value)}`;
    }
    case 'port': {
      const dir = DIRS[e.dir];
      return e.range ? `${dir}portrange ${e.lo}-${e.hi}` : `${dir}port ${e.lo}`;
    }
    case 'proto':
      return `proto ${printLiteral(e.value)}`;
    case 'flag':
      return e.field.name;
  }
}
