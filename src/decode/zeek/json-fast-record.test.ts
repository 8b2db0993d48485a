// The Zeek JSON fast path against the JSON.parse path: for every line, real, generated, crafted or
// mutated at random, both must store exactly the same rows and report exactly the same skips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EVENT_TABLES, type EventTableName } from '../../model/fields.js';
import { ColumnBatch } from '../../store/column-batch.js';
import type { DecodeContext, DecoderDef } from '../decoder.js';
import { decodeAll } from '../testing.js';
import { JsonFastWriter } from './json-fast-record.js';
import { canonicalNumber } from './json-numbers.js';
import { zeekJson, zeekJsonDecoder } from './zeek-json.js';

const general: DecoderDef = { ...zeekJson, create: (ctx) => zeekJsonDecoder(ctx, false) };

function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../../../test/fixtures/zeek/${name}`, import.meta.url));
}

/** Decodes `input` both ways and asserts identical output. */
function same(input: Buffer, inputName = '/logs/conn.log'): void {
  const fast = decodeAll(zeekJson, input, { inputName, chunkSize: 4096 });
  const slow = decodeAll(general, input, { inputName, chunkSize: 4096 });
  assert.deepStrictEqual(fast, slow, input.toString('utf8').slice(0, 400));
}

/** How many of `lines` the fast path takes (the rest it hands to JSON.parse). */
function taken(lines: string[], inputName = '/logs/conn.log'): number {
  const batches = new Map<EventTableName, ColumnBatch>();
  const ctx: DecodeContext = {
    ingestId: 1,
    sensor: null,
    inputName,
    batch(name) {
      let b = batches.get(name);
      if (b === undefined || b.full) batches.set(name, (b = new ColumnBatch(EVENT_TABLES.find((t) => t.name === name)!, 64)));
      return b;
    },
    skip() {},
    ignore() {},
  };
  const w = new JsonFastWriter(ctx);
  let n = 0;
  for (const l of lines) {
    const buf = Buffer.from(l);
    if (w.write(buf, 0, buf.length)) n++;
  }
  return n;
}

const CONN =
  '{"ts":1709251200.627085,"uid":"Cg88Rlsa9ceIZPJeEY","id.orig_h":"10.1.76.86","id.orig_p":28376,"id.resp_h":"28.35.65.6",' +
  '"id.resp_p":53,"proto":"udp","service":"dns","duration":0.058974,"orig_bytes":42,"resp_bytes":323,"conn_state":"SF",' +
  '"local_orig":true,"local_resp":false,"missed_bytes":0,"history":"Dd","orig_pkts":1,"orig_ip_bytes":70,"resp_pkts":1,' +
  '"resp_ip_bytes":351,"_path":"conn"}';

/** CONN with one member's value replaced (or added before `_path` when absent). */
function withField(key: string, value: string): string {
  const o = JSON.parse(CONN) as Record<string, unknown>;
  const parts = Object.keys(o)
    .filter((k) => k !== key)
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(o[k])}`);
  parts.splice(parts.length - 1, 0, `${JSON.stringify(key)}:${value}`);
  return '{' + parts.join(',') + '}';
}

test('the RITA JSON fixtures: same rows both ways, and the fast path takes every good line', () => {
  for (const name of ['rita_json_conn.log', 'rita_json_dns.log', 'rita_json_http.log', 'rita_json_ssl.log',
    'rita_json_open_conn.log', 'rita_json_truncated_conn.log', 'rita_not_a_log_conn.log']) {
    same(fixture(name), `/logs/${name}`);
  }
  const conn = fixture('rita_json_conn.log').toString('utf8').trim().split('\n');
  assert.equal(taken(conn, '/logs/rita_json_conn.log'), conn.length);
  const dns = fixture('rita_json_dns.log').toString('utf8').trim().split('\n');
  assert.equal(taken(dns, '/logs/rita_json_dns.log'), dns.length);
});

test('crafted values: what the fast path takes it stores as JSON.parse would, the rest it declines', () => {
  const cases: [string, boolean][] = [
    [CONN, true],
    [withField('ts', '1709251200.6'), true],
    [withField('ts', '1709251200'), true],
    [withField('ts', '1709251200.1234567'), false],
    [withField('ts', '"1709251200.123456"'), false],
    [withField('ts', '4294967296.5'), false],
    [withField('ts', '1.7e9'), false],
    [withField('id.orig_p', '5.0'), true],
    [withField('id.orig_p', '65536'), false],
    [withField('id.orig_p', '-1'), false],
    [withField('id.orig_p', '"80"'), false],
    [withField('orig_bytes', '1e3'), true],
    [withField('orig_bytes', '1.5'), false],
    [withField('duration', '-0.0'), true],
    [withField('duration', '12345678901234567890'), true],
    [withField('local_orig', '"T"'), true],
    [withField('local_orig', '"true"'), false],
    [withField('local_orig', '1'), false],
    [withField('service', 'null'), true],
    [withField('service', '5'), false],
    [withField('history', '""'), true],
    [withField('tunnel_parents', '["CabC1","Cx"]'), true],
    [withField('tunnel_parents', '[ "CabC1" , null ]'), true],
    [withField('tunnel_parents', '[1]'), false],
    [withField('tunnel_parents', '[]'), true],
    [withField('tunnel_parents', '"CabC1"'), false],
    [withField('x_extra', '12'), true],
    [withField('x_extra', '1.50'), false],
    [withField('x_extra', '1e5'), false],
    [withField('x_extra', '-0'), false],
    [withField('x_extra', '0.0000001'), false],
    [withField('x_extra', '0.000001'), true],
    [withField('x_extra', '123456789012345678'), false],
    [withField('x_extra', '-12.25'), true],
    [withField('x_extra', 'true'), true],
    [withField('x_extra', '"x\\"y"'), false],
    [withField('x_extra', '"caf\u00e9"'), false],
    [withField('x_extra', '[1,2.5,"a",null,true]'), true],
    [withField('x_extra', '[1, 2]'), false],
    [withField('x_extra', '[1.0]'), false],
    [withField('x_extra', '{"a":1}'), false],
    [withField('x_extra', '[[1]]'), false],
    [withField('12', '1'), false],
    [withField('__proto__', '1'), false],
    [withField('id.orig_h', '""'), false],
    [withField('id.orig_h', '"2001:db8::1"'), true],
    [withField('id.orig_h', '"not an address"'), true],
    [withField('proto', '"icmp"').replace('"10.1.76.86"', '"fe80::1"').replace('"28.35.65.6"', '"ff02::1"'), true],
    [withField('proto', '"ICMP"'), true],
    [withField('proto', '"ospf"'), true],
    [withField('community_id', '"1:abc="'), true],
    [withField('_system_name', '"sensor-1"'), true],
    [withField('_system_name', '7'), false],
    [withField('_path', 'null'), true],
    [withField('_path', '"http"'), true],
    [withField('_path', '"dns"'), true],
    [withField('_path', '""'), false],
    [withField('_path', '1'), false],
    [CONN.replace('"missed_bytes":0,', '"missed_bytes":0,"missed_bytes":1,'), false],
    [CONN.replace('{', '{ ').replace(/,/g, ', ').replace(/:/g, ': '), true],
    [CONN.replace('}', ',}'), false],
    [CONN.slice(0, -1), false],
    [CONN + 'x', false],
    ['{}', true],
    ['{"ts":1.5,"query":"example.com","answers":["1.2.3.4",null],"TTLs":[60.000000,null],"rcode":0}', true],
    ['{"ts":1.5,"query":"example.com","TTLs":["60"],"rcode":0}', false],
    ['{"ts":1.5,"uid":"C1","x":1}', true],
    ['[1,2]', false],
    ['"text"', false],
  ];
  cases.forEach(([line, fast], i) => {
    same(Buffer.from(line + '\n'));
    same(Buffer.from(line + '\n'), '/logs/open_conn.log');
    assert.equal(taken([line]), fast ? 1 : 0, `case ${i}: ${line}`);
  });
});

test('keys: optional fields, changing order and more distinct keys than the cache holds', () => {
  const lines: string[] = [];
  for (let i = 0; i < 9000; i++) {
    if (i % 3 === 0) lines.push(withField(`k${i}`, String(i)));
    else if (i % 3 === 1) lines.push(CONN.replace('"service":"dns",', ''));
    else lines.push('{"_path":"conn","uid":"C1","ts":1.5,"id.resp_h":"10.0.0.2","id.orig_h":"10.0.0.1","proto":"tcp"}');
  }
  same(Buffer.from(lines.join('\n') + '\n'));
  assert.equal(taken(lines), lines.length);
});

test('canonicalNumber: true only when JSON.stringify(JSON.parse(text)) gives the text back', () => {
  const yes = ['0', '1', '10', '-10', '1.5', '0.1', '0.000001', '123456789012345', '0.123456789012345', '-0.5', '99.99',
    '1709251200.627085', '4294967295.999999', '0.100001'];
  const no = ['-0', '1.50', '0.0000001', '1e5', '1E-5', '3.0', '1234567890123456', '0.1234567890123456', '4294967296.123456'];
  for (const t of [...yes, ...no]) {
    const b = Buffer.from(t);
    assert.equal(canonicalNumber(b, 0, b.length), yes.includes(t), t);
    if (yes.includes(t)) assert.equal(JSON.stringify(JSON.parse(t)), t);
  }
  let seed = 3;
  const r = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
  for (let i = 0; i < 20000; i++) {
    const t = `${i % 7 === 0 ? '-' : ''}${Math.floor(r() * 2 ** (1 + r() * 40))}.${String(Math.floor(r() * 1e9)).slice(0, 1 + Math.floor(r() * 9))}`;
    const b = Buffer.from(t);
    if (canonicalNumber(b, 0, b.length)) assert.equal(JSON.stringify(JSON.parse(t)), t, t);
  }
});

test('random timestamps and numbers: the fast path agrees with JSON.parse', () => {
  let seed = 7;
  const r = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const secs = Math.floor(r() * 4294967296);
    const frac = String(Math.floor(r() * 1e6)).padStart(6, '0').slice(0, 1 + Math.floor(r() * 6));
    const dur = (r() * 10 ** Math.floor(r() * 12)).toFixed(Math.floor(r() * 8));
    const extra = (r() * 10 ** Math.floor(r() * 18 - 8)).toPrecision(1 + Math.floor(r() * 17));
    lines.push(withField('ts', `${secs}.${frac}`).replace('"duration":0.058974', `"duration":${dur}`).replace('}', `,"x":${extra}}`));
  }
  same(Buffer.from(lines.join('\n') + '\n'));
});

test('random mutations of good lines: never a different row, never a bad line taken', () => {
  let seed = 11;
  const r = (n: number): number => Math.floor(((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296) * n);
  const alphabet = '"{}[],:0-.eE \\1a\u00e9';
  const base = [CONN, withField('tunnel_parents', '["CabC1"]'), '{"ts":1.5,"query":"a.b","answers":["x"],"TTLs":[60.5],"qtype":1}'];
  const lines: string[] = [];
  for (let i = 0; i < 4000; i++) {
    let l = base[r(base.length)];
    for (let k = 1 + r(3); k > 0; k--) {
      const at = r(l.length);
      const op = r(3);
      if (op === 0) l = l.slice(0, at) + l.slice(at + 1);
      else if (op === 1) l = l.slice(0, at) + alphabet[r(alphabet.length)] + l.slice(at);
      else l = l.slice(0, at) + alphabet[r(alphabet.length)] + l.slice(at + 1);
    }
    lines.push(l);
  }
  same(Buffer.from(lines.join('\n') + '\n'));
  const bad = lines.filter((l) => {
    try {
      JSON.parse(l);
      return false;
    } catch {
      return true;
    }
  });
  assert.ok(bad.length > 500);
  assert.equal(taken(bad), 0);
});
