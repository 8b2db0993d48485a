/**
 * NetFlow decode throughput: the real datagrams of the pmacct fixtures (NetFlow v9 from a Cisco
 * ASR9k, IPFIX from Cisco with options data), and crafted NetFlow v5, each decoded over and over by
 * one NetflowDecoder with a handler that touches every record. Run: node dist/bench/netflow-decode.js
 * [seconds per case, default 2]. Also measures writeFlowRow into a CONNECTIONS batch.
 */
import { CONNECTIONS } from '../src/model/fields.js';
import { ColumnBatch } from '../src/store/column-batch.js';
import { v5 } from '../src/decode/netflow/export-builder.js';
import type { FlowRecord } from '../src/decode/netflow/flow-record.js';
import { writeFlowRow } from '../src/decode/netflow/flow-row.js';
import { NetflowDecoder } from '../src/decode/netflow/netflow-decoder.js';
import { datagramsOf, type Datagram } from '../src/decode/netflow/test-support.js';

const seconds = Number(process.argv[2] ?? 2);

function run(name: string, dgs: Datagram[], toRows: boolean): void {
  let sink = 0;
  const batch = new ColumnBatch(CONNECTIONS, 8192);
  const ctx = { sensor: null, ingestId: 1 };
  const onFlow = toRows
    ? (r: FlowRecord) => {
        if (batch.full) batch.clear();
        writeFlowRow(batch, batch.addRow(), r, ctx);
      }
    : (r: FlowRecord) => {
        sink += (r.bytes ?? 0) + (r.srcAddr?.length ?? 0);
      };
  const d = new NetflowDecoder(onFlow);
  const start = process.hrtime.bigint();
  const limit = start + BigInt(Math.round(seconds * 1e9));
  let now = 0;
  for (;;) {
    for (const g of dgs) d.decode(g.bytes, 0, g.bytes.length, g.exporter, now);
    now += 1000;
    if ((now & 0xffff) === 0 && process.hrtime.bigint() > limit) break;
  }
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(`${name.padEnd(58)} ${(d.stats.flows / secs / 1e3).toFixed(0).padStart(6)}k flows/s  (${d.stats.flows} flows, ${JSON.stringify(d.stats.malformed)}) ${sink > -1 ? '' : sink}\n`);
}

const rec = { src: [10, 1, 1, 1], dst: [10, 2, 2, 2], sport: 5555, dport: 443, proto: 6, pkts: 3, bytes: 180, first: 90_000, last: 99_500 };
const v5Dgs: Datagram[] = [];
for (let i = 0; i < 16; i++) {
  const recs = Array.from({ length: 30 }, (_, k) => ({ ...rec, src: [10, 1, i, k], sport: 1000 + k }));
  v5Dgs.push({ exporter: '192.0.2.5', tsMicros: 0, bytes: v5(i * 30, 100_000, 1_700_000_000, 0, 0, recs) });
}
const v9Dgs = datagramsOf('pmacct_nfv9_cisco_asr9k.pcap');
const ipfixDgs = datagramsOf('pmacct_ipfix_cisco.pcap');
const optionsDgs = datagramsOf('pmacct_ipfix_cisco_options_map.pcap');
for (const toRows of [false, true]) {
  const tag = toRows ? ' + writeFlowRow' : '';
  run(`NetFlow v5 (30 records/datagram)${tag}`, v5Dgs, toRows);
  run(`NetFlow v9 Cisco ASR9k (pmacct fixture)${tag}`, v9Dgs, toRows);
  run(`IPFIX Cisco ASR9k (pmacct fixture)${tag}`, ipfixDgs, toRows);
  run(`IPFIX Cisco, mostly options data (pmacct)${tag}`, optionsDgs, toRows);
}
