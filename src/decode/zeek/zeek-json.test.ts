// Tests of the Zeek JSON decoder against RITA's JSON logs (good and broken) and small synthetic edge cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { communityId } from '../../model/community-id.js';
import { decodeAll, type Collected } from '../testing.js';
import { zeekJson, zeekJsonDecoder } from './zeek-json.js';
import { zeekTsv } from './zeek-tsv.js';

/** Fixtures sit in test/fixtures/zeek at the repo root, four levels above this file once compiled to dist/. */
function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../../../test/fixtures/zeek/${name}`, import.meta.url));
}

function decodeFixture(name: string, opts: { chunkSize?: number } = {}): Collected {
  return decodeAll(zeekJson, fixture(name), { inputName: `/logs/${name}`, ...opts });
}

const lines = (...ls: string[]): Buffer => Buffer.from(ls.join('\n') + '\n');
const EVE =
  '{"timestamp":"2018-01-31T17:45:26.539915+0000","flow_id":1,"event_type":"flow","src_ip":"10.0.0.1",' +
  '"src_port":1,"dest_ip":"10.0.0.2","dest_port":80,"proto":"TCP","uid":"x","ts":1}';

test('sniff: _path or id.orig_h is Zeek JSON, Suricata EVE and prose are not', () => {
  assert.equal(zeekJson.sniff(fixture('rita_json_conn.log')), 0.9);
  assert.equal(zeekJson.sniff(fixture('rita_json_dns.log')), 0.9); // no _path, but id.orig_h
  assert.equal(zeekJson.sniff(fixture('rita_json_conn.log').subarray(0, 150)), 0.9); // cut mid-line
  assert.equal(zeekJson.sniff(lines(EVE)), 0.1);
  assert.equal(zeekJson.sniff(Buffer.from(EVE.slice(0, 120))), 0.1);
  assert.equal(zeekJson.sniff(lines('', '  {"ts":1.5,"uid":"C1","x":1}')), 0.6);
  assert.equal(zeekJson.sniff(lines('{"ts":1.5}')), 0.3);
  assert.equal(zeekJson.sniff(fixture('rita_not_a_log_conn.log')), 0);
  assert.equal(zeekJson.sniff(lines('{not json', '{"_path":"conn"}')), 0);
  assert.equal(zeekTsv.sniff(fixture('rita_json_conn.log')), 0);
});

test('rita JSON conn.log: every row, with exact values', () => {
  const out = decodeFixture('rita_json_conn.log');
  assert.deepEqual(out.skips, []);
  const rows = out.rows.connections;
  assert.equal(rows.length, 29);
  assert.deepEqual(rows[0], {
    ts: 1517422326539915,
    uid: 'CxHo3m4N8uGxrMlcl2',
    community_id: communityId('10.55.100.100', '205.204.101.182', 61843, 80, 6),
    orig_h: '10.55.100.100',
    orig_p: 61843,
    resp_h: '205.204.101.182',
    resp_p: 80,
    proto: 'tcp',
    ip_proto: 6,
    source_type: 'zeek',
    sensor: null,
    ingest_id: 1,
    service: 'http',
    duration: 108.985496,
    orig_bytes: 719,
    resp_bytes: 336,
    conn_state: 'SF',
    local_orig: true,
    local_resp: false,
    missed_bytes: 20,
    history: 'ShADadfF',
    orig_pkts: 10,
    orig_ip_bytes: 1131,
    resp_pkts: 4,
    resp_ip_bytes: 508,
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
  assert.equal(rows[28].uid, 'C5dwJOgEWwpLLN80f');
  assert.equal(rows[28].service, null);
});

test('rita JSON dns.log (no _path): inferred as dns, answers and TTLs as lists', () => {
  const out = decodeFixture('rita_json_dns.log');
  assert.deepEqual(out.skips, []);
  const rows = out.rows.dns;
  assert.equal(rows.length, 34);
  const r = rows[0];
  assert.deepEqual(
    [r.ts, r.uid, r.trans_id, r.rtt, r.query, r.qclass_name, r.qtype, r.qtype_name, r.rcode, r.rcode_name],
    [1517336042279652, 'CVvreZ2AGtqjnP3nnl', 42937, 0.069982, '6dde0175375169c68f.dnsc.r-1x.com', 'C_INTERNET', 16, 'TXT', 0, 'NOERROR'],
  );
  assert.deepEqual([r.aa, r.tc, r.rd, r.ra, r.z, r.rejected], [false, false, true, true, 0, true]);
  assert.deepEqual(r.answers, ['TXT 18 302f017537c68f5169']);
  assert.deepEqual(r.ttls, [60]);
  const last = rows[33];
  assert.deepEqual([last.query, last.aa, last.answers, last.ttls], [
    'geo.settings.data.microsoft.com.akadns.net', true, ['cy2.settings.data.microsoft.com.akadns.net'], [300],
  ]);
});

test('rita JSON http and ssl logs land in metadata', () => {
  const http = decodeFixture('rita_json_http.log').rows.metadata;
  assert.equal(http.length, 10);
  assert.ok(http.every((r) => r.log === 'http'));
  const d = JSON.parse(http[1].data as string) as Record<string, unknown>;
  assert.deepEqual([d.username, d.info_code, d.resp_fuids, d._path], ['johnsmith123', 101, ['FffuTS1nvyhiR3IOsg'], undefined]);
  const ssl = decodeFixture('rita_json_ssl.log').rows.metadata;
  assert.equal(ssl.length, 10);
  assert.equal(ssl[0].ts, 1517422336045390);
  assert.deepEqual((JSON.parse(ssl[0].data as string) as { cert_chain_fuids: string[] }).cert_chain_fuids, [
    'Fboy4loJvroOw6ol', 'F2dOiA4unEM6nUIaL4', 'F2wxVc3kxAHfhJoZD4',
  ]);
});

test('RITA open_conn.log: conn records of still-open connections are interim connections (they were metadata)', () => {
  const open = decodeFixture('rita_json_open_conn.log');
  assert.deepEqual(open.skips, []);
  assert.equal(open.rows.metadata.length, 0);
  assert.equal(open.rows.connections.length, 59);
  assert.ok(open.rows.connections.every((r) => r.state_reason === 'interim' && r.source_type === 'zeek'));
  // Named otherwise (or read from standard input) the same records say they are finished connections.
  const plain = decodeAll(zeekJson, fixture('rita_json_open_conn.log'), { inputName: '-' }).rows.connections;
  assert.ok(plain.length === 59 && plain.every((r) => r.state_reason === null));
});

test('TSV and JSON forms of the same open_conn records decode alike', () => {
  const fromTsv = decodeAll(zeekTsv, fixture('rita_tsv_open_conn.log'), { inputName: 'open_conn.log' }).rows.connections;
  const fromJson = decodeAll(zeekJson, fixture('rita_json_open_conn.log'), { inputName: 'open_conn.log' }).rows.connections;
  assert.equal(fromTsv.length, 59);
  // TSV says (empty) for the tunnel parents, the JSON form leaves the empty set out.
  assert.deepEqual(fromTsv.map((r) => ({ ...r, tunnel_parents: null })), fromJson);
});

test('broken: a truncated last line and an out-of-range port are reported, good rows kept', () => {
  const out = decodeFixture('rita_json_truncated_conn.log');
  assert.deepEqual(out.skips, [
    { reason: 'bad_value', position: 3, detail: 'id.orig_p' },
    { reason: 'truncated', position: 4, detail: undefined },
  ]);
  const rows = out.rows.connections;
  assert.equal(rows.length, 2);
  assert.deepEqual(rows.map((r) => [r.uid, r.community_id, r.service]), [
    ['A9fdsJd8ud03ejlolk', '1:o897Hf8fds7hioHIU8fdsfjhhoHJ', 'ntp'],
    ['Lofds9PJdsaHJFD89f', '1:gdfJIsdf8f4hjoJI439fggfdMujf9', 'dns'],
  ]);
});

test('bad lines: invalid JSON, non-objects and wrongly typed fields are skipped; blank lines ignored', () => {
  const out = decodeAll(zeekJson, lines(
    '{"_path":"conn","ts":1.5,"uid":"Ca","id.orig_h":"10.0.0.1","id.orig_p":"abc"}',
    '{"_path":"conn","ts":"x","uid":"Cb"}',
    '{"_path":"conn",',
    '[1,2]',
    '42',
    '   ',
    '',
    '{"_path":"conn","ts":1.5,"uid":"Cc","orig_bytes":-3}',
    '{"_path":"dns","ts":1.5,"uid":"Cd","answers":"a"}',
    '{"_path":"conn","ts":"2018-01-31T17:45:26.539915Z","uid":"Ce","local_orig":"T"}',
  ), { inputName: '-' });
  assert.deepEqual(out.skips.map((s) => [s.reason, s.position, s.detail]), [
    ['bad_value', 1, 'id.orig_p'],
    ['bad_value', 2, 'ts'],
    ['bad_json', 3, undefined],
    ['not_object', 4, undefined],
    ['not_object', 5, undefined],
    ['bad_value', 8, 'orig_bytes'],
    ['bad_value', 9, 'answers'],
  ]);
  assert.deepEqual(out.rows.connections.map((r) => [r.uid, r.ts, r.local_orig]), [['Ce', 1517420726539915, true]]);
});

test('nested records are flattened; extra keeps only fields without a column', () => {
  const out = decodeAll(zeekJson, lines(
    '{"ts":1.5,"uid":"Ca","id":{"orig_h":"fe80::1","orig_p":135,"resp_h":"ff02::1","resp_p":136},"proto":"icmp",' +
      '"conn_state":"OTH","vlan":7,"orig_l2_addr":"00:11:22:33:44:55","_system_name":"s1","tunnel_parents":["Cx"],' +
      '"community_id":null}',
    '{"ts":2.5,"uid":"Cb","conn_state":"SF","_system_name":"s1","_path":"conn"}',
  ), { inputName: '-' });
  assert.deepEqual(out.skips, []);
  const [a, b] = out.rows.connections;
  assert.deepEqual([a.orig_h, a.orig_p, a.resp_h, a.resp_p, a.proto, a.ip_proto], ['fe80::1', 135, 'ff02::1', 136, 'icmp6', 58]);
  assert.equal(a.community_id, communityId('fe80::1', 'ff02::1', 135, 136, 58));
  assert.deepEqual(JSON.parse(a.extra as string), { vlan: 7, orig_l2_addr: '00:11:22:33:44:55' });
  assert.deepEqual([a.sensor, a.tunnel_parents], ['s1', ['Cx']]);
  assert.deepEqual([b.extra, b.sensor, b.community_id], [null, 's1', null]);
});

test('the log comes from _path, else the fields, else the input name, else unknown', () => {
  const rec = '{"ts":1.5,"uid":"Ca","id.orig_h":"10.0.0.1","method":"GET"}';
  const byName = decodeAll(zeekJson, lines(rec), { inputName: '/zeek/http.2023-01-01-00.log' });
  assert.equal(byName.rows.metadata[0].log, 'http');
  assert.deepEqual(JSON.parse(byName.rows.metadata[0].data as string), { ts: 1.5, uid: 'Ca', 'id.orig_h': '10.0.0.1', method: 'GET' });
  assert.equal(decodeAll(zeekJson, lines(rec), { inputName: '-' }).rows.metadata[0].log, 'unknown');
  const pathWins = decodeAll(zeekJson, lines('{"_path":"weird","ts":1,"query":"x"}'), { inputName: '/zeek/http.log' });
  assert.equal(pathWins.rows.metadata[0].log, 'weird');
  const inferred = decodeAll(zeekJson, lines('{"ts":1,"query":"x.example"}'), { inputName: '/zeek/http.log' });
  assert.equal(inferred.rows.dns[0].query, 'x.example');
});

test('feeding 7-byte chunks gives the same rows and skips as one chunk', () => {
  for (const name of ['rita_json_conn.log', 'rita_json_dns.log', 'rita_json_truncated_conn.log', 'rita_json_ssl.log']) {
    assert.deepEqual(decodeFixture(name, { chunkSize: 7 }), decodeFixture(name, { chunkSize: 1 << 24 }), name);
  }
});

test('sniff: a Zeek log without _path or connection fields (notice.log opening with ts) is recognised', () => {
  const buf = fixture('notice_written.json');
  assert.equal(zeekJson.sniff(buf), 0.55);
  assert.equal(zeekJson.sniff(lines('{"ts":"2024-05-06T10:00:00.000000Z","name":"dns_unmatched_reply","notice":false}')), 0.55);
  assert.equal(zeekJson.sniff(lines('{"ts":"yesterday","a":1,"b":2}')), 0.3);
  assert.equal(zeekJson.sniff(lines('{"a":1,"ts":1.5,"b":2}')), 0.3);
  const out = decodeAll(zeekJson, buf, { inputName: '/logs/notice.log' });
  assert.deepEqual(out.skips, []);
  assert.deepEqual(out.rows.metadata.map((r) => [r.log, r.uid]), [['notice', null], ['notice', null], ['notice', 'CLabUid0000000001']]);
});

test('JSON::TS_MILLIS logs: integer epoch milliseconds are read as times (every record was refused)', () => {
  const buf = fixture('conn_dns_ts_millis_written.json');
  assert.ok(zeekJson.sniff(buf) >= 0.9);
  const out = decodeAll(zeekJson, buf, { inputName: '/logs/zeek.json' });
  assert.deepEqual(out.skips, []);
  assert.deepEqual(out.rows.connections.map((r) => [r.ts, r.uid, r.orig_h, r.duration]), [
    [1714989600123000, 'CMsTs00000000001', '192.0.2.10', 0.012345],
    [1714989601500000, 'CMsTs00000000002', '2001:db8::10', 2.5],
  ]);
  assert.equal(out.rows.connections[0].extra, null);
  assert.deepEqual([out.rows.dns[0].ts, out.rows.dns[0].query, out.rows.dns[0].answers], [1714989600124000, 'www.example.com', ['198.51.100.80']]);
  assert.deepEqual([out.rows.metadata[0].log, out.rows.metadata[0].ts], ['notice', 1714989602000000]);
  // Epoch seconds, with or without a fraction, stay seconds.
  const secs = decodeAll(zeekJson, lines('{"_path":"conn","ts":1714989600,"uid":"C1","id.orig_h":"192.0.2.1","id.orig_p":1,"id.resp_h":"192.0.2.2","id.resp_p":2,"proto":"tcp"}'));
  assert.equal(secs.rows.connections[0].ts, 1714989600000000);
});

test('Log::default_scope_sep "_": id_orig_h... fill the connection key of JSON records too', () => {
  const buf = fixture('dns_scope_sep_written.json');
  assert.ok(zeekJson.sniff(buf) > 0.5);
  const out = decodeAll(zeekJson, buf, { inputName: '/logs/dns.json' });
  assert.deepEqual(out.skips, []);
  const r = out.rows.dns[0];
  assert.deepEqual([r.orig_h, r.orig_p, r.resp_h, r.resp_p, r.query, r.extra], ['192.0.2.20', 40000, '198.51.100.53', 53, 'example.org', null]);
  assert.equal(r.community_id, communityId('192.0.2.20', '198.51.100.53', 40000, 53, 17));
});

test('zeek-kafka tagged lines ({"conn": {...}}) are read as their log (the file was not recognised)', () => {
  const buf = fixture('kafka_tagged_written.json');
  assert.equal(zeekJson.sniff(buf), 0.9);
  const out = decodeAll(zeekJson, buf, { inputName: '/kafka/zeek.json' });
  assert.deepEqual(out.skips, []);
  const c = out.rows.connections[0];
  assert.deepEqual(
    [c.ts, c.uid, c.orig_h, c.orig_p, c.resp_h, c.resp_p, c.service, c.conn_state, c.resp_ip_bytes],
    [1714989600123456, 'CKafka0000000001', '192.0.2.30', 50123, '198.51.100.44', 443, 'ssl', 'SF', 5420],
  );
  assert.deepEqual(JSON.parse(c.extra as string), { sensor_site: 'lab-east' });
  assert.deepEqual([out.rows.dns[0].query, out.rows.dns[0].answers], ['example.net', ['198.51.100.7']]);
  assert.equal(out.rows.metadata[0].log, 'http');
  assert.equal(out.rows.metadata[0].uid, 'CKafka0000000003');
  // An ordinary record with a nested object is not a tag, nor is a line with its own ts.
  const nested = decodeAll(zeekJson, lines('{"ts":1.5,"uid":"C1","id":{"orig_h":"192.0.2.1","orig_p":1,"resp_h":"192.0.2.2","resp_p":2},"conn_state":"S0"}'));
  assert.equal(nested.rows.connections[0].orig_h, '192.0.2.1');
  const own = decodeAll(zeekJson, lines('{"ts":1.5,"x":{"ts":2},"query":"a.example"}'));
  assert.equal(own.rows.dns[0].ts, 1500000);
});

test('a record nested deeper than the stack allows is one decoder_error skip, not a failed input', () => {
  const deep = (open: string, close: string): string => open.repeat(20000) + '1' + close.repeat(20000);
  const good = '{"_path":"conn","ts":1.5,"uid":"C0","id.orig_h":"192.0.2.1","id.orig_p":1,"id.resp_h":"192.0.2.2","id.resp_p":2,"proto":"tcp"}';
  const input = lines(
    good,
    `{"_path":"conn","ts":1.5,"uid":"C1","id.orig_h":"192.0.2.1","deep":${deep('{"a":', '}')}}`,
    `{"_path":"http","ts":1.5,"uid":"C2","deep":${deep('[', ']')}}`,
    `{"_path":"conn","ts":1.5,"uid":"C3","deep":${deep('[', ']')}}`,
    good.replace('C0', 'C4'),
  );
  for (const fastPath of [true, false]) {
    const out = decodeAll({ ...zeekJson, create: (ctx) => zeekJsonDecoder(ctx, fastPath) }, input);
    assert.deepEqual(out.skips.map((s) => [s.reason, s.position]), [['decoder_error', 2], ['decoder_error', 3], ['decoder_error', 4]]);
    assert.deepEqual(out.rows.connections.map((r) => r.uid), ['C0', 'C4']);
    assert.deepEqual(out.rows.metadata, []);
  }
  assert.equal(zeekJson.sniff(Buffer.from(`{"_path":"conn","deep":${deep('{"a":', '}')}}\n`)), 0);
});

test('conn_long JSON: interim connections (fast path and JSON.parse path alike), the VLAN context in extra', () => {
  const buf = fixture('conn_long_written.json');
  const fast = decodeAll(zeekJson, buf, { inputName: '-' });
  const slow = decodeAll({ ...zeekJson, create: (ctx) => zeekJsonDecoder(ctx, false) }, buf, { inputName: '-' });
  assert.deepEqual(fast, slow);
  assert.deepEqual(fast.skips, []);
  assert.deepEqual(
    fast.rows.connections.map((r) => [r.uid, r.orig_h, r.duration, r.resp_bytes, r.state_reason, r.extra]),
    [
      ['CLong00000000001', '192.0.2.60', 600, 910000, 'interim', null],
      ['CLong00000000001', '192.0.2.60', 1800, 2700000, 'interim', null],
      ['CLong00000000002', '2001:db8::60', 600, 8000, 'interim', '{"id.ctx.vlan":30}'],
    ],
  );
  // The final record of the same connection, from conn.log, is not interim.
  const final = decodeFixture('conn_long_final_written.json').rows.connections;
  assert.deepEqual(final.map((r) => [r.uid, r.duration, r.state_reason]), [['CLong00000000001', 2000, null]]);
});
