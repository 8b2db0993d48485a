/**
 * Decode-only micro benchmark of the packet decoder: builds a realistic mix of Ethernet frames
 * (IPv4/IPv6, TCP/UDP/ICMP, some VLAN-tagged, a little ARP) into one buffer, as a capture file would
 * sit in memory, and times decoding it over and over into one reused PacketInfo.
 * Run: `node dist/bench/packet-decode.js [seconds] [distinct packets]` (defaults: 5 s, 65,536).
 */
import { PacketDecoder } from '../src/decode/packet/decode-packet.js';
import { LinkType, PacketInfo } from '../src/decode/packet/packet-info.js';
import { bytes, ethernet, icmp, ipv4, ipv6, tcp, udp, type VlanTag } from '../src/decode/packet/packet-builder.js';

/** A deterministic pseudo-random source, so runs are comparable. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s;
  };
}

/** TCP options as a Linux host sends them on established connections (NOP, NOP, timestamps). */
const TCP_TS = bytes(1, 1, 8, 10, 0, 0, 1, 0, 0, 0, 2, 0);

function makePacket(r: () => number): Uint8Array {
  const kind = r() % 100;
  const a = `10.${r() % 256}.${r() % 256}.${(r() % 254) + 1}`;
  const b = `192.168.${r() % 256}.${(r() % 254) + 1}`;
  const a6 = `2001:db8:${(r() % 65535).toString(16)}::${(r() % 65535).toString(16)}`;
  const b6 = `2001:db8:ffff::${(r() % 65535).toString(16)}`;
  const sport = 1024 + (r() % 60000);
  // Payload sizes: many empty ACKs, many full-size segments, some in between.
  const sizeDraw = r() % 10;
  const size = sizeDraw < 4 ? 0 : sizeDraw < 7 ? 1448 : r() % 1400;
  const seg = () => tcp({ sport, dport: 443, seq: r(), ack: r(), flags: 0x10, options: TCP_TS, payload: new Uint8Array(size) });
  const tags: VlanTag[] = [{ vid: 1 + (r() % 4000) }];
  if (kind < 55) return ethernet(0x0800, ipv4({ src: a, dst: b, proto: 6, payload: seg() }));
  if (kind < 65) return ethernet(0x0800, ipv4({ src: a, dst: b, proto: 6, payload: seg() }), tags);
  if (kind < 80) return ethernet(0x0800, ipv4({ src: a, dst: b, proto: 17, payload: udp(sport, 53, new Uint8Array(40 + (r() % 200))) }));
  if (kind < 92) return ethernet(0x86dd, ipv6({ src: a6, dst: b6, next: 6, payload: seg() }));
  if (kind < 96) return ethernet(0x86dd, ipv6({ src: a6, dst: b6, next: 17, payload: udp(sport, 443, new Uint8Array(r() % 1200)) }));
  if (kind < 98) return ethernet(0x0800, ipv4({ src: a, dst: b, proto: 1, payload: icmp(8, 0, new Uint8Array(56)) }));
  return ethernet(0x0806, new Uint8Array(28));
}

function main(): void {
  const seconds = Number(process.argv[2] ?? 5);
  const distinct = Number(process.argv[3] ?? 65536);
  const r = rng(42);
  const packets: Uint8Array[] = [];
  let total = 0;
  for (let i = 0; i < distinct; i++) {
    const p = makePacket(r);
    packets.push(p);
    total += p.length;
  }
  // One buffer with all frames back to back, as a capture file read into memory.
  const buf = new Uint8Array(total);
  const offsets = new Int32Array(distinct);
  const lengths = new Int32Array(distinct);
  let o = 0;
  packets.forEach((p, i) => {
    buf.set(p, o);
    offsets[i] = o;
    lengths[i] = p.length;
    o += p.length;
  });

  const decoder = new PacketDecoder();
  const out = new PacketInfo();
  let check = 0;
  const pass = (): void => {
    for (let i = 0; i < distinct; i++) {
      const len = lengths[i];
      decoder.decode(LinkType.ETHERNET, buf, offsets[i], len, len, i, out);
      check = (check + out.srcPort + out.payloadLen) | 0;
    }
  };
  // Warm up, then time whole passes until the time is used.
  const warmUntil = performance.now() + 1000;
  while (performance.now() < warmUntil) pass();
  let n = 0;
  const t0 = performance.now();
  const stop = t0 + seconds * 1000;
  while (performance.now() < stop) {
    pass();
    n += distinct;
  }
  const elapsed = (performance.now() - t0) / 1000;
  const pps = n / elapsed;
  const avg = total / distinct;
  console.log(
    `packet decode: ${n.toLocaleString('en-US')} packets in ${elapsed.toFixed(2)} s = ` +
      `${(pps / 1e6).toFixed(2)} M packets/s (${distinct.toLocaleString('en-US')} distinct, ` +
      `avg ${avg.toFixed(0)} bytes, ${((pps * avg * 8) / 1e9).toFixed(1)} Gbit/s of frames) [check ${check % 1000}]`,
  );
  const weirds = [...decoder.weirds].map(([k, v]) => `${k}=${v}`).join(' ');
  if (weirds !== '') console.log(`weirds: ${weirds}`);
}

main();
