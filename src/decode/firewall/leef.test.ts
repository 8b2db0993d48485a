import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeAll } from '../testing.js';
import { compileJavaDate, parseJavaDate } from './java-date.js';
import { leef, leefAttributes, leefDelimiter, leefHeader } from './leef.js';

const T = '\t';

test('LEEF 1.0 with tabs and 2.0 with its own delimiter become firewall decisions', () => {
  const lines = [
    `<134>Mar  5 10:00:00 fw01 LEEF:1.0|Check Point|VPN-1 & FireWall-1|R81|Accept|src=10.0.0.5${T}dst=203.0.113.7${T}srcPort=51000${T}dstPort=443${T}proto=tcp${T}action=Accept${T}rule_name=Web out${T}srcBytes=1200${T}dstBytes=34000${T}srcPostNAT=198.51.100.9${T}srcPostNATPort=40000${T}ifname=eth1`,
    'LEEF:2.0|Palo Alto Networks|PAN-OS|10.1|TRAFFIC|^|cat=TRAFFIC^src=10.0.0.6^dst=192.0.2.44^srcPort=40222^dstPort=53^proto=udp^action=deny^ruleName=block-dns^srcZone=trust^dstZone=untrust^devTime=Mar 05 2026 10:01:02^totalPackets=2',
    'LEEF:2.0|Lancope|StealthWatch|1.0|41|0x7C|src=10.0.1.8|dst=10.0.0.5|sev=5|srcPort=81|dstPort=21|devTime=1772704923000',
    `LEEF:2.0|Vendor|Product|1.0|99|src=2001:db8::1${T}dst=2001:db8::2${T}proto=58${T}devTime=2026-03-05T10:03:00.250+01:00${T}devTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSXXX`,
    'Mar  5 10:04:00 fw02 LEEF:1.0|Juniper|SRX|12.1|RT_FLOW_SESSION_CLOSE|src=10.0.0.9 dst=198.51.100.3 srcPort=5000 dstPort=22 proto=6 policyName=ssh out=ok',
  ];
  const out = decodeAll(leef, Buffer.from(lines.join('\n')));
  assert.deepEqual(out.skips, []);
  const [cp, pa, sw, v6, srx] = out.rows.firewall;
  assert.deepEqual([cp.orig_h, cp.resp_h, cp.orig_p, cp.resp_p, cp.proto, cp.action, cp.rule, cp.bytes, cp.nat_orig_h, cp.nat_orig_p, cp.sensor], [
    '10.0.0.5', '203.0.113.7', 51000, 443, 'tcp', 'allow', 'Web out', 35200, '198.51.100.9', 40000, 'fw01',
  ]);
  assert.equal(new Date((cp.ts as number) / 1000).getUTCHours(), 10);
  const x = JSON.parse(cp.extra as string) as Record<string, string>;
  // The envelope host is the sensor column (fw01): not repeated in extra.
  assert.deepEqual([x.vendor, x.product, x.event_id, x.ifname, x.syslog_host], ['Check Point', 'VPN-1 & FireWall-1', 'Accept', 'eth1', undefined]);
  assert.equal(x.src, undefined, 'columns are not repeated in extra');
  assert.deepEqual([x.action, x.srcBytes, x.dstBytes, x.rule_name, x.srcPostNATPort], ['Accept', undefined, '34000', undefined, undefined], 'Accept is not the column word; srcBytes is bytes - dstBytes');
  const px = JSON.parse(pa.extra as string) as Record<string, string>;
  assert.deepEqual([px.vendor, px.action, px.devTime, px.totalPackets, px.cat], [undefined, undefined, undefined, undefined, 'TRAFFIC'], 'vendor/product are the sensor');
  assert.deepEqual([pa.action, pa.rule, pa.in_zone, pa.out_zone, pa.packets, pa.proto, pa.sensor], ['deny', 'block-dns', 'trust', 'untrust', 2, 'udp', 'Palo Alto Networks/PAN-OS']);
  assert.equal(pa.ts, Date.UTC(2026, 2, 5, 10, 1, 2) * 1000);
  assert.deepEqual([sw.orig_h, sw.orig_p, sw.resp_p, sw.ts, JSON.parse(sw.extra as string).sev], ['10.0.1.8', 81, 21, 1772704923000 * 1000, '5']);
  assert.deepEqual([v6.proto, v6.orig_h, v6.ts], ['icmp6', '2001:db8::1', Date.UTC(2026, 2, 5, 9, 3, 0, 250) * 1000]);
  assert.deepEqual([srx.rule, srx.proto, srx.resp_p, JSON.parse(srx.extra as string).out], ['ssh', 'tcp', 22, 'ok']);
});

test('events without addresses are ignored by vendor; broken ones skipped by reason', () => {
  const lines = [
    `LEEF:1.0|Microsoft|Windows|10|4625|usrName=bob${T}devTime=Mar 05 2026 10:00:00`,
    'LEEF:1.0|Vendor|Product|1.0',
    `LEEF:1.0|V|P|1|E|src=10.0.0.1${T}dst=not-an-ip${T}devTime=Mar 05 2026 10:00:00`,
    `LEEF:1.0|V|P|1|E|src=10.0.0.1${T}dst=10.0.0.2${T}dstPort=99999${T}devTime=Mar 05 2026 10:00:00`,
    `LEEF:1.0|V|P|1|E|src=10.0.0.1${T}dst=10.0.0.2${T}devTime=yesterday`,
    `LEEF:1.0|V|P|1|E|src=10.0.0.1${T}dst=10.0.0.2`,
    'just some text',
    `LEEF:1.0|V\\|X|P|1|E|src=10.0.0.1${T}dst=10.0.0.2${T}devTime=Mar 05 2026 10:00:00`,
  ];
  const out = decodeAll(leef, Buffer.from(lines.join('\n')));
  assert.deepEqual(out.skips.map((s) => [s.reason, s.position]), [['truncated', 2], ['bad_address', 3], ['bad_field', 4], ['bad_time', 5], ['no_time', 6], ['no_match', 7]]);
  assert.deepEqual(out.ignored, { 'leef-microsoft': 1 });
  assert.equal(out.rows.firewall.length, 1);
  assert.equal(out.rows.firewall[0].sensor, 'V|X/P', 'the header vendor is the sensor column here');
});

test('header, delimiter and attribute splitting', () => {
  assert.deepEqual(leefHeader('LEEF:2.0|a|b\\|c|d|e|^|x=1', 5)?.fields, ['2.0', 'a', 'b|c', 'd', 'e', '^']);
  assert.equal(leefHeader('LEEF:1.0|a|b', 5), null);
  assert.equal(leefDelimiter('^'), '^');
  assert.equal(leefDelimiter('0x5E'), '^');
  assert.equal(leefDelimiter('x09'), '\t');
  assert.equal(leefDelimiter('\\t'), '\t');
  assert.equal(leefDelimiter('src=1'), null);
  assert.deepEqual([...leefAttributes('a=1 b=two words c=x=y', '\t')], [['a', '1'], ['b', 'two words'], ['c', 'x=y']]);
  assert.deepEqual([...leefAttributes(`a=1${T}b=2 3`, '\t')], [['a', '1'], ['b', '2 3']]);
});

test('Java date patterns: names, 12-hour clocks, offsets, literals', () => {
  const at = (p: string, t: string) => parseJavaDate(compileJavaDate(p)!, t);
  assert.equal(at('MMM dd yyyy HH:mm:ss', 'Mar 05 2026 10:01:02'), Date.UTC(2026, 2, 5, 10, 1, 2) * 1000);
  assert.equal(at('yyyy-MM-dd hh:mm:ss a', '2026-03-05 01:02:03 PM'), Date.UTC(2026, 2, 5, 13, 2, 3) * 1000);
  assert.equal(at('yyyy-MM-dd hh:mm:ss a', '2026-03-05 12:02:03 AM'), Date.UTC(2026, 2, 5, 0, 2, 3) * 1000);
  assert.equal(at("yyyy-MM-dd'T'HH:mm:ssZ", '2026-03-05T10:00:00-0500'), Date.UTC(2026, 2, 5, 15) * 1000);
  assert.equal(at('dd/MMM/yyyy:HH:mm:ss z', '05/March/2026:10:00:00 UTC'), Date.UTC(2026, 2, 5, 10) * 1000);
  assert.equal(at('MMM dd yyyy HH:mm:ss', 'Foo 05 2026 10:01:02'), null);
  assert.equal(at('MMM dd yyyy HH:mm:ss', '05 Mar 2026'), null);
  assert.equal(compileJavaDate('yyyy-MM-dd QQ'), null);
});

test('sniffed by the LEEF header, with or without an envelope', () => {
  assert.ok(leef.sniff(Buffer.from('<13>Jan 18 11:07:53 host LEEF:1.0|V|P|1|E|src=1.1.1.1\n')) >= 0.5);
  assert.equal(leef.sniff(Buffer.from('CEF:0|V|P|1|100|name|5|src=1.1.1.1\n')), 0);
});
