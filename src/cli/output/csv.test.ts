import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, neutraliseFormula } from './csv.js';
import { renderRows } from './testing.js';

test('fields are quoted only when RFC 4180 requires it', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('cr\r'), '"cr\r"');
  assert.equal(csvField(''), '');
});

test('formula-looking text gets a leading quote, numbers do not', () => {
  assert.equal(neutraliseFormula('=HYPERLINK("http://evil","x")'), `'=HYPERLINK("http://evil","x")`);
  assert.equal(neutraliseFormula('+cmd'), `'+cmd`);
  assert.equal(neutraliseFormula('-2+3'), `'-2+3`);
  assert.equal(neutraliseFormula('@SUM(A1)'), `'@SUM(A1)`);
  assert.equal(neutraliseFormula('\tx'), `'\tx`);
  assert.equal(neutraliseFormula('-5'), '-5');
  assert.equal(neutraliseFormula('+3.25e-2'), '+3.25e-2');
  assert.equal(neutraliseFormula('a=b'), 'a=b');
  assert.equal(csvField('=1,2'), `"'=1,2"`);
});

test('csv output: header, CRLF, empty for null, arrays joined, dates as ISO', async () => {
  const text = await renderRows(
    'csv',
    [{ name: 'ts', kind: 'time' }, { name: 'q' }, { name: 'n' }, { name: 'tags' }, { name: 'seen' }],
    [
      { ts: 1672944666913123, q: '=cmd|calc', n: -5, tags: ['a', 'b'], seen: new Date(Date.UTC(2023, 0, 5)) },
      { ts: null, q: 'x,"y"', n: 12345678901234567890n, tags: [], seen: undefined },
    ],
  );
  assert.equal(
    text,
    'ts,q,n,tags,seen\r\n' +
      `2023-01-05T18:51:06.913123Z,'=cmd|calc,-5,"a,b",2023-01-05T00:00:00.000Z\r\n` +
      ',"x,""y""",12345678901234567890,,\r\n',
  );
});

test('csv with no rows still has its header', async () => {
  assert.equal(await renderRows('csv', [{ name: 'a' }, { name: 'b' }], []), 'a,b\r\n');
});
