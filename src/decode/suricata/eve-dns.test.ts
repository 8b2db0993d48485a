/**
 * Tests of EVE DNS decoding in its three formats: Suricata 4.1 output mixing v1 and v2 (elastic sample),
 * Suricata 8 v3 records rebuilt from suricata-verify expectations, and small inline records for the
 * cases the samples lack (NXDOMAIN with authority records, grouped-only answers, SOA/SRV data).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeEve, decodeRecords, fixture, json, micros, recordFromMatch, verifyMatches } from './eve-test-support.js';

const CLIENT = '10.0.2.15';
const SERVER = '10.0.2.3';

describe('suricata-eve DNS: Suricata 4.1.4 sample (v1 queries, v1 split answers, v2 answers)', () => {
  const out = decodeEve(fixture('elastic_suricata_eve_dns_4_1_4.json'));
  const rows = out.rows.dns;
  const requests = rows.filter((r) => r.answers === null);
  const responses = rows.filter((r) => r.answers !== null);

  it('writes one row per query and one per response: 24 events, 10 of them parts of 2 v1 responses', () => {
    assert.equal(rows.length, 16);
    assert.equal(requests.length, 8);
    assert.equal(responses.length, 8);
    assert.deepEqual(out.skips, []);
    assert.equal(out.rows.metadata.length, 0);
  });

  it('maps a query event', () => {
    const q = rows[0];
    assert.deepEqual([q.ts, q.uid, q.trans_id, q.query, q.qtype, q.qtype_name], [micros('2019-08-22T23:48:27.924120+0000'), '885455453886936', 51803, 'google.com', 1, 'A']);
    assert.deepEqual([q.orig_h, q.orig_p, q.resp_h, q.resp_p, q.proto], [CLIENT, 46686, SERVER, 53, 'udp']);
    assert.deepEqual([q.rcode, q.rcode_name, q.rtt, q.ttls], [null, null, null, null]);
    assert.deepEqual(json(q.extra), { in_iface: 'enp0s3', dns: { type: 'query', tx_id: 0 } });
    assert.deepEqual(requests.map((r) => r.qtype_name), ['A', 'AAAA', 'A', 'AAAA', 'A', 'AAAA', 'A', 'AAAA']);
  });

  it('maps a v2 answer with its header flags, answers, TTLs and rtt, client as orig', () => {
    const r = rows.find((x) => x.trans_id === 60273 && x.answers !== null)!;
    assert.equal(r.ts, micros('2019-08-22T23:48:48.901548+0000'));
    assert.deepEqual([r.orig_h, r.orig_p, r.resp_h, r.resp_p], [CLIENT, 50720, SERVER, 53]);
    assert.deepEqual([r.query, r.qtype, r.qtype_name, r.rcode, r.rcode_name], ['www.elastic.co', 1, 'A', 0, 'NOERROR']);
    assert.deepEqual([r.aa, r.tc, r.rd, r.ra, r.z], [false, false, true, true, 0]);
    assert.deepEqual(r.answers, ['dualstack.r2.shared.global.fastly.net', '175.16.199.1', '175.16.199.1', '175.16.199.1', '175.16.199.1']);
    assert.deepEqual(r.ttls, [270, 29, 29, 29, 29]);
    assert.equal(r.rtt, (micros('2019-08-22T23:48:48.901548+0000') - micros('2019-08-22T23:48:48.839495+0000')) / 1e6);
    assert.deepEqual(json(r.extra), { in_iface: 'enp0s3', dns: { version: 2, type: 'answer' } });
  });

  it('writes AAAA answers in compressed form', () => {
    const r = rows.find((x) => x.trans_id === 12859 && x.answers !== null)!;
    assert.deepEqual(r.answers, ['dualstack.r2.shared.global.fastly.net', '2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6', '2a02:cf40:200::729', '2a02:cf40:400::729', '2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6']);
    assert.deepEqual(r.ttls, [269, 29, 29, 29, 29]);
  });

  it('groups the five v1 answer events of one response into one row, with the query from its request', () => {
    const r = rows.find((x) => x.trans_id === 28329 && x.answers !== null)!;
    assert.equal(r.ts, micros('2019-08-23T01:22:31.846575+0000'));
    assert.deepEqual([r.uid, r.orig_h, r.orig_p, r.resp_h, r.resp_p], ['814378410010223', CLIENT, 44773, SERVER, 53]);
    assert.deepEqual([r.query, r.qtype_name, r.qtype, r.rcode_name, r.rcode, r.rd, r.ra, r.aa], ['www.yahoo.com', 'A', 1, 'NOERROR', 0, true, true, false]);
    assert.deepEqual(r.answers, ['atsv2-fp-shed.wg1.b.yahoo.com', '175.16.199.1', '175.16.199.1', '175.16.199.1', '175.16.199.1']);
    assert.deepEqual(r.ttls, [1315, 15, 15, 15, 15]);
    assert.equal(r.rtt, (micros('2019-08-23T01:22:31.846575+0000') - micros('2019-08-23T01:22:31.812655+0000')) / 1e6);
    const aaaa = rows.find((x) => x.trans_id === 7050 && x.answers !== null)!;
    assert.deepEqual([aaaa.qtype_name, aaaa.ttls], ['AAAA', [1268, 53, 53, 53, 53]]);
  });

  it('uses the same Community ID for a query and its response', () => {
    for (const r of responses) {
      const q = requests.find((x) => x.uid === r.uid)!;
      assert.equal(r.community_id, q.community_id);
      assert.match(r.community_id as string, /^1:/);
    }
  });
});

describe('suricata-eve DNS: v3 records written by Suricata 8 (suricata-verify dns-udp-eve-txt)', () => {
  const records = verifyMatches('sv_dns_udp_txt.expected.test.yaml').map((m) => ({ timestamp: '2017-06-08T15:45:58.520996+0000', ...recordFromMatch(m) }));
  const out = decodeRecords(records);

  it('writes the requests, the responses and the two flows', () => {
    assert.equal(out.rows.dns.length, 4);
    assert.equal(out.rows.connections.length, 2);
    assert.deepEqual(out.skips, []);
  });

  it('maps a v3 request', () => {
    const q = out.rows.dns[1];
    assert.deepEqual([q.trans_id, q.query, q.qtype_name, q.qtype, q.answers], [28243, 'google.com', 'TXT', 16, null]);
    assert.deepEqual([q.orig_h, q.orig_p, q.resp_h, q.resp_p], ['10.16.1.11', 52345, '10.16.1.1', 53]);
    assert.deepEqual(json(q.extra), { pcap_cnt: 1, dns: { tx_id: 0, type: 'request' } });
  });

  it('maps a v3 response with its queries, answers and header', () => {
    const [a, txt] = [out.rows.dns[2], out.rows.dns[3]];
    assert.deepEqual([a.trans_id, a.query, a.qtype_name, a.answers, a.ttls], [39372, 'textsecure-service-ca.whispersystems.org', 'A', ['34.197.178.240'], [5]]);
    assert.deepEqual([txt.query, txt.qtype, txt.answers, txt.ttls, txt.rcode, txt.rcode_name], ['google.com', 16, ['v=spf1 include:_spf.google.com ~all'], [3217], 0, 'NOERROR']);
    assert.deepEqual([txt.rd, txt.ra, txt.aa, txt.tc], [true, true, false, false]);
    assert.deepEqual([txt.orig_h, txt.orig_p, txt.resp_h, txt.resp_p], ['10.16.1.11', 52345, '10.16.1.1', 53]);
    assert.deepEqual(json(txt.extra), { pcap_cnt: 2, dns: { type: 'response', version: 3 } });
  });

  it('maps the DNS flows: counters, UDP conn_state, state and reason', () => {
    const f = out.rows.connections[0];
    assert.deepEqual([f.ts, f.end_ts, f.duration], [micros('2017-06-08T15:45:58.520996+0000'), micros('2017-06-08T15:45:58.525601+0000'), 0.004605]);
    assert.deepEqual([f.orig_pkts, f.resp_pkts, f.orig_ip_bytes, f.resp_ip_bytes], [1, 1, 100, 116]);
    assert.deepEqual([f.service, f.conn_state, f.state_reason], ['dns', 'SF', 'established/shutdown']);
  });
});

describe('suricata-eve DNS: inline records', () => {
  const head = { timestamp: '2024-05-01T10:00:00.000100+0200', flow_id: 42, event_type: 'dns', proto: 'UDP' };
  const ask = { ...head, src_ip: '192.0.2.10', src_port: 40000, dest_ip: '192.0.2.53', dest_port: 53 };
  const reply = { ...head, timestamp: '2024-05-01T10:00:00.020100+0200', src_ip: '192.0.2.53', src_port: 53, dest_ip: '192.0.2.10', dest_port: 40000 };

  it('v1: an NXDOMAIN response with an authority record is one row with no answers', () => {
    const out = decodeRecords([
      { ...ask, dns: { type: 'query', id: 7, rrname: 'nope.example', rrtype: 'AAAA', tx_id: 0 } },
      { ...reply, dns: { type: 'answer', id: 7, flags: '8183', qr: true, rd: true, ra: true, rcode: 'NXDOMAIN', rrname: 'nope.example' } },
      { ...reply, dns: { type: 'authority', id: 7, flags: '8183', qr: true, rd: true, ra: true, rcode: 'NXDOMAIN', rrname: 'example', rrtype: 'SOA', ttl: 900 } },
      { ...reply, event_type: 'flow', flow: { pkts_toserver: 1, pkts_toclient: 1 } },
    ]);
    assert.equal(out.rows.dns.length, 2);
    const r = out.rows.dns[1];
    assert.deepEqual([r.query, r.qtype_name, r.qtype, r.rcode, r.rcode_name, r.answers, r.ttls], ['nope.example', 'AAAA', 28, 3, 'NXDOMAIN', [], []]);
    assert.equal(r.ts, Date.UTC(2024, 4, 1, 8, 0, 0) * 1000 + 20100);
    assert.equal(r.rtt, 0.02);
    assert.deepEqual((json(r.extra).dns as Record<string, unknown>).records, [{ type: 'authority', rrname: 'example', rrtype: 'SOA', ttl: 900 }]);
    assert.equal(out.rows.connections.length, 1); // the flow line after the group was not swallowed
  });

  it('v1: an endless run of matching answer records is cut into rows of 4096 instead of growing memory', () => {
    const parts = Array.from({ length: 10_000 }, (_, i) => ({
      ...reply,
      dns: { type: 'answer', id: 9, rcode: 'NOERROR', rrname: 'many.example', rrtype: 'A', ttl: 1, rdata: `198.51.100.${i % 256}` },
    }));
    const out = decodeRecords(parts);
    assert.deepEqual(out.skips, []);
    assert.deepEqual(out.rows.dns.map((r) => (r.answers as string[]).length), [4096, 4096, 1808]);
  });

  it('v1: answers of two responses are not merged, and a response without its request takes its first owner name', () => {
    const out = decodeRecords([
      { ...reply, dns: { type: 'answer', id: 1, flags: '8180', rcode: 'NOERROR', rrname: 'a.example', rrtype: 'CNAME', ttl: 60, rdata: 'b.example' } },
      { ...reply, dns: { type: 'answer', id: 1, flags: '8180', rcode: 'NOERROR', rrname: 'b.example', rrtype: 'A', ttl: 30, rdata: '198.51.100.1' } },
      { ...reply, dns: { type: 'answer', id: 2, flags: '8580', rcode: 'NOERROR', rrname: 'c.example', rrtype: 'A', ttl: 10, rdata: '198.51.100.2' } },
    ]);
    assert.deepEqual(out.rows.dns.map((r) => [r.trans_id, r.query, r.qtype_name, r.answers, r.ttls, r.aa, r.rtt]), [
      [1, 'a.example', null, ['b.example', '198.51.100.1'], [60, 30], false, null],
      [2, 'c.example', null, ['198.51.100.2'], [10], true, null],
    ]);
  });

  it('v2: grouped-only answers have data but no TTLs; a numeric rcode has no name', () => {
    const out = decodeRecords([
      { ...reply, dns: { version: 2, type: 'answer', id: 9, flags: '8182', qr: true, rcode: 'SERVFAIL', rrname: 'x.example', rrtype: 'HTTPS', grouped: { A: ['198.51.100.7'], AAAA: ['2001:0db8:0000:0000:0000:0000:0000:0007'] } } },
      { ...reply, dns: { version: 2, type: 'answer', id: 10, flags: '818c', qr: true, rcode: '12', rrname: 'y.example', rrtype: '999' } },
    ]);
    const [g, n] = out.rows.dns;
    assert.deepEqual([g.answers, g.ttls, g.rcode, g.rcode_name, g.qtype, g.qtype_name], [['198.51.100.7', '2001:db8::7'], null, 2, 'SERVFAIL', 65, 'HTTPS']);
    assert.deepEqual([n.rcode, n.rcode_name, n.qtype, n.qtype_name, n.answers], [12, null, 999, null, []]);
  });

  it('v2/v3: SOA and SRV records are written as zone-file text', () => {
    const soa = { mname: 'ns1.example', rname: 'hostmaster.example', serial: 7, refresh: 7200, retry: 900, expire: 1209600, minimum: 86400 };
    const out = decodeRecords([
      { ...reply, dns: { version: 3, type: 'response', id: 3, rcode: 'NOERROR', queries: [{ rrname: 'example', rrtype: 'SOA' }], answers: [{ rrname: 'example', rrtype: 'SOA', ttl: 5, soa }] } },
      { ...reply, dns: { version: 2, type: 'answer', id: 4, rcode: 'NOERROR', rrname: '_sip._udp.example', rrtype: 'SRV', answers: [{ rrname: '_sip._udp.example', rrtype: 'SRV', ttl: 6, srv: { priority: 10, weight: 5, port: 5060, name: 'sip.example' } }] } },
    ]);
    assert.deepEqual(out.rows.dns.map((r) => [r.answers, r.ttls]), [
      [['ns1.example hostmaster.example 7 7200 900 1209600 86400'], [5]],
      [['10 5 5060 sip.example'], [6]],
    ]);
  });

  it('v3: a message with several queries keeps them in extra and uses the first', () => {
    const queries = [{ rrname: 'one.example', rrtype: 'A' }, { rrname: 'two.example', rrtype: 'MX' }];
    const out = decodeRecords([{ ...ask, dns: { version: 3, type: 'request', id: 5, flags: '0100', rd: true, queries } }]);
    const r = out.rows.dns[0];
    assert.deepEqual([r.query, r.qtype, r.rd, r.ra, r.z], ['one.example', 1, true, false, 0]);
    assert.deepEqual((json(r.extra).dns as Record<string, unknown>).queries, queries);
  });

  it('keeps a dns event of unknown shape as metadata rather than losing it', () => {
    const out = decodeRecords([{ ...ask, dns: { type: 'mystery' } }, { ...ask, dns: 'text' }]);
    assert.deepEqual(out.rows.metadata.map((r) => r.log), ['dns', 'dns']);
    assert.equal(out.rows.dns.length, 0);
  });
});
