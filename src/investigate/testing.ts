/**
 * Test-only helpers: a site model over a few CIDRs, a fixed geo table, and a loader that writes synthetic connections, DNS, firewall and finding
 * records into a store through the normal ingest path. Never imported by production code.
 */
import { CONNECTIONS, DNS, FINDINGS, FIREWALL, columnIndex, type TableDef } from '../model/fields.js';
import { protoNumber } from '../model/community-id.js';
import { ColumnBatch } from '../store/column-batch.js';
import { openDuckDBStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import type { GeoInfo, GeoLookup } from './context.js';
import YAML from 'yaml';
import { createSite } from '../enrich/site.js';
import { parseSiteConfig } from '../enrich/site-config.js';
import type { Asset, SiteModel } from '../enrich/site-model.js';
import { duckdbDialect } from '../store/duckdb/dialect.js';

/** A test site: zones of CIDRs, assets and sanctioned resolvers. */
/** What a test site is made of: zones of CIDRs (internal unless said), subnets, assets, resolvers. */
export interface SiteSpec {
  zones: { name: string; networks: string[]; internal?: boolean }[];
  assets?: { address: string; hostname: string; role?: string; criticality?: Asset['criticality'] }[];
  resolvers?: string[];
  subnets?: { name: string; cidr: string; zone: string | null }[];
}

/** The real site model (nightjar.yaml's loader and `createSite`) over a test's zones and assets. */
export function testSite(spec: SiteSpec): SiteModel {
  const doc = {
    zones: spec.zones.map((z) => ({ ...z, internal: z.internal ?? true })),
    ...(spec.subnets ? { subnets: spec.subnets } : {}),
    ...(spec.assets ? { assets: spec.assets } : {}),
    ...(spec.resolvers ? { sanctioned_resolvers: spec.resolvers } : {}),
  };
  return createSite(parseSiteConfig(YAML.stringify(doc), 'test-site.yaml'), duckdbDialect);
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
