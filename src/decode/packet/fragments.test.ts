import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PacketDecoder } from './decode-packet.js';
import { LinkType, PacketInfo, TunnelKind } from './packet-info.js';
import { concat, ethernet, ext6, frag6, ipv4, ipv6, tcp, udp, vxlan } from './packet-builder.js';
import { decodeBytes, isAddr, type Decoded } from './test-decode.js';

/** A datagram payload whose bytes say where they are. */
function payload(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);
}

/** The piece [offset, offset + len) of `data` as an IPv4 fragment. */
function frag4(data: Uint8Array, offset: number, len: number, more: boolean, id = 7, vlan?: number): Uint8Array {
  const ip = ipv4({ src: '10.1.1.1', dst: '10.2.2.2', proto: 17, id, mf: more, fragOffset: offset, payload: data.slice(offset, offset + len) });
  return ethernet(0x0800, ip, vlan === undefined ? [] : [{ vid: vlan }]);
}

const DGRAM = udp(5000, 53, payload(1992)); // 2000 bytes of UDP

/** Decodes frames in order, each into its own PacketInfo so earlier results stay readable. */
function feed(decoder: PacketDecoder, frames: Uint8Array[], ts = 1_000_000): Decoded[] {
  return frames.map((f, i) => decodeBytes(f, { decoder, ts: ts + i }));
}

function assertRebuilt(d: Decoded, udpLen: number): void {
  assert.equal(d.name, 'Ok', d.out.weird);
  assert.equal(d.out.reassembled, true);
  assert.equal(d.out.ipOffset, 0);
  assert.equal(d.out.ipLen, 20 + udpLen);
  assert.equal(d.out.srcPort, 5000);
  assert.equal(d.out.dstPort, 53);
  assert.equal(d.out.payloadLen, udpLen - 8);
  assert.equal(d.out.payloadCapLen, udpLen - 8);
}

test('IPv4 fragments in order: held, then rebuilt into the decoder buffer', () => {
  const decoder = new PacketDecoder();
  const r = feed(decoder, [frag4(DGRAM, 0, 800, true), frag4(DGRAM, 800, 800, true), frag4(DGRAM, 1600, 400, false)]);
  assert.equal(r[0].name, 'FragmentHeld');
  assert.equal(r[0].out.transportOk, false);
  assert.equal(r[1].name, 'FragmentHeld');
  assertRebuilt(r[2], 2000);
  const out = r[2].out;
  assert.deepEqual(out.buf.slice(28, 28 + 1992), payload(1992));
  // The rebuilt header: total length set, fragment fields cleared.
  assert.equal((out.buf[2] << 8) | out.buf[3], 2020);
  assert.equal(out.buf[6] & 0x3f, 0);
  assert.equal(out.buf[7], 0);
  assert.equal(decoder.pendingFragments, 0);
  assert.equal(decoder.fragmentBytes, 0);
});

test('IPv4 fragments out of order and duplicated', () => {
  const decoder = new PacketDecoder();
  const frames = [
    frag4(DGRAM, 1600, 400, false),
    frag4(DGRAM, 800, 800, true),
    frag4(DGRAM, 800, 800, true),
    frag4(DGRAM, 0, 800, true),
  ];
  const r = feed(decoder, frames);
  assert.deepEqual(r.slice(0, 3).map((d) => d.name), ['FragmentHeld', 'FragmentHeld', 'FragmentHeld']);
  assert.equal(r[2].out.weird, 'fragment_overlap');
  assertRebuilt(r[3], 2000);
  assert.deepEqual(r[3].out.buf.slice(28, 28 + 1992), payload(1992));
});

test('overlapping fragments: the first copy wins, a difference is fragment_inconsistency', () => {
  const decoder = new PacketDecoder();
  const altered = DGRAM.slice();
  altered.fill(0xee, 500, 1200);
  const r = feed(decoder, [
    frag4(DGRAM, 0, 1000, true),
    frag4(altered, 400, 1200, true), // overlaps 400..1000 with different bytes, adds 1000..1600
    frag4(DGRAM, 1600, 400, false),
  ]);
  assert.equal(r[1].name, 'FragmentHeld');
  assert.equal(r[1].out.weird, 'fragment_inconsistency');
  assertRebuilt(r[2], 2000);
  const rebuilt = r[2].out.buf.slice(20, 2020);
  const expected = DGRAM.slice();
  expected.fill(0xee, 1000, 1200); // only the part no earlier fragment had comes from the second
  assert.deepEqual(rebuilt, expected);
  assert.equal(decoder.weirds.get('fragment_inconsistency'), 1);
});

test('a fragment spanning held pieces fills the gaps around them and keeps the held bytes', () => {
  const decoder = new PacketDecoder();
  const altered = DGRAM.slice();
  altered.fill(0xaa);
  const r = feed(decoder, [
    frag4(DGRAM, 400, 200, true),
    frag4(DGRAM, 1000, 200, true),
    frag4(DGRAM, 1600, 400, false),
    frag4(altered, 0, 1600, true), // covers the holes 0..400, 600..1000, 1200..1600
  ]);
  assert.equal(r[3].name, 'Ok', r[3].out.weird);
  const expected = altered.slice();
  expected.set(DGRAM.subarray(400, 600), 400);
  expected.set(DGRAM.subarray(1000, 1200), 1000);
  expected.set(DGRAM.subarray(1600, 2000), 1600);
  assert.deepEqual(r[3].out.buf.slice(20, 2020), expected);
  // Two held blocks overlapped, both with different bytes.
  assert.equal(decoder.weirds.get('fragment_inconsistency'), 2);
});

test('datagrams are kept apart by VLAN and by id', () => {
  const decoder = new PacketDecoder();
  const other = udp(6000, 53, payload(1992));
  const r = feed(decoder, [
    frag4(DGRAM, 0, 1000, true, 7, 10),
    frag4(other, 0, 1000, true, 7, 20),
    frag4(DGRAM, 0, 1000, true, 8, 10),
    frag4(other, 1000, 1000, false, 7, 20),
    frag4(DGRAM, 1000, 1000, false, 7, 10),
  ]);
  assert.equal(decoder.pendingFragments, 1); // id 8 is still waiting
  assert.equal(r[3].name, 'Ok');
  assert.equal(r[3].out.srcPort, 6000);
  assert.equal(r[3].out.vlan, 20);
  assert.equal(r[4].name, 'Ok');
  assert.equal(r[4].out.srcPort, 5000);
  assert.equal(r[4].out.vlan, 10);
});

test('fragment timeout: an incomplete datagram older than the timeout is dropped', () => {
  const decoder = new PacketDecoder({ fragmentTimeoutMicros: 5_000_000 });
  const out = new PacketInfo();
  assert.equal(decodeBytes(frag4(DGRAM, 0, 1000, true), { decoder, out, ts: 0 }).name, 'FragmentHeld');
  // 6 s later the first half is gone, so the second half cannot complete anything.
  const late = decodeBytes(frag4(DGRAM, 1000, 1000, false), { decoder, out, ts: 6_000_000 });
  assert.equal(late.name, 'FragmentHeld');
  assert.equal(decoder.weirds.get('fragment_timeout'), 1);
  assert.equal(decoder.pendingFragments, 1);
  // Within the timeout it would have completed.
  const fresh = new PacketDecoder({ fragmentTimeoutMicros: 5_000_000 });
  decodeBytes(frag4(DGRAM, 0, 1000, true), { decoder: fresh, ts: 0 });
  assert.equal(decodeBytes(frag4(DGRAM, 1000, 1000, false), { decoder: fresh, ts: 4_000_000 }).name, 'Ok');
});

test('the default timeout is 30 s of capture time', () => {
  const decoder = new PacketDecoder();
  decodeBytes(frag4(DGRAM, 0, 1000, true), { decoder, ts: 0 });
  assert.equal(decodeBytes(frag4(DGRAM, 1000, 1000, false), { decoder, ts: 29_000_000 }).name, 'Ok');
  decodeBytes(frag4(DGRAM, 0, 1000, true), { decoder, ts: 100_000_000 });
  assert.equal(decodeBytes(frag4(DGRAM, 1000, 1000, false), { decoder, ts: 131_000_000 }).name, 'FragmentHeld');
});

test('fragment flood: held bytes never exceed the bound; old datagrams are evicted', () => {
  const max = 256 * 1024;
  const decoder = new PacketDecoder({ maxFragmentBytes: max });
  const out = new PacketInfo();
  let peak = 0;
  for (let id = 0; id < 20000; id++) {
    const r = decodeBytes(frag4(DGRAM, 0, 1000, true, id & 0xffff), { decoder, out, ts: id });
    assert.equal(r.name, 'FragmentHeld');
    peak = Math.max(peak, decoder.fragmentBytes);
  }
  assert.ok(peak <= max, `peak ${peak} > ${max}`);
  assert.ok(decoder.pendingFragments < 200, `${decoder.pendingFragments} datagrams held`);
  assert.ok((decoder.weirds.get('fragment_table_full') ?? 0) > 19000);
  // The newest datagram is still held and completes.
  const last = decodeBytes(frag4(DGRAM, 1000, 1000, false, 19999), { decoder, out, ts: 20000 });
  assert.equal(last.name, 'Ok');
  assert.equal(last.out.srcPort, 5000);
});

test('a datagram beyond 65535 bytes is dropped: excessively_large_fragment', () => {
  const decoder = new PacketDecoder();
  const r = feed(decoder, [frag4(new Uint8Array(65600), 65496, 96, false)]);
  assert.equal(r[0].name, 'Malformed');
  assert.equal(r[0].out.weird, 'excessively_large_fragment');
  assert.equal(decoder.pendingFragments, 0);
});

test('too many holes: fragment_too_many_holes drops the datagram', () => {
  const decoder = new PacketDecoder();
  const data = new Uint8Array(16 * 600);
  const out = new PacketInfo();
  let last: Decoded | undefined;
  for (let i = 0; i < 600; i++) {
    last = decodeBytes(frag4(data, i * 16, 8, true), { decoder, out });
    if (last.name !== 'FragmentHeld') break;
  }
  assert.equal(last?.name, 'Malformed');
  assert.equal(last?.out.weird, 'fragment_too_many_holes');
  assert.equal(decoder.pendingFragments, 0);
  assert.equal(decoder.fragmentBytes, 0);
});

test('an incompletely captured fragment: the first is decoded as it is, others are dropped', () => {
  const first = frag4(DGRAM, 0, 1000, true);
  const d = decodeBytes(first, { capLen: 100, wireLen: first.length });
  assert.equal(d.name, 'Ok');
  assert.equal(d.out.weird, 'incompletely_captured_fragment');
  assert.equal(d.out.srcPort, 5000);
  assert.equal(d.out.reassembled, false);
  const second = frag4(DGRAM, 1000, 1000, false);
  const s = decodeBytes(second, { capLen: 100, wireLen: second.length });
  assert.equal(s.name, 'Malformed');
  assert.equal(s.out.weird, 'incompletely_captured_fragment');
});

/** IPv6 fragments with a hop-by-hop header before the fragment header. */
function frag6s(data: Uint8Array, pieces: [number, number, boolean][], id: number): Uint8Array[] {
  return pieces.map(([off, len, more]) =>
    ethernet(0x86dd, ipv6({ next: 0, payload: concat(ext6(44, 0), frag6(6, off, more, id), data.slice(off, off + len)) })),
  );
}

test('IPv6 fragments: reassembled, fragment header removed, next header patched', () => {
  const seg = tcp({ sport: 4444, dport: 8080, payload: payload(1480) }); // 1500 bytes
  const decoder = new PacketDecoder();
  const r = feed(decoder, frag6s(seg, [[1000, 500, false], [0, 504, true], [504, 496, true]], 0xabcdef01));
  assert.equal(r[0].name, 'FragmentHeld');
  assert.equal(r[0].out.ipProto, 6);
  assert.equal(r[1].name, 'FragmentHeld');
  const d = r[2];
  assert.equal(d.name, 'Ok', d.out.weird);
  assert.equal(d.out.reassembled, true);
  assert.equal(d.out.ipProto, 6);
  assert.equal(d.out.srcPort, 4444);
  assert.equal(d.out.ipLen, 40 + 8 + 1500);
  assert.equal(d.out.payloadLen, 1480);
  assert.equal(d.out.buf[40], 6); // hop-by-hop's next header now names TCP
  assert.deepEqual(d.out.buf.slice(48, 48 + 1500), seg);
});

test('a fragment inside a reassembled datagram is refused, not recursed into', () => {
  // The fragmentable part starts with another (non-atomic) fragment header.
  const inner = concat(frag6(17, 8, true, 5), udp(1, 2, payload(40)));
  const pieces: [number, number, boolean][] = [[0, 32, true], [32, inner.length - 32, false]];
  const frames = pieces.map(([off, len, more]) =>
    ethernet(0x86dd, ipv6({ next: 44, payload: concat(frag6(44, off, more, 9), inner.slice(off, off + len)) })),
  );
  const r = feed(new PacketDecoder(), frames);
  assert.equal(r[1].name, 'Malformed');
  assert.equal(r[1].out.weird, 'fragment_in_reassembled_packet');
});

test('fragments inside a tunnel are reassembled at their depth; the carrier is recorded', () => {
  const decoder = new PacketDecoder();
  const inner = (off: number, len: number, more: boolean) =>
    ethernet(
      0x0800,
      ipv4({ src: '172.16.0.1', dst: '172.16.0.2', proto: 4, payload: frag4(DGRAM, off, len, more).subarray(14) }),
    );
  const wrapped = (off: number, len: number, more: boolean) =>
    ethernet(0x0800, ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: 17, payload: udp(777, 4789, vxlan(42, inner(off, len, more))) }));
  const r = feed(decoder, [wrapped(0, 1000, true), wrapped(1000, 1000, false)]);
  assert.equal(r[0].name, 'FragmentHeld');
  assert.equal(r[0].out.tunnel, TunnelKind.IpInIp);
  const d = r[1];
  assertRebuilt(d, 2000);
  assert.equal(d.out.tunnel, TunnelKind.IpInIp);
  assert.equal(d.out.tunnelDepth, 2);
  assert.ok(isAddr(d.out.tunnelSrc, '172.16.0.1'));
  assert.ok(isAddr(d.out.src, '10.1.1.1'));
});

test('a raw-IP fragment sequence completes too (no link layer)', () => {
  const frames = [frag4(DGRAM, 0, 1000, true), frag4(DGRAM, 1000, 1000, false)].map((f) => f.subarray(14));
  const decoder = new PacketDecoder();
  const out = new PacketInfo();
  const r = frames.map((f) => decodeBytes(f, { decoder, out, linkType: LinkType.RAW }));
  assertRebuilt(r[1], 2000);
});
