/**
 * Tracks sFlow sequence numbers to count what the network lost: one datagram sequence per (agent,
 * sub-agent) and one sample sequence per data source and sample kind. Sequences are unsigned 32-bit
 * and wrap; an agent that restarts starts them over at small values, which must not read as four
 * billion lost samples. Tables are bounded; what does not fit is counted as untracked, not stored.
 */
import type { SflowStats } from './sflow-types.js';

/** Bounds and windows of the tracker; all have defaults. */
export interface SequenceTrackerOptions {
  /** Most (agent, sub-agent) pairs tracked (default 16384). */
  maxAgents?: number;
  /** Most sources tracked per (agent, sub-agent) (default 8192). */
  maxSourcesPerAgent?: number;
  /** A sequence this far back or less is a late arrival, further back is a restart (default 1024). */
  reorderWindow?: number;
  /** Agent uptime going back more than this many milliseconds is a restart (default 60000). */
  uptimeWindowMs?: number;
}

/** What one sequence step was. */
export const enum SeqStep {
  First = 0,
  InOrder = 1,
  Gap = 2,
  Duplicate = 3,
  Late = 4,
  Restart = 5,
}

/** Sequence state of one (agent, sub-agent). */
export class AgentSequences {
  lastSeq = 0;
  lastUptime = 0;
  /** Last sample sequence per source key (see sourceKey). */
  readonly sources = new Map<number, number>();
}

/** Key of a data source: kind (0 flow, 1 counter) and the source id type and index. */
export function sourceKey(counter: boolean, sourceIdType: number, sourceIdIndex: number): number {
  return ((sourceIdType & 0xff) * 2 + (counter ? 1 : 0)) * 4294967296 + sourceIdIndex;
}

const HALF = 2147483648;

/** Counts lost datagrams and samples, restarts, duplicates and late arrivals into an SflowStats. */
export class SequenceTracker {
  private readonly agents = new Map<string, Map<number, AgentSequences>>();
  private agentCount = 0;
  private readonly maxAgents: number;
  private readonly maxSources: number;
  private readonly window: number;
  private readonly uptimeWindow: number;

  constructor(
    private readonly stats: SflowStats,
    opts: SequenceTrackerOptions = {},
  ) {
    this.maxAgents = opts.maxAgents ?? 16384;
    this.maxSources = opts.maxSourcesPerAgent ?? 8192;
    this.window = opts.reorderWindow ?? 1024;
    this.uptimeWindow = opts.uptimeWindowMs ?? 60_000;
  }

  /** Records a datagram's sequence and uptime; returns the agent's state, or null when untracked. */
  datagram(agent: string, subAgentId: number, seq: number, uptimeMs: number): AgentSequences | null {
    let subs = this.agents.get(agent);
    let st = subs?.get(subAgentId);
    if (st === undefined) {
      if (this.agentCount >= this.maxAgents) {
        this.stats.untracked++;
        return null;
      }
      if (subs === undefined) this.agents.set(agent, (subs = new Map()));
      st = new AgentSequences();
      subs.set(subAgentId, st);
      this.agentCount++;
      st.lastSeq = seq;
      st.lastUptime = uptimeMs;
      return st;
    }
    // Uptime going back by more than reordering explains (and not its 49-day wrap) means a restart.
    const back = (st.lastUptime - uptimeMs) >>> 0;
    const rebooted = back < HALF && back > this.uptimeWindow;
    st.lastUptime = uptimeMs;
    if (rebooted) {
      this.stats.restarts++;
      st.lastSeq = seq;
      st.sources.clear();
      return st;
    }
    const step = this.step(st.lastSeq, seq);
    if (step === SeqStep.Gap) this.stats.lostDatagrams += ((seq - st.lastSeq) >>> 0) - 1;
    else if (step === SeqStep.Late && this.stats.lostDatagrams > 0) this.stats.lostDatagrams--;
    else if (step === SeqStep.Restart) st.sources.clear();
    if (step !== SeqStep.Late && step !== SeqStep.Duplicate) st.lastSeq = seq;
    return st;
  }

  /** Records one sample's sequence for its source (key from sourceKey) and returns what the step was. */
  sample(st: AgentSequences, key: number, seq: number): SeqStep {
    const last = st.sources.get(key);
    if (last === undefined) {
      if (st.sources.size >= this.maxSources) {
        this.stats.untracked++;
        return SeqStep.First;
      }
      st.sources.set(key, seq);
      return SeqStep.First;
    }
    const step = this.step(last, seq);
    if (step === SeqStep.Gap) this.stats.lostSamples += ((seq - last) >>> 0) - 1;
    else if (step === SeqStep.Late && this.stats.lostSamples > 0) this.stats.lostSamples--;
    if (step !== SeqStep.Late && step !== SeqStep.Duplicate) st.sources.set(key, seq);
    return step;
  }

  /** Classifies the move from `last` to `seq` (modulo 2^32) and counts restarts, duplicates, late ones. */
  private step(last: number, seq: number): SeqStep {
    const diff = (seq - last) >>> 0;
    if (diff === 1) return SeqStep.InOrder;
    if (diff === 0) {
      this.stats.duplicates++;
      return SeqStep.Duplicate;
    }
    if (diff < HALF) return SeqStep.Gap;
    // Backwards: a little is a late (reordered) arrival; a lot, or to a value nearer zero than to the
    // last one, is a restart.
    const back = (last - seq) >>> 0;
    if (back <= this.window && seq > back) {
      this.stats.outOfOrder++;
      return SeqStep.Late;
    }
    this.stats.restarts++;
    return SeqStep.Restart;
  }
}
