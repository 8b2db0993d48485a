/**
 * Golden files for the validation reports (test-only): the report's JSON is compared with
 * `test/fixtures/controls/<name>`; `NIGHTJAR_UPDATE_GOLDEN=1` rewrites the file instead, for a
 * reviewed change of the schema.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

/** Compares a report with its golden file. */
export function checkGolden(name: string, report: unknown): void {
  const file = path.join(process.cwd(), 'test/fixtures/controls', name);
  const text = `${JSON.stringify(report, null, 2)}\n`;
  if (process.env.NIGHTJAR_UPDATE_GOLDEN === '1') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return;
  }
  assert.deepEqual(JSON.parse(text), JSON.parse(fs.readFileSync(file, 'utf8')), `report differs from ${file}`);
}
