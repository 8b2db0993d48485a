/**
 * Worker thread that runs a decoder: the main thread sends raw chunks, this thread decodes them into
 * batches and sends the batches back (their buffers transferred, not copied), so decoding on one core
 * overlaps with the store's appending on the other. After each chunk it acknowledges, which is what
 * bounds how far ahead the reader may run.
 */
import { parentPort } from 'node:worker_threads';
import { DECODERS } from './registry.js';
import type { DecodeContext, Decoder } from '../decode/decoder.js';
import { setCommunityIdSeed } from '../model/community-id.js';
import { EVENT_TABLES, type EventTableName } from '../model/fields.js';
import { ColumnBatch, batchParts, recycledBatch, type BatchParts } from '../store/column-batch.js';
import { SkipLog } from './skip-log.js';
import type { ToWorker } from './worker-protocol.js';

const port = parentPort!;
let decoder: Decoder | null = null;
let log = new SkipLog('line');
const batches = new Map<EventTableName, ColumnBatch>();
/** Batches the store has loaded and given back, by table, ready to be filled again. */
const spare = new Map<string, BatchParts[]>();
let batchRows = 8192;

function send(tname: EventTableName, b: ColumnBatch): void {
  const { parts, transfer } = batchParts(b);
  port.postMessage({ type: 'batch', parts }, transfer);
  batches.delete(tname);
}

port.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'begin': {
      const def = DECODERS.get(msg.format)!;
      log = new SkipLog(def.positionUnit);
      if (msg.batchRows !== batchRows) spare.clear();
      batchRows = msg.batchRows;
      batches.clear();
      const ctx: DecodeContext = {
        ingestId: msg.ingestId,
        sensor: msg.sensor,
        inputName: msg.inputName,
        live: msg.live,
        flow: msg.flow,
        shard: msg.shard,
        batch(tname) {
          let b = batches.get(tname);
          if (b !== undefined && b.full) {
            send(tname, b);
            b = undefined;
          }
          if (b === undefined) {
            const table = EVENT_TABLES.find((t) => t.name === tname)!;
            const back = spare.get(tname)?.pop();
            b = back !== undefined ? recycledBatch(table, back) : new ColumnBatch(table, batchRows);
            batches.set(tname, b);
          }
          return b;
        },
        skip: (reason, position, detail) => log.skip(reason, position, detail),
        ignore: (kind) => log.ignore(kind),
      };
      setCommunityIdSeed(msg.flow?.communityIdSeed ?? 0);
      decoder = def.create(ctx);
      break;
    }
    case 'chunk':
      decoder!.push(Buffer.from(msg.buf, 0, msg.length));
      // The chunk's memory goes back to the reader for its next read (a shared one is not ours to move).
      port.postMessage({ type: 'ack', buf: msg.buf }, msg.buf instanceof SharedArrayBuffer ? [] : [msg.buf]);
      break;
    case 'recycle': {
      let list = spare.get(msg.parts.table);
      if (list === undefined) spare.set(msg.parts.table, (list = []));
      list.push(msg.parts);
      break;
    }
    case 'finish':
      decoder!.finish();
      for (const [tname, b] of [...batches]) if (b.length > 0) send(tname, b);
      decoder = null;
      port.postMessage({ type: 'done', counts: log.toJSON() });
      break;
  }
});
