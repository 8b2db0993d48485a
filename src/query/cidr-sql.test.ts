import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { duckdbDialect } from '../store/duckdb/dialect.js';
import { raw } from '../store/sql.js';
import { addressInCidr, cidrSql, parseCidr } from './cidr-sql.js';
import { formatAddress } from '../model/address-format.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test('CIDRs parse, normalise and reject junk', () => {
  assert.equal(parseCidr('10.1.2.3/8').text, '10.0.0.0/8');
  assert.equal(parseCidr('2001:db8::1/32').text, '2001:db8::/32');
  assert.equal(parseCidr('192.0.2.7').text, '192.0.2.7/32');
  assert.equal(parseCidr('::ffff:10.0.0.0/104').text, '10.0.0.0/8');
  assert.throws(() => parseCidr("10.0.0.0/8' OR 1=1 --"), /not an address or CIDR/);
  assert.throws(() => parseCidr('10.0.0.0/33'), /not an address or CIDR/);
});

test('SQL CIDR matching equals the TypeScript twin on random addresses and prefixes', async () => {
  const next = rng(7);
  const addrs: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const v6 = next() < 0.4;
    const b = new Uint8Array(16);
    for (let k = 0; k < 16; k++) b[k] = next() < 0.3 ? 0 : Math.floor(next() * 256);
    if (v6 && next() < 0.3) b.fill(0, 4, 12);
    if (!v6 && next() < 0.5) b[0] = 10;
    addrs.push(formatAddress(b, 0, v6));
  }
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  await con.run('CREATE TABLE a(addr VARCHAR)');
  const app = await con.createAppender('a');
  for (const a of addrs) {
    app.appendVarchar(a);
    app.endRow();
  }
  app.closeSync();
  for (let i = 0; i < 60; i++) {
    const base = addrs[Math.floor(next() * addrs.length)];
    const v6 = base.includes(':');
    const bits = Math.floor(next() * (v6 ? 129 : 33));
    const c = parseCidr(`${base}/${bits}`);
    const r = duckdbDialect.render(cidrSql(raw('addr'), c, duckdbDialect));
    const res = await con.runAndReadAll(`SELECT addr FROM a WHERE ${r.text}`, r.params as never);
    const got = new Set(res.getRowObjects().map((o) => String(o.addr)));
    const want = new Set(addrs.filter((x) => addressInCidr(x, c)));
    assert.deepEqual([...got].sort(), [...want].sort(), c.text);
    assert.ok(want.has(base), `${base} in ${c.text}`);
  }
  con.closeSync();
});
