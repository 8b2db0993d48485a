import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LinkType } from './packet-info.js';
import { ah, bytes, concat, ethernet, ext6, frag6, icmp, ipv4, ipv6, tcp, udp } from './packet-builder.js';
import { decodeBytes } from './test-decode.js';

const SEG = tcp({ sport: 1111, dport: 22, payload: bytes(1, 2, 3, 4) });

test('IPv4 options: the transport starts after IHL * 4 bytes', () => {
  const options = bytes(0x94, 0x04, 0, 0, 0x01, 0x01, 0x01, 0x00); // router alert, NOPs, end
  const d = decodeBytes(ethernet(0x0800, ipv4({ proto: 6, payload: SEG, options, ttl: 7 })));
  assert.equal(d.name, 'Ok');
  assert.equal(d.out.srcPort, 1111);
  assert.equal(d.out.payloadOffset, 14 + 28 + 20);
  assert.equal(d.out.payloadLen, 4);
  assert.equal(d.out.ttl, 7);
  assert.equal(d.out.ipLen, 28 + 24);
});

/** The IPv4 header checks, in Zeek's order and with its weird names. */
const BAD_IPV4: [string, Uint8Array, string][] = [
  ['IHL below 5', ipv4({ proto: 6, payload: SEG, ihl: 16 }), 'IPv4_min_header_size'],
  ['IHL zero', ipv4({ proto: 6, payload: SEG, ihl: 0 }), 'IPv4_min_header_size'],
  ['header longer than the total length', ipv4({ proto: 6, payload: new Uint8Array(20), ihl: 60, totalLen: 40 }), 'invalid_IP_header_size'],
  ['total length beyond the packet', ipv4({ proto: 6, payload: SEG, totalLen: 1500 }), 'truncated_IP_len'],
  ['total length zero (segmentation offload)', ipv4({ proto: 6, payload: SEG, totalLen: 0 }), 'ip_hdr_len_zero'],
  ['version 5', ipv4({ proto: 6, payload: SEG, version: 5 }), 'unknown_ip_version'],
  ['shorter than a header', ipv4({ proto: 6, payload: SEG }).subarray(0, 19), 'truncated_IP'],
];

for (const [what, packet, weird] of BAD_IPV4) {
  test(`IPv4 ${what}: Malformed, ${weird}`, () => {
    const d = decodeBytes(packet, { linkType: LinkType.RAW });
    assert.equal(d.name, 'Malformed');
    assert.equal(d.out.weird, weird);
    assert.equal(d.decoder.weirds.get(weird), 1);
  });
}

test('IPv4 header with options cut by the snap length: internally_truncated_header', () => {
  const p = ipv4({ proto: 6, payload: SEG, options: new Uint8Array(20) });
  const d = decodeBytes(p, { linkType: LinkType.RAW, capLen: 30, wireLen: p.length });
  assert.equal(d.name, 'Malformed');
  assert.equal(d.out.weird, 'internally_truncated_header');
});

test('every truncation of an Ethernet/IPv4/TCP frame gives the right result and never throws', () => {
  const frame = ethernet(0x0800, ipv4({ proto: 6, payload: tcp({ payload: new Uint8Array(100) }) }));
  for (let cap = 0; cap <= frame.length; cap++) {
    // Cut by a snap length (the wire had it all).
    const s = decodeBytes(frame, { capLen: cap, wireLen: frame.length });
    if (cap < 14) assert.equal(s.out.weird, 'truncated_ethernet_frame', `snap ${cap}`);
    else if (cap < 34) assert.equal(s.out.weird, 'truncated_IP', `snap ${cap}`);
    else if (cap < 54) {
      assert.equal(s.name, 'Ok', `snap ${cap}`);
      assert.equal(s.out.transportOk, false);
      assert.equal(s.out.weird, 'internally_truncated_header', `snap ${cap}`);
    } else {
      assert.equal(s.name, 'Ok', `snap ${cap}`);
      assert.equal(s.out.transportOk, true);
      assert.equal(s.out.payloadCapLen, cap - 54);
      assert.equal(s.out.payloadLen, 100);
    }
    // Really that short on the wire: the IP total length no longer fits.
    const w = decodeBytes(frame.subarray(0, cap));
    if (cap >= 34 && cap < frame.length) assert.equal(w.out.weird, 'truncated_IP_len', `wire ${cap}`);
    if (cap < frame.length) assert.notEqual(w.name, 'Ok', `wire ${cap}`);
  }
});

test('IPv4 AH is skipped to the transport', () => {
  const d = decodeBytes(ipv4({ proto: 51, payload: concat(ah(6, 4), SEG) }), { linkType: LinkType.RAW });
  assert.equal(d.name, 'Ok');
  assert.equal(d.out.ipProto, 6);
  assert.equal(d.out.dstPort, 22);
  const cut = decodeBytes(ipv4({ proto: 51, payload: bytes(6) }), { linkType: LinkType.RAW });
  assert.equal(cut.out.weird, 'truncated_AH_header');
});

test('IPv6 extension headers (hop-by-hop, routing, destination options, AH) are walked', () => {
  const chain = concat(ext6(43, 0), ext6(60, 1), ext6(51, 0), ah(6, 1), SEG);
  const d = decodeBytes(ipv6({ next: 0, payload: chain, hopLimit: 9 }), { linkType: LinkType.RAW });
  assert.equal(d.name, 'Ok', d.out.weird);
  assert.equal(d.out.ipProto, 6);
  assert.equal(d.out.srcPort, 1111);
  assert.equal(d.out.ttl, 9);
  assert.equal(d.out.payloadOffset, 40 + 8 + 16 + 8 + 12 + 20);
  assert.equal(d.out.payloadLen, 4);
  assert.equal(d.out.ipLen, 40 + chain.length);
});

test('IPv6 ESP ends the chain: protocol 50, no ports, still a flow', () => {
  const d = decodeBytes(ipv6({ next: 60, payload: concat(ext6(50, 0), new Uint8Array(24)) }), {
    linkType: LinkType.RAW,
  });
  assert.equal(d.name, 'Ok');
  assert.equal(d.out.ipProto, 50);
  assert.equal(d.out.transportOk, true);
  assert.equal(d.out.srcPort, 0);
  assert.equal(d.out.payloadLen, 24);
});

test('IPv6 no next header: ipv6_no_next, no transport', () => {
  const d = decodeBytes(ipv6({ next: 59, payload: bytes() }), { linkType: LinkType.RAW });
  assert.equal(d.name, 'Ok');
  assert.equal(d.out.ipProto, 59);
  assert.equal(d.out.transportOk, false);
  assert.equal(d.out.weird, 'ipv6_no_next');
});

test('IPv6 damaged: truncated header, bad lengths, extension headers cut short', () => {
  const p = ipv6({ next: 6, payload: SEG });
  assert.equal(decodeBytes(p.subarray(0, 39), { linkType: LinkType.RAW }).out.weird, 'truncated_IP');
  const long = ipv6({ next: 6, payload: SEG, payloadLen: 200 });
  assert.equal(decodeBytes(long, { linkType: LinkType.RAW }).out.weird, 'truncated_IP_len');
  // A hop-by-hop header claiming 16 bytes in an 8-byte payload.
  const ext = ipv6({ next: 0, payload: ext6(6, 0).map((v, i) => (i === 1 ? 1 : v)) });
  const e = decodeBytes(ext, { linkType: LinkType.RAW });
  assert.equal(e.name, 'Malformed');
  assert.equal(e.out.weird, 'truncated_IPv6_ext_header');
  // Payload of one byte: not even the extension header's length field.
  const one = decodeBytes(ipv6({ next: 60, payload: bytes(6) }), { linkType: LinkType.RAW });
  assert.equal(one.out.weird, 'truncated_IPv6_ext_header');
  // Present on the wire but cut by the snap length.
  const q = ipv6({ next: 0, payload: concat(ext6(6, 2), SEG) });
  const s = decodeBytes(q, { linkType: LinkType.RAW, capLen: 50, wireLen: q.length });
  assert.equal(s.out.weird, 'internally_truncated_header');
});

test('IPv6 atomic fragment (offset 0, no more fragments) is a whole packet', () => {
  const d = decodeBytes(ipv6({ next: 44, payload: concat(frag6(17, 0, false, 99), udp(1, 2, bytes(9))) }), {
    linkType: LinkType.RAW,
  });
  assert.equal(d.name, 'Ok');
  assert.equal(d.out.ipProto, 17);
  assert.equal(d.out.dstPort, 2);
  assert.equal(d.out.reassembled, false);
  assert.equal(d.decoder.pendingFragments, 0);
});

test('unknown IP protocols are flows by protocol number, ports 0', () => {
  const d = decodeBytes(ipv4({ proto: 89, payload: new Uint8Array(44) }), { linkType: LinkType.RAW });
  assert.equal(d.name, 'Ok');
  assert.equal(d.out.ipProto, 89);
  assert.equal(d.out.transportOk, true);
  assert.equal(d.out.srcPort, 0);
  assert.equal(d.out.payloadOffset, 20);
  assert.equal(d.out.payloadLen, 44);
  const v6 = decodeBytes(ipv6({ next: 103, payload: new Uint8Array(8) }), { linkType: LinkType.RAW });
  assert.equal(v6.out.ipProto, 103);
  assert.equal(v6.out.transportOk, true);
});

test('weird counts accumulate across packets', () => {
  const first = decodeBytes(ipv4({ proto: 6, payload: SEG, ihl: 8 }), { linkType: LinkType.RAW });
  const decoder = first.decoder;
  decodeBytes(ipv4({ proto: 6, payload: SEG, ihl: 8 }), { linkType: LinkType.RAW, decoder });
  decodeBytes(icmp(8, 0), { linkType: LinkType.RAW, decoder });
  assert.equal(decoder.weirds.get('IPv4_min_header_size'), 2);
  // ICMP bytes where an IP header should be: version 0.
  assert.equal(decoder.weirds.get('truncated_IP'), 1);
});
