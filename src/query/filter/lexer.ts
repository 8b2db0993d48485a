/**
 * The filter lexer: words, quoted strings, operators and brackets, each with its offset. A word runs
 * until whitespace or one of `()[],"'!=<>&|`, so addresses, CIDRs, ISO times, domain wildcards and
 * dotted field names (`id.resp_p`, `destination.port`) are single words. A colon inside a word ends a
 * field name (`query:*.example.com`) unless the whole word is an IPv6 address, a CIDR or a time.
 */
import ipaddr from 'ipaddr.js';
import { FilterError } from './filter-error.js';

/** Token kinds. */
export type TokenKind = 'word' | 'string' | 'op' | 'colon' | '(' | ')' | '[' | ']' | ',' | '&&' | '||' | '!' | 'eof';

/** One token with its span; `text` is the decoded value for strings, the source text otherwise. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly pos: number;
  readonly end: number;
}

/** Longest filter accepted, in UTF-16 units: far beyond any typed filter, small enough to bound work. */
export const MAX_FILTER_LENGTH = 16_384;

const STOP = new Set([...'()[],"\'!=<>&|']);
const FIELD_NAME = /^[A-Za-z_@][A-Za-z0-9_.@]*$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]?\d{0,2}/;

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\u3000';
}

/** True when a word with colons is a value (an IPv6 address or prefix, a time) rather than `field:value`. */
function colonValue(word: string): boolean {
  if (ISO_TIME.test(word)) return true;
  if (ipaddr.isValid(word)) return true;
  try {
    ipaddr.parseCIDR(word);
    return true;
  } catch {
    return false;
  }
}

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', "'": "'", n: '\n', t: '\t', r: '\r', '0': '\0', '*': '*', '?': '?' };

function readString(src: string, start: number): Token {
  const quote = src[start];
  let out = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i];
    if (c === quote) return { kind: 'string', text: out, pos: start, end: i + 1 };
    if (c === '\\') {
      const e = src[i + 1];
      if (e === undefined) break;
      if (e === 'u' || e === 'x') {
        const n = e === 'u' ? 4 : 2;
        const hex = src.slice(i + 2, i + 2 + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) {
          throw new FilterError(src, i, i + 2 + n, `\\${e} needs ${n} hex digits`);
        }
        out += String.fromCharCode(parseInt(hex, 16));
        i += 2 + n;
        continue;
      }
      const v = ESCAPES[e];
      if (v === undefined) throw new FilterError(src, i, i + 2, `unknown escape \\${e} (use \\\\, \\", \\', \\n, \\t, \\r, \\0, \\xHH or \\uHHHH)`);
      out += v;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  throw new FilterError(src, start, src.length, `this quoted string never ends: add the closing ${quote}`);
}

/** Splits a filter into tokens, ending with an `eof` token. */
export function lex(src: string): Token[] {
  if (src.length > MAX_FILTER_LENGTH) {
    throw new FilterError(src, MAX_FILTER_LENGTH, src.length, `the filter is longer than ${MAX_FILTER_LENGTH} characters`);
  }
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      out.push({ kind: 'op', text: two, pos: i, end: i + 2 });
      i += 2;
    } else if (two === '&&' || two === '||') {
      out.push({ kind: two, text: two, pos: i, end: i + 2 });
      i += 2;
    } else if (c === '<' || c === '>') {
      out.push({ kind: 'op', text: c, pos: i, end: i + 1 });
      i++;
    } else if (c === '=') {
      // A single `=` is what people type for equality; take it as `==`.
      out.push({ kind: 'op', text: '==', pos: i, end: i + 1 });
      i++;
    } else if (c === '!') {
      out.push({ kind: '!', text: c, pos: i, end: i + 1 });
      i++;
    } else if (c === '(' || c === ')' || c === '[' || c === ']' || c === ',') {
      out.push({ kind: c, text: c, pos: i, end: i + 1 });
      i++;
    } else if (c === ':' && src[i + 1] !== ':') {
      out.push({ kind: 'colon', text: c, pos: i, end: i + 1 });
      i++;
    } else if (c === '"' || c === "'") {
      const t = readString(src, i);
      out.push(t);
      i = t.end;
    } else if (c === '&' || c === '|') {
      throw new FilterError(src, i, i + 1, `a single ${c} means nothing here; write ${c}${c} or ${c === '&' ? 'and' : 'or'}`);
    } else {
      let j = i;
      while (j < src.length && !isSpace(src[j]) && !STOP.has(src[j])) j++;
      const word = src.slice(i, j);
      const colon = word.indexOf(':');
      if (colon > 0 && FIELD_NAME.test(word.slice(0, colon)) && !colonValue(word)) {
        out.push({ kind: 'word', text: word.slice(0, colon), pos: i, end: i + colon });
        out.push({ kind: 'colon', text: ':', pos: i + colon, end: i + colon + 1 });
        i += colon + 1;
        continue;
      }
      out.push({ kind: 'word', text: word, pos: i, end: j });
      i = j;
    }
  }
  out.push({ kind: 'eof', text: '', pos: src.length, end: src.length });
  return out;
}
