/**
 * Opens the store a command should use: `--db PATH`, else `$NIGHTJAR_DB`, else `nightjar.duckdb` in
 * the current directory. Only the embedded DuckDB engine exists so far; ClickHouse will be chosen by a
 * `clickhouse://` location here.
 */
import { enrichmentHooks } from '../enrich/hooks.js';
import { NightjarError } from '../model/errors.js';
import { openDuckDBStore } from './duckdb/duckdb-store.js';
import { overlapsHook } from './connection-overlaps.js';
import { hostRollupHook } from './host-rollup.js';
import type { Store } from './store.js';

/** The default database file name. */
export const DEFAULT_DB = 'nightjar.duckdb';

/** Resolves where the store lives from an explicit option and the environment. */
export function storeLocation(explicit?: string): string {
  return explicit ?? process.env.NIGHTJAR_DB ?? DEFAULT_DB;
}

const SIZE = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/** A memory size from the environment, checked (it becomes part of a SET statement). */
function memorySetting(name: string, fallback: string): string {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  if (!SIZE.test(v.trim())) throw new NightjarError('NJ_USAGE', `$${name}=${v}: give a size such as 512MB or 2GB`);
  return v.trim();
}

/** Opens the store at `location` (see storeLocation). */
export async function openStore(location: string): Promise<Store> {
  const store = await openDuckDBStore({
    path: location,
    memoryLimit: memorySetting('NIGHTJAR_MEMORY_LIMIT', '1GB'),
    // Loading bounds DuckDB's pool lower, keeping a whole ingest (DuckDB, decode worker, batches in
    // flight) under 1 GiB of RSS.
    ingestMemoryLimit: memorySetting('NIGHTJAR_INGEST_MEMORY_LIMIT', '256MB'),
  });
  for (const hook of enrichmentHooks(location, store.dialect)) store.addIngestHook(hook);
  store.addIngestHook(hostRollupHook(store.dialect));
  store.addIngestHook(overlapsHook(store.dialect));
  return store;
}
