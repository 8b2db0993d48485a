import { test } from 'node:test';
import assert from 'node:assert/strict';
import ipaddr from 'ipaddr.js';
import { parseIpBytesInto, parseIpInto } from './ip.js';

const GOOD = ['0.0.0.0', '10.136.0.18', '255.255.255.255', '::', '::1', 'fe80::7809:d6ff:fee3:ff67', 'ff02::2',
  '2001:db8:1234:5678:9abc:def0:1234:5678', '2001:DB8::1', '::ffff:192.168.1.1', '64:ff9b::10.0.0.1', 'fe80::1%eth0'];
const BAD = ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1..2.3', 'abc', '1:2:3', ':::', '2001:db8::1::2', '12345::1', '1.2.3.4 ', '-'];

test('address text parses to the same bytes as ipaddr.js, from strings and from bytes', () => {
  for (const s of GOOD) {
    const want = ipaddr.parse(s.replace(/%.*/, '')).toByteArray();
    const a = new Uint8Array(16);
    const b = new Uint8Array(16);
    const buf = Buffer.from(`x\t${s}\ty`);
    assert.equal(parseIpInto(s, a, 0), want.length, s);
    assert.equal(parseIpBytesInto(buf, 2, 2 + s.length, b, 0), want.length, s);
    assert.deepEqual([...a.subarray(0, want.length)], want, s);
    assert.deepEqual([...b.subarray(0, want.length)], want, s);
  }
});

test('text that is not an address is refused', () => {
  for (const s of BAD) {
    assert.equal(parseIpInto(s, new Uint8Array(16), 0), 0, s);
    assert.equal(parseIpBytesInto(Buffer.from(s), 0, s.length, new Uint8Array(16), 0), 0, s);
  }
});
