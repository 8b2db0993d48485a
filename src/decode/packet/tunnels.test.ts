import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PacketDecoder } from './decode-packet.js';
import { LinkType, TunnelKind } from './packet-info.js';
import { bytes, concat, ethernet, geneve, gre, icmp, ipv4, ipv6, tcp, udp, vxlan } from './packet-builder.js';
import { decodeBytes, isAddr, type Decoded } from './test-decode.js';

const INNER4 = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6, payload: tcp({ sport: 5555, dport: 80 }) });
const INNER6 = ipv6({ src: 'fd00::1', dst: 'fd00::2', next: 17, payload: udp(1000, 2000, bytes(1, 2, 3)) });

/** An outer IPv4 packet from 192.0.2.1 to 192.0.2.2 in an Ethernet frame. */
function outer4(proto: number, payload: Uint8Array): Uint8Array {
  return ethernet(0x0800, ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto, payload }));
}

function assertInner4(d: Decoded, kind: TunnelKind): void {
  assert.equal(d.name, 'Ok', d.out.weird);
  assert.equal(d.out.tunnel, kind);
  assert.equal(d.out.tunnelDepth, 1);
  assert.equal(d.out.tunnelIpVersion, 4);
  assert.ok(isAddr(d.out.tunnelSrc, '192.0.2.1'));
  assert.ok(isAddr(d.out.tunnelDst, '192.0.2.2'));
  assert.ok(isAddr(d.out.src, '10.0.0.1'));
  assert.ok(isAddr(d.out.dst, '10.0.0.2'));
  assert.equal(d.out.ipProto, 6);
  assert.equal(d.out.srcPort, 5555);
  assert.equal(d.out.dstPort, 80);
  assert.equal(d.out.transportOk, true);
}

test('IP-in-IP: 4in4, 6in4, 4in6, 6in6', () => {
  assertInner4(decodeBytes(outer4(4, INNER4)), TunnelKind.IpInIp);
  const six4 = decodeBytes(outer4(41, INNER6));
  assert.equal(six4.out.tunnel, TunnelKind.IpInIp);
  assert.ok(isAddr(six4.out.src, 'fd00::1'));
  assert.equal(six4.out.dstPort, 2000);
  const four6 = decodeBytes(ethernet(0x86dd, ipv6({ src: '2001:db8::1', dst: '2001:db8::2', next: 4, payload: INNER4 })));
  assert.equal(four6.out.tunnel, TunnelKind.IpInIp);
  assert.equal(four6.out.tunnelIpVersion, 6);
  assert.ok(isAddr(four6.out.tunnelSrc, '2001:db8::1'));
  assert.ok(isAddr(four6.out.src, '10.0.0.1'));
  const six6 = decodeBytes(ipv6({ next: 41, payload: INNER6 }), { linkType: LinkType.RAW });
  assert.equal(six6.out.ipVersion, 6);
  assert.equal(six6.out.tunnelIpVersion, 6);
  assert.equal(six6.out.srcPort, 1000);
});

test('IP-in-IP with the wrong inner version stays a protocol-4 flow, with a weird', () => {
  const d = decodeBytes(outer4(4, INNER6));
  assert.equal(d.name, 'Ok');
  assert.equal(d.out.tunnel, TunnelKind.None);
  assert.equal(d.out.ipProto, 4);
  assert.equal(d.out.transportOk, true);
  assert.equal(d.out.weird, 'invalid_inner_IP_version');
});

test('an inner IP header damaged before its addresses: the carrier is the flow, the weird is kept', () => {
  const broken = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6, payload: tcp(), ihl: 12 });
  const d = decodeBytes(outer4(4, broken));
  assert.equal(d.name, 'Ok');
  assert.equal(d.out.tunnel, TunnelKind.None);
  assert.ok(isAddr(d.out.src, '192.0.2.1'));
  assert.equal(d.out.ipProto, 4);
  assert.equal(d.out.weird, 'IPv4_min_header_size');
});

test('GRE version 0: IPv4 and IPv6 inside, optional checksum, key and sequence number', () => {
  assertInner4(decodeBytes(outer4(47, gre(0x0000, 0x0800, undefined, INNER4))), TunnelKind.Gre);
  const keyed = decodeBytes(outer4(47, gre(0xb000, 0x0800, 0xfeedf00d, INNER4)));
  assertInner4(keyed, TunnelKind.Gre);
  assert.equal(keyed.out.tunnelId, 0xfeedf00d);
  const six = decodeBytes(outer4(47, gre(0x1000, 0x86dd, undefined, INNER6)));
  assert.equal(six.out.tunnel, TunnelKind.Gre);
  assert.equal(six.out.tunnelId, -1);
  assert.equal(six.out.srcPort, 1000);
});

test('GRE transparent Ethernet bridging and ERSPAN carry Ethernet frames', () => {
  const frame = ethernet(0x0800, INNER4, [{ vid: 33 }]);
  const teb = decodeBytes(outer4(47, gre(0x2000, 0x6558, 7, frame)));
  assertInner4(teb, TunnelKind.Gre);
  assert.equal(teb.out.vlan, 33);
  assert.equal(teb.out.tunnelId, 7);
  const erspan2 = decodeBytes(outer4(47, gre(0x1000, 0x88be, undefined, concat(new Uint8Array(8), frame))));
  assertInner4(erspan2, TunnelKind.Gre);
  const erspan3 = concat(new Uint8Array(11), bytes(0x01), new Uint8Array(8), frame); // O bit: subheader
  assertInner4(decodeBytes(outer4(47, gre(0x1000, 0x22eb, undefined, erspan3))), TunnelKind.Gre);
});

test('PPTP enhanced GRE (version 1), unknown GRE payloads and damaged GRE stay protocol-47 flows', () => {
  for (const payload of [gre(0x3001, 0x880b, 0x00040001, bytes(0xff, 0x03, 0x00, 0x21)), gre(0, 0x1234)]) {
    const d = decodeBytes(outer4(47, payload));
    assert.equal(d.name, 'Ok');
    assert.equal(d.out.tunnel, TunnelKind.None);
    assert.equal(d.out.ipProto, 47);
    assert.equal(d.out.transportOk, true);
    assert.equal(d.out.srcPort, 0);
    assert.equal(d.out.payloadOffset, 34);
  }
  const cut = decodeBytes(outer4(47, bytes(0x20, 0x00, 0x08, 0x00, 0x00)));
  assert.equal(cut.out.ipProto, 47);
  assert.equal(cut.out.weird, 'truncated_GRE');
  const v3 = decodeBytes(outer4(47, gre(0x0003, 0x0800, undefined, INNER4)));
  assert.equal(v3.out.tunnel, TunnelKind.None);
  assert.equal(v3.out.weird, 'unknown_gre_version');
});

test('VXLAN: inner flow, carrier addresses and UDP ports, VNI', () => {
  const d = decodeBytes(outer4(17, udp(49152, 4789, vxlan(0x123456, ethernet(0x0800, INNER4)))));
  assertInner4(d, TunnelKind.Vxlan);
  assert.equal(d.out.tunnelSrcPort, 49152);
  assert.equal(d.out.tunnelDstPort, 4789);
  assert.equal(d.out.tunnelId, 0x123456);
  assert.equal(d.out.ipOffset, 14 + 20 + 8 + 8 + 14);
});

test('VXLAN without the I flag, or carrying ARP, is the carrier UDP flow', () => {
  const noFlag = decodeBytes(outer4(17, udp(49152, 4789, vxlan(1, ethernet(0x0800, INNER4), 0x00))));
  assert.equal(noFlag.out.tunnel, TunnelKind.None);
  assert.equal(noFlag.out.dstPort, 4789);
  const arp = decodeBytes(outer4(17, udp(49152, 4789, vxlan(1, ethernet(0x0806, new Uint8Array(28), [{ vid: 5 }])))));
  assert.equal(arp.name, 'Ok');
  assert.equal(arp.out.tunnel, TunnelKind.None);
  assert.equal(arp.out.ipProto, 17);
  assert.equal(arp.out.srcPort, 49152);
  assert.equal(arp.out.dstPort, 4789);
  assert.equal(arp.out.transportOk, true);
  assert.equal(arp.out.vlan, -1); // the inner frame's tag is not the carrier's
  assert.equal(arp.out.payloadLen, 8 + 14 + 4 + 28);
  const cut = decodeBytes(outer4(17, udp(49152, 4789, vxlan(1, ethernet(0x0800, INNER4).subarray(0, 16)))));
  assert.equal(cut.out.tunnel, TunnelKind.None);
  assert.equal(cut.out.dstPort, 4789);
});

test('Geneve: options skipped, inner Ethernet or IP by protocol type', () => {
  const opts = new Uint8Array(8);
  const eth = decodeBytes(outer4(17, udp(3000, 6081, geneve(77, 0x6558, opts, ethernet(0x0800, INNER4)))));
  assertInner4(eth, TunnelKind.Geneve);
  assert.equal(eth.out.tunnelId, 77);
  assert.equal(eth.out.tunnelDstPort, 6081);
  assertInner4(decodeBytes(outer4(17, udp(3000, 6081, geneve(77, 0x0800, new Uint8Array(0), INNER4)))), TunnelKind.Geneve);
  const other = decodeBytes(outer4(17, udp(3000, 6081, geneve(77, 0x9999, opts, INNER4))));
  assert.equal(other.out.tunnel, TunnelKind.None);
  assert.equal(other.out.dstPort, 6081);
});

test('Teredo: IPv6 in UDP, with origin indication and authentication', () => {
  const origin = bytes(0x00, 0x00, 0x0d, 0xd9, 0xa1, 0xb2, 0xc3, 0xd4);
  const auth = concat(bytes(0x00, 0x01, 2, 3), bytes(9, 9, 7, 7, 7), new Uint8Array(9));
  for (const prefix of [new Uint8Array(0), origin, concat(auth, origin)]) {
    const d = decodeBytes(outer4(17, udp(3544, 51000, concat(prefix, INNER6))));
    assert.equal(d.name, 'Ok');
    assert.equal(d.out.tunnel, TunnelKind.Teredo);
    assert.equal(d.out.tunnelSrcPort, 3544);
    assert.ok(isAddr(d.out.src, 'fd00::1'));
    assert.equal(d.out.ipProto, 17);
    assert.equal(d.out.dstPort, 2000);
  }
});

test('Teredo: a bubble is IPv6 without transport (no weird); a non-IPv6 payload stays UDP', () => {
  const bubble = ipv6({ next: 59, payload: new Uint8Array(0) });
  const b = decodeBytes(outer4(17, udp(51000, 3544, bubble)));
  assert.equal(b.out.tunnel, TunnelKind.Teredo);
  assert.equal(b.out.ipProto, 59);
  assert.equal(b.out.transportOk, false);
  assert.equal(b.out.weird, '');
  const junk = decodeBytes(outer4(17, udp(51000, 3544, concat(bubble, bytes(1, 2)))));
  assert.equal(junk.out.tunnel, TunnelKind.Teredo);
  assert.equal(junk.out.weird, 'Teredo_bubble_with_payload');
  // A DNS-looking payload on port 3544 is not Teredo.
  const dns = decodeBytes(outer4(17, udp(3544, 53, concat(bytes(0x12, 0x34, 1, 0), new Uint8Array(40)))));
  assert.equal(dns.out.tunnel, TunnelKind.None);
  assert.equal(dns.out.srcPort, 3544);
  // IPv6 whose length does not fill the datagram is not believed either.
  const loose = decodeBytes(outer4(17, udp(3544, 51000, concat(INNER6, bytes(0)))));
  assert.equal(loose.out.tunnel, TunnelKind.None);
  // Two origin indications are not Teredo.
  const twice = bytes(0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1);
  assert.equal(decodeBytes(outer4(17, udp(3544, 51000, concat(twice, INNER6)))).out.tunnel, TunnelKind.None);
});

test('ICMP errors inside a tunnel are not recursed into: the inner ICMP packet is the flow', () => {
  const quoted = ipv4({ src: '10.0.0.2', dst: '10.9.9.9', proto: 17, payload: udp(1, 2, bytes()) });
  const err = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 1, payload: icmp(11, 0, quoted) });
  const d = decodeBytes(outer4(17, udp(40000, 4789, vxlan(9, ethernet(0x0800, err)))));
  assert.equal(d.out.tunnel, TunnelKind.Vxlan);
  assert.ok(isAddr(d.out.src, '10.0.0.1'));
  assert.equal(d.out.ipProto, 1);
  assert.equal(d.out.srcPort, 11);
});

/** `n` IP-in-IP layers around INNER4, outermost first addressed 192.0.2.n. */
function nested(n: number): Uint8Array {
  let p = INNER4;
  for (let i = n; i >= 1; i--) p = ipv4({ src: `192.0.2.${i}`, dst: `198.51.100.${i}`, proto: 4, payload: p });
  return p;
}

test('tunnel depth: the innermost of up to 4 layers is decoded; a fifth is refused', () => {
  const four = decodeBytes(nested(4), { linkType: LinkType.RAW });
  assert.equal(four.name, 'Ok');
  assert.equal(four.out.tunnelDepth, 4);
  assert.ok(isAddr(four.out.src, '10.0.0.1'));
  assert.ok(isAddr(four.out.tunnelSrc, '192.0.2.4'));
  const five = decodeBytes(nested(5), { linkType: LinkType.RAW });
  assert.equal(five.name, 'Ok');
  assert.equal(five.out.weird, 'exceeded_tunnel_max_depth');
  assert.equal(five.out.tunnelDepth, 4);
  assert.ok(isAddr(five.out.src, '192.0.2.5')); // the deepest packet we were allowed to open
  assert.equal(five.out.ipProto, 4);
  const strict = decodeBytes(nested(2), { linkType: LinkType.RAW, decoder: new PacketDecoder({ maxTunnelDepth: 1 }) });
  assert.equal(strict.out.weird, 'exceeded_tunnel_max_depth');
  assert.equal(strict.out.tunnelDepth, 1);
  // A deep stack of Ethernet pseudowires is bounded the same way.
  let pw = ethernet(0x0800, INNER4);
  for (let i = 0; i < 6; i++) pw = ethernet(0x8847, concat(bytes(0, 0, 1, 64, 0, 0, 0, 0), pw));
  const p = decodeBytes(pw);
  assert.equal(p.name, 'Malformed');
  assert.equal(p.out.weird, 'exceeded_tunnel_max_depth');
});

test('nested tunnels record the innermost carrier', () => {
  const inVxlan = outer4(17, udp(1234, 4789, vxlan(5, ethernet(0x0800, ipv4({ src: '172.16.1.1', dst: '172.16.1.2', proto: 47, payload: gre(0, 0x0800, undefined, INNER4) })))));
  const d = decodeBytes(inVxlan);
  assert.equal(d.name, 'Ok');
  assert.equal(d.out.tunnel, TunnelKind.Gre);
  assert.equal(d.out.tunnelDepth, 2);
  assert.ok(isAddr(d.out.tunnelSrc, '172.16.1.1'));
  assert.equal(d.out.tunnelSrcPort, 0);
  assert.equal(d.out.tunnelId, -1);
  assert.equal(d.out.srcPort, 5555);
});
