/** Messages between the ingest pipeline and its decode worker. */
import type { FlowSettings } from '../decode/decoder.js';
import type { BatchParts } from '../store/column-batch.js';
import type { SkipCounts } from './skip-log.js';

/** From the pipeline to the worker. */
export type ToWorker =
  | { type: 'begin'; format: string; ingestId: number; sensor: string | null; inputName: string; batchRows: number; live: boolean; flow?: FlowSettings }
  | { type: 'chunk'; buf: ArrayBuffer; length: number }
  /** A batch the store has loaded, its buffers given back for the worker to fill again. */
  | { type: 'recycle'; parts: BatchParts }
  | { type: 'finish' };

/** From the worker to the pipeline. */
export type FromWorker =
  | { type: 'batch'; parts: BatchParts }
  | { type: 'ack'; buf: ArrayBuffer }
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
  /** Receives every finished batch, in order; the batch may be reused once this returns. */
  readonly onBatch: (b: import('../store/column-batch.js').ColumnBatch) => void;
  /** Receives a pushed chunk's buffer back once it was decoded (pooled inputs reuse it). */
  readonly onRecycle?: (buf: ArrayBuffer) => void;
}
