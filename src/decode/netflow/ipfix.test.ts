import { test } from 'node:test';
import assert from 'node:assert/strict';
import { be, ipfix, ipfixTemplate, set, type FieldSpec } from './export-builder.js';
import type { FlowSnapshot } from './flow-record.js';
import { NetflowDecoder, type NetflowDecoderOptions } from './netflow-decoder.js';

const EXP = '192.0.2.1';
const T0 = 1_700_000_000;

function decoder(opts: NetflowDecoderOptions = {}): { d: NetflowDecoder; flows: FlowSnapshot[] } {
  const flows: FlowSnapshot[] = [];
  return { d: new NetflowDecoder((r) => flows.push(r.snapshot()), opts), flows };
}

function feed(d: NetflowDecoder, msg: Uint8Array, now = T0 * 1e6, exporter = EXP): void {
  d.decode(msg, 0, msg.length, exporter, now);
}

const BASIC: FieldSpec[] = [
  { id: 8, len: 4 }, { id: 12, len: 4 }, { id: 7, len: 2 }, { id: 11, len: 2 }, { id: 4, len: 1 }, { id: 1, len: 8 }, { id: 2, len: 4 },
];
const basicRec = (last: number, bytes = 1000, pkts = 10) => [10, 0, 0, 1, 10, 0, 0, last, ...be(1234, 2), ...be(80, 2), 6, ...be(bytes, 8), ...be(pkts, 4)];

test('template then data: addresses, ports, protocol, counts', () => {
  const { d, flows } = decoder();
  feed(d, ipfix(0, T0, 7, set(2, ipfixTemplate(256, BASIC)), set(256, [...basicRec(2), ...basicRec(3)])));
  assert.equal(flows.length, 2);
  assert.deepEqual([flows[0].srcAddr, flows[0].dstAddr, flows[0].srcPort, flows[0].dstPort, flows[0].proto], ['10.0.0.1', '10.0.0.2', 1234, 80, 6]);
  assert.deepEqual([flows[1].bytes, flows[1].packets, flows[1].scaledBytes, flows[1].samplingRate], [1000, 10, 1000, null]);
  assert.equal(flows[0].domain, 7);
  assert.equal(flows[0].exporter, EXP);
});

test('enterprise elements are kept by enterprise and id, never misparsed', () => {
  const { d, flows } = decoder();
  const fields = [{ id: 8, len: 4 }, { id: 100, len: 3, pen: 9 }, { id: 12, len: 4 }, { id: 8, len: 2, pen: 12345 }];
  feed(d, ipfix(0, T0, 1, set(2, ipfixTemplate(300, fields)), set(300, [10, 0, 0, 1, 0xaa, 0xbb, 0xcc, 10, 0, 0, 2, 0x01, 0x02])));
  assert.equal(flows.length, 1);
  assert.equal(flows[0].srcAddr, '10.0.0.1'); // pen 12345 id 8 must not overwrite sourceIPv4Address
  assert.equal(flows[0].dstAddr, '10.0.0.2');
  assert.deepEqual(flows[0].extras, { pen9_100: 'aabbcc', pen12345_8: '0102' });
});

test('variable-length elements: one-byte and three-byte length forms', () => {
  const { d, flows } = decoder();
  const fields = [{ id: 8, len: 4 }, { id: 96, len: 65535 }, { id: 12, len: 4 }, { id: 82, len: 65535 }];
  const long = 'x'.repeat(300);
  const rec = [10, 0, 0, 1, 4, ...Buffer.from('http'), 10, 0, 0, 2, 255, ...be(300, 2), ...Buffer.from(long)];
  feed(d, ipfix(0, T0, 1, set(2, ipfixTemplate(256, fields)), set(256, [...rec, ...rec])));
  assert.equal(flows.length, 2);
  assert.equal(flows[1].extras.applicationName, 'http');
  assert.equal(flows[1].extras.interfaceName, long);
  assert.equal(flows[1].dstAddr, '10.0.0.2');
});

test('RFC 5103 reverse counts become respBytes/respPackets', () => {
  const { d, flows } = decoder();
  const fields = [...BASIC, { id: 1, len: 8, pen: 29305 }, { id: 2, len: 4, pen: 29305 }, { id: 6, len: 2, pen: 29305 }];
  feed(d, ipfix(0, T0, 1, set(2, ipfixTemplate(256, fields)), set(256, [...basicRec(2), ...be(5000, 8), ...be(7, 4), 0, 0x12])));
  assert.deepEqual([flows[0].respBytes, flows[0].respPackets], [5000, 7]);
  assert.deepEqual(flows[0].extras, { reverseTcpControlBits: 0x12 });
});

test('flow times in every unit', () => {
  const cases: [FieldSpec[], number[], number, number][] = [
    [[{ id: 150, len: 4 }, { id: 151, len: 4 }], [...be(T0 - 10, 4), ...be(T0 - 5, 4)], (T0 - 10) * 1e6, (T0 - 5) * 1e6],
    [[{ id: 152, len: 8 }, { id: 153, len: 8 }], [...be((T0 - 10) * 1000 + 123, 8), ...be((T0 - 5) * 1000 + 456, 8)], (T0 - 10) * 1e6 + 123000, (T0 - 5) * 1e6 + 456000],
    // NTP: seconds since 1900, fraction 0x80000000 = half a second.
    [[{ id: 154, len: 8 }, { id: 155, len: 8 }], [...be(T0 + 2208988800, 4), ...be(0x80000000, 4), ...be(T0 + 2208988801, 4), ...be(0x40000000, 4)], T0 * 1e6 + 500000, (T0 + 1) * 1e6 + 250000],
    [[{ id: 156, len: 8 }, { id: 157, len: 8 }], [...be(T0 + 2208988800, 4), ...be(0x00010000, 4), ...be(T0 + 2208988800, 4), ...be(0xffffffff, 4)], T0 * 1e6 + 15, T0 * 1e6 + 999999],
    [[{ id: 158, len: 4 }, { id: 159, len: 4 }], [...be(3_000_000, 4), ...be(1_500, 4)], T0 * 1e6 - 3_000_000, T0 * 1e6 - 1500],
    [[{ id: 160, len: 8 }, { id: 22, len: 4 }, { id: 21, len: 4 }], [...be((T0 - 1000) * 1000, 8), ...be(400_000, 4), ...be(400_250, 4)], (T0 - 600) * 1e6, (T0 - 600) * 1e6 + 250000],
    [[{ id: 152, len: 8 }, { id: 161, len: 4 }], [...be(T0 * 1000, 8), ...be(2500, 4)], T0 * 1e6, T0 * 1e6 + 2_500_000],
    [[{ id: 150, len: 4 }, { id: 162, len: 4 }], [...be(T0, 4), ...be(17, 4)], T0 * 1e6, T0 * 1e6 + 17],
  ];
  for (const [fields, data, ts, end] of cases) {
    const { d, flows } = decoder();
    feed(d, ipfix(0, T0, 1, set(2, ipfixTemplate(256, fields)), set(256, data)));
    assert.deepEqual([flows[0].ts, flows[0].end], [ts, end], JSON.stringify(fields));
  }
});

test('sysUptime times without systemInitTimeMilliseconds stay raw in extras; options data supplies it', () => {
  const { d, flows } = decoder();
  const up = [{ id: 22, len: 4 }, { id: 21, len: 4 }];
  feed(d, ipfix(0, T0, 1, set(2, ipfixTemplate(256, up)), set(256, [...be(1000, 4), ...be(2000, 4)])));
  assert.deepEqual([flows[0].ts, flows[0].extras.flowStartSysUpTime, flows[0].extras.flowEndSysUpTime], [null, 1000, 2000]);
  const opt = ipfixTemplate(257, [{ id: 149, len: 4 }, { id: 160, len: 8 }], 1);
  feed(d, ipfix(1, T0, 1, set(3, opt), set(257, [...be(1, 4), ...be(T0 * 1000, 8)]), set(256, [...be(1000, 4), ...be(2000, 4)])));
  assert.deepEqual([flows[1].ts, flows[1].end], [T0 * 1e6 + 1e6, T0 * 1e6 + 2e6]);
});

test('sampling from options data per selector id scales counts, raw counts kept', () => {
  const { d, flows } = decoder();
  const opt = ipfixTemplate(257, [{ id: 302, len: 4 }, { id: 305, len: 4 }, { id: 306, len: 4 }], 1);
  const tpl = ipfixTemplate(256, [...BASIC, { id: 302, len: 4 }]);
  feed(d, ipfix(0, T0, 1, set(3, opt), set(2, tpl), set(257, [...be(5, 4), ...be(1, 4), ...be(99, 4)]), set(256, [...basicRec(2), ...be(5, 4)])));
  assert.deepEqual([flows[0].samplingRate, flows[0].bytes, flows[0].scaledBytes, flows[0].packets, flows[0].scaledPackets], [100, 1000, 100000, 10, 1000]);
  // A record-level samplingInterval wins over the selector's rate.
  const tpl2 = ipfixTemplate(258, [...BASIC, { id: 302, len: 4 }, { id: 34, len: 4 }]);
  feed(d, ipfix(2, T0, 1, set(2, tpl2), set(258, [...basicRec(2), ...be(5, 4), ...be(8, 4)])));
  assert.equal(flows[1].scaledPackets, 80);
});

test('template refresh, replacement and withdrawal (one and all)', () => {
  const { d, flows } = decoder();
  const a = ipfixTemplate(256, BASIC);
  feed(d, ipfix(0, T0, 1, set(2, a)));
  feed(d, ipfix(0, T0, 1, set(2, a)));
  assert.deepEqual([d.stats.templatesAdded, d.stats.templateRefreshes], [1, 1]);
  feed(d, ipfix(0, T0, 1, set(2, ipfixTemplate(256, [{ id: 8, len: 4 }]))));
  assert.equal(d.stats.templateReplacements, 1);
  feed(d, ipfix(0, T0, 1, set(256, [10, 0, 0, 9])));
  assert.equal(flows.at(-1)?.srcAddr, '10.0.0.9');
  feed(d, ipfix(1, T0, 1, set(2, ipfixTemplate(256, []))));
  assert.equal(d.stats.templateWithdrawals, 1);
  feed(d, ipfix(1, T0, 1, set(256, [10, 0, 0, 9])));
  assert.equal(flows.length, 1, 'data after withdrawal is held, not decoded with the old template');
  feed(d, ipfix(1, T0, 1, set(2, [...ipfixTemplate(300, BASIC), ...ipfixTemplate(301, BASIC)]), set(3, ipfixTemplate(400, [{ id: 302, len: 4 }, { id: 34, len: 4 }], 1))));
  feed(d, ipfix(1, T0, 1, set(2, ipfixTemplate(2, []))));
  assert.equal(d.domains()[0].templates, 1, 'withdraw-all of data templates keeps the options template');
  feed(d, ipfix(1, T0, 1, set(3, ipfixTemplate(3, []))));
  assert.equal(d.domains()[0].templates, 0);
});

test('templates are per exporter and per observation domain', () => {
  const { d, flows } = decoder();
  feed(d, ipfix(0, T0, 1, set(2, ipfixTemplate(256, BASIC))));
  feed(d, ipfix(0, T0, 2, set(256, basicRec(2))));
  feed(d, ipfix(0, T0, 1, set(256, basicRec(2))), T0 * 1e6, '192.0.2.99');
  assert.equal(flows.length, 0);
  feed(d, ipfix(0, T0, 1, set(256, basicRec(2))));
  assert.equal(flows.length, 1);
});

test('data before its template is held, then decoded when the template arrives', () => {
  const { d, flows } = decoder();
  feed(d, ipfix(0, T0, 1, set(256, basicRec(2))));
  feed(d, ipfix(1, T0, 1, set(256, basicRec(3))));
  assert.deepEqual([flows.length, d.stats.heldSets], [0, 2]);
  feed(d, ipfix(2, T0, 1, set(2, ipfixTemplate(256, BASIC))));
  assert.deepEqual(flows.map((f) => f.dstAddr), ['10.0.0.2', '10.0.0.3']);
  assert.deepEqual([d.stats.heldSets, d.stats.heldReplayed, d.stats.dropped], [0, 2, {}]);
});

test('held data expires after the age limit and overflows beyond the count limit', () => {
  const { d, flows } = decoder({ heldMaxAgeMicros: 10e6, maxHeldSets: 2 });
  feed(d, ipfix(0, T0, 1, set(256, basicRec(2))), T0 * 1e6);
  feed(d, ipfix(1, T0, 1, set(256, basicRec(3))), T0 * 1e6 + 1e6);
  feed(d, ipfix(2, T0, 1, set(256, basicRec(4))), T0 * 1e6 + 2e6);
  assert.deepEqual(d.stats.dropped, { held_overflow: 1 });
  d.expire(T0 * 1e6 + 11.5e6);
  assert.deepEqual(d.stats.dropped, { held_overflow: 1, no_template: 1 });
  feed(d, ipfix(3, T0, 1, set(2, ipfixTemplate(256, BASIC))), T0 * 1e6 + 12e6);
  assert.deepEqual(flows.map((f) => f.dstAddr), ['10.0.0.4']);
});

test('sequence numbers count data records: gaps are lost records, wrap and restart handled', () => {
  const { d } = decoder();
  const tpl = set(2, ipfixTemplate(256, BASIC));
  const two = set(256, [...basicRec(2), ...basicRec(3)]);
  feed(d, ipfix(100, T0, 1, tpl, two));
  feed(d, ipfix(102, T0, 1, two));
  assert.equal(d.stats.lostRecords, 0);
  feed(d, ipfix(110, T0, 1, two));
  assert.equal(d.stats.lostRecords, 6);
  feed(d, ipfix(0xffffffff, T0, 1, two)); // far backwards: taken as a restart
  assert.deepEqual([d.stats.lostRecords, d.stats.sequenceResets], [6, 1]);
  feed(d, ipfix(1, T0, 1, two)); // 0xffffffff + 2 wraps to 1
  assert.equal(d.stats.lostRecords, 6);
  feed(d, ipfix(5, T0, 1, two));
  assert.equal(d.stats.lostRecords, 8);
  assert.equal(d.domains()[0].lostRecords, 8);
});
