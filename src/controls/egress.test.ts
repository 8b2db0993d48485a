import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEgressPolicy } from './egress-policy.js';
import { validateEgress } from './egress.js';
import { EGRESS_POLICY, egressData, egressGeo } from './test-fixtures.js';
import { checkGolden } from './golden.test-support.js';
import { storeWith, testSite } from './testing.js';

test('egress: violations that got through, blocks, silent drops, unused and too-broad rules', async () => {
  const store = await storeWith(egressData());
  try {
    const policy = parseEgressPolicy(EGRESS_POLICY, 'egress.yaml');
    const report = await validateEgress({ store, site: testSite(store), geo: egressGeo }, policy, { range: {}, limit: 50 });
    assert.equal(report.verdict.status, 'fail');
    const v = report.violations.map((g) => `${g.source}>${g.destination}:${g.port} ${g.policy_rule ?? 'default'} x${g.connections}`);
    assert.deepEqual(v.sort(), [
      '10.1.1.10>198.51.100.66:443 no-known-bad x1',
      '10.1.1.11>192.0.2.81:8443 default x1',
      '10.1.1.11>192.0.2.82:8443 default x1',
      '10.1.2.20>198.51.100.7:6667 default x3',
      '10.2.0.5>192.0.2.201:443 default x1',
    ]);
    assert.deepEqual(report.unanswered.map((g) => g.evidence), ['orig_h == 10.1.2.20 and resp_h == 198.51.100.8 and resp_p == 4444']);
    assert.deepEqual(
      report.blocked.map((b) => `${b.table} ${b.source}>${b.destination}:${b.port} ${b.action} ${b.firewall_rule} policy=${b.policy_action} x${b.connections}`).sort(),
      [
        'connections 10.1.1.12>198.51.100.10:3389 reject null policy=deny x1',
        'firewall 10.1.1.10>203.0.113.50:443 drop ips-drop policy=allow x1',
        'firewall 10.1.2.20>198.51.100.9:25 deny block-smtp policy=deny x2',
      ],
    );
    assert.deepEqual(report.unexercised_rules.map((r) => `${r.rule}@${r.line}`), ['mail-relay@22']);
    assert.deepEqual(report.broad_rules.map((r) => `${r.rule} ${r.destinations}`), ['legacy-ssh 1', 'hosting-nl 1']);
    assert.deepEqual(report.unpoliced_zones, ['lab']);
    checkGolden('egress.json', report);
  } finally {
    await store.close();
  }
});

test('egress: without geo data, country rules match nothing and the report says so', async () => {
  const store = await storeWith(egressData());
  try {
    const policy = parseEgressPolicy(EGRESS_POLICY, 'egress.yaml');
    const report = await validateEgress({ store, site: testSite(store) }, policy, { range: {}, limit: 50 });
    assert.ok(report.violations.some((g) => g.destination === '192.0.2.200'));
    assert.ok(report.unexercised_rules.some((r) => r.rule === 'hosting-nl'));
    assert.match(report.notes.join('\n'), /no geo\/ASN data/);
  } finally {
    await store.close();
  }
});

test('egress: a time range limits what is checked, and a clean range passes', async () => {
  const store = await storeWith(egressData());
  try {
    const policy = parseEgressPolicy(EGRESS_POLICY, 'egress.yaml');
    const since = Date.parse('2024-05-01T10:00:00Z') * 1000;
    const report = await validateEgress({ store, site: testSite(store), geo: egressGeo }, policy, { range: { since, until: since + 20e6 }, limit: 50 });
    assert.equal(report.verdict.status, 'pass');
    assert.equal(report.summary.connections_checked, 12);
  } finally {
    await store.close();
  }
});

test('egress policy: strict validation names the place of the mistake', () => {
  const bad = (text: string, re: RegExp): void => assert.throws(() => parseEgressPolicy(text, 'p.yaml'), (e: Error) => re.test(e.message));
  bad('version: 1\nzones:\n  corp:\n    allow:\n      - to: any\n        portz: [443]\n', /p\.yaml: zones\.corp\.allow\[0\].*portz/);
  bad('version: 1\nzones:\n  corp:\n    allow:\n      - to: any\n        ports: [70000]\n', /ports\[0\]: "70000" is not a port range/);
  bad('version: 1\nzones:\n  corp:\n    allow:\n      - to: [{ cidr: 10.0.0.0/33 }]\n', /not a CIDR/);
  bad('version: 1\nzones:\n  corp:\n    allow:\n      - to: [{ domain: "bad domain" }]\n', /not a domain name/);
  bad('version: 2\nzones: {}\n', /version/);
  bad('version: 1\nzones:\n  corp:\n    allow:\n      - name: a\n        to: any\n      - name: a\n        to: any\n', /named "a"/);
  bad('version: 1\nzones: [oops\n', /not valid YAML/);
});
