/** Messages between the ingest pipeline and its decode worker. */
import type { DecodeShard, FlowSettings } from '../decode/decoder.js';
import type { BatchParts } from '../store/column-batch.js';
import type { SkipCounts } from './skip-log.js';

/** From the pipeline to the worker. */
export type ToWorker =
  | {
      type: 'begin';
      format: string;
      ingestId: number;
      sensor: string | null;
      inputName: string;
      batchRows: number;
      live: boolean;
      flow?: FlowSettings;
      shard?: DecodeShard;
    }
  /** A shared buffer is read by several workers at once and comes back in the ack, not transferred. */
  | { type: 'chunk'; buf: ArrayBuffer | SharedArrayBuffer; length: number }
  /** A batch the store has loaded, its buffers given back for the worker to fill again. */
  | { type: 'recycle'; parts: BatchParts }
  | { type: 'finish' };

/** From the worker to the pipeline. */
export type FromWorker =
  | { type: 'batch'; parts: BatchParts }
  | { type: 'ack'; buf: ArrayBuffer | SharedArrayBuffer }
  | { type: 'done'; counts: SkipCounts };

/** What a decode driver is asked to do for one input. */
export interface DecodeJob {
  readonly format: string;
  readonly ingestId: number;
  readonly sensor: string | null;
  readonly inputName: string;
  readonly batchRows: number;
  /** A live source (see DecodeContext.live). */
  readonly live?: boolean;
  /** Flow-table settings (see DecodeContext.flow). */
  readonly flow?: FlowSettings;
  /** This worker's share of a split input (see DecodeContext.shard). */
  readonly shard?: DecodeShard;
  /** Receives every finished batch, in order; the batch may be reused once this returns. */
  readonly onBatch: (b: import('../store/column-batch.js').ColumnBatch) => void;
  /** Receives a pushed chunk's buffer back once it was decoded (pooled inputs reuse it). */
  readonly onRecycle?: (buf: ArrayBuffer) => void;
  /** Called once per pushed chunk when it has been decoded (shared chunks included). */
  readonly onAck?: () => void;
}
