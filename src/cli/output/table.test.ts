import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OutputColumn } from './format.js';
import { fitColumns } from './table-layout.js';
import { codePoints, renderRows } from './testing.js';
import { displayWidth, sanitize, truncate } from './text-width.js';

const CONN: OutputColumn[] = [
  { name: 'ts', kind: 'time' },
  { name: 'orig_h', header: 'Source' },
  { name: 'resp_h', header: 'Destination' },
  { name: 'query', header: 'Query' },
  { name: 'orig_bytes', header: 'Sent', kind: 'bytes' },
  { name: 'n', header: 'Count' },
];

const WIDE_ROWS = [
  {
    ts: '2023-01-05T18:51:06.913123Z',
    orig_h: '192.168.100.200',
    resp_h: '2001:db8:85a3::8a2e:370:7334',
    query: 'a-very-long-label.some-subdomain.example-corporation.com',
    orig_bytes: 1_500_000,
    n: 42,
  },
  { ts: 1672944667000000, orig_h: '10.0.0.1', resp_h: '8.8.8.8', query: 'example.com', orig_bytes: 80, n: 7 },
];

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

for (const termWidth of [40, 100]) {
  test(`table fits a ${termWidth}-column terminal`, async () => {
    const text = await renderRows('table', CONN, WIDE_ROWS, { termWidth });
    for (const l of lines(text)) assert.ok(codePoints(l) <= termWidth, `${codePoints(l)} > ${termWidth}: ${l}`);
    assert.match(text, /…/);
    assert.match(text, /2023-01-05 18:51:06\.913/);
  });
}

test('at width 100 every column stays; the widest text columns are cut to one width', async () => {
  const text = await renderRows('table', CONN, WIDE_ROWS, { termWidth: 100 });
  assert.deepEqual(lines(text).slice(0, 3), [
    'ts                       Source           Destination            Query                   Sent  Count',
    '───────────────────────  ───────────────  ─────────────────────  ────────────────────  ──────  ─────',
    '2023-01-05 18:51:06.913  192.168.100.200  2001:db8:85a3::8a2e:…  a-very-long-label.s…  1.5 MB     42',
  ]);
});

test('at width 40 trailing columns are dropped and a footer says which', async () => {
  const text = await renderRows('table', CONN, WIDE_ROWS, { termWidth: 40 });
  assert.match(text.replace(/\n/g, ' '), /… 3 columns not shown, too wide for the terminal: Query, Sent, Count/);
  assert.equal(lines(text)[2], '2023-01-05 18:51:06.913  192.16…  2001:…');
});

test('table with too many rows prints the first maxRows and counts the rest', async () => {
  const rows = Array.from({ length: 7 }, (_, i) => ({ a: `r${i}` }));
  const text = await renderRows('table', [{ name: 'a' }], rows, { maxRows: 3 });
  assert.equal(text, 'a\n──\nr0\nr1\nr2\n… 4 more rows; use --limit or --format ndjson\n');
});

test('empty table still shows its header', async () => {
  assert.equal(await renderRows('table', [{ name: 'a' }, { name: 'bb' }], []), 'a  bb\n─  ──\n(no rows)\n');
});

test('table neutralises control and bidi characters from captured data', async () => {
  const text = await renderRows('table', [{ name: 'q' }], [{ q: 'evil\x1b[2J\n\u202egnp.exe' }]);
  assert.equal(lines(text)[2], 'evil\\u001b[2J\\n\\u202egnp.exe');
});

test('color wraps header and separator in ANSI codes only when asked', async () => {
  const text = await renderRows('table', [{ name: 'a' }], [{ a: 1 }], { color: true });
  assert.equal(text, '\x1b[1ma\x1b[22m\n\x1b[2m─\x1b[22m\n1\n');
});

test('fitColumns shrinks the widest text column first and never a numeric one', () => {
  const cols = [
    { natural: 20, shrinkable: true },
    { natural: 10, shrinkable: true },
    { natural: 8, shrinkable: false },
  ];
  assert.deepEqual(fitColumns(cols, 100, 2).widths, [20, 10, 8]);
  assert.deepEqual(fitColumns(cols, 36, 2).widths, [14, 10, 8]);
  assert.deepEqual(fitColumns(cols, 29, 2).widths, [9, 8, 8]);
  assert.deepEqual(fitColumns(cols, 24, 2).widths, [6, 6, 8]);
  assert.deepEqual(fitColumns(cols, 23, 2).widths, [11, 10]);
  assert.deepEqual(fitColumns(cols, 19, 2).widths, [9, 8]);
  assert.deepEqual(fitColumns([{ natural: 23, shrinkable: false }], 10, 2).widths, [10]);
});

test('display width and truncation', () => {
  assert.equal(displayWidth('abc'), 3);
  assert.equal(displayWidth('日本'), 4);
  assert.equal(displayWidth('e\u0301'), 1);
  assert.equal(truncate('abcdef', 4), 'abc…');
  assert.equal(truncate('abc', 3), 'abc');
  assert.equal(truncate('日本語', 4), '日…');
  assert.equal(sanitize('a\tb'), 'a\\tb');
});
