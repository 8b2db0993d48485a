import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LinkType } from './packet-info.js';
import { bytes, concat, icmp, ipv4, ipv6, sctp, tcp, udp } from './packet-builder.js';
import { decodeBytes } from './test-decode.js';

const raw = { linkType: LinkType.RAW };

test('TCP: ports, flags, unsigned sequence numbers, window, options skipped', () => {
  const options = bytes(0x02, 0x04, 0x05, 0xb4, 0x01, 0x03, 0x03, 0x07, 0x00, 0x00, 0x00, 0x00);
  const seg = tcp({
    sport: 65535,
    dport: 1,
    seq: 0xffffffff,
    ack: 0x80000001,
    flags: 0xd2, // CWR, ECE, ACK, SYN
    window: 512,
    options,
    payload: bytes(7, 7, 7),
  });
  const d = decodeBytes(ipv4({ proto: 6, payload: seg }), raw);
  assert.equal(d.name, 'Ok');
  assert.equal(d.out.transportOk, true);
  assert.equal(d.out.srcPort, 65535);
  assert.equal(d.out.dstPort, 1);
  assert.equal(d.out.tcpSeq, 4294967295);
  assert.equal(d.out.tcpAck, 2147483649);
  assert.equal(d.out.tcpFlags, 0xd2);
  assert.equal(d.out.tcpWindow, 512);
  assert.equal(d.out.payloadOffset, 20 + 32);
  assert.equal(d.out.payloadLen, 3);
  assert.equal(d.out.payloadCapLen, 3);
});

test('TCP data offset below 5 or past the segment: bad_TCP_header_len, no transport', () => {
  for (const hlen of [0, 16, 60]) {
    const d = decodeBytes(ipv4({ proto: 6, payload: tcp({ hlen, payload: bytes(1, 2) }) }), raw);
    assert.equal(d.name, 'Ok', `hlen ${hlen}`);
    assert.equal(d.out.transportOk, false, `hlen ${hlen}`);
    assert.equal(d.out.weird, 'bad_TCP_header_len', `hlen ${hlen}`);
  }
});

test('truncated transport headers: truncated_header per the IP length, internally_ when cut by snap length', () => {
  const cases: [number, Uint8Array][] = [
    [6, tcp()],
    [17, udp(1, 2, bytes())],
    [1, icmp(8, 0)],
    [58, icmp(128, 0)],
    [132, sctp(1, 2)],
  ];
  for (const [proto, header] of cases) {
    const short = header.subarray(0, header.length - 1);
    const v4 = decodeBytes(ipv4({ proto, payload: short }), raw);
    assert.equal(v4.name, 'Ok', `proto ${proto}`);
    assert.equal(v4.out.transportOk, false, `proto ${proto}`);
    assert.equal(v4.out.ipProto, proto);
    assert.equal(v4.out.weird, 'truncated_header', `proto ${proto}`);
    const full = ipv6({ next: proto, payload: header });
    const cut = decodeBytes(full, { ...raw, capLen: full.length - 1, wireLen: full.length });
    assert.equal(cut.out.transportOk, false, `proto ${proto}`);
    assert.equal(cut.out.weird, 'internally_truncated_header', `proto ${proto}`);
  }
});

test('UDP: the length field bounds the payload; a mismatch is a weird', () => {
  const ok = decodeBytes(ipv4({ proto: 17, payload: udp(53, 5353, bytes(1, 2, 3, 4)) }), raw);
  assert.equal(ok.out.payloadLen, 4);
  assert.equal(ok.out.weird, '');
  // UDP says 10 bytes (2 of payload) in an IP payload of 12: the rest is trailer.
  const shorter = decodeBytes(ipv4({ proto: 17, payload: udp(53, 5353, bytes(1, 2, 3, 4), 10) }), raw);
  assert.equal(shorter.out.transportOk, true);
  assert.equal(shorter.out.payloadLen, 2);
  assert.equal(shorter.out.payloadCapLen, 2);
  assert.equal(shorter.out.weird, 'UDP_datagram_length_mismatch');
  const longer = decodeBytes(ipv4({ proto: 17, payload: udp(53, 5353, bytes(1, 2), 300) }), raw);
  assert.equal(longer.out.payloadLen, 2);
  assert.equal(longer.out.weird, 'UDP_datagram_length_mismatch');
});

test('ICMP: type and code in the port fields; an error keeps the outer packet as the flow', () => {
  const echo = decodeBytes(ipv4({ proto: 1, payload: icmp(8, 0, bytes(1, 2)) }), raw);
  assert.equal(echo.out.icmpType, 8);
  assert.equal(echo.out.srcPort, 8);
  assert.equal(echo.out.dstPort, 0);
  assert.equal(echo.out.payloadLen, 2);
  const quoted = ipv4({ src: '10.9.9.9', dst: '10.8.8.8', proto: 17, payload: udp(5000, 53, bytes(1)) });
  const err = decodeBytes(
    ipv4({ src: '192.0.2.254', dst: '10.9.9.9', proto: 1, payload: icmp(3, 3, quoted) }),
    raw,
  );
  assert.equal(err.name, 'Ok');
  assert.equal(err.out.ipProto, 1);
  assert.equal(err.out.srcPort, 3);
  assert.equal(err.out.dstPort, 3);
  assert.equal(err.out.icmpCode, 3);
  assert.deepEqual(Array.from(err.out.src.subarray(0, 4)), [192, 0, 2, 254]);
  assert.equal(err.out.payloadOffset, 28);
  const v6 = decodeBytes(ipv6({ next: 58, payload: icmp(1, 4, ipv6({ next: 17, payload: udp(1, 2, bytes()) })) }), raw);
  assert.equal(v6.out.ipProto, 58);
  assert.equal(v6.out.srcPort, 1);
  assert.equal(v6.out.dstPort, 4);
});

test('SCTP: ports from the common header', () => {
  const chunk = concat(bytes(1, 0, 0, 20), new Uint8Array(16));
  const d = decodeBytes(ipv4({ proto: 132, payload: sctp(36412, 2905, chunk) }), raw);
  assert.equal(d.out.transportOk, true);
  assert.equal(d.out.srcPort, 36412);
  assert.equal(d.out.dstPort, 2905);
  assert.equal(d.out.payloadLen, 20);
});
