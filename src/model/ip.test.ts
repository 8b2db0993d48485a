import { test } from 'node:test';
import assert from 'node:assert/strict';
import ipaddr from 'ipaddr.js';
import { parseIpBytesInto, parseIpInto, parseV4Number } from './ip.js';

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

test('random IPv6 forms (compressed, mixed case, IPv4 tails) parse as ipaddr.js does', () => {
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let t = 0; t < 3000; t++) {
    const groups = Array.from({ length: 8 }, () => (rnd(3) === 0 ? 0 : rnd(65536)));
    const v4tail = rnd(4) === 0;
    const parts = groups.map((g) => g.toString(16)).map((h) => (rnd(2) ? h.toUpperCase() : h));
    if (v4tail) parts.splice(6, 2, `${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`);
    let text = parts.join(':');
    // Compress one run of zero groups, as writers may.
    const zero = parts.findIndex((p, i) => p === '0' && i < (v4tail ? 6 : 8));
    if (zero >= 0 && rnd(2)) {
      let end = zero;
      while (end + 1 < (v4tail ? 6 : 8) && parts[end + 1] === '0') end++;
      text = `${parts.slice(0, zero).join(':')}::${parts.slice(end + 1).join(':')}`;
    }
    const want = ipaddr.parse(text).toByteArray();
    const a = new Uint8Array(16);
    assert.equal(parseIpInto(text, a, 0), 16, text);
    assert.deepEqual([...a], want, text);
    const b = new Uint8Array(16);
    assert.equal(parseIpBytesInto(Buffer.from(text), 0, text.length, b, 0), 16, text);
    assert.deepEqual([...b], want, text);
  }
  for (const bad of ['1:2:3:4:5:6:7:8:9', '::1.2.3.4.5', '1:2:3:4:5:6:7:1.2.3.4', ':1::2', '1::2:', '::1:2:3:4:5:6:7:8', 'g::1', `${'1:'.repeat(40)}1`]) {
    assert.equal(parseIpInto(bad, new Uint8Array(16), 0), 0, bad);
    assert.equal(parseIpBytesInto(Buffer.from(bad), 0, bad.length, new Uint8Array(16), 0), 0, bad);
  }
});

test('parseV4Number gives the dotted quad as a number and -1 for anything else', () => {
  const num = (s: string): number => parseV4Number(Buffer.from(`x ${s} y`), 2, 2 + s.length);
  assert.equal(num('0.0.0.0'), 0);
  assert.equal(num('10.136.0.18'), 0x0a880012);
  assert.equal(num('255.255.255.255'), 0xffffffff);
  assert.equal(num('192.168.001.9'), 0xc0a80109);
  for (const s of [...BAD, '::1', '::ffff:1.2.3.4', '1.2.3.4%x', '1.2.3.1000']) assert.equal(num(s), -1, s);
  let state = 5;
  for (let i = 0; i < 2000; i++) {
    const parts = Array.from({ length: 4 }, () => (state = (state * 1103515245 + 12345) >>> 0) >>> 24);
    assert.equal(num(parts.join('.')), Buffer.from(parts).readUInt32BE(0), parts.join('.'));
  }
});
