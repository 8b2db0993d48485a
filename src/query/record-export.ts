/**
 * Writes the records a filter selects to a Parquet file with DuckDB's COPY. The file name is bound as
 * a parameter like every other value, so quotes or SQL in a path are just characters of the name.
 */
import path from 'node:path';
import { NightjarError } from '../model/errors.js';
import type { EventTableName } from '../model/fields.js';
import { sql } from '../store/sql.js';
import type { Store } from '../store/store.js';
import type { FieldCatalog } from './catalog.js';
import type { RecordFilter } from './filter/filter.js';
import { recordsSql } from './questions.js';

/** Writes the matching records (newest first, at most `limit`) to `file` as Parquet; returns the count. */
export async function exportParquet(
  store: Store,
  table: EventTableName,
  filter: RecordFilter,
  file: string,
  limit?: number,
  catalog?: FieldCatalog,
): Promise<number> {
  if (file === '' || file.includes('\0')) throw new NightjarError('NJ_USAGE', '--out needs a file name');
  const out = path.resolve(file);
  const select = recordsSql(store, table, filter, limit, catalog);
  try {
    await store.run(sql`COPY (${select}) TO ${out} (FORMAT parquet, COMPRESSION zstd)`);
  } catch (err) {
    throw new NightjarError('NJ_USAGE', `could not write ${out}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  const [n] = await store.all(sql`SELECT count(*) AS n FROM read_parquet(${out})`);
  return Number(n.n);
}
