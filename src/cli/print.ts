/**
 * Prints rows in the user's chosen format through the output layer, streaming machine formats and
 * keeping tables to one screenful unless asked for more.
 */
import type { Row } from '../store/store.js';
import { createWriter, type OutputColumn, type OutputFormat } from './output/format.js';

/** Prints an array of rows. */
export async function printRows(rows: readonly Row[], columns: OutputColumn[], format: OutputFormat): Promise<void> {
  const w = createWriter(format, columns, process.stdout, { termWidth: process.stdout.columns, color: process.stdout.isTTY });
  for (const r of rows) await w.write(r);
  await w.end();
}

/** Prints batches of rows as they arrive. */
export async function printStream(batches: AsyncIterable<Row[]>, columns: OutputColumn[], format: OutputFormat, maxRows?: number): Promise<void> {
  const w = createWriter(format, columns, process.stdout, { termWidth: process.stdout.columns, color: process.stdout.isTTY, maxRows });
  for await (const batch of batches) for (const r of batch) await w.write(r);
  await w.end();
}
