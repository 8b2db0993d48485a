/**
 * `nightjar sql`: one read-only statement typed by a power user, run by the store with file and
 * network access switched off. The store refuses anything but SELECT and EXPLAIN; this adds the checks
 * that give a clear message before the engine sees the text.
 */
import { NightjarError } from '../model/errors.js';
import type { Row, Store } from '../store/store.js';

/** Longest statement accepted. */
export const MAX_SQL_LENGTH = 100_000;

/** Runs one read-only statement and returns its rows. */
export async function readOnlyQuery(store: Store, text: string): Promise<Row[]> {
  if (text.trim() === '') throw new NightjarError('NJ_QUERY', 'give a SELECT statement, e.g. nightjar sql "SELECT count(*) FROM connections"');
  if (text.length > MAX_SQL_LENGTH) throw new NightjarError('NJ_QUERY', `the statement is longer than ${MAX_SQL_LENGTH} characters`);
  try {
    return await store.readOnlySql(text);
  } catch (err) {
    if (err instanceof NightjarError) throw err;
    // DuckDB's own message (syntax error, unknown column) is what the user needs to fix the statement.
    throw new NightjarError('NJ_QUERY', (err as Error).message, { cause: err });
  }
}
