// Property test: random filters (printed from random syntax trees, parsed back) select exactly the same
// records when compiled to SQL and run on DuckDB as when evaluated in TypeScript, over random
// connection and DNS records with missing values, mixed-case names, IPv4 and IPv6, and lists.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CONNECTIONS, DNS, type EventTableName } from '../../model/fields.js';
import { isoMicros } from '../../model/time.js';
import { duckdbDialect } from '../../store/duckdb/dialect.js';
import { sql } from '../../store/sql.js';
import { baseCatalog } from '../base-catalog.js';
import type { FieldCatalog } from '../catalog.js';
import type { CompareOp, Direction, Expr, Literal } from './ast.js';
import { compileRecordFilter, recordPredicate } from './filter.js';
import { parseFilter } from './parser.js';
import { printFilter } from './printer.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const next = rng(20240301);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
const maybe = <T>(p: number, v: () => T): T | null => (next() < p ? null : v());

const BASE_US = Date.UTC(2024, 2, 1) * 1000;
const ADDRS = ['10.0.0.5', '10.0.1.7', '10.1.200.3', '192.168.1.5', '192.168.1.200', '172.16.5.4', '8.8.8.8', '203.0.113.9', '2001:db8::1', '2001:db8:1::5', 'fe80::1', '::1', '2606:4700::6810:84e5'];
const PORTS = [53, 80, 443, 22, 123, 6000, 6005, 6010, 6011, 0, 8, 3, 40000, 65535];
const PROTOS: [number, string][] = [[6, 'tcp'], [17, 'udp'], [1, 'icmp'], [58, 'icmp6'], [132, 'sctp'], [47, '47']];
const TEXTS = {
  service: ['dns', 'DNS', 'http', 'ssl', 'http,ssl', 'ssh', '100%', 'a_b'],
  conn_state: ['SF', 'S0', 'REJ', 'sf', 'RSTO'],
  history: ['ShADadFf', 'S', "it's", 'a"b', 'back\\slash', '%_', 'Dd'],
  proto: ['tcp', 'udp', 'icmp', 'TCP'],
  query: ['www.example.com', 'WWW.Example.COM', 'mail.example.com', 'example.com', 'a_b.test', '100%.off', "o'hara.example", 'x\\y.test', 'bücher.example', 'ns1.example.org'],
  qtype_name: ['A', 'AAAA', 'PTR', 'a', 'TXT'],
  answers: ['1.2.3.4', '10.0.0.5', 'cdn.example.net', 'CDN.Example.NET', '2001:db8::1', 'v=spf1 -all'],
};
type Row = Record<string, unknown>;

function connRow(i: number): Row {
  const [ip_proto, proto] = pick(PROTOS);
  return {
    uid: `C${i}`,
    ts: BASE_US + Math.floor(next() * 2 * 86400e6),
    orig_h: maybe(0.05, () => pick(ADDRS)),
    resp_h: maybe(0.05, () => pick(ADDRS)),
    orig_p: maybe(0.05, () => pick(PORTS)),
    resp_p: maybe(0.05, () => pick(PORTS)),
    ip_proto: maybe(0.03, () => ip_proto),
    proto: maybe(0.03, () => (next() < 0.1 ? proto.toUpperCase() : proto)),
    service: maybe(0.3, () => pick(TEXTS.service)),
    conn_state: maybe(0.1, () => pick(TEXTS.conn_state)),
    history: maybe(0.1, () => pick(TEXTS.history)),
    orig_bytes: maybe(0.2, () => Math.floor(next() * 5000)),
    duration: maybe(0.2, () => Math.round(next() * 400) / 8),
    local_orig: maybe(0.2, () => next() < 0.5),
    tunnel_parents: maybe(0.4, () => Array.from({ length: Math.floor(next() * 3) }, () => `C${Math.floor(next() * 20)}`)),
  };
}

function dnsRow(i: number): Row {
  return {
    uid: `D${i}`,
    ts: BASE_US + Math.floor(next() * 2 * 86400e6),
    orig_h: maybe(0.05, () => pick(ADDRS)),
    resp_h: maybe(0.05, () => pick(ADDRS)),
    orig_p: maybe(0.05, () => pick(PORTS)),
    resp_p: maybe(0.05, () => pick([53, 5353, 53])),
    ip_proto: maybe(0.05, () => pick([17, 6])),
    query: maybe(0.1, () => pick(TEXTS.query)),
    qtype_name: maybe(0.1, () => pick(TEXTS.qtype_name)),
    qtype: maybe(0.1, () => pick([1, 28, 12, 16])),
    rcode: maybe(0.2, () => pick([0, 3, 2])),
    rd: maybe(0.2, () => next() < 0.5),
    answers: maybe(0.3, () => Array.from({ length: Math.floor(next() * 4) }, () => pick(TEXTS.answers))),
    ttls: maybe(0.3, () => Array.from({ length: Math.floor(next() * 4) }, () => pick([0, 30, 300, 3600, 86400.5]))),
  };
}

// ---- random syntax trees ----
const lit = (text: string, quoted = false): Literal => ({ text, quoted, pos: 0, end: 0 });
const SPAN = { pos: 0, end: 0 };

function fieldName(cat: FieldCatalog, name: string): string {
  const f = cat.resolve(name)!;
  return pick([f.name, f.name, ...f.aliases]);
}

function mangle(s: string): string {
  let out = '';
  for (const ch of s) {
    const r = next();
    out += r < 0.12 ? '*' : r < 0.18 ? '?' : r < 0.25 ? (next() < 0.5 ? ch.toUpperCase() : ch.toLowerCase()) : ch;
  }
  return next() < 0.3 ? `*${out.slice(Math.floor(next() * out.length))}` : out;
}

function cidrOf(): string {
  const a = pick(ADDRS);
  return `${a}/${Math.floor(next() * (a.includes(':') ? 129 : 33))}`;
}

function valueFor(table: EventTableName, name: string, rows: Row[], exact: boolean): Literal {
  const numbers: Record<string, () => number> = {
    resp_p: () => pick(PORTS), orig_p: () => pick(PORTS), ip_proto: () => pick(PROTOS)[0], orig_bytes: () => Math.floor(next() * 5000),
    duration: () => Math.round(next() * 400) / 8, rcode: () => pick([0, 3, 2]), qtype: () => pick([1, 28, 12]), ttls: () => pick([0, 30, 300, 86400.5]),
  };
  if (name in numbers) return lit(String(numbers[name]()));
  if (name === 'ts') {
    const base = (pick(rows).ts as number) + (next() < 0.5 ? 0 : Math.floor((next() - 0.5) * 1e10));
    return lit(isoMicros(base)!, next() < 0.3);
  }
  if (name === 'local_orig' || name === 'rd') return lit(pick(['true', 'false', 'T', 'F']));
  if (name === 'orig_h' || name === 'resp_h') {
    if (exact) return lit(next() < 0.6 ? pick(ADDRS) : cidrOf());
    const r = next();
    return lit(r < 0.4 ? pick(ADDRS) : r < 0.85 ? cidrOf() : pick(['10.*', '*::1', '192.168.1.?', '*']));
  }
  const pool = (TEXTS as Record<string, string[]>)[name];
  const v = pick(pool);
  if (exact) return lit(v, true);
  const r = next();
  return r < 0.4 ? lit(v, next() < 0.5) : r < 0.95 ? lit(mangle(v)) : lit('*');
  void table;
}

const FIELDS: Record<'connections' | 'dns', { num: string[]; text: string[]; addr: string[]; bool: string[] }> = {
  connections: { num: ['resp_p', 'orig_p', 'orig_bytes', 'duration', 'ip_proto', 'ts'], text: ['service', 'conn_state', 'history', 'proto'], addr: ['orig_h', 'resp_h'], bool: ['local_orig'] },
  dns: { num: ['rcode', 'qtype', 'ttls', 'resp_p', 'ts'], text: ['query', 'qtype_name', 'answers'], addr: ['orig_h', 'resp_h'], bool: ['rd'] },
};

function leaf(table: 'connections' | 'dns', cat: FieldCatalog, rows: Row[]): Expr {
  const fs = FIELDS[table];
  const r = next();
  const dir = (): Direction => pick(['src', 'dst', 'any', 'both'] as const);
  if (r < 0.25) {
    const name = pick(fs.num);
    const op = pick(['==', '!=', '<', '<=', '>', '>='] as CompareOp[]);
    return { kind: 'compare', field: { name: fieldName(cat, name), ...SPAN }, op, value: valueFor(table, name, rows, true), ...SPAN };
  }
  if (r < 0.35) {
    const name = pick([...fs.text, ...fs.addr, ...fs.bool]);
    return { kind: 'compare', field: { name: fieldName(cat, name), ...SPAN }, op: pick(['==', '!='] as CompareOp[]), value: valueFor(table, name, rows, true), ...SPAN };
  }
  if (r < 0.62) {
    const name = pick([...fs.text, ...fs.text, ...fs.addr, ...fs.bool, ...fs.num]);
    const value = valueFor(table, name, rows, !fs.text.includes(name) && !fs.addr.includes(name));
    return { kind: 'match', field: { name: fieldName(cat, name), ...SPAN }, value, ...SPAN };
  }
  if (r < 0.72) {
    const name = pick([...fs.text, ...fs.addr, ...fs.num]);
    const values = Array.from({ length: 1 + Math.floor(next() * 4) }, () => valueFor(table, name, rows, !fs.text.includes(name) && !fs.addr.includes(name)));
    return { kind: 'in', field: { name: fieldName(cat, name), ...SPAN }, values, ...SPAN };
  }
  if (r < 0.82) return { kind: 'host', dir: dir(), value: lit(next() < 0.5 ? pick(ADDRS) : cidrOf()), ...SPAN };
  if (r < 0.92) {
    const range = next() < 0.3;
    const lo = range ? pick([0, 50, 6000, 1024]) : pick(PORTS);
    const hi = range ? lo + Math.floor(next() * 2000) : lo;
    return { kind: 'port', dir: dir(), lo, hi, range, ...SPAN };
  }
  if (r < 0.96) return { kind: 'proto', value: lit(pick(['tcp', 'udp', 'icmp', 'icmp6', 'sctp', '47', '17'])), ...SPAN };
  return { kind: 'flag', field: { name: fieldName(cat, pick(fs.bool)), ...SPAN }, ...SPAN };
}

function tree(table: 'connections' | 'dns', cat: FieldCatalog, rows: Row[], depth: number): Expr {
  const r = next();
  if (depth >= 4 || r < 0.4) return leaf(table, cat, rows);
  if (r < 0.55) return { kind: 'not', item: tree(table, cat, rows, depth + 1), ...SPAN };
  const items = Array.from({ length: 2 + Math.floor(next() * 2) }, () => tree(table, cat, rows, depth + 1));
  return { kind: next() < 0.5 ? 'and' : 'or', items, ...SPAN };
}

async function load(con: DuckDBConnection, table: typeof CONNECTIONS | typeof DNS, rows: Row[]): Promise<void> {
  await con.run(duckdbDialect.createTable(table));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nj-prop-')), `${table.name}.ndjson`);
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
  const names = Object.keys(rows[0]);
  const types = names.map((n) => `'${n}': '${n === 'ts' ? 'BIGINT' : duckdbDialect.columnType(table.fields.find((f) => f.name === n)!.type)}'`);
  await con.run(
    `INSERT INTO ${table.name} BY NAME SELECT * REPLACE (make_timestamp(ts) AS ts) FROM read_json('${file}', format = 'newline_delimited', columns = {${types.join(', ')}})`,
  );
  fs.rmSync(path.dirname(file), { recursive: true });
}

test('random filters: SQL on DuckDB selects exactly the records the TypeScript evaluator selects', async () => {
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  const data = { connections: Array.from({ length: 400 }, (_, i) => connRow(i)), dns: Array.from({ length: 300 }, (_, i) => dnsRow(i)) };
  await load(con, CONNECTIONS, data.connections);
  await load(con, DNS, data.dns);
  let cases = 0;
  let nonTrivial = 0;
  for (const table of ['connections', 'dns'] as const) {
    const cat = baseCatalog(table);
    for (let i = 0; i < 300; i++) {
      const text = printFilter(tree(table, cat, data[table], 0));
      const reparsed = parseFilter(text);
      assert.equal(printFilter(reparsed), text, 'printing the parsed filter gives the same text');
      const c = compileRecordFilter({ text }, cat, duckdbDialect);
      const r = duckdbDialect.render(sql`SELECT t.uid FROM ${c.from} WHERE ${c.where}`);
      const got = (await con.runAndReadAll(r.text, r.params as never)).getRowObjects().map((o) => String(o.uid)).sort();
      const keep = recordPredicate({ text }, cat);
      const want = data[table].filter((row) => keep(row)).map((row) => String(row.uid)).sort();
      assert.deepEqual(got, want, `${table}: ${text}`);
      cases++;
      if (want.length > 0 && want.length < data[table].length) nonTrivial++;
    }
  }
  assert.equal(cases, 600);
  assert.ok(nonTrivial > 300, `most filters select some but not all records (${nonTrivial})`);
  con.closeSync();
});
