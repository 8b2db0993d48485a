/**
 * Capture pipeline stages measured one at a time on the same file: walking the records only; plus
 * packet decoding; plus the flow table, application detection and DNS (rows built, not stored). Each
 * stage reads the file (from the page cache) in pooled 1 MiB chunks, as ingest does. The full ingest into
 * DuckDB is measured by bench/run.ts in its own process (for its peak RSS).
 */
import { createCaptureReader } from '../src/decode/capture/capture-reader.js';
import type { DecodeContext, DecodeShard } from '../src/decode/decoder.js';
import { PacketDecoder } from '../src/decode/packet/decode-packet.js';
import { PacketInfo } from '../src/decode/packet/packet-info.js';
import { pcapFormat } from '../src/flows/capture-decoder.js';
import { EVENT_TABLES, type EventTableName } from '../src/model/fields.js';
import { openInput } from '../src/sources/file-input.js';
import { ColumnBatch } from '../src/store/column-batch.js';

/** One stage's figures. */
export interface StageResult {
  stage: string;
  packets: number;
  seconds: number;
  /** CPU time of the process during the stage (one thread here). */
  cpuSeconds: number;
  bytes: number;
  rows: number;
}

/** Starts timing a stage; the returned function gives wall and CPU seconds since. */
function timer(): () => { seconds: number; cpuSeconds: number } {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  return () => {
    const c = process.cpuUsage(c0);
    return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6 };
  };
}

/** Reads the file as ingest does (pooled 1 MiB buffers), handing each chunk to `push`. */
async function feed(file: string, push: (c: Buffer) => void): Promise<number> {
  const input = await openInput({ kind: 'file', path: file });
  let bytes = 0;
  for (let c = await input.next(); c !== null; c = await input.next()) {
    bytes += c.length;
    push(c);
    input.recycle(c.buffer);
  }
  return bytes;
}

/** Walks the capture's records and nothing else. */
export async function stageRead(file: string): Promise<StageResult> {
  let packets = 0;
  const r = createCaptureReader(() => packets++, () => undefined);
  const done = timer();
  const bytes = await feed(file, (c) => r.push(c));
  r.finish();
  return { stage: 'read records', packets, ...done(), bytes, rows: 0 };
}

/** Walks and decodes every packet down to the transport header. */
export async function stageDecode(file: string): Promise<StageResult> {
  let packets = 0;
  const pd = new PacketDecoder();
  const pi = new PacketInfo();
  const r = createCaptureReader((lt, ts, buf, off, cap, wire) => {
    packets++;
    pd.decode(lt, buf, off, cap, wire, ts, pi);
  }, () => undefined);
  const done = timer();
  const bytes = await feed(file, (c) => r.push(c));
  r.finish();
  return { stage: 'read + decode', packets, ...done(), bytes, rows: 0 };
}

/**
 * The whole capture format: decode, flow table, app detection, DNS, rows into batches (discarded);
 * with `shard`, one of the parallel decoders the ingest's workers run (it reads every packet and keeps
 * its own flows).
 */
export async function stageFlows(file: string, shard?: DecodeShard): Promise<StageResult> {
  let rows = 0;
  const batches = new Map<EventTableName, ColumnBatch>();
  const ctx: DecodeContext = {
    ingestId: 1,
    sensor: null,
    inputName: file,
    shard,
    batch(t) {
      let b = batches.get(t);
      if (b === undefined) batches.set(t, (b = new ColumnBatch(EVENT_TABLES.find((x) => x.name === t)!, 8192)));
      else if (b.full) {
        rows += b.length;
        b.clear();
      }
      return b;
    },
    skip: () => undefined,
    ignore: () => undefined,
  };
  const d = pcapFormat.create(ctx);
  const done = timer();
  const bytes = await feed(file, (c) => d.push(c));
  d.finish();
  const time = done();
  for (const b of batches.values()) rows += b.length;
  const packets = (await stageRead(file)).packets;
  const stage = shard ? `  the same, shard ${shard.index + 1} of ${shard.count}` : 'read + decode + flows + DNS + app';
  return { stage, packets, ...time, bytes, rows };
}

// `node dist/bench/pcap-stages.js FILE`
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\//, ''))) {
  const file = process.argv[2];
  for (const f of [stageRead, stageDecode, stageFlows]) {
    const r = await f(file);
    const perCpu = (r.packets / r.cpuSeconds / 1e6).toFixed(2);
    process.stdout.write(`${r.stage}: ${(r.packets / r.seconds / 1e6).toFixed(2)} M packets/s, ${perCpu} M packets/CPU-s, ${((r.bytes * 8) / r.seconds / 1e9).toFixed(2)} Gbit/s, ${r.rows} rows\n`);
  }
}
