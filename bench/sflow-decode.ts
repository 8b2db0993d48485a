/**
 * Throughput of the sFlow decoder on one core: datagrams of eight flow samples (raw Ethernet/IPv4/TCP
 * header plus an extended switch record), decoded alone and then also written as CONNECTIONS rows.
 * Run: node dist/src/decode/sflow/sflow-bench.js
 */
import { CONNECTIONS } from '../src/model/fields.js';
import { ColumnBatch } from '../src/store/column-batch.js';
import { SflowDecoder, writeSflowRow, type SflowFlowSample, type SflowSink } from '../src/decode/sflow/sflow.js';
import { Xdr, datagram, flowSample, item, rawHeader, tcpFrame } from '../src/decode/sflow/sflow-builder.js';

const SAMPLES_PER_DATAGRAM = 8;
const DATAGRAMS = 200_000;

function buildDatagrams(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let d = 0; d < 64; d++) {
    const samples: Uint8Array[] = [];
    for (let i = 0; i < SAMPLES_PER_DATAGRAM; i++) {
      const sw = item(1001, new Xdr().u32(10, 0, 20, 0).build());
      samples.push(flowSample({ seq: d * SAMPLES_PER_DATAGRAM + i, rate: 1000, records: [rawHeader(tcpFrame(), 78), sw] }));
    }
    out.push(datagram({ seq: d, samples }));
  }
  return out;
}

function run(label: string, sink: SflowSink, after?: () => void): void {
  const dgs = buildDatagrams();
  const decoder = new SflowDecoder();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < DATAGRAMS; i++) {
    const d = dgs[i & 63];
    decoder.decode(d, 0, d.length, '192.0.2.9', i, sink);
    after?.();
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const samples = DATAGRAMS * SAMPLES_PER_DATAGRAM;
  console.log(`${label}: ${Math.round(samples / secs).toLocaleString('en')} samples/s (${samples} samples in ${secs.toFixed(2)} s)`);
}

let sum = 0;
run('decode only', {
  flowSample(s: SflowFlowSample) {
    sum += s.srcPort;
  },
  counterSample() {},
});

const batch = new ColumnBatch(CONNECTIONS, 8192);
run(
  'decode + writeSflowRow',
  {
    flowSample(s: SflowFlowSample) {
      writeSflowRow(batch, batch.addRow(), s, { ingestId: 1 });
    },
    counterSample() {},
  },
  () => {
    if (batch.length > 8192 - SAMPLES_PER_DATAGRAM) batch.clear();
  },
);
if (sum === 0) console.log('no ports decoded');
