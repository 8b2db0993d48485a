import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONNECTIONS, columnIndex } from '../../model/fields.js';
import { ColumnBatch } from '../../store/column-batch.js';
import { be, ipfix, ipfixTemplate, set } from './export-builder.js';
import { writeFlowRow } from './flow-row.js';
import { NetflowDecoder } from './netflow-decoder.js';

const C = columnIndex(CONNECTIONS);
const T0 = 1_700_000_000;

test('writeFlowRow fills the connection columns and keeps the rest in extra', () => {
  const batch = new ColumnBatch(CONNECTIONS, 16);
  const d = new NetflowDecoder((rec) => writeFlowRow(batch, batch.addRow(), rec, { sensor: null, ingestId: 3 }));
  const fields = [
    { id: 8, len: 4 }, { id: 12, len: 4 }, { id: 7, len: 2 }, { id: 11, len: 2 }, { id: 4, len: 1 }, { id: 1, len: 4 }, { id: 2, len: 4 },
    { id: 150, len: 4 }, { id: 151, len: 4 }, { id: 34, len: 4 }, { id: 1, len: 4, pen: 29305 }, { id: 2, len: 4, pen: 29305 }, { id: 5, len: 1 },
  ];
  const rec = [10, 0, 0, 1, 10, 0, 0, 2, ...be(40000, 2), ...be(53, 2), 17, ...be(100, 4), ...be(2, 4), ...be(T0, 4), ...be(T0 + 2, 4), ...be(10, 4), ...be(300, 4), ...be(3, 4), 0x28];
  const m = ipfix(0, T0, 9, set(2, ipfixTemplate(256, fields)), set(256, rec));
  d.decode(m, 0, m.length, '192.0.2.1', 0);
  assert.equal(batch.length, 1);
  assert.equal(batch.getNum(C.ts, 0), T0 * 1e6);
  assert.equal(batch.getNum(C.end_ts, 0), (T0 + 2) * 1e6);
  assert.equal(batch.getNum(C.duration, 0), 2);
  assert.deepEqual([batch.getStr(C.orig_h, 0), batch.getNum(C.orig_p, 0), batch.getStr(C.resp_h, 0), batch.getNum(C.resp_p, 0)], ['10.0.0.1', 40000, '10.0.0.2', 53]);
  assert.deepEqual([batch.getStr(C.proto, 0), batch.getNum(C.ip_proto, 0)], ['udp', 17]);
  assert.deepEqual([batch.getStr(C.source_type, 0), batch.getStr(C.sensor, 0), batch.getNum(C.ingest_id, 0)], ['ipfix', '192.0.2.1', 3]);
  assert.match(batch.getStr(C.community_id, 0) ?? '', /^1:/);
  assert.deepEqual([batch.getNum(C.orig_ip_bytes, 0), batch.getNum(C.orig_pkts, 0)], [1000, 20]);
  assert.deepEqual([batch.getNum(C.resp_ip_bytes, 0), batch.getNum(C.resp_pkts, 0)], [3000, 30]);
  assert.equal(batch.getStr(C.conn_state, 0), null);
  assert.equal(batch.getStr(C.state_reason, 0), 'ipfix');
  const extra = JSON.parse(batch.getStr(C.extra, 0) ?? '{}') as Record<string, unknown>;
  assert.deepEqual(
    [extra.exporter, extra.observation_domain, extra.bytes_raw, extra.bytes_scaled, extra.packets_raw, extra.sampling_rate, extra.tos],
    ['192.0.2.1', 9, 100, 1000, 2, 10, 0x28],
  );
});

test('writeFlowRow: ICMP type and code go to orig_p and resp_p', () => {
  const batch = new ColumnBatch(CONNECTIONS, 4);
  const d = new NetflowDecoder((rec) => writeFlowRow(batch, batch.addRow(), rec, { sensor: 'edge', ingestId: 1 }));
  const fields = [{ id: 8, len: 4 }, { id: 12, len: 4 }, { id: 4, len: 1 }, { id: 32, len: 2 }];
  const m = ipfix(0, T0, 1, set(2, ipfixTemplate(256, fields)), set(256, [10, 0, 0, 1, 10, 0, 0, 2, 1, 3, 1]));
  d.decode(m, 0, m.length, '192.0.2.1', 0);
  assert.deepEqual([batch.getNum(C.orig_p, 0), batch.getNum(C.resp_p, 0), batch.getStr(C.proto, 0), batch.getStr(C.sensor, 0)], [3, 1, 'icmp', 'edge']);
});
