/**
 * Installing and withdrawing templates in a domain: new, refreshed (same layout) or replaced (new
 * layout under a known id), bounded per domain, with held data sets decoded as soon as their template
 * arrives. Shared by NetFlow v9 and IPFIX.
 */
import type { ExportHeader, RecordSink } from './data-records.js';
import { replayHeld } from './held-sets.js';
import type { DomainState, Template, TemplateCache } from './template-cache.js';

/** What the protocol decoders share: template state, the output, and the header being decoded. */
export interface DecoderCore {
  readonly cache: TemplateCache;
  readonly sink: RecordSink;
  readonly hdr: ExportHeader;
}

/** Adds or refreshes a template; returns false (counted) when the domain is full. */
export function installTemplate(core: DecoderCore, dom: DomainState, tpl: Template): boolean {
  const stats = core.sink.stats;
  const old = dom.templates.get(tpl.id);
  if (old === undefined) {
    if (dom.templates.size >= core.cache.limits.maxTemplatesPerDomain) {
      stats.bad('template_limit');
      return false;
    }
    stats.templatesAdded++;
  } else if (old.sameAs(tpl)) {
    stats.templateRefreshes++;
    return true;
  } else stats.templateReplacements++;
  dom.templates.set(tpl.id, tpl);
  replayHeld(core.sink, dom, tpl.id, core.hdr);
  return true;
}

/** Withdraws one template (IPFIX field count 0). */
export function withdrawTemplate(core: DecoderCore, dom: DomainState, id: number): void {
  if (dom.templates.delete(id)) core.sink.stats.templateWithdrawals++;
}

/** Withdraws every data template (`options` false) or every options template of a domain. */
export function withdrawAll(core: DecoderCore, dom: DomainState, options: boolean): void {
  for (const [id, t] of dom.templates) {
    if (t.options === options) {
      dom.templates.delete(id);
      core.sink.stats.templateWithdrawals++;
    }
  }
}
