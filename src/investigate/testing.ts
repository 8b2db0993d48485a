/**
 * Test-only helpers: a small real `SiteModel` over a few CIDRs (until the configured one from
 * `nightjar.yaml` lands), and a loader that writes synthetic connections, DNS, firewall and finding
 * records into a store through the normal ingest path. Never imported by production code.
 */
import type { Asset, Direction, SiteModel, Subnet, Zone } from '../enrich/site-model.js';
import { CONNECTIONS, DNS, FINDINGS, FIREWALL, columnIndex, type TableDef } from '../model/fields.js';
import { protoNumber } from '../model/community-id.js';
import { addressInCidr, cidrSql, parseCidr, type Cidr } from '../query/cidr-sql.js';
import { ColumnBatch } from '../store/column-batch.js';
import { duckdbDialect } from '../store/duckdb/dialect.js';
import { openDuckDBStore } from '../store/duckdb/duckdb-store.js';
import { join, raw, sql, type SqlFragment } from '../store/sql.js';
import type { Store } from '../store/store.js';
import type { GeoInfo, GeoLookup } from './context.js';

/** A test site: zones of CIDRs, assets and sanctioned resolvers. */
export function testSite(spec: {
  zones: { name: string; networks: string[]; internal?: boolean }[];
  assets?: { address: string; hostname: string; role?: string; criticality?: Asset['criticality'] }[];
  resolvers?: string[];
  subnets?: { name: string; cidr: string; zone: string | null }[];
}): SiteModel {
  const zones: Zone[] = spec.zones.map((z) => ({ name: z.name, networks: z.networks.map((n) => parseCidr(n).text), internal: z.internal ?? true }));
  const nets: { zone: Zone; cidr: Cidr }[] = zones.flatMap((z) => z.networks.map((n) => ({ zone: z, cidr: parseCidr(n) })));
  nets.sort((a, b) => b.cidr.bits - a.cidr.bits);
  const assets: Asset[] = (spec.assets ?? []).map((a) => ({
    address: a.address,
    hostname: a.hostname,
    owner: null,
    role: a.role ?? null,
    criticality: a.criticality ?? null,
    tags: [],
  }));
  const subnets: Subnet[] = spec.subnets ?? [];
  const zoneOf = (a: string): Zone | null => nets.find((n) => addressInCidr(a, n.cidr))?.zone ?? null;
  const isInternal = (a: string): boolean => zoneOf(a)?.internal ?? false;
  const internalSql = (addr: SqlFragment): SqlFragment => {
    const parts = nets.filter((n) => n.zone.internal).map((n) => cidrSql(addr, n.cidr, duckdbDialect));
    return parts.length ? sql`(${join(parts, ' OR ')})` : raw('FALSE');
  };
  return {
    zones,
    subnets,
    assets,
    sanctionedResolvers: spec.resolvers ?? [],
    sensors: new Map(),
    zoneOf: (a) => zoneOf(a)?.name ?? null,
    isInternal,
    subnetOf: (a) => subnets.find((s) => addressInCidr(a, parseCidr(s.cidr))) ?? null,
    assetOf: (a) => assets.find((x) => addressInCidr(a, parseCidr(x.address))) ?? null,
    assetsByHostname: (h) => assets.filter((x) => x.hostname?.toLowerCase() === h.toLowerCase()),
    directionOf(o, r): Direction {
      const io = isInternal(o);
      const ir = isInternal(r);
      return io && ir ? 'internal' : io ? 'outbound' : ir ? 'inbound' : 'external';
    },
    zoneSql(addr) {
      if (nets.length === 0) return raw('NULL');
      return sql`(CASE ${join(nets.map((n) => sql`WHEN ${cidrSql(addr, n.cidr, duckdbDialect)} THEN ${n.zone.name}`), ' ')} END)`;
    },
    internalSql,
    directionSql(o, r) {
      return sql`(CASE WHEN ${internalSql(o)} AND ${internalSql(r)} THEN 'internal' WHEN ${internalSql(o)} THEN 'outbound'
        WHEN ${internalSql(r)} THEN 'inbound' ELSE 'external' END)`;
    },
  };
}

/** A geo lookup over a fixed table (test double of the `ip_info` enrichment). */
export function testGeo(table: Record<string, GeoInfo>): GeoLookup {
  return async (addresses) => new Map(addresses.filter((a) => a in table).map((a) => [a, table[a]]));
}

/** A field value in a synthetic record. */
type V = string | number | boolean | null | string[] | number[];

/** A synthetic record: `ts` in microseconds plus any fields of its table. */
export type TestRecord = { ts: number } & Record<string, V>;

function fill(table: TableDef, records: readonly TestRecord[], ingestId: number): ColumnBatch {
  const idx = columnIndex(table) as Record<string, number>;
  const b = new ColumnBatch(table, Math.max(1, records.length));
  for (const rec of records) {
    const r = b.addRow();
    const full: Record<string, V> = { ingest_id: ingestId, ...rec };
    if (typeof full.proto === 'string' && full.ip_proto === undefined) full.ip_proto = protoNumber(full.proto) ?? null;
    for (const [k, v] of Object.entries(full)) {
      const col = idx[k];
      if (col === undefined) throw new Error(`no field ${k} in ${table.name}`);
      if (v === null) continue;
      if (Array.isArray(v)) {
        b.setEmptyList(col, r);
        for (const x of v) {
          if (typeof x === 'number') b.pushNum(col, r, x);
          else b.pushStr(col, r, x);
        }
      } else if (typeof v === 'string') b.setStr(col, r, v);
      else if (typeof v === 'boolean') b.setBool(col, r, v);
      else b.setNum(col, r, v);
    }
  }
  return b;
}

/** Synthetic events per table. */
export interface TestEvents {
  connections?: TestRecord[];
  dns?: TestRecord[];
  firewall?: TestRecord[];
  findings?: TestRecord[];
}

/** Writes the events as one ingest into the store. */
export async function loadEvents(store: Store, events: TestEvents): Promise<void> {
  const w = await store.beginIngest();
  const tables: [TableDef, TestRecord[] | undefined][] = [
    [CONNECTIONS, events.connections],
    [DNS, events.dns],
    [FIREWALL, events.firewall],
    [FINDINGS, events.findings],
  ];
  let n = 0;
  for (const [t, recs] of tables) {
    if (!recs || recs.length === 0) continue;
    w.append(fill(t, recs, w.ingestId));
    n += recs.length;
  }
  await w.commit({
    fingerprint: `test-${Date.now()}-${Math.random()}`,
    sha256: null,
    path: 'synthetic',
    size: 0,
    format: 'test',
    sensor: null,
    startedAt: '2024-01-01T00:00:00Z',
    finishedAt: '2024-01-01T00:00:00Z',
    records: n,
    skipped: 0,
    summary: '{}',
  });
}

/** An in-memory store holding the events. */
export async function storeWith(events: TestEvents): Promise<Store> {
  const store = await openDuckDBStore({ path: ':memory:' });
  await loadEvents(store, events);
  return store;
}
