/**
 * Tests of flow and netflow decoding against values Suricata wrote (suricata-verify expectations):
 * Community IDs (given and recomputed), netflow counters, ICMP type/code as ports, and the Zeek
 * conn_state rule.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { communityId } from '../../model/community-id.js';
import type { Collected } from '../testing.js';
import { zeekConnState } from './eve-conn-state.js';
import { decodeRecords, fixture, json, micros, recordFromMatch, verifyMatches } from './eve-test-support.js';

const TS = '2021-03-04T05:06:07.080910+0000';

describe('suricata-eve flows: Community ID (suricata-verify community-id-ipv6)', () => {
  const records: Record<string, unknown>[] = verifyMatches('sv_community_id_ipv6.expected.test.yaml').map((m) => ({ timestamp: TS, ...recordFromMatch(m) }));

  it('uses the Community ID Suricata wrote; without it, computes one from exactly the tuple Suricata hashed', () => {
    assert.equal(records.length, 4);
    // That test ran with a non-default seed, so a computed (seed 0) ID differs only by the seed.
    const seed = Number(/community-id-seed:\s*(\d+)/.exec(fixture('sv_community_id_ipv6.suricata.yaml').toString('utf8'))![1]);
    assert.equal(seed, 7);
    const given = decodeRecords(records);
    const stripped = decodeRecords(records.map(({ community_id: _cid, ...rest }) => rest));
    const rows = (c: Collected) => [...c.rows.connections, ...c.rows.metadata];
    assert.equal(rows(given).length, 4);
    rows(given).forEach((row, i) => {
      const want = records.find((r) => r.src_port === row.orig_p && r.event_type === (row.log ?? 'flow'))!.community_id;
      assert.equal(row.community_id, want);
      const tuple = [row.orig_h as string, row.resp_h as string, row.orig_p as number, row.resp_p as number, row.ip_proto as number] as const;
      assert.equal(communityId(...tuple, seed), want);
      const computed = rows(stripped)[i];
      assert.deepEqual([computed.orig_h, computed.resp_h, computed.orig_p, computed.resp_p, computed.ip_proto], [...tuple]);
      assert.equal(computed.community_id, communityId(...tuple, 0));
      assert.notEqual(computed.community_id, want);
    });
  });

  it('writes the full-form IPv6 addresses compressed, and maps the flow counters and states', () => {
    const f = decodeRecords(records).rows.connections.find((r) => r.orig_p === 60202)!;
    assert.deepEqual([f.orig_h, f.resp_h, f.resp_p], ['2600:1f13:f8:d400:3a6:303c:e011:18eb', '2607:f8b0:400a:800::200e', 443]);
    assert.deepEqual([f.orig_pkts, f.resp_pkts, f.orig_ip_bytes, f.resp_ip_bytes, f.service], [18, 18, 2439, 28862, 'tls']);
    assert.deepEqual([f.state_reason, f.conn_state], ['closed/shutdown', 'SF']);
    const open = decodeRecords(records).rows.connections.find((r) => r.orig_p === 33892)!;
    assert.deepEqual([open.state_reason, open.conn_state], ['established/shutdown', 'S1']);
  });
});

describe('suricata-eve netflow (suricata-verify netflow-eve)', () => {
  const records = verifyMatches('sv_netflow_eve_testmyids.expected.test.yaml').map((m) => ({ timestamp: TS, flow_id: 99, ...recordFromMatch(m) }));
  const out = decodeRecords(records);

  it('writes each direction as a one-way connection row', () => {
    assert.equal(out.rows.connections.length, 2);
    const [toServer, toClient] = out.rows.connections;
    assert.deepEqual([toServer.orig_h, toServer.orig_p, toServer.resp_h, toServer.resp_p], ['10.16.1.11', 46652, '82.165.177.154', 80]);
    assert.deepEqual([toClient.orig_h, toClient.orig_p, toClient.resp_h, toClient.resp_p], ['82.165.177.154', 80, '10.16.1.11', 46652]);
    assert.deepEqual([toServer.orig_pkts, toServer.orig_ip_bytes, toClient.orig_pkts, toClient.orig_ip_bytes], [6, 425, 4, 495]);
    for (const r of [toServer, toClient]) {
      assert.deepEqual([r.resp_pkts, r.resp_ip_bytes, r.orig_bytes, r.conn_state], [null, null, null, null]);
      assert.equal(r.ts, micros('2016-05-27T06:56:11.304062+0000'));
      assert.equal(r.end_ts, micros('2016-05-27T06:56:11.900923+0000'));
      assert.equal(r.duration, 0.596861);
      assert.equal(r.state_reason, 'netflow');
      assert.equal(r.service, 'http');
      assert.equal(r.uid, '99');
    }
    assert.equal(toServer.community_id, toClient.community_id);
    assert.deepEqual(json(toServer.extra), {
      timestamp: TS,
      netflow: { age: 0, max_ttl: 64, min_ttl: 64 },
      tcp: { ack: true, fin: true, psh: true, syn: true, tcp_flags: '1b' },
    });
  });
});

describe('suricata-eve flows: ICMP', () => {
  // Community IDs from Zeek's community-id btest baselines (test/fixtures/community-id).
  it('uses icmp_type/icmp_code as ports, for the Community ID too', () => {
    const flow = (proto: string, src: string, dst: string, type: number, code: number) => ({
      timestamp: TS, event_type: 'flow', proto, src_ip: src, dest_ip: dst, icmp_type: type, icmp_code: code,
      response_icmp_type: 0, response_icmp_code: 0, flow: { pkts_toserver: 1, pkts_toclient: 1, start: TS, end: TS },
    });
    const out = decodeRecords([
      flow('ICMP', '192.168.0.89', '192.168.0.1', 8, 0),
      flow('IPv6-ICMP', '3ffe:0501:0410:0000:02c0:dfff:fe47:033e', '3ffe:0507:0000:0001:0200:86ff:fe05:80da', 1, 4),
    ]);
    const [v4, v6] = out.rows.connections;
    assert.deepEqual([v4.orig_p, v4.resp_p, v4.proto, v4.ip_proto, v4.community_id, v4.conn_state], [8, 0, 'icmp', 1, '1:X0snYXpgwiv9TZtqg64sgzUn6Dk=', 'OTH']);
    assert.deepEqual([v6.orig_h, v6.resp_h, v6.orig_p, v6.resp_p, v6.proto], ['3ffe:501:410:0:2c0:dfff:fe47:33e', '3ffe:507:0:1:200:86ff:fe05:80da', 1, 4, 'icmp6']);
    assert.equal(v6.community_id, '1:hLZd0XGWojozrvxqE0dWB1iM6R0=');
    assert.deepEqual(json(v4.extra), { timestamp: TS, response_icmp_type: 0, response_icmp_code: 0 });
    assert.equal(v4.duration, 0);
  });
});

describe('Zeek conn_state from Suricata TCP flags', () => {
  const tcp = (ts: number, tc: number) => ({ tcp_flags_ts: ts.toString(16).padStart(2, '0'), tcp_flags_tc: tc.toString(16).padStart(2, '0') });
  const [F, S, R, P, A] = [0x01, 0x02, 0x04, 0x08, 0x10];
  const cases: [string, number, number, number, number, string | null][] = [
    ['SYN, no reply', S, 0, 3, 0, 'S0'],
    ['SYN answered by RST', S, R | A, 1, 1, 'REJ'],
    ['SYN, RST from both', S | R, R | A, 2, 1, 'REJ'],
    ['handshake, no close', S | A | P, S | A | P, 5, 5, 'S1'],
    ['SYN and SYN-ACK only', S, S | A, 1, 1, 'S1'],
    ['normal close', S | A | F | P, S | A | F | P, 9, 8, 'SF'],
    ['normal close, then RST', S | A | F | R, S | A | F, 9, 8, 'SF'],
    ['originator aborts', S | A | R, S | A, 5, 4, 'RSTO'],
    ['responder aborts', S | A, S | A | R, 5, 4, 'RSTR'],
    ['originator closes, responder aborts', S | A | F, S | A | R, 5, 4, 'RSTR'],
    ['SYN then RST, no reply', S | R, 0, 2, 0, 'RSTOS0'],
    ['SYN then FIN, no reply', S | F, 0, 2, 0, 'SH'],
    ['originator closed only', S | A | F, S | A, 5, 4, 'S2'],
    ['responder closed only', S | A, S | A | F, 5, 4, 'S3'],
    ['responder SYN-ACK and FIN, no SYN seen', 0, S | A | F, 0, 2, 'SHR'],
    ['responder SYN-ACK and RST, no SYN seen', 0, S | A | R, 0, 2, 'RSTRH'],
    ['midstream', A | P, A | P, 4, 4, 'OTH'],
    ['established, both RST: payload unknown', S | A | R, S | A | R, 5, 5, null],
  ];
  for (const [name, ts, tc, pts, ptc, want] of cases) {
    it(`${name} -> ${want}`, () => assert.equal(zeekConnState(6, tcp(ts, tc), pts, ptc), want));
  }

  it('follows Zeek for UDP and other transports, and says null without per-direction flags', () => {
    assert.deepEqual([zeekConnState(17, undefined, 1, 1), zeekConnState(17, undefined, 2, 0), zeekConnState(17, undefined, 0, 2)], ['SF', 'S0', 'SHR']);
    assert.equal(zeekConnState(1, undefined, 1, 1), 'OTH');
    assert.equal(zeekConnState(6, { tcp_flags: '1b' }, 1, 1), null);
    assert.equal(zeekConnState(6, { tcp_flags_ts: 'zz', tcp_flags_tc: '1b' }, 1, 1), null);
    assert.equal(zeekConnState(undefined, undefined, 1, 1), null);
  });
});
