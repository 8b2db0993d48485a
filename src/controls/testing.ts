/**
 * Test support for the control validations (test-only): an in-memory store filled from plain row
 * objects through the real ingest API, and a small site model with known zones, subnets and a
 * sanctioned resolver.
 */
import { tableByName, type EventTableName } from '../model/fields.js';
import { ColumnBatch } from '../store/column-batch.js';
import { openDuckDBStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { testSite as siteFromSpec } from '../investigate/testing.js';
import type { SiteModel } from '../enrich/site-model.js';

/** A test row: field name to value; timestamps as ISO text. */
export type TestRow = Record<string, string | number | boolean | null | readonly (string | number)[]>;

/** Rows per table for one ingest. */
export type TestData = Partial<Record<EventTableName, readonly TestRow[]>>;

function micros(v: string | number): number {
  return typeof v === 'number' ? v : Date.parse(v) * 1000;
}

/** Appends rows to the store as one committed ingest. */
export async function ingestRows(store: Store, data: TestData, sensor: string | null = null): Promise<void> {
  const w = await store.beginIngest();
  let records = 0;
  for (const [name, rows] of Object.entries(data) as [EventTableName, TestRow[]][]) {
    const def = tableByName(name)!;
    const b = new ColumnBatch(def, Math.max(1, rows.length));
    for (const row of rows) {
      const r = b.addRow();
      def.fields.forEach((fd, ci) => {
        const v = fd.name === 'ingest_id' ? w.ingestId : fd.name === 'sensor' && row.sensor === undefined ? sensor : row[fd.name];
        if (v === undefined || v === null) return;
        if (Array.isArray(v)) {
          if (v.length === 0) b.setEmptyList(ci, r);
          for (const x of v) {
            if (typeof x === 'number') b.pushNum(ci, r, x);
            else b.pushStr(ci, r, x);
          }
        } else if (fd.type === 'timestamp') b.setNum(ci, r, micros(v as string | number));
        else if (typeof v === 'boolean') b.setBool(ci, r, v);
        else if (typeof v === 'number') b.setNum(ci, r, v);
        else b.setStr(ci, r, v as string);
      });
      records++;
    }
    w.append(b);
  }
  const now = new Date().toISOString();
  await w.commit({ fingerprint: `test-${w.ingestId}`, sha256: null, path: 'test', size: 0, format: 'test', sensor, startedAt: now, finishedAt: now, records, skipped: 0, summary: '{}' });
}

/** Opens an in-memory store holding the rows. */
export async function storeWith(data: TestData): Promise<Store> {
  const store = await openDuckDBStore({ path: ':memory:' });
  await ingestRows(store, data);
  return store;
}

/**
 * The test site: zone `corp` (10.1.0.0/16, subnets corp-lan 10.1.1.0/24 and corp-wifi
 * 10.1.2.0/24), zone `servers` (10.2.0.0/16, subnet dmz 10.2.9.0/24), zone `lab` (10.3.0.0/16,
 * subnet lab-net 10.3.0.0/24), and the sanctioned resolver 10.2.0.53.
 */
export function testSite(store: Store): SiteModel {
  void store; // the site renders DuckDB SQL, the dialect every test store has
  return siteFromSpec({
    zones: [
      { name: 'corp', networks: ['10.1.0.0/16'] },
      { name: 'servers', networks: ['10.2.0.0/16'] },
      { name: 'lab', networks: ['10.3.0.0/16'] },
    ],
    subnets: [
      { name: 'corp-lan', cidr: '10.1.1.0/24', zone: 'corp' },
      { name: 'corp-wifi', cidr: '10.1.2.0/24', zone: 'corp' },
      { name: 'dmz', cidr: '10.2.9.0/24', zone: 'servers' },
      { name: 'lab-net', cidr: '10.3.0.0/24', zone: 'lab' },
    ],
    resolvers: ['10.2.0.53'],
  });
}

/** A connection row with defaults for what tests rarely care about. */
export function conn(ts: string, orig: string, resp: string, port: number, more: TestRow = {}): TestRow {
  return {
    ts,
    uid: `C${Math.abs(hash(`${ts}${orig}${resp}${port}`)).toString(36)}`,
    orig_h: orig,
    orig_p: 40000 + (Math.abs(hash(ts + orig)) % 20000),
    resp_h: resp,
    resp_p: port,
    proto: 'tcp',
    ip_proto: 6,
    source_type: 'zeek',
    conn_state: 'SF',
    history: 'ShADadFf',
    orig_bytes: 500,
    resp_bytes: 4000,
    orig_pkts: 6,
    resp_pkts: 6,
    ...more,
  };
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}
