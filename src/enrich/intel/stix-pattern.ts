/**
 * The part of the STIX 2.1 patterning language that network records can answer: comparisons on
 * `ipv4-addr:value`, `ipv6-addr:value`, `domain-name:value` and `url:value` with `=`, `IN (...)`,
 * `ISSUBSET` (a CIDR) and `LIKE '%.x.y'` (subdomains), combined by OR and AND inside and between
 * observation expressions. The whole grammar is parsed (so a malformed pattern is reported as such);
 * what cannot be matched (other objects, `!=`, `MATCHES`, NOT, qualifiers) is counted, and an AND that
 * mixes matchable and unmatchable parts keeps the matchable values and is reported as partial.
 */

/** Values a pattern yields for matching, and how much of it they cover. */
export interface PatternValues {
  /** Indicator texts (an address, CIDR, domain, `*.domain`, or URL). */
  readonly values: string[];
  /** full: the values match exactly what the pattern does; partial: they match more; none: nothing usable. */
  readonly coverage: 'full' | 'partial' | 'none';
  /** Why coverage is not full (first reason), for the report. */
  readonly reason: string | null;
}

type Tok = { k: 'str' | 'word' | 'num' | 'punct'; v: string; pos: number };

class PatternError extends Error {}

function tokenize(p: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < p.length) {
    const ch = p[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'" || (/[thb]/.test(ch) && p[i + 1] === "'")) {
      const start = i;
      if (ch !== "'") i++;
      i++;
      let s = '';
      while (i < p.length && p[i] !== "'") {
        if (p[i] === '\\' && i + 1 < p.length) i++;
        s += p[i++];
      }
      if (i >= p.length) throw new PatternError(`unterminated string at ${start}`);
      i++;
      out.push({ k: 'str', v: s, pos: start });
    } else if ('[]()'.includes(ch) || ch === ',') {
      out.push({ k: 'punct', v: ch, pos: i++ });
    } else if ('=!<>'.includes(ch)) {
      const two = p.slice(i, i + 2);
      const op = ['!=', '<=', '>='].includes(two) ? two : ch;
      out.push({ k: 'punct', v: op, pos: i });
      i += op.length;
    } else if (/\d/.test(ch) || (ch === '-' && /\d/.test(p[i + 1] ?? ''))) {
      const m = /^-?\d+(\.\d+)?/.exec(p.slice(i));
      if (!m) throw new PatternError(`bad number at ${i}`);
      out.push({ k: 'num', v: m[0], pos: i });
      i += m[0].length;
    } else {
      // Object paths may hold list steps ([0], [*]) and quoted property names (extensions.'x-ext').
      const m = /^[A-Za-z_][A-Za-z0-9_\-:.*]*(?:(?:\[[^\]]*\]|'[^']*')[A-Za-z0-9_\-:.*]*)*/.exec(p.slice(i));
      if (!m) throw new PatternError(`unexpected "${ch}" at ${i}`);
      out.push({ k: 'word', v: m[0], pos: i });
      i += m[0].length;
    }
  }
  return out;
}

/** A node of the parsed pattern: a leaf comparison's usable values, or a combination. */
type Node = { op: 'leaf'; values: string[]; ok: boolean; reason: string | null } | { op: 'and' | 'or'; kids: Node[] };

const OBJECTS = new Set(['ipv4-addr:value', 'ipv6-addr:value', 'domain-name:value', 'url:value']);

class Parser {
  private i = 0;
  constructor(private readonly t: Tok[]) {}

  private peek(): Tok | undefined {
    return this.t[this.i];
  }
  private isWord(v: string): boolean {
    const x = this.peek();
    return x !== undefined && x.k === 'word' && x.v.toUpperCase() === v;
  }
  private isPunct(v: string): boolean {
    const x = this.peek();
    return x !== undefined && x.k === 'punct' && x.v === v;
  }
  private expect(v: string): void {
    if (!this.isPunct(v)) throw new PatternError(`expected "${v}" at ${this.peek()?.pos ?? 'end'}`);
    this.i++;
  }

  parse(): Node {
    const n = this.observationOr();
    if (this.i !== this.t.length) throw new PatternError(`unexpected "${this.peek()!.v}" at ${this.peek()!.pos}`);
    return n;
  }

  private binary(next: () => Node, words: string[], op: 'and' | 'or'): Node {
    const kids = [next()];
    while (words.some((w) => this.isWord(w))) {
      this.i++;
      kids.push(next());
    }
    return kids.length === 1 ? kids[0] : { op, kids };
  }

  private observationOr(): Node {
    return this.binary(() => this.observationAnd(), ['OR'], 'or');
  }
  // FOLLOWEDBY needs both sides, like AND: its values alone match more than the pattern.
  private observationAnd(): Node {
    return this.binary(() => this.observation(), ['AND', 'FOLLOWEDBY'], 'and');
  }

  private observation(): Node {
    let n: Node;
    if (this.isPunct('(')) {
      this.i++;
      n = this.observationOr();
      this.expect(')');
    } else {
      this.expect('[');
      n = this.comparisonOr();
      this.expect(']');
    }
    return this.qualifiers(n);
  }

  private qualifiers(n: Node): Node {
    let q = false;
    while (this.isWord('WITHIN') || this.isWord('REPEATS') || this.isWord('START')) {
      const w = this.peek()!.v.toUpperCase();
      this.i++;
      this.i++; // the number or timestamp
      if (w === 'START') {
        if (!this.isWord('STOP')) throw new PatternError('START without STOP');
        this.i += 2;
      } else this.i++; // SECONDS or TIMES
      q = true;
    }
    // A qualifier narrows when the values match; ignoring it makes the match broader.
    return q ? { op: 'and', kids: [n, { op: 'leaf', values: [], ok: false, reason: 'qualifier' }] } : n;
  }

  private comparisonOr(): Node {
    return this.binary(() => this.comparisonAnd(), ['OR'], 'or');
  }
  private comparisonAnd(): Node {
    return this.binary(() => this.comparison(), ['AND'], 'and');
  }

  private comparison(): Node {
    if (this.isPunct('(')) {
      this.i++;
      const n = this.comparisonOr();
      this.expect(')');
      return n;
    }
    const path = this.peek();
    if (path === undefined || path.k !== 'word') throw new PatternError(`expected an object path at ${path?.pos ?? 'end'}`);
    this.i++;
    let negated = false;
    if (this.isWord('NOT')) {
      negated = true;
      this.i++;
    }
    const opTok = this.peek();
    if (opTok === undefined) throw new PatternError('expected an operator at end');
    this.i++;
    const op = opTok.v.toUpperCase();
    let values: string[] = [];
    if (op === 'IN') {
      this.expect('(');
      while (!this.isPunct(')')) {
        const v = this.peek();
        if (v === undefined) throw new PatternError('unterminated IN list');
        values.push(v.v);
        this.i++;
        if (this.isPunct(',')) this.i++;
      }
      this.i++;
    } else {
      const v = this.peek();
      if (v === undefined) throw new PatternError('expected a value at end');
      values = [v.v];
      this.i++;
    }
    const p = path.v.toLowerCase();
    const leaf = (ok: boolean, vals: string[], reason: string | null): Node => ({ op: 'leaf', values: vals, ok, reason });
    if (!OBJECTS.has(p)) return leaf(false, [], `object path ${path.v}`);
    if (negated) return leaf(false, [], 'NOT');
    if (op === '=' || op === 'IN') return leaf(true, values, null);
    if (op === 'ISSUBSET' && p.startsWith('ipv')) return leaf(true, values, null);
    if (op === 'LIKE') {
      const m = /^%\.([^%_]+)$/.exec(values[0]);
      if (m) return leaf(true, [`*.${m[1]}`], null);
      if (!/[%_]/.test(values[0])) return leaf(true, values, null);
      return leaf(false, [], `LIKE '${values[0]}'`);
    }
    return leaf(false, [], `operator ${op}`);
  }
}

function evaluate(n: Node): { values: string[]; full: boolean; reason: string | null } {
  if (n.op === 'leaf') return { values: n.values, full: n.ok, reason: n.reason };
  const kids = n.kids.map(evaluate);
  const reason = kids.find((k) => k.reason !== null)?.reason ?? null;
  const values = kids.flatMap((k) => k.values);
  // OR: every branch must be matchable to be exact. AND: the values of matchable parts over-match
  // (each alone is broader than the conjunction) unless there is just one matchable part and nothing else.
  const full = n.op === 'or' ? kids.every((k) => k.full) : kids.every((k) => k.full) && kids.filter((k) => k.values.length > 0).length <= 1;
  return { values, full, reason: reason ?? (full ? null : 'AND of several values') };
}

/** The values a STIX pattern can be matched by; throws with a position when the pattern is malformed. */
export function stixPatternValues(pattern: string): PatternValues {
  let node: Node;
  try {
    node = new Parser(tokenize(pattern)).parse();
  } catch (err) {
    if (err instanceof PatternError) throw new Error(`malformed STIX pattern: ${err.message}`);
    throw err;
  }
  const r = evaluate(node);
  if (r.values.length === 0) return { values: [], coverage: 'none', reason: r.reason ?? 'no matchable comparison' };
  return { values: r.values, coverage: r.full ? 'full' : 'partial', reason: r.full ? null : r.reason };
}
