/**
 * What a collector run did, as plain data: kept in its ingest record (so `nightjar stats` can show
 * lost records per exporter after the fact) and printed when the collector stops.
 */
import type { NetflowDecoder } from '../decode/netflow/netflow-decoder.js';
import type { SflowDecoder } from '../decode/sflow/sflow.js';
import type { CollectorCounters } from './collector-counters.js';

/** Lost records of one NetFlow/IPFIX exporter and domain. */
export interface ExporterLoss {
  exporter: string;
  domain: number;
  version: number;
  lost_records: number;
  sequence_resets: number;
}

/** Summary of a collector run. */
export interface CollectorSummary {
  /** Datagrams and messages accepted (acknowledged) by the collector. */
  received: number;
  decoded: number;
  flows: number;
  rows: number;
  committed: number;
  commits: number;
  /** Total input dropped or skipped, over every reason below. */
  dropped: number;
  dropped_by_reason: Record<string, number>;
  exporters: ExporterLoss[];
  sflow_lost_samples: number;
  sflow_lost_datagrams: number;
  syslog: Record<string, number>;
}

/** Builds the summary from the running counts and the decoders' statistics. */
export function collectorSummary(c: CollectorCounters, nf: NetflowDecoder, sf: SflowDecoder): CollectorSummary {
  const dropped: Record<string, number> = {};
  const add = (k: string, n: number): void => {
    if (n > 0) dropped[k] = (dropped[k] ?? 0) + n;
  };
  for (const [k, n] of Object.entries(c.queueFull)) add(`queue_full_${k}`, n);
  for (const [k, n] of Object.entries(nf.stats.malformed)) add(`netflow:${k}`, n);
  for (const [k, n] of Object.entries(nf.stats.dropped)) add(`netflow:${k}`, n);
  for (const [k, n] of Object.entries(sf.stats.malformed)) add(`sflow:${k}`, n);
  for (const [k, n] of Object.entries(c.skipped)) add(k, n);
  return {
    received: c.totalReceived,
    decoded: c.decodedDatagrams,
    flows: nf.stats.flows + sf.stats.flowSamples,
    rows: c.rowsAppended,
    committed: c.rowsCommitted,
    commits: c.commits,
    dropped: Object.values(dropped).reduce((a, b) => a + b, 0),
    dropped_by_reason: dropped,
    exporters: nf.domains().map((d) => ({
      exporter: d.exporter,
      domain: d.domain,
      version: d.version,
      lost_records: d.lostRecords,
      sequence_resets: d.sequenceResets,
    })),
    sflow_lost_samples: sf.stats.lostSamples,
    sflow_lost_datagrams: sf.stats.lostDatagrams,
    syslog: { ...c.syslog },
  };
}
