import { test } from 'node:test';
import assert from 'node:assert/strict';
import { be, ipfix, ipfixTemplate, set, v5, v9, v9Template } from './export-builder.js';
import { NetflowDecoder } from './netflow-decoder.js';
import type { MalformedReason } from './netflow-stats.js';
import { datagramsOf } from './test-support.js';

const T0 = 1_700_000_000;
const FIELDS = [{ id: 8, len: 4 }, { id: 12, len: 4 }];
const good = ipfix(0, T0, 1, set(2, ipfixTemplate(256, FIELDS)), set(256, [10, 0, 0, 1, 10, 0, 0, 2]));

/** Decodes `bad`, then a good datagram: the bad one is counted under `reason` and decoding goes on. */
function expectSkipped(bad: Uint8Array, reason: MalformedReason): void {
  let flows = 0;
  const d = new NetflowDecoder(() => flows++);
  assert.doesNotThrow(() => d.decode(bad, 0, bad.length, '192.0.2.1', 0));
  assert.equal(d.stats.malformed[reason], 1, `${reason}: ${JSON.stringify(d.stats.malformed)}`);
  const before = flows;
  d.decode(good, 0, good.length, '192.0.2.1', 0);
  assert.equal(flows, before + 1, 'the next datagram still decodes');
}

test('truncated headers', () => {
  expectSkipped(Uint8Array.from([0]), 'truncated_header');
  expectSkipped(good.slice(0, 10), 'truncated_header');
  expectSkipped(v9(0, 0, 0, 0).slice(0, 12), 'truncated_header');
  expectSkipped(v5(0, 0, 0, 0, 0, []).slice(0, 20), 'truncated_header');
});

test('wrong version', () => {
  expectSkipped(Uint8Array.from([0, 7, 0, 0, 0, 0]), 'bad_version');
});

test('IPFIX message length longer than the datagram or shorter than a header', () => {
  expectSkipped(good.slice(0, good.length - 3), 'bad_length');
  const short = good.slice();
  short[2] = 0;
  short[3] = 8;
  expectSkipped(short, 'bad_length');
});

test('v5 record count that does not fit the datagram, or zero', () => {
  const m = v5(0, 0, T0, 0, 0, [{ src: [1, 1, 1, 1], dst: [2, 2, 2, 2], sport: 1, dport: 2, proto: 6, pkts: 1, bytes: 1, first: 0, last: 0 }]);
  expectSkipped(m.slice(0, 60), 'bad_length');
  expectSkipped(v5(0, 0, T0, 0, 0, []), 'bad_length');
});

test('set length 0, below 4, or beyond the message', () => {
  expectSkipped(ipfix(0, T0, 1, [...be(2, 2), ...be(0, 2), 0, 0, 0, 0]), 'bad_set_length');
  expectSkipped(ipfix(0, T0, 1, [...be(256, 2), ...be(3, 2), 0, 0, 0, 0]), 'bad_set_length');
  expectSkipped(ipfix(0, T0, 1, [...be(256, 2), ...be(200, 2), 0, 0, 0, 0]), 'bad_set_length');
  expectSkipped(v9(0, 0, T0, 0, [...be(0, 2), ...be(0, 2)]), 'bad_set_length');
});

test('reserved set ids', () => {
  expectSkipped(ipfix(0, T0, 1, set(5, [0, 0, 0, 0])), 'bad_set_id');
});

test('templates: zero-length field, absurd field count, count beyond the set, reserved id', () => {
  expectSkipped(ipfix(0, T0, 1, set(2, ipfixTemplate(256, [{ id: 8, len: 0 }]))), 'zero_length_field');
  expectSkipped(v9(0, 0, T0, 0, set(0, v9Template(256, [{ id: 8, len: 0 }]))), 'zero_length_field');
  expectSkipped(ipfix(0, T0, 1, set(2, [...be(256, 2), ...be(60000, 2), 0, 8, 0, 4])), 'bad_template');
  expectSkipped(ipfix(0, T0, 1, set(2, [...be(256, 2), ...be(5, 2), 0, 8, 0, 4])), 'bad_template');
  expectSkipped(ipfix(0, T0, 1, set(2, ipfixTemplate(7, FIELDS))), 'bad_template');
  expectSkipped(ipfix(0, T0, 1, set(3, ipfixTemplate(300, FIELDS, 0))), 'bad_template');
  expectSkipped(ipfix(0, T0, 1, set(3, ipfixTemplate(300, FIELDS, 3))), 'bad_template');
});

test('enterprise bit set but the enterprise number cut off', () => {
  expectSkipped(ipfix(0, T0, 1, set(2, [...be(256, 2), ...be(1, 2), 0x80, 8, 0, 4, 0, 0])), 'bad_template');
});

test('variable-length field overrunning its set', () => {
  const tpl = set(2, ipfixTemplate(256, [{ id: 96, len: 65535 }]));
  expectSkipped(ipfix(0, T0, 1, tpl, set(256, [200, 1, 2, 3])), 'truncated_record');
  expectSkipped(ipfix(0, T0, 1, tpl, set(256, [255, 0x10])), 'truncated_record');
});

test('the template limit bounds memory', () => {
  const d = new NetflowDecoder(() => {}, { maxTemplatesPerDomain: 2 });
  const m = ipfix(0, T0, 1, set(2, [...ipfixTemplate(256, FIELDS), ...ipfixTemplate(257, FIELDS), ...ipfixTemplate(258, FIELDS)]));
  d.decode(m, 0, m.length, '192.0.2.1', 0);
  assert.deepEqual([d.domains()[0].templates, d.stats.malformed.template_limit], [2, 1]);
});

test('random corruption of real datagrams never throws', () => {
  const dgs = ['pmacct_ipfix_cisco.pcap', 'pmacct_nfv9_cisco_asr9k.pcap', 'pmacct_ipfix_cisco_options_map.pcap'].flatMap((n) => datagramsOf(n));
  const d = new NetflowDecoder(() => {}, { maxHeldSets: 4 });
  let seed = 12345;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let round = 0; round < 300; round++) {
    for (const g of dgs) {
      const b = g.bytes.slice(0, Math.max(1, Math.floor(g.bytes.length * (0.5 + rnd() / 2))));
      for (let k = 0; k < 4; k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      d.decode(b, 0, b.length, g.exporter, round * 1e6);
    }
  }
  assert.ok(d.stats.datagrams > 0);
});
