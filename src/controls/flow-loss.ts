/**
 * Flow-export sequence loss, where the store has it: the live collector writes per-exporter
 * lost-record counts into its ingest summary (`collector.exporters[].lost_records`, from NetFlow v9
 * / IPFIX sequence gaps and sFlow sequence numbers). File ingests of flow captures keep no such
 * counts, so with no collector ingest the report says the check was not possible rather than "no loss".
 */
import { z } from 'zod';
import type { Store } from '../store/store.js';

/** Lost records of one exporter. */
export interface ExporterLoss {
  exporter: string;
  domain: string | null;
  lost_records: number;
}

/** The flow-loss section. */
export interface FlowLoss {
  available: boolean;
  /** Why not, when not available. */
  reason: string | null;
  exporters: ExporterLoss[];
  lost_records: number;
}

const summarySchema = z.object({
  collector: z.object({
    exporters: z.array(
      z.object({ exporter: z.string(), domain: z.union([z.string(), z.number()]).nullish(), lost_records: z.number().nonnegative() }),
    ),
  }),
});

/** Sums the lost-record counts the collector recorded, per exporter and observation domain. */
export async function flowLoss(store: Store): Promise<FlowLoss> {
  const per = new Map<string, ExporterLoss>();
  let seen = false;
  for (const ing of await store.listIngests()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(ing.summary);
    } catch {
      continue;
    }
    const s = summarySchema.safeParse(parsed);
    if (!s.success) continue;
    seen = true;
    for (const e of s.data.collector.exporters) {
      const domain = e.domain === null || e.domain === undefined ? null : String(e.domain);
      const key = `${e.exporter}|${domain}`;
      const cur = per.get(key) ?? { exporter: e.exporter, domain, lost_records: 0 };
      cur.lost_records += e.lost_records;
      per.set(key, cur);
    }
  }
  if (!seen) {
    return {
      available: false,
      reason: 'no ingest carries flow sequence counts (only the live collector records them); loss was not checked',
      exporters: [],
      lost_records: 0,
    };
  }
  const exporters = [...per.values()].sort((a, b) => b.lost_records - a.lost_records || (a.exporter < b.exporter ? -1 : 1));
  return { available: true, reason: null, exporters, lost_records: exporters.reduce((n, e) => n + e.lost_records, 0) };
}
