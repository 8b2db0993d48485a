/**
 * Zeek's connection history string, kept as letter codes in the connection record. The rules are
 * Zeek's (session/Session.h): CheckHistory adds a letter the first time its mask bit is seen (responder
 * bits are the originator's shifted left by 16), ScaledHistoryEntry adds a letter at 1, 10, 100, ...
 * occurrences.
 */
import { B_HIST, B_HIST_LEN, type FlowState, HIST_MAX, I_HIST_SEEN, S4, STRIDE } from './flow-state.js';

const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

/** Appends a letter (a character code) to a connection's history. */
export function addHistory(st: FlowState, slot: number, code: number): void {
  const b = slot * STRIDE;
  const n = st.u8[b + B_HIST_LEN];
  if (n < HIST_MAX) {
    st.u8[b + B_HIST + n] = code;
    st.u8[b + B_HIST_LEN] = n + 1;
  }
}

/** Zeek's CheckHistory: adds `code` unless `mask` was seen; returns true when it had been seen. */
export function checkHistory(st: FlowState, slot: number, mask: number, code: number): boolean {
  const i = slot * S4 + I_HIST_SEEN;
  const seen = st.i32[i];
  if ((seen & mask) === 0) {
    st.i32[i] = seen | mask;
    addHistory(st, slot, code);
    return false;
  }
  return true;
}

/**
 * Zeek's ScaledHistoryEntry with base 10: counts one occurrence in the Uint32 counter at `cnt` and adds
 * `code` when the count reaches the next power of ten, whose exponent is the byte at `exp`; returns
 * true when it did.
 */
export function scaledHistory(st: FlowState, slot: number, cnt: number, exp: number, code: number): boolean {
  const c = st.u32[cnt] + 1;
  const x = st.u8[exp];
  if (c === POW10[x]) {
    addHistory(st, slot, code);
    if (x + 1 < POW10.length) {
      st.u32[cnt] = c;
      st.u8[exp] = x + 1;
    } else st.u32[cnt] = 0; // Zeek resets the counter when the threshold would overflow
    return true;
  }
  st.u32[cnt] = c;
  return false;
}

/** The history as a string, or null when empty. */
export function historyString(st: FlowState, slot: number): string | null {
  const b = slot * STRIDE;
  const n = st.u8[b + B_HIST_LEN];
  if (n === 0) return null;
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(st.u8[b + B_HIST + i]);
  return s;
}
