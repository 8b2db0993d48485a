/**
 * The collector's decode and store path in one process, stage by stage, on the collector
 * benchmark's recorded datagrams (collector-export.ts framing): CPU microseconds per flow (all threads,
 * `process.cpuUsage`) for decoding only, decoding into column batches the way the collector does
 * (RowBatches, batches discarded), and the whole path into a fresh DuckDB store with a checkpoint
 * every FLUSH_ROWS rows as the collector commits. No sockets: this is the per-flow cost that sets the
 * one-core ceiling, measured without the noise of a sender sharing the cores.
 * Usage: node dist/bench/collector-stages.js DATAGRAMS_FILE [flows, default 600000] [stage,...]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CollectorCounters } from '../src/collector/collector-counters.js';
import { DatagramDecoder } from '../src/collector/datagram-decoder.js';
import { RowBatches } from '../src/collector/row-batches.js';
import { NetflowDecoder } from '../src/decode/netflow/netflow-decoder.js';
import { openStore } from '../src/store/open.js';
import { loadDatagrams, type ExportDatagram } from './collector-export.js';

const FLUSH_ROWS = 200_000;
const [file, flowsArg, stagesArg] = process.argv.slice(2);
const dgs = loadDatagrams(file);
const wanted = Number(flowsArg ?? 600_000);
const stages = (stagesArg ?? 'decode,rows,store').split(',');

/** Datagrams in recording order, cycled, until `wanted` flows (templates come first in the recording). */
function stream(): ExportDatagram[] {
  const out: ExportDatagram[] = [];
  let flows = 0;
  for (let i = 0; flows < wanted; i = (i + 1) % dgs.length) {
    out.push(dgs[i]);
    flows += dgs[i].records;
  }
  return out;
}

const input = stream();
const flows = input.reduce((a, d) => a + d.records, 0);

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

function report(stage: string, micros: number, stored: number): void {
  process.stdout.write(`${stage.padEnd(8)} ${(micros / flows).toFixed(2).padStart(6)} us/flow CPU  ${((flows / micros) * 1e3).toFixed(0).padStart(5)}k flows per CPU-s  (${flows} flows, ${stored} rows)\n`);
}

function decodeOnly(): void {
  let n = 0;
  const d = new NetflowDecoder(() => n++);
  const t0 = cpuMicros();
  for (const g of input) d.decode(g.bytes, 0, g.bytes.length, '127.0.0.1', 0);
  report('decode', cpuMicros() - t0, n);
}

function rows(): void {
  const counters = new CollectorCounters();
  const rb = new RowBatches(1, null, 'bench', 8192, counters, () => undefined);
  const dec = new DatagramDecoder(rb, null);
  const t0 = cpuMicros();
  for (const g of input) dec.decode({ kind: 'netflow', threaded: true, buf: g.bytes, from: '127.0.0.1', receivedMicros: 0 });
  rb.flush();
  report('rows', cpuMicros() - t0, counters.rowsAppended);
}

async function store(): Promise<void> {
  const db = path.join(os.tmpdir(), `collector-stages-${process.pid}.duckdb`);
  const store = await openStore(db);
  try {
    const writer = await store.beginIngest();
    const counters = new CollectorCounters();
    const rb = new RowBatches(writer.ingestId, null, 'bench', 8192, counters, (b) => writer.append(b));
    const dec = new DatagramDecoder(rb, null);
    const rec = { fingerprint: 'bench', sha256: null, path: 'bench', size: 0, format: 'collector', sensor: null, startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:00Z', records: 0, skipped: 0, summary: '{}' };
    const t0 = cpuMicros();
    for (const g of input) {
      dec.decode({ kind: 'netflow', threaded: true, buf: g.bytes, from: '127.0.0.1', receivedMicros: 0 });
      if (rb.pendingRows >= FLUSH_ROWS) {
        rb.flush();
        await writer.checkpoint(rec);
      }
    }
    rb.flush();
    await writer.commit(rec);
    report('store', cpuMicros() - t0, counters.rowsAppended);
  } finally {
    await store.close();
    for (const f of [db, `${db}.wal`]) fs.rmSync(f, { force: true });
  }
}

for (const s of stages) {
  if (s === 'decode') decodeOnly();
  else if (s === 'rows') rows();
  else if (s === 'store') await store();
}
