/**
 * Template state shared by the NetFlow v9 and IPFIX decoders: templates and options templates keyed
 * per (exporter, source id / observation domain), what options data taught about each exporter
 * (sampling rates, interface and VRF names, system init time), sequence tracking, and data sets held
 * back until their template arrives. Everything is bounded: exporters, templates per domain, held sets.
 */
import { slotOf, Slot } from './slots.js';

/** A template or options template, compiled for decoding data records. */
export class Template {
  /** Field lengths: -1 marks a variable-length field (IPFIX 65535). */
  readonly lens: Int32Array;
  readonly ids: Uint16Array;
  readonly pens: Uint32Array;
  readonly slots: Uint8Array;
  /** Smallest encoded record (variable-length fields count one byte). */
  readonly minLen: number;

  constructor(
    readonly id: number,
    readonly scopeCount: number,
    ids: number[],
    pens: number[],
    lens: number[],
  ) {
    this.ids = Uint16Array.from(ids);
    this.pens = Uint32Array.from(pens);
    this.lens = Int32Array.from(lens);
    this.slots = Uint8Array.from(ids, (id, i) => slotOf(pens[i], id, lens[i]));
    let min = 0;
    for (const l of lens) min += l < 0 ? 1 : l;
    this.minLen = min;
  }

  /** True for an options template (its records describe the exporter, not flows). */
  get options(): boolean {
    return this.scopeCount > 0;
  }

  /** True when `o` has the same layout (a refresh rather than a replacement). */
  sameAs(o: Template): boolean {
    if (o.scopeCount !== this.scopeCount || o.lens.length !== this.lens.length) return false;
    for (let i = 0; i < this.lens.length; i++) {
      if (o.ids[i] !== this.ids[i] || o.pens[i] !== this.pens[i] || o.lens[i] !== this.lens[i]) return false;
    }
    return true;
  }

  /** Whether a field of this template fills `slot`. */
  has(slot: Slot): boolean {
    return this.slots.indexOf(slot) >= 0;
  }
}

/** A data set that arrived before its template, with what is needed to decode it later. */
export interface HeldSet {
  readonly templateId: number;
  readonly body: Uint8Array;
  readonly arrivalMicros: number;
  readonly exportSecs: number;
  readonly sysUptimeMs: number;
}

/** What options data taught about one exporter (shared by all its domains, as nfacctd does). */
export class ExporterInfo {
  /** Sampling rate by sampler / selector id. */
  readonly samplers = new Map<number, number>();
  /** Sampling rate by ingress interface. */
  readonly ifaceRates = new Map<number, number>();
  /** Rate from options data with neither scope (exporter-wide), 0 when none. */
  defaultRate = 0;
  /** Interface names by index, VRF names by VRF id. */
  readonly ifaceNames = new Map<number, string>();
  readonly vrfNames = new Map<number, string>();
}

/** State of one (exporter, source id / observation domain). */
export class DomainState {
  readonly templates = new Map<number, Template>();
  held: HeldSet[] = [];
  /** Next expected sequence number, or -1 when unknown (start, restart, or held data). */
  expectedSeq = -1;
  lostRecords = 0;
  sequenceResets = 0;
  /** IPFIX systemInitTimeMilliseconds from options data, or -1. */
  sysInitMs = -1;
  lastSeenMicros = 0;

  constructor(
    readonly version: number,
    readonly exporter: string,
    readonly domain: number,
    readonly info: ExporterInfo,
  ) {}
}

/** Bounds of the template cache. */
export interface TemplateCacheLimits {
  /** Distinct (exporter, domain) pairs kept; the least recently seen is forgotten beyond it. */
  maxDomains: number;
  /** Templates and options templates per domain. */
  maxTemplatesPerDomain: number;
  /** Data sets held for a missing template, per domain. */
  maxHeldSets: number;
  /** How long a held data set waits for its template. */
  heldMaxAgeMicros: number;
}

/** Default bounds. */
export const TEMPLATE_CACHE_DEFAULTS: TemplateCacheLimits = Object.freeze({
  maxDomains: 4096,
  maxTemplatesPerDomain: 1024,
  maxHeldSets: 64,
  heldMaxAgeMicros: 60_000_000,
});

/** All template state of one decoder, keyed by exporter and domain. */
export class TemplateCache {
  private readonly domains = new Map<string, DomainState>();
  private readonly exporters = new Map<string, ExporterInfo>();
  /** The domain found last: an exporter's datagrams come in runs, and this skips making the key. */
  private last: DomainState | null = null;

  constructor(readonly limits: TemplateCacheLimits = TEMPLATE_CACHE_DEFAULTS) {}

  /** The state of (exporter, domain) for protocol `version`, created on first use. */
  domain(version: number, exporter: string, domain: number, nowMicros: number): DomainState {
    const l = this.last;
    if (l !== null && l.domain === domain && l.version === version && l.exporter === exporter) {
      l.lastSeenMicros = nowMicros;
      return l;
    }
    const key = `${version}|${exporter}|${domain}`;
    let d = this.domains.get(key);
    if (d === undefined) {
      if (this.domains.size >= this.limits.maxDomains) this.evictOldest();
      let info = this.exporters.get(exporter);
      if (info === undefined) this.exporters.set(exporter, (info = new ExporterInfo()));
      d = new DomainState(version, exporter, domain, info);
      this.domains.set(key, d);
    }
    d.lastSeenMicros = nowMicros;
    this.last = d;
    return d;
  }

  /** Every known domain, for stats and expiry. */
  all(): IterableIterator<DomainState> {
    return this.domains.values();
  }

  private evictOldest(): void {
    let oldKey = '';
    let oldest = Infinity;
    for (const [k, d] of this.domains) {
      if (d.lastSeenMicros < oldest) {
        oldest = d.lastSeenMicros;
        oldKey = k;
      }
    }
    this.domains.delete(oldKey);
    this.last = null;
  }
}
