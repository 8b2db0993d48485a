import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { CONNECTIONS } from '../model/fields.js';
import { duckdbDialect } from '../store/duckdb/dialect.js';
import { raw, sql } from '../store/sql.js';
import { baseCatalog, extendCatalog } from './base-catalog.js';
import { compileRecordFilter, recordPredicate } from './filter/filter.js';

test('base catalogs come from the field registry: names, Zeek and ECS aliases, types and roles', () => {
  const c = baseCatalog('connections');
  assert.equal(c.resolve('id.orig_h')?.name, 'orig_h');
  assert.equal(c.resolve('source.ip')?.name, 'orig_h');
  assert.equal(c.resolve('destination.port')?.name, 'resp_p');
  assert.equal(c.resolve('orig_h')?.type, 'address');
  assert.equal(c.resolve('orig_bytes')?.type, 'number');
  assert.equal(c.resolve('end_ts')?.type, 'timestamp');
  assert.equal(c.resolve('tunnel_parents')?.type, 'string[]');
  assert.equal(c.resolve('ts')?.role, 'time');
  assert.equal(c.resolve('ip_proto')?.role, 'proto');
  assert.equal(baseCatalog('dns').resolve('TTLs')?.type, 'number[]');
  assert.equal(baseCatalog('firewall').resolve('nat_resp_h')?.type, 'address');
  assert.equal(c.fields.length, CONNECTIONS.fields.length);
});

test('an extended catalog joins only when a filter names a field that needs the join', async () => {
  const base = baseCatalog('connections');
  const ext = extendCatalog(
    base,
    [{ name: 'resp_country', aliases: ['destination.geo.country_iso_code'], type: 'string', meaning: 'Country of the responder', expr: raw('geo.country'), needs: ['geo'] }],
    new Map([['geo', raw('LEFT JOIN geo ON geo.address = t.resp_h')]]),
  );
  const plain = duckdbDialect.render(compileRecordFilter({ text: 'resp_p == 443' }, ext, duckdbDialect).from);
  assert.equal(plain.text, '"connections" AS t');
  const joined = compileRecordFilter({ text: 'destination.geo.country_iso_code: nl and resp_p == 443' }, ext, duckdbDialect);
  assert.equal(duckdbDialect.render(joined.from).text, '"connections" AS t LEFT JOIN geo ON geo.address = t.resp_h');
  assert.throws(() => extendCatalog(ext, [], new Map([['geo', raw('')]])), /defined twice/);
  assert.throws(() => extendCatalog(base, [{ ...base.fields[0], name: 'x', needs: ['nope'] }]), /unknown join/);

  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  await con.run(duckdbDialect.createTable(CONNECTIONS));
  await con.run("CREATE TABLE geo(address VARCHAR, country VARCHAR); INSERT INTO geo VALUES ('203.0.113.9', 'NL'), ('8.8.8.8', 'US')");
  await con.run("INSERT INTO connections (uid, ts, resp_h, resp_p) VALUES ('a', now(), '203.0.113.9', 443), ('b', now(), '8.8.8.8', 443), ('c', now(), '10.0.0.1', 443)");
  const r = duckdbDialect.render(sql`SELECT t.uid FROM ${joined.from} WHERE ${joined.where}`);
  const rows = (await con.runAndReadAll(r.text, r.params as never)).getRowObjects();
  assert.deepEqual(rows.map((x) => x.uid), ['a']);
  const keep = recordPredicate({ text: 'destination.geo.country_iso_code: nl' }, ext);
  assert.equal(keep({ resp_country: 'NL' }), true);
  assert.equal(keep({ resp_country: null }), false);
  con.closeSync();
});
