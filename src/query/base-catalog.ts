/**
 * The field catalogs of the stored tables, generated from the field registry: every column under its
 * own name and its Zeek and ECS names, typed for the filter language (`*_h` columns are addresses,
 * counters numbers, `ts`/`end_ts` timestamps), with the roles BPF qualifiers resolve to. Enrichment
 * extends a base catalog with fields computed over joins (`extendCatalog`), and may register its
 * extension so every command sees it (`registerCatalogExtension`, `catalogOf`).
 */
import { tableByName, type EventTableName, type FieldDef, type FieldType } from '../model/fields.js';
import { ident, sql, type SqlFragment } from '../store/sql.js';
import type { FieldCatalog, FieldRole, QueryField, QueryType } from './catalog.js';

const TYPES: Record<FieldType, QueryType> = {
  timestamp: 'timestamp',
  string: 'string',
  json: 'string',
  u8: 'number',
  u16: 'number',
  u32: 'number',
  u64: 'number',
  i32: 'number',
  f64: 'number',
  bool: 'bool',
  'string[]': 'string[]',
  'f64[]': 'number[]',
};

const ROLES: Record<string, FieldRole> = {
  orig_h: 'src-addr',
  resp_h: 'dst-addr',
  orig_p: 'src-port',
  resp_p: 'dst-port',
  ip_proto: 'proto',
  ts: 'time',
};

function queryField(f: FieldDef): QueryField {
  // Every stored address column is named `*_h`, as in Zeek (orig_h, resp_h, nat_orig_h, ...).
  const type = f.type === 'string' && f.name.endsWith('_h') ? 'address' : TYPES[f.type];
  const aliases = [f.zeek, f.ecs].filter((a): a is string => a !== undefined && a !== f.name);
  return {
    name: f.name,
    aliases: [...new Set(aliases)],
    type,
    meaning: f.meaning,
    expr: sql`t.${ident(f.name)}`,
    role: ROLES[f.name],
  };
}

function makeCatalog(table: EventTableName, base: SqlFragment, joins: ReadonlyMap<string, SqlFragment>, fields: readonly QueryField[]): FieldCatalog {
  const byName = new Map<string, QueryField>();
  for (const f of fields) {
    if (byName.has(f.name)) throw new Error(`field ${f.name} is defined twice in the ${table} catalog`);
    byName.set(f.name, f);
  }
  // Aliases never shadow a canonical name, and the first field to claim an alias keeps it.
  for (const f of fields) for (const a of f.aliases) if (!byName.has(a)) byName.set(a, f);
  for (const f of fields) for (const n of f.needs ?? []) if (!joins.has(n)) throw new Error(`field ${f.name} needs the unknown join ${n}`);
  return Object.freeze({ table, base, joins, fields: Object.freeze([...fields]), resolve: (name: string) => byName.get(name) });
}

/** The catalog of a stored table's own columns (no joins). */
export function baseCatalog(table: EventTableName): FieldCatalog {
  const def = tableByName(table);
  if (!def) throw new Error(`unknown table ${table}`);
  return makeCatalog(table, sql`${ident(table)} AS t`, new Map(), def.fields.map(queryField));
}

/** A catalog with enrichment fields (and the joins they need) added to `base`. */
export function extendCatalog(base: FieldCatalog, fields: readonly QueryField[], joins: ReadonlyMap<string, SqlFragment> = new Map()): FieldCatalog {
  const merged = new Map(base.joins);
  for (const [k, v] of joins) {
    if (merged.has(k)) throw new Error(`join ${k} is defined twice in the ${base.table} catalog`);
    merged.set(k, v);
  }
  return makeCatalog(base.table, base.base, merged, [...base.fields, ...fields]);
}

/** Adds enrichment to a catalog; registered once at start-up by the module that owns the fields. */
export type CatalogExtension = (c: FieldCatalog) => FieldCatalog;

const extensions: { table: EventTableName; key: string; extend: CatalogExtension }[] = [];

/**
 * Registers an extension that `catalogOf(table)` applies from then on; one registered earlier under
 * the same table and key is replaced (a reloaded config replaces the fields it gave).
 */
export function registerCatalogExtension(table: EventTableName, key: string, extend: CatalogExtension): void {
  const i = extensions.findIndex((e) => e.table === table && e.key === key);
  if (i >= 0) extensions[i] = { table, key, extend };
  else extensions.push({ table, key, extend });
}

/** The catalog commands use for a table: its base catalog with every registered extension applied. */
export function catalogOf(table: EventTableName): FieldCatalog {
  let c = baseCatalog(table);
  for (const e of extensions) if (e.table === table) c = e.extend(c);
  return c;
}

/** The FROM clause for a catalog: its base relation plus the named joins, in catalog order. */
export function fromClause(c: FieldCatalog, needed: ReadonlySet<string>): SqlFragment {
  let out = c.base;
  for (const [k, j] of c.joins) if (needed.has(k)) out = sql`${out} ${j}`;
  return out;
}

/** Every name a catalog accepts (canonical names and aliases), for suggestions. */
export function catalogNames(c: FieldCatalog): string[] {
  return c.fields.flatMap((f) => [f.name, ...f.aliases]);
}

