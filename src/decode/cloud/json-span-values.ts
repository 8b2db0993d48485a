/**
 * Values of JSON members read from their bytes, for the byte-level cloud readers: a member is a span
 * `[spans[2k], spans[2k + 1])` of `buf` (its value token, quotes included), -1 when absent. Each
 * function says what it accepts; anything else makes the reader leave the line to JSON.parse.
 */
import { rfc3339MicrosBytes } from './rfc3339.js';

/** Whether `buf[s..e)` holds a backslash (an escape JSON.parse would undo). */
export function escapedIn(buf: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (buf[i] === 0x5c) return true;
  return false;
}

/** Whether `buf[s..e)` is one or more decimal digits. */
export function digitsIn(buf: Uint8Array, s: number, e: number): boolean {
  if (e <= s) return false;
  for (let i = s; i < e; i++) if (buf[i] < 0x30 || buf[i] > 0x39) return false;
  return true;
}

/** The number the digits `buf[s..e)` (checked by the caller) spell. */
function uintOf(buf: Uint8Array, s: number, e: number): number {
  let v = 0;
  for (let i = s; i < e; i++) v = v * 10 + buf[i] - 48;
  return v;
}

/** A string member: its index k (>= 0), -1 when absent or empty, -2 when not a plain string. */
export function strAt(buf: Uint8Array, spans: Int32Array, k: number): number {
  const s = spans[2 * k];
  if (s < 0) return -1;
  const e = spans[2 * k + 1];
  if (buf[s] !== 0x22 || escapedIn(buf, s, e)) return -2;
  return e - s === 2 ? -1 : k;
}

/** An integer member in 0..max written as plain digits: -1 when absent, -2 otherwise. */
export function uintAt(buf: Uint8Array, spans: Int32Array, k: number, max: number): number {
  const s = spans[2 * k];
  if (s < 0) return -1;
  const e = spans[2 * k + 1];
  if (e - s > 5 || !digitsIn(buf, s, e)) return -2;
  const v = uintOf(buf, s, e);
  return v <= max ? v : -2;
}

/** A count written as a decimal string or plain digits: -1 when absent, -2 otherwise. */
export function countAt(buf: Uint8Array, spans: Int32Array, k: number): number {
  let s = spans[2 * k];
  if (s < 0) return -1;
  let e = spans[2 * k + 1];
  if (buf[s] === 0x22) {
    s++;
    e--;
  }
  return e - s <= 15 && digitsIn(buf, s, e) ? uintOf(buf, s, e) : -2;
}

/** A time member: microseconds, -1 when absent, -2 when not a plain string or not a time. */
export function timeAt(buf: Uint8Array, spans: Int32Array, k: number): number {
  const s = spans[2 * k];
  if (s < 0) return -1;
  const e = spans[2 * k + 1];
  if (buf[s] !== 0x22 || escapedIn(buf, s, e)) return -2;
  const v = rfc3339MicrosBytes(buf, s + 1, e - 1);
  return v === null || v < 0 ? -2 : v;
}

/** Whether the JSON value at `buf[s..e)` is the string `text`, written without escapes. */
export function isText(buf: Uint8Array, s: number, e: number, text: string): boolean {
  s++;
  if (e - 1 - s !== text.length || buf[s - 1] !== 0x22) return false;
  for (let i = 0; i < text.length; i++) if (buf[s + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Whether member k is the string `text`, written without escapes. */
export function isMember(buf: Uint8Array, spans: Int32Array, k: number, text: string): boolean {
  return isText(buf, spans[2 * k], spans[2 * k + 1], text);
}
