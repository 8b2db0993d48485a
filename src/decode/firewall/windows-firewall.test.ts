import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeAll } from '../testing.js';
import { windowsFirewall, windowsFirewallDecoder } from './windows-firewall.js';

const FIX = 'test/fixtures/firewall/';

test('Azure Stack Edge sample: header-driven rows, the truncated line 9 skipped', () => {
  const input = readFileSync(FIX + 'windows_pfirewall_azure_stack_edge_doc.log');
  const out = decodeAll(windowsFirewall, input);
  assert.deepEqual(out.skips, [{ reason: 'truncated', position: 9, detail: undefined }]);
  assert.equal(out.rows.firewall.length, 13);
  const r = out.rows.firewall[0];
  assert.equal(r.ts, Date.UTC(2019, 10, 6, 12, 35, 19) * 1000);
  assert.equal(r.action, 'drop');
  assert.equal(r.proto, 'udp');
  assert.equal(r.orig_h, '5.5.3.197');
  assert.equal(r.resp_h, '224.0.0.251');
  assert.equal(r.orig_p, 5353);
  assert.equal(r.resp_p, 5353);
  assert.equal(r.bytes, 59);
  assert.equal(r.packets, 1);
  assert.equal(r.source_type, 'windows-firewall');
  assert.equal(r.message, '2019-11-06 12:35:19 DROP UDP 5.5.3.197 224.0.0.251 5353 5353 59 - - - - - - - RECEIVE');
  assert.deepEqual(JSON.parse(r.extra as string), { path: 'RECEIVE' });
  assert.equal(out.rows.firewall[1].orig_h, 'fe80::3680:dff:fe01:9e88');
  assert.match(out.rows.firewall[1].community_id as string, /^1:/);
});

test('a configured UTC offset, the pid column, ICMP and ALLOW', () => {
  const input = [
    '#Version: 1.5',
    '#Software: Microsoft Windows Firewall',
    '#Time Format: Local',
    '#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path pid',
    '',
    '2024-05-01 10:00:00 ALLOW TCP 10.0.0.5 93.184.216.34 50000 443 0 - - - - - - - SEND 4242',
    '2024-05-01 10:00:01 DROP ICMP 10.0.0.9 10.0.0.5 - - 60 - - - - 8 0 - RECEIVE 4',
    '2024-05-01 10:00:02 INFO-EVENTS-LOST - - - - - - - - - - - - 12 - -',
  ].join('\r\n');
  const rows = decodeAll(windowsFirewallDecoder({ utcOffsetMinutes: 120 }), Buffer.from(input)).rows.firewall;
  assert.equal(rows.length, 3);
  assert.equal(rows[0].ts, Date.UTC(2024, 4, 1, 8, 0, 0) * 1000);
  assert.equal(rows[0].action, 'allow');
  assert.deepEqual(JSON.parse(rows[0].extra as string), { path: 'SEND', pid: '4242' });
  assert.equal(rows[1].proto, 'icmp');
  assert.equal(rows[1].orig_p, 8);
  assert.equal(rows[1].resp_p, 0);
  assert.equal(rows[2].action, null);
  assert.equal(JSON.parse(rows[2].extra as string).action, 'INFO-EVENTS-LOST');
});

test('malformed lines are counted by reason and line number, valid ones kept', () => {
  const input = [
    '#Fields: date time action protocol src-ip dst-ip src-port dst-port size path',
    '2024-05-01 10:00:00 ALLOW TCP 10.0.0.5 10.0.0.6 1 2 40 SEND',
    '2024-05-01 10:00:00 ALLOW TCP 10.0.0.5 10.0.0.6 1 2 40',
    '2024-05-01 10:00:00 ALLOW TCP 10.0.0.5 10.0.0.6 1 2 40 SEND extra',
    '2024-13-01 10:00:00 ALLOW TCP 10.0.0.5 10.0.0.6 1 2 40 SEND',
    '2024-05-01 10:00:00 ALLOW TCP 10.0.0.500 10.0.0.6 1 2 40 SEND',
    '2024-05-01 10:00:00 ALLOW TCP 10.0.0.5 10.0.0.6 http 2 40 SEND',
    '#Fields: action protocol',
    '2024-05-01 10:00:00 DROP UDP 10.0.0.5 10.0.0.6 1 2 40 RECEIVE',
  ].join('\n');
  const out = decodeAll(windowsFirewall, Buffer.from(input), { chunkSize: 3 });
  assert.equal(out.rows.firewall.length, 2);
  assert.deepEqual(out.skips.map((s) => [s.reason, s.position]), [
    ['truncated', 3],
    ['column_count', 4],
    ['bad_time', 5],
    ['bad_address', 6],
    ['bad_field', 7],
    ['no_fields', 8],
  ]);
});

test('sniff: claims pfirewall.log only', () => {
  assert.equal(windowsFirewall.sniff(readFileSync(FIX + 'windows_pfirewall_azure_stack_edge_doc.log')), 0.95);
  for (const f of ['crowdsec_iptables.log', 'crowdsec_pfsense_filterlog.log', 'crowdsec_cef_unifi.log']) {
    assert.equal(windowsFirewall.sniff(readFileSync(FIX + f)), 0, f);
  }
  assert.equal(windowsFirewall.sniff(Buffer.from('#separator \\x09\n#set_separator\t,\n#fields\tts\tuid\n')), 0);
});
