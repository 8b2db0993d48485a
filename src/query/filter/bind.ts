/**
 * Binding: the syntax tree checked against a field catalog. Field names resolve (or fail with the
 * nearest names), values convert to the field's type (or fail saying what was expected), and BPF
 * primitives become predicates on the fields that play their roles. Semantics decided here, once, for
 * SQL and TypeScript alike:
 * - `==` / `!=` / `in`-free comparisons are exact and case-sensitive; `!=` is `not ==`.
 * - `field: value` matches: text case-insensitively, with `*`/`?` wildcards when unquoted; addresses by
 *   CIDR (a bare address is itself); `field: *` means the field has a value.
 * - On list fields (`answers`, `ttls`, `tunnel_parents`) a test holds when any element passes.
 * - BPF `port`/`portrange` match TCP, UDP and SCTP only, as in BPF (ICMP keeps type and code there).
 */
import { protoNumber } from '../../model/community-id.js';
import { NightjarError } from '../../model/errors.js';
import { catalogNames } from '../base-catalog.js';
import type { FieldCatalog, FieldRole, QueryField } from '../catalog.js';
import { parseCidr } from '../cidr-sql.js';
import { parseTime } from '../time-range.js';
import type { Direction, Expr, FieldRef, Literal } from './ast.js';
import type { Bound, BoundValue, Test } from './bound.js';
import { didYouMean, FilterError } from './filter-error.js';
import { hasWildcard } from './glob.js';
import { canonicalAddress, looksLikeAddress } from './values.js';

/** IANA numbers of the transports that have ports, for BPF's `port`. */
export const PORT_PROTOS: readonly number[] = [6, 17, 132];

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

class Binder {
  constructor(
    private readonly src: string,
    private readonly cat: FieldCatalog,
    private readonly now: number,
  ) {}

  private fail(at: { pos: number; end: number }, reason: string): FilterError {
    return new FilterError(this.src, at.pos, at.end, reason);
  }

  bind(e: Expr): Bound {
    switch (e.kind) {
      case 'and':
      case 'or':
        return { k: e.kind, items: e.items.map((x) => this.bind(x)) };
      case 'not':
        return { k: 'not', item: this.bind(e.item) };
      case 'compare': {
        const f = this.field(e.field);
        if (e.op === '==' || e.op === '!=') {
          const p: Bound = { k: 'pred', field: f, test: this.exact(f, e.value) };
          return e.op === '==' ? p : { k: 'not', item: p };
        }
        if (f.type !== 'number' && f.type !== 'number[]' && f.type !== 'timestamp') {
          throw this.fail(e.field, `${e.op} compares numbers and times; ${e.field.name} holds ${describe(f)} (use == or :)`);
        }
        return { k: 'pred', field: f, test: { t: 'cmp', op: e.op, v: this.scalar(f, e.value) as number } };
      }
      case 'match': {
        const f = this.field(e.field);
        return { k: 'pred', field: f, test: this.match(f, e.value) };
      }
      case 'in': {
        const f = this.field(e.field);
        const tests = e.values.map((v) => this.match(f, v));
        if (tests.every((t) => t.t === 'eq')) {
          return { k: 'pred', field: f, test: { t: 'in', vs: tests.map((t) => (t as { v: BoundValue }).v) } };
        }
        return { k: 'or', items: tests.map((test) => ({ k: 'pred', field: f, test })) };
      }
      case 'host': {
        const test = this.addressTest(e.value);
        return this.sides(e.dir, this.role('src-addr', e), this.role('dst-addr', e), test);
      }
      case 'port': {
        const test: Test = e.lo === e.hi ? { t: 'eq', v: e.lo } : { t: 'range', lo: e.lo, hi: e.hi };
        const ports = this.sides(e.dir, this.role('src-port', e), this.role('dst-port', e), test);
        const proto: Bound = { k: 'or', items: this.role('proto', e).map((field) => ({ k: 'pred', field, test: { t: 'in', vs: PORT_PROTOS } })) };
        return { k: 'and', items: [proto, ports] };
      }
      case 'flag': {
        const f = this.flagField(e.field);
        if (f.type !== 'bool') {
          throw this.fail(e.field, `${e.field.name} holds ${describe(f)}, not yes/no: compare it (${e.field.name}: VALUE), or write ${e.field.name}: * for "has a value"`);
        }
        return { k: 'pred', field: f, test: { t: 'eq', v: true } };
      }
      case 'proto': {
        const n = /^\d{1,3}$/.test(e.value.text) && Number(e.value.text) <= 255 ? Number(e.value.text) : protoNumber(e.value.text);
        if (n === undefined) throw this.fail(e.value, `"${e.value.text}" is not a protocol (tcp, udp, icmp, icmp6, sctp or a number 0-255)`);
        return { k: 'or', items: this.role('proto', e).map((field) => ({ k: 'pred', field, test: { t: 'eq', v: n } })) };
      }
    }
  }

  private sides(dir: Direction, srcFields: QueryField[], dstFields: QueryField[], test: Test): Bound {
    const side = (fs: QueryField[]): Bound => {
      const items: Bound[] = fs.map((field) => ({ k: 'pred', field, test }));
      return items.length === 1 ? items[0] : { k: 'or', items };
    };
    if (dir === 'src') return side(srcFields);
    if (dir === 'dst') return side(dstFields);
    if (dir === 'both') return { k: 'and', items: [side(srcFields), side(dstFields)] };
    return side([...srcFields, ...dstFields]);
  }

  private role(role: FieldRole, at: { pos: number; end: number }): QueryField[] {
    const fs = this.cat.fields.filter((f) => f.role === role);
    if (fs.length === 0) throw this.fail(at, `${this.cat.table} records have no ${role.replace('-', ' ')} field`);
    return fs;
  }

  private field(ref: FieldRef): QueryField {
    const f = this.cat.resolve(ref.name);
    if (f) return f;
    // Field names are matched exactly first, then case-insensitively when that names one field.
    const lc = ref.name.toLowerCase();
    const folded = new Set(this.cat.fields.filter((x) => x.name.toLowerCase() === lc || x.aliases.some((a) => a.toLowerCase() === lc)));
    if (folded.size === 1) return [...folded][0];
    throw this.fail(
      ref,
      `${this.cat.table} has no field "${ref.name}"${didYouMean(ref.name, catalogNames(this.cat))} (nightjar fields ${this.cat.table} lists them)`,
    );
  }

  /** The field a lone word names; unknown, it is reported as the operand it might have been meant as. */
  private flagField(ref: FieldRef): QueryField {
    try {
      return this.field(ref);
    } catch (err) {
      if (!(err instanceof FilterError)) throw err;
      const bools = this.cat.fields.filter((f) => f.type === 'bool').map((f) => f.name);
      throw this.fail(
        ref,
        `"${ref.name}" is not a field comparison, a yes/no field or a BPF primitive${didYouMean(ref.name, [...bools, 'host', 'net', 'port', 'proto'])}` +
          ' (write field: value, field == value, a yes/no field alone, or host/net/port/proto ...)',
      );
    }
  }

  private addressTest(v: Literal): Test {
    if (!looksLikeAddress(v.text)) throw this.fail(v, `"${v.text}" is not an address or a CIDR (10.0.0.5, 10.0.0.0/8, 2001:db8::/32)`);
    if (!v.text.includes('/')) return { t: 'eq', v: canonicalAddress(v.text)! };
    try {
      return { t: 'cidr', c: parseCidr(v.text) };
    } catch (err) {
      if (err instanceof NightjarError) throw this.fail(v, err.message);
      throw err;
    }
  }

  /** `==`: exact equality (an address field also takes a CIDR). */
  private exact(f: QueryField, v: Literal): Test {
    if (f.type === 'address') return this.addressTest(v);
    return { t: 'eq', v: this.scalar(f, v) };
  }

  /** `:`: wildcards, CIDR, case-insensitive text, existence. */
  private match(f: QueryField, v: Literal): Test {
    if (!v.quoted && v.text === '*') return { t: 'exists' };
    const glob = !v.quoted && hasWildcard(v.text);
    if (f.type === 'string' || f.type === 'string[]' || (f.type === 'address' && glob)) {
      return { t: 'like', text: glob ? v.text : v.text.toLowerCase(), glob };
    }
    if (glob) throw this.fail(v, `wildcards match text; ${f.name} holds ${describe(f)}`);
    return this.exact(f, v);
  }

  /** A literal converted to a number, time (microseconds), boolean or string for the field. */
  private scalar(f: QueryField, v: Literal): BoundValue {
    switch (f.type) {
      case 'number':
      case 'number[]': {
        const n = Number(v.text);
        if (!NUMBER.test(v.text.trim()) || !Number.isFinite(n)) throw this.fail(v, `${f.name} holds numbers; "${clip(v.text)}" is not a number`);
        return n;
      }
      case 'timestamp':
        try {
          return parseTime(v.text, this.now);
        } catch {
          throw this.fail(v, `${f.name} holds times; "${clip(v.text)}" is not one (2024-03-01T12:00:00Z, 2024-03-01, or 2h for two hours ago)`);
        }
      case 'bool': {
        const b = BOOLS[v.text.toLowerCase()];
        if (b === undefined) throw this.fail(v, `${f.name} is true or false; "${clip(v.text)}" is neither`);
        return b;
      }
      default:
        return v.text;
    }
  }
}

const BOOLS: Record<string, boolean> = { true: true, false: false, t: true, f: false };

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function describe(f: QueryField): string {
  switch (f.type) {
    case 'address':
      return 'addresses';
    case 'number':
    case 'number[]':
      return 'numbers';
    case 'timestamp':
      return 'times';
    case 'bool':
      return 'true/false';
    default:
      return 'text';
  }
}

/** Binds a parsed filter to a catalog; `source` is the filter text (for error carets), `now` in ms. */
export function bindFilter(e: Expr, catalog: FieldCatalog, source: string, now = Date.now()): Bound {
  return new Binder(source, catalog, now).bind(e);
}

/** Every field a bound filter reads. */
export function fieldsOf(b: Bound, out = new Set<QueryField>()): Set<QueryField> {
  if (b.k === 'pred') out.add(b.field);
  else if (b.k === 'not') fieldsOf(b.item, out);
  else for (const i of b.items) fieldsOf(i, out);
  return out;
}
