import { test } from 'node:test';
import assert from 'node:assert/strict';
import { be, ipfix, ipfixTemplate, set } from './export-builder.js';
import { FlowExtraJson } from './flow-extra-json.js';
import type { FlowRecord } from './flow-record.js';
import { flowExtra } from './flow-row.js';
import { NetflowDecoder } from './netflow-decoder.js';
import { datagramsOf } from './test-support.js';

const T0 = 1_700_000_000;
const dec = new TextDecoder();

/** Decodes datagrams and checks, for every flow and both port cases, that the bytes are the object's JSON text. */
function sameText(dgs: { exporter: string; bytes: Uint8Array }[]): { flows: number; objectPath: number } {
  const w = new FlowExtraJson();
  let flows = 0;
  let objectPath = 0;
  const check = (rec: FlowRecord): void => {
    flows++;
    for (const moved of [false, true]) {
      const want = JSON.stringify(flowExtra(rec, moved));
      const n = w.write(rec, moved);
      if (n < 0) {
        objectPath++;
        continue;
      }
      assert.equal(dec.decode(w.buf.subarray(0, n)), want);
    }
  };
  const d = new NetflowDecoder(check);
  for (const g of dgs) d.decode(g.bytes, 0, g.bytes.length, g.exporter, 0);
  return { flows, objectPath };
}

test('FlowExtraJson writes the same text as JSON.stringify(flowExtra) for every pmacct fixture flow', () => {
  let flows = 0;
  for (const name of [
    'pmacct_nfv9_cisco_asr9k.pcap',
    'pmacct_nfv9_cisco_sampling.pcap',
    'pmacct_ipfix_cisco.pcap',
    'pmacct_ipfix_cisco_options_map.pcap',
    'pmacct_ipfix_huawei_vrf.pcap',
    'pmacct_ipfix_ipv6_cisco_sampling.pcap',
    'pmacct_ipfix_nfv9_mix_src0.pcap',
  ]) {
    const r = sameText(datagramsOf(name));
    // Huawei's VRF template repeats an element in its records: those (and only those) take the object path.
    if (!name.includes('huawei')) assert.equal(r.objectPath, 0, name);
    flows += r.flows;
  }
  assert.ok(flows > 100, `${flows} flows checked`);
});

test('FlowExtraJson: escapes, non-ASCII, floats, negatives, booleans and huge counts match JSON.stringify', () => {
  const fields = [
    { id: 8, len: 4 }, { id: 12, len: 4 }, { id: 4, len: 1 }, { id: 1, len: 8 }, { id: 2, len: 8 }, { id: 34, len: 4 },
    { id: 82, len: 65535 }, { id: 94, len: 65535 }, { id: 100, len: 4, pen: 9 }, { id: 61, len: 1 }, { id: 15, len: 4 },
    { id: 5000, len: 2 }, { id: 1, len: 4, pen: 29305 }, { id: 5, len: 2, pen: 29305 },
  ];
  const name = Buffer.from('ge-0/0/0 "core" \\ \u00e9t\u00e9 \u2603 \t', 'utf8');
  const desc = Buffer.from([0x41, 0xff, 0xfe, 0x42]); // not UTF-8: replacement characters
  const rec = (dir: number, bytes: number[]) => [
    10, 0, 0, 1, 10, 0, 0, 2, 17, ...bytes, ...be(2 ** 32 + 5, 8), ...be(3, 4),
    name.length, ...name, desc.length, ...desc, 0xde, 0xad, 0xbe, 0xef, dir, 192, 0, 2, 1, ...be(65535, 2), ...be(12, 4), ...be(7, 2),
  ];
  const all = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
  const m = ipfix(0, T0, 4, set(2, ipfixTemplate(256, fields)), set(256, [...rec(0, be(1000, 8)), ...rec(1, all), ...rec(7, be(2 ** 53 + 2, 8))]));
  const r = sameText([{ exporter: '2001:db8::1', bytes: m }]);
  assert.deepEqual(r, { flows: 3, objectPath: 0 });
});

test('FlowExtraJson: an element twice in one record takes the object path (last value wins there)', () => {
  const fields = [{ id: 8, len: 4 }, { id: 12, len: 4 }, { id: 100, len: 1, pen: 9 }, { id: 100, len: 1, pen: 9 }];
  const m = ipfix(0, T0, 1, set(2, ipfixTemplate(256, fields)), set(256, [10, 0, 0, 1, 10, 0, 0, 2, 1, 2]));
  const w = new FlowExtraJson();
  let n = 0;
  let elements: unknown = null;
  const d = new NetflowDecoder((rec) => {
    n = w.write(rec, false);
    elements = flowExtra(rec, false).elements;
  });
  d.decode(m, 0, m.length, '192.0.2.1', 0);
  assert.equal(n, -1);
  assert.deepEqual(elements, { pen9_100: '02' });
});
