import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PcapngReader } from './pcapng-reader.js';
import {
  block,
  digest,
  epb,
  fixture,
  idb,
  option,
  packetBlock,
  payload,
  readWith,
  shb,
  spb,
  u32b,
  type ReadResult,
} from './capture-test-support.js';

function readNg(file: Buffer, chunkSize = 0): ReadResult {
  return readWith((onPacket, onProblem) => new PcapngReader(onPacket, onProblem), file, chunkSize);
}

/** (linkType, ts, capLen, wireLen, interfaceId) of every packet. */
function rows(r: ReadResult): number[][] {
  return r.packets.map((p) => [p.linkType, p.ts, p.capLen, p.wireLen, p.interfaceId]);
}

// The generator specs (pcapng_gen_*.expected.spec.lua) use UInt64(0x64ca47aa, 0x0004c397) as the
// timestamp: Wireshark's UInt64(low, high), in the default microsecond unit.
const T = 0x0004c397 * 2 ** 32 + 0x64ca47aa;
// Lengths of the generator's input frames (tests/input.lua): four DHCP frames and one NULL-loopback frame.
const LEN = [0, 314, 342, 314, 342, 168];
const ETH = 1;
const NULL = 0;

describe('PcapngReader on the pcapng-test-generator files (expected.spec.lua)', () => {
  for (const order of ['le', 'be']) {
    it(`test001 (${order}): basic file, four EPBs on one Ethernet interface, no timestamps`, () => {
      const got = readNg(fixture(`pcapng_gen_${order}_test001.pcapng`));
      assert.deepEqual(got.problems, []);
      assert.deepEqual(rows(got), [1, 2, 3, 4].map((i) => [ETH, 0, LEN[i], LEN[i], 0]));
      assert.deepEqual([...got.packets[0].bytes.subarray(0, 8)], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x0b]);
    });

    it(`test102 (${order}): all block types intermixed`, () => {
      const got = readNg(fixture(`pcapng_gen_${order}_test102.pcapng`));
      assert.deepEqual(got.problems, []);
      assert.deepEqual(rows(got), [
        [ETH, T, 96, LEN[1], 0], // EPB idb0 (snaplen 96)
        [ETH, T, LEN[2], LEN[2], 2], // EPB idb2
        [ETH, T, 96, LEN[3], 0], // SPB: interface 0, cut to its snaplen, last timestamp
        [ETH, T + 2000, 96, LEN[4], 0], // EPB idb0
        [NULL, T + 3000, LEN[5], LEN[5], 1], // EPB idb1 (NULL loopback)
      ]);
      assert.deepEqual([...got.packets[4].bytes.subarray(0, 6)], [0x02, 0x00, 0x00, 0x00, 0x45, 0x00]);
    });

    it(`test202 (${order}): three sections of alternating byte order`, () => {
      const got = readNg(fixture(`pcapng_gen_${order}_test202.pcapng`));
      assert.deepEqual(got.problems, []);
      assert.deepEqual(rows(got), [
        [ETH, T, 96, LEN[1], 0],
        [ETH, T, 96, LEN[2], 0],
        [NULL, T + 3000, LEN[5], LEN[5], 1],
        // Section 2 (other byte order): its interface 0 is the file's third interface.
        [ETH, T + 3000, 128, LEN[1], 2],
        [ETH, T, 128, LEN[2], 2],
        [ETH, T, 128, LEN[3], 2],
        [ETH, T, 128, LEN[4], 2],
        // Section 3: interfaces 0 and 1 again, the file's fourth and fifth.
        [NULL, T + 3000, LEN[5], LEN[5], 4],
      ]);
    });
  }

  it('test006: two interfaces of different link types', () => {
    const got = readNg(fixture('pcapng_gen_le_test006.pcapng'));
    assert.deepEqual(got.problems, []);
    assert.deepEqual(rows(got), [
      [ETH, T, 96, LEN[1], 0],
      [NULL, T + 1000, LEN[5], LEN[5], 1],
      [ETH, T + 2000, 96, LEN[2], 0],
      [ETH, T + 3000, 96, LEN[3], 0],
      [ETH, T + 4000, 96, LEN[4], 0],
    ]);
  });

  it('test010: Simple Packet Blocks only', () => {
    const got = readNg(fixture('pcapng_gen_le_test010.pcapng'));
    assert.deepEqual(got.problems, []);
    assert.deepEqual(rows(got), [1, 2, 3, 4].map((i) => [ETH, 0, LEN[i], LEN[i], 0]));
  });

  it('test018: custom blocks among SPBs and EPBs', () => {
    const got = readNg(fixture('pcapng_gen_le_test018.pcapng'));
    assert.deepEqual(got.problems, []);
    assert.deepEqual(rows(got), [
      [ETH, 0, LEN[1], LEN[1], 0],
      [ETH, T, LEN[2], LEN[2], 0],
      [ETH, T, LEN[3], LEN[3], 0],
      [ETH, T + 2000, LEN[4], LEN[4], 0],
    ]);
  });
});

describe('PcapngReader on real captures', () => {
  it('reads a multi-interface capture with nanosecond and microsecond interfaces', () => {
    const got = readNg(fixture('zeek_pcapng_multi_interface.pcapng'));
    assert.deepEqual(got.problems, []);
    assert.deepEqual(rows(got), [
      [ETH, 1767663089500330, 96, 96, 0],
      [ETH, 1767663089514291, 214, 214, 0],
      [ETH, 1767663437111897, 70, 70, 1],
      [ETH, 1767663437126460, 166, 166, 1],
      [ETH, 1767663437128303, 70, 70, 1],
      [ETH, 1767663437140942, 182, 182, 1],
    ]);
  });

  it('keeps the packets before a cut mid-block and reports the block once', () => {
    const got = readNg(fixture('DERIVED_truncated_midblock_multi_interface.pcapng'));
    assert.equal(got.packets.length, 3);
    assert.deepEqual(got.problems, [{ code: 'truncated_record', offset: 828, detail: 'block: 172 of 200 bytes' }]);
  });

  it('reads a section with an interface and no packets without complaint', () => {
    assert.deepEqual(readNg(fixture('tcpdump_empty.pcapng')), { packets: [], problems: [] });
  });

  it('reads a malformed-RTP capture (one 2241-byte packet at 581 s)', () => {
    const got = readNg(fixture('tcpdump_rtp_segfault_malformed.pcapng'));
    assert.deepEqual(got.problems, []);
    assert.deepEqual(rows(got), [[ETH, 581000000, 2241, 2241, 0]]);
  });
});

describe('PcapngReader on synthetic blocks', () => {
  const data = payload(50, 9);

  it('applies if_tsresol (powers of 10 and of 2) and if_tsoffset', () => {
    const le = true;
    const file = Buffer.concat([
      shb(le),
      idb(1, 0, [option(9, Buffer.from([9]))]), // nanoseconds
      idb(1, 0, [option(9, Buffer.from([3]))]), // milliseconds
      idb(1, 0, [option(9, Buffer.from([0x80 | 20]))]), // 2^-20 s
      idb(1, 0, [option(14, Buffer.concat([u32b(100), u32b(0)]))]), // +100 s
      idb(1, 0, [option(14, Buffer.concat([u32b(-5), u32b(-1)])), option(9, Buffer.from([12]))]), // -5 s, picoseconds
      epb(0, 0x17979cfe, 0x3d85cd15, data), // 1700000000123456789 ns
      epb(1, 0x18b, 0xcfe5687b, data), // 1700000000123 ms
      epb(2, 0x00065500, 0x00080000, data), // (0x65500 * 2^32 + 2^19) / 2^20 s
      epb(3, 0, 1000, data),
      epb(4, 0x5c5ed, 0xcbc29000, data), // 1625 * 10^12 ps = 1625 s
    ]);
    const got = readNg(file);
    assert.deepEqual(got.problems, []);
    assert.deepEqual(
      got.packets.map((p) => [p.interfaceId, p.ts]),
      [
        [0, 1700000000123456],
        [1, 1700000000123000],
        [2, 0x65500 * 2 ** 12 * 1e6 + 500000],
        [3, 100 * 1e6 + 1000],
        [4, 1625 * 1e6 - 5 * 1e6],
      ],
    );
  });

  it('applies the same options in a big-endian section', () => {
    const le = false;
    const file = Buffer.concat([
      shb(le),
      idb(113, 0, [option(9, Buffer.from([9]), le), option(14, Buffer.concat([u32b(0, le), u32b(7, le)]), le)], le),
      epb(0, 0, 2000000, data, { le }),
    ]);
    assert.deepEqual(rows(readNg(file)), [[113, 7000000 + 2000, 50, 50, 0]]);
  });

  it('reads obsolete Packet Blocks (type 2)', () => {
    const file = Buffer.concat([shb(), idb(1, 0), idb(101, 0), packetBlock(1, 0, 42, data), packetBlock(0, 1, 0, payload(7, 1))]);
    const got = readNg(file);
    assert.deepEqual(rows(got), [[101, 42, 50, 50, 1], [1, 2 ** 32, 7, 7, 0]]);
    assert.deepEqual(got.packets[0].bytes, data);
  });

  it('skips statistics, name resolution, decryption secrets, custom and unknown blocks', () => {
    const file = Buffer.concat([
      shb(),
      block(4, Buffer.alloc(20, 1)), // NRB
      idb(1, 0),
      block(5, Buffer.alloc(28, 2)), // ISB
      block(10, Buffer.alloc(33, 3)), // DSB (padded)
      block(0xbad, Buffer.alloc(8, 4)), // custom
      block(0x40000bad, Buffer.alloc(12, 5)), // custom, not to be copied
      block(0x12345678, Buffer.alloc(0)), // unknown, empty body
      epb(0, 0, 9, data),
    ]);
    const got = readNg(file);
    assert.deepEqual(got.problems, []);
    assert.deepEqual(rows(got), [[1, 9, 50, 50, 0]]);
  });

  it('reports packets on unknown interfaces and keeps going', () => {
    const file = Buffer.concat([shb(), spb(data), idb(1, 0), epb(3, 0, 1, data), epb(0, 0, 2, data)]);
    const got = readNg(file);
    assert.deepEqual(got.problems.map((p) => [p.code, p.offset]), [['unknown_interface', 28], ['unknown_interface', 28 + 68 + 20]]);
    assert.deepEqual(rows(got), [[1, 2, 50, 50, 0]]);
  });

  it('reports a captured length beyond its block and keeps going', () => {
    const file = Buffer.concat([shb(), idb(1, 0), epb(0, 0, 1, data, { capLen: 400 }), epb(0, 0, 2, data)]);
    const got = readNg(file);
    assert.deepEqual(got.problems.map((p) => [p.code, p.offset]), [['bad_caplen', 48]]);
    assert.deepEqual(rows(got), [[1, 2, 50, 50, 0]]);
  });

  it('stops at a block length that cannot be right, keeping the packets before it', () => {
    const head = Buffer.concat([shb(), idb(1, 0), epb(0, 0, 1, data)]);
    const cases: [string, Buffer][] = [
      ['not a multiple of 4', Buffer.concat([u32b(6), u32b(30), Buffer.alloc(40)])],
      ['too small', Buffer.concat([u32b(6), u32b(8), Buffer.alloc(40)])],
      ['over 16 MiB', Buffer.concat([u32b(6), u32b(0x7ffffff0), Buffer.alloc(40)])],
      ['trailer differs', Buffer.concat([u32b(6), u32b(16), u32b(0), u32b(20)])],
    ];
    for (const [what, bad] of cases) {
      for (const chunk of [0, 1, 7, 4096]) {
        const got = readNg(Buffer.concat([head, bad, epb(0, 0, 2, data)]), chunk);
        assert.equal(got.packets.length, 1, `${what}, chunk ${chunk}`);
        assert.deepEqual(got.problems.map((p) => [p.code, p.offset]), [['bad_block_length', head.length]], `${what}, chunk ${chunk}`);
      }
    }
  });

  it('reports a huge declared block length as soon as its header arrives, before any allocation', () => {
    const problems: string[] = [];
    const reader = new PcapngReader(
      () => assert.fail('no packet expected'),
      (code) => problems.push(code),
    );
    reader.push(Buffer.concat([shb(), u32b(6), u32b(0xfffffffc), u32b(0)]));
    assert.deepEqual(problems, ['bad_block_length']);
    reader.push(Buffer.alloc(1 << 20));
    reader.finish();
    assert.deepEqual(problems, ['bad_block_length']);
  });

  it('reports a file not starting with a section header, and a bad byte-order magic', () => {
    const noShb = readNg(Buffer.concat([idb(1, 0), epb(0, 0, 1, data)]));
    assert.deepEqual(noShb.problems.map((p) => [p.code, p.offset]), [['bad_magic', 0]]);
    const badBom = Buffer.concat([shb(), idb(1, 0), epb(0, 0, 1, data), shb()]);
    badBom.writeUInt32LE(0x11223344, badBom.length - 28 + 8);
    const got = readNg(badBom);
    assert.equal(got.packets.length, 1);
    assert.deepEqual(got.problems.map((p) => [p.code, p.offset]), [['bad_magic', badBom.length - 28]]);
  });

  it('reports an unsupported major version', () => {
    const got = readNg(Buffer.concat([shb(true, 2), idb(1, 0), epb(0, 0, 1, data)]));
    assert.deepEqual(got.packets, []);
    assert.deepEqual(got.problems.map((p) => p.code), ['unsupported_version']);
  });

  it('delivers identical packets for every chunk size across sections of both byte orders', () => {
    const file = fixture('pcapng_gen_be_test202.pcapng');
    const whole = readNg(file);
    for (const chunk of [1, 2, 3, 5, 7, 11, 12, 13, 64, 4096]) {
      const got = readNg(file, chunk);
      assert.equal(digest(got.packets), digest(whole.packets), `chunk ${chunk}`);
      assert.deepEqual(got.problems, [], `chunk ${chunk}`);
    }
  });
});
