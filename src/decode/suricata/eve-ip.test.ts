/** Tests of RFC 5952 IPv6 text, as Zeek prints addresses. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalIp } from './eve-ip.js';

describe('canonicalIp', () => {
  it('compresses the longest zero run, drops leading zeros and lowercases', () => {
    const cases: [string, string][] = [
      ['2607:f8b0:400a:0800:0000:0000:0000:200e', '2607:f8b0:400a:800::200e'],
      ['2001:0DB8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
      ['2001:db8:0:0:1:0:0:0', '2001:db8:0:0:1::'],
      ['0000:0000:0000:0000:0000:0000:0000:0001', '::1'],
      ['0000:0000:0000:0000:0000:0000:0000:0000', '::'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['fe80:0000:0000:0000:0204:61ff:fe9d:f156', 'fe80::204:61ff:fe9d:f156'],
      ['0000:0000:0000:0000:0000:ffff:c000:0280', '::ffff:192.0.2.128'],
      ['2001:db8::1', '2001:db8::1'],
    ];
    for (const [input, want] of cases) assert.equal(canonicalIp(input), want, input);
  });

  it('leaves IPv4 and non-addresses as they are', () => {
    for (const s of ['10.0.0.1', 'not-an-ip', '1:2:3', '']) assert.equal(canonicalIp(s), s);
  });
});
