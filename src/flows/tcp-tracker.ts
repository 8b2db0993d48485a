/**
 * TCP connection state, ported from Zeek's TCPSessionAdapter::Process and TCP_Endpoint (Zeek 6-8):
 * endpoint states, relative sequence numbers with wraparound, history letters, retransmission and
 * zero-window counts and close handling; content gaps (missed_bytes) are in tcp-gaps.ts. Checksums
 * are not visible here (the decoder does not verify them), so Zeek's drop of bad-checksum packets and
 * the 'c' letter are absent.
 */
import type { PacketInfo } from '../decode/packet/packet-info.js';
import {
  B_ORIG_SIDE,
  EB_FLAGS,
  EB_PREV_STATE,
  EB_RXMT_EXP,
  EB_STATE,
  EB_WIN0_EXP,
  EF,
  EF_FIN_SEQ,
  EF_HIST_FIN,
  EF_HIST_RST,
  EF_HIST_SYN,
  EU_ACK_SEQ,
  EU_ACK_WRAPS,
  EU_LAST_SEQ,
  EU_RXMT_CNT,
  EU_SEQ_WRAPS,
  EU_START_SEQ,
  EU_WIN0_CNT,
  endpoint,
  peerOf as peer,
  F_DEADLINE,
  F_LAST_TS,
  FF,
  type FlowState,
  H_FLAGS,
  S2,
  S8,
  STRIDE,
  Tcp,
} from './flow-state.js';
import { addHistory, checkHistory, scaledHistory } from './history.js';
import { ackReceived, dataSent } from './tcp-gaps.js';

const TOO_LARGE_SEQ_DELTA = 1048576;
const TWO32 = 4294967296;

// Zeek's TCP_Endpoint::HistoryMasks (responder masks are shifted left by 16).
const H_SYN = 0x1;
const H_FIN = 0x2;
const H_RST = 0x4;
const H_FIN_RST = 0x8;
const H_DATA = 0x10;
const H_ACK = 0x20;
const H_MULTI = 0x40;

const CH_S = 83; // 'S'
const CH_H = 72;
const CH_F = 70;
const CH_R = 82;
const CH_D = 68;
const CH_A = 65;
const CH_I = 73;
const CH_Q = 81;
const CH_T = 84;
const CH_W = 87;
const CH_FLIP = 94; // '^'

function isHandshake(s: number): boolean {
  return s <= Tcp.SynAckSent;
}

/** Processes TCP packets of connections held in a FlowState. */
export class TcpTracker {
  /** Underflow flag of the last relSeq() call. */
  private underflow = false;

  constructor(
    private readonly st: FlowState,
    private readonly closeDelay: number,
    private readonly resetDelay: number,
    private readonly attemptDelay: number,
  ) {}

  /**
   * Zeek's IsReuse: a SYN that starts a new connection on the ports of an existing one (a different
   * initial sequence number, or any SYN after one side closed).
   */
  isReuse(slot: number, p: PacketInfo): boolean {
    const fl = p.tcpFlags;
    if ((fl & 2) === 0) return false;
    const u8 = this.st.u8;
    const u32 = this.st.u32;
    const os = u8[slot * STRIDE + B_ORIG_SIDE];
    const oe = endpoint(slot, os);
    const re = endpoint(slot, os ^ 1);
    let connOrig = oe;
    if ((fl & 16) !== 0) {
      if (u8[oe + EB_STATE] !== Tcp.Inactive) return false;
      connOrig = re;
    }
    if (((u8[oe + EB_FLAGS] | u8[re + EB_FLAGS]) & EF.DidClose) === 0) {
      const base = p.tcpSeq >>> 0;
      if (base === u32[(connOrig >> 2) + EU_START_SEQ]) return false;
      if (
        (fl & 16) === 0 &&
        u8[connOrig + EB_STATE] === Tcp.SynAckSent &&
        u8[re + EB_STATE] === Tcp.Inactive &&
        base === u32[(re >> 2) + EU_START_SEQ]
      ) {
        return false;
      }
    }
    return true;
  }

  /** Processes one TCP packet sent by `side` of connection `slot` at time `t`. */
  packet(slot: number, side: number, p: PacketInfo, t: number): void {
    const st = this.st;
    const u8 = st.u8;
    const u32 = st.u32;
    const f64 = st.f64;
    const e = endpoint(slot, side);
    const q = endpoint(slot, side ^ 1);
    const isOrig = side === u8[slot * STRIDE + B_ORIG_SIDE];
    const fl = p.tcpFlags;
    const fin = (fl & 1) !== 0;
    const syn = (fl & 2) !== 0;
    const rst = (fl & 4) !== 0;
    const ack = (fl & 16) !== 0;
    const baseSeq = p.tcpSeq >>> 0;
    const ackNum = p.tcpAck >>> 0;
    const len = p.payloadLen;

    this.setPartialStatus(slot, syn, ack, isOrig);
    let segLen = len;
    if (syn) segLen++;
    if (fin) segLen++;
    if (rst) segLen -= len;
    const seqOnePast = (baseSeq + segLen) >>> 0;
    this.initEndpoint(e, syn, baseSeq, seqOnePast);

    const e4 = e >> 2;
    const relSeq = this.relSeq(u32[e4 + EU_START_SEQ], baseSeq, u32[e4 + EU_LAST_SEQ], u32[e4 + EU_SEQ_WRAPS]);
    const seqUnderflow = this.underflow;

    this.updateHistory(slot, e, isOrig, syn, fin, rst, ack, relSeq, len);
    if (p.tcpWindow === 0 && !rst && u8[q + EB_STATE] !== Tcp.Closed && u8[e + EB_STATE] !== Tcp.Reset) {
      scaledHistory(st, slot, e4 + EU_WIN0_CNT, e + EB_WIN0_EXP, isOrig ? CH_W : CH_W + 32);
    }
    if ((u8[e + EB_FLAGS] & u8[q + EB_FLAGS] & EF.DidClose) === 0) f64[slot * S8 + F_LAST_TS] = t;
    if (fin) {
      u8[e + EB_FLAGS] |= EF.Fin;
      f64[(e >> 3) + EF_FIN_SEQ] = relSeq + segLen;
    }

    let relAck = 0;
    if (ack) {
      const q4 = q >> 2;
      if (u8[q + EB_STATE] === Tcp.Inactive) {
        relAck = 1;
        const s = (ackNum - 1) >>> 0;
        u32[q4 + EU_START_SEQ] = s;
        u32[q4 + EU_ACK_SEQ] = s;
        u32[q4 + EU_LAST_SEQ] = s;
      } else {
        relAck = this.relSeq(u32[q4 + EU_START_SEQ], ackNum, u32[q4 + EU_ACK_SEQ], u32[q4 + EU_ACK_WRAPS]);
        if (this.underflow) relAck = 0;
        else if (!rst) this.updateAckSeq(q4, ackNum);
      }
    }

    const deltaLast = this.updateLastSeq(slot, e, isOrig, seqOnePast, syn, fin, rst, len);
    const doClose = this.stateMachine(slot, e, q, isOrig, baseSeq, len, deltaLast, syn, fin, rst, ack, t);

    if (ack) ackReceived(st, slot, q, side ^ 1, relAck);
    if (len > 0 && !rst && !seqUnderflow && p.payloadCapLen >= len) dataSent(st, e, syn ? relSeq + 1 : relSeq, len);

    // CheckPIA_FirstPacket marks the roles that have sent something.
    st.u16[slot * S2 + H_FLAGS] |= isOrig ? FF.SeenOrig : FF.SeenResp;
    if (doClose) this.connectionClosed(slot, e, q);
  }

  private setPartialStatus(slot: number, syn: boolean, ack: boolean, isOrig: boolean): void {
    const u16 = this.st.u16;
    const i = slot * S2 + H_FLAGS;
    const f = u16[i];
    let partial: boolean;
    if (isOrig) {
      if ((f & FF.SeenOrig) !== 0) return;
      partial = !syn || ack;
    } else {
      if ((f & FF.SeenResp) !== 0 || (f & FF.Partial) !== 0) return;
      partial = !syn;
    }
    u16[i] = partial ? f | FF.Partial : f & ~FF.Partial;
  }

  /** Zeek's init_endpoint: sets up sequence numbers on an endpoint's first packet or a new SYN. */
  private initEndpoint(e: number, syn: boolean, base: number, lastSeq: number): void {
    const u8 = this.st.u8;
    const u32 = this.st.u32;
    const e4 = e >> 2;
    const s = u8[e + EB_STATE];
    if (s === Tcp.Inactive) {
      if (syn) {
        u32[e4 + EU_ACK_SEQ] = base;
        u32[e4 + EU_START_SEQ] = base;
      } else {
        const b = (base - 1) >>> 0;
        u32[e4 + EU_ACK_SEQ] = b;
        u32[e4 + EU_START_SEQ] = b;
        lastSeq = base;
      }
      u32[e4 + EU_LAST_SEQ] = lastSeq;
    } else if (!syn) {
      return;
    } else if (
      ((s === Tcp.SynSent || s === Tcp.SynAckSent) && base !== u32[e4 + EU_START_SEQ]) ||
      s === Tcp.Established ||
      s === Tcp.Partial ||
      (s === Tcp.Reset && u8[e + EB_PREV_STATE] === Tcp.Inactive)
    ) {
      u32[e4 + EU_START_SEQ] = base;
      u32[e4 + EU_ACK_SEQ] = base;
      u32[e4 + EU_LAST_SEQ] = lastSeq;
    }
  }

  /** Zeek's get_relative_seq; sets `underflow`. */
  private relSeq(start: number, cur: number, last: number, wraps: number): number {
    let delta = (cur - last) | 0;
    if (delta < 0) {
      if (wraps !== 0 && cur > last) wraps--;
    } else if (delta > 0) {
      if (cur < last) wraps++;
    }
    if (wraps === 0) {
      delta = (cur - start) | 0;
      this.underflow = delta < 0;
      return delta;
    }
    this.underflow = false;
    return wraps * TWO32 + cur - start;
  }

  private updateHistory(
    slot: number,
    e: number,
    isOrig: boolean,
    syn: boolean,
    fin: boolean,
    rst: boolean,
    ack: boolean,
    relSeq: number,
    len: number,
  ): void {
    const st = this.st;
    const bits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
    const sh = isOrig ? 0 : 16;
    const lc = isOrig ? 0 : 32;
    if (bits > 1) {
      if (fin && rst) checkHistory(st, slot, H_FIN_RST << sh, CH_I + lc);
      else checkHistory(st, slot, H_MULTI << sh, CH_Q + lc);
    } else if (bits === 1) {
      const f64 = st.f64;
      const e8 = e >> 3;
      if (syn) {
        const code = (ack ? CH_H : CH_S) + lc;
        if (checkHistory(st, slot, H_SYN << sh, code) && relSeq !== f64[e8 + EF_HIST_SYN]) addHistory(st, slot, code);
        f64[e8 + EF_HIST_SYN] = relSeq;
      }
      if (fin) {
        // A FIN's sequence number is at the end of the data it carries.
        if (checkHistory(st, slot, H_FIN << sh, CH_F + lc) && relSeq + len !== f64[e8 + EF_HIST_FIN]) {
          addHistory(st, slot, CH_F + lc);
        }
        f64[e8 + EF_HIST_FIN] = relSeq + len;
      }
      if (rst) {
        if (checkHistory(st, slot, H_RST << sh, CH_R + lc) && relSeq !== f64[e8 + EF_HIST_RST]) {
          addHistory(st, slot, CH_R + lc);
        }
        f64[e8 + EF_HIST_RST] = relSeq;
      }
    } else if (len > 0) checkHistory(st, slot, H_DATA << sh, CH_D + lc);
    else if (ack) checkHistory(st, slot, H_ACK << sh, CH_A + lc);
  }

  private updateAckSeq(e4: number, ackNum: number): void {
    const u32 = this.st.u32;
    const cur = u32[e4 + EU_ACK_SEQ];
    const delta = (ackNum - cur) | 0;
    // An ack of 0 far ahead is more likely broken than a connection landing on 0.
    if (ackNum === 0 && delta > TOO_LARGE_SEQ_DELTA) return;
    if (delta > 0) {
      if (ackNum < cur) u32[e4 + EU_ACK_WRAPS]++;
      u32[e4 + EU_ACK_SEQ] = ackNum;
    }
  }

  /** Zeek's update_last_seq; returns the sequence advance (negative for old data). */
  private updateLastSeq(
    slot: number,
    e: number,
    isOrig: boolean,
    seqOnePast: number,
    syn: boolean,
    fin: boolean,
    rst: boolean,
    len: number,
  ): number {
    const st = this.st;
    const u32 = st.u32;
    const e4 = e >> 2;
    const last = u32[e4 + EU_LAST_SEQ];
    const delta = (seqOnePast - last) | 0;
    if ((syn || rst) && (delta > TOO_LARGE_SEQ_DELTA || delta < -TOO_LARGE_SEQ_DELTA)) return delta;
    const reset = st.u8[e + EB_STATE] === Tcp.Reset;
    if ((fin && last === ((u32[e4 + EU_START_SEQ] + 1) >>> 0)) || (!reset && delta > 0)) {
      if (seqOnePast < last) u32[e4 + EU_SEQ_WRAPS]++;
      u32[e4 + EU_LAST_SEQ] = seqOnePast;
    } else if (!reset && len > 0) {
      scaledHistory(st, slot, e4 + EU_RXMT_CNT, e + EB_RXMT_EXP, isOrig ? CH_T : CH_T + 32);
    }
    return delta;
  }

  private setTcpState(slot: number, e: number, s: number): void {
    const u8 = this.st.u8;
    const cur = u8[e + EB_STATE];
    if (s === cur) return;
    if (!isHandshake(s) && isHandshake(cur) && isHandshake(u8[peer(e) + EB_STATE])) {
      this.st.u16[slot * S2 + H_FLAGS] |= FF.TcpTimeout;
    }
    u8[e + EB_PREV_STATE] = cur;
    u8[e + EB_STATE] = s;
  }

  /** Zeek's UpdateStateMachine; returns do_close. */
  private stateMachine(
    slot: number,
    e: number,
    q: number,
    isOrig: boolean,
    baseSeq: number,
    len: number,
    deltaLast: number,
    syn: boolean,
    fin: boolean,
    rst: boolean,
    ack: boolean,
    t: number,
  ): boolean {
    const u8 = this.st.u8;
    void deltaLast; // Zeek only uses it for a weird
    switch (u8[e + EB_STATE]) {
      case Tcp.Inactive:
        return this.inactive(slot, e, q, isOrig, baseSeq, len, syn, fin, rst, ack);
      case Tcp.SynSent:
      case Tcp.SynAckSent: {
        let close = false;
        if (fin) {
          this.setTcpState(slot, e, Tcp.Closed);
          close = true;
        }
        if (rst) {
          this.setTcpState(slot, e, Tcp.Reset);
          close = true;
        }
        return close;
      }
      case Tcp.Established:
      case Tcp.Partial: {
        let close = false;
        if (syn && u8[e + EB_STATE] === Tcp.Partial && u8[q + EB_STATE] === Tcp.Inactive && !ack) {
          this.setTcpState(slot, e, Tcp.SynSent);
        }
        if (fin && !rst) {
          this.setTcpState(slot, e, Tcp.Closed);
          // A FIN followed by a RST from the peer was a normal termination after all.
          if (u8[q + EB_STATE] === Tcp.Reset && u8[q + EB_PREV_STATE] === Tcp.Closed) this.setTcpState(slot, q, Tcp.Closed);
          close = true;
        }
        if (rst) {
          this.setTcpState(slot, e, Tcp.Reset);
          close = true;
        }
        return close;
      }
      case Tcp.Closed: {
        // After our FIN, a RST (unless the peer closed too) resets; state goes after tcp_reset_delay.
        let close = false;
        if (rst && u8[q + EB_STATE] !== Tcp.Closed) {
          this.setTcpState(slot, e, Tcp.Reset);
          if ((u8[e + EB_FLAGS] & EF.DidClose) === 0) close = true;
          const fi = slot * S2 + H_FLAGS;
          const f = this.st.u16[fi];
          if ((f & (FF.Closing | FF.ResetTimer)) === 0) {
            this.st.u16[fi] = f | FF.ResetTimer;
            this.st.f64[slot * S8 + F_DEADLINE] = t + this.resetDelay;
          }
        }
        return close;
      }
      default:
        return false;
    }
  }

  /** Zeek's UpdateInactiveState. */
  private inactive(
    slot: number,
    e: number,
    q: number,
    isOrig: boolean,
    baseSeq: number,
    len: number,
    syn: boolean,
    fin: boolean,
    rst: boolean,
    ack: boolean,
  ): boolean {
    const st = this.st;
    const u8 = st.u8;
    const fi = slot * S2 + H_FLAGS;
    let close = false;
    if (syn) {
      if (isOrig) {
        this.setTcpState(slot, e, ack ? Tcp.SynAckSent : Tcp.SynSent);
        // Zeek arms its AttemptTimer here; FlowTable.schedule() keeps the connection on it.
        if (this.attemptDelay > 0) st.u16[fi] |= FF.Attempt;
      } else {
        if (!ack && u8[q + EB_STATE] === Tcp.SynAckSent && baseSeq === st.u32[(e >> 2) + EU_START_SEQ]) {
          // The SYN-ACK was seen before its SYN: flip roles and establish.
          this.flipRoles(slot);
          this.setTcpState(slot, q, Tcp.Established);
          st.u16[fi] |= FF.SeenOrig;
        }
        if (u8[q + EB_STATE] === Tcp.SynSent) this.setTcpState(slot, q, Tcp.Established);
        this.setTcpState(slot, e, Tcp.Established);
      }
    }
    if (fin) {
      this.setTcpState(slot, e, Tcp.Closed);
      close = true;
    }
    if (rst) {
      this.setTcpState(slot, e, Tcp.Reset);
      close = true;
    }
    if (u8[e + EB_STATE] === Tcp.Inactive) {
      const orig = endpoint(slot, u8[slot * STRIDE + B_ORIG_SIDE]);
      if (!isOrig && len === 0 && u8[orig + EB_STATE] === Tcp.SynSent) {
        // Some stacks ack a SYN before answering it: not a partial connection.
      } else if (ack && u8[q + EB_STATE] === Tcp.Established) {
        // SYN-ACK seen, its SYN missed, and now the ACK: established after all.
        this.setTcpState(slot, e, Tcp.Established);
        st.u16[fi] = (st.u16[fi] & ~FF.Partial) | (isOrig ? FF.SeenOrig : FF.SeenResp);
      } else this.setTcpState(slot, e, Tcp.Partial);
    }
    return close;
  }

  /** Connection::FlipRoles for TCP: swaps roles, first-packet bits, clears is_partial, adds '^'. */
  private flipRoles(slot: number): void {
    const st = this.st;
    st.u8[slot * STRIDE + B_ORIG_SIDE] ^= 1;
    const fi = slot * S2 + H_FLAGS;
    const f = st.u16[fi];
    let g = f & ~(FF.SeenOrig | FF.SeenResp | FF.Partial);
    if (f & FF.SeenOrig) g |= FF.SeenResp;
    if (f & FF.SeenResp) g |= FF.SeenOrig;
    st.u16[fi] = g;
    addHistory(st, slot, CH_FLIP);
  }

  /** Zeek's ConnectionClosed (data never pending here, so closes are never deferred). */
  private connectionClosed(slot: number, e: number, q: number): void {
    const st = this.st;
    const u8 = st.u8;
    if ((u8[e + EB_FLAGS] & EF.DidClose) !== 0) return;
    u8[e + EB_FLAGS] |= EF.DidClose;
    if (u8[e + EB_STATE] === Tcp.Reset || (u8[q + EB_FLAGS] & EF.DidClose) !== 0 || u8[q + EB_STATE] === Tcp.Inactive) {
      // Close complete: timers cancelled, state deleted tcp_close_delay after the last counted packet.
      const fi = slot * S2 + H_FLAGS;
      const f = st.u16[fi];
      if ((f & FF.Closing) === 0) {
        st.u16[fi] = (f | FF.Closing) & ~FF.ResetTimer;
        st.f64[slot * S8 + F_DEADLINE] = st.f64[slot * S8 + F_LAST_TS] + this.closeDelay;
      }
    }
  }
}
