import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parsePcap, readPcap } from './test-pcap.js';

const DIR = path.join(process.cwd(), 'test/fixtures/pcap');

test('test-pcap reads nanosecond pcap (times as tshark shows them, truncated to microseconds)', () => {
  const p = readPcap(path.join(DIR, 'tcpdump_tcp_handshake_nano_sll.pcap'));
  assert.equal(p.nanosecond, true);
  assert.equal(p.linkType, 113);
  assert.deepEqual(
    p.packets.map((k) => [k.ts, k.wireLen, k.data.length]),
    [
      [1418145369924505, 76, 76],
      [1418145370052027, 76, 76],
      [1418145370052115, 68, 68],
    ],
  );
});

test('test-pcap reads big-endian microsecond pcap and a snap-length-cut record', () => {
  const be = readPcap(path.join(DIR, 'zeek_bigendian_smb_dssetup.cap'));
  assert.equal(be.nanosecond, false);
  assert.equal(be.linkType, 1);
  assert.deepEqual([be.packets[0].ts, be.packets[0].wireLen], [1073392738144777, 111]);
  const cut = readPcap(path.join(DIR, 'zeek_trunc_hdr.pcap'));
  assert.deepEqual([cut.packets[0].ts, cut.packets[0].wireLen, cut.packets[0].data.length], [1404148886981015, 78, 8]);
});

test('test-pcap rejects a file that is not pcap', () => {
  assert.throws(() => parsePcap(new Uint8Array(24)), /bad magic/);
  assert.throws(() => parsePcap(new Uint8Array(10)), /shorter/);
});
