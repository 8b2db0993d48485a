import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { NightjarError } from '../../model/errors.js';
import { createWriter, parseOutputFormat, type OutputColumn } from './format.js';
import { Collector, renderRows } from './testing.js';

const COLUMNS: OutputColumn[] = [
  { name: 'ts', kind: 'time' },
  { name: 'src', header: 'Source' },
  { name: 'bytes', kind: 'bytes' },
  { name: 'dur', kind: 'duration' },
  { name: 'n' },
  { name: 'tags' },
];

const ROWS = [
  { ts: 1672944666913123, src: '10.0.0.5', bytes: 1234567, dur: 3722, n: 5, tags: ['a', 'b'] },
  { ts: new Date(Date.UTC(2023, 0, 5, 18, 51, 7, 5)), src: null, bytes: 999, dur: 0.25, n: 2n ** 64n, tags: [] },
];

test('json golden: one array, exact values, dates and times as ISO, big bigint as string', async () => {
  assert.equal(
    await renderRows('json', COLUMNS, ROWS),
    '[\n' +
      '  {"ts":"2023-01-05T18:51:06.913123Z","src":"10.0.0.5","bytes":1234567,"dur":3722,"n":5,"tags":["a","b"]},\n' +
      '  {"ts":"2023-01-05T18:51:07.005Z","src":null,"bytes":999,"dur":0.25,"n":"18446744073709551616","tags":[]}\n' +
      ']\n',
  );
});

test('ndjson golden: one object per line', async () => {
  assert.equal(
    await renderRows('ndjson', COLUMNS, ROWS),
    '{"ts":"2023-01-05T18:51:06.913123Z","src":"10.0.0.5","bytes":1234567,"dur":3722,"n":5,"tags":["a","b"]}\n' +
      '{"ts":"2023-01-05T18:51:07.005Z","src":null,"bytes":999,"dur":0.25,"n":"18446744073709551616","tags":[]}\n',
  );
});

test('csv golden', async () => {
  assert.equal(
    await renderRows('csv', COLUMNS, ROWS),
    'ts,src,bytes,dur,n,tags\r\n' +
      '2023-01-05T18:51:06.913123Z,10.0.0.5,1234567,3722,5,"a,b"\r\n' +
      '2023-01-05T18:51:07.005Z,,999,0.25,18446744073709551616,\r\n',
  );
});

test('table golden: aligned, humanised, header and separator', async () => {
  assert.equal(
    await renderRows('table', COLUMNS, ROWS, { termWidth: 100 }),
    [
      'ts                       Source     bytes    dur                     n  tags',
      '───────────────────────  ────────  ──────  ─────  ────────────────────  ────',
      '2023-01-05 18:51:06.913  10.0.0.5  1.2 MB  1h02m                     5  a,b',
      '2023-01-05 18:51:07.005  -          999 B  250ms  18446744073709551616',
      '',
    ].join('\n'),
  );
});

test('json is valid for zero rows and for many', async () => {
  assert.deepEqual(JSON.parse(await renderRows('json', COLUMNS, [])), []);
  const many = Array.from({ length: 20000 }, (_, i) => ({ src: `h${i}`, n: i, bytes: BigInt(i) }));
  const parsed = JSON.parse(await renderRows('json', COLUMNS, many)) as { n: number; bytes: number }[];
  assert.equal(parsed.length, 20000);
  assert.equal(parsed[19999].n, 19999);
  assert.equal(parsed[19999].bytes, 19999);
});

test('json escapes DEL and C1 controls that a terminal would obey', async () => {
  const text = await renderRows('ndjson', [{ name: 'q' }], [{ q: 'a\u009b31mb\u007f' }]);
  assert.equal(text, '{"q":"a\\u009b31mb\\u007f"}\n');
  assert.equal((JSON.parse(text) as { q: string }).q, 'a\u009b31mb\u007f');
});

test('write returns a promise under backpressure and every row still arrives', async () => {
  const out = new Collector({ highWaterMark: 1024, delayMs: 1 });
  const w = createWriter('ndjson', [{ name: 'i' }, { name: 'pad' }], out);
  let waits = 0;
  for (let i = 0; i < 5000; i++) {
    const p = w.write({ i, pad: 'x'.repeat(40) });
    if (p) {
      waits++;
      await p;
    }
  }
  await w.end();
  assert.ok(waits > 0);
  assert.equal(out.text.split('\n').length - 1, 5000);
});

function failingStream(code: string): Writable {
  return new Writable({
    write(_chunk, _enc, cb) {
      cb(Object.assign(new Error(`write ${code}`), { code }));
    },
  });
}

test('EPIPE ends output quietly: no throw, writer reports closed', async () => {
  const w = createWriter('ndjson', [{ name: 'i' }], failingStream('EPIPE'));
  w.write({ i: 1 });
  await w.end();
  assert.equal(w.closed, true);
  assert.equal(w.write({ i: 2 }), undefined);
});

test('other write errors reject end() with a NightjarError', async () => {
  const w = createWriter('ndjson', [{ name: 'i' }], failingStream('ENOSPC'));
  w.write({ i: 1 });
  await assert.rejects(w.end(), (e: unknown) => e instanceof NightjarError && /ENOSPC/.test(e.message));
});

test('a real closed pipe (nightjar query | head) stops the writer without a crash', async () => {
  const formatUrl = new URL('./format.js', import.meta.url).href;
  const script = `
    import { createWriter } from ${JSON.stringify(formatUrl)};
    const w = createWriter('ndjson', [{ name: 'i' }], process.stdout);
    for (let i = 0; i < 5e6 && !w.closed; i++) { const p = w.write({ i }); if (p) await p; }
    await w.end();
    process.stderr.write('closed=' + w.closed + '\\n');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(stderr, 'closed=true\n');
  assert.equal(code, 0);
});

test('parseOutputFormat accepts the four formats and rejects others as usage errors', () => {
  assert.equal(parseOutputFormat('ndjson'), 'ndjson');
  assert.throws(() => parseOutputFormat('xml'), (e: unknown) => e instanceof NightjarError && e.code === 'NJ_USAGE');
});
