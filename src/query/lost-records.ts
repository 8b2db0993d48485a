/**
 * Records the network lost between exporters and the collector, as the exporters' sequence numbers
 * tell it: summed per exporter and domain over every collector run kept in the ingest records.
 */
import type { Store } from '../store/store.js';

/** Lost records of one exporter and domain (sFlow agents together as exporter `sflow`). */
export interface LostRecordsRow extends Record<string, string | number | null> {
  exporter: string;
  domain: number | null;
  version: number | null;
  lost_records: number;
  sequence_resets: number;
  runs: number;
}

interface RunExporter {
  exporter?: unknown;
  domain?: unknown;
  version?: unknown;
  lost_records?: unknown;
  sequence_resets?: unknown;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Lost records per exporter and domain over every collector run, most lost first. */
export async function lostExportRecords(store: Store): Promise<LostRecordsRow[]> {
  const byKey = new Map<string, LostRecordsRow>();
  const add = (exporter: string, domain: number | null, version: number | null, lost: number, resets: number): void => {
    const key = `${exporter}|${domain}|${version}`;
    let row = byKey.get(key);
    if (row === undefined) byKey.set(key, (row = { exporter, domain, version, lost_records: 0, sequence_resets: 0, runs: 0 }));
    row.lost_records += lost;
    row.sequence_resets += resets;
    row.runs++;
  };
  for (const ing of await store.listIngests()) {
    if (ing.format !== 'collector') continue;
    let summary: { collector?: { exporters?: RunExporter[]; sflow_lost_samples?: unknown } };
    try {
      summary = JSON.parse(ing.summary) as typeof summary;
    } catch {
      continue;
    }
    const c = summary.collector;
    if (!c) continue;
    for (const e of Array.isArray(c.exporters) ? c.exporters : []) {
      add(String(e.exporter), num(e.domain), num(e.version), num(e.lost_records), num(e.sequence_resets));
    }
    if (num(c.sflow_lost_samples) > 0) add('sflow', null, 5, num(c.sflow_lost_samples), 0);
  }
  return [...byKey.values()].sort((a, b) => b.lost_records - a.lost_records || a.exporter.localeCompare(b.exporter));
}
