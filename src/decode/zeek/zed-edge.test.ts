// Golden tests: Zed's zeekio edge-case inputs decoded by zeek-tsv, checked against the values in each
// ztest's `output:` block (ZSON). Zed nests records and sorts sets; our `data` keeps Zeek's dotted names
// and the set order of the log, so expected values are flattened and sets compared sorted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { decodeAll, type Collected } from '../testing.js';
import { zeekTsv } from './zeek-tsv.js';

function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../../../test/fixtures/zeek/${name}`, import.meta.url));
}

type Zson = string | number | boolean | null | Zson[] | { [k: string]: Zson };
/** A ZSON value with its kind: sets are marked so the comparison can ignore their order. */
class ZsonSet {
  constructor(readonly items: Zson[]) {}
}

/** Reads the subset of ZSON the ztests use: records, arrays, |[sets]|, strings, null, numbers, bare IPs and times. */
function parseZson(text: string): Zson | ZsonSet {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const decorator = (): void => {
    ws();
    if (text[i] !== '(') return;
    let depth = 0;
    do {
      if (text[i] === '(') depth++;
      else if (text[i] === ')') depth--;
      i++;
    } while (depth > 0);
  };
  const value = (): Zson | ZsonSet => {
    ws();
    let v: Zson | ZsonSet;
    if (text[i] === '{') {
      i++;
      const o: Record<string, Zson> = {};
      for (ws(); text[i] !== '}'; ws()) {
        const k = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))![0];
        i += k.length + 1;
        o[k] = value() as Zson;
        ws();
        if (text[i] === ',') i++;
      }
      i++;
      v = o;
    } else if (text.startsWith('|[', i) || text[i] === '[') {
      const set = text[i] === '|';
      i += set ? 2 : 1;
      const items: Zson[] = [];
      for (ws(); text[i] !== ']'; ws()) {
        items.push(value() as Zson);
        ws();
        if (text[i] === ',') i++;
      }
      i += set ? 2 : 1;
      v = set ? new ZsonSet(items) : items;
    } else if (text[i] === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      v = JSON.parse(text.slice(i, j + 1)) as string;
      i = j + 1;
    } else {
      const tok = /^[^,}\]|(\s]+/.exec(text.slice(i))![0];
      i += tok.length;
      v = tok === 'null' ? null : tok === 'true' ? true : tok === 'false' ? false : /^-?\d+(\.\d+)?$/.test(tok) ? Number(tok) : tok;
    }
    decorator();
    return v;
  };
  return value();
}

const ISO_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/;

/** ISO time text to a marker holding its exact microseconds (Date.parse alone stops at milliseconds). */
function timeMarker(x: string): string {
  const m = ISO_TIME.exec(x)!;
  return `time:${Date.parse(m[1] + 'Z') * 1000 + Number((m[2] ?? '').padEnd(6, '0'))}`;
}

/** Expected record as our `data` holds it: flat dotted names, nulls gone, sets sorted, times as markers (see dataOf). */
function normalize(v: Zson | ZsonSet, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, x] of Object.entries(v as Record<string, Zson | ZsonSet>)) {
    if (x === null) continue;
    if (x instanceof ZsonSet) out[prefix + k] = sortSet(x.items);
    else if (typeof x === 'object' && !Array.isArray(x)) normalize(x, `${prefix}${k}.`, out);
    else if (typeof x === 'string' && ISO_TIME.test(x)) out[prefix + k] = timeMarker(x);
    else out[prefix + k] = x;
  }
  return out;
}

function sortSet(items: unknown[]): unknown[] {
  return [...items].sort((a, b) => (a === null ? -1 : b === null ? 1 : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
}

interface ZTest {
  input: string;
  output: string;
}

/** Decodes a zed_edge fixture and pairs each metadata row with the ztest's expected record. */
function golden(name: string): { out: Collected; expected: (Zson | ZsonSet)[]; ztest: ZTest } {
  const ztest = parse(fixture(`${name}.expected.yaml`).toString('utf8')) as ZTest;
  const input = fixture(`${name}.log`);
  assert.equal(input.toString('utf8').trimEnd(), ztest.input.trimEnd(), 'fixture is the ztest input');
  const out = decodeAll(zeekTsv, input, { inputName: '-' });
  const expected = ztest.output.split('\n').filter((l) => l.trim() !== '').map(parseZson);
  return { out, expected, ztest };
}

/** A row's `data`, with the given set fields sorted and the given time fields (epoch seconds) as markers. */
function dataOf(row: Record<string, unknown>, setKeys: string[] = [], timeKeys: string[] = []): Record<string, unknown> {
  const d = JSON.parse(row.data as string) as Record<string, unknown>;
  for (const k of setKeys) if (Array.isArray(d[k])) d[k] = sortSet(d[k] as unknown[]);
  for (const k of timeKeys) if (typeof d[k] === 'number') d[k] = `time:${Math.round((d[k] as number) * 1e6)}`;
  return d;
}

test('zed utf8: escapes decoded, valid UTF-8 kept, invalid bytes as \\xHH', () => {
  const { out, expected } = golden('zed_edge_zeek_utf8_json');
  assert.deepEqual(out.skips, []);
  const rows = out.rows.metadata;
  assert.equal(rows.length, 30);
  assert.equal(expected.length, 30);
  rows.forEach((r, i) => assert.deepEqual(dataOf(r), normalize(expected[i]), `row ${i + 1}`));
  assert.equal(rows[0].log, 'unknown'); // no #path, no telling fields, no input name
});

test('zed string-set: unset, (empty), duplicates and empty elements', () => {
  const { out, expected } = golden('zed_edge_string_set');
  assert.deepEqual(out.skips, []); // the blank line is ignored silently
  const rows = out.rows.metadata;
  assert.equal(rows.length, 7);
  assert.equal(expected.length, 7);
  rows.forEach((r, i) => assert.deepEqual(dataOf(r, ['f']), normalize(expected[i]), `row ${i + 1}`));
  assert.deepEqual(dataOf(rows[6]).f, [null, 'z', 'a', '', 'dup']);
});

test('zed unset-in-array, unset-in-record, escaped backslash and nested records', () => {
  for (const [name, log, count] of [
    ['zed_edge_unset_in_array', 'ArrayUnsets', 3],
    ['zed_edge_unset_in_record', 'ArrayGap', 1],
    ['zed_edge_read_escaped_backslash', 'Backslash', 1],
    ['zed_edge_nested', 'smb_cmd', 1],
  ] as const) {
    const { out, expected } = golden(name);
    assert.deepEqual(out.skips, [], name);
    const rows = out.rows.metadata;
    assert.equal(rows.length, count, name);
    rows.forEach((r, i) => {
      const { _path, ...want } = normalize(expected[i]);
      assert.equal(r.log, _path, name);
      assert.equal(r.log, log, name);
      assert.deepEqual(dataOf(r, [], ['ts', 'referenced_file.ts']), want, `${name} row ${i + 1}`);
    });
  }
  const nested = golden('zed_edge_nested').out.rows.metadata[0];
  assert.deepEqual([nested.ts, nested.uid, nested.orig_h, nested.orig_p, nested.resp_h, nested.resp_p], [
    1258594907859780, 'Chjxid42dvvzIzdeG8', '192.168.1.102', 1076, '192.168.1.1', 139,
  ]);
  assert.equal(JSON.parse(golden('zed_edge_read_escaped_backslash').out.rows.metadata[0].data as string).my_str, 'co\\m');
});

test('zed types: every Zeek type keeps its value (path conn, so they go to extra)', () => {
  const { out, ztest } = golden('zed_edge_types');
  assert.deepEqual(out.skips, []);
  assert.equal(ztest.output, ztest.input); // the ztest round-trips: output is the input itself
  const rows = out.rows.connections;
  assert.equal(rows.length, 1);
  assert.deepEqual(JSON.parse(rows[0].extra as string), {
    s: 'foo', e: 'bar', se: ['a', 'b', 'c'], vi: [1, 2, 3], vs: ['a', 'b', 'c'], p: 80, c: 1000,
    a: '10.5.100.20', n: '10.0.0.0/8', i: 1000, t: 1582404982, b: true,
  });
  assert.equal(rows[0].ts, null);
});

test('zed empty: a header with no rows and no final newline yields nothing', () => {
  const { out, ztest } = golden('zed_edge_empty');
  assert.equal(ztest.output, '');
  assert.deepEqual(out, decodeAll(zeekTsv, Buffer.alloc(0)));
});
