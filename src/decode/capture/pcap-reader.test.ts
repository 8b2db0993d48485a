import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PcapReader } from './pcap-reader.js';
import {
  ENCAPSULATION_LINKTYPE,
  digest,
  fixture,
  payload,
  pcapHeader,
  pcapRecord,
  readWith,
  tsharkMicros,
  tsharkOracle,
  type ReadResult,
} from './capture-test-support.js';

function readPcap(file: Buffer, chunkSize = 0): ReadResult {
  return readWith((onPacket, onProblem) => new PcapReader(onPacket, onProblem), file, chunkSize);
}

describe('PcapReader on tcpdump captures (tshark oracle)', () => {
  const oracle = tsharkOracle();
  const names = Object.keys(oracle).filter((n) => n.startsWith('tcpdump_') && n.endsWith('.pcap'));

  it('covers every tcpdump pcap fixture', () => {
    assert.equal(names.length, 22);
  });

  for (const name of names) {
    if (name === 'tcpdump_timestamp_invalid_nano.pcap') continue; // tshark prints nanoseconds >= 1e9 as garbage; asserted below
    it(`${name}: packets, lengths, times and link type match tshark`, () => {
      const want = oracle[name];
      const got = readPcap(fixture(name));
      assert.deepEqual(got.problems, []);
      assert.equal(got.packets.length, want.packets);
      const linkType = ENCAPSULATION_LINKTYPE[want.encapsulation];
      got.packets.forEach((p, i) => {
        const [epoch, len, capLen] = want.frames[i];
        assert.equal(p.ts, tsharkMicros(epoch), `packet ${i + 1} time`);
        assert.equal(p.wireLen, len, `packet ${i + 1} wire length`);
        assert.equal(p.capLen, capLen, `packet ${i + 1} captured length`);
        assert.equal(p.linkType, linkType);
        assert.equal(p.interfaceId, 0);
      });
    });
  }
});

describe('PcapReader timestamps and byte orders', () => {
  it('reads a little-endian nanosecond capture, rounding down to microseconds', () => {
    const got = readPcap(fixture('tcpdump_tcp_handshake_nano_sll.pcap'));
    assert.deepEqual(
      got.packets.map((p) => [p.linkType, p.ts, p.capLen, p.wireLen]),
      [
        [113, 1418145369924505, 76, 76],
        [113, 1418145370052027, 76, 76],
        [113, 1418145370052115, 68, 68],
      ],
    );
    // Linux cooked header as tshark decodes it: sll.pkttype 4 (outgoing), sll.hatype 512, etype 0x0800.
    assert.deepEqual([...got.packets[0].bytes.subarray(0, 4)], [0, 4, 2, 0]);
    assert.deepEqual([...got.packets[0].bytes.subarray(14, 16)], [8, 0]);
  });

  it('keeps exact integer math for out-of-range nanosecond fields (ts_sec * 1e6 + floor(ns / 1000))', () => {
    // Records: (1418145369, 999999999), (1418145370, 1000000000), (1418145370, 2147483648).
    const got = readPcap(fixture('tcpdump_timestamp_invalid_nano.pcap'));
    assert.deepEqual(got.problems, []);
    assert.deepEqual(
      got.packets.map((p) => p.ts),
      [1418145369999999, 1418145371000000, 1418145372147483],
    );
  });

  it('reads big-endian captures', () => {
    const pptp = readPcap(fixture('tcpdump_bigendian_pptp.pcap'));
    assert.equal(pptp.packets.length, 23);
    assert.deepEqual([pptp.packets[0].ts, pptp.packets[0].capLen, pptp.packets[0].linkType], [954147395148077, 62, 1]);
    assert.deepEqual([pptp.packets[22].ts, pptp.packets[22].capLen], [954147396347775, 60]);
    const smb = readPcap(fixture('zeek_bigendian_smb_dssetup.cap'));
    assert.deepEqual(
      smb.packets.map((p) => p.capLen),
      [111, 105, 170, 173, 224, 194, 178, 230, 66],
    );
    assert.equal(smb.packets[8].ts, 1073392738243616);
  });

  it('reads a big-endian nanosecond capture', () => {
    const file = Buffer.concat([
      pcapHeader({ magic: 0xa1b23c4d, le: false, linkType: 101 }),
      pcapRecord(1700000000, 123456789, payload(20, 1), { le: false, wireLen: 1500 }),
    ]);
    const got = readPcap(file);
    assert.deepEqual(got.packets.map((p) => [p.linkType, p.ts, p.capLen, p.wireLen]), [[101, 1700000000123456, 20, 1500]]);
    assert.deepEqual(got.packets[0].bytes, payload(20, 1));
  });

  it('masks the FCS length and flag bits off the link type', () => {
    const file = Buffer.concat([pcapHeader({ linkType: 0x44000001 }), pcapRecord(1, 2, payload(60, 2))]);
    assert.equal(readPcap(file).packets[0].linkType, 1);
  });

  it('reads the modified (a1b2cd34) format with its 24-byte record headers', () => {
    const extra = Buffer.from([2, 0, 0, 0, 0x08, 0x00, 4, 0]);
    const file = Buffer.concat([
      pcapHeader({ magic: 0xa1b2cd34, linkType: 1 }),
      pcapRecord(10, 20, payload(40, 3), { extra }),
      pcapRecord(11, 21, payload(41, 4), { extra }),
    ]);
    const got = readPcap(file);
    assert.deepEqual(got.packets.map((p) => [p.ts, p.capLen]), [[10000020, 40], [11000021, 41]]);
    assert.deepEqual(got.packets[1].bytes, payload(41, 4));
  });
});

describe('PcapReader on damaged input', () => {
  it('keeps the packets before a cut mid-packet and reports the record once', () => {
    const got = readPcap(fixture('DERIVED_truncated_midpacket_http_get.pcap'));
    assert.equal(got.packets.length, 6);
    assert.equal(got.packets[5].capLen, 1514);
    assert.deepEqual(got.problems.map((p) => [p.code, p.offset]), [['truncated_record', 2120]]);
    assert.equal(got.problems[0].detail, 'record: 880 of 1530 bytes');
  });

  it('reads zeek trunc captures (packets cut by a snaplen of 1 or 1600) without complaint', () => {
    for (const [name, capLen, wireLen] of [
      ['zeek_trunc_hdr.pcap', 8, 78],
      ['zeek_trunc_ip4.pcap', 20, 46],
      ['zeek_trunc_ip6.pcap', 48, 74],
      ['zeek_trunc_ip6_ext.pcap', 54, 54],
    ] as const) {
      const got = readPcap(fixture(name));
      assert.deepEqual(got.problems, [], name);
      assert.deepEqual(got.packets.map((p) => [p.capLen, p.wireLen]), [[capLen, wireLen]], name);
    }
  });

  it('reads a header-only capture as no packets and no problem', () => {
    assert.deepEqual(readPcap(fixture('zeek_empty.pcap')), { packets: [], problems: [] });
  });

  it('reports an empty file and a cut file header', () => {
    assert.deepEqual(readPcap(Buffer.alloc(0)).problems, [{ code: 'truncated_record', offset: 0, detail: 'empty file' }]);
    const cut = readPcap(pcapHeader().subarray(0, 10), 3);
    assert.deepEqual(cut.problems, [{ code: 'truncated_record', offset: 0, detail: 'file header: 10 of 24 bytes' }]);
  });

  it('stops at an impossible captured length, keeping the packets before it', () => {
    const good = [pcapRecord(1, 0, payload(60, 1)), pcapRecord(2, 0, payload(70, 2))];
    const bogus = pcapRecord(3, 0, Buffer.alloc(0), { capLen: 0x7fffffff });
    const file = Buffer.concat([pcapHeader(), ...good, bogus, Buffer.from('garbage after the bad record')]);
    for (const chunk of [0, 1, 7, 4096]) {
      const got = readPcap(file, chunk);
      assert.equal(got.packets.length, 2, `chunk ${chunk}`);
      assert.deepEqual(got.problems.map((p) => [p.code, p.offset]), [['bad_caplen', 24 + 76 + 86]], `chunk ${chunk}`);
    }
  });

  it('rejects a captured length beyond snaplen plus slack but accepts one slightly over snaplen', () => {
    const over = Buffer.concat([pcapHeader({ snaplen: 100 }), pcapRecord(1, 0, payload(120, 1)), pcapRecord(2, 0, payload(70000, 2))]);
    const got = readPcap(over);
    assert.equal(got.packets.length, 1);
    assert.equal(got.packets[0].capLen, 120);
    assert.deepEqual(got.problems.map((p) => [p.code, p.offset]), [['bad_caplen', 24 + 136]]);
  });

  it('reports a bad magic number and delivers nothing', () => {
    const got = readPcap(Buffer.concat([Buffer.from('GET / HTTP/1.1\r\n'), Buffer.alloc(64)]));
    assert.deepEqual(got, { packets: [], problems: [{ code: 'bad_magic', offset: 0, detail: '47455420' }] });
  });

  it('delivers identical packets for every chunk size, including garbage after valid packets', () => {
    const file = Buffer.concat([fixture('tcpdump_dns_tcp.pcap'), Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9])]);
    const whole = readPcap(file);
    assert.equal(whole.packets.length, 11);
    assert.equal(whole.problems.length, 1);
    assert.equal(whole.problems[0].code, 'truncated_record');
    for (const chunk of [1, 2, 3, 7, 16, 17, 4096]) {
      const got = readPcap(file, chunk);
      assert.equal(digest(got.packets), digest(whole.packets), `chunk ${chunk}`);
      assert.deepEqual(got.problems, whole.problems, `chunk ${chunk}`);
    }
  });

  it('hands out windows into the pushed chunk without copying', () => {
    const file = fixture('tcpdump_ntp.pcap');
    const seen: [Uint8Array, number][] = [];
    const reader = new PcapReader(
      (_lt, _ts, buf, offset) => seen.push([buf, offset]),
      () => assert.fail('no problem expected'),
    );
    reader.push(file);
    reader.finish();
    assert.equal(seen.length, 8);
    assert.ok(seen.every(([buf]) => buf === file));
    assert.equal(seen[0][1], 24 + 16);
  });
});
