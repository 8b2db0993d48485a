import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeAll } from '../testing.js';
import { cef, cefDecoder, parseExtension } from './cef.js';
import { crowdsecExpectations } from './crowdsec-oracle.js';

const FIX = 'test/fixtures/firewall/';
const dec = cefDecoder({ now: () => Date.UTC(2026, 11, 31) });

/** The Parsed fields crowdsec's raw stage gives each line of the CEF sample. */
function crowdsec(file: string): Map<number, Record<string, string>> {
  return crowdsecExpectations(FIX + file, 's00-raw', 'crowdsecurity/cef-logs');
}

test('crowdsec UniFi CEF sample: header fields match the parser assertions', () => {
  const out = decodeAll(dec, readFileSync(FIX + 'crowdsec_cef_unifi.log'));
  // Line 3 lost its `CEF:` marker and carries no time at all: skipped (crowdsec keeps it untimed).
  assert.deepEqual(out.skips, [{ reason: 'no_time', position: 3, detail: undefined }]);
  const want = crowdsec('crowdsec_cef_unifi.expected.parser.assert.txt');
  const rows = out.rows.firewall;
  assert.equal(rows.length, 3);
  let compared = 0;
  [0, 1, 3].forEach((line, i) => {
    const r = rows[i];
    const x = JSON.parse(r.extra as string) as Record<string, string>;
    const w = want.get(line)!;
    const ours: Record<string, string | null> = {
      cef_version: x.cef_version,
      // In the sensor column (vendor/product) when nothing else names the device.
      cef_device_vendor: x.device_vendor ?? (r.sensor as string).split('/')[0],
      cef_device_product: x.device_product ?? (r.sensor as string).split('/')[1],
      cef_device_version: x.device_version,
      cef_signature_id: r.rule_id as string,
      cef_event_name: r.rule as string,
      cef_severity: x.severity,
      hostname: r.sensor as string,
    };
    for (const [k, v] of Object.entries(w)) {
      if (!(k in ours)) continue;
      assert.equal(ours[k], v, `line ${line + 1} ${k}`);
      compared++;
    }
  });
  assert.equal(compared, 22);
  assert.equal(rows[0].ts, Date.parse('2025-09-04T08:32:58.445Z') * 1000);
  assert.equal(rows[0].orig_h, '10.72.1.222');
  assert.equal(rows[0].sensor, 'Ubiquiti/UniFi Network');
  assert.equal(JSON.parse(rows[0].extra as string).msg, 'Secure Admin accessed UniFi Network using the web. Source IP: 10.72.1.222');
  assert.equal(rows[2].ts, Date.UTC(2026, 8, 8, 8, 32, 20) * 1000);
  assert.equal(rows[2].proto, 'tcp');
  assert.equal(rows[2].orig_p, 65020);
  assert.equal(rows[2].resp_p, 80);
  assert.equal(JSON.parse(rows[2].extra as string).UNIFIipsSignature, 'ET USER_AGENTS Suspicious User Agent (BlackSun)');
});

test('escapes, labels, act, NAT, bytes, rt and duration', () => {
  const line =
    '<134>Feb  1 00:00:00 fw CEF:0|Acme|Wall\\|X|1.0|100|Deny \\\\ flow|5|src=10.0.0.1 dst=10.0.0.2 spt=1234 dpt=80 proto=TCP act=blocked ' +
    'deviceInboundInterface=eth0 deviceOutboundInterface=eth1 in=100 out=50 cs1Label=Rule Name cs1=web a\\=b cn1=7 cn1Label=Hits ' +
    'rt=1700000000123 start=Nov 14 2023 22:13:10 end=Nov 14 2023 22:13:20 dvchost=wall-1 sourceTranslatedAddress=1.2.3.4 sourceTranslatedPort=4000 msg=line1\\nline2';
  const r = decodeAll(dec, Buffer.from(line)).rows.firewall[0];
  assert.equal(r.rule, 'Deny \\ flow');
  assert.equal(r.action, 'deny');
  assert.equal(r.in_iface, 'eth0');
  assert.equal(r.out_iface, 'eth1');
  assert.equal(r.bytes, 150);
  assert.equal(r.ts, 1700000000123000);
  assert.equal(r.duration, 10);
  assert.equal(r.sensor, 'wall-1');
  assert.equal(r.nat_orig_h, '1.2.3.4');
  assert.equal(r.nat_orig_p, 4000);
  const x = JSON.parse(r.extra as string) as Record<string, string>;
  assert.equal(x.device_product, 'Wall|X');
  assert.equal(x['Rule Name'], 'web a=b');
  assert.equal(x.Hits, '7');
  assert.equal(x.msg, 'line1\nline2');
  assert.equal(x.cs1Label, undefined);
  assert.equal(x.act, 'blocked', 'the column says deny');
  assert.equal(x.start, 'Nov 14 2023 22:13:10', 'ts is rt, so start stays');
  assert.deepEqual([x.end, x.rt, x.in, x.out, x.dvchost, x.src], [undefined, undefined, '100', undefined, undefined, undefined]);
});

test('extension parsing keeps spaces in values and splits at the next key', () => {
  const k: string[] = [];
  const v: string[] = [];
  parseExtension('a=one two b=x\\=y c=  d=last ', k, v);
  assert.deepEqual(k, ['a', 'b', 'c', 'd']);
  assert.deepEqual(v, ['one two', 'x=y', '', 'last']);
});

test('malformed lines are counted by reason and line number, valid ones kept', () => {
  const ok = 'CEF:0|V|P|1|2|N|3|rt=1700000000000 src=10.0.0.1 dst=10.0.0.2 act=allow';
  const input = [
    ok,
    'hello world',
    'CEF:0|V|P|1|2',
    'CEF:0|V|P|1|2|N|3|rt=1700000000000 src=10.0.0.300',
    'CEF:0|V|P|1|2|N|3|rt=1700000000000 src=10.0.0.1 spt=http',
    'CEF:0|V|P|1|2|N|3|rt=yesterday',
    'CEF:0|V|P|1|2|N|3|src=10.0.0.1',
    ok,
  ].join('\n');
  const out = decodeAll(dec, Buffer.from(input), { chunkSize: 4 });
  assert.equal(out.rows.firewall.length, 2);
  assert.equal(out.rows.firewall[0].action, 'allow');
  assert.deepEqual(out.skips.map((s) => [s.reason, s.position]), [
    ['no_match', 2],
    ['truncated', 3],
    ['bad_address', 4],
    ['bad_field', 5],
    ['bad_time', 6],
    ['no_time', 7],
  ]);
});

test('sniff: claims CEF only', () => {
  assert.equal(cef.sniff(readFileSync(FIX + 'crowdsec_cef_unifi.log')), 0.95);
  for (const f of ['crowdsec_iptables.log', 'crowdsec_pfsense_filterlog.log', 'windows_pfirewall_azure_stack_edge_doc.log', 'iptables_kernel_log_variants.log']) {
    assert.equal(cef.sniff(readFileSync(FIX + f)), 0, f);
  }
  assert.equal(cef.sniff(Buffer.from('{"timestamp":"2020","event_type":"alert"}\n')), 0);
});

test('extra: a key given twice keeps its first place and last value, as a JS object would, whichever way it repeats', () => {
  const lines = [
    'CEF:0|V|P|1|2|N|3|rt=1700000000000 src=192.0.2.1 foo=1 bar=x foo=2', // an extension key twice
    'CEF:0|V|P|1|2|N|3|rt=1700000000000 src=192.0.2.1 severity=9 baz=1', // an extension key equal to a header member
    'CEF:0|V|P|1|2|N|3|rt=1700000000000 src=192.0.2.1 cs1=a cs1Label=qux qux=b', // a label's name equal to a later key
    'CEF:0|V|P|1|2|N|3|rt=1700000000000 src=192.0.2.1 qux=b cs1=a cs1Label=qux', // ... and to an earlier one
    'CEF:0|V|P|1|2|N|3|rt=1700000000000 src=192.0.2.1 2x=a y=b 1a=c', // integer-like keys an object puts first
  ];
  const out = decodeAll(dec, Buffer.from(lines.join('\n') + '\n'));
  const extras = out.rows.firewall.map((r) => r.extra as string);
  // device_vendor and device_product are the sensor column here (V/P): not repeated.
  const head = { cef_version: '0', device_version: '1', severity: '3' };
  const want = [
    { ...head, foo: '2', bar: 'x' },
    { ...head, severity: '9', baz: '1' },
    { ...head, qux: 'b' },
    { ...head, qux: 'a' },
    { ...head, '2x': 'a', y: 'b', '1a': 'c' },
  ];
  for (let i = 0; i < lines.length; i++) {
    assert.equal(extras[i], JSON.stringify(want[i]), lines[i]);
  }
});

test('a device event without addresses is ignored; Refuse means reject; Check Point NAT 0.0.0.0 and IPv6 endpoints', () => {
  const out = decodeAll(dec, readFileSync(FIX + 'cef_written_variants.log'));
  assert.deepEqual(out.skips, []);
  assert.deepEqual(out.ignored, { 'cef-labvendor': 2 });
  const [r, cp4, cp6] = out.rows.firewall;
  assert.deepEqual([r.orig_h, r.resp_h, r.resp_p, r.proto, r.action, r.rule, r.sensor], ['198.51.100.70', '192.0.2.70', 23, 'tcp', 'reject', 'Connection_Refused', 'fw-lab']);
  // Check Point: 0.0.0.0 as the translated address means none; IPv6 endpoints in labelled c6a2/c6a3.
  assert.deepEqual([cp4.nat_orig_h, cp4.nat_orig_p, cp4.nat_resp_h, cp4.nat_resp_p], ['203.0.113.80', 35398, null, null]);
  assert.deepEqual([cp6.orig_h, cp6.orig_p, cp6.resp_h, cp6.resp_p, cp6.proto, cp6.action], ['2001:db8::81', 5353, '2001:db8:1::53', 53, 'udp', 'drop']);
});
