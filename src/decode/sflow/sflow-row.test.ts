/**
 * The CONNECTIONS row of a flow sample: scaled counters, the shared key columns, and `extra` with
 * the raw values, interfaces and router/gateway data (checked on the real expanded-sample fixture).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONNECTIONS, columnIndex } from '../../model/fields.js';
import { ColumnBatch } from '../../store/column-batch.js';
import { SflowDecoder, writeSflowRow, type SflowFlowSample, type SflowSink } from './sflow.js';
import { readDatagrams } from './sflow-test-support.js';

const C = columnIndex(CONNECTIONS);

test('a flow sample becomes a connections row with scaled counters and raw values in extra', () => {
  const batch = new ColumnBatch(CONNECTIONS, 16);
  const sink: SflowSink = {
    flowSample(s: SflowFlowSample) {
      writeSflowRow(batch, batch.addRow(), s, { ingestId: 3 });
    },
    counterSample() {},
  };
  const [d] = readDatagrams('tcpdump_sflow_expanded.pcap');
  new SflowDecoder().decode(d.payload, 0, d.payload.length, d.exporter, d.ts, sink);
  assert.equal(batch.length, 1);
  assert.equal(batch.getNum(C.ts, 0), d.ts);
  assert.deepEqual(
    [batch.getStr(C.orig_h, 0), batch.getNum(C.orig_p, 0), batch.getStr(C.resp_h, 0), batch.getNum(C.resp_p, 0)],
    ['52.52.52.52', 22, '53.53.53.53', 52237],
  );
  assert.equal(batch.getStr(C.proto, 0), 'tcp');
  assert.equal(batch.getNum(C.ip_proto, 0), 6);
  assert.match(batch.getStr(C.community_id, 0) ?? '', /^1:/);
  assert.equal(batch.getStr(C.source_type, 0), 'sflow');
  assert.equal(batch.getStr(C.sensor, 0), '49.49.49.49');
  assert.equal(batch.getNum(C.ingest_id, 0), 3);
  assert.equal(batch.getNum(C.orig_pkts, 0), 1000);
  assert.equal(batch.getNum(C.orig_ip_bytes, 0), 126_000);
  assert.equal(batch.getStr(C.conn_state, 0), null);
  assert.equal(batch.getStr(C.state_reason, 0), 'sflow');
  const extra = JSON.parse(batch.getStr(C.extra, 0)!) as Record<string, unknown>;
  assert.deepEqual(
    {
      raw_pkts: extra.raw_pkts,
      raw_bytes: extra.raw_bytes,
      sampling_rate: extra.sampling_rate,
      input: extra.input,
      output: extra.output,
      vlan: extra.vlan,
      tcp_flags: extra.tcp_flags,
      ip_len: extra.ip_len,
      next_hop: extra.next_hop,
      src_mask: extra.src_mask,
      dst_mask: extra.dst_mask,
      as: extra.as,
      as_path: extra.as_path,
      communities: extra.communities,
      local_pref: extra.local_pref,
      exporter: extra.exporter,
    },
    {
      raw_pkts: 1,
      raw_bytes: 126,
      sampling_rate: 1000,
      input: 29001,
      output: 1285816721,
      vlan: 809,
      tcp_flags: 0x18,
      ip_len: 104,
      next_hop: '54.54.54.54',
      src_mask: 32,
      dst_mask: 22,
      as: 28976,
      as_path: [8218, 29605, 203361],
      communities: [538574949, 1911619684, 1911669584, 1911671290],
      local_pref: 100,
      exporter: '192.0.2.100',
    },
  );
});
