import assert from 'node:assert/strict';
import test from 'node:test';
import { JsonRecordScanner } from './json-record-scanner.js';

/** The records the scanner hands over for `doc` pushed in chunks of `size` bytes, parsed. */
function scan(doc: Buffer, size: number): unknown[] {
  const out: unknown[] = [];
  const events = { oversize: () => assert.fail('oversize'), garbage: () => assert.fail('garbage'), truncated: () => assert.fail('truncated') };
  const s = new JsonRecordScanner((json) => out.push(JSON.parse(json.toString('utf8'))), events);
  for (let i = 0; i < doc.length; i += size) s.push(doc.subarray(i, i + size));
  s.finish();
  return out;
}

test('records are found whatever the strings around them hold and however the input is cut', () => {
  const rec = (k: number) => ({ time: `2018-11-13T12:00:${k}Z`, note: 'quote " backslash \\ é', resourceId: '/SUBSCRIPTIONS/'.repeat(8) + k, n: k });
  const docs: [unknown, unknown[]][] = [
    [{ 'a"b': 'x\\"y', averyveryverylongkeyname_abc: 'v'.repeat(100), records: [rec(1), rec(2)], after: { records: [9] } }, [rec(1), rec(2)]],
    [{ 're\\cords': [rec(3)], records: [rec(4)] }, [rec(4)]],
    [{ recordsX: [rec(5)], records: [] }, []],
    [[rec(6), rec(7)], [rec(6), rec(7)]],
  ];
  for (const [doc, want] of docs) {
    for (const text of [JSON.stringify(doc), JSON.stringify(doc, null, 2)]) {
      for (const size of [1, 2, 3, 7, 16, 64, 1 << 20]) assert.deepEqual(scan(Buffer.from(text), size), want, `${text.slice(0, 40)} in chunks of ${size}`);
    }
  }
  // JSON lines of records (top-level objects, no "records" array) come whole.
  const lines = Buffer.from([rec(8), rec(9)].map((r) => JSON.stringify(r)).join('\n') + '\n');
  for (const size of [1, 5, 1 << 20]) assert.deepEqual(scan(lines, size), [rec(8), rec(9)]);
});
