/**
 * Zeek's content-gap accounting (missed_bytes and the 'g' history letter) without buffering payload.
 * Zeek's TCP reassembler reports a gap when the peer acknowledges data the capture never showed. Here
 * each endpoint keeps how far its data was seen contiguously (CONTIG) and one pending range seen above
 * a hole (BLOCK_LO..BLOCK_HI); a second disjoint range above the hole is merged into the first, so the
 * hole between those two ranges is not counted (Zeek would count it).
 */
import {
  B_ORIG_SIDE,
  EB_FLAGS,
  EB_GAP_EXP,
  EB_PREV_STATE,
  EB_STATE,
  EF,
  EF_BLOCK_HI,
  EF_BLOCK_LO,
  EF_CONTIG,
  EF_FIN_SEQ,
  EU_ACK_SEQ,
  EU_ACK_WRAPS,
  EU_GAP_CNT,
  EU_START_SEQ,
  F_MISSED,
  FF,
  type FlowState,
  H_FLAGS,
  peerOf,
  S2,
  S8,
  STRIDE,
  Tcp,
} from './flow-state.js';
import { scaledHistory } from './history.js';

const TWO32 = 4294967296;
const CH_G = 71; // 'G'

/** Reassembler DataSent: records payload [seq, seq + len) (relative) of the endpoint at `e` as seen. */
export function dataSent(st: FlowState, e: number, seq: number, len: number): void {
  const f64 = st.f64;
  const e4 = e >> 2;
  const e8 = e >> 3;
  const ack = st.u32[e4 + EU_ACK_WRAPS] * TWO32 + st.u32[e4 + EU_ACK_SEQ] - st.u32[e4 + EU_START_SEQ];
  let lo = seq;
  const hi = seq + len;
  if (lo < ack) {
    if (hi <= ack) return; // already acknowledged
    lo = ack;
  }
  const c = f64[e8 + EF_CONTIG];
  if (lo <= c) {
    if (hi > c) {
      let nc = hi;
      const bhi = f64[e8 + EF_BLOCK_HI];
      if (bhi > 0 && nc >= f64[e8 + EF_BLOCK_LO]) {
        if (bhi > nc) nc = bhi;
        f64[e8 + EF_BLOCK_LO] = f64[e8 + EF_BLOCK_HI] = 0;
      }
      f64[e8 + EF_CONTIG] = nc;
    }
  } else if (f64[e8 + EF_BLOCK_HI] === 0) {
    f64[e8 + EF_BLOCK_LO] = lo;
    f64[e8 + EF_BLOCK_HI] = hi;
  } else {
    // A second range above a hole: merged with the first (the hole between them is then not counted).
    if (lo < f64[e8 + EF_BLOCK_LO]) f64[e8 + EF_BLOCK_LO] = lo;
    if (hi > f64[e8 + EF_BLOCK_HI]) f64[e8 + EF_BLOCK_HI] = hi;
  }
}

/** Reassembler AckReceived: an ack from the peer up to `seq` reveals content gaps of the endpoint at `e`. */
export function ackReceived(st: FlowState, slot: number, e: number, side: number, seq: number): void {
  const f64 = st.f64;
  const e8 = e >> 3;
  if ((st.u8[e + EB_FLAGS] & EF.Fin) !== 0 && seq >= f64[e8 + EF_FIN_SEQ]) seq = f64[e8 + EF_FIN_SEQ] - 1;
  const c = f64[e8 + EF_CONTIG];
  if (seq <= c) return;
  // A partial connection's first ack can point one octet past our faked SYN: not a gap.
  if (seq <= 2 && (st.u16[slot * S2 + H_FLAGS] & FF.Partial) !== 0) return;
  let at = c;
  const bhi = f64[e8 + EF_BLOCK_HI];
  if (bhi > 0 && f64[e8 + EF_BLOCK_LO] < seq) {
    gap(st, slot, e, side, f64[e8 + EF_BLOCK_LO] - at);
    at = bhi;
    f64[e8 + EF_BLOCK_LO] = f64[e8 + EF_BLOCK_HI] = 0;
  }
  if (seq > at) {
    gap(st, slot, e, side, seq - at);
    at = seq;
  }
  f64[e8 + EF_CONTIG] = at;
}

/** Reports a content gap when both endpoints are established or cleanly closing, as Zeek does. */
function gap(st: FlowState, slot: number, e: number, side: number, len: number): void {
  if (len <= 0 || !clean(st, e) || !clean(st, peerOf(e))) return;
  st.f64[slot * S8 + F_MISSED] += len;
  const isOrig = side === st.u8[slot * STRIDE + B_ORIG_SIDE];
  scaledHistory(st, slot, (e >> 2) + EU_GAP_CNT, e + EB_GAP_EXP, isOrig ? CH_G : CH_G + 32);
}

function clean(st: FlowState, e: number): boolean {
  const s = st.u8[e + EB_STATE];
  return s === Tcp.Established || (s === Tcp.Closed && st.u8[e + EB_PREV_STATE] === Tcp.Established);
}
