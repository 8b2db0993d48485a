/**
 * Versioned schema migrations. Each runs once, in order, recorded in `schema_migrations`. Event tables
 * are generated from the field registry; a field added to the registry later goes at the end of its
 * table (appenders write columns in table order) and gets a migration that adds the column.
 */
import { enrichTablesDdl } from '../enrich/enrich-tables.js';
import { EVENT_TABLES } from '../model/fields.js';
import { overlapsDdl } from './connection-overlaps.js';
import { hostRollupMigration } from './host-rollup.js';
import type { Dialect } from './dialect.js';

/** One schema change: DDL statements produced for a dialect. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  statements(d: Dialect): string[];
}

/** The ingest bookkeeping table. */
export function ingestsDdl(d: Dialect): string {
  return `CREATE TABLE IF NOT EXISTS "ingests" (
  "ingest_id" ${d.columnType('i32')} PRIMARY KEY,
  "fingerprint" ${d.columnType('string')} NOT NULL,
  "sha256" ${d.columnType('string')},
  "path" ${d.columnType('string')} NOT NULL,
  "size" ${d.columnType('u64')},
  "format" ${d.columnType('string')},
  "sensor" ${d.columnType('string')},
  "started_at" ${d.columnType('timestamp')},
  "finished_at" ${d.columnType('timestamp')},
  "records" ${d.columnType('u64')},
  "skipped" ${d.columnType('u64')},
  "summary" ${d.columnType('json')}
)`;
}

/** Columns each migration after the first added, by table (they are at the end of the registry). */
const ADDED: Record<number, Record<string, readonly string[]>> = {
  2: {
    connections: ['action', 'cloud_provider', 'cloud_account', 'cloud_region', 'cloud_vpc', 'cloud_subnet', 'cloud_instance'],
    firewall: ['rule_id', 'in_zone', 'out_zone', 'nat_orig_h', 'nat_orig_p', 'nat_resp_h', 'nat_resp_p', 'duration'],
  },
};

/** Registry fields added after version 1, so version 1 creates tables as they were then. */
function laterFields(table: string): Set<string> {
  const out = new Set<string>();
  for (const byTable of Object.values(ADDED)) for (const f of byTable[table] ?? []) out.add(f);
  return out;
}

function addColumns(version: number, d: Dialect): string[] {
  const out: string[] = [];
  for (const [table, fields] of Object.entries(ADDED[version])) {
    const def = EVENT_TABLES.find((t) => t.name === table)!;
    for (const name of fields) {
      const fd = def.fields.find((x) => x.name === name)!;
      out.push(`ALTER TABLE "${table}" ADD COLUMN IF NOT EXISTS "${name}" ${d.columnDef(fd)}`);
    }
  }
  return out;
}

/** Every migration, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'event tables and ingest bookkeeping',
    statements: (d) => [
      ingestsDdl(d),
      ...EVENT_TABLES.map((t) => {
        const later = laterFields(t.name);
        return d.createTable({ ...t, fields: t.fields.filter((f) => !later.has(f.name)) });
      }),
    ],
  },
  {
    version: 2,
    name: 'firewall decisions and cloud context on connections; NAT, zones and rule ids on firewall rows',
    statements: (d) => addColumns(2, d),
  },
  {
    version: 3,
    name: 'ip_info: country and autonomous system of every address in the store (src/enrich/ip-info.ts)',
    statements: (d) => [
      `CREATE TABLE IF NOT EXISTS "ip_info" ("address" ${d.columnType('string')} NOT NULL, "country" ${d.columnType('string')}, "asn" ${d.columnType('u32')}, "as_org" ${d.columnType('string')})`,
    ],
  },
  { version: 4, name: 'passive DNS answers, threat-intelligence indicators and feeds', statements: enrichTablesDdl },
  { version: 5, name: 'per-day connection summary by host (src/store/host-rollup.ts), filled from stored connections', statements: hostRollupMigration },
  {
    version: 6,
    name: 'connections stored by several sources (src/store/connection-overlaps.ts), counted for ingests from now on',
    statements: (d) => [overlapsDdl(d)],
  },
];
