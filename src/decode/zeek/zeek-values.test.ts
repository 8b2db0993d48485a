// Unit tests of the byte-level Zeek value parsers, the TSV field scanners and the JSON value helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter } from './byte-writer.js';
import { jsonMicros, flattenRecord } from './json-values.js';
import { scanDouble, scanEnd, scanMicros, scanString, scanUint } from './tsv-scan.js';
import { decodeZeekString, isJsonNumber, parseDouble, parseMicros, parseUint, utf8SequenceLength } from './zeek-values.js';
import { logFromInputName, refineLog } from './zeek-columns.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const micros = (s: string): number => parseMicros(b(s), 0, s.length);

test('parseMicros is exact from the digits', () => {
  assert.equal(micros('1672843056.913119'), 1672843056913119);
  assert.equal(micros('1517336042.090842'), 1517336042090842);
  assert.equal(micros('1582404982'), 1582404982000000);
  assert.equal(micros('1582404982.5'), 1582404982500000);
  assert.equal(micros('0.000001'), 1);
  assert.equal(micros('1.0000005'), 1000001); // 7th digit rounds half up
  assert.equal(micros('1.0000004'), 1000000);
  assert.equal(micros('-1.5'), -1500000);
  assert.equal(micros('1.5e3'), 1500000000);
  for (const bad of ['x', '', '1.2.3', '12:00', '-', '1 ']) assert.ok(Number.isNaN(micros(bad)), bad);
});

test('scanners stop at the separator and parse in the same pass', () => {
  const line = b('1672843056.913119\t55548\t0.084044\tSh\\x41D\tx');
  assert.equal(scanMicros(line, 0, line.length, 9), 1672843056913119);
  assert.equal(scanEnd[0], 17);
  assert.equal(scanUint(line, 18, line.length, 9), 55548);
  assert.equal(scanEnd[0], 23);
  assert.equal(scanDouble(line, 24, line.length, 9), 0.084044);
  assert.equal(scanEnd[0], 32);
  assert.equal(scanString(line, 33, line.length, 9), 40);
  assert.equal(scanEnd[1], 1);
  assert.equal(scanString(line, 41, line.length, 9), 42);
  assert.equal(scanEnd[1], 0);
  const odd = b('abc\t1.000000000\t-2.5\t7');
  assert.ok(Number.isNaN(scanUint(odd, 0, odd.length, 9)));
  assert.equal(scanEnd[0], 3);
  assert.equal(scanMicros(odd, 4, odd.length, 9), 1000000);
  assert.equal(scanEnd[0], 15);
  assert.equal(scanDouble(odd, 16, odd.length, 9), -2.5);
  assert.equal(scanEnd[0], 20);
});

test('parseUint and parseDouble refuse non-numbers', () => {
  assert.equal(parseUint(b('65535'), 0, 5), 65535);
  assert.ok(Number.isNaN(parseUint(b('abc'), 0, 3)));
  assert.ok(Number.isNaN(parseUint(b('-1'), 0, 2)));
  assert.equal(parseDouble(b('3.000158'), 0, 8), 3.000158);
  assert.equal(parseDouble(b('1e-3'), 0, 4), 0.001);
  assert.ok(Number.isNaN(parseDouble(b('1.2.3'), 0, 5)));
  assert.ok(isJsonNumber(b('1000.000000'), 0, 11));
  assert.ok(!isJsonNumber(b('007'), 0, 3));
  assert.ok(!isJsonNumber(b('1.'), 0, 2));
});

function decoded(s: string): string {
  const w = new ByteWriter(4);
  decodeZeekString(b(s), 0, s.length, w);
  return Buffer.from(w.buf.subarray(0, w.len)).toString('utf8');
}

test('Zeek string escapes decode to valid UTF-8, invalid bytes shown as \\xHH', () => {
  assert.equal(decoded('co\\\\m'), 'co\\m');
  assert.equal(decoded('a\\x09b'), 'a\tb');
  assert.equal(decoded('\\xc3\\xb1'), 'ñ');
  assert.equal(decoded('\\xc3\\x28'), '\\xc3(');
  assert.equal(decoded('\\xed\\xa0\\xa1'), '\\xed\\xa0\\xa1'); // surrogate
  assert.equal(decoded('\\xf4\\x90\\x8c\\xbc'), '\\xf4\\x90\\x8c\\xbc'); // above U+10FFFF
  assert.equal(decoded('\\q\\x4'), '\\q\\x4'); // not escapes: kept as written
  assert.equal(decoded('string\\n'), 'string\n');
  assert.equal(utf8SequenceLength(Uint8Array.of(0xe2, 0x82, 0xa1), 0, 3), 3);
  assert.equal(utf8SequenceLength(Uint8Array.of(0xc0, 0x81), 0, 2), 0);
});

test('jsonMicros reads epoch numbers and ISO 8601 text exactly', () => {
  assert.equal(jsonMicros(1517422326.539915), 1517422326539915);
  assert.equal(jsonMicros('2018-01-31T17:45:26.539915Z'), 1517420726539915);
  assert.equal(jsonMicros('2018-01-31T18:45:26.5+01:00'), 1517420726500000);
  assert.equal(jsonMicros('1517422326.539915'), 1517422326539915);
  assert.ok(Number.isNaN(jsonMicros('yesterday')));
  assert.ok(Number.isNaN(jsonMicros(true)));
});

test('flattenRecord gives nested records Zeek dotted names and drops nulls', () => {
  assert.deepEqual(flattenRecord({ ts: 1, id: { orig_h: '10.0.0.1', orig_p: 1 }, x: null, a: [1] }), {
    ts: 1,
    'id.orig_h': '10.0.0.1',
    'id.orig_p': 1,
    a: [1],
  });
});

test('log names from input names are hints, open_conn refines conn', () => {
  assert.equal(logFromInputName('/data/zeek/http.2023-01-01.log'), 'http');
  assert.equal(logFromInputName('/x/rita_json_open_conn.log'), 'open_conn');
  assert.equal(logFromInputName('smb_files.log.gz'), 'smb_files');
  assert.equal(logFromInputName('-'), null);
  assert.equal(refineLog('conn', '/x/open_conn.log'), 'open_conn');
  assert.equal(refineLog('conn', '/x/conn.log'), 'conn');
  assert.equal(refineLog('dns', '/x/open_conn.log'), 'dns');
});
