/**
 * The shape every protocol module has: a probe that looks at the start of one direction of a
 * connection and says whether it is that protocol, and an optional follow-up that reads the few
 * attributes still missing once it is. One module per protocol, listed in registry.ts.
 */
import type { AppFlowState } from './app-flow-state.js';

/** What a probe made of the bytes it was shown. */
export const enum Verdict {
  /** Not this protocol (or nothing can be told from these bytes). */
  No = 0,
  /** The bytes so far fit, but are too few to decide: show me this direction again with more. */
  Maybe = 1,
  /** This protocol: the probe has set the flow's service, its first attributes and `want`. */
  Yes = 2,
}

/** Transports a protocol runs over (bit mask). */
export const enum Transport {
  Tcp = 1,
  Udp = 2,
  Both = 3,
}

/** Direction bits of `AppFlowState.want`. */
export const enum Dir {
  Orig = 1,
  Resp = 2,
}

/** The packet being inspected, apart from its bytes; one object reused for every call. */
export interface ProbeContext {
  /** True for TCP, where the bytes are the start of the direction's stream; false for a UDP datagram. */
  tcp: boolean;
  /** True when the bytes were sent by the connection's originator. */
  fromOrig: boolean;
  srcPort: number;
  dstPort: number;
}

/** One application protocol's detector. */
export interface AppProtocol {
  /** The service name, as Zeek writes it in conn.log. */
  readonly service: string;
  /** Which transports it is tried on. */
  readonly transports: Transport;
  /**
   * Looks at b[off..off+len): on TCP the first bytes of one direction (reassembled from its first
   * few segments when an earlier answer was Maybe), on UDP one datagram. Never throws; every read is
   * bounds-checked. On Yes it has called `st.decide` and may have set attributes.
   */
  probe(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): Verdict;
  /**
   * Called after a Yes with the same kind of bytes, for the directions still in `st.want`; reads
   * the attributes it still misses and clears the direction's bit when it wants no more of it.
   */
  follow?(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): void;
}
