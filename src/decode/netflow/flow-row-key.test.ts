import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONNECTIONS } from '../../model/fields.js';
import { ColumnBatch } from '../../store/column-batch.js';
import { K, writeFlowKey } from '../flow-key.js';
import { be, ipfix, ipfixTemplate, set, v5 } from './export-builder.js';
import type { FlowRecord } from './flow-record.js';
import { writeFlowRowKey } from './flow-row-key.js';
import { NetflowDecoder } from './netflow-decoder.js';
import { datagramsOf } from './test-support.js';

const T0 = 1_700_000_000;
const KEY_COLUMNS = ['ts', 'uid', 'community_id', 'orig_h', 'orig_p', 'resp_h', 'resp_p', 'proto', 'ip_proto', 'source_type', 'sensor', 'ingest_id'] as const;

/** The key columns of row `r`, read back. */
function keyOf(b: ColumnBatch, r: number): unknown[] {
  return KEY_COLUMNS.map((name) => {
    const i = K[name];
    return b.columns[i].kind === 'num' ? b.getNum(i, r) : b.getStr(i, r);
  });
}

/** Writes every flow of `dgs` both ways (from bytes, and from text through writeFlowKey) and compares. */
function compare(dgs: { exporter: string; bytes: Uint8Array }[]): number {
  const fast = new ColumnBatch(CONNECTIONS, 4096);
  const slow = new ColumnBatch(CONNECTIONS, 4096);
  let n = 0;
  const d = new NetflowDecoder((rec: FlowRecord) => {
    // Ports as the row keeps them: swap them on some flows too, so both orders are hashed.
    const origP = n % 2 === 0 ? rec.srcPort : rec.dstPort;
    const respP = n % 2 === 0 ? rec.dstPort : rec.srcPort;
    writeFlowRowKey(fast, fast.addRow(), rec, origP, respP, 'netflow', rec.exporter, 5);
    const key = { tsMicros: rec.ts, uid: null, origH: rec.srcAddr, origP, respH: rec.dstAddr, respP, proto: rec.proto === null ? null : String(rec.proto), communityId: null };
    writeFlowKey(slow, slow.addRow(), key, 'netflow', rec.exporter, 5);
    n++;
  });
  for (const g of dgs) d.decode(g.bytes, 0, g.bytes.length, g.exporter, 0);
  for (let r = 0; r < n; r++) assert.deepEqual(keyOf(fast, r), keyOf(slow, r), `row ${r}`);
  return n;
}

test('writeFlowRowKey gives the columns writeFlowKey gives from text, on every pmacct fixture flow', () => {
  let n = 0;
  for (const name of ['pmacct_nfv9_cisco_asr9k.pcap', 'pmacct_ipfix_cisco.pcap', 'pmacct_ipfix_ipv6_cisco_sampling.pcap', 'pmacct_ipfix_nfv9_mix_src0.pcap']) n += compare(datagramsOf(name));
  assert.ok(n > 50, `${n} flows`);
});

test('writeFlowRowKey: IPv6, IPv4-mapped IPv6, mixed families, ICMP, a missing address and protocol numbers past 255', () => {
  const v6 = (last: number, mapped = false): number[] => (mapped ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, last] : [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last]);
  const six = [{ id: 27, len: 16 }, { id: 28, len: 16 }, { id: 7, len: 2 }, { id: 11, len: 2 }, { id: 4, len: 2 }];
  const mixed = [{ id: 8, len: 4 }, { id: 28, len: 16 }, { id: 7, len: 2 }, { id: 11, len: 2 }, { id: 4, len: 1 }];
  const noSrc = [{ id: 12, len: 4 }, { id: 11, len: 2 }, { id: 4, len: 1 }];
  const m = ipfix(0, T0, 1,
    set(2, [...ipfixTemplate(256, six), ...ipfixTemplate(257, mixed), ...ipfixTemplate(258, noSrc)]),
    set(256, [
      ...v6(1), ...v6(2), ...be(5353, 2), ...be(443, 2), ...be(6, 2),
      ...v6(1, true), ...v6(9, true), ...be(0, 2), ...be(0x0800, 2), ...be(1, 2),
      ...v6(1), ...v6(9, true), ...be(1, 2), ...be(2, 2), ...be(17, 2),
      ...v6(3), ...v6(4), ...be(0, 2), ...be(0x8000, 2), ...be(58, 2),
      ...v6(3), ...v6(4), ...be(7, 2), ...be(8, 2), ...be(300, 2),
    ]),
    set(257, [10, 0, 0, 1, ...v6(7), ...be(1, 2), ...be(2, 2), 6]),
    set(258, [10, 0, 0, 2, ...be(53, 2), 17]),
  );
  const four = v5(0, 5000, T0, 0, 0, [
    { src: [10, 0, 0, 1], dst: [10, 0, 0, 2], sport: 0, dport: 0x0300, proto: 1, pkts: 1, bytes: 60, first: 1000, last: 2000 },
    { src: [172, 16, 200, 99], dst: [8, 8, 8, 8], sport: 40000, dport: 53, proto: 17, pkts: 1, bytes: 60, first: 1000, last: 2000 },
  ]);
  assert.equal(compare([{ exporter: '2001:db8::1', bytes: m }, { exporter: '192.0.2.1', bytes: four }]), 9);
});
