import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDuckDBStore } from '../store/duckdb/duckdb-store.js';
import { join, sql } from '../store/sql.js';
import { decide, parseEgressPolicy, type Destination } from './egress-policy.js';
import { decisionSql, policyRules, ruleIndexSql } from './policy-sql.js';
import { EGRESS_POLICY } from './test-fixtures.js';

const POLICY = `${EGRESS_POLICY}      - name: asn-any-port
        to: [{ asn: 64500 }, { cidr: "2001:db8::/32" }]
      - name: icmp
        to: any
        protocols: [icmp]
`;

test('the policy decides alike in SQL and in TypeScript', async () => {
  const policy = parseEgressPolicy(POLICY, 'p.yaml');
  const rules = policyRules(policy);
  let seed = 7;
  const pick = <T>(xs: readonly T[]): T => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return xs[seed % xs.length];
  };
  const rows: (Destination & { zone: string })[] = [];
  for (let i = 0; i < 400; i++) {
    rows.push({
      zone: pick(['corp', 'servers']),
      address: pick(['198.51.100.66', '192.0.2.123', '203.0.113.25', '192.0.2.22', '2001:db8::5', '2001:db9::5', '192.0.2.200']),
      port: pick([null, 22, 25, 80, 123, 443, 8443, 8000]),
      proto: pick(['tcp', 'udp', 'icmp', null]),
      name: pick([null, 'api.partner.example', 'partner.example', 'updates.example.net', 'x.updates.example.net']),
      country: pick([null, 'NL', 'nl', 'US']),
      asn: pick([null, 64500, 64501]),
    });
  }
  const store = await openDuckDBStore({ path: ':memory:' });
  try {
    const values = join(rows.map((r, i) => sql`(${i}, ${r.zone}, ${r.address}, ${r.port}, ${r.proto}, ${r.name}, ${r.country}, ${r.asn})`));
    const out = await store.all(sql`SELECT i, rule_idx, ${decisionSql(policy)} AS decision FROM (
        SELECT *, ${ruleIndexSql(policy, store.dialect)} AS rule_idx
        FROM (VALUES ${values}) AS t(i, zone, resp_h, resp_p, proto, name, geo_country, geo_asn)) ORDER BY i`);
    assert.equal(out.length, rows.length);
    let ruled = 0;
    for (const o of out) {
      const r = rows[Number(o.i)];
      const want = decide(policy.zones.get(r.zone)!, r);
      const got = o.rule_idx === null ? null : rules[Number(o.rule_idx)].id;
      assert.equal(got, want.rule?.id ?? null, `row ${JSON.stringify(r)}`);
      assert.equal(o.decision, want.action);
      if (got !== null) ruled++;
    }
    assert.ok(ruled > 100, 'the sample exercises the rules');
  } finally {
    await store.close();
  }
});
