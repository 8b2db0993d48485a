/**
 * sFlow v5 datagram decoder (sflow.org/sflow_version_5.txt): a function of the datagram's bytes plus
 * the sequence state of the agents seen so far. Flow samples (formats 1 and 3) go to the sink through
 * one reused SflowFlowSample; counter samples (2 and 4) as fresh interface health records. Damage never
 * throws: it is counted by reason code, samples read before it are kept, and framing that is still
 * sound (a bad record inside a well-framed sample) only costs that sample. Other enterprises' samples
 * and records are skipped by their length and counted.
 */
import { ETHERNET_COUNTERS_LENGTH, GENERIC_COUNTERS_LENGTH, readEthernetCounters, readGenericCounters } from './counter-records.js';
import { FlowRecordReader } from './flow-records.js';
import { SequenceTracker, sourceKey, type AgentSequences, type SequenceTrackerOptions } from './sequence-tracker.js';
import { ipv4Text, ipv6Text, u32 } from './sflow-read.js';
import {
  SflowFlowSample,
  newSflowStats,
  type SflowCounterSample,
  type SflowErrorCode,
  type SflowResult,
  type SflowSink,
  type SflowStats,
} from './sflow-types.js';

export * from './sflow-types.js';
export { writeSflowRow, type SflowRowContext } from './sflow-row.js';

/** Standard (enterprise 0) sample formats. */
export const SampleFormat = { Flow: 1, Counter: 2, ExpandedFlow: 3, ExpandedCounter: 4 } as const;

/** Smallest sample or record: its format and length words. */
const ITEM_HEADER = 8;

/** A decoder for one stream of sFlow datagrams: statistics, sequence state and reused buffers. */
export class SflowDecoder {
  /** Running counts (samples, loss, damage by reason code). */
  readonly stats: SflowStats = newSflowStats();
  private readonly seq: SequenceTracker;
  private readonly records = new FlowRecordReader();
  private readonly sample = new SflowFlowSample();
  private readonly result: SflowResult = {
    ok: true,
    error: null,
    agent: '',
    subAgentId: 0,
    sequence: 0,
    uptimeMs: 0,
    announced: 0,
    flowSamples: 0,
    counterSamples: 0,
    skippedSamples: 0,
  };
  private readonly lastAgent = new Uint8Array(16);
  private lastAgentLen = 0;
  private lastAgentText = '';
  private agentState: AgentSequences | null = null;

  constructor(opts: SequenceTrackerOptions = {}) {
    this.seq = new SequenceTracker(this.stats, opts);
  }

  /**
   * Decodes the datagram in `buf[offset, offset + length)` that arrived from `exporterAddress` at
   * `tsMicros`, handing its samples to `sink`; the returned result object is reused by the next call.
   */
  decode(buf: Uint8Array, offset: number, length: number, exporterAddress: string, tsMicros: number, sink: SflowSink): SflowResult {
    const r = this.result;
    r.ok = true;
    r.error = null;
    r.agent = '';
    r.subAgentId = r.sequence = r.uptimeMs = r.announced = r.flowSamples = r.counterSamples = r.skippedSamples = 0;
    this.stats.datagrams++;
    let end = offset + length;
    if (end > buf.length) end = buf.length;
    let p = offset;
    if (p < 0 || end - p < 8) return this.fail('truncated_header');
    if (u32(buf, p) !== 5) return this.fail('bad_version');
    const agentType = u32(buf, p + 4);
    if (agentType !== 1 && agentType !== 2) return this.fail('bad_agent_type');
    const alen = agentType === 1 ? 4 : 16;
    if (end - p < 24 + alen) return this.fail('truncated_header');
    const agent = this.agentText(buf, p + 8, alen);
    p += 8 + alen;
    r.agent = agent;
    r.subAgentId = u32(buf, p);
    r.sequence = u32(buf, p + 4);
    r.uptimeMs = u32(buf, p + 8);
    const announced = u32(buf, p + 12);
    r.announced = announced;
    p += 16;
    this.agentState = this.seq.datagram(agent, r.subAgentId, r.sequence, r.uptimeMs);
    const s = this.sample;
    s.tsMicros = tsMicros;
    s.exporter = exporterAddress;
    s.agent = agent;
    s.subAgentId = r.subAgentId;
    s.uptimeMs = r.uptimeMs;
    // Read no more samples than the bytes could hold, whatever the header announces.
    if (announced > (end - p) / ITEM_HEADER) this.damage('absurd_sample_count');
    for (let i = 0; i < announced; i++) {
      if (end - p < ITEM_HEADER) {
        this.damage('missing_samples');
        break;
      }
      const format = u32(buf, p);
      const len = u32(buf, p + 4);
      p += ITEM_HEADER;
      if (len > end - p) {
        this.damage('sample_past_end');
        break;
      }
      const body = p;
      p += len;
      if (format === SampleFormat.Flow || format === SampleFormat.ExpandedFlow) {
        if (this.flowSample(buf, body, p, format === SampleFormat.ExpandedFlow)) {
          r.flowSamples++;
          this.stats.flowSamples++;
          sink.flowSample(s);
        }
      } else if (format === SampleFormat.Counter || format === SampleFormat.ExpandedCounter) {
        const c = this.counterSample(buf, body, p, format === SampleFormat.ExpandedCounter, exporterAddress, tsMicros);
        if (c !== null) {
          r.counterSamples++;
          this.stats.counterSamples++;
          sink.counterSample(c);
        }
      } else {
        r.skippedSamples++;
        this.stats.unknownSamples++;
      }
    }
    return r;
  }

  /** Reads a flow sample's header and records into the reused sample; false when it is damaged. */
  private flowSample(b: Uint8Array, p: number, end: number, expanded: boolean): boolean {
    const s = this.sample;
    if (end - p < (expanded ? 44 : 32)) return this.damage('sample_too_short');
    s.expanded = expanded;
    s.sampleLength = end - p;
    s.sequence = u32(b, p);
    if (expanded) {
      s.sourceIdType = u32(b, p + 4);
      s.sourceIdIndex = u32(b, p + 8);
      p += 12;
    } else {
      const id = u32(b, p + 4);
      s.sourceIdType = id >>> 24;
      s.sourceIdIndex = id & 0xffffff;
      p += 8;
    }
    s.samplingRate = u32(b, p);
    s.samplePool = u32(b, p + 4);
    s.drops = u32(b, p + 8);
    p += 12;
    if (expanded) {
      s.inputFormat = u32(b, p);
      s.inputValue = u32(b, p + 4);
      s.outputFormat = u32(b, p + 8);
      s.outputValue = u32(b, p + 12);
      p += 16;
    } else {
      // Compact encoding: the top two bits say what the low thirty mean.
      const input = u32(b, p);
      const output = u32(b, p + 4);
      s.inputFormat = input >>> 30;
      s.inputValue = input & 0x3fffffff;
      s.outputFormat = output >>> 30;
      s.outputValue = output & 0x3fffffff;
      p += 8;
    }
    const count = u32(b, p);
    p += 4;
    s.records = count;
    if (this.agentState !== null) this.seq.sample(this.agentState, sourceKey(false, s.sourceIdType, s.sourceIdIndex), s.sequence);
    if (count > (end - p) / ITEM_HEADER) return this.damage('absurd_record_count');
    s.resetRecords();
    for (let i = 0; i < count; i++) {
      if (end - p < ITEM_HEADER) return this.damage('record_past_sample');
      const format = u32(b, p);
      const len = u32(b, p + 4);
      p += ITEM_HEADER;
      if (len > end - p) return this.damage('record_past_sample');
      if (len === 0) {
        this.damage('zero_length_record');
        continue;
      }
      if (format >>> 12 !== 0) s.unknownRecords++;
      else {
        const err = this.records.read(format, b, p, p + len, s);
        if (err !== null) this.damage(err);
      }
      p += len;
    }
    this.stats.unknownFlowRecords += s.unknownRecords;
    this.stats.undecodedHeaders = this.records.undecodedHeaders;
    return true;
  }

  /** Reads a counter sample into a fresh health record, or null when it is damaged. */
  private counterSample(b: Uint8Array, p: number, end: number, expanded: boolean, exporter: string, ts: number): SflowCounterSample | null {
    if (end - p < (expanded ? 16 : 12)) return this.damageNull('sample_too_short');
    const r = this.result;
    const start = p;
    const sequence = u32(b, p);
    let type: number;
    let index: number;
    if (expanded) {
      type = u32(b, p + 4);
      index = u32(b, p + 8);
      p += 12;
    } else {
      const id = u32(b, p + 4);
      type = id >>> 24;
      index = id & 0xffffff;
      p += 8;
    }
    const count = u32(b, p);
    p += 4;
    if (this.agentState !== null) this.seq.sample(this.agentState, sourceKey(true, type, index), sequence);
    if (count > (end - p) / ITEM_HEADER) return this.damageNull('absurd_record_count');
    const c: SflowCounterSample = {
      tsMicros: ts,
      exporter,
      agent: r.agent,
      subAgentId: r.subAgentId,
      uptimeMs: r.uptimeMs,
      expanded,
      sampleLength: end - start,
      sequence,
      sourceIdType: type,
      sourceIdIndex: index,
      ifIndex: index,
      generic: null,
      ethernet: null,
      unknownRecords: [],
    };
    for (let i = 0; i < count; i++) {
      if (end - p < ITEM_HEADER) return this.damageNull('record_past_sample');
      const format = u32(b, p);
      const len = u32(b, p + 4);
      p += ITEM_HEADER;
      if (len > end - p) return this.damageNull('record_past_sample');
      if (len === 0) this.damage('zero_length_record');
      else if (format === 1) {
        if (len < GENERIC_COUNTERS_LENGTH) this.damage('record_too_short');
        else {
          c.generic = readGenericCounters(b, p);
          c.ifIndex = c.generic.ifIndex;
        }
      } else if (format === 2) {
        if (len < ETHERNET_COUNTERS_LENGTH) this.damage('record_too_short');
        else c.ethernet = readEthernetCounters(b, p);
      } else {
        c.unknownRecords.push(format);
        this.stats.unknownCounterRecords++;
      }
      p += len;
    }
    return c;
  }

  /** The agent address as text, reusing the previous datagram's string when the bytes are the same. */
  private agentText(b: Uint8Array, p: number, n: number): string {
    const last = this.lastAgent;
    let same = n === this.lastAgentLen;
    for (let i = 0; same && i < n; i++) same = last[i] === b[p + i];
    if (same) return this.lastAgentText;
    for (let i = 0; i < n; i++) last[i] = b[p + i];
    this.lastAgentLen = n;
    this.lastAgentText = n === 4 ? ipv4Text(b, p) : ipv6Text(b, p);
    return this.lastAgentText;
  }

  /** Counts damage and marks the datagram; returns false so readers can `return this.damage(...)`. */
  private damage(code: SflowErrorCode): false {
    this.stats.malformed[code]++;
    const r = this.result;
    r.ok = false;
    if (r.error === null) r.error = code;
    return false;
  }

  private damageNull(code: SflowErrorCode): null {
    this.damage(code);
    return null;
  }

  private fail(code: SflowErrorCode): SflowResult {
    this.damage(code);
    return this.result;
  }
}

let shared: SflowDecoder | null = null;

/**
 * Decodes one sFlow v5 datagram into `sink`. Sequence tracking needs state across datagrams: pass the
 * SflowDecoder of this stream (one per collector socket); without one a module-wide decoder is used.
 */
export function decodeSflowDatagram(
  buf: Uint8Array,
  offset: number,
  length: number,
  exporterAddress: string,
  tsMicros: number,
  sink: SflowSink,
  decoder: SflowDecoder = (shared ??= new SflowDecoder()),
): SflowResult {
  return decoder.decode(buf, offset, length, exporterAddress, tsMicros, sink);
}
