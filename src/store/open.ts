/**
 * Opens the store a command should use: `--db PATH`, else `$NIGHTJAR_DB`, else `nightjar.duckdb` in
 * the current directory. Only the embedded DuckDB engine exists so far; ClickHouse will be chosen by a
 * `clickhouse://` location here.
 */
import { openDuckDBStore } from './duckdb/duckdb-store.js';
import type { Store } from './store.js';

/** The default database file name. */
export const DEFAULT_DB = 'nightjar.duckdb';

/** Resolves where the store lives from an explicit option and the environment. */
export function storeLocation(explicit?: string): string {
  return explicit ?? process.env.NIGHTJAR_DB ?? DEFAULT_DB;
}

/** Opens the store at `location` (see storeLocation). */
export function openStore(location: string): Promise<Store> {
  return openDuckDBStore({
    path: location,
    // 512 MB keeps a whole ingest (DuckDB, decode worker, batches in flight) under 1 GiB of RSS.
    memoryLimit: process.env.NIGHTJAR_MEMORY_LIMIT ?? '512MB',
  });
}
