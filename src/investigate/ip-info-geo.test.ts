import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDuckDBStore } from '../store/duckdb/duckdb-store.js';
import { raw } from '../store/sql.js';
import { ipInfoGeo } from './ip-info-geo.js';

test('geo lookups read ip_info, many addresses in one query, values bound as parameters', async () => {
  const store = await openDuckDBStore({ path: ':memory:' });
  try {
    await store.run(raw(`INSERT INTO ip_info VALUES ('198.51.100.7', 'NL', 64500, 'Example AS'), ('10.0.0.1', NULL, NULL, NULL)`));
    const geo = ipInfoGeo(store);
    const m = await geo(['198.51.100.7', '10.0.0.1', '192.0.2.1', "x' OR 1=1 --"]);
    assert.deepEqual(m.get('198.51.100.7'), { country: 'NL', asn: 64500, asOrg: 'Example AS' });
    assert.deepEqual(m.get('10.0.0.1'), { country: null, asn: null, asOrg: null });
    assert.equal(m.size, 2);
  } finally {
    await store.close();
  }
});
