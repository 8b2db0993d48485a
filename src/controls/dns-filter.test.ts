import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBlocklist } from './blocklist.js';
import { validateDnsFilter } from './dns-filter.js';
import { checkGolden } from './golden.test-support.js';
import { BLOCKLIST, dnsFilterData } from './test-fixtures.js';
import { storeWith, testSite } from './testing.js';

test('blocklist: plain names, wildcards, hosts-file lines; bad lines counted with their number', () => {
  const b = parseBlocklist(BLOCKLIST, 'block.txt');
  assert.equal(b.entries, 4);
  assert.equal(b.domains.match('evil.example'), 'evil.example');
  assert.equal(b.domains.match('a.b.tracker.example'), '*.tracker.example');
  assert.equal(b.domains.match('tracker.example'), null);
  assert.equal(b.domains.match('Malware.Example.'), 'malware.example');
  assert.equal(b.domains.match('notevil.example'), null);
  assert.deepEqual(b.skippedLines, [{ line: 6, reason: 'not-a-domain', text: 'this line is not a domain' }]);
  assert.throws(() => parseBlocklist('# nothing\n\n', 'empty.txt'), /empty\.txt: no domain/);
});

test('dns-filter: answered-and-connected fails, sinkhole/NXDOMAIN/REFUSED work, bypass by DNS, DoT and DoH', async () => {
  const store = await storeWith(dnsFilterData());
  try {
    const report = await validateDnsFilter({ store, site: testSite(store) }, parseBlocklist(BLOCKLIST, 'block.txt'), { range: {}, limit: 50 });
    assert.equal(report.verdict.status, 'fail');
    assert.deepEqual(
      report.failed.map((f) => `${f.client} ${f.domain} ${f.destination}:${f.port} x${f.connections} ok${f.succeeded}`),
      ['10.1.1.10 evil.example 198.51.100.20:443 x2 ok1'],
    );
    assert.deepEqual(report.leaked.map((l) => `${l.client} ${l.domain} ${l.connected}`).sort(), [
      '10.1.1.10 evil.example true',
      '10.1.1.13 malware.example false',
    ]);
    assert.deepEqual(report.worked.map((w) => `${w.domain} s${w.sinkholed} n${w.nxdomain} r${w.refused}`).sort(), [
      'ads.example s0 n1 r1',
      'x.tracker.example s1 n0 r0',
    ]);
    assert.deepEqual(report.bypass.map((b) => `${b.kind} ${b.client}>${b.resolver}:${b.port} ${b.provider ?? '-'} ok${b.succeeded}`).sort(), [
      'dns 10.1.2.30>8.8.4.4:53 Google Public DNS ok1',
      'dns 10.1.2.35>9.9.9.9:53 Quad9 ok0',
      'doh 10.1.2.32>104.16.248.249:443 Cloudflare ok1',
      'doh 10.1.2.33>9.9.9.9:443 Quad9 ok1',
      'doh 10.1.2.34>203.0.113.77:443 NextDNS ok1',
      'dot 10.1.2.31>1.1.1.1:853 Cloudflare ok1',
    ]);
    checkGolden('dns-filter.json', report);
  } finally {
    await store.close();
  }
});

test('dns-filter: a filter that sinkholes everything passes', async () => {
  const data = dnsFilterData();
  const store = await storeWith({ dns: data.dns!.filter((r) => ['x.tracker.example', 'ads.example'].includes(String(r.query))) });
  try {
    const report = await validateDnsFilter({ store, site: testSite(store) }, parseBlocklist(BLOCKLIST, 'block.txt'), { range: {}, limit: 50 });
    assert.equal(report.verdict.status, 'pass');
    assert.equal(report.summary.worked, 2);
  } finally {
    await store.close();
  }
});
