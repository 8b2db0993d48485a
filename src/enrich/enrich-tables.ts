/**
 * Tables derived by enrichment rather than decoded from inputs: passive DNS answers (maintained by an
 * ingest hook from the `dns` table) and threat-intelligence indicators with their feeds' provenance.
 * Their DDL lives here, beside the code that fills them; `store/migrations.ts` runs it as version 4.
 */
import type { Dialect } from '../store/dialect.js';
import { passiveDnsBackfill } from './passive-dns.js';

/** Statements of migration 4: passive DNS answers (backfilled from stored DNS records), intel indicators and feeds. */
export function enrichTablesDdl(d: Dialect): string[] {
  const s = d.columnType('string');
  const ts = d.columnType('timestamp');
  return [
    `CREATE TABLE IF NOT EXISTS "dns_answers" (
  "ts" ${ts} NOT NULL,
  "client" ${s} NOT NULL,
  "name" ${s} NOT NULL,
  "answer" ${s} NOT NULL,
  "ttl" ${d.columnType('f64')},
  "ingest_id" ${d.columnType('i32')} NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS "intel_feeds" (
  "feed" ${s} PRIMARY KEY,
  "path" ${s} NOT NULL,
  "format" ${s} NOT NULL,
  "sha256" ${s} NOT NULL,
  "loaded_at" ${ts} NOT NULL,
  "indicators" ${d.columnType('u64')} NOT NULL,
  "skipped" ${d.columnType('u64')} NOT NULL,
  "summary" ${d.columnType('json')}
)`,
    `CREATE TABLE IF NOT EXISTS "intel" (
  "feed" ${s} NOT NULL,
  "indicator" ${s} NOT NULL,
  "kind" ${s} NOT NULL,
  "value" ${s} NOT NULL,
  "subdomains" ${d.columnType('bool')} NOT NULL,
  "lo" ${s},
  "hi" ${s},
  "type" ${s},
  "source" ${s},
  "confidence" ${d.columnType('f64')},
  "description" ${s},
  "valid_from" ${ts},
  "valid_until" ${ts},
  "ref" ${s}
)`,
    passiveDnsBackfill(),
  ];
}
