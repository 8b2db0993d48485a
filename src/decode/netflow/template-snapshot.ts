/**
 * Template state as plain data, so a collector can persist it and a restarted collector can decode
 * data that arrives before the exporters resend their templates (often minutes later). The snapshot
 * holds, per (exporter, domain), the templates, the options-learned exporter facts (sampling rates,
 * interface and VRF names, system init time) and the data sets still held for a missing template.
 * Sequence expectations are deliberately not kept: after a restart the gap is unknowable, and
 * counting it as loss would be a guess. Pure functions: reading and writing the file is the caller's.
 */
import { z } from 'zod';
import { Template, type TemplateCache } from './template-cache.js';

const u32 = z.number().int().min(0).max(0xffffffff);
const pairs = <T extends z.ZodType>(v: T) => z.array(z.tuple([u32, v])).max(1_000_000);

const templateSchema = z.strictObject({
  id: z.number().int().min(256).max(65535),
  scopeCount: z.number().int().min(0).max(65535),
  ids: z.array(z.number().int().min(0).max(65535)).max(65535),
  pens: z.array(u32).max(65535),
  lens: z.array(z.number().int().min(-1).max(65535)).max(65535),
});

const heldSchema = z.strictObject({
  templateId: z.number().int().min(0).max(65535),
  body: z.base64(),
  arrivalMicros: z.number(),
  exportSecs: z.number(),
  sysUptimeMs: z.number(),
});

const domainSchema = z.strictObject({
  version: z.union([z.literal(9), z.literal(10)]),
  exporter: z.string().max(64),
  domain: u32,
  sysInitMs: z.number(),
  templates: z.array(templateSchema),
  held: z.array(heldSchema),
});

const exporterSchema = z.strictObject({
  exporter: z.string().max(64),
  samplers: pairs(z.number()),
  ifaceRates: pairs(z.number()),
  defaultRate: z.number(),
  ifaceNames: pairs(z.string()),
  vrfNames: pairs(z.string()),
});

/** The persisted form of a TemplateCache (format version 1). */
export const templateSnapshotSchema = z.strictObject({
  format: z.literal('nightjar-templates-v1'),
  domains: z.array(domainSchema),
  exporters: z.array(exporterSchema),
});

/** A template snapshot as plain JSON-ready data. */
export type TemplateSnapshot = z.infer<typeof templateSnapshotSchema>;

/** Captures the template state of `cache` (v9 and IPFIX domains that have templates or held data). */
export function snapshotTemplates(cache: TemplateCache): TemplateSnapshot {
  const domains: TemplateSnapshot['domains'] = [];
  const seen = new Set<string>();
  const exporters: TemplateSnapshot['exporters'] = [];
  for (const d of cache.all()) {
    if ((d.version !== 9 && d.version !== 10) || (d.templates.size === 0 && d.held.length === 0)) continue;
    domains.push({
      version: d.version,
      exporter: d.exporter,
      domain: d.domain,
      sysInitMs: d.sysInitMs,
      templates: [...d.templates.values()].map((t) => ({
        id: t.id,
        scopeCount: t.scopeCount,
        ids: [...t.ids],
        pens: [...t.pens],
        lens: [...t.lens],
      })),
      held: d.held.map((h) => ({ ...h, body: Buffer.from(h.body).toString('base64') })),
    });
    if (seen.has(d.exporter)) continue;
    seen.add(d.exporter);
    const i = d.info;
    exporters.push({
      exporter: d.exporter,
      samplers: [...i.samplers],
      ifaceRates: [...i.ifaceRates],
      defaultRate: i.defaultRate,
      ifaceNames: [...i.ifaceNames],
      vrfNames: [...i.vrfNames],
    });
  }
  return { format: 'nightjar-templates-v1', domains, exporters };
}

/** Number of templates a snapshot restored, and the data sets it put back on hold. */
export interface RestoreResult {
  templates: number;
  heldSets: number;
}

/**
 * Installs a snapshot into an empty or running cache (known templates are overwritten by the
 * snapshot's). Throws a ZodError when `data` is not a valid snapshot; the caller decides what to say.
 */
export function restoreTemplates(cache: TemplateCache, data: unknown, nowMicros: number): RestoreResult {
  const snap = templateSnapshotSchema.parse(data);
  const out: RestoreResult = { templates: 0, heldSets: 0 };
  for (const sd of snap.domains) {
    const d = cache.domain(sd.version, sd.exporter, sd.domain, nowMicros);
    d.sysInitMs = sd.sysInitMs;
    for (const t of sd.templates) {
      if (t.ids.length !== t.pens.length || t.ids.length !== t.lens.length) continue;
      if (d.templates.size >= cache.limits.maxTemplatesPerDomain && !d.templates.has(t.id)) break;
      d.templates.set(t.id, new Template(t.id, t.scopeCount, t.ids, t.pens, t.lens));
      out.templates++;
    }
    for (const h of sd.held.slice(-cache.limits.maxHeldSets)) {
      // Held sets wait their full age again: the collector was down, not the exporter.
      d.held.push({ ...h, body: new Uint8Array(Buffer.from(h.body, 'base64')), arrivalMicros: nowMicros });
      out.heldSets++;
    }
  }
  for (const e of snap.exporters) {
    const d = [...cache.all()].find((x) => x.exporter === e.exporter);
    if (d === undefined) continue;
    const i = d.info;
    for (const [k, v] of e.samplers) i.samplers.set(k, v);
    for (const [k, v] of e.ifaceRates) i.ifaceRates.set(k, v);
    for (const [k, v] of e.ifaceNames) i.ifaceNames.set(k, v);
    for (const [k, v] of e.vrfNames) i.vrfNames.set(k, v);
    i.defaultRate = e.defaultRate;
  }
  return out;
}
