/**
 * Versioned schema migrations. Each runs once, in order, recorded in `schema_migrations`. Event tables
 * are generated from the field registry; a field added to the registry later goes at the end of its
 * table (appenders write columns in table order) and gets a migration that adds the column.
 */
import { EVENT_TABLES } from '../model/fields.js';
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

/** Every migration, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'event tables and ingest bookkeeping',
    statements: (d) => [ingestsDdl(d), ...EVENT_TABLES.map((t) => d.createTable(t))],
  },
];
