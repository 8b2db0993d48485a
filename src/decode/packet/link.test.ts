import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LinkType, TunnelKind } from './packet-info.js';
import { bytes, concat, ethernet, ipv4, ipv6, tcp, udp } from './packet-builder.js';
import { decodeBytes, isAddr } from './test-decode.js';

const TCP4 = ipv4({ src: '192.0.2.1', dst: '198.51.100.2', proto: 6, payload: tcp({ sport: 1234, dport: 443 }) });
const UDP6 = ipv6({ src: '2001:db8::a', dst: '2001:db8::b', next: 17, payload: udp(5353, 53, bytes(1, 2, 3)) });

function assertTcp4(d: ReturnType<typeof decodeBytes>): void {
  assert.equal(d.name, 'Ok', d.out.weird);
  assert.equal(d.out.ipVersion, 4);
  assert.ok(isAddr(d.out.src, '192.0.2.1'));
  assert.ok(isAddr(d.out.dst, '198.51.100.2'));
  assert.equal(d.out.ipProto, 6);
  assert.equal(d.out.srcPort, 1234);
  assert.equal(d.out.dstPort, 443);
  assert.equal(d.out.transportOk, true);
}

function assertUdp6(d: ReturnType<typeof decodeBytes>): void {
  assert.equal(d.name, 'Ok', d.out.weird);
  assert.equal(d.out.ipVersion, 6);
  assert.ok(isAddr(d.out.src, '2001:db8::a'));
  assert.ok(isAddr(d.out.dst, '2001:db8::b'));
  assert.equal(d.out.srcPort, 5353);
  assert.equal(d.out.dstPort, 53);
  assert.equal(d.out.payloadLen, 3);
}

test('Ethernet II: IPv4/TCP and IPv6/UDP', () => {
  const d = decodeBytes(ethernet(0x0800, TCP4));
  assertTcp4(d);
  assert.equal(d.out.ipOffset, 14);
  assert.equal(d.out.vlan, -1);
  assert.equal(d.out.tunnel, TunnelKind.None);
  assertUdp6(decodeBytes(ethernet(0x86dd, UDP6)));
});

test('Ethernet: non-IP ethertypes are NotIp, a short frame is truncated_ethernet_frame', () => {
  assert.equal(decodeBytes(ethernet(0x0806, new Uint8Array(28))).name, 'NotIp');
  assert.equal(decodeBytes(ethernet(0x88cc, new Uint8Array(28))).name, 'NotIp');
  const d = decodeBytes(ethernet(0x0800, TCP4).subarray(0, 13));
  assert.equal(d.name, 'Malformed');
  assert.equal(d.out.weird, 'truncated_ethernet_frame');
  assert.equal(d.decoder.weirds.get('truncated_ethernet_frame'), 1);
});

test('Ethernet padding is not payload: lengths come from the IP header', () => {
  const frame = concat(ethernet(0x0800, TCP4), new Uint8Array(10));
  const d = decodeBytes(frame);
  assertTcp4(d);
  assert.equal(d.out.ipLen, TCP4.length);
  assert.equal(d.out.payloadLen, 0);
  assert.equal(d.out.payloadCapLen, 0);
});

test('802.3 with LLC/SNAP carries IP; other LLC frames are NotIp', () => {
  const snap = concat(bytes(0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00), TCP4);
  const frame = concat(ethernet(snap.length, new Uint8Array(0)), snap);
  assertTcp4(decodeBytes(frame));
  // Spanning tree (DSAP/SSAP 0x42).
  const stp = concat(bytes(0x42, 0x42, 0x03), new Uint8Array(35));
  assert.equal(decodeBytes(concat(ethernet(stp.length, new Uint8Array(0)), stp)).name, 'NotIp');
  // SNAP with a vendor OUI (Cisco CDP).
  const cdp = concat(bytes(0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00), new Uint8Array(30));
  assert.equal(decodeBytes(concat(ethernet(cdp.length, new Uint8Array(0)), cdp)).name, 'NotIp');
  const cut = decodeBytes(concat(ethernet(40, new Uint8Array(0)), bytes(0xaa, 0xaa, 0x03, 0)));
  assert.equal(cut.name, 'Malformed');
  assert.equal(cut.out.weird, 'truncated_LLC_header');
});

test('VLAN stacks of any depth: outermost id and the next one are kept', () => {
  const tags = [{ vid: 100, tpid: 0x88a8 }, { vid: 200 }, { vid: 300, tpid: 0x9100 }, { vid: 400 }, { vid: 4095 }];
  const d = decodeBytes(ethernet(0x0800, TCP4, tags));
  assertTcp4(d);
  assert.equal(d.out.vlan, 100);
  assert.equal(d.out.innerVlan, 200);
  assert.equal(d.out.ipOffset, 14 + 5 * 4);
  const one = decodeBytes(ethernet(0x86dd, UDP6, [{ vid: 0 }]));
  assertUdp6(one);
  assert.equal(one.out.vlan, 0);
  assert.equal(one.out.innerVlan, -1);
  const cut = decodeBytes(ethernet(0x0800, TCP4, [{ vid: 7 }, { vid: 8 }]).subarray(0, 20));
  assert.equal(cut.name, 'Malformed');
  assert.equal(cut.out.weird, 'truncated_VLAN_header');
});

test('MPLS label stacks lead to IPv4, IPv6, or an Ethernet pseudowire', () => {
  const labels = (n: number) => {
    const b = new Uint8Array(4 * n);
    for (let i = 0; i < n; i++) {
      b[4 * i] = 0x01;
      b[4 * i + 2] = i === n - 1 ? 0x01 : 0x00; // bottom of stack on the last
      b[4 * i + 3] = 64;
    }
    return b;
  };
  assertTcp4(decodeBytes(ethernet(0x8847, concat(labels(3), TCP4))));
  assertUdp6(decodeBytes(ethernet(0x8847, concat(labels(1), UDP6))));
  const pw = decodeBytes(ethernet(0x8847, concat(labels(2), bytes(0, 0, 0, 0), ethernet(0x0800, TCP4))));
  assertTcp4(pw);
  const odd = decodeBytes(ethernet(0x8847, concat(labels(1), bytes(0x50, 0, 0, 0))));
  assert.equal(odd.name, 'Unsupported');
  assert.equal(odd.out.weird, 'unknown_MPLS_payload');
  const noBottom = decodeBytes(ethernet(0x8847, bytes(0, 0, 0, 64, 0, 0, 0, 64)));
  assert.equal(noBottom.name, 'Malformed');
  assert.equal(noBottom.out.weird, 'truncated_MPLS_header');
});

test('PPPoE sessions carry IPv4 (0x0021) and IPv6 (0x0057); other PPP protocols are NotIp', () => {
  const pppoe = (proto: number, payload: Uint8Array, ver = 0x11) =>
    concat(bytes(ver, 0x00, 0x12, 0x34, (payload.length + 2) >> 8, payload.length + 2, proto >> 8, proto), payload);
  assertTcp4(decodeBytes(ethernet(0x8864, pppoe(0x0021, TCP4))));
  assertUdp6(decodeBytes(ethernet(0x8864, pppoe(0x0057, UDP6))));
  assert.equal(decodeBytes(ethernet(0x8864, pppoe(0xc021, new Uint8Array(10)))).name, 'NotIp');
  assert.equal(decodeBytes(ethernet(0x8863, new Uint8Array(20))).name, 'NotIp'); // discovery
  const bad = decodeBytes(ethernet(0x8864, pppoe(0x0021, TCP4, 0x21)));
  assert.equal(bad.name, 'Malformed');
  assert.equal(bad.out.weird, 'bad_PPPoE_header');
  const cut = decodeBytes(ethernet(0x8864, bytes(0x11, 0, 0, 1)));
  assert.equal(cut.out.weird, 'truncated_PPPoE_header');
  // The PPPoE length bounds the packet: an IP length beyond it is truncated_IP_len.
  const short = concat(bytes(0x11, 0x00, 0x12, 0x34, 0, 30, 0x00, 0x21), TCP4);
  assert.equal(decodeBytes(ethernet(0x8864, short)).out.weird, 'truncated_IP_len');
});

test('Linux cooked captures: SLL (113) and SLL2 (276)', () => {
  const sll = (proto: number, hatype = 1) =>
    concat(bytes(0, 0, hatype >> 8, hatype, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, proto >> 8, proto));
  assertTcp4(decodeBytes(concat(sll(0x0800), TCP4), { linkType: LinkType.LINUX_SLL }));
  assertUdp6(decodeBytes(concat(sll(0x86dd), UDP6), { linkType: LinkType.LINUX_SLL }));
  const llc = concat(sll(0x0004), bytes(0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00), TCP4);
  assertTcp4(decodeBytes(llc, { linkType: LinkType.LINUX_SLL }));
  assert.equal(decodeBytes(concat(sll(0x0806), new Uint8Array(28)), { linkType: LinkType.LINUX_SLL }).name, 'NotIp');
  assert.equal(decodeBytes(concat(sll(0x0000, 824), new Uint8Array(28)), { linkType: 113 }).name, 'NotIp');
  const cut = decodeBytes(sll(0x0800).subarray(0, 15), { linkType: LinkType.LINUX_SLL });
  assert.equal(cut.out.weird, 'truncated_Linux_SLL_header');

  const sll2 = (proto: number) => bytes(proto >> 8, proto, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0);
  assertTcp4(decodeBytes(concat(sll2(0x0800), TCP4), { linkType: LinkType.LINUX_SLL2 }));
  const tagged = concat(sll2(0x8100), bytes(0x00, 42, 0x86, 0xdd), UDP6);
  const d = decodeBytes(tagged, { linkType: LinkType.LINUX_SLL2 });
  assertUdp6(d);
  assert.equal(d.out.vlan, 42);
  const cut2 = decodeBytes(sll2(0x0800).subarray(0, 19), { linkType: LinkType.LINUX_SLL2 });
  assert.equal(cut2.out.weird, 'truncated_Linux_SLL2_header');
});

test('raw IP link types: 101, 228, 229 and the legacy 12 and 14', () => {
  for (const lt of [LinkType.RAW, LinkType.IPV4, LinkType.RAW_LEGACY_12, LinkType.RAW_LEGACY_14]) {
    const d = decodeBytes(TCP4, { linkType: lt });
    assertTcp4(d);
    assert.equal(d.out.ipOffset, 0);
  }
  assertUdp6(decodeBytes(UDP6, { linkType: LinkType.IPV6 }));
  assertUdp6(decodeBytes(UDP6, { linkType: LinkType.RAW }));
});

test('BSD null/loopback: the family in either byte order; IPv6 as 24, 28 or 30', () => {
  assertTcp4(decodeBytes(concat(bytes(2, 0, 0, 0), TCP4), { linkType: LinkType.NULL }));
  assertTcp4(decodeBytes(concat(bytes(0, 0, 0, 2), TCP4), { linkType: LinkType.NULL }));
  for (const af of [24, 28, 30]) {
    assertUdp6(decodeBytes(concat(bytes(af, 0, 0, 0), UDP6), { linkType: LinkType.NULL }));
    assertUdp6(decodeBytes(concat(bytes(0, 0, 0, af), UDP6), { linkType: LinkType.LOOP }));
  }
  assert.equal(decodeBytes(concat(bytes(7, 0, 0, 0), TCP4), { linkType: LinkType.NULL }).name, 'NotIp');
  assert.equal(decodeBytes(bytes(2, 0, 0), { linkType: LinkType.NULL }).out.weird, 'truncated_NULL_header');
});

/** One NFLOG attribute in the given byte order, padded to 4 bytes. */
function tlv(type: number, value: Uint8Array, little: boolean): Uint8Array {
  const len = 4 + value.length;
  const h = little ? bytes(len, len >> 8, type, type >> 8) : bytes(len >> 8, len, type >> 8, type);
  return concat(h, value, new Uint8Array((4 - (len % 4)) % 4));
}

test('NFLOG: walks the attributes (either byte order) to the payload', () => {
  for (const little of [true, false]) {
    const attrs = concat(
      tlv(1, bytes(0x08, 0x00, 0, 0), little), // packet header
      tlv(10, bytes(0x6c, 0x6f, 0x67, 0x00, 0x21), little), // prefix, 5 bytes: padded
      tlv(9, TCP4, little),
    );
    const d = decodeBytes(concat(bytes(2, 0, 0, 0), attrs), { linkType: LinkType.NFLOG });
    assertTcp4(d);
  }
  const v6 = concat(bytes(10, 0, 0, 0), tlv(1, bytes(0x86, 0xdd, 0, 0), true), tlv(9, UDP6, true));
  assertUdp6(decodeBytes(v6, { linkType: LinkType.NFLOG }));
  const noPayload = concat(bytes(2, 0, 0, 0), tlv(1, bytes(8, 0, 0, 0), true));
  assert.equal(decodeBytes(noPayload, { linkType: LinkType.NFLOG }).name, 'NotIp');
  const badVersion = decodeBytes(concat(bytes(2, 1, 0, 0), tlv(9, TCP4, true)), { linkType: LinkType.NFLOG });
  assert.equal(badVersion.name, 'Unsupported');
  assert.equal(badVersion.out.weird, 'unknown_NFLOG_version');
  const zeroLen = decodeBytes(concat(bytes(2, 0, 0, 0), bytes(8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9, 0)), {
    linkType: LinkType.NFLOG,
  });
  assert.equal(zeroLen.name, 'Malformed');
  assert.equal(zeroLen.out.weird, 'bad_NFLOG_TLV');
  const cut = concat(bytes(2, 0, 0, 0), tlv(1, bytes(8, 0, 0, 0), true), tlv(9, TCP4, true));
  const snapped = decodeBytes(cut, { linkType: LinkType.NFLOG, capLen: 10, wireLen: cut.length });
  assert.equal(snapped.out.weird, 'truncated_NFLOG_header');
});

test('an unknown link type is Unsupported', () => {
  const d = decodeBytes(TCP4, { linkType: 147 });
  assert.equal(d.name, 'Unsupported');
  assert.equal(d.out.weird, 'unknown_link_type');
});

test('a snap length shorter than the packet: payload captured vs payload per headers', () => {
  const data = new Uint8Array(1000).fill(0x61);
  const frame = ethernet(0x0800, ipv4({ proto: 6, payload: tcp({ payload: data }) }));
  const d = decodeBytes(frame, { capLen: 14 + 20 + 20 + 100, wireLen: frame.length });
  assert.equal(d.name, 'Ok');
  assert.equal(d.out.transportOk, true);
  assert.equal(d.out.payloadOffset, 54);
  assert.equal(d.out.payloadLen, 1000);
  assert.equal(d.out.payloadCapLen, 100);
  assert.equal(d.out.capLen, 154);
  assert.equal(d.out.wireLen, frame.length);
});

test('capLen beyond the buffer is clamped, and a bad offset is Malformed, never an exception', () => {
  const frame = ethernet(0x0800, TCP4);
  const d = decodeBytes(frame, { capLen: frame.length + 100 });
  assertTcp4(d);
  const bad = decodeBytes(frame, { capLen: -1 });
  assert.equal(bad.name, 'Malformed');
});
