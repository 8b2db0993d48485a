/**
 * Damaged input never throws and never yields offsets outside the buffer: valid packets of every
 * kind the decoder knows are cut, bit-flipped and overwritten at random (deterministically seeded),
 * then decoded under every link type.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PacketDecoder } from './decode-packet.js';
import { DecodeResult, LinkType, PacketInfo } from './packet-info.js';
import { bytes, concat, ethernet, ext6, frag6, geneve, gre, icmp, ipv4, ipv6, sctp, tcp, udp, vxlan } from './packet-builder.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s;
  };
}

const T4 = ipv4({ proto: 6, payload: tcp({ payload: new Uint8Array(30) }) });
const U6 = ipv6({ next: 0, payload: concat(ext6(44, 0), frag6(17, 0, true, 3), udp(1, 3544, new Uint8Array(24))) });
const SEEDS: Uint8Array[] = [
  ethernet(0x0800, T4, [{ vid: 1 }, { vid: 2, tpid: 0x88a8 }]),
  ethernet(0x86dd, U6),
  ethernet(0x0800, ipv4({ proto: 17, payload: udp(5, 4789, vxlan(1, ethernet(0x86dd, ipv6({ next: 58, payload: icmp(128, 0) })))) })),
  ethernet(0x0800, ipv4({ proto: 17, payload: udp(5, 6081, geneve(1, 0x0800, new Uint8Array(4), T4)) })),
  ethernet(0x0800, ipv4({ proto: 47, payload: gre(0xb000, 0x6558, 9, ethernet(0x0800, T4)) })),
  ethernet(0x0800, ipv4({ proto: 41, payload: ipv6({ next: 132, payload: sctp(1, 2) }) })),
  ethernet(0x0800, ipv4({ proto: 17, payload: udp(3544, 9, ipv6({ next: 6, payload: tcp() })) })),
  ethernet(0x0800, ipv4({ proto: 6, mf: true, payload: tcp({ payload: new Uint8Array(64) }) })),
  ethernet(0x8847, concat(bytes(0, 0, 1, 64), T4)),
  ethernet(0x8864, concat(bytes(0x11, 0, 0, 1, 0, T4.length + 2, 0, 0x21), T4)),
  concat(bytes(0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 8, 0), T4),
  concat(bytes(2, 0, 0, 0, 8, 0, 1, 0, 0, 0, 0, 0), bytes(T4.length + 4, 0, 9, 0), T4),
];
const LINKS = [
  LinkType.ETHERNET,
  LinkType.RAW,
  LinkType.NULL,
  LinkType.LOOP,
  LinkType.LINUX_SLL,
  LinkType.LINUX_SLL2,
  LinkType.NFLOG,
  LinkType.IPV4,
  LinkType.IPV6,
];

test('randomly damaged packets: no exception, offsets inside the buffer, consistent results', () => {
  const r = rng(7);
  const decoder = new PacketDecoder({ maxFragmentBytes: 1 << 20 });
  const out = new PacketInfo();
  const counts = [0, 0, 0, 0, 0];
  for (let iter = 0; iter < 30000; iter++) {
    const seed = r() % SEEDS.length;
    const p = SEEDS[seed].slice();
    const edits = r() % 6;
    for (let e = 0; e < edits; e++) {
      const at = r() % p.length;
      if (r() % 2) p[at] ^= 1 << (r() % 8);
      else p[at] = r() & 0xff;
    }
    const cap = r() % 3 === 0 ? r() % (p.length + 1) : p.length;
    const wire = r() % 4 === 0 ? cap + (r() % 100) : cap;
    // Mostly the seed's own link type (the last two seeds are SLL and NFLOG), sometimes any.
    const native = seed === SEEDS.length - 2 ? LinkType.LINUX_SLL : seed === SEEDS.length - 1 ? LinkType.NFLOG : 1;
    const link = r() % 4 === 0 ? LINKS[r() % LINKS.length] : native;
    const res = decoder.decode(link, p, 0, cap, wire, iter * 1000, out);
    assert.ok(res >= DecodeResult.Ok && res <= DecodeResult.Unsupported);
    counts[res]++;
    if (res === DecodeResult.Malformed || res === DecodeResult.Unsupported) assert.notEqual(out.weird, '');
    if (res === DecodeResult.Ok && out.transportOk) {
      assert.ok(out.payloadCapLen >= 0 && out.payloadCapLen <= out.payloadLen, `iter ${iter}`);
      // The payload starts inside the IP packet per its headers; what is said captured is in the buffer.
      assert.ok(out.payloadOffset > out.ipOffset && out.payloadOffset <= out.ipOffset + out.ipLen, `iter ${iter}`);
      assert.ok(out.payloadOffset + out.payloadCapLen <= out.buf.length, `iter ${iter}`);
      // Payload length per headers: the rest of the IP packet (UDP's own length may say less).
      const rest = out.ipOffset + out.ipLen - out.payloadOffset;
      if (out.ipProto === 17) assert.ok(out.payloadLen <= rest, `iter ${iter}`);
      else assert.equal(out.payloadLen, rest, `iter ${iter}`);
    }
  }
  // Every outcome occurred: the damage reached every layer.
  assert.ok(counts.every((c) => c > 0), JSON.stringify(counts));
  assert.ok(decoder.fragmentBytes <= 1 << 20);
});
