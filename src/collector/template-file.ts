/**
 * Template state persisted beside the store, as one JSON file replaced atomically (written to a
 * temporary name, then renamed), so a crash leaves the old file or the new one, never half of one.
 *
 * Why beside the store rather than in it: templates are the collector's working state, not
 * telemetry; keeping them out of the schema needs no migration and no table every engine must carry,
 * an operator can inspect or delete the file, and it is written only when the state changed. The
 * file is written after each commit, so it never names a template the store has not seen data for
 * (and a template learned just before a crash is resent by the exporter anyway).
 */
import { readFile, rename, writeFile } from 'node:fs/promises';

/** Reads the file's JSON; null when there is no file. A damaged file reports why in `error`. */
export async function readTemplateFile(path: string): Promise<{ data: unknown } | { error: string } | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { error: (err as Error).message };
  }
  try {
    return { data: JSON.parse(text) as unknown };
  } catch (err) {
    return { error: `not JSON: ${(err as Error).message}` };
  }
}

/** Replaces the file with `text` atomically. */
export async function writeTemplateFile(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}
