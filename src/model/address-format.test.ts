import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIpInto } from './ip.js';
import { formatAddress } from './address-format.js';

function fmt(s: string): string {
  const b = new Uint8Array(16);
  const n = parseIpInto(s, b, 0);
  return formatAddress(b, 0, n === 16);
}

test('addresses print as Zeek prints them (inet_ntop, IPv4-mapped as IPv4)', () => {
  const cases: [string, string][] = [
    ['192.168.1.1', '192.168.1.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:1:1:1:1:0:1', '2001:db8:1:1:1:1:0:1'],
    ['fe80::', 'fe80::'],
    ['::', '::'],
    ['::1', '::1'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['::10.1.2.3', '::10.1.2.3'],
    ['FF02::1:FF00:1', 'ff02::1:ff00:1'],
  ];
  for (const [input, want] of cases) assert.equal(fmt(input), want, input);
});
