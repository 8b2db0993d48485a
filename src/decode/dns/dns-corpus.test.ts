/**
 * The decoder against real captures (test/fixtures/dns, extracted by extract.sh) and three independent
 * oracles: tshark's own decoding of every message (header, questions, every record's name, type and
 * TTL, and the data of each common type), tcpdump's printed output from the tcpdump test suite, and the
 * expectations suricata-verify checks Suricata's eve.json against.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { qtypeName, rcodeName } from './dns-codes.js';
import { decodeDnsMessage, DnsMessage } from './dns-message.js';
import { fixturePath, type MessageSnapshot, readPayloads, readTshark, replay } from './dns-test-support.js';

const CAPTURES = [
  'gopacket_test_dns',
  'sv_dns_corrupt_additionals',
  'sv_dns_incomplete',
  'sv_dns_nxdomain_soa',
  'sv_dns_reversed_tcp',
  'sv_dns_tcp_ts_gap',
  'sv_dns_truncated_rname',
  'sv_dns_udp_junkrequest_first',
  'sv_dns_udp_txt',
  'sv_dns_unsolicited_response',
  'sv_ethernet_eve_dns_flow_netflow',
  'tcpdump_dns_badlabel',
  'tcpdump_dns_tcp',
  'tcpdump_dns_udp',
  'tcpdump_edns_opts',
  'zeek_dns53',
  'zeek_dns_corrupt',
  'zeek_dns_loc_truncated',
  'zeek_dns_tcp_tkey',
  'zeek_dns_txt_multiple',
  'zeek_dns_zero_rrs',
  'zeek_pcapng_multi_interface',
];

const bit = (b: boolean) => (b ? '1' : '0');
const hex4 = (n: number) => '0x' + n.toString(16).padStart(4, '0');
const rootName = (s: string) => (s === '' ? '<Root>' : s);

/** The values tshark would print for our decoding of the messages completed in one frame. */
function ours(ms: MessageSnapshot[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (k: string, v: string | number) => (out[k] ??= []).push(String(v));
  for (const m of ms) {
    add('dns.id', hex4(m.id));
    add('dns.flags.response', bit(m.qr));
    add('dns.flags.opcode', m.opcode);
    add('dns.flags.truncated', bit(m.tc));
    add('dns.flags.recdesired', bit(m.rd));
    add('dns.flags.z', bit((m.z & 4) !== 0));
    add('dns.flags.authenticated', bit((m.z & 2) !== 0));
    add('dns.flags.checkdisable', bit((m.z & 1) !== 0));
    if (m.qr) {
      add('dns.flags.authoritative', bit(m.aa));
      add('dns.flags.recavail', bit(m.ra));
      add('dns.flags.rcode', m.rcode & 15);
    }
    add('dns.count.queries', m.counts[0]);
    add('dns.count.answers', m.counts[1]);
    add('dns.count.auth_rr', m.counts[2]);
    add('dns.count.add_rr', m.counts[3]);
    for (const q of m.questions) {
      add('dns.qry.name', rootName(q.name));
      add('dns.qry.type', q.qtype);
      add('dns.qry.class', hex4(q.qclass & 0x7fff));
    }
    for (const r of m.records) {
      add('dns.resp.name', rootName(r.name));
      add('dns.resp.type', r.type);
      if (r.type !== 41) add('dns.resp.ttl', r.ttl);
      if (r.type !== 41) add('dns.resp.class', hex4(r.rclass & 0x7fff));
      const byType: Record<number, string> = { 1: 'dns.a', 28: 'dns.aaaa', 5: 'dns.cname', 2: 'dns.ns', 12: 'dns.ptr.domain_name', 15: 'dns.mx.mail_exchange', 6: 'dns.soa.mname', 33: 'dns.srv.target' };
      if (byType[r.type]) add(byType[r.type], r.text);
      if (r.type === 16) for (const s of txtStrings(r.text)) add('dns.txt', s);
      if (r.type === 46) {
        const [, covered, signer] = r.text.split(' ');
        add('dns.rrsig.type_covered', covered);
        add('dns.rrsig.signers_name', signer);
      }
    }
    if (m.edns) {
      add('dns.rr.udp_payload_size', m.edns.udpSize);
      add('dns.resp.ext_rcode', '0x' + m.edns.extRcode.toString(16).padStart(2, '0'));
      add('dns.resp.z.do', bit(m.edns.do));
    }
  }
  return out;
}

/** The strings of a rendered TXT record ("TXT 3 abc TXT 2 de"). */
function txtStrings(text: string): string[] {
  const out: string[] = [];
  let p = 0;
  while (p < text.length) {
    const sp = text.indexOf(' ', p + 4);
    const n = Number(text.slice(p + 4, sp));
    out.push(text.slice(sp + 1, sp + 1 + n));
    p = sp + 1 + n + 1;
  }
  return out;
}

// Fields tshark writes whatever the case of the name; we lowercase names in record data, as Zeek does.
const CASELESS = new Set(['dns.cname', 'dns.ns', 'dns.ptr.domain_name', 'dns.mx.mail_exchange', 'dns.soa.mname', 'dns.srv.target', 'dns.rrsig.signers_name']);

// The damaged messages in the corpus and how decoding them ends; every other message decodes fully.
const DAMAGE: Record<string, string> = {
  'sv_dns_corrupt_additionals:2': 'bad_rdata_length', // the OPT record's length runs past the packet
  'sv_dns_truncated_rname:6': 'too_many_records', // 1500 questions
  'sv_dns_udp_junkrequest_first:1': 'too_many_records', // an SNMP packet read as DNS: 816 questions
  'tcpdump_dns_badlabel:1': 'too_many_records', // 64259 questions
};

describe('DNS decoder against tshark, message by message, over every capture', () => {
  for (const name of CAPTURES) {
    it(name, () => {
      const run = replay(name);
      const byFrame = new Map<number, MessageSnapshot[]>();
      for (const m of run.messages) (byFrame.get(m.frame) ?? byFrame.set(m.frame, []).get(m.frame)!).push(m);
      const rows = readTshark(name);
      assert.ok(rows.length > 0);
      let compared = 0;
      for (const row of rows) {
        const frame = Number(row['frame.number'][0]);
        const ms = byFrame.get(frame) ?? [];
        assert.ok(ms.length > 0, `frame ${frame}: tshark saw DNS, we decoded no message`);
        const mine = ours(ms);
        const damage = DAMAGE[`${name}:${frame}`];
        assert.deepEqual(ms.map((m) => m.result), [damage ?? 'ok'], `frame ${frame}`);
        for (const [field, theirs] of Object.entries(row)) {
          if (field === 'frame.number' || field === '_ws.expert.message') continue;
          // tshark leaves some flags out for queries (AA, RA, rcode; AD at times).
          if (theirs.length === 0 && field.startsWith('dns.flags')) continue;
          const got = (mine[field] ?? []).map((v) => (CASELESS.has(field) ? v.toLowerCase() : v));
          const want = theirs.map((v) => (CASELESS.has(field) ? v.toLowerCase() : v));
          const header = field === 'dns.id' || field.startsWith('dns.flags') || field.startsWith('dns.count');
          if (damage === undefined || header) assert.deepEqual(got, want, `frame ${frame} ${field}`);
          else {
            // In a damaged message both decoders stop somewhere: what both list must agree.
            const n = Math.min(got.length, want.length);
            assert.deepEqual(got.slice(0, n), want.slice(0, n), `frame ${frame} ${field} (damaged)`);
          }
          compared++;
        }
      }
      assert.ok(compared > 0);
    });
  }
});

describe('DNS decoder against tcpdump`s printed output', () => {
  // tcpdump -n prints "ID<flags> [counts] type? name. (len)" for queries and
  // "ID<flags> an/ns/ar answers (len)" for responses; '+' is RD, '*' AA, '-' RA clear, '|' TC.
  const parse = (file: string) =>
    readFileSync(fixturePath(file), 'utf8')
      .split('\n')
      .map((l) => /^\s*(\d+)\s.*?(?:: |length \d+ )(\d+)([+*|$-]*) (.*) \((\d+)\)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ frame: Number(m[1]), id: Number(m[2]), flags: m[3], rest: m[4], len: Number(m[5]) }));

  for (const name of ['tcpdump_dns_udp', 'tcpdump_dns_tcp', 'tcpdump_edns_opts']) {
    it(name, () => {
      const lines = parse(`${name}.expected.tcpdump.txt`);
      const msgs = new Map(replay(name).messages.map((m) => [m.frame, m]));
      assert.equal(lines.length, msgs.size);
      for (const l of lines) {
        const m = msgs.get(l.frame)!;
        assert.ok(m, `frame ${l.frame}`);
        assert.equal(m.id, l.id);
        if (!m.qr) {
          assert.equal(l.flags.includes('+'), m.rd);
          const q = /^(?:\[(\d+)au\] )?(\w+)\? (\S*)\.$/.exec(l.rest)!;
          assert.equal(Number(q[1] ?? 0), m.counts[3]);
          assert.equal(q[2], m.questions[0].qtype === 1 ? 'A' : String(m.questions[0].qtype));
          assert.equal(q[3], m.questions[0].name);
        } else {
          assert.deepEqual([l.flags.includes('*'), !l.flags.includes('-'), l.flags.includes('|')], [m.aa, m.ra, m.tc]);
          const [counts, ...answers] = l.rest.split(/ (?=[A-Z])/);
          assert.equal(counts, `${m.counts[1]}/${m.counts[2]}/${m.counts[3]}`);
          const printed = answers.join(' ').split(', ');
          const mine = m.records.filter((r) => r.section === 1).map((r) => (r.type === 1 ? `A ${r.text}` : r.type === 46 ? 'RRSIG' : `?${r.type}`));
          assert.deepEqual(mine, printed);
        }
        const raw = readPayloads(name).find((r) => r.frame === l.frame)!;
        assert.equal(raw.transport === 'tcp' ? raw.payload.length - 2 : raw.payload.length, l.len);
      }
    });
  }

  it('tcpdump_dns_badlabel: the header tcpdump prints (id, opcode, flags, 64259 questions); we stop at Zeek`s limit', () => {
    const line = readFileSync(fixturePath('tcpdump_dns_badlabel.expected.tcpdump.txt'), 'utf8');
    assert.match(line, / 51584 zoneRef NoChange\*\|\$ \[64259q\] /);
    const [m] = replay('tcpdump_dns_badlabel').messages;
    // zoneRef is opcode 15, NoChange rcode 15, '*' AA, '|' TC, '$' AD.
    assert.deepEqual([m.id, m.opcode, m.rcode, m.aa, m.tc, (m.z & 2) !== 0, m.counts[0]], [51584, 15, 15, true, true, true, 64259]);
    assert.deepEqual([m.result, m.weirds], ['too_many_records', ['DNS_Conn_count_too_large']]);
    // Without the question limit the first name runs past 255 bytes: tcpdump prints its labels on and
    // on, tshark says "<Name too long>"; we stop there.
    const raw = readPayloads('tcpdump_dns_badlabel')[0].payload;
    const msg = new DnsMessage();
    decodeDnsMessage(raw, 0, raw.length, msg, { maxQuestions: 65535, maxRecordsPerSection: 1000, maxRecords: 3000 });
    assert.deepEqual([msg.result, msg.weirds], ['name_too_long', ['DNS_NAME_too_long']]);
  });
});

// suricata-verify checks Suricata's eve.json with filters: `count` events must match every key of
// `match`. Each DNS filter is checked against our messages with the keys mapped to what we decode
// (pcap_cnt is the frame); keys about things outside the decoder (addresses, flow, Suricata's own
// counters) are left out, and a filter with any other key is not applicable (the tests below say why).
const IGNORED = /^(src_port|dest_port|proto|event_type|dns\.tx_id|dns\.version|ether\..*|dns\.authorities\[0\]\.soa\.(rname|serial|refresh|retry|expire|minimum))$/;

type Packets = Map<number, { src: string; dst: string }>;

function suricataValue(m: MessageSnapshot, key: string, packets: Packets): string | number | boolean | undefined {
  const an = m.records.filter((r) => r.section === 1);
  const ns = m.records.filter((r) => r.section === 2);
  const rdata = (r: { type: number; text: string } | undefined) => (r === undefined ? undefined : r.type === 16 ? txtStrings(r.text).join('') : r.text);
  const flags = (Number(m.qr) << 15) | (m.opcode << 11) | (Number(m.aa) << 10) | (Number(m.tc) << 9) | (Number(m.rd) << 8) | (Number(m.ra) << 7) | (m.z << 4) | (m.rcode & 15);
  switch (key) {
    case 'pcap_cnt': return m.frame;
    case 'src_ip': return packets.get(m.frame)?.src;
    case 'dest_ip': return packets.get(m.frame)?.dst;
    case 'dns.type': return m.qr ? 'response' : 'request';
    case 'dns.id': return m.id;
    case 'dns.qr': return m.qr;
    case 'dns.rd': return m.rd;
    case 'dns.ra': return m.ra;
    case 'dns.flags': return flags.toString(16);
    case 'dns.rcode': return rcodeName(m.rcode);
    case 'dns.queries[0].rrname': return m.questions[0]?.name;
    case 'dns.queries[0].rrtype': return m.questions[0] === undefined ? undefined : qtypeName(m.questions[0].qtype);
    case 'dns.answers.__len': return an.length;
    case 'dns.answers[0].rrname': return an[0]?.name;
    case 'dns.answers[0].rrtype': return an[0] === undefined ? undefined : qtypeName(an[0].type);
    case 'dns.answers[0].ttl': return an[0]?.ttl;
    case 'dns.answers[0].rdata': return rdata(an[0]);
    case 'dns.grouped.A[0]': return rdata(an.find((r) => r.type === 1));
    case 'dns.grouped.TXT[0]': return rdata(an.find((r) => r.type === 16));
    case 'dns.authorities[0].rrname': return ns[0]?.name;
    case 'dns.authorities[0].rrtype': return ns[0] === undefined ? undefined : qtypeName(ns[0].type);
    case 'dns.authorities[0].ttl': return ns[0]?.ttl;
    case 'dns.authorities[0].soa.mname': return ns[0]?.text;
    default: return undefined;
  }
}

interface SvFilter {
  count: number;
  match: Record<string, unknown>;
  requires?: { 'min-version'?: number; 'lt-version'?: number };
}

describe('DNS decoder against suricata-verify`s eve.json checks', () => {
  const files: [string, number][] = [
    // [capture, DNS filters that apply]
    ['sv_dns_udp_txt', 4],
    ['sv_dns_nxdomain_soa', 1],
    ['sv_dns_corrupt_additionals', 1],
    ['sv_dns_incomplete', 1],
    // Suricata logs this mid-stream response in the flow's client-to-server orientation, not the
    // packet's; orienting the 5-tuple is the flow table's business, so its address filter is left out.
    ['sv_dns_reversed_tcp', 2],
    ['sv_dns_tcp_ts_gap', 2],
    ['sv_dns_udp_junkrequest_first', 1],
    ['sv_dns_unsolicited_response', 2],
    ['sv_ethernet_eve_dns_flow_netflow', 3],
  ];
  for (const [name, applicable] of files) {
    it(name, () => {
      const doc = parseYaml(readFileSync(fixturePath(`${name}.expected.test.yaml`), 'utf8')) as { checks: { filter: SvFilter }[] };
      const ms = replay(name).messages;
      const packets: Packets = new Map(readPayloads(name).map((r) => [r.frame, r]));
      const typeName: Record<string, string> = { query: 'request', answer: 'response' }; // Suricata < 8 names
      let used = 0;
      for (const { filter } of doc.checks) {
        if (filter.match.event_type !== 'dns') continue;
        if ((filter.requires?.['lt-version'] ?? 99) <= 8) continue; // checks for Suricata before 8
        const keys = Object.keys(filter.match).filter((k) => !IGNORED.test(k));
        if (name === 'sv_dns_reversed_tcp' && keys.some((k) => k.endsWith('_ip'))) continue;
        const supported = (k: string) => k === 'pcap_cnt' || k.endsWith('_ip') || (k.startsWith('dns.') && !/truncated|rrname\.__len/.test(k));
        if (!keys.every(supported)) continue;
        used++;
        const want = (k: string) => String(k === 'dns.type' ? (typeName[filter.match[k] as string] ?? filter.match[k]) : filter.match[k]);
        const matching = ms.filter((m) => keys.every((k) => String(suricataValue(m, k, packets)) === want(k)));
        assert.equal(matching.length, filter.count, `${JSON.stringify(filter.match)}`);
      }
      assert.equal(used, applicable);
    });
  }
});

describe('DNS decoder against suricata-verify expectations, in detail', () => {
  const requests = (ms: MessageSnapshot[]) => ms.filter((m) => !m.qr);
  const responses = (ms: MessageSnapshot[]) => ms.filter((m) => m.qr);

  it('sv_dns_udp_txt: requests, responses, flags 8180, answers with rrname, type, ttl and data', () => {
    const ms = replay('sv_dns_udp_txt').messages;
    const req = requests(ms).map((m) => [m.frame, m.id, m.questions[0].name, m.questions[0].qtype]);
    assert.deepEqual(req, [
      [1, 28243, 'google.com', 16],
      [3, 39372, 'textsecure-service-ca.whispersystems.org', 1],
    ]);
    const [txt, a] = responses(ms);
    assert.deepEqual([txt.frame, txt.id, txt.qr, txt.rd, txt.ra, txt.rcode], [2, 28243, true, true, true, 0]);
    assert.deepEqual(txt.records[0], { section: 1, name: 'google.com', type: 16, rclass: 1, ttl: 3217, text: 'TXT 35 v=spf1 include:_spf.google.com ~all', zeekReply: true });
    assert.deepEqual([a.frame, a.id, a.records[0].name, a.records[0].type, a.records[0].ttl, a.records[0].text], [4, 39372, 'textsecure-service-ca.whispersystems.org', 1, 5, '34.197.178.240']);
    const raw = readPayloads('sv_dns_udp_txt').find((r) => r.frame === 4)!.payload;
    assert.equal(Buffer.from(raw.subarray(2, 4)).toString('hex'), '8180');
  });

  it('sv_dns_nxdomain_soa: NXDOMAIN with the SOA authority record', () => {
    const [, r] = replay('sv_dns_nxdomain_soa').messages;
    assert.equal(r.rcode, 3);
    const soa = r.records.find((x) => x.section === 2)!;
    assert.deepEqual([soa.name, soa.type, soa.ttl, soa.text], ['oisf.net', 6, 899, 'ns-110.awsdns-13.com']);
  });

  it('sv_dns_corrupt_additionals: answers logged although the additional record is corrupt', () => {
    const [q, r] = replay('sv_dns_corrupt_additionals').messages;
    assert.equal(q.questions[0].qtype, 33);
    assert.equal(r.result, 'bad_rdata_length');
    assert.deepEqual(r.records.map((x) => [x.name, x.text]), [
      ['_sip._udp.sip.voice.google.com', 'sip-anycast-2.voice.google.com'],
      ['_sip._udp.sip.voice.google.com', 'sip-anycast-1.voice.google.com'],
    ]);
  });

  it('sv_dns_incomplete: a TCP query split over two segments is decoded (google.com, once)', () => {
    const ms = replay('sv_dns_incomplete').messages;
    assert.equal(requests(ms).filter((m) => m.questions[0]?.name === 'google.com').length, 1);
    assert.deepEqual(requests(ms).map((m) => [m.frame, m.questions[0].name]), [
      [5, 'google.net'],
      [11, 'google.com'],
    ]);
  });

  it('sv_dns_reversed_tcp: a TCP response seen mid-stream, no query', () => {
    const ms = replay('sv_dns_reversed_tcp').messages;
    assert.deepEqual([requests(ms).length, responses(ms).length], [0, 1]);
  });

  it('sv_dns_tcp_ts_gap: a gap in the client direction; 2 requests and 3 responses of 12 answers', () => {
    const run = replay('sv_dns_tcp_ts_gap');
    assert.equal(run.tcp.gaps, 1);
    assert.equal(requests(run.messages).length, 2);
    assert.deepEqual(responses(run.messages).map((m) => m.records.filter((r) => r.section === 1).length), [12, 12, 12]);
  });

  it('sv_dns_udp_junkrequest_first: junk first, then catenacyber.Fr (case kept in the message)', () => {
    const ms = replay('sv_dns_udp_junkrequest_first').messages;
    assert.deepEqual(requests(ms).filter((m) => m.questions.length > 0).map((m) => m.questions[0].name), ['catenacyber.Fr']);
    assert.equal(ms[0].result, 'too_many_records'); // the junk claims 816 questions
  });

  it('sv_dns_unsolicited_response: one request, two responses', () => {
    const ms = replay('sv_dns_unsolicited_response').messages;
    assert.deepEqual([requests(ms).length, responses(ms).length], [1, 2]);
  });

  it('sv_ethernet_eve_dns_flow_netflow: 5 requests from and 5 responses to 10.16.1.11', () => {
    const run = replay('sv_ethernet_eve_dns_flow_netflow');
    const rows = readPayloads('sv_ethernet_eve_dns_flow_netflow');
    const src = new Map(rows.map((r) => [r.frame, r.src]));
    const dst = new Map(rows.map((r) => [r.frame, r.dst]));
    assert.equal(requests(run.messages).filter((m) => src.get(m.frame) === '10.16.1.11').length, 5);
    assert.equal(responses(run.messages).filter((m) => dst.get(m.frame) === '10.16.1.11').length, 5);
  });

  it('sv_dns_truncated_rname: 1500 questions; Suricata logs a 1025-char truncated name, we stop sooner', () => {
    // Suricata caps logged names at 1025 characters; Zeek and we refuse more than 25 questions, and
    // even with that limit lifted the first name exceeds DNS's 255-byte limit, which ends decoding.
    const run = replay('sv_dns_truncated_rname');
    const [m] = run.messages;
    assert.deepEqual([m.counts[0], m.result, m.questions.length], [1500, 'too_many_records', 0]);
    const tcp = readPayloads('sv_dns_truncated_rname').filter((r) => r.payload.length > 0);
    const whole = Buffer.concat(tcp.map((r) => r.payload));
    const msg = new DnsMessage();
    const t0 = performance.now();
    decodeDnsMessage(whole, 2, whole.length - 2, msg, { maxQuestions: 65535, maxRecordsPerSection: 1000, maxRecords: 3000 });
    assert.ok(performance.now() - t0 < 50);
    assert.equal(msg.result, 'name_too_long');
  });
});


