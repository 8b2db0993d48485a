/** Test helpers for enrichment: a fresh store and Zeek JSON logs written from terse records. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingest, type IngestReport } from '../pipeline/ingest.js';
import { openDuckDBStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';

/** A temporary directory for one test. */
export function tmpDir(prefix = 'nj-enrich-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A new store in a temporary directory. */
export async function tmpStore(): Promise<Store> {
  return openDuckDBStore({ path: path.join(tmpDir(), 'test.duckdb') });
}

/** Epoch seconds of a time given as seconds after 2024-03-01T00:00:00Z. */
export function at(seconds: number): number {
  return 1709251200 + seconds;
}

/** A Zeek JSON conn record. */
export function conn(uid: string, ts: number, orig: string, resp: string, respPort = 443): Record<string, unknown> {
  return { _path: 'conn', ts, uid, 'id.orig_h': orig, 'id.orig_p': 50000, 'id.resp_h': resp, 'id.resp_p': respPort, proto: 'tcp', conn_state: 'SF' };
}

/** A Zeek JSON dns record with answers and TTLs. */
export function dns(uid: string, ts: number, client: string, query: string, answers: string[], ttls: number[]): Record<string, unknown> {
  return {
    _path: 'dns', ts, uid, 'id.orig_h': client, 'id.orig_p': 40000, 'id.resp_h': '10.0.0.53', 'id.resp_p': 53, proto: 'udp',
    query, qtype: 1, qtype_name: 'A', rcode: 0, rcode_name: 'NOERROR', answers, TTLs: ttls,
  };
}

/** Writes records as a Zeek JSON log file and returns its path. */
export function writeLog(dir: string, name: string, records: Record<string, unknown>[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

/** Ingests files in-process (no worker), failing loudly when an input could not be stored. */
export async function ingestFiles(store: Store, files: string[], force = false): Promise<IngestReport> {
  const report = await ingest(store, files, { worker: false, force });
  for (const f of report.files) if (f.status === 'failed') throw new Error(`${f.input}: ${f.message}`);
  return report;
}
