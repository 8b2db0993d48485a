// Tests of the Zeek TSV decoder against RITA's real Zeek logs (good and broken) and small synthetic edge cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { communityId } from '../../model/community-id.js';
import { decodeAll, type Collected } from '../testing.js';
import { zeekJson } from './zeek-json.js';
import { zeekTsv } from './zeek-tsv.js';

/** Fixtures sit in test/fixtures/zeek at the repo root, four levels above this file once compiled to dist/. */
function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../../../test/fixtures/zeek/${name}`, import.meta.url));
}

function decodeFixture(name: string, opts: { chunkSize?: number; sensor?: string } = {}): Collected {
  return decodeAll(zeekTsv, fixture(name), { inputName: `/logs/${name}`, ...opts });
}

/** Community ID v1 of an IPv4 TCP/UDP flow, computed independently with node:crypto. */
function referenceCommunityId(sip: string, dip: string, sp: number, dp: number, proto: number): string {
  const ip = (s: string): Buffer => Buffer.from(s.split('.').map(Number));
  let [a, b, pa, pb] = [ip(sip), ip(dip), sp, dp];
  const c = Buffer.compare(a, b);
  if (c > 0 || (c === 0 && pa > pb)) [a, b, pa, pb] = [b, a, pb, pa];
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(pa, 0);
  ports.writeUInt16BE(pb, 2);
  const input = Buffer.concat([Buffer.alloc(2), a, b, Buffer.from([proto, 0]), ports]);
  return '1:' + createHash('sha1').update(input).digest('base64');
}

const tsv = (lines: string[]): Buffer => Buffer.from(lines.join('\n') + '\n');
const CONN_HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tconn_state\ttunnel_parents\tvlan\tcommunity_id\t_system_name',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tstring\tset[string]\tint\tstring\tstring',
];

test('sniff: #separator is Zeek TSV; prose, headerless rows and JSON are not', () => {
  assert.equal(zeekTsv.sniff(fixture('rita_tsv_conn.log').subarray(0, 64)), 1);
  assert.equal(zeekTsv.sniff(fixture('rita_not_a_log_conn.log')), 0);
  assert.equal(zeekTsv.sniff(fixture('rita_tsv_truncated_conn_noheader.log')), 0);
  assert.equal(zeekTsv.sniff(fixture('rita_json_conn.log')), 0);
  assert.equal(zeekJson.sniff(fixture('rita_tsv_conn.log')), 0);
});

test('rita conn.log: every row, with exact values', () => {
  const out = decodeFixture('rita_tsv_conn.log');
  assert.deepEqual(out.skips, []);
  const rows = out.rows.connections;
  assert.equal(rows.length, 463);
  assert.equal(out.rows.metadata.length + out.rows.dns.length, 0);
  assert.deepEqual(rows[0], {
    ts: 1672843056913119,
    uid: 'CXHB1X22027MRWU6D',
    community_id: referenceCommunityId('10.136.0.18', '10.136.0.16', 55548, 3128, 6),
    orig_h: '10.136.0.18',
    orig_p: 55548,
    resp_h: '10.136.0.16',
    resp_p: 3128,
    proto: 'tcp',
    ip_proto: 6,
    source_type: 'zeek',
    sensor: null,
    ingest_id: 1,
    service: 'http,ssl',
    duration: 0.084044,
    orig_bytes: 1030,
    resp_bytes: 20275,
    conn_state: 'SF',
    local_orig: true,
    local_resp: true,
    missed_bytes: 0,
    history: 'ShADadFf',
    orig_pkts: 18,
    orig_ip_bytes: 1974,
    resp_pkts: 14,
    resp_ip_bytes: 21011,
    tunnel_parents: null,
    end_ts: null,
    state_reason: null,
    extra: null,
    action: null,
    cloud_provider: null,
    cloud_account: null,
    cloud_region: null,
    cloud_vpc: null,
    cloud_subnet: null,
    cloud_instance: null,
    // Zeek logs say nothing of firewall decisions or cloud context.
  });
  // Row 4: ICMPv6 router solicitation, logged by Zeek as proto icmp with unset counters.
  const icmp = rows[3];
  assert.equal(icmp.uid, 'Cr4U3w2E9iSU8zBzkk');
  assert.equal(icmp.orig_h, 'fe80::7809:d6ff:fee3:ff67');
  assert.equal(icmp.proto, 'icmp6');
  assert.equal(icmp.ip_proto, 58);
  assert.equal(icmp.community_id, communityId('fe80::7809:d6ff:fee3:ff67', 'ff02::2', 133, 134, 58));
  assert.equal(icmp.duration, null);
  assert.equal(icmp.orig_bytes, null);
  assert.equal(icmp.history, null);
  assert.equal(icmp.conn_state, 'OTH');
  const last = rows[462];
  assert.equal(last.ts, 1672944522948240);
  assert.equal(last.uid, 'CECKzD4TuuheZo0EQl');
  assert.equal(last.conn_state, 'RSTO');
  assert.equal(last.resp_ip_bytes, 21022);
});

test('rita dns.log: answers and TTLs as lists, flags as bools', () => {
  const out = decodeFixture('rita_tsv_dns.log');
  assert.deepEqual(out.skips, []);
  const rows = out.rows.dns;
  assert.equal(rows.length, 942);
  assert.equal(rows.filter((r) => r.answers !== null).length, 227);
  const r = rows.find((x) => x.uid === 'CSRepw2TQJ5PxSO1kh')!;
  assert.equal(r.ts, 1610645379925858);
  assert.equal(r.query, 'edgeapi.slack.com');
  assert.equal(r.trans_id, 30540);
  assert.equal(r.rtt, 0.047887);
  assert.equal(r.qtype, 1);
  assert.equal(r.qtype_name, 'A');
  assert.equal(r.rcode_name, 'NOERROR');
  assert.deepEqual([r.aa, r.tc, r.rd, r.ra, r.z, r.rejected], [false, false, true, true, 0, false]);
  assert.deepEqual(r.answers, [
    'prod-haproxy-edge-nlb-eip-3f4c246e4b1ed994.elb.us-east-1.amazonaws.com',
    '54.204.130.107',
    '18.233.140.209',
    '52.54.155.203',
  ]);
  assert.deepEqual(r.ttls, [27, 57, 57, 57]);
  assert.equal(r.community_id, referenceCommunityId('192.168.0.15', '1.1.1.1', 59899, 53, 17));
  const first = rows[0];
  assert.deepEqual([first.qclass, first.qclass_name, first.rcode, first.answers, first.ttls], [32769, 'qclass-32769', null, null, null]);
});

test('every other rita log lands in metadata, with its path as log', () => {
  const expected: Record<string, [string, number]> = {
    'rita_tsv_capture_loss.log': ['capture_loss', 102],
    'rita_tsv_dhcp.log': ['dhcp', 57],
    'rita_tsv_dpd.log': ['dpd', 371],
    'rita_tsv_files.log': ['files', 194],
    'rita_tsv_http.log': ['http', 407],
    'rita_tsv_known_hosts.log': ['known_hosts', 4],
    'rita_tsv_known_services.log': ['known_services', 4],
    'rita_tsv_software.log': ['software', 4],
    'rita_tsv_ssl.log': ['ssl', 407],
    'rita_tsv_stats.log': ['stats', 217],
    'rita_tsv_tunnel.log': ['tunnel', 1],
    'rita_tsv_weird.log': ['weird', 131],
    'rita_tsv_x509.log': ['x509', 173],
  };
  for (const [name, [log, count]] of Object.entries(expected)) {
    const out = decodeFixture(name);
    assert.deepEqual(out.skips, [], name);
    assert.equal(out.rows.connections.length + out.rows.dns.length, 0, name);
    assert.equal(out.rows.metadata.length, count, name);
    assert.ok(out.rows.metadata.every((r) => r.log === log && r.source_type === 'zeek'), name);
  }
});

test('metadata data is the whole record as typed JSON, unset fields omitted', () => {
  const http = decodeFixture('rita_tsv_http.log').rows.metadata[0];
  assert.deepEqual([http.ts, http.uid, http.orig_h, http.orig_p, http.resp_h, http.resp_p], [
    1672843056914972, 'CXHB1X22027MRWU6D', '10.136.0.18', 55548, '10.136.0.16', 3128,
  ]);
  assert.equal(http.proto, null); // http.log has no proto field, so no Community ID either
  assert.equal(http.community_id, null);
  assert.deepEqual(JSON.parse(http.data as string), {
    ts: 1672843056.914972,
    uid: 'CXHB1X22027MRWU6D',
    'id.orig_h': '10.136.0.18',
    'id.orig_p': 55548,
    'id.resp_h': '10.136.0.16',
    'id.resp_p': 3128,
    trans_depth: 1,
    method: 'CONNECT',
    host: 'www.google.com',
    uri: 'www.google.com:443',
    version: '1.1',
    user_agent: 'Modzilla/-2.0 (Atari 7800)',
    request_body_len: 0,
    response_body_len: 0,
    status_code: 200,
    status_msg: 'Connection established',
    tags: [],
    proxied: ['PROXY-CONNECTION -> Keep-Alive'],
  });
  const files = decodeFixture('rita_tsv_files.log').rows.metadata[0];
  assert.equal(files.uid, null);
  const f = JSON.parse(files.data as string) as Record<string, unknown>;
  assert.deepEqual([f.tx_hosts, f.rx_hosts, f.conn_uids, f.analyzers], [
    ['151.101.1.69'], ['192.168.0.15'], ['CIkPYl2s3EejY8CDQ7'], ['SHA1', 'MD5', 'X509'],
  ]);
  assert.deepEqual([f.duration, f.local_orig, f.seen_bytes, f.timedout], [0, undefined, 1784, false]);
  const x509 = JSON.parse(decodeFixture('rita_tsv_x509.log').rows.metadata[0].data as string) as Record<string, unknown>;
  assert.equal(x509['certificate.not_valid_before'], 1607004052);
  assert.equal(x509['certificate.issuer'], "CN=R3,O=Let's Encrypt,C=US");
  assert.equal((x509['san.dns'] as string[])[0], '*.askubuntu.com');
});

test('broken: a conn.log cut mid-line keeps every complete row and reports the last as truncated', () => {
  const out = decodeFixture('rita_tsv_truncated_conn.log');
  assert.equal(out.rows.connections.length, 58);
  assert.deepEqual(out.skips, [{ reason: 'truncated', position: 67, detail: undefined }]);
  assert.equal(out.rows.connections[57].uid, 'CRdiow2TR6gjwTtM09');
  assert.deepEqual(out.rows.connections[0].tunnel_parents, []);
});

test('broken: rows without a header are each reported, nothing is stored', () => {
  const out = decodeFixture('rita_tsv_truncated_conn_noheader.log');
  assert.equal(out.rows.connections.length + out.rows.metadata.length, 0);
  assert.equal(out.skips.length, 59);
  assert.ok(out.skips.every((s, i) => s.reason === 'no_header' && s.position === i + 1));
  const prose = decodeFixture('rita_not_a_log_conn.log');
  assert.equal(prose.rows.metadata.length + prose.rows.connections.length, 0);
  assert.deepEqual(prose.skips.map((s) => `${s.reason}@${s.position}`), [
    'no_header@1', 'no_header@3', 'no_header@5', 'no_header@7', 'no_header@9',
  ]);
});

test('broken: an unknown column type is kept as text; a short row is a column_count skip', () => {
  const out = decodeFixture('rita_tsv_unknown_field_http.log');
  assert.deepEqual(out.skips, [{ reason: 'column_count', position: 9, detail: undefined }]);
  const rows = out.rows.metadata;
  assert.equal(rows.length, 4);
  assert.deepEqual(rows.map((r) => r.uid), ['ClmlDRtRxVxeI68pc', 'ClmlDRtRxVxeI68pc', 'CCWo4orreGs2jPNm6', 'CP4HnL1chY8ajVKasj']);
  const data = JSON.parse(rows[3].data as string) as Record<string, unknown>;
  assert.equal(data.i_dont_exist, 'bingbong');
  assert.deepEqual(data.resp_mime_types, ['application/ocsp-response']); // the last line has no newline but is whole
});

test('bad values skip the row with the field name; the other rows stay', () => {
  const out = decodeAll(zeekTsv, tsv([
    ...CONN_HEADER,
    '1.5\tCa\t10.0.0.1\tabc\t10.0.0.2\t80\ttcp\t-\t-\t-\t-\t-\t-\t-\t-',
    'x\tCb\t10.0.0.1\t1\t10.0.0.2\t80\ttcp\t-\t-\t-\t-\t-\t-\t-\t-',
    '1.5\tCc\t10.0.0.1\t1\t10.0.0.2\t80\ttcp\t-\t-\t-1\t-\t-\t-\t-\t-',
    '1.5\tCd\t10.0.0.1\t70000\t10.0.0.2\t80\ttcp\t-\t-\t-\t-\t-\t-\t-\t-',
    '1.5\tCe\t10.0.0.1\t1\t10.0.0.2\t80\ttcp\t-\t-\t-\t-\t-\t-\t-',
    '',
    '2.5\tCf\t10.0.0.1\t1\t10.0.0.2\t80\ttcp\t-\t-\t-\t-\t-\t-\t-\t-',
  ]));
  assert.deepEqual(out.skips.map((s) => [s.reason, s.position, s.detail]), [
    ['bad_value', 8, 'id.orig_p'],
    ['bad_value', 9, 'ts'],
    ['bad_value', 10, 'orig_bytes'],
    ['bad_value', 11, 'id.orig_p'],
    ['column_count', 12, undefined],
  ]);
  assert.deepEqual(out.rows.connections.map((r) => [r.uid, r.ts]), [['Cf', 2500000]]);
});

test('extra holds only fields without a column; source community_id, sensor and tunnel_parents are used', () => {
  const line = '1.5\tCa\t10.0.0.1\t1\t10.0.0.2\t80\ttcp\t(empty)\t-\t5\tS0\tCx,Cy\t';
  const out = decodeAll(zeekTsv, tsv([...CONN_HEADER, `${line}10\t1:given=\tsensor-a`, `${line}-\t-\t-`]));
  const [a, b] = out.rows.connections;
  assert.equal(a.extra, '{"vlan":10}');
  assert.equal(a.community_id, '1:given=');
  assert.equal(a.sensor, 'sensor-a');
  assert.equal(a.service, '');
  assert.deepEqual(a.tunnel_parents, ['Cx', 'Cy']);
  assert.equal(b.extra, null);
  assert.equal(b.sensor, null);
  assert.equal(b.community_id, referenceCommunityId('10.0.0.1', '10.0.0.2', 1, 80, 6));
  const forced = decodeAll(zeekTsv, tsv([...CONN_HEADER, `${line}10\t-\tsensor-a`]), { sensor: 'cli' });
  assert.equal(forced.rows.connections[0].sensor, 'cli');
});

test('several header blocks: a new block resets fields, types and separators', () => {
  const conn = fixture('rita_tsv_conn.log');
  const dns = fixture('rita_tsv_dns.log');
  const piped = tsv([
    '#separator \\x7c',
    '#set_separator|;',
    '#path|weird',
    '#fields|ts|name|addl|tags',
    '#types|time|string|string|set[string]',
    '1.25|bad\\x7cname|a\\x09b|x;y;z\\x3bw',
  ]);
  const out = decodeAll(zeekTsv, Buffer.concat([conn, dns, piped, conn]), { inputName: '/x/all.log' });
  assert.deepEqual(out.skips, []);
  assert.equal(out.rows.connections.length, 926);
  assert.equal(out.rows.dns.length, 942);
  assert.equal(out.rows.metadata.length, 1);
  const w = out.rows.metadata[0];
  assert.equal(w.log, 'weird');
  assert.equal(w.ts, 1250000);
  assert.deepEqual(JSON.parse(w.data as string), { ts: 1.25, name: 'bad|name', addl: 'a\tb', tags: ['x', 'y', 'z;w'] });
});

test('malformed headers are reported and their rows skipped until a good header comes', () => {
  const out = decodeAll(zeekTsv, tsv([
    '#separator \\x09\\x09',
    '#fields\tts',
    '#types\ttime',
    '1.5',
    ...CONN_HEADER.slice(0, 5),
    '#fields\tts\tuid',
    '#types\ttime',
    '2.5\tCa',
    '#types\ttime\tstring',
    '3.5\tCb',
  ]), { inputName: '-' });
  assert.deepEqual(out.skips.map((s) => `${s.reason}@${s.position}`), ['bad_header@1', 'no_header@4', 'bad_header@11', 'no_header@12']);
  assert.deepEqual(out.rows.connections.map((r) => [r.ts, r.uid]), [[3500000, 'Cb']]);
});

test('CRLF lines, escapes in strings and a header without #path', () => {
  const text = [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\thistory\tconn_state',
    '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tstring',
    '10.000001\tC\\x5cq\t10.0.0.1\t1\t10.0.0.2\t2\tudp\tD\\xc3\\xa9\\xff\tSF',
  ].join('\r\n') + '\r\n';
  const out = decodeAll(zeekTsv, Buffer.from(text), { inputName: '-' });
  assert.deepEqual(out.skips, []);
  const r = out.rows.connections[0]; // no #path: conn inferred from conn_state/history
  assert.deepEqual([r.ts, r.uid, r.history, r.conn_state, r.proto], [10000001, 'C\\q', 'Dé\\xff', 'SF', 'udp']);
});

test('feeding 7-byte chunks gives the same rows and skips as one chunk', () => {
  for (const name of ['rita_tsv_conn.log', 'rita_tsv_dns.log', 'rita_tsv_truncated_conn.log', 'rita_tsv_http.log', 'zed_edge_zeek_utf8_json.log']) {
    const whole = decodeFixture(name, { chunkSize: 1 << 24 });
    const chunked = decodeFixture(name, { chunkSize: 7 });
    assert.deepEqual(chunked, whole, name);
  }
});

test('Zeek 7+ conn.log: ip_proto fills the ip_proto column, also for unknown_transport (TSV and JSON alike)', () => {
  const out = decodeFixture('conn_zeek7_ip_proto_written.log');
  assert.deepEqual(out.skips, []);
  const rows = out.rows.connections;
  assert.deepEqual(rows.map((r) => [r.uid, r.proto, r.ip_proto, r.extra]), [['Cab1', 'udp', 17, null], ['Cab2', 'unknown_transport', 47, null]]);
  const json = Buffer.from('{"ts":1714989601.0,"uid":"Cab3","id.orig_h":"192.0.2.10","id.orig_p":0,"id.resp_h":"192.0.2.1","id.resp_p":0,"proto":"unknown_transport","conn_state":"OTH","ip_proto":50}\n');
  const j = decodeAll(zeekJson, json, { inputName: '/logs/conn.log' }).rows.connections;
  assert.deepEqual(j.map((r) => [r.proto, r.ip_proto]), [['unknown_transport', 50]]);
});

test('Log::default_scope_sep "_": id_orig_h... fill the connection key (they sat in extra, the row had no addresses)', () => {
  const out = decodeFixture('conn_scope_sep_written.log');
  assert.deepEqual(out.skips, []);
  assert.deepEqual(
    out.rows.connections.map((r) => [r.orig_h, r.orig_p, r.resp_h, r.resp_p, r.proto, r.community_id, r.conn_state, r.extra]),
    [
      ['192.0.2.20', 49152, '198.51.100.80', 80, 'tcp', communityId('192.0.2.20', '198.51.100.80', 49152, 80, 6), 'SF', null],
      ['2001:db8::20', 5353, 'ff02::fb', 5353, 'udp', communityId('2001:db8::20', 'ff02::fb', 5353, 5353, 17), 'S0', null],
    ],
  );
});

test('zeek-cut -m/-M output (a line of field names, no # header) is read with Zeek types; it was not recognised', () => {
  const buf = fixture('conn_zeek_cut_minimal_written.log');
  assert.equal(zeekTsv.sniff(buf), 0.7);
  assert.equal(zeekTsv.sniff(Buffer.from('name\tvalue\tother\n1\t2\t3\n')), 0);
  const out = decodeAll(zeekTsv, buf, { inputName: '/cases/conn.log.cut' });
  assert.deepEqual(out.skips, []);
  assert.deepEqual(
    out.rows.connections.map((r) => [r.ts, r.uid, r.orig_h, r.resp_p, r.proto, r.service, r.duration, r.orig_bytes, r.conn_state, r.tunnel_parents]),
    [
      [1714989600100000, 'CCut000000000001', '192.0.2.60', 80, 'tcp', 'http', 0.5, 310, 'SF', []],
      [1714989601200000, 'CCut000000000002', '2001:db8::60', 5353, 'udp', null, null, null, 'S0', ['CCut000000000001', 'CCut000000000003']],
      [1714989602300000, 'CCut000000000004', '192.0.2.61', 443, null, null, null, null, 'REJ', null],
    ],
  );
  assert.deepEqual(JSON.parse(out.rows.connections[0].extra as string), { vlan: 20 }); // Zeek's vlan is an int
  assert.equal(out.rows.connections[0].community_id, communityId('192.0.2.60', '198.51.100.80', 51000, 80, 6));
  // After a # directive, a line of names is data (and a bad one), never a header.
  const mixed = decodeAll(zeekTsv, Buffer.concat([fixture('rita_tsv_conn.log'), Buffer.from('ts\tuid\tid.orig_h\n')]));
  assert.ok(mixed.skips.length === 1);
  // Another log's fields named like conn or dns columns keep those columns' types (ssh.log's duration).
  const ssh = decodeAll(zeekTsv, Buffer.from('ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tauth_success\tduration\n1714989600.1\tCSsh00000000001\t192.0.2.7\t50000\t198.51.100.9\t22\tT\t1.5\n'), { inputName: '/cases/ssh.log' });
  assert.deepEqual(ssh.skips, []);
  const data = JSON.parse(ssh.rows.metadata[0].data as string) as Record<string, unknown>;
  assert.deepEqual([data.duration, data.auth_success], [1.5, 'T']);
});

test('zeek-cut -d output: ISO 8601 times with an offset are read (every record was refused as bad_value ts)', () => {
  const out = decodeFixture('conn_zeek_cut_dates_written.log');
  assert.deepEqual(out.rows.connections.map((r) => [r.ts, r.uid]), [
    [Date.UTC(2024, 4, 6, 10, 0, 0) * 1000, 'CDate00000000001'],
    [Date.UTC(2024, 4, 6, 10, 0, 1) * 1000, 'CDate00000000002'],
  ]);
  assert.deepEqual(out.skips.map((s) => [s.reason, s.position, s.detail]), [['bad_value', 11, 'ts']]);
  const m = out.rows.metadata[0];
  assert.deepEqual([m.log, m.ts, JSON.parse(m.data as string).ts], ['http', Date.UTC(2024, 4, 6, 10, 0, 2) * 1000, '2024-05-06T10:00:02+0000']);
});

test('#fields without #types (exporters, hand-cut files): read with the types Zeek gives those fields; rows were skipped as no_header', () => {
  const conn = decodeFixture('conn_fields_no_types_written.log');
  assert.equal(zeekTsv.sniff(fixture('conn_fields_no_types_written.log')), 1);
  // The third row's duration is not a number: typed as Zeek's interval, it is refused, not stored as text.
  assert.deepEqual(conn.skips.map((s) => [s.reason, s.position, s.detail]), [['bad_value', 5, 'duration']]);
  assert.deepEqual(
    conn.rows.connections.map((r) => [r.ts, r.uid, r.orig_h, r.resp_p, r.proto, r.service, r.duration, r.orig_bytes, r.resp_bytes, r.conn_state, r.local_orig, r.orig_pkts, r.tunnel_parents]),
    [
      [1714989700250000, 'CNoTypes00000001', '192.0.2.30', 443, 'tcp', 'ssl', 12.5, 1804, 40212, 'SF', true, 22, []],
      [1714989701500000, 'CNoTypes00000002', '2001:db8::30', 5353, 'udp', null, null, null, null, 'S0', true, 1, ['CNoTypes00000001']],
    ],
  );
  assert.equal(conn.rows.connections[0].community_id, communityId('192.0.2.30', '198.51.100.25', 50514, 443, 6));
  assert.deepEqual(JSON.parse(conn.rows.connections[0].extra as string), { vlan: 120, orig_l2_addr: '00:00:5e:00:53:01' });
  assert.equal(conn.rows.connections[1].extra, null);

  // Only a #fields line, no #path: dns from its fields, lists and flags typed, the auth set in extra.
  const buf = fixture('dns_fields_only_written.log');
  assert.equal(zeekTsv.sniff(buf), 0.8);
  const dns = decodeAll(zeekTsv, buf, { inputName: '-' });
  assert.deepEqual(dns.skips, []);
  assert.deepEqual(
    dns.rows.dns.map((r) => [r.uid, r.trans_id, r.rtt, r.query, r.qtype, r.rcode_name, r.aa, r.rd, r.answers, r.ttls, r.rejected, r.extra]),
    [
      ['CNoTypes00000010', 4711, 0.012, 'www.example.com', 1, 'NOERROR', false, true, ['192.0.2.80', '198.51.100.80'], [300, 60], false, '{"auth":["ns1.example.com","ns2.example.com"]}'],
      ['CNoTypes00000011', 4712, null, 'nothing.example.net', 28, 'NXDOMAIN', false, true, null, null, false, '{"auth":[]}'],
    ],
  );

  // Another log: the key fields typed, everything else kept as text in data.
  const http = decodeAll(zeekTsv, tsv(['#path\thttp', '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tstatus_code\thost', '1714989720.5\tCH1\t192.0.2.30\t50000\t198.51.100.25\t80\t200\twww.example.com']), { inputName: '-' });
  assert.deepEqual(http.skips, []);
  assert.deepEqual(http.rows.metadata.map((r) => [r.log, r.ts, r.orig_h, r.resp_p, JSON.parse(r.data as string)]), [
    ['http', 1714989720500000, '192.0.2.30', 80, { ts: 1714989720.5, uid: 'CH1', 'id.orig_h': '192.0.2.30', 'id.orig_p': 50000, 'id.resp_h': '198.51.100.25', 'id.resp_p': 80, status_code: '200', host: 'www.example.com' }],
  ]);
  // A '#' file whose #fields names no Zeek key field is not taken for Zeek.
  assert.equal(zeekTsv.sniff(Buffer.from('# comment\n#fields\tname\tvalue\tother\n')), 0);
});

test('LogAscii::meta_prefix and the declared separators, unset and empty markers are honoured (the file was not recognised)', () => {
  const buf = fixture('conn_meta_prefix_written.log');
  assert.equal(zeekTsv.sniff(buf), 1);
  const out = decodeFixture('conn_meta_prefix_written.log');
  assert.deepEqual(out.skips, []);
  assert.deepEqual(
    out.rows.connections.map((r) => [r.uid, r.orig_h, r.resp_p, r.proto, r.service, r.duration, r.orig_bytes, r.conn_state, r.history, r.tunnel_parents, r.extra]),
    [
      // '|' separates fields, so a ',' is plain text; an escaped '|' is decoded; EMPTY is an empty set, NULL unset.
      ['CMeta00000000001', '192.0.2.40', 443, 'tcp', 'http,ssl', 3.25, 2048, 'SF', 'ShADadFf', [], '{"note":"a|b"}'],
      // '-' is not the unset marker here: a history of '-' and a note of '-' are text.
      ['CMeta00000000002', '2001:db8::40', 5353, 'udp', null, null, null, 'S0', '-', ['CMeta00000000001', 'CMeta00000000003'], '{"vlan":42,"note":"-"}'],
      ['CMeta00000000004', '192.0.2.41', 22, 'tcp', '', 0.5, 0, 'REJ', 'Sr', [], '{"note":""}'],
    ],
  );
  assert.equal(out.rows.connections[1].community_id, communityId('2001:db8::40', 'ff02::fb', 5353, 5353, 17));
  // A second block with the default '#' prefix after it, and a two-character prefix.
  const both = decodeAll(zeekTsv, Buffer.concat([buf, tsv(CONN_HEADER), tsv(['1.5\tCh\t192.0.2.1\t1\t192.0.2.2\t2\tudp\t-\t-\t-\tS0\t-\t-\t-\t-'])]), { inputName: '-' });
  assert.deepEqual(both.skips, []);
  assert.deepEqual(both.rows.connections.map((r) => r.uid), ['CMeta00000000001', 'CMeta00000000002', 'CMeta00000000004', 'Ch']);
  const hashes = tsv(['##separator \\x09', '##path\tdns', '##fields\tts\tuid\tquery', '##types\ttime\tstring\tstring', '2.5\tCd\texample.com', '##close\t2024']);
  assert.equal(zeekTsv.sniff(hashes), 1);
  const d = decodeAll(zeekTsv, hashes, { inputName: '-' });
  assert.deepEqual([d.skips, d.rows.dns.map((r) => [r.ts, r.uid, r.query])], [[], [[2500000, 'Cd', 'example.com']]]);
  // Lines that only look alike are not separator lines.
  assert.equal(zeekTsv.sniff(Buffer.from('the separator is a tab\n')), 0);
  assert.equal(zeekTsv.sniff(Buffer.from('1separator \\x09\n')), 0);
});

test('Zeek 8 conn.log with the connection id context (id.ctx.vlan, id.ctx.inner_vlan) and ip_proto: context kept in extra', () => {
  const out = decodeFixture('conn_zeek8_ctx_written.log');
  assert.deepEqual(out.skips, []);
  assert.deepEqual(
    out.rows.connections.map((r) => [r.uid, r.orig_h, r.resp_p, r.proto, r.ip_proto, r.orig_bytes, r.state_reason, r.extra]),
    [
      ['CCtx000000000001', '192.0.2.50', 443, 'tcp', 6, 1200, null, '{"id.ctx.vlan":10}'],
      // The same 5-tuple in another VLAN is another connection: both kept, told apart by their context.
      ['CCtx000000000002', '192.0.2.50', 443, 'tcp', 6, 800, null, '{"id.ctx.vlan":20,"id.ctx.inner_vlan":300}'],
      ['CCtx000000000003', '192.0.2.51', 0, 'unknown_transport', 50, null, null, null],
    ],
  );
});

test('conn_long.log (conn-long package): interim records of long connections are connections with state_reason interim', () => {
  const out = decodeFixture('conn_long_written.log');
  assert.deepEqual(out.skips, []);
  assert.equal(out.rows.metadata.length, 0);
  assert.deepEqual(
    out.rows.connections.map((r) => [r.uid, r.duration, r.orig_bytes, r.resp_bytes, r.conn_state, r.state_reason]),
    [
      ['CLong00000000001', 600, 52000, 910000, 'OTH', 'interim'],
      ['CLong00000000001', 1800, 150000, 2700000, 'OTH', 'interim'],
    ],
  );
  // A header cut to #fields says no path: the file's name tells conn_long from conn.
  const text = fixture('conn_long_written.log').toString('latin1').split('\n').filter((l) => !/^#(path|types)/.test(l)).join('\n');
  const named = decodeAll(zeekTsv, Buffer.from(text, 'latin1'), { inputName: '/logs/conn_long.12:00:00-13:00:00.log' });
  assert.deepEqual(named.rows.connections.map((r) => r.state_reason), ['interim', 'interim']);
  const plain = decodeAll(zeekTsv, Buffer.from(text, 'latin1'), { inputName: '/logs/conn.log' });
  assert.deepEqual(plain.rows.connections.map((r) => r.state_reason), [null, null]);
});
