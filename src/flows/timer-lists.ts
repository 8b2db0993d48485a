/**
 * Expiry bookkeeping without a heap: each connection sits in one doubly linked list per kind of
 * deadline, in the order it was queued, with the deadline it had then (F_QUEUED). Fixed deadlines
 * (attempt, close, reset delays) never move. Inactivity deadlines move with every packet, but packets
 * only write the new deadline: when a list head's queued deadline comes due and its real deadline has
 * moved on, it is requeued at the tail. So a packet never touches the lists (or other connections'
 * records), and each connection is requeued at most about once per timeout. A requeued connection can
 * sit behind others with later deadlines and be emitted up to one timeout late; its content is not
 * affected, because a packet arriving after its deadline still finds it expired (FlowTable.packet).
 */
import { B_LIST, F_DEADLINE, F_QUEUED, type FlowState, I_NEXT, I_PREV, S4, S8, STRIDE } from './flow-state.js';

/** The expiry lists. */
export const enum TimerList {
  /** Unanswered SYN, removed at SYN time + tcp_attempt_delay. */
  Attempt = 0,
  /** Fully closed TCP, removed tcp_close_delay after the last counted packet. */
  Closing = 1,
  /** RST after own FIN, removed tcp_reset_delay after the RST. */
  Reset = 2,
  /** TCP still in its handshake: udp_inactivity_timeout, as Zeek does until the handshake completes. */
  TcpHandshake = 3,
  Tcp = 4,
  Udp = 5,
  Icmp = 6,
  Other = 7,
  None = 255,
}

/** Number of lists. */
export const TIMER_LISTS = 8;

/** Heads and tails of the expiry lists; links and membership live in the connection records. */
export class TimerLists {
  readonly head = new Int32Array(TIMER_LISTS).fill(-1);
  readonly tail = new Int32Array(TIMER_LISTS).fill(-1);

  constructor(public st: FlowState) {}

  /** Appends `slot` to list `l` (the slot must not be in a list), queued at its current deadline. */
  append(slot: number, l: number): void {
    const st = this.st;
    const t = this.tail[l];
    st.f64[slot * S8 + F_QUEUED] = st.f64[slot * S8 + F_DEADLINE];
    st.u8[slot * STRIDE + B_LIST] = l;
    st.i32[slot * S4 + I_PREV] = t;
    st.i32[slot * S4 + I_NEXT] = -1;
    if (t < 0) this.head[l] = slot;
    else st.i32[t * S4 + I_NEXT] = slot;
    this.tail[l] = slot;
  }

  /** Removes `slot` from its list, if any. */
  unlink(slot: number): void {
    const st = this.st;
    const l = st.u8[slot * STRIDE + B_LIST];
    if (l === TimerList.None) return;
    const p = st.i32[slot * S4 + I_PREV];
    const n = st.i32[slot * S4 + I_NEXT];
    if (p < 0) this.head[l] = n;
    else st.i32[p * S4 + I_NEXT] = n;
    if (n < 0) this.tail[l] = p;
    else st.i32[n * S4 + I_PREV] = p;
    st.u8[slot * STRIDE + B_LIST] = TimerList.None;
  }

  /** Moves `slot` to the tail of its own list, queued at its current deadline. */
  requeue(slot: number): void {
    const l = this.st.u8[slot * STRIDE + B_LIST];
    this.unlink(slot);
    this.append(slot, l);
  }

  /** When the lists next need a look: the earliest queued deadline of the heads (Infinity when empty). */
  earliest(): number {
    let m = Infinity;
    for (let l = 0; l < TIMER_LISTS; l++) {
      const h = this.head[l];
      if (h >= 0 && this.st.f64[h * S8 + F_QUEUED] < m) m = this.st.f64[h * S8 + F_QUEUED];
    }
    return m;
  }

  /** The list head with the earliest deadline (the eviction candidate), or -1. */
  earliestSlot(): number {
    let m = Infinity;
    let s = -1;
    for (let l = 0; l < TIMER_LISTS; l++) {
      const h = this.head[l];
      if (h < 0) continue;
      const d = this.st.f64[h * S8 + F_DEADLINE];
      if (s < 0 || d < m) {
        m = d;
        s = h;
      }
    }
    return s;
  }
}
