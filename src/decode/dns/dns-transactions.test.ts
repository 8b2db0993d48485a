/**
 * Unit tests of DNS transaction pairing on crafted messages, one rule of Zeek's DNS script at a time:
 * pairing in either order, what each side contributes, unmatched messages, timeouts, the pending
 * limits, multicast, and the places we differ from Zeek on purpose (each says why).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeDnsMessage, DnsMessage } from './dns-message.js';
import { craft, rr, u16, u32, wireName } from './dns-test-support.js';
import { type DnsTransaction, type DnsTransactionOptions, DnsTransactions } from './dns-transactions.js';

const MSG = new DnsMessage(); // one message object for everything, as the packet path reuses it

function setup(opts: Partial<DnsTransactionOptions> = {}) {
  const out: DnsTransaction<string>[] = [];
  const tr = new DnsTransactions<string>((tx) => out.push({ ...tx }), opts);
  const feed = (flow: string, tsMs: number, fromOrig: boolean, bytes: Uint8Array, multicast = false) => {
    decodeDnsMessage(bytes, 0, bytes.length, MSG);
    tr.observe(flow, tsMs * 1000, fromOrig, MSG, multicast);
  };
  return { tr, out, feed };
}

const question = (name: string, type = 1) => [...wireName(name), ...u16(type), ...u16(1)];
const query = (id: number, name = 'WWW.Example.com', type = 1, flags = 0x0100) => craft({ id, flags, qd: 1 }, question(name, type));
const response = (id: number, opts: { name?: string; flags?: number; answers?: number[][]; ns?: number[][] } = {}) =>
  craft({ id, flags: opts.flags ?? 0x8180, qd: 1, an: opts.answers?.length ?? 0, ns: opts.ns?.length ?? 0 }, question(opts.name ?? 'www.example.com'), ...(opts.answers ?? []), ...(opts.ns ?? []));
const aRecord = (ip: number[], ttl = 60) => [0xc0, 12, ...rr(1, ip, ttl)];

describe('DnsTransactions: pairing', () => {
  it('pairs a query and its response into one transaction with Zeek`s fields', () => {
    const { out, feed } = setup();
    feed('f1', 1000, true, query(7));
    feed('f1', 1012.5, false, response(7, { answers: [aRecord([10, 0, 0, 1], 300), aRecord([10, 0, 0, 2], 60)] }));
    assert.equal(out.length, 1);
    const t = out[0];
    assert.deepEqual(
      [t.flow, t.ts, t.trans_id, t.rtt, t.query, t.qclass, t.qclass_name, t.qtype, t.qtype_name, t.rcode, t.rcode_name],
      ['f1', 1_000_000, 7, 0.0125, 'www.example.com', 1, 'C_INTERNET', 1, 'A', 0, 'NOERROR'],
    );
    assert.deepEqual([t.aa, t.tc, t.rd, t.ra, t.z, t.rejected, t.opcode, t.opcode_name], [false, false, true, true, 0, false, 0, 'query']);
    assert.deepEqual([t.answers, t.ttls, t.saw_query, t.saw_reply, t.client_is_orig], [['10.0.0.1', '10.0.0.2'], [300, 60], true, true, true]);
  });

  it('pairs a response seen before its query; the transaction dates from the response, with no rtt', () => {
    const { out, feed } = setup();
    feed('f1', 5000, false, response(9, { answers: [aRecord([1, 1, 1, 1])] }));
    assert.equal(out.length, 0);
    feed('f1', 5001, true, query(9));
    assert.equal(out.length, 1);
    assert.deepEqual([out[0].ts, out[0].rtt, out[0].query, out[0].qtype, out[0].rd, out[0].answers], [5_000_000, null, 'www.example.com', 1, true, ['1.1.1.1']]);
  });

  it('matches same-id queries first in, first out, and never across flows', () => {
    const { out, feed, tr } = setup();
    feed('f1', 1, true, query(1, 'one.example'));
    feed('f1', 2, true, query(1, 'two.example'));
    feed('f2', 3, true, query(1, 'other.example'));
    feed('f1', 4, false, response(1, { name: 'one.example', answers: [aRecord([1, 0, 0, 1])] }));
    feed('f1', 5, false, response(1, { name: 'two.example', answers: [aRecord([1, 0, 0, 2])] }));
    assert.deepEqual(out.map((t) => [t.flow, t.query, t.answers![0]]), [
      ['f1', 'one.example', '1.0.0.1'],
      ['f1', 'two.example', '1.0.0.2'],
    ]);
    assert.equal(tr.pendingFlows, 1);
    tr.flush();
    assert.deepEqual(out.slice(2).map((t) => [t.flow, t.query, t.rcode, t.saw_reply]), [['f2', 'other.example', null, false]]);
  });

  it('keeps no reference to the reused DnsMessage', () => {
    const { out, feed } = setup();
    feed('f1', 1, true, query(3, 'first.example'));
    feed('f1', 2, true, query(4, 'second.example'));
    feed('f1', 3, false, response(3, { name: 'first.example', answers: [aRecord([3, 3, 3, 3])] }));
    assert.deepEqual([out[0].query, out[0].answers], ['first.example', ['3.3.3.3']]);
  });
});

describe('DnsTransactions: what each side contributes (Zeek`s script)', () => {
  it('a query never answered: emitted at flush with rcode and answers unset', () => {
    const { out, feed, tr } = setup();
    feed('f1', 1, true, query(5, 'lost.example', 28, 0x0100 | 0x0030));
    tr.flush();
    assert.deepEqual(
      [out[0].query, out[0].qtype_name, out[0].z, out[0].rcode, out[0].rcode_name, out[0].rtt, out[0].answers, out[0].saw_reply],
      ['lost.example', 'AAAA', 3, null, null, null, null, false],
    );
    assert.deepEqual(tr.weirds.toJSON(), { dns_unmatched_msg: 1 });
  });

  it('a response never matched: its query is the first answer`s owner, lowercased; no qtype, RD unset', () => {
    const { out, feed, tr } = setup();
    const r = craft({ id: 8, flags: 0x8580, qd: 1, an: 1 }, question('Mixed.Example.ORG'), aRecord([9, 9, 9, 9]));
    feed('f1', 1, false, r);
    tr.flush();
    assert.deepEqual([out[0].query, out[0].qtype, out[0].qclass, out[0].rd, out[0].aa, out[0].ra, out[0].rtt], ['mixed.example.org', null, null, false, true, true, null]);
    assert.deepEqual(tr.weirds.toJSON(), { dns_unmatched_reply: 1 });
  });

  it('AA, RA and rtt come only with an answer-section record Zeek logs (not from NXDOMAIN with SOA)', () => {
    const { out, feed } = setup();
    const soa = [0xc0, 12, ...rr(6, [...wireName('ns.example'), ...wireName('host.example'), ...u32(1), ...u32(2), ...u32(3), ...u32(4), ...u32(5)])];
    feed('f1', 1, true, query(2));
    feed('f1', 2, false, response(2, { flags: 0x8583, ns: [soa] }));
    assert.deepEqual([out[0].rcode, out[0].rcode_name, out[0].aa, out[0].ra, out[0].rtt, out[0].answers, out[0].rejected], [3, 'NXDOMAIN', false, false, null, null, false]);
  });

  it('TC, RD and Z come from the query, not the response', () => {
    const { out, feed } = setup();
    feed('f1', 1, true, query(2, 'x.example', 1, 0x0000));
    feed('f1', 2, false, response(2, { name: 'x.example', flags: 0x8380 | 0x0070, answers: [aRecord([1, 2, 3, 4])] }));
    assert.deepEqual([out[0].tc, out[0].rd, out[0].z], [false, false, 0]);
  });

  it('rejected: a response with its question and no records, or an error with no question', () => {
    const { out, feed } = setup();
    feed('f1', 1, true, query(1));
    feed('f1', 2, false, response(1, { flags: 0x8185 }));
    feed('f1', 3, true, query(2));
    feed('f1', 4, false, craft({ id: 2, flags: 0x8182 }));
    feed('f1', 5, true, query(3));
    feed('f1', 6, false, response(3, { flags: 0x8180 })); // NOERROR, nothing at all: Zeek calls that rejected too
    assert.deepEqual(out.map((t) => [t.rcode_name, t.rejected]), [
      ['REFUSED', true],
      ['SERVFAIL', true],
      ['NOERROR', true],
    ]);
  });

  it('WKS sets rtt and AA but logs no text; HTTPS is not logged unless allAnswerTypes', () => {
    const https = [0xc0, 12, ...rr(65, [...u16(1), ...wireName('svc.example.net'), 0, 1, 0, 3, 2, 0x68, 0x32])];
    const wks = [0xc0, 12, ...rr(11, [10, 0, 0, 1, 6, 0])];
    for (const all of [false, true]) {
      const { out, feed } = setup({ allAnswerTypes: all });
      feed('f1', 1, true, query(4, 'www.example.com', 65));
      feed('f1', 3, false, response(4, { flags: 0x8580, answers: [https] }));
      feed('f1', 4, true, query(5));
      feed('f1', 6, false, response(5, { flags: 0x8580, answers: [wks] }));
      assert.deepEqual(out.map((t) => [t.answers, t.rtt, t.aa]), [
        all ? [['svc.example.net'], 0.002, true] : [null, null, false],
        [null, 0.002, true],
      ]);
    }
  });

  it('keeps the query case as sent when asked (Zeek lowercases)', () => {
    const { out, feed } = setup({ lowercaseQuery: false });
    feed('f1', 1, true, query(1, 'CaSe.Example'));
    feed('f1', 2, false, response(1, { answers: [aRecord([1, 2, 3, 4])] }));
    assert.equal(out[0].query, 'CaSe.Example');
  });

  it('a damaged message still counts with what was decoded, as in Zeek (junk query, FORMERR reply)', () => {
    const { out, feed } = setup();
    feed('f1', 1, true, craft({ id: 0x3040, flags: 0x0000, qd: 816 }, [1, 2, 3]));
    feed('f1', 2, false, craft({ id: 0x3040, flags: 0x8081 }));
    assert.deepEqual(out.map((t) => [t.trans_id, t.query, t.rcode_name, t.rejected]), [[0x3040, null, 'FORMERR', true]]);
    feed('f1', 3, true, Uint8Array.from([1, 2, 3])); // shorter than a header: ignored
    assert.equal(out.length, 1);
  });

  it('differs on purpose: the rcode includes the EDNS extended bits, so BADVERS shows', () => {
    // Zeek logs the header's 4 bits only (0, NOERROR, for this reply); the 12-bit code is what the
    // server said, and Zeek's own rcode table names it (BADVERS = 16).
    const { out, feed } = setup();
    feed('f1', 1, true, query(6));
    const opt = [0, ...rr(41, [], 1 << 24, 1232)];
    feed('f1', 2, false, craft({ id: 6, flags: 0x8180, qd: 1, ar: 1 }, question('www.example.com'), opt));
    assert.deepEqual([out[0].rcode, out[0].rcode_name], [16, 'BADVERS']);
  });

  it('differs on purpose: opcodes Zeek ignores leave the pending transaction alone', () => {
    // Zeek's dns_end marks whatever transaction is current as seen, so an IQUERY reply can log a
    // pending query as answered and log it again later; we ignore such messages entirely.
    const { out, feed, tr } = setup();
    feed('f1', 1, true, query(1));
    feed('f1', 2, false, craft({ id: 1, flags: 0x8000 | (1 << 11) }));
    assert.equal(out.length, 0);
    feed('f1', 3, false, response(1, { answers: [aRecord([5, 5, 5, 5])] }));
    tr.flush();
    assert.deepEqual(out.map((t) => t.answers), [['5.5.5.5']]);
  });
});

describe('DnsTransactions: time and limits', () => {
  it('emits a flow`s pending queries once it has been idle 10 s (Zeek`s dns_session_timeout)', () => {
    // Idle flows are looked for at most once per second of capture time (sweepIntervalMicros).
    const { out, feed, tr } = setup();
    feed('f1', 0, true, query(1));
    feed('f2', 9_900, true, query(2));
    assert.equal(out.length, 0);
    feed('f3', 10_950, true, query(3));
    assert.deepEqual(out.map((t) => t.flow), ['f1']);
    tr.expire(30_000_000);
    assert.deepEqual(out.map((t) => t.flow), ['f1', 'f2', 'f3']);
    assert.equal(tr.pendingFlows, 0);
  });

  it('endFlow emits that flow`s unmatched messages: query, then other queries, then replies', () => {
    const { out, feed, tr } = setup();
    feed('f1', 1, true, query(1, 'a.example'));
    feed('f1', 2, true, query(2, 'b.example'));
    feed('f1', 3, false, response(9, { name: 'z.example', answers: [aRecord([1, 1, 1, 1])] }));
    feed('f2', 4, true, query(1));
    tr.endFlow('f1');
    assert.deepEqual(out.map((t) => [t.query, t.saw_query, t.saw_reply]), [
      ['a.example', true, false],
      ['b.example', true, false],
      ['z.example', false, true],
    ]);
    assert.equal(tr.pendingFlows, 1);
  });

  it('caps pending ids per flow at 50 and queued messages per id at 50, emitting the overflow unmatched', () => {
    const { out, feed, tr } = setup();
    for (let id = 0; id < 53; id++) feed('f1', 1, true, query(id));
    // The first query takes the fast path; ids 1..52 queue: at the 53rd distinct id (> 50) all are flushed.
    assert.equal(out.length, 51);
    assert.deepEqual(tr.weirds.toJSON(), { dns_unmatched_msg: 51, dns_unmatched_msg_quantity: 1 });
    const same = setup();
    for (let i = 0; i < 60; i++) same.feed('f1', 1, true, query(77));
    // The first takes the fast path; the queue for id 77 is flushed (51 queries) when the 53rd arrives.
    assert.equal(same.out.length, 51);
  });

  it('bounds the flows held: past maxFlows the oldest flow is emitted', () => {
    const { out, feed, tr } = setup({ maxFlows: 3 });
    for (let i = 0; i < 5; i++) feed(`f${i}`, 1, true, query(i));
    assert.deepEqual(out.map((t) => t.flow), ['f0', 'f1']);
    assert.equal(tr.pendingFlows, 3);
    assert.equal(tr.weirds.toJSON().DNS_state_evicted, 2);
  });

  it('multicast (mDNS): every message is its own transaction, emitted at once', () => {
    const { out, feed, tr } = setup();
    feed('m', 1, true, query(0, 'printer.local', 12), true);
    feed('m', 2, false, response(0, { name: 'printer.local', answers: [[0xc0, 12, ...rr(12, wireName('Office._ipp._tcp.local'))]] }), true);
    assert.deepEqual(out.map((t) => [t.query, t.qtype_name, t.answers, t.saw_query && t.saw_reply]), [
      ['printer.local', 'PTR', null, true],
      ['printer.local', null, ['office._ipp._tcp.local'], true],
    ]);
    assert.equal(tr.pendingFlows, 0);
  });
});
