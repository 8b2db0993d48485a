import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { decodeAll, type TestValue } from '../testing.js';
import { panos } from './panos.js';
import { THREAT_FIELDS, TRAFFIC_FIELDS } from './panos-fields.js';

const dir = path.join(process.cwd(), 'test/fixtures/firewall');
const read = (f: string) => fs.readFileSync(path.join(dir, f));
const extra = (r: Record<string, TestValue>) => JSON.parse(r.extra as string) as Record<string, string>;

test('the field tables put the 10.x fields where real lines have them', () => {
  assert.equal(TRAFFIC_FIELDS.length, 117);
  assert.equal(TRAFFIC_FIELDS[102], 'high_res_timestamp');
  assert.equal(THREAT_FIELDS[107], 'high_res_timestamp');
  assert.equal(THREAT_FIELDS[69], 'thr_category');
  assert.equal(new Set(TRAFFIC_FIELDS).size, TRAFFIC_FIELDS.length);
  assert.equal(new Set(THREAT_FIELDS).size, THREAT_FIELDS.length);
});

/** crowdsec's parsed field -> how to read the same value from our findings row. */
const CROWDSEC_TO_OURS: Record<string, (r: Record<string, TestValue>, x: Record<string, string>) => TestValue> = {
  src_ip: (r) => r.orig_h,
  dst_ip: (r) => r.resp_h,
  src_port: (r) => String(r.orig_p),
  dst_port: (r) => String(r.resp_p),
  ip_proto: (r) => r.proto,
  session_id: (r) => r.uid,
  app: (r) => r.app_proto,
  // Left out of extra since the columns hold them (checked in the columns instead):
  threat_id: (r) => `${String(r.signature)}(${String(r.signature_id)})`,
  severity: (r) => ['', 'critical', 'high', 'medium', 'low', 'informational'][r.severity as number],
  action: (_r, x) => x.action,
  rule: (_r, x) => x.rule,
  vsys: (_r, x) => x.vsys,
  src_zone: (_r, x) => x.from,
  dst_zone: (_r, x) => x.to,
  ingress_int: (_r, x) => x.inbound_if,
  egress_int: (_r, x) => x.outbound_if,
  nat_src_ip: (_r, x) => x.natsrc,
  nat_dst_ip: (_r, x) => x.natdst,
  nat_src_port: (_r, x) => x.natsport,
  nat_dst_port: (_r, x) => x.natdport,
  repeat_count: (_r, x) => x.repeatcnt,
  direction: (_r, x) => x.direction,
  log_seq_num: (_r, x) => x.seqno,
  serial_number: (_r, x) => x.serial,
  log_type: (r) => ('signature' in r ? 'THREAT' : 'TRAFFIC'), // the table says it
  log_subtype: (_r, x) => x.subtype,
  // The high resolution timestamp's local clock to the second (time_generated is left out when it is that).
  generation_timestamp: (_r, x) => x.high_res_timestamp.slice(0, 19).replace('T', ' ').replaceAll('-', '/'),
  src_country: (_r, x) => x.srcloc,
  dst_country: (_r, x) => x.dstloc,
  url_category_or_wildfire_verdict: (r, x) => x.category ?? r.category, // the column when thr_category is empty
  url_or_filename: (_r, x) => x.misc,
  fwd_to_panorama: (_r, x) => x.actionflags,
  pan_log_flags: (_r, x) => x.flags,
  log_fwd_profile: (_r, x) => x.logset,
  pan_unknown: (_r, x) => x.config_ver,
  file_hash: (_r, x) => x.pcap_id, // crowdsec's name for position 42, PAN-OS's PCAP_ID
  syslog_hostname: (_r, x) => x.syslog_host,
};
/** crowdsec fields with no counterpart to compare: its own bookkeeping, the raw line, its leftover text. */
const NOT_COMPARED = new Set(['message', 'program', 'unparsed_data', 'syslog_timestamp', 'pan_reserved']);

test('THREAT lines match every field of crowdsec parser.assert', () => {
  const out = decodeAll(panos, read('crowdsec_panos_threat.log'));
  assert.deepEqual(out.skips, []);
  const rows = out.rows.findings;
  assert.equal(rows.length, 2);
  const expected = new Map<string, string>();
  const re = /^results\["s01-parse"\]\["crowdsecurity\/palo-alto-threat-log"\]\[(\d)\]\.Evt\.Parsed\["(\w+)"\] == "(.*)"$/;
  for (const line of read('crowdsec_panos_threat.expected.parser.assert.txt').toString().split('\n')) {
    const m = re.exec(line);
    if (m) expected.set(`${m[1]} ${m[2]}`, m[3]);
  }
  assert.ok(expected.size > 80);
  let compared = 0;
  for (const [k, want] of expected) {
    const [i, field] = k.split(' ');
    if (NOT_COMPARED.has(field)) continue;
    const get = CROWDSEC_TO_OURS[field];
    assert.ok(get, `no mapping for crowdsec field ${field}`);
    const row = rows[Number(i)];
    assert.equal(get(row, extra(row)), want, `line ${i} ${field}`);
    compared++;
  }
  assert.ok(compared >= 70);
  // PAN-OS's future_use_0 (crowdsec's pan_reserved) is a placeholder: not kept.
  for (const row of rows) assert.equal(extra(row).future_use_0, undefined);
  // crowdsec's dateparse stage: MarshaledTime 2023-07-06T08:11:40+02:00; we keep the milliseconds of the
  // high resolution timestamp from the same line.
  assert.equal(rows[0].ts, Date.parse('2023-07-06T08:11:40.288+02:00') * 1000);
  assert.equal(rows[1].ts, Date.parse('2023-07-05T14:14:33.325+02:00') * 1000);
});

test('THREAT columns: signature, id, category, severity, action', () => {
  const [a, b] = decodeAll(panos, read('crowdsec_panos_threat.log')).rows.findings;
  assert.deepEqual(
    [a.signature, a.signature_id, a.category, a.severity, a.action, a.sensor, a.source_type, a.app_proto],
    ['SSH User Authentication Brute Force Attempt', 40015, 'brute-force', 2, 'blocked', 'FW-PA-111', 'panos', 'ssh'],
  );
  assert.deepEqual([b.signature, b.signature_id, b.category, b.severity, b.action], ['Nmap Scripting Engine Detection', 58433, 'hacktool', 3, 'allowed']);
  assert.equal(extra(b).characteristic_of_app, 'used-by-malware,able-to-transfer-file,has-known-vulnerability,tunnel-other-application,pervasive-use');
});

test('TRAFFIC lines: every column of the first line, and all 27 lines decode', () => {
  const out = decodeAll(panos, read('panos_traffic_csv_first27.log'), { chunkSize: 100 });
  assert.deepEqual(out.skips, []);
  assert.deepEqual(out.ignored, {});
  const rows = out.rows.firewall;
  assert.equal(rows.length, 27);
  const r = rows[0];
  const want: Record<string, TestValue> = {
    ts: Date.UTC(2018, 10, 30, 16, 9, 7) * 1000,
    uid: '22751',
    orig_h: '192.168.15.207',
    orig_p: 55113,
    resp_h: '175.16.199.1',
    resp_p: 443,
    proto: 'tcp',
    ip_proto: 6,
    source_type: 'panos',
    sensor: 'PA-220',
    ingest_id: 1,
    action: 'allow',
    rule: 'new_outbound_from_trust',
    in_iface: 'ethernet1/2',
    out_iface: 'ethernet1/1',
    bytes: 7734,
    packets: 36,
    rule_id: null,
    in_zone: 'trust',
    out_zone: 'untrust',
    nat_orig_h: '192.168.1.63',
    nat_orig_p: 16418,
    nat_resp_h: '175.16.199.1',
    nat_resp_p: 443,
    duration: 586,
  };
  for (const [k, v] of Object.entries(want)) assert.equal(r[k], v, k);
  assert.equal(r.message, read('panos_traffic_csv_first27.log').toString().split('\n')[0]);
  const x = extra(r);
  assert.equal(x.syslog_host, undefined, 'the envelope host is the sensor column (PA-220)');
  assert.equal(x.session_end_reason, 'tcp-fin');
  assert.equal(x.bytes_received, '5976');
  assert.equal(x.bytes_sent, undefined, 'bytes_sent is bytes minus bytes_received');
  assert.equal((r.bytes as number) - Number(x.bytes_received), 1758);
  assert.equal((r.packets as number) - Number(x.pkts_received), 16);
  for (const k of ['action', 'natsrc', 'natdst', 'natsport', 'natdport', 'time_generated', 'device_name', 'type', 'future_use_38', 'bytes', 'elapsed'])
    assert.equal(x[k], undefined, k);
  assert.equal(x.serial, '012801096514', 'the serial is not the sensor here');
  for (const k of ['dg_hier_level_1', 'tunnelid', 'parent_session_id', 'tunnel', 'assoc_id', 'chunks']) assert.equal(x[k], undefined, `${k}: PAN-OS's none`);
  assert.equal(x.action_source, 'from-policy');
  assert.equal(x.start, '2018/11/30 15:59:04');
  assert.equal(x.src, undefined, 'columns are not repeated in extra');
  const icmp = rows[1];
  assert.deepEqual([icmp.proto, icmp.orig_p, icmp.resp_p, icmp.duration], ['icmp', 0, 0, 0]);
  assert.deepEqual(
    rows.slice(22).map((row) => [extra(row).subtype ?? null, row.action, row.proto]),
    [
      ['start', 'allow', 'tcp'],
      ['drop', 'allow', 'tcp'],
      ['deny', 'allow', 'icmp'],
      [null, 'allow', 'udp'],
      ['test', 'allow', 'udp'],
    ],
    'the action field decides, not the subtype',
  );
});

const TRAFFIC = read('panos_traffic_csv_first27.log').toString().split('\n')[0];
const withField = (i: number, v: string) => {
  const env = TRAFFIC.slice(0, TRAFFIC.indexOf(' 1,') + 1);
  const f = TRAFFIC.slice(env.length).split(',');
  f[i] = v;
  return env + f.join(',');
};

test('actions map to allow, deny, drop and reject; NAT 0.0.0.0 is no NAT; an ISO envelope sets the zone', () => {
  const lines = ['deny', 'drop', 'reset-both', 'reset-client', 'drop-icmp', 'weird'].map((a) => withField(30, a));
  lines.push(withField(9, '0.0.0.0'));
  lines.push('<14>1 2018-11-30T16:09:08+01:00 pa1 - - - ' + TRAFFIC.slice(TRAFFIC.indexOf(' 1,') + 1));
  const rows = decodeAll(panos, Buffer.from(lines.join('\n'))).rows.firewall;
  assert.deepEqual(rows.slice(0, 6).map((r) => r.action), ['deny', 'drop', 'reject', 'reject', 'drop', null]);
  assert.equal(extra(rows[5]).action, 'weird');
  assert.deepEqual([rows[6].nat_orig_h, rows[6].nat_orig_p, rows[6].nat_resp_h], [null, null, '175.16.199.1']);
  assert.equal(rows[7].ts, Date.UTC(2018, 10, 30, 15, 9, 7) * 1000);
  assert.equal(extra(rows[7]).syslog_host, 'pa1');
});

test('malformed PAN-OS lines are skipped with their reason; other log types are ignored', () => {
  const csv = TRAFFIC.slice(TRAFFIC.indexOf(' 1,') + 1);
  const lines = [
    'no commas here at all',
    csv.split(',').slice(0, 30).join(','),
    withField(6, '2018-11-30 16:09:07'),
    withField(24, '70000'),
    withField(7, ''),
    csv.replace(',apple-maps,', ',"apple-maps,'),
    '1,2018/11/30 16:09:07,0128,SYSTEM,general,0,2018/11/30 16:09:07,,general,,0,0,general,informational,"x",1,0x0',
    'a,b,c,NOTPANOS,e,f',
    csv,
  ];
  const out = decodeAll(panos, Buffer.from(lines.join('\r\n')));
  assert.deepEqual(
    out.skips.map((s) => [s.reason, s.position, s.detail]),
    [
      ['not_panos', 1, undefined],
      ['column_count', 2, 'TRAFFIC'],
      ['bad_timestamp', 3, undefined],
      ['bad_value', 4, 'sport'],
      ['bad_value', 5, 'address'],
      ['bad_quote', 6, undefined],
      ['not_panos', 8, undefined],
    ],
  );
  assert.deepEqual(out.ignored, { 'panos-system': 1 });
  assert.equal(out.rows.firewall.length, 1);
  assert.equal(out.rows.firewall[0].message, csv);
});

test('quoted fields with doubled quotes are unescaped in columns and extra', () => {
  const line = withField(11, '"rule ""a"", b"').replace(',apple-maps,', ',"x\\y",');
  const [r] = decodeAll(panos, Buffer.from(line + '\n')).rows.firewall;
  assert.equal(r.rule, 'rule "a", b');
  assert.equal(extra(r).app, 'x\\y');
  const [u] = decodeAll(panos, Buffer.from(withField(52, 'Gäste-FW') + '\n')).rows.firewall;
  assert.deepEqual([u.sensor, extra(u).device_name], ['Gäste-FW', undefined], 'a UTF-8 device name is the sensor as written');
});

test('sniff claims PAN-OS CSV with or without envelope, and nothing else', () => {
  assert.equal(panos.sniff(read('panos_traffic_csv_first27.log')), 0.9);
  assert.equal(panos.sniff(read('crowdsec_panos_threat.log')), 0.9);
  assert.equal(panos.sniff(Buffer.from(TRAFFIC.slice(TRAFFIC.indexOf(' 1,') + 1) + '\n')), 0.9);
  for (const f of ['cisco_asa_syslog_first_lines.log', 'fortigate_kv_first25.log']) assert.equal(panos.sniff(read(f)), 0, f);
  assert.equal(panos.sniff(Buffer.from('#separator \\x09\n#fields\tts\tuid\n1.0\tC1\n')), 0);
  assert.equal(panos.sniff(Buffer.from('{"timestamp":"2020-01-01","event_type":"alert"}\n')), 0);
  assert.equal(panos.sniff(Buffer.from('ts,uid,orig_h\n1,2,3\n')), 0);
});

test('HIP match logs (HIPMATCH as sent, HIP-MATCH as documented) are recognised and ignored; URL logs take the URL category', () => {
  const buf = read('panos_written_variants.log');
  assert.equal(panos.sniff(buf), 0.9);
  assert.equal(panos.sniff(Buffer.from(buf.toString('latin1').split('\n')[0] + '\n', 'latin1')), 0.9);
  const out = decodeAll(panos, buf);
  assert.deepEqual(out.skips, []);
  assert.deepEqual(out.ignored, { 'panos-hipmatch': 2 });
  const rows = out.rows.findings;
  assert.deepEqual(rows.map((r) => [r.category, r.signature_id, r.action, r.orig_h, r.resp_h]), [
    ['games', 9999, 'blocked', '192.0.2.12', '198.51.100.80'],
    ['news', 9999, 'blocked', '192.0.2.13', '198.51.100.81'],
  ]);
  assert.deepEqual([extra(rows[0]).thr_category, extra(rows[1]).thr_category], ['N/A', 'unknown']);
  assert.equal(rows[0].ts, Date.UTC(2023, 9, 4, 16, 40, 58, 388) * 1000);
  // A TRAFFIC line whose 10.x tail holds " " placeholders: no column takes a blank.
  const [t] = out.rows.firewall;
  assert.deepEqual([t.action, t.rule, t.rule_id, t.in_zone, t.out_iface, t.orig_h, t.resp_p], ['drop', 'block-lab', null, 'inside', null, '192.0.2.12', 80]);
});

test('web interface / Panorama CSV export (a header line of column names): read by name; it was not recognised', () => {
  const buf = read('panos_export_traffic_written.csv');
  assert.equal(panos.sniff(buf), 0.9);
  const out = decodeAll(panos, buf);
  // The fourth row's Generate Time is not a time on purpose.
  assert.deepEqual(out.skips.map((s) => [s.reason, s.position]), [['bad_timestamp', 5]]);
  const rows = out.rows.firewall;
  assert.deepEqual(
    rows.map((r) => [r.ts, r.uid, r.orig_h, r.orig_p, r.resp_h, r.resp_p, r.proto, r.action, r.rule, r.in_zone, r.out_zone, r.in_iface, r.bytes, r.packets, r.duration, r.sensor, r.nat_orig_h, r.nat_orig_p]),
    [
      [Date.UTC(2024, 4, 6, 10, 0, 4) * 1000, '41001', '192.0.2.10', 51514, '198.51.100.20', 443, 'tcp', 'allow', 'allow-web', 'trust', 'untrust', 'ethernet1/2', 6120, 18, 6, 'fw-edge-1', '203.0.113.7', 22001],
      [Date.UTC(2024, 4, 6, 10, 0, 6) * 1000, '0', '192.0.2.11', 40000, '198.51.100.21', 23, 'tcp', 'drop', 'interzone-default', 'trust', 'untrust', 'ethernet1/2', 74, 1, 0, 'fw-edge-1', null, null],
      [Date.UTC(2024, 4, 6, 10, 0, 8) * 1000, '41003', '2001:db8::10', 53000, '2001:db8:1::53', 53, 'udp', 'allow', 'allow-dns, internal', 'trust', 'dmz', 'ethernet1/2', 210, 2, 0, 'fw-edge-1', null, null],
    ],
  );
  assert.equal(rows[0].rule_id, '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
  // The message is the export's row as written; extra names fields as syslog does (seqno, srcloc, ...).
  assert.ok((rows[0].message as string).startsWith('1,2024/05/06 10:00:05,013201000001,TRAFFIC,end,'));
  const x = extra(rows[0]);
  assert.deepEqual([x.serial, x.subtype, x.srcuser, x.app, x.seqno, x.dstloc, x.pkts_received, x.session_end_reason, x.category, x.start], [
    '013201000001', 'end', 'example\\alice', 'ssl', '7300000001', 'United States', '10', 'tcp-fin', 'computer-and-internet-info', '2024/05/06 09:59:58',
  ]);
  // A row whose columns are the syslog fields' first 55 (its Rule UUID empty) decodes as that syslog line does.
  const syslogLine = 'May  6 10:00:07 fw-edge-1 ' + (rows[1].message as string) + '\n';
  const [same] = decodeAll(panos, Buffer.from(syslogLine)).rows.firewall;
  assert.deepEqual({ ...rows[1], message: null }, { ...same, message: null });
});

test('THREAT export: Threat/Content Name gives signature and id, Threat Category the category, a quoted URL with a comma stays whole', () => {
  const out = decodeAll(panos, read('panos_export_threat_written.csv'));
  assert.deepEqual(out.skips, []);
  const rows = out.rows.findings;
  assert.deepEqual(rows.map((r) => [r.orig_h, r.resp_p, r.signature, r.signature_id, r.category, r.severity, r.action, r.app_proto, r.sensor]), [
    ['198.51.100.30', 80, 'Generic Path Traversal Detection', 30844, 'code-execution', 2, 'blocked', 'web-browsing', 'fw-edge-1'],
    ['192.0.2.41', 443, 'Suspicious TLS Beacon', 86001, 'spyware', 3, 'allowed', 'ssl', 'fw-edge-1'],
  ]);
  assert.deepEqual([extra(rows[0]).misc, extra(rows[0]).action, extra(rows[0]).direction], ['www.example.com/cgi-bin/test.cgi?a=1,2', 'reset-both', 'client-to-server']);
});

test('a THREAT export with the name and the id in columns of their own, in either order: both read; rows starting with the Type are rows', () => {
  const head = 'Generate Time,Type,Threat/Content Type,Source Address,Source Port,Destination Address,Destination Port,Protocol,Action,Threat/Content Name,Threat ID,Severity';
  const row = '2024/05/06 11:00:01,THREAT,vulnerability,198.51.100.30,45000,192.0.2.40,80,tcp,alert,"Path Traversal, Generic",30844,high';
  const swap = (line: string) => {
    const f = line.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((x) => x.replace(/,$/, ''));
    [f[9], f[10]] = [f[10], f[9]];
    return f.join(',');
  };
  for (const text of [`${head}\n${row}\n`, `${swap(head)}\n${swap(row)}\n`]) {
    const out = decodeAll(panos, Buffer.from(text));
    assert.deepEqual(out.skips, []);
    assert.deepEqual(out.rows.findings.map((r) => [r.signature, r.signature_id, extra(r).threat_id]), [['Path Traversal, Generic', 30844, undefined]]);
  }
  // The Type first: every row starts with a letter, and is still a row (a repeated header is a header).
  const typeFirst = 'Type,Generate Time,Source Address,Destination Address,Source Port,Destination Port,IP Protocol,Action,Bytes';
  const rows = ['TRAFFIC,2024/05/06 13:00:00,192.0.2.60,198.51.100.60,50000,8080,tcp,allow,10', 'TRAFFIC,2024/05/06 13:00:01,192.0.2.61,198.51.100.61,50001,8081,tcp,deny,20'];
  const out = decodeAll(panos, Buffer.from([typeFirst, rows[0], typeFirst, rows[1]].join('\n') + '\n'));
  assert.deepEqual([out.skips, out.rows.firewall.map((r) => [r.orig_h, r.action])], [[], [['192.0.2.60', 'allow'], ['192.0.2.61', 'deny']]]);
});

test('an export with its own choice and order of columns (Panorama custom columns, Cortex Data Lake ISO times): mapped by name', () => {
  const buf = read('panos_export_custom_columns_written.csv');
  assert.equal(panos.sniff(buf), 0.9);
  const out = decodeAll(panos, buf);
  assert.deepEqual(out.skips, []);
  const rows = out.rows.firewall;
  assert.deepEqual(rows.map((r) => [r.ts, r.uid, r.orig_h, r.orig_p, r.resp_h, r.resp_p, r.proto, r.action, r.rule, r.bytes, r.in_zone, r.sensor]), [
    [Date.UTC(2024, 4, 6, 12, 0, 1, 250) * 1000, '61001', '192.0.2.50', 50001, '198.51.100.50', 443, 'tcp', 'allow', 'allow-saas', 9000, 'trust', 'pa-vm-cloud'],
    [Date.UTC(2024, 4, 6, 10, 0, 2, 500) * 1000, '61002', '192.0.2.51', 50002, '198.51.100.51', 22, 'tcp', 'deny', 'block-ssh', 60, 'trust', 'pa-vm-cloud'],
  ]);
  // A column PAN-OS does not define is kept under its header name.
  assert.deepEqual(extra(rows[0]), { app: 'ssl', bytes_received: '8000', session_end_reason: 'tcp-fin', high_res_timestamp: '2024-05-06T12:00:01.250Z', tenant: 'blue' });
  // Only a few columns, in another order: still a whole row.
  const few = decodeAll(panos, Buffer.from('Receive Time,Type,Source Address,Destination Address,Source Port,Destination Port,IP Protocol,Action\n2024/05/06 13:00:00,TRAFFIC,192.0.2.60,198.51.100.60,50000,8080,tcp,reset-both\n'));
  assert.deepEqual([few.skips, few.rows.firewall.map((r) => [r.ts, r.orig_h, r.resp_p, r.action, extra(r)])], [
    [], [[Date.UTC(2024, 4, 6, 13) * 1000, '192.0.2.60', 8080, 'reject', { receive_time: '2024/05/06 13:00:00', action: 'reset-both' }]],
  ]);
  // A header that is not PAN-OS's, and an export header alone, store nothing.
  assert.equal(panos.sniff(Buffer.from('Name,Value,Source,Destination,Time,Other,More,Last\n')), 0);
  const headerOnly = decodeAll(panos, Buffer.from(buf.toString().split('\n')[0] + '\n'));
  assert.deepEqual([headerOnly.skips, headerOnly.rows.firewall.length], [[], 0]);
});
