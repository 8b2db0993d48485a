// Addresses that sources write in other forms (IPv6 in full, upper case, IPv4-mapped) brought to the stored form.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ipaddr from 'ipaddr.js';
import { canonicalIp, canonicalIpBytes } from './address-format.js';

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
      // IPv4-mapped addresses are stored as IPv4, as Zeek prints them and as host queries look them up.
      ['0000:0000:0000:0000:0000:ffff:c000:0280', '192.0.2.128'],
      ['::ffff:192.0.2.128', '192.0.2.128'],
      ['2001:db8::1', '2001:db8::1'],
    ];
    for (const [input, want] of cases) assert.equal(canonicalIp(input), want, input);
  });

  it('leaves IPv4 and non-addresses as they are', () => {
    for (const s of ['10.0.0.1', 'not-an-ip', '1:2:3', '']) assert.equal(canonicalIp(s), s);
  });
});

describe('canonicalIpBytes', () => {
  const bytesOf = (s: string): Buffer => Buffer.from(`x=${s} `);
  const canon = (s: string): string | null => canonicalIpBytes(bytesOf(s), 2, 2 + s.length);

  it('rewrites what ip6tables and others print in full, and leaves canonical text and IPv4 alone', () => {
    // SRC= and DST= of a real ip6tables line (test/fixtures/firewall/iptables_kernel_log_variants.log, line 16).
    assert.equal(canon('fe80:0000:0000:0000:0084:88ff:feae:790a'), 'fe80::84:88ff:feae:790a');
    assert.equal(canon('ff02:0000:0000:0000:0000:0000:0000:0016'), 'ff02::16');
    assert.equal(canon('2001:DB8::1'), '2001:db8::1');
    assert.equal(canon('1:2:3:4:5:6::8'), '1:2:3:4:5:6:0:8');
    assert.equal(canon('::ffff:10.0.0.1'), '10.0.0.1');
    for (const s of ['2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6', 'fe80::84:88ff:feae:790a', '::', '::1', '2001:db8:0:1:1:1:1:1', '::10.0.0.1', '10.0.0.1', '0.0.0.0', '-', '']) {
      assert.equal(canon(s), null, s);
    }
  });

  it('agrees with ipaddr.js on random addresses written every way', () => {
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    for (let k = 0; k < 2000; k++) {
      // Groups drawn so that zero runs, small values and large ones are all common.
      const g = Array.from({ length: 8 }, () => [0, 0, 1, rnd(0x10), rnd(0x100), rnd(0x10000)][rnd(6)]);
      const forms = [
        g.map((x) => x.toString(16).padStart(4, '0')).join(':'),
        g.map((x) => x.toString(16).toUpperCase()).join(':'),
        g.map((x) => x.toString(16)).join(':'),
      ];
      const want = ipaddr.IPv6.parse(forms[2]).toRFC5952String();
      // IPv4-mapped and -compatible addresses print with a dotted tail (as Zeek does), ipaddr.js in hex.
      if (/^::(ffff:)?[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(want)) continue;
      forms.push(want);
      for (const f of forms) assert.equal(canon(f) ?? f, want, f);
    }
  });
});
