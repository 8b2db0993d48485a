import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { addressInCidr, parseCidr } from '../../query/cidr-sql.js';
import { sql } from '../../store/sql.js';
import { tmpDir, tmpStore } from '../enrich-test-support.js';
import { parseCsvFeed } from './csv-feed.js';
import { csvRows } from '../csv-rows.js';
import { addressKey, parseIndicator } from './indicator.js';
import { detectFeedFormat, listFeeds, loadFeed } from './intel-store.js';
import { parseStixFeed } from './stix-feed.js';
import { stixPatternValues } from './stix-pattern.js';
import { parseTextFeed } from './text-feed.js';

const DIR = path.join(process.cwd(), 'test/fixtures/intel');
const read = (f: string): string => fs.readFileSync(path.join(DIR, f), 'utf8');

test('indicators: addresses, CIDRs, domains, wildcards and URLs normalise; junk is refused', () => {
  const p = (t: string, sub = false) => {
    const i = parseIndicator(t, sub);
    return i && [i.kind, i.value, i.subdomains];
  };
  assert.deepEqual(p('198.51.100.23'), ['ip', '198.51.100.23', false]);
  assert.deepEqual(p('2001:DB8:0:0::66'), ['ip', '2001:db8::66', false]);
  assert.deepEqual(p('::ffff:192.0.2.1'), ['ip', '192.0.2.1', false]);
  assert.deepEqual(p('203.0.113.7/24'), ['cidr', '203.0.113.0/24', false]);
  assert.deepEqual(p('192.0.2.5/32'), ['ip', '192.0.2.5', false]);
  assert.deepEqual(p('Bad.Example.'), ['domain', 'bad.example', false]);
  assert.deepEqual(p('bad.example', true), ['domain', 'bad.example', true]);
  assert.deepEqual(p('*.Evil.example'), ['wildcard', 'evil.example', true]);
  assert.deepEqual(p('hxxps://phish[.]example:8443/a?b'), ['domain', 'phish.example', false]);
  assert.deepEqual(p('http://[2001:db8::1]/x'), ['ip', '2001:db8::1', false]);
  for (const bad of ['', 'localhost', '999.1.2.3', '10.1', '-x-.example', 'a..example', 'not an ioc', '1.2.3.4/33', 'http://']) {
    assert.equal(parseIndicator(bad), null, bad);
  }
});

test('CIDR keys bound exactly the addresses addressInCidr accepts', () => {
  for (const c of ['203.0.113.0/24', '10.0.0.0/8', '192.0.2.128/25', '0.0.0.0/0', '2001:db8:bad::/48', '2001:db8::/127']) {
    const ind = parseIndicator(c)!;
    const cidr = parseCidr(c);
    for (const a of ['203.0.113.0', '203.0.113.255', '203.0.114.0', '10.255.255.255', '11.0.0.0', '192.0.2.127', '192.0.2.128', '0.0.0.0', '255.255.255.255', '2001:db8:bad::1', '2001:db8:bad:ffff:ffff:ffff:ffff:ffff', '2001:db8:bae::', '2001:db8::1', '2001:db8::2']) {
      const k = addressKey(a)!;
      assert.equal(k >= ind.lo! && k <= ind.hi!, addressInCidr(a, cidr), `${a} in ${c}`);
    }
  }
});

test('plain-text feed: comments ignored, duplicates kept once, junk counted by line', () => {
  const f = parseTextFeed(read('plain.txt'));
  assert.deepEqual(f.indicators.map((i) => `${i.kind}:${i.value}`), [
    'ip:198.51.100.23', 'cidr:203.0.113.0/24', 'cidr:2001:db8:bad::/48', 'ip:2001:db8::66', 'domain:bad.example', 'wildcard:evil.example', 'domain:phish.example',
  ]);
  assert.equal(f.duplicates, 1);
  assert.deepEqual(f.skipped, { 'not-an-indicator': { count: 3, examples: ['line 13', 'line 14', 'line 15'] } });
  const hosts = parseTextFeed('# hosts-file blocklist\n0.0.0.0 ads.example\n127.0.0.1\tTrack.example  # tracker\n0.0.0.0\n::1 v6.example\n0.0.0.0 two names.example\n');
  assert.deepEqual(hosts.indicators.map((i) => i.value), ['ads.example', 'track.example', '0.0.0.0', 'v6.example']);
  assert.deepEqual(hosts.skipped['not-an-indicator'].examples, ['line 6']);
});

test('CSV feeds: header in a comment or the first row, columns found by name, context kept', () => {
  const a = parseCsvFeed(read('abuse-style.csv'));
  assert.deepEqual(a.indicators.map((i) => [i.kind, i.value, i.type, i.confidence, i.description, i.validFrom, i.source]), [
    ['ip', '192.0.2.77', 'ip', 100, 'ExampleBot', '2024-02-20T10:11:12.000Z', 'tester'],
    ['domain', 'c2.bad.example', 'domain', 75, 'ExampleBot', '2024-02-21T08:00:00.000Z', 'tester'],
    ['domain', 'dl.bad.example', 'url', 50, 'Example "Loader"', '2024-02-22T09:30:00.000Z', 'tester'],
  ]);
  assert.deepEqual(Object.fromEntries(Object.entries(a.skipped).map(([k, v]) => [k, v.examples])), { 'empty-indicator': ['line 9'], 'not-an-indicator': ['line 10'] });
  const b = parseCsvFeed(read('plain-header.csv'));
  assert.deepEqual(b.indicators.map((i) => [i.kind, i.value, i.subdomains, i.description, i.source]), [
    ['domain', 'zone.example', true, 'whole zone', 'team-a'],
    ['domain', 'apex.example', false, 'only the apex', 'team-a'],
    ['cidr', '198.51.100.128/25', false, 'a network', 'team-b'],
  ]);
  // No header: the column holding indicators is found from the values; or it is given.
  assert.deepEqual(parseCsvFeed('x,1\ny,2\nbad.example,3\n10.0.0.1,4\nworse.example,5\n').indicators.map((i) => i.value), ['bad.example', '10.0.0.1', 'worse.example']);
  assert.deepEqual(parseCsvFeed('name,host\na,one.example\nb,two.example\n', { column: '2' }).indicators.map((i) => i.value), ['one.example', 'two.example']);
  assert.throws(() => parseCsvFeed('a,b\nc,d\n'), /--column/);
  assert.throws(() => parseCsvFeed('a,b\nc,d\n', { column: 'zzz' }), /no such column/);
  assert.deepEqual(csvRows('a,"b\nc",d\r\n"e""f",\n').map(({ line, cells }) => ({ line, cells })), [{ line: 1, cells: ['a', 'b\nc', 'd'] }, { line: 3, cells: ['e"f', ''] }]);
});

test('STIX patterns: matchable values and how much of the pattern they cover', () => {
  const v = (p: string) => {
    const r = stixPatternValues(p);
    return [r.values, r.coverage];
  };
  assert.deepEqual(v("[ipv4-addr:value = '198.51.100.1']"), [['198.51.100.1'], 'full']);
  assert.deepEqual(v("[ipv4-addr:value = '1.2.3.4'] OR [ipv6-addr:value = '2001:db8::1']"), [['1.2.3.4', '2001:db8::1'], 'full']);
  assert.deepEqual(v("[domain-name:value IN ('a.example', 'b.example')]"), [['a.example', 'b.example'], 'full']);
  assert.deepEqual(v("[ipv4-addr:value ISSUBSET '10.0.0.0/8']"), [['10.0.0.0/8'], 'full']);
  assert.deepEqual(v("[domain-name:value LIKE '%.x.example']"), [['*.x.example'], 'full']);
  assert.deepEqual(v("[ipv4-addr:value = '1.2.3.4' AND network-traffic:dst_port = 443]"), [['1.2.3.4'], 'partial']);
  assert.deepEqual(v("[ipv4-addr:value = '1.2.3.4'] AND [domain-name:value = 'a.example']"), [['1.2.3.4', 'a.example'], 'partial']);
  assert.deepEqual(v("[ipv4-addr:value = '1.2.3.4'] REPEATS 5 TIMES WITHIN 10 SECONDS"), [['1.2.3.4'], 'partial']);
  assert.deepEqual(v("[ipv4-addr:value = '1.2.3.4'] START t'2024-01-01T00:00:00Z' STOP t'2024-02-01T00:00:00Z'"), [['1.2.3.4'], 'partial']);
  assert.deepEqual(v("[ipv4-addr:value != '1.2.3.4']"), [[], 'none']);
  assert.deepEqual(v("[file:hashes.'SHA-256' = 'ab']"), [[], 'none']);
  assert.deepEqual(v("[domain-name:value MATCHES '^a']"), [[], 'none']);
  assert.deepEqual(v("[url:value = 'http://x.example/it\\'s']"), [["http://x.example/it's"], 'full']);
  for (const bad of ["[ipv4-addr:value = '1.2.3.4'", "ipv4-addr:value = '1'", "[ipv4-addr:value = '1.2.3.4']]", "[a:b = 'x"]) {
    assert.throws(() => stixPatternValues(bad), /malformed STIX pattern/, bad);
  }
});

test('STIX bundle: matchable indicators kept with their context; the rest counted by reason', () => {
  const f = parseStixFeed(read('bundle.stix.json'));
  assert.deepEqual(f.indicators.map((i) => `${i.kind}:${i.value}`), [
    'ip:198.51.100.1', 'cidr:2001:db8:c0de::/48', 'domain:exfil.example', 'domain:exfil2.example', 'ip:203.0.113.99',
    'wildcard:phish.example', 'domain:phish.example', 'ip:192.0.2.200', 'domain:beacon.example', 'ip:192.0.2.201',
  ]);
  const c2 = f.indicators[0];
  assert.deepEqual([c2.ref, c2.confidence, c2.type, c2.validFrom, c2.validUntil, c2.source], [
    'indicator--a932fcc6-e032-476c-826f-cb970a5a1ade', 85, 'malicious-activity', '2024-01-01T00:00:00.000Z', null, 'identity--b38dfe21-7477-40d1-aa90-5c8671ce51ca',
  ]);
  assert.equal(f.indicators[1].validUntil, '2024-06-01T00:00:00.000Z');
  assert.match(f.indicators[7].description ?? '', /part of a pattern/);
  assert.deepEqual(f.counts, { indicators: 9, full: 3, partial: 2, unmatchable: 1, malformed: 1 });
  assert.deepEqual(Object.keys(f.skipped).sort(), ['malformed-pattern', 'pattern-type-snort', 'revoked', 'unmatchable-pattern']);
  assert.throws(() => parseStixFeed('{not json'), /not a STIX bundle/);
});

test('loading feeds: format detected, a reload replaces the feed, provenance listed', async () => {
  assert.equal(detectFeedFormat(read('bundle.stix.json')), 'stix');
  assert.equal(detectFeedFormat(read('abuse-style.csv')), 'csv');
  assert.equal(detectFeedFormat(read('plain.txt')), 'text');
  const store = await tmpStore();
  const a = await loadFeed(store, { file: path.join(DIR, 'plain.txt'), name: 'block' });
  assert.deepEqual([a.feed, a.format, a.indicators, a.replaced, a.byKind], ['block', 'text', 7, 0, { ip: 2, cidr: 2, domain: 2, wildcard: 1 }]);
  const s = await loadFeed(store, { file: path.join(DIR, 'bundle.stix.json') });
  assert.equal(s.feed, 'bundle.stix');
  const small = path.join(tmpDir(), 'small.txt');
  fs.writeFileSync(small, '192.0.2.1\n');
  const b = await loadFeed(store, { file: small, name: 'block' });
  assert.deepEqual([b.indicators, b.replaced], [1, 7]);
  const feeds = await listFeeds(store);
  assert.deepEqual(feeds.map((f) => [f.feed, f.format, f.indicators, f.ips, f.cidrs, f.domains, f.skipped]), [
    ['block', 'text', 1, 1, 0, 0, 0],
    ['bundle.stix', 'stix', 10, 4, 1, 5, 4],
  ]);
  const rows = await store.all(sql`SELECT valid_until FROM intel WHERE value = '2001:db8:c0de::/48'`);
  assert.equal(rows[0].valid_until, '2024-06-01T00:00:00.000000Z');
  await assert.rejects(loadFeed(store, { file: path.join(DIR, 'nope.txt') }), /cannot read the feed/);
  await assert.rejects(loadFeed(store, { file: small, name: "x'; DROP TABLE intel; --" }), /intel load: name/);
  assert.equal((await listFeeds(store)).length, 2);
  await store.close();
});
