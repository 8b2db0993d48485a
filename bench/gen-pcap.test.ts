/**
 * Checks the pcap generator with a tiny walker of its own (independent of src/decode): the file and record
 * headers, monotonic timestamps, well-formed Ethernet/802.1Q/IPv4/IPv6 headers, every IPv4 header checksum
 * and every TCP, UDP and ICMP checksum, determinism per seed, and, when tshark is installed, that
 * Wireshark's dissectors count the same packets and find nothing malformed and no TCP analysis flags.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { writePcap } from './gen-pcap.js';

const PACKETS = 20_000;

/** Per-packet facts the walker gathers. */
interface Walk {
  packets: number;
  vlan: number;
  v4: number;
  v6: number;
  tcp: number;
  udp: number;
  icmp: number;
  syn: number;
  badIpChecksum: number;
  badL4Checksum: number;
  lastTs: number;
}

function sum16(b: Buffer, start: number, end: number): number {
  let s = 0;
  for (let i = start; i + 1 < end; i += 2) s += b.readUInt16BE(i);
  if ((end - start) & 1) s += b[end - 1] << 8;
  return s;
}

function folds(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 65536);
  return s;
}

/** Walks a little-endian microsecond pcap of Ethernet frames, asserting structure as it goes. */
function walk(file: string): Walk {
  const b = fs.readFileSync(file);
  assert.equal(b.readUInt32LE(0), 0xa1b2c3d4, 'magic');
  assert.equal(b.readUInt16LE(4), 2);
  assert.equal(b.readUInt16LE(6), 4);
  assert.equal(b.readUInt32LE(20), 1, 'linktype Ethernet');
  const snaplen = b.readUInt32LE(16);
  const w: Walk = {
    packets: 0, vlan: 0, v4: 0, v6: 0, tcp: 0, udp: 0, icmp: 0, syn: 0, badIpChecksum: 0, badL4Checksum: 0, lastTs: 0,
  };
  let o = 24;
  while (o < b.length) {
    assert.ok(o + 16 <= b.length, 'truncated record header');
    const ts = b.readUInt32LE(o) * 1e6 + b.readUInt32LE(o + 4);
    assert.ok(b.readUInt32LE(o + 4) < 1e6, 'microseconds below one second');
    assert.ok(ts >= w.lastTs, `timestamps go back at packet ${w.packets + 1}`);
    w.lastTs = ts;
    const incl = b.readUInt32LE(o + 8);
    assert.equal(incl, b.readUInt32LE(o + 12), 'not truncated');
    assert.ok(incl <= snaplen && incl >= 14);
    const f = o + 16;
    const end = f + incl;
    assert.ok(end <= b.length, 'truncated record');
    let et = b.readUInt16BE(f + 12);
    let l3 = f + 14;
    if (et === 0x8100) {
      w.vlan++;
      assert.ok((b.readUInt16BE(f + 14) & 0xfff) > 0, 'VLAN id');
      et = b.readUInt16BE(f + 16);
      l3 += 4;
    }
    let proto: number;
    let l4: number;
    let pseudo: number;
    if (et === 0x0800) {
      w.v4++;
      assert.equal(b[l3], 0x45, 'IPv4 version and header length');
      assert.equal(b.readUInt16BE(l3 + 2), end - l3, 'IPv4 total length');
      if (folds(sum16(b, l3, l3 + 20)) !== 0xffff) w.badIpChecksum++;
      proto = b[l3 + 9];
      l4 = l3 + 20;
      pseudo = sum16(b, l3 + 12, l3 + 20);
    } else {
      assert.equal(et, 0x86dd, 'ethertype');
      w.v6++;
      assert.equal(b[l3] >> 4, 6, 'IPv6 version');
      assert.equal(b.readUInt16BE(l3 + 4), end - l3 - 40, 'IPv6 payload length');
      proto = b[l3 + 6];
      l4 = l3 + 40;
      pseudo = sum16(b, l3 + 8, l3 + 40);
    }
    const len = end - l4;
    if (proto === 6) {
      w.tcp++;
      const hl = (b[l4 + 12] >> 4) * 4;
      assert.ok(hl >= 20 && hl <= len, 'TCP header length');
      if ((b[l4 + 13] & 0x12) === 0x02) w.syn++;
    } else if (proto === 17) {
      w.udp++;
      assert.equal(b.readUInt16BE(l4 + 4), len, 'UDP length');
    } else {
      assert.ok(proto === 1 || proto === 58, `protocol ${proto}`);
      w.icmp++;
    }
    const total = proto === 1 ? sum16(b, l4, end) : sum16(b, l4, end) + pseudo + proto + len;
    if (folds(total) !== 0xffff) w.badL4Checksum++;
    w.packets++;
    o = end;
  }
  return w;
}

function onPath(tool: string): boolean {
  return spawnSync(tool, ['-v'], { stdio: 'ignore' }).status === 0;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-gen-pcap-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const file = path.join(dir, 'mix.pcap');

test('writes the packets asked for, well-formed, with valid checksums and increasing timestamps', () => {
  const res = writePcap(file, { packets: PACKETS, seed: 3 });
  assert.equal(res.packets, PACKETS);
  assert.equal(res.bytes, fs.statSync(file).size);
  assert.ok(res.flows > 100, `flows ${res.flows}`);
  const w = walk(file);
  assert.equal(w.packets, PACKETS);
  assert.equal(w.badIpChecksum, 0, 'IPv4 header checksums');
  assert.equal(w.badL4Checksum, 0, 'TCP/UDP/ICMP checksums');
  // The mix: mostly TCP with handshakes, some UDP, some IPv6 and 802.1Q.
  assert.ok(w.tcp > PACKETS * 0.6 && w.udp > PACKETS * 0.02, `tcp ${w.tcp} udp ${w.udp}`);
  assert.ok(w.syn > 50, `syn ${w.syn}`);
  assert.ok(w.v6 > PACKETS * 0.02 && w.vlan > PACKETS * 0.05, `v6 ${w.v6} vlan ${w.vlan}`);
});

test('is deterministic per seed', () => {
  const hash = (f: string): string => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
  const a = path.join(dir, 'a.pcap');
  const b = path.join(dir, 'b.pcap');
  const c = path.join(dir, 'c.pcap');
  writePcap(a, { packets: 3000, seed: 9, concurrency: 500 });
  // Small buffers and the writer thread must not change a byte.
  writePcap(b, { packets: 3000, seed: 9, concurrency: 500, bufferBytes: 64 << 10, writerThread: true });
  writePcap(c, { packets: 3000, seed: 10, concurrency: 500 });
  assert.equal(hash(a), hash(b));
  assert.notEqual(hash(a), hash(c));
});

test('tshark counts the same packets and finds none malformed and no TCP analysis flags', (t) => {
  if (!onPath('tshark')) {
    t.skip('tshark is not installed (apt-get install tshark)');
    return;
  }
  if (!fs.existsSync(file)) writePcap(file, { packets: PACKETS, seed: 3 });
  const out = spawnSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'frame.number', '-e', '_ws.malformed', '-e', 'tcp.analysis.flags'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  assert.equal(out.status, 0, out.stderr);
  const lines = out.stdout.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, PACKETS);
  const flagged = lines.filter((l) => l.split('\t').slice(1).some((f) => f.length > 0));
  assert.deepEqual(flagged.slice(0, 10), []);
});
