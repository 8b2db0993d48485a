import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PacketInfo, TunnelKind } from '../decode/packet/packet-info.js';
import { FlowSharder } from './flow-shard.js';

/** A decoded packet from a to b (IPv4 when the addresses have 4 bytes). */
function fill(p: PacketInfo, a: number[], b: number[], proto: number, sp: number, dp: number): void {
  p.reset();
  p.ipVersion = a.length === 4 ? 4 : 6;
  p.src.set(a);
  p.dst.set(b);
  p.ipProto = proto;
  p.transportOk = true;
  p.srcPort = sp;
  p.dstPort = dp;
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8;
}

test('both directions of a flow go to the same shard, and flows spread over all shards', () => {
  const p = new PacketInfo();
  const sharder = new FlowSharder(p, 3);
  const rnd = seeded(7);
  const seen = [0, 0, 0];
  for (let i = 0; i < 3000; i++) {
    const v6 = i % 4 === 0;
    const a = Array.from({ length: v6 ? 16 : 4 }, () => rnd() & 255);
    const b = Array.from({ length: v6 ? 16 : 4 }, () => rnd() & 255);
    const proto = [6, 17, 1, 132, 47][i % 5];
    const sp = rnd() & 0xffff;
    const dp = rnd() & 0xffff;
    fill(p, a, b, proto, sp, dp);
    const there = sharder.shard();
    fill(p, b, a, proto, dp, sp);
    assert.equal(sharder.shard(), there, `flow ${i}`);
    seen[there]++;
  }
  for (const n of seen) assert.ok(n > 800, `shares ${seen.join(', ')}`);
});

test('tunnelled packets follow their outer addresses, whatever the outer ports and inner flow', () => {
  const p = new PacketInfo();
  const sharder = new FlowSharder(p, 8);
  const shards = new Set<number>();
  for (let i = 0; i < 200; i++) {
    fill(p, [10, 0, 0, i & 255], [10, 0, 1, 7], 6, 1000 + i, 443);
    p.tunnel = TunnelKind.Geneve;
    p.tunnelIpVersion = 4;
    p.tunnelSrc.set(i % 2 === 0 ? [192, 168, 56, 11] : [192, 168, 56, 12]);
    p.tunnelDst.set(i % 2 === 0 ? [192, 168, 56, 12] : [192, 168, 56, 11]);
    p.tunnelSrcPort = 20000 + i;
    p.tunnelDstPort = 6081;
    shards.add(sharder.shard());
  }
  assert.equal(shards.size, 1);
  // The tunnel's own UDP connection (its outer 5-tuple, undecoded inner) goes to the same shard.
  fill(p, [192, 168, 56, 11], [192, 168, 56, 12], 17, 20001, 6081);
  assert.ok(shards.has(sharder.shard()));
});

test('an exporter meets the same shard from any source port (templates stay together)', () => {
  const p = new PacketInfo();
  const sharder = new FlowSharder(p, 8);
  const shards = new Set<number>();
  for (let sp = 30000; sp < 30100; sp++) {
    fill(p, [172, 16, 0, 1], [10, 9, 9, 9], 17, sp, 2055);
    shards.add(sharder.shard());
  }
  assert.equal(shards.size, 1);
});
