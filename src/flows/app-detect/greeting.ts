/**
 * Server greetings that several text protocols share, remembered before any decision: SMTP and FTP
 * servers both open with "220", and only the client's first command tells which one it is.
 */
import type { AppFlowState } from './app-flow-state.js';
import { attrText, indexOfByte, matchPrefix, trimSpaces } from './bytes.js';

/** Bits of AppFlowState.hints. */
export const enum Hint {
  /** A "220 " or "220-" reply opened a direction. */
  Greeting220 = 1,
}

/** Notes a "220" greeting at the start of a direction; true when it was one. */
export function noteGreeting220(st: AppFlowState, b: Uint8Array, off: number, len: number): boolean {
  if (len < 4 || b[off] !== 0x32 || b[off + 1] !== 0x32 || b[off + 2] !== 0x30 || (b[off + 3] !== 0x20 && b[off + 3] !== 0x2d)) return false;
  st.hints |= Hint.Greeting220;
  return true;
}

/**
 * How a client's first line compares with a command (lower-case literal, e.g. "ehlo"): 1 when it
 * starts with the whole command, followed by a space, the line end or nothing yet; 0 when the bytes
 * are a prefix of the command; -1 otherwise.
 */
export function commandPrefix(b: Uint8Array, off: number, end: number, cmd: Uint8Array): -1 | 0 | 1 {
  const m = matchPrefix(b, off, end, cmd, true);
  if (m <= 0) return m;
  const p = off + cmd.length;
  return p >= end || b[p] === 0x20 || b[p] === 0x0d || b[p] === 0x0a ? 1 : -1;
}

/**
 * Sets `attr` to the argument of the command line at off (after the command and its space), when the
 * line is whole; true when the line was whole (whether or not it had an argument).
 */
export function commandArgument(st: AppFlowState, b: Uint8Array, off: number, end: number, cmdLen: number, attr: string): boolean {
  const lf = indexOfByte(b, off, end, 0x0a);
  if (lf < 0) return false;
  const lineEnd = lf > off && b[lf - 1] === 0x0d ? lf - 1 : lf;
  const [vs, ve] = trimSpaces(b, Math.min(off + cmdLen, lineEnd), lineEnd);
  if (ve > vs) st.setAttr(attr, attrText(b, vs, ve));
  return true;
}
