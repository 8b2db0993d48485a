/**
 * The text framing HTTP/1.x and SIP share: a request line (METHOD SP target SP VERSION), a status
 * line (VERSION SP 3DIGIT), and header lines up to a blank line. Parsed in place with byte
 * comparisons; offsets go to one scratch object, strings are made only for the attributes kept.
 */
import type { AppFlowState } from './app-flow-state.js';
import { attrText, trimSpaces } from './bytes.js';

/** How a line parse ended. */
export const enum LineResult {
  /** Not this kind of line. */
  No = 0,
  /** Consistent so far, but the bytes end before the line does. */
  Partial = 1,
  /** A whole, well-formed line. */
  Ok = 2,
}

/** Where the parts of the last line parsed are; one object, overwritten by every parse. */
export const line = { start: 0, methodEnd: 0, targetStart: 0, targetEnd: 0, code: 0, next: 0 };

const MAX_METHOD = 20;
/** Longest request or status line accepted before the line end (longer ones are not these protocols). */
const MAX_LINE = 8192;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Skips the empty lines a client may send before a request (RFC 9112 §2.2); returns the new start. */
function skipBlankLines(b: Uint8Array, p: number, end: number): number {
  for (let i = 0; i < 4 && p < end && (b[p] === 0x0d || b[p] === 0x0a); i++) p++;
  return p;
}

/**
 * Matches "NAME/D.D" (`proto` is "HTTP/" or "SIP/") at p, then CRLF or LF when `eol`; returns the
 * offset after it, -1 on mismatch, -2 when the bytes end first.
 */
function version(b: Uint8Array, p: number, end: number, proto: Uint8Array, eol: boolean): number {
  for (let i = 0; i < proto.length; i++, p++) {
    if (p >= end) return -2;
    if (b[p] !== proto[i]) return -1;
  }
  if (p >= end) return -2;
  if (!isDigit(b[p++])) return -1;
  if (p >= end) return -2;
  if (b[p++] !== 0x2e) return -1;
  if (p >= end) return -2;
  if (!isDigit(b[p++])) return -1;
  if (!eol) return p;
  if (p >= end) return -2;
  if (b[p] === 0x0d) {
    if (++p >= end) return -2;
  }
  return b[p] === 0x0a ? p + 1 : -1;
}

/** Parses "METHOD SP target SP NAME/D.D CRLF" at the start of b[off..end); fills `line` on Ok. */
export function requestLine(b: Uint8Array, off: number, end: number, proto: Uint8Array): LineResult {
  const start = skipBlankLines(b, off, end);
  let p = start;
  for (; p < end && p - start <= MAX_METHOD; p++) {
    const c = b[p];
    if (c === 0x20) break;
    const letter = c >= 0x41 && c <= 0x5a;
    if (!letter && (p === start || (c !== 0x2d && c !== 0x5f))) return LineResult.No;
  }
  if (p >= end) return LineResult.Partial;
  if (b[p] !== 0x20 || p === start) return LineResult.No;
  const methodEnd = p++;
  const targetStart = p;
  for (; p < end && p - start <= MAX_LINE; p++) {
    const c = b[p];
    if (c === 0x20) break;
    if (c <= 0x20 || c === 0x7f) return LineResult.No;
  }
  if (p >= end) return LineResult.Partial;
  if (b[p] !== 0x20 || p === targetStart) return LineResult.No;
  const targetEnd = p;
  const next = version(b, p + 1, end, proto, true);
  if (next === -2) return LineResult.Partial;
  if (next < 0) return LineResult.No;
  line.start = start;
  line.methodEnd = methodEnd;
  line.targetStart = targetStart;
  line.targetEnd = targetEnd;
  line.next = next;
  return LineResult.Ok;
}

/** Parses "NAME/D.D SP 3DIGIT" (then SP, CR or LF) at the start of b[off..end); sets `line.code`. */
export function statusLine(b: Uint8Array, off: number, end: number, proto: Uint8Array): LineResult {
  const p = version(b, off, end, proto, false);
  if (p === -2) return LineResult.Partial;
  if (p < 0) return LineResult.No;
  for (let i = 0; i < 5; i++) {
    if (p + i >= end) return LineResult.Partial;
    const c = b[p + i];
    if (i === 0 ? c !== 0x20 : i < 4 ? !isDigit(c) : c !== 0x20 && c !== 0x0d && c !== 0x0a) return LineResult.No;
  }
  line.code = (b[p + 1] - 0x30) * 100 + (b[p + 2] - 0x30) * 10 + (b[p + 3] - 0x30);
  return line.code >= 100 ? LineResult.Ok : LineResult.No;
}

/** A header to keep: its name in lower case, as bytes, and the attribute it becomes. */
export interface WantedHeader {
  name: Uint8Array;
  attr: string;
}

/**
 * Reads header lines from p to the blank line ending them, setting the wanted headers' attributes
 * (first occurrence wins); true when the blank line was reached, false when the bytes end first.
 */
export function readHeaders(st: AppFlowState, b: Uint8Array, p: number, end: number, wanted: readonly WantedHeader[]): boolean {
  while (p < end) {
    let lf = p;
    while (lf < end && b[lf] !== 0x0a) lf++;
    if (lf >= end) return false;
    const lineEnd = lf > p && b[lf - 1] === 0x0d ? lf - 1 : lf;
    if (lineEnd === p) return true;
    for (const h of wanted) {
      if (lineEnd - p > h.name.length && b[p + h.name.length] === 0x3a && !st.hasAttr(h.attr) && nameIs(b, p, h.name)) {
        const [vs, ve] = trimSpaces(b, p + h.name.length + 1, lineEnd);
        st.setAttr(h.attr, attrText(b, vs, ve));
      }
    }
    p = lf + 1;
  }
  return false;
}

/** Case-insensitive comparison of a header name with a lower-case literal. */
function nameIs(b: Uint8Array, p: number, name: Uint8Array): boolean {
  for (let i = 0; i < name.length; i++) {
    let c = b[p + i];
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c !== name[i]) return false;
  }
  return true;
}
