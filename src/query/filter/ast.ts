/**
 * The filter language's syntax tree. Nodes keep their source span (`pos`, `end`: UTF-16 offsets into
 * the filter text) so every later error (unknown field, wrong value type) can point at the words that
 * caused it. The tree is what the parser builds and the printer prints; binding it to a field catalog
 * (`bind.ts`) gives the form both the SQL compiler and the TypeScript evaluator run.
 */

/** Source span of a node. */
export interface Span {
  readonly pos: number;
  readonly end: number;
}

/** A value as typed: a bare word (`10.0.0.0/8`, `*.example.com`, `443`) or a quoted string. */
export interface Literal extends Span {
  readonly text: string;
  /** Quoted values are taken literally: `*` and `?` in them are not wildcards. */
  readonly quoted: boolean;
}

/** A field name as typed (canonical, Zeek or ECS name). */
export interface FieldRef extends Span {
  readonly name: string;
}

/** Ordering and equality operators. */
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** BPF direction qualifier: `src`, `dst`, neither or `src or dst` (either side), `src and dst` (both). */
export type Direction = 'src' | 'dst' | 'any' | 'both';

/** Filter expression. */
export type Expr =
  | ({ readonly kind: 'and' | 'or'; readonly items: readonly Expr[] } & Span)
  | ({ readonly kind: 'not'; readonly item: Expr } & Span)
  /** `field == value`, `field < value`, ... */
  | ({ readonly kind: 'compare'; readonly field: FieldRef; readonly op: CompareOp; readonly value: Literal } & Span)
  /** Kibana-style `field: value`: wildcards, CIDR on addresses, any element of a list, case-insensitive text. */
  | ({ readonly kind: 'match'; readonly field: FieldRef; readonly value: Literal } & Span)
  /** `field in [a, b, ...]`: any of the `field: v` matches. */
  | ({ readonly kind: 'in'; readonly field: FieldRef; readonly values: readonly Literal[] } & Span)
  /** BPF `[src|dst] host|net ADDRESS`. */
  | ({ readonly kind: 'host'; readonly dir: Direction; readonly value: Literal } & Span)
  /** BPF `[src|dst] port N` or `portrange N-M` (TCP, UDP and SCTP only, as in BPF). */
  | ({ readonly kind: 'port'; readonly dir: Direction; readonly lo: number; readonly hi: number; readonly range: boolean } & Span)
  /** BPF `proto P`, or a bare `tcp`/`udp`/`icmp`/`icmp6`/`sctp`. */
  | ({ readonly kind: 'proto'; readonly value: Literal } & Span)
  /** A yes/no field named on its own (`local_orig`, `not resp_internal`): the field is true. */
  | ({ readonly kind: 'flag'; readonly field: FieldRef } & Span);
