/**
 * The entry point for flow-export datagrams: one NetflowDecoder per collector (or per pcap of
 * exports) keeps the template state of every exporter and hands each decoded flow to a callback.
 * It dispatches on the version field (5, 9, 10) and never throws on bad bytes: problems are counted
 * in `stats` by reason code and decoding goes on with the next datagram.
 */
import type { ExportHeader, RecordSink } from './data-records.js';
import { FlowRecord, type FlowHandler } from './flow-record.js';
import { expireHeld } from './held-sets.js';
import { decodeIpfix } from './ipfix.js';
import { NetflowStats } from './netflow-stats.js';
import { decodeV5 } from './netflow-v5.js';
import { decodeV9 } from './netflow-v9.js';
import { TEMPLATE_CACHE_DEFAULTS, TemplateCache, type DomainState, type TemplateCacheLimits } from './template-cache.js';
import type { DecoderCore } from './templates.js';
import { restoreTemplates, snapshotTemplates, type RestoreResult, type TemplateSnapshot } from './template-snapshot.js';

/** Options of a NetflowDecoder (every bound has a default). */
export type NetflowDecoderOptions = Partial<TemplateCacheLimits>;

/** Per (exporter, domain) counters, as `domains()` reports them. */
export interface DomainStats {
  version: number;
  exporter: string;
  domain: number;
  templates: number;
  heldSets: number;
  lostRecords: number;
  sequenceResets: number;
}

/** Decodes NetFlow v5, v9 and IPFIX datagrams from any number of exporters into FlowRecords. */
export class NetflowDecoder implements DecoderCore {
  readonly stats = new NetflowStats();
  readonly cache: TemplateCache;
  readonly sink: RecordSink;
  readonly hdr: ExportHeader = { version: 0, exporter: '', domain: 0, exportSecs: 0, sysUptimeMs: -1 };

  constructor(onFlow: FlowHandler, opts: NetflowDecoderOptions = {}) {
    this.cache = new TemplateCache(Object.freeze({ ...TEMPLATE_CACHE_DEFAULTS, ...opts }));
    this.sink = { rec: new FlowRecord(), onFlow, stats: this.stats };
  }

  /**
   * Decodes one datagram buf[off, off + len) received from `exporter` (its address as text) at
   * `nowMicros` (receive or capture time, used only to age held data sets).
   */
  decode(buf: Uint8Array, off: number, len: number, exporter: string, nowMicros: number): void {
    this.stats.datagrams++;
    if (off < 0 || len < 0 || off + len > buf.length) len = Math.max(0, Math.min(len, buf.length - off));
    if (len < 2) return this.stats.bad('truncated_header');
    const version = (buf[off] << 8) | buf[off + 1];
    if (version === 5) decodeV5(this, buf, off, len, exporter, nowMicros);
    else if (version === 9) decodeV9(this, buf, off, len, exporter, nowMicros);
    else if (version === 10) decodeIpfix(this, buf, off, len, exporter, nowMicros);
    else this.stats.bad('bad_version');
  }

  /** Drops held data sets older than the age limit in every domain (call now and then when idle). */
  expire(nowMicros: number): void {
    for (const d of this.cache.all()) expireHeld(this.cache, this.sink, d, nowMicros);
  }

  /** The template state as plain data, for a collector to persist. */
  snapshot(): TemplateSnapshot {
    return snapshotTemplates(this.cache);
  }

  /** Installs persisted template state (throws a ZodError when `data` is not a snapshot). */
  restore(data: unknown, nowMicros: number): RestoreResult {
    const r = restoreTemplates(this.cache, data, nowMicros);
    this.stats.heldSets += r.heldSets;
    return r;
  }

  /** Templates and options templates currently known, over all domains. */
  templateCount(): number {
    let n = 0;
    for (const d of this.cache.all()) n += d.templates.size;
    return n;
  }

  /** Counters of every (exporter, domain) seen. */
  domains(): DomainStats[] {
    const out: DomainStats[] = [];
    for (const d of this.cache.all()) out.push(domainStats(d));
    return out;
  }
}

function domainStats(d: DomainState): DomainStats {
  return {
    version: d.version,
    exporter: d.exporter,
    domain: d.domain,
    templates: d.templates.size,
    heldSets: d.held.length,
    lostRecords: d.lostRecords,
    sequenceResets: d.sequenceResets,
  };
}
