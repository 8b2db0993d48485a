/**
 * Data sets that arrive before their template (common after a collector restart: exporters resend
 * templates only every few minutes) are held per domain, bounded in count and age, and decoded as
 * soon as the template arrives; the rest are counted as dropped with reason `no_template`.
 */
import { decodeDataSet, type ExportHeader, type RecordSink } from './data-records.js';
import type { DomainState, TemplateCache } from './template-cache.js';

/** Holds a copy of a data set body for a template not known yet. */
export function holdSet(cache: TemplateCache, sink: RecordSink, dom: DomainState, templateId: number, h: ExportHeader, buf: Uint8Array, start: number, end: number, nowMicros: number): void {
  if (cache.limits.maxHeldSets <= 0) {
    sink.stats.drop('no_template');
    return;
  }
  if (dom.held.length >= cache.limits.maxHeldSets) {
    dom.held.shift();
    sink.stats.heldSets--;
    sink.stats.drop('held_overflow');
  }
  dom.held.push({ templateId, body: buf.slice(start, end), arrivalMicros: nowMicros, exportSecs: h.exportSecs, sysUptimeMs: h.sysUptimeMs });
  sink.stats.heldSets++;
}

/** Decodes the held sets waiting for `templateId`, now that it is known. */
export function replayHeld(sink: RecordSink, dom: DomainState, templateId: number, h: ExportHeader): void {
  if (dom.held.length === 0) return;
  const tpl = dom.templates.get(templateId);
  if (tpl === undefined) return;
  const keep = [];
  const hh: ExportHeader = { ...h };
  for (const s of dom.held) {
    if (s.templateId !== templateId) {
      keep.push(s);
      continue;
    }
    sink.stats.heldSets--;
    sink.stats.heldReplayed++;
    hh.exportSecs = s.exportSecs;
    hh.sysUptimeMs = s.sysUptimeMs;
    if (decodeDataSet(sink, dom, tpl, hh, s.body, 0, s.body.length) < 0) sink.stats.bad('truncated_record');
  }
  dom.held = keep;
}

/** Drops held sets older than the limit, counting them as `no_template`. */
export function expireHeld(cache: TemplateCache, sink: RecordSink, dom: DomainState, nowMicros: number): void {
  const held = dom.held;
  if (held.length === 0) return;
  const limit = nowMicros - cache.limits.heldMaxAgeMicros;
  let i = 0;
  while (i < held.length && held[i].arrivalMicros < limit) i++;
  if (i === 0) return;
  held.splice(0, i);
  sink.stats.heldSets -= i;
  sink.stats.drop('no_template', i);
}
