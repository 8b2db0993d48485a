/**
 * DNS transactions from real captures against Zeek's own dns.log for them (btest baselines, with ts
 * and uid masked by Zeek's canonifier): every logged field but the time, uid and 5-tuple is compared,
 * including the fields Zeek leaves unset. The captures run as Zeek ran them: without -C (the
 * baselines of dns53, multiple-txt-strings and zero-responses) Zeek drops packets whose checksum is
 * bad, so the replay does too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readZeekLog, replay, type ZeekRecord } from './dns-test-support.js';

const CASES: { name: string; dropBadChecksums: boolean; why: string }[] = [
  { name: 'zeek_dns53', dropBadChecksums: true, why: 'a response alone: query from the answer, no qtype, RD unset' },
  { name: 'zeek_dns_loc_truncated', dropBadChecksums: false, why: 'ANY query; LOC and RRSIG answers; rtt measured' },
  { name: 'zeek_dns_tcp_tkey', dropBadChecksums: false, why: 'TKEY over TCP across three segments: no logged answer, so no rtt, AA or RA' },
  { name: 'zeek_dns_txt_multiple', dropBadChecksums: true, why: 'the query has a bad checksum, so only the response counts: CNAMEs and a two-string TXT' },
  { name: 'zeek_dns_zero_rrs', dropBadChecksums: true, why: 'a response with only an authority record: rcode set, rtt and AA not' },
];

type Tx = ReturnType<typeof replay>['transactions'][number];

const str = (v: string | number | null) => (v === null ? null : String(v));
const bool = (b: boolean) => (b ? 'T' : 'F');
const interval = (v: number) => v.toFixed(6);

/** Our transaction written as Zeek writes a dns.log row. */
function asZeek(t: Tx): ZeekRecord {
  return {
    proto: t.proto,
    trans_id: str(t.trans_id),
    rtt: t.rtt === null ? null : interval(t.rtt),
    query: t.query,
    qclass: str(t.qclass),
    qclass_name: t.qclass_name,
    qtype: str(t.qtype),
    qtype_name: t.qtype_name,
    rcode: str(t.rcode),
    rcode_name: t.rcode_name,
    AA: bool(t.aa),
    TC: bool(t.tc),
    RD: bool(t.rd),
    RA: bool(t.ra),
    Z: str(t.z),
    answers: t.answers === null ? null : t.answers.join(','),
    TTLs: t.ttls === null ? null : t.ttls.map(interval).join(','),
    rejected: bool(t.rejected),
    opcode: str(t.opcode),
    opcode_name: t.opcode_name,
  };
}

describe('DNS transactions against Zeek`s dns.log baselines', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.why}`, () => {
      const want = readZeekLog(`${c.name}.expected.dns.log`);
      const got = replay(c.name, { dropBadChecksums: c.dropBadChecksums }).transactions;
      assert.equal(got.length, want.length);
      for (let i = 0; i < want.length; i++) {
        const mine = asZeek(got[i]);
        const theirs: ZeekRecord = {};
        for (const k of Object.keys(mine)) theirs[k] = want[i][k];
        assert.deepEqual(mine, theirs);
      }
    });
  }
});
