/**
 * The filter parser: tokens to the syntax tree in `ast.ts`. Hand-written recursive descent rather than
 * a parser generator, because the language mixes two grammars that a generator handles badly: BPF's
 * qualifier chains (`src port 53`, `tcp dst portrange 1-1024`, a bare `udp`) and Kibana's `field: value`,
 * where the same word (`proto`, `src`) is a keyword or a field name depending on what follows it; and
 * because every error must point at a word with a suggestion. Nesting depth and list size are capped,
 * so hostile input gets a clean error instead of a stack overflow.
 *
 *   filter  = or EOF
 *   or      = and { ("or" | "||") and }
 *   and     = unary { ("and" | "&&") unary }
 *   unary   = ("not" | "!") unary | primary
 *   primary = "(" or ")" | field op value | field ":" value | field ["not"] "in" "[" value {"," value} "]"
 *           | bpf
 *   bpf     = [dir] ("host" | "net") value | [dir] ("port" | "portrange") value | dir value
 *           | "proto" value | transport [[dir] ("port" | "portrange") value] | address | cidr
 *           | port                       (after a port primitive: `port 53 or 80`, as in BPF)
 *   dir     = "src" | "dst" | "src or dst" | "src and dst" 
 */
import type { CompareOp, Direction, Expr, FieldRef, Literal } from './ast.js';
import { didYouMean, FilterError } from './filter-error.js';
import { lex, type Token } from './lexer.js';
import { looksLikeAddress, parsePortRange, parsePortValue } from './values.js';

/** Deepest nesting of parentheses and `not` accepted. */
export const MAX_DEPTH = 64;
/** Most values in one `in [...]` list. */
export const MAX_LIST = 1000;

/** Words with a meaning of their own in the grammar (matched case-insensitively). */
export const KEYWORDS = ['and', 'or', 'not', 'in', 'src', 'dst', 'host', 'net', 'port', 'portrange', 'proto', 'tcp', 'udp', 'icmp', 'icmp6', 'sctp'];
const TRANSPORTS = new Set(['tcp', 'udp', 'icmp', 'icmp6', 'sctp']);
/** What a field name looks like (canonical, Zeek `id.orig_h` or ECS `source.ip` forms). */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const BPF_WORDS = ['host', 'net', 'port', 'portrange', 'proto', 'src', 'dst', ...TRANSPORTS];

class Parser {
  private i = 0;
  private depth = 0;
  /** The last port primitive, whose qualifiers a bare port after and/or inherits (`port 53 or 80`). */
  private lastPort: { dir: Direction; range: boolean; proto?: Literal } | undefined;
  /** The port qualifiers the current primary may inherit (those of the primitive just before it). */
  private inherit: { dir: Direction; range: boolean; proto?: Literal } | undefined;
  private readonly toks: Token[];

  constructor(private readonly src: string) {
    this.toks = lex(src);
  }

  parse(): Expr {
    if (this.peek().kind === 'eof') throw this.fail(this.peek(), 'the filter is empty');
    const e = this.or();
    const t = this.peek();
    if (t.kind === ')') throw this.fail(t, 'this ) closes nothing');
    if (t.kind !== 'eof') throw this.fail(t, `expected "and" or "or" before ${show(t)}`);
    return e;
  }

  private peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)];
  }

  private next(): Token {
    return this.toks[this.i++];
  }

  private isWord(t: Token, ...words: string[]): boolean {
    return t.kind === 'word' && words.includes(t.text.toLowerCase());
  }

  private fail(t: { pos: number; end: number }, reason: string): FilterError {
    return new FilterError(this.src, t.pos, Math.max(t.end, t.pos + 1), reason);
  }

  private enter(t: Token): void {
    if (++this.depth > MAX_DEPTH) throw this.fail(t, `the filter nests deeper than ${MAX_DEPTH} levels`);
  }

  private or(): Expr {
    const items = [this.and()];
    while (this.isWord(this.peek(), 'or') || this.peek().kind === '||') {
      this.next();
      items.push(this.and());
    }
    return items.length === 1 ? items[0] : { kind: 'or', items, pos: items[0].pos, end: items[items.length - 1].end };
  }

  private and(): Expr {
    const items = [this.unary()];
    while (this.isWord(this.peek(), 'and') || this.peek().kind === '&&') {
      this.next();
      items.push(this.unary());
    }
    return items.length === 1 ? items[0] : { kind: 'and', items, pos: items[0].pos, end: items[items.length - 1].end };
  }

  private unary(): Expr {
    const t = this.peek();
    if (this.isWord(t, 'not') || t.kind === '!') {
      this.next();
      this.enter(t);
      const item = this.unary();
      this.depth--;
      return { kind: 'not', item, pos: t.pos, end: item.end };
    }
    return this.primary();
  }

  private primary(): Expr {
    this.inherit = this.lastPort;
    this.lastPort = undefined;
    const t = this.peek();
    if (t.kind === '(') {
      this.next();
      this.enter(t);
      const e = this.or();
      const close = this.peek();
      if (close.kind !== ')') throw this.fail(close.kind === 'eof' ? t : close, close.kind === 'eof' ? 'this ( is never closed' : `expected ) before ${show(close)}`);
      this.next();
      this.depth--;
      return e;
    }
    if (t.kind === 'string') throw this.fail(t, 'a quoted value needs a field before it, as in query: "example.com"');
    if (t.kind !== 'word') throw this.fail(t, `expected a comparison (field: value, field == value) or a BPF primitive (host, net, port, proto, src, dst, tcp, udp) at ${show(t)}`);
    const after = this.peek(1);
    if (after.kind === 'op' || after.kind === 'colon' || this.isWord(after, 'in') || (this.isWord(after, 'not') && this.isWord(this.peek(2), 'in'))) {
      return this.comparison();
    }
    return this.bpf();
  }

  private field(): FieldRef {
    const t = this.next();
    return { name: t.text, pos: t.pos, end: t.end };
  }

  private literal(what: string): Literal {
    const t = this.peek();
    if (t.kind === 'word' || t.kind === 'string') {
      this.next();
      return { text: t.text, quoted: t.kind === 'string', pos: t.pos, end: t.end };
    }
    throw this.fail(t, `expected ${what} at ${show(t)}`);
  }

  private comparison(): Expr {
    const field = this.field();
    const t = this.next();
    if (t.kind === 'op') {
      const value = this.literal(`a value after ${t.text}`);
      return { kind: 'compare', field, op: t.text as CompareOp, value, pos: field.pos, end: value.end };
    }
    if (t.kind === 'colon') {
      const value = this.literal(`a value after ${field.name}:`);
      return { kind: 'match', field, value, pos: field.pos, end: value.end };
    }
    const negated = this.isWord(t, 'not');
    if (negated) this.next();
    const open = this.next();
    if (open.kind !== '[') throw this.fail(open, 'expected [ after in, as in resp_p in [80, 443]');
    const values: Literal[] = [];
    while (true) {
      if (values.length >= MAX_LIST) throw this.fail(this.peek(), `an in list holds at most ${MAX_LIST} values`);
      values.push(this.literal('a value in the list'));
      const sep = this.next();
      if (sep.kind === ']') {
        const e: Expr = { kind: 'in', field, values, pos: field.pos, end: sep.end };
        return negated ? { kind: 'not', item: e, pos: field.pos, end: sep.end } : e;
      }
      if (sep.kind !== ',') throw this.fail(sep, sep.kind === 'eof' ? 'this list is never closed: add ]' : `expected , or ] at ${show(sep)}`);
    }
  }

  private bpf(): Expr {
    const t = this.next();
    const w = t.text.toLowerCase();
    if (w === 'src' || w === 'dst') {
      // `src or dst` is either side, `src and dst` both sides.
      const other = w === 'src' ? 'dst' : 'src';
      if (this.isWord(this.peek(), 'or', 'and') && this.isWord(this.peek(1), other)) {
        const both = this.isWord(this.next(), 'and');
        this.next();
        return this.qualified(both ? 'both' : 'any', t);
      }
      return this.qualified(w, t);
    }
    if (w === 'proto') {
      const value = this.literal('a protocol after proto (tcp, udp, icmp, icmp6, sctp or a number)');
      return { kind: 'proto', value, pos: t.pos, end: value.end };
    }
    if (TRANSPORTS.has(w)) {
      const proto: Expr = { kind: 'proto', value: { text: w, quoted: false, pos: t.pos, end: t.end }, pos: t.pos, end: t.end };
      // `tcp port 80`, `udp dst port 53`: BPF's protocol-qualified ports.
      const n = this.peek();
      const m = this.peek(1);
      if (this.isWord(n, 'port', 'portrange') || (this.isWord(n, 'src', 'dst') && this.isWord(m, 'port', 'portrange'))) {
        const dirTok = this.isWord(n, 'src', 'dst') ? this.next() : undefined;
        const port = this.port((dirTok?.text.toLowerCase() as Direction | undefined) ?? 'any', this.next(), dirTok ?? n);
        this.lastPort = { ...this.lastPort!, proto: proto.value };
        return { kind: 'and', items: [proto, port], pos: t.pos, end: port.end };
      }
      return proto;
    }
    if (w === 'host' || w === 'net' || w === 'port' || w === 'portrange') return this.qualified('any', t, t);
    if (looksLikeAddress(t.text)) {
      const value: Literal = { text: t.text, quoted: false, pos: t.pos, end: t.end };
      return { kind: 'host', dir: 'any', value, pos: t.pos, end: t.end };
    }
    if (this.inherit) {
      // BPF: a bare value after and/or takes the qualifiers of the primitive before it.
      const { dir, range, proto } = this.inherit;
      const r = range ? parsePortRange(t.text) : parsePortValue(t.text);
      if (typeof r !== 'string') {
        const port: Expr = { kind: 'port', dir, lo: r[0], hi: r[1], range, pos: t.pos, end: t.end };
        this.lastPort = this.inherit;
        return proto ? { kind: 'and', items: [{ kind: 'proto', value: proto, pos: t.pos, end: t.end }, port], pos: t.pos, end: t.end } : port;
      }
    }
    // A field name standing alone, as a whole operand: a yes/no field that is true (the binder checks
    // that it is one). Anything followed by more words stays an error about BPF, where typos happen.
    const after = this.peek();
    const ends = after.kind === 'eof' || after.kind === ')' || after.kind === '&&' || after.kind === '||' || this.isWord(after, 'and', 'or');
    if (ends && FIELD_NAME.test(t.text) && didYouMean(t.text, BPF_WORDS) === '') {
      return { kind: 'flag', field: { name: t.text, pos: t.pos, end: t.end }, pos: t.pos, end: t.end };
    }
    throw this.fail(
      t,
      `"${t.text}" is not a field comparison or a BPF primitive${didYouMean(t.text, BPF_WORDS)}` +
        (didYouMean(t.text, BPF_WORDS) ? '' : ' (write field: value, field == value, or host/net/port/proto ...)'),
    );
  }

  /** After `src`/`dst` (or with `dir` any, starting at the qualifier itself). */
  private qualified(dir: Direction, start: Token, qual?: Token): Expr {
    const q = qual ?? this.peek();
    const w = q.kind === 'word' ? q.text.toLowerCase() : '';
    if (!qual && (w === 'host' || w === 'net' || w === 'port' || w === 'portrange')) this.next();
    if (w === 'port' || w === 'portrange') return this.port(dir, q, start);
    if (w !== 'host' && w !== 'net') {
      // BPF: `src 10.0.0.5` means `src host 10.0.0.5`.
      if (q.kind === 'word' && !looksLikeAddress(q.text)) {
        throw this.fail(q, `"${q.text}" is not an address or a qualifier after ${start.text}${didYouMean(q.text, ['host', 'net', 'port', 'portrange'])}`);
      }
    }
    const value = this.literal(w === 'net' ? 'a network (10.0.0.0/8, 2001:db8::/32)' : 'an address');
    if (!looksLikeAddress(value.text)) {
      throw this.fail(value, `"${value.text}" is not an address or a CIDR (10.0.0.5, 10.0.0.0/8, 2001:db8::/32)`);
    }
    return { kind: 'host', dir, value, pos: start.pos, end: value.end };
  }

  private port(dir: Direction, q: Token, start: Token): Expr {
    const range = q.text.toLowerCase() === 'portrange';
    const v = this.literal(range ? 'a port range such as 6000-6010' : 'a port number or name');
    const r = range ? parsePortRange(v.text) : parsePortValue(v.text);
    if (typeof r === 'string') throw this.fail(v, r);
    this.lastPort = { dir, range };
    return { kind: 'port', dir, lo: r[0], hi: r[1], range, pos: start.pos, end: v.end };
  }
}

function show(t: Token): string {
  return t.kind === 'eof' ? 'the end of the filter' : `"${t.text.length > 30 ? t.text.slice(0, 30) + '…' : t.text}"`;
}

/** Parses filter text into its syntax tree; throws FilterError (NJ_QUERY) pointing at the problem. */
export function parseFilter(text: string): Expr {
  return new Parser(text).parse();
}
