import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { digest, fixture, readCapture, type Packet } from './capture-test-support.js';

const CODES = new Set(['truncated_record', 'bad_block_length', 'bad_caplen', 'unknown_interface', 'bad_magic', 'unsupported_version']);

/** A deterministic pseudo-random source, so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

function assertPrefix(got: readonly Packet[], all: readonly Packet[], what: string): void {
  assert.ok(got.length <= all.length, what);
  assert.equal(digest(got), digest(all.slice(0, got.length)), what);
}

describe('capture readers on files cut at every length', () => {
  it('pcap: delivers exactly the records that fit, and reports the cut record at its offset', () => {
    const file = fixture('tcpdump_dns_tcp.pcap');
    const all = readCapture(file).packets;
    // With the file in one chunk, a packet's offset is its file offset, so its record ends at offset + capLen.
    const ends: number[] = [];
    readCaptureEnds(file, ends);
    assert.equal(ends.length, 11);
    for (let cut = 0; cut <= file.length; cut++) {
      const got = readCapture(file.subarray(0, cut), 97);
      const complete = ends.filter((e) => e <= cut).length;
      assert.equal(got.packets.length, complete, `cut ${cut}`);
      assertPrefix(got.packets, all, `cut ${cut}`);
      const boundary = cut === 24 || ends.includes(cut);
      const start = complete === 0 ? (cut < 24 ? 0 : 24) : ends[complete - 1];
      assert.deepEqual(got.problems.map((p) => [p.code, p.offset]), boundary ? [] : [['truncated_record', start]], `cut ${cut}`);
    }
  });

  it('pcapng: delivers a prefix of the packets and at most one truncation', () => {
    for (const name of ['zeek_pcapng_multi_interface.pcapng', 'pcapng_gen_be_test202.pcapng']) {
      const file = fixture(name);
      const all = readCapture(file).packets;
      let clean = 0;
      for (let cut = 0; cut <= file.length; cut++) {
        const got = readCapture(file.subarray(0, cut), 61);
        assertPrefix(got.packets, all, `${name} cut ${cut}`);
        assert.ok(got.problems.length <= 1, `${name} cut ${cut}`);
        if (got.problems.length === 0) clean++;
        else assert.equal(got.problems[0].code, 'truncated_record', `${name} cut ${cut}`);
      }
      // Clean cuts are exactly the block boundaries (each block length is a multiple of 4).
      assert.equal(clean, name.startsWith('zeek') ? 9 : 28, name);
    }
  });
});

/** Collects the file offset where each packet's record ends (single-chunk pcap read). */
function readCaptureEnds(file: Buffer, ends: number[]): void {
  const r = readCapture(file);
  let offset = 24;
  for (const p of r.packets) {
    offset += 16 + p.capLen;
    ends.push(offset);
  }
}

describe('capture readers on corrupted files', () => {
  for (const name of ['tcpdump_nflog.pcap', 'tcpdump_bigendian_pptp.pcap', 'zeek_pcapng_multi_interface.pcapng', 'pcapng_gen_le_test102.pcapng']) {
    it(`${name}: random byte damage never throws, only known codes, same result for every chunking`, () => {
      const original = fixture(name);
      const next = rng(name.length * 7919);
      for (let round = 0; round < 150; round++) {
        const file = Buffer.from(original);
        const flips = 1 + (next() % 4);
        for (let k = 0; k < flips; k++) file[next() % file.length] = next() & 0xff;
        const whole = readCapture(file);
        for (const p of whole.problems) assert.ok(CODES.has(p.code), `${p.code} in round ${round}`);
        assert.ok(whole.packets.every((p) => p.capLen <= file.length), `round ${round}`);
        for (const size of [1, 13, 4096]) {
          const got = readCapture(file, size);
          assert.equal(digest(got.packets), digest(whole.packets), `round ${round} chunk ${size}`);
          assert.deepEqual(got.problems, whole.problems, `round ${round} chunk ${size}`);
        }
      }
    });
  }

  it('reads random bytes behind a valid magic without throwing or allocating from bogus lengths', () => {
    const next = rng(42);
    for (const magic of ['d4c3b2a1', '0a0d0d0a']) {
      for (let round = 0; round < 200; round++) {
        const body = Buffer.alloc(64 + (next() % 512));
        for (let i = 0; i < body.length; i++) body[i] = next() & 0xff;
        const file = Buffer.concat([Buffer.from(magic, 'hex'), body]);
        const got = readCapture(file, 1 + (next() % 100));
        assert.ok(got.problems.length >= 1 && got.problems.length <= 4, `${magic} round ${round}`);
        for (const p of got.problems) assert.ok(CODES.has(p.code), p.code);
      }
    }
  });
});
