/** Messages between the ingest pipeline and its decode worker. */
import type { BatchParts } from '../store/column-batch.js';
import type { SkipCounts } from './skip-log.js';

/** From the pipeline to the worker. */
export type ToWorker =
  | { type: 'begin'; format: string; ingestId: number; sensor: string | null; inputName: string; batchRows: number }
  | { type: 'chunk'; buf: ArrayBuffer }
  | { type: 'finish' };

/** From the worker to the pipeline. */
export type FromWorker =
  | { type: 'batch'; parts: BatchParts }
  | { type: 'ack' }
  | { type: 'done'; counts: SkipCounts };
