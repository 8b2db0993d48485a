/**
 * Per-connection state: one fixed-size record per slot in a single ArrayBuffer, read through typed
 * views (f64, i32, u32, u16, i16, u8) at constant offsets. A packet touches its connection's record
 * only (a handful of cache lines) instead of one line in each of dozens of parallel arrays, which is
 * what keeps the table fast with hundreds of thousands of live connections.
 *
 * A record is STRIDE bytes: the connection part first (key, timers, flags, history), then the two
 * endpoints. Endpoint "side" 0 is the key's first address/port, side 1 the second; `origSide` says
 * which one is the originator, so flipping roles is one write. Code addresses an endpoint by the byte
 * offset of its hot part (`endpoint(slot, side)`) and its fields by the E* offsets below. A TCP data
 * packet reads four cache lines of its record: line 0, line 1 and both endpoints' hot parts.
 */

/** 32-bit words per connection key (see flow-key.ts for the layout). */
export const KEY_WORDS = 19;
/** Key words compared for every lookup (the rest describe the tunnel). */
export const KEY_HOT_WORDS = 11;
/** History letters kept per connection; later letters are dropped (Zeek's strings are rarely longer). */
export const HIST_MAX = 24;

/** Bytes per connection record (7 cache lines). */
export const STRIDE = 448;
/** Record size in units of each view. */
export const S8 = STRIDE / 8;
export const S4 = STRIDE / 4;
export const S2 = STRIDE / 2;

// Connection fields. F*: Float64 index, I*: Int32 index, H*: 16-bit index, B*: byte offset.
// Line 0 holds what every lookup and packet reads: the key, its hash, the deadline and last time.
/** Int32 words 0..10: the key's first 11 words; its tunnel words are at I_TUNNEL. */
export const I_KEY = 0;
export const I_HASH = 11;
/** When the connection expires, kept current on every packet. */
export const F_DEADLINE = 6;
export const F_LAST_TS = 7;
export const F_NEXT_INTERIM = 8;
/** The deadline the connection had when it was (re)queued in its timer list. */
export const F_QUEUED = 9;
/** Timer list links (`next` also chains free slots). */
export const I_PREV = 20;
export const I_NEXT = 21;
export const H_FLAGS = 44;
export const H_VLAN = 45;
export const H_INNER_VLAN = 46;
export const B_KIND = 94;
export const B_PROTO = 95;
export const B_ORIG_SIDE = 96;
/** Tunnel kind (low 3 bits) and outer IP version 6 (bit 3). */
export const B_TUNNEL = 97;
/** Timer list membership (255: none). */
export const B_LIST = 98;
export const B_HIST_LEN = 99;
export const I_HIST_SEEN = 25;
export const F_START_TS = 13;
export const F_SERIAL = 14;
export const F_MISSED = 15;
export const B_HIST = 128;
/** Int32 words of the key's tunnel part (key words 11..18). */
export const I_TUNNEL = 38;

// Endpoint parts: a hot part (what TCP reads on every packet) at E_BASE + side * E_STRIDE, and a cold
// part 128 bytes further. Fields are relative to the hot part's byte offset `e`.
// EF*: Float64 index relative to e / 8, EU*: Uint32 index relative to e / 4, EB*: byte relative to e.
export const E_BASE = 192;
export const E_STRIDE = 64;
export const EB_STATE = 0;
export const EB_PREV_STATE = 1;
export const EB_FLAGS = 2;
export const EU_START_SEQ = 1;
export const EU_LAST_SEQ = 2;
export const EU_ACK_SEQ = 3;
export const EU_SEQ_WRAPS = 4;
export const EU_ACK_WRAPS = 5;
export const EF_PKTS = 3;
export const EF_IP_BYTES = 4;
/** Reassembly approximation: data seen contiguously up to CONTIG, one pending range above a hole. */
export const EF_CONTIG = 5;
/** UDP/ICMP payload bytes (shares CONTIG's place: that one is TCP only). */
export const EF_DATA = 5;
export const EF_BLOCK_HI = 6;
export const EF_BLOCK_LO = 7;
// Cold part.
export const EF_FIN_SEQ = 16;
export const EF_HIST_SYN = 17;
export const EF_HIST_FIN = 18;
export const EF_HIST_RST = 19;
export const EU_RXMT_CNT = 40;
export const EU_WIN0_CNT = 41;
export const EU_GAP_CNT = 42;
export const EB_RXMT_EXP = 172;
export const EB_WIN0_EXP = 173;
export const EB_GAP_EXP = 174;

/** Byte offset of the endpoint part of `side` (0 or 1) of connection `slot`. */
export function endpoint(slot: number, side: number): number {
  return slot * STRIDE + E_BASE + side * E_STRIDE;
}

/** Byte offset of the other endpoint of the one at `e`. */
export function peerOf(e: number): number {
  return e % STRIDE === E_BASE ? e + E_STRIDE : e - E_STRIDE;
}

/** Transport handling of a connection. */
export const enum FlowKind {
  Tcp = 0,
  Udp = 1,
  Icmp = 2,
  Other = 3,
}

/** TCP endpoint states, numbered as Zeek's TCP_ENDPOINT_* (and the TCP_* script constants). */
export const enum Tcp {
  Inactive = 0,
  SynSent = 1,
  SynAckSent = 2,
  Partial = 3,
  Established = 4,
  Closed = 5,
  Reset = 6,
}

/** Connection flag bits (H_FLAGS). */
export const enum FF {
  InUse = 1,
  /** Zeek's is_partial: the connection did not start with a plain SYN. */
  Partial = 2,
  /** Zeek's first_packet_seen bits, by role. */
  SeenOrig = 4,
  SeenResp = 8,
  /** tcp_inactivity_timeout applies (an endpoint left the handshake states). */
  TcpTimeout = 16,
  /** The tcp_attempt_delay timer was armed by the originator's SYN. */
  Attempt = 32,
  /** Fully closed: removal at a fixed deadline (tcp_close_delay). */
  Closing = 64,
  /** RST after the sender's FIN: removal at a fixed deadline (tcp_reset_delay). */
  ResetTimer = 128,
  /** The first packet's outer (tunnel) source was the key's second tunnel address. */
  TunnelSwap = 256,
}

/** Endpoint flag bits (EB_FLAGS). */
export const enum EF {
  DidClose = 1,
  /** FIN_cnt > 0. */
  Fin = 2,
}

/**
 * The connection records and their typed views. The buffer is allocated once for every slot the table
 * may use: the system maps its pages lazily, so resident memory follows the slots actually used, and
 * records never move or get copied.
 */
export class FlowState {
  readonly capacity: number;
  readonly f64: Float64Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly u16: Uint16Array;
  readonly i16: Int16Array;
  readonly u8: Uint8Array;

  constructor(capacity: number) {
    const buf = new ArrayBuffer(capacity * STRIDE);
    this.f64 = new Float64Array(buf);
    this.i32 = new Int32Array(buf);
    this.u32 = new Uint32Array(buf);
    this.u16 = new Uint16Array(buf);
    this.i16 = new Int16Array(buf);
    this.u8 = new Uint8Array(buf);
    this.capacity = capacity;
  }

  /**
   * Prepares a slot's record for a new connection (the key and hash are written by the caller).
   * `reused` says the slot held a connection before; a never-used slot is still all zeros.
   */
  clear(slot: number, tcp: boolean, reused: boolean): void {
    const b = slot * STRIDE;
    if (reused) this.u8.fill(0, b + (I_HASH + 1) * 4, b + STRIDE);
    this.u8[b + B_LIST] = 255;
    if (tcp) {
      // Zeek's reassembler starts at relative sequence 1 (after the SYN).
      this.f64[(endpoint(slot, 0) >> 3) + EF_CONTIG] = 1;
      this.f64[(endpoint(slot, 1) >> 3) + EF_CONTIG] = 1;
    }
  }
}
