import { test } from 'node:test';
import assert from 'node:assert/strict';
import { be, set, v5, v9, v9OptionsTemplate, v9Template, type V5Rec } from './export-builder.js';
import type { FlowSnapshot } from './flow-record.js';
import { NetflowDecoder } from './netflow-decoder.js';

const T0 = 1_700_000_000;

function decoder(): { d: NetflowDecoder; flows: FlowSnapshot[] } {
  const flows: FlowSnapshot[] = [];
  return { d: new NetflowDecoder((r) => flows.push(r.snapshot())), flows };
}

const REC: V5Rec = { src: [10, 1, 1, 1], dst: [10, 2, 2, 2], sport: 5555, dport: 443, proto: 6, pkts: 3, bytes: 180, first: 90_000, last: 99_500 };

test('v5: fields, sysUptime-relative times made absolute with unix_secs/unix_nsecs', () => {
  const { d, flows } = decoder();
  const m = v5(0, 100_000, T0, 250_000_000, 0, [REC]);
  d.decode(m, 0, m.length, '192.0.2.5', 0);
  const f = flows[0];
  assert.deepEqual([f.version, f.srcAddr, f.dstAddr, f.srcPort, f.dstPort, f.proto, f.packets, f.bytes], [5, '10.1.1.1', '10.2.2.2', 5555, 443, 6, 3, 180]);
  assert.deepEqual([f.ts, f.end], [T0 * 1e6 + 250_000 - 10_000_000, T0 * 1e6 + 250_000 - 500_000]);
  assert.deepEqual([f.nextHop, f.inIf, f.outIf, f.tcpFlags, f.srcAs, f.dstAs, f.srcMask, f.dstMask], ['10.0.0.1', 3, 4, 0x12, 65001, 65002, 24, 16]);
  assert.deepEqual(f.extras, { engineType: 1, engineId: 2 });
  assert.equal(f.domain, 0x0102);
});

test('v5: sysUptime wrap keeps flows just before it in the past', () => {
  const { d, flows } = decoder();
  const m = v5(0, 1000, T0, 0, 0, [{ ...REC, first: 0xffffffff - 999, last: 500 }]);
  d.decode(m, 0, m.length, '192.0.2.5', 0);
  assert.deepEqual([flows[0].ts, flows[0].end], [T0 * 1e6 - 2_000_000, T0 * 1e6 - 500_000]);
});

test('v5: header sampling interval scales counts; raw counts kept', () => {
  const { d, flows } = decoder();
  const m = v5(0, 100_000, T0, 0, 0x4000 | 100, [REC]);
  d.decode(m, 0, m.length, '192.0.2.5', 0);
  assert.deepEqual([flows[0].samplingRate, flows[0].packets, flows[0].scaledPackets, flows[0].bytes, flows[0].scaledBytes], [100, 3, 300, 180, 18000]);
});

test('v5: sequence numbers count flows', () => {
  const { d } = decoder();
  const send = (seq: number, n: number) => {
    const m = v5(seq, 100_000, T0, 0, 0, Array.from({ length: n }, () => REC));
    d.decode(m, 0, m.length, '192.0.2.5', 0);
  };
  send(0, 2);
  send(2, 3);
  assert.equal(d.stats.lostRecords, 0);
  send(10, 1);
  assert.equal(d.stats.lostRecords, 5);
  send(0, 1); // restart
  assert.deepEqual([d.stats.lostRecords, d.stats.sequenceResets], [5, 1]);
});

const V9_FIELDS = [{ id: 8, len: 4 }, { id: 12, len: 4 }, { id: 4, len: 1 }, { id: 1, len: 4 }, { id: 2, len: 4 }, { id: 22, len: 4 }, { id: 21, len: 4 }, { id: 10, len: 2 }, { id: 48, len: 1 }];
const v9Rec = (first: number, last: number, sampler: number) => [10, 0, 0, 1, 10, 0, 0, 2, 17, ...be(500, 4), ...be(5, 4), ...be(first, 4), ...be(last, 4), ...be(7, 2), sampler];

test('v9: sysUptime times, sampler options per exporter, sequence counts packets', () => {
  const { d, flows } = decoder();
  const opt = v9OptionsTemplate(300, [{ id: 1, len: 4 }], [{ id: 48, len: 1 }, { id: 49, len: 1 }, { id: 50, len: 4 }]);
  const m1 = v9(10, 60_000, T0, 3, set(0, v9Template(256, V9_FIELDS)), set(1, opt), set(300, [...be(0, 4), 2, 2, ...be(1000, 4), 0, 0]));
  d.decode(m1, 0, m1.length, '198.51.100.1', 0);
  const m2 = v9(11, 60_000, T0, 3, set(256, [...v9Rec(50_000, 59_000, 2), ...v9Rec(50_000, 59_000, 9)]));
  d.decode(m2, 0, m2.length, '198.51.100.1', 0);
  assert.deepEqual([flows[0].ts, flows[0].end], [(T0 - 10) * 1e6, (T0 - 1) * 1e6]);
  assert.deepEqual([flows[0].samplerId, flows[0].samplingRate, flows[0].scaledBytes], [2, 1000, 500_000]);
  assert.deepEqual([flows[1].samplingRate, flows[1].scaledBytes], [null, 500], 'unknown sampler: unscaled');
  assert.equal(d.stats.lostRecords, 0);
  const m3 = v9(15, 60_000, T0, 3, set(256, v9Rec(50_000, 59_000, 2)));
  d.decode(m3, 0, m3.length, '198.51.100.1', 0);
  assert.equal(d.stats.lostRecords, 3);
  assert.equal(d.stats.optionsRecords, 1);
});

test('v9: interface-scoped sampling rate applies to flows from that interface', () => {
  const { d, flows } = decoder();
  const opt = v9OptionsTemplate(300, [{ id: 2, len: 2 }], [{ id: 34, len: 4 }]);
  const m = v9(0, 60_000, T0, 0, set(0, v9Template(256, V9_FIELDS.slice(0, 8))), set(1, opt), set(300, [...be(7, 2), ...be(64, 4), 0, 0]),
    set(256, v9Rec(50_000, 59_000, 0).slice(0, -1)));
  d.decode(m, 0, m.length, '198.51.100.1', 0);
  assert.deepEqual([flows[0].inIf, flows[0].samplingRate, flows[0].scaledPackets], [7, 64, 320]);
});
