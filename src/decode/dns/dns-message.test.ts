/**
 * Unit tests of the DNS message decoder on crafted messages: header fields, names (case, root,
 * escaping, compression), every record type's rendering, and each kind of damage, which must end in a
 * result code and a Zeek weird name, keep what came before it, and cost bounded time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeDnsMessage, DnsMessage, type DnsParseResult, DnsSection } from './dns-message.js';
import { craft, rr, u16, u32, wireName } from './dns-test-support.js';

function decode(bytes: Uint8Array, msg = new DnsMessage()): DnsMessage {
  decodeDnsMessage(bytes, 0, bytes.length, msg);
  return msg;
}

const Q_A = [...wireName('www.Example.COM'), ...u16(1), ...u16(1)];
const question = (name: string) => [...wireName(name), ...u16(1), ...u16(1)];

describe('decodeDnsMessage: header and questions', () => {
  it('decodes a standard query, keeping the name as sent', () => {
    const m = decode(craft({ id: 0xbeef, flags: 0x0100, qd: 1 }, Q_A));
    assert.equal(m.result, 'ok');
    assert.deepEqual([m.id, m.qr, m.opcode, m.aa, m.tc, m.rd, m.ra, m.z, m.rcode], [0xbeef, false, 0, false, false, true, false, 0, 0]);
    assert.deepEqual(m.questionList().map((q) => [q.name, q.qtype, q.qclass]), [['www.Example.COM', 1, 1]]);
    assert.deepEqual([m.qdcount, m.ancount, m.nscount, m.arcount, m.trailing], [1, 0, 0, 0, 0]);
  });

  it('reads every header flag: QR, opcode, AA, TC, RD, RA, Z/AD/CD as Zeek`s 3-bit Z, rcode', () => {
    const m = decode(craft({ flags: 0x8000 | (5 << 11) | 0x0400 | 0x0200 | 0x0100 | 0x0080 | 0x0070 | 3, qd: 0 }));
    assert.deepEqual([m.qr, m.opcode, m.aa, m.tc, m.rd, m.ra, m.z, m.ad, m.cd, m.rcode], [true, 5, true, true, true, true, 7, true, true, 3]);
    const ad = decode(craft({ flags: 0x8020 }));
    assert.deepEqual([ad.z, ad.ad, ad.cd], [2, true, false]);
  });

  it('writes the root as the empty string and escapes non-printable bytes as \\xHH', () => {
    const label = [5, 0x61, 0x00, 0x20, 0x7f, 0xff];
    const m = decode(craft({ qd: 2 }, [0, ...u16(2), ...u16(1)], [...label, 3, 0x63, 0x6f, 0x6d, 0, ...u16(1), ...u16(1)]));
    assert.equal(m.result, 'ok');
    assert.deepEqual(m.questionList().map((q) => q.name), ['', 'a\\x00 \\x7f\\xff.com']);
  });

  it('follows compression pointers to whole names and to suffixes', () => {
    // www.example.com at 12; "mail" + pointer to "example.com" (offset 16); pointer to the whole name.
    const body = [...wireName('www.example.com'), ...u16(1), ...u16(1)];
    const an1 = [0xc0, 12, ...rr(5, [4, ...Buffer.from('mail'), 0xc0, 16])];
    const an2 = [4, ...Buffer.from('smtp'), 0xc0, 16, ...rr(1, [10, 0, 0, 1])];
    const an3 = [0xc0, 12, ...rr(1, [10, 0, 0, 2])];
    const m = decode(craft({ flags: 0x8180, qd: 1, an: 3 }, body, an1, an2, an3));
    assert.equal(m.result, 'ok');
    assert.deepEqual(m.recordList(DnsSection.Answer).map((r) => [r.name, r.text]), [
      ['www.example.com', 'mail.example.com'],
      ['smtp.example.com', '10.0.0.1'],
      ['www.example.com', '10.0.0.2'],
    ]);
  });

  it('decodes names built from labels and pointers to suffixes, reusing cached names correctly', () => {
    // Question "com" at 12; answer owners: "example" + ->com, "www" + ->example.com, ->www.example.com,
    // ->example.com, "mail" + ->www.example.com (a pointer to a name that itself ends in pointers).
    const parts: number[][] = [[3, ...Buffer.from('com'), 0, ...u16(1), ...u16(1)]];
    const at = () => 12 + parts.reduce((n, x) => n + x.length, 0);
    const exampleAt = at();
    parts.push([7, ...Buffer.from('example'), 0xc0, 12, ...rr(1, [1, 1, 1, 1])]);
    const wwwAt = at();
    parts.push([3, ...Buffer.from('WWW'), 0xc0, exampleAt, ...rr(1, [2, 2, 2, 2])]);
    parts.push([0xc0, wwwAt, ...rr(1, [3, 3, 3, 3])]);
    parts.push([0xc0, exampleAt, ...rr(1, [4, 4, 4, 4])]);
    parts.push([4, ...Buffer.from('mail'), 0xc0, wwwAt, ...rr(5, [0xc0, wwwAt + 4])]);
    const m = decode(craft({ flags: 0x8180, qd: 1, an: 5 }, ...parts));
    assert.equal(m.result, 'ok');
    assert.deepEqual(m.recordList(DnsSection.Answer).map((r) => [r.name, r.text]), [
      ['example.com', '1.1.1.1'],
      ['WWW.example.com', '2.2.2.2'],
      ['WWW.example.com', '3.3.3.3'],
      ['example.com', '4.4.4.4'],
      ['mail.WWW.example.com', 'example.com'],
    ]);
  });

  it('escapes every byte of the longest possible name without losing any', () => {
    const label = (n: number) => [n, ...new Array<number>(n).fill(0xff)];
    const m = decode(craft({ qd: 1 }, [...label(63), ...label(63), ...label(63), ...label(61), 0], u16(1), u16(1)));
    assert.equal(m.result, 'ok');
    const want = ['\\xff'.repeat(63), '\\xff'.repeat(63), '\\xff'.repeat(63), '\\xff'.repeat(61)].join('.');
    assert.equal(m.questionList()[0].name, want);
  });

  it('gives each name its own text when thousands of names share the table of recent texts', () => {
    const msg = new DnsMessage();
    let seed = 7;
    for (let i = 0; i < 20000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const name = `h${seed.toString(36)}.x${i % 97}.example`;
      const ip = [10, (i >> 16) & 255, (i >> 8) & 255, i & 255];
      decode(craft({ flags: 0x8180, qd: 1, an: 1 }, question(name), [0xc0, 12], rr(1, ip)), msg);
      assert.equal(msg.questions[0].name, name);
      assert.equal(msg.answers[0].text, ip.join('.'));
    }
  });

  it('leaves nothing from a previous message when the DnsMessage is reused', () => {
    const msg = new DnsMessage();
    decode(craft({ flags: 0x8180, qd: 1, an: 2 }, Q_A, [0xc0, 12], rr(1, [1, 2, 3, 4]), [0xc0, 12], rr(1, [5, 6, 7, 8])), msg);
    assert.equal(msg.answerCount, 2);
    decode(craft({ flags: 0x0100, qd: 0 }), msg);
    assert.deepEqual([msg.questionCount, msg.answerCount, msg.authorityCount, msg.additionalCount, msg.edns], [0, 0, 0, 0, false]);
  });
});

/** A response with one answer of type `type` and data `rdata` for the question www.example.com. */
function answer(type: number, rdata: number[], ttl = 300): DnsMessage {
  return decode(craft({ flags: 0x8180, qd: 1, an: 1 }, [...wireName('www.example.com'), ...u16(type), ...u16(1)], [0xc0, 12], rr(type, rdata, ttl)));
}

function text(type: number, rdata: number[]): string {
  const m = answer(type, rdata);
  assert.equal(m.result, 'ok', `type ${type}: ${m.result} ${m.weirds.join()}`);
  return m.recordList(DnsSection.Answer)[0].text;
}

const name = (s: string) => wireName(s);
const str = (s: string) => [s.length, ...Buffer.from(s, 'latin1')];

describe('record data as Zeek`s dns.log writes it', () => {
  it('A and AAAA: Zeek`s address text, IPv4-mapped IPv6 as IPv4', () => {
    assert.equal(text(1, [192, 0, 2, 1]), '192.0.2.1');
    const v6 = (words: number[]) => text(28, words.flatMap((w) => u16(w)));
    assert.equal(v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]), '2001:db8::1');
    assert.equal(v6([0x2001, 0xdb8, 0, 1, 0, 0, 0, 1]), '2001:db8:0:1::1'); // first longest run
    assert.equal(v6([0x2001, 0xdb8, 1, 0, 1, 1, 1, 1]), '2001:db8:1:0:1:1:1:1'); // a single 0 stays
    assert.equal(v6([0, 0, 0, 0, 0, 0, 0, 1]), '::1');
    assert.equal(v6([0, 0, 0, 0, 0, 0, 0, 0]), '::');
    assert.equal(v6([0xfe80, 0, 0, 0, 0, 0, 0, 0]), 'fe80::');
    assert.equal(v6([0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201]), '192.0.2.1');
    assert.equal(v6([0, 0, 0, 0, 0, 0, 0xc000, 0x0201]), '::192.0.2.1');
    assert.equal(v6([0x2600, 0x3c03, 0, 0, 0xf03c, 0x91ff, 0xfe96, 0xe8ef]), '2600:3c03::f03c:91ff:fe96:e8ef');
  });

  it('names (NS, CNAME, PTR, MX exchange, SRV target, SOA mname) lowercased, as Zeek`s analyzer does', () => {
    assert.equal(text(2, name('NS1.Example.com')), 'ns1.example.com');
    assert.equal(text(5, name('Alias.Example.NET')), 'alias.example.net');
    assert.equal(text(12, name('host.example')), 'host.example');
    assert.equal(text(15, [...u16(10), ...name('MX.example.com')]), 'mx.example.com');
    assert.equal(text(33, [...u16(1), ...u16(2), ...u16(5060), ...name('sip.example.com')]), 'sip.example.com');
    assert.equal(text(6, [...name('NS.example.com'), ...name('hostmaster.example.com'), ...u32(1), ...u32(2), ...u32(3), ...u32(4), ...u32(5)]), 'ns.example.com');
  });

  it('TXT and SPF: "TXT <length> <text>" per string, joined by spaces, non-printables escaped', () => {
    assert.equal(text(16, [...str('v=spf1 -all'), ...str(''), ...str('a\u0001')]), 'TXT 11 v=spf1 -all TXT 0  TXT 2 a\\x01');
    assert.equal(text(99, str('v=spf1 ~all')), 'SPF 11 v=spf1 ~all');
    assert.equal(text(16, []), '');
  });

  it('DNSSEC types and the rest of Zeek`s renderings', () => {
    const rrsig = (signer: number[]) => [...u16(1), 8, 2, ...u32(300), ...u32(2), ...u32(1), ...u16(12345), ...signer, 1, 2, 3];
    assert.equal(text(46, rrsig(name('Example.com'))), 'RRSIG 1 example.com');
    assert.equal(text(46, rrsig([0])), 'RRSIG 1 <Root>');
    assert.equal(text(48, [...u16(257), 3, 13, 1, 2, 3, 4]), 'DNSKEY 13');
    assert.equal(text(43, [...u16(2371), 8, 2, 0xaa, 0xbb]), 'DS 8 2');
    assert.equal(text(47, [...name('Next.example.com'), 0, 1, 0x40]), 'NSEC www.example.com next.example.com');
    assert.equal(text(50, [1, 0, ...u16(10), 0, 0, 0, 1]), 'NSEC3');
    assert.equal(text(51, [1, 0, ...u16(10), 0]), 'NSEC3PARAM');
    assert.equal(text(44, [1, 2, 0xde, 0xad, 0xBE, 0xef]), 'SSHFP: deadbeef');
    assert.equal(text(29, [0, 0x12, 0x15, 0x13, ...u32(1), ...u32(2), ...u32(3)]), 'LOC:  18 21 19');
    assert.equal(text(35, [...u16(100), ...u16(10), ...str('S'), ...str('SIP+D2U'), ...str(''), ...name('_sip._udp.example.com')]), 'NAPTR 100 10 S SIP+D2U _sip._udp.example.com');
    assert.equal(text(65534, [8, 1, 2, 0, 1]), 'BIND9 signing signal');
  });

  it('WKS counts as a Zeek reply with no text; types Zeek does not parse are "<unknown type=N>"', () => {
    const wks = answer(11, [10, 0, 0, 1, 6, 0xff]);
    assert.deepEqual([wks.recordList(DnsSection.Answer)[0].text, wks.recordList(DnsSection.Answer)[0].zeekReply], ['', true]);
    const nul = answer(10, [1, 2, 3]);
    assert.deepEqual([nul.recordList(DnsSection.Answer)[0].text, nul.recordList(DnsSection.Answer)[0].zeekReply, nul.weirds], ['<unknown type=10>', true, ['DNS_RR_unknown_type']]);
    assert.equal(text(39, name('target.example')), '<unknown type=39>'); // DNAME: not parsed by Zeek
    assert.equal(text(4242, []), '<unknown type=4242>');
  });

  it('types Zeek parses but never logs get a plain rendering and zeekReply = false', () => {
    const cases: [number, number[], string][] = [
      [65, [...u16(1), ...name('Svc.Example.com'), 0, 1, 0, 3, 2, 0x68, 0x32], 'Svc.Example.com'], // HTTPS target, case kept as Zeek does
      [65, [...u16(1), 0], '.'], // HTTPS alias form: the owner itself
      [64, [...u16(0), ...name('svc.example.net')], 'svc.example.net'],
      [257, [0, 5, ...Buffer.from('issue'), ...Buffer.from('letsencrypt.org')], '0 issue letsencrypt.org'],
      [13, [...str('INTEL'), ...str('LINUX')], 'INTEL LINUX'],
      [249, [...name('gss-tsig'), ...u32(0), ...u32(0), ...u16(3), ...u16(0), ...u16(0), ...u16(0)], 'gss-tsig'],
    ];
    for (const [type, rdata, want] of cases) {
      const m = answer(type, rdata);
      assert.equal(m.result, 'ok', `type ${type}`);
      assert.deepEqual([m.recordList(DnsSection.Answer)[0].text, m.recordList(DnsSection.Answer)[0].zeekReply], [want, false], `type ${type}`);
    }
  });

  it('OPT: EDNS payload size, version, DO flag, and the extended rcode merged into rcode', () => {
    const opt = [0, ...rr(41, [...u16(10), ...u16(8), 1, 2, 3, 4, 5, 6, 7, 8], (1 << 24) | 0x8000, 1232)];
    const m = decode(craft({ flags: 0x8180, qd: 1, ar: 1 }, Q_A, opt));
    assert.equal(m.result, 'ok');
    assert.deepEqual([m.edns, m.ednsUdpSize, m.ednsVersion, m.ednsDo, m.ednsExtendedRcode, m.ednsOptions], [true, 1232, 0, true, 1, 1]);
    assert.deepEqual([m.headerRcode, m.rcode], [0, 16]); // BADVERS
    assert.deepEqual([m.recordList(DnsSection.Additional)[0].text, m.recordList(DnsSection.Additional)[0].zeekReply], ['', false]);
  });
});

/** Decodes `bytes` and checks the result code and the weird raised. */
function damaged(bytes: Uint8Array, result: DnsParseResult, weird: string, opts?: Parameters<typeof decodeDnsMessage>[4]): DnsMessage {
  const m = new DnsMessage();
  const got = decodeDnsMessage(bytes, 0, bytes.length, m, opts);
  assert.equal(got, result);
  assert.equal(m.result, result);
  assert.ok(m.weirds.includes(weird), `weirds ${m.weirds.join()} lack ${weird}`);
  return m;
}

describe('decodeDnsMessage: damaged input ends in a result code, keeping what came before', () => {
  it('a message shorter than the header', () => {
    for (let n = 0; n < 12; n++) {
      const m = damaged(craft({ qd: 1 }).subarray(0, n), 'truncated', 'DNS_truncated_len_lt_hdr_len');
      assert.equal(m.headerOk, false);
    }
  });

  it('a question cut inside its name, or before its type and class', () => {
    damaged(craft({ qd: 1 }, [3, 0x77, 0x77]), 'truncated', 'DNS_label_len_gt_pkt');
    damaged(craft({ qd: 1 }, name('example.com'), [0, 1]), 'truncated', 'DNS_truncated_quest_too_short');
  });

  it('a pointer to itself or further on (Zeek`s rule, which also rules out loops)', () => {
    damaged(craft({ qd: 1 }, [0xc0, 12, 0, 1, 0, 1]), 'pointer_forward', 'DNS_label_forward_compress_offset');
    damaged(craft({ qd: 1 }, [0xc0, 20, 0, 1, 0, 1, 0, 0, 3, 0x63, 0x6f, 0x6d, 0]), 'pointer_forward', 'DNS_label_forward_compress_offset');
    // A loop through two names needs one pointer forward; "a" -> back to its own start runs into the
    // pointer itself, which Zeek's rule (labels reached by a pointer end before it) reports as cut.
    damaged(craft({ qd: 1 }, [1, 0x61, 0xc0, 12, 0, 1, 0, 1]), 'truncated', 'DNS_label_len_gt_pkt');
  });

  it('more than 128 pointer hops in one name, in bounded time', () => {
    assert.equal(decode(chainMessage(127)).result, 'ok'); // 127 chained + the owner's own: 128 hops
    const t0 = performance.now();
    const m = damaged(chainMessage(128), 'pointer_loop', 'DNS_label_too_many_pointers');
    damaged(chainMessage(5000), 'pointer_loop', 'DNS_label_too_many_pointers');
    assert.ok(performance.now() - t0 < 200);
    assert.deepEqual([m.questionCount, m.answerCount], [1, 1]);
  });

  it('labels with a reserved type (0x40, 0x80) or longer than 63 bytes', () => {
    damaged(craft({ qd: 1 }, [0x40, 0x61, 0, 0, 1, 0, 1]), 'bad_label', 'DNS_label_too_long');
    damaged(craft({ qd: 1 }, [0x80, 0, 0, 1, 0, 1]), 'bad_label', 'DNS_label_too_long');
  });

  it('a name longer than 255 bytes, inline or assembled through pointers', () => {
    const l63 = 'a'.repeat(63);
    const ok255 = [l63, l63, l63, 'b'.repeat(61)].join('.'); // 3*64 + 62 + 1 = 255 bytes
    const m = decode(craft({ qd: 1 }, name(ok255), [0, 1, 0, 1]));
    assert.equal(m.result, 'ok');
    assert.equal(m.questionList()[0].name.length, 253);
    damaged(craft({ qd: 1 }, name(ok255 + 'c'), [0, 1, 0, 1]), 'name_too_long', 'DNS_NAME_too_long');
    damaged(craft({ qd: 1 }, name([l63, l63, l63, l63, l63].join('.')), [0, 1, 0, 1]), 'name_too_long', 'DNS_NAME_too_long');
    // Question of 192 bytes cached, then an answer adding 64 bytes in front of a pointer to it.
    const q = [l63, l63, 'b'.repeat(62)].join('.'); // 64+64+63+1 = 192
    const an = [63, ...Buffer.from(l63), 0xc0, 12, ...rr(1, [1, 2, 3, 4])];
    const an2 = [62, ...Buffer.from('d'.repeat(62)), 0xc0, 12, ...rr(1, [1, 2, 3, 4])];
    const fits = decode(craft({ qd: 1, an: 1, flags: 0x8180 }, name(q), [0, 1, 0, 1], an2));
    assert.equal(fits.result, 'ok'); // 63 + 192 = 255
    const m2 = damaged(craft({ qd: 1, an: 1, flags: 0x8180 }, name(q), [0, 1, 0, 1], an), 'name_too_long', 'DNS_NAME_too_long');
    assert.equal(m2.questionCount, 1);
  });

  it('record data past the end of the message keeps the question and earlier answers', () => {
    const good = [0xc0, 12, ...rr(1, [10, 0, 0, 1])];
    const bad = [0xc0, 12, ...u16(1), ...u16(1), ...u32(60), ...u16(200), 1, 2, 3, 4];
    const m = damaged(craft({ flags: 0x8180, qd: 1, an: 2 }, Q_A, good, bad), 'bad_rdata_length', 'DNS_truncated_RR_rdlength_lt_len');
    assert.deepEqual(m.questionList().map((q) => q.name), ['www.Example.COM']);
    assert.deepEqual(m.recordList(DnsSection.Answer).map((r) => r.text), ['10.0.0.1']);
  });

  it('record data of the wrong size for its type', () => {
    damaged(craft({ flags: 0x8180, qd: 1, an: 1 }, Q_A, [0xc0, 12], rr(1, [1, 2, 3])), 'bad_rdata_length', 'DNS_RR_bad_length');
    damaged(craft({ flags: 0x8180, qd: 1, an: 1 }, Q_A, [0xc0, 12], rr(28, [1, 2, 3, 4])), 'bad_rdata_length', 'DNS_AAAA_neg_length');
    // A CNAME whose name runs past its record data.
    damaged(craft({ flags: 0x8180, qd: 1, an: 1 }, Q_A, [0xc0, 12], rr(5, [3, 0x61, 0x62]), [0x63, 0]), 'bad_rdata_length', 'DNS_RR_length_mismatch');
    // A TXT string longer than the data: Zeek logs the strings before it, so the record is kept.
    const m = damaged(craft({ flags: 0x8180, qd: 1, an: 1 }, Q_A, [0xc0, 12], rr(16, [...str('ok'), 9, 0x61])), 'bad_rdata_length', 'DNS_TXT_char_str_past_rdlen');
    assert.deepEqual(m.recordList(DnsSection.Answer).map((r) => r.text), ['TXT 2 ok']);
  });

  it('65535 records claimed: stops at the real end, or at the per-section cap, in bounded time', () => {
    damaged(craft({ flags: 0x8180, qd: 1, an: 65535 }, Q_A, [0xc0, 12], rr(1, [1, 2, 3, 4])), 'truncated', 'DNS_label_len_gt_pkt');
    const many: number[] = [];
    for (let i = 0; i < 4000; i++) many.push(0xc0, 12, ...rr(1, [10, 0, (i >> 8) & 0xff, i & 0xff]));
    const t0 = performance.now();
    const m = damaged(craft({ flags: 0x8180, qd: 1, an: 65535 }, Q_A, many), 'too_many_records', 'DNS_too_many_records');
    assert.ok(performance.now() - t0 < 500);
    assert.equal(m.answerCount, 1000);
    assert.equal(m.answers[999].text, '10.0.3.231');
  });

  it('more than 25 questions (Zeek`s dns_max_queries) stops after the header', () => {
    const m = damaged(craft({ qd: 65535 }, Q_A), 'too_many_records', 'DNS_Conn_count_too_large');
    assert.deepEqual([m.headerOk, m.questionCount], [true, 0]);
    const raised = new DnsMessage();
    decodeDnsMessage(...whole(craft({ qd: 65535 }, Q_A, Q_A)), raised, { maxQuestions: 65535, maxRecordsPerSection: 10, maxRecords: 10 });
    assert.deepEqual([raised.result, raised.questionCount], ['truncated', 2]);
  });

  it('survives 30000 random mutations of real messages: no throw, known results, counts within claims', () => {
    const seeds = [
      craft({ flags: 0x8180, qd: 1, an: 2, ns: 1, ar: 1 }, Q_A, [0xc0, 12], rr(5, name('alias.example.net')), [0xc0, 33], rr(1, [1, 2, 3, 4]), [0xc0, 16], rr(6, [...name('ns.example.com'), 0xc0, 16, ...u32(1), ...u32(2), ...u32(3), ...u32(4), ...u32(5)]), [0], rr(41, [], 0, 4096)),
      craft({ flags: 0x8180, qd: 1, an: 1 }, Q_A, [0xc0, 12], rr(16, [...str('hello'), ...str('world')])),
    ];
    const results = new Set(['ok', 'truncated', 'bad_label', 'pointer_forward', 'pointer_loop', 'name_too_long', 'bad_rdata_length', 'too_many_records']);
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const msg = new DnsMessage();
    for (let i = 0; i < 30000; i++) {
      const b = Uint8Array.from(seeds[i % seeds.length]);
      const edits = 1 + rand(4);
      for (let e = 0; e < edits; e++) b[rand(b.length)] = rand(256);
      const len = rand(3) === 0 ? rand(b.length + 1) : b.length;
      const r = decodeDnsMessage(b, 0, len, msg);
      assert.ok(results.has(r), r);
      assert.ok(msg.questionCount <= msg.qdcount && msg.answerCount <= msg.ancount);
      assert.ok(msg.authorityCount <= msg.nscount && msg.additionalCount <= msg.arcount);
    }
  });
});

/**
 * A response whose second answer's owner is a pointer into a chain of `n` pointers, each pointing at
 * the one before it (all backwards, so only the hop limit stops it), ending at the root question name.
 * The chain sits in the data of a first answer of type NULL.
 */
function chainMessage(n: number): Uint8Array {
  const rdStart = 12 + 5 + 1 + 10; // question (root, type, class), then the NULL record's owner and fixed part
  const chain: number[] = [];
  for (let k = 0; k < n; k++) chain.push(...u16(0xc000 | (k === 0 ? 12 : rdStart + 2 * (k - 1))));
  const last = rdStart + 2 * (n - 1);
  return craft({ flags: 0x8180, qd: 1, an: 2 }, [0, ...u16(1), ...u16(1)], [0, ...rr(10, chain)], [0xc0 | (last >> 8), last & 0xff, ...rr(1, [1, 2, 3, 4])]);
}

function whole(b: Uint8Array): [Uint8Array, number, number] {
  return [b, 0, b.length];
}

describe('decodeDnsMessage: where we differ from Zeek`s analyzer, on purpose', () => {
  it('empty record data does not stop decoding (Zeek stops at DNS_zero_rdlength and loses what follows)', () => {
    // Empty data is legal for NULL, APL, OPT and dynamic-update deletions; stopping there would drop
    // the records after it, including answers.
    const m = decode(craft({ flags: 0x8180, qd: 1, an: 2 }, Q_A, [0xc0, 12], rr(10, []), [0xc0, 12], rr(1, [192, 0, 2, 7])));
    assert.equal(m.result, 'ok');
    assert.deepEqual(m.recordList(DnsSection.Answer).map((r) => r.text), ['<unknown type=10>', '192.0.2.7']);
    assert.deepEqual(m.weirds, ['DNS_zero_rdlength', 'DNS_RR_unknown_type']); // still counted under Zeek's name
  });

  it('a damaged name ends decoding (Zeek keeps the name up to the damage and reads on, misaligned)', () => {
    // After a bad pointer Zeek continues two bytes later as if the name had ended there, so every field
    // after it is read from the wrong place; we keep what was sound and stop.
    const m = damaged(craft({ flags: 0x8180, qd: 1, an: 2 }, Q_A, [0xc0, 12], rr(1, [1, 2, 3, 4]), [0xc0, 0xff], rr(1, [5, 6, 7, 8])), 'pointer_forward', 'DNS_label_forward_compress_offset');
    assert.deepEqual(m.recordList(DnsSection.Answer).map((r) => r.text), ['1.2.3.4']);
  });

  it('names over 255 bytes end decoding (Zeek only reports DNS_NAME_too_long and logs up to ~512 bytes)', () => {
    // RFC 1035 caps names at 255 bytes; longer ones are crafted, and keeping them would let one record
    // cost far more text than any real name.
    const l63 = 'a'.repeat(63);
    damaged(craft({ qd: 1 }, name([l63, l63, l63, l63].join('.')), [0, 1, 0, 1]), 'name_too_long', 'DNS_NAME_too_long');
  });

  it('record data is read within its own length (Zeek`s LOC and RRSIG parsers read on into the next record)', () => {
    const loc = [0xc0, 12, ...rr(29, [0, 0x12, 0x15, 0x13, 1, 2, 3, 4, 5, 6])]; // 10 bytes, LOC needs 16
    const m = damaged(craft({ flags: 0x8180, qd: 1, an: 2 }, Q_A, loc, [0xc0, 12], rr(1, [1, 2, 3, 4])), 'bad_rdata_length', 'DNS_RR_length_mismatch');
    assert.equal(m.answerCount, 0);
  });
});
