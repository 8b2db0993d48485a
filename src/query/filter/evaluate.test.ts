// The evaluator takes records as the store returns them (ISO times, numbers, lists), so streaming
// detections and the API can test the rows they already hold; and registered catalog extensions apply.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../store/open.js';
import { raw, sql } from '../../store/sql.js';
import { catalogOf, extendCatalog, registerCatalogExtension } from '../base-catalog.js';
import { compileRecordFilter, recordPredicate } from './filter.js';

test('store rows evaluate in TypeScript exactly as their SQL selects them', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-eval-'));
  const store = await openStore(path.join(dir, 'e.duckdb'));
  try {
    await store.run(
      raw(`INSERT INTO dns (ts, uid, orig_h, resp_h, resp_p, ip_proto, query, answers, ttls, rd) VALUES
        ('2024-03-01 10:00:00.000001', 'a', '10.0.0.5', '10.0.0.53', 53, 17, 'www.Example.com', ['1.2.3.4', 'x.example.net'], [300, 60], true),
        ('2024-03-01 10:00:00.000002', 'b', '10.0.1.9', '8.8.8.8', 53, 17, 'evil.test', NULL, NULL, false),
        ('2024-03-02 00:00:00', 'c', '2001:db8::7', '2001:db8::53', 5353, 17, NULL, [], [], NULL)`),
    );
    const rows = await store.all(sql`SELECT * FROM dns AS t`);
    const cat = catalogOf('dns');
    const filters = [
      'ts > 2024-03-01T10:00:00.000001Z',
      'ts <= "2024-03-01 10:00:00.000001"',
      'answers: *.EXAMPLE.net or ttls < 100',
      'not answers: *',
      'net 10.0.0.0/23 and port 53 and query: *.example.com',
      'net 2001:db8::/32',
      'rd != true',
      'resp_p in [53, 5353] and not udp',
    ];
    for (const text of filters) {
      const c = compileRecordFilter({ text }, cat, store.dialect);
      const got = (await store.all(sql`SELECT t.uid FROM ${c.from} WHERE ${c.where} ORDER BY t.uid`)).map((r) => r.uid);
      const keep = recordPredicate({ text }, cat);
      assert.deepEqual(rows.filter(keep).map((r) => r.uid).sort(), got, text);
    }
    assert.deepEqual(rows.filter(recordPredicate({ text: 'ts > 2024-03-01T10:00:00.000001Z' }, cat)).map((r) => r.uid).sort(), ['b', 'c']);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('registered catalog extensions reach every command through catalogOf', () => {
  assert.equal(catalogOf('connections').resolve('resp_zone'), undefined);
  registerCatalogExtension('connections', 'test-zone', (c) =>
    extendCatalog(c, [{ name: 'resp_zone', aliases: ['destination.zone'], type: 'string', meaning: 'Zone of the responder', expr: raw(`'dmz'`) }]),
  );
  assert.equal(catalogOf('connections').resolve('destination.zone')?.name, 'resp_zone');
  assert.equal(catalogOf('dns').resolve('resp_zone'), undefined);
  assert.equal(recordPredicate({ text: 'destination.zone: DMZ' }, catalogOf('connections'))({ resp_zone: 'dmz' }), true);
});
