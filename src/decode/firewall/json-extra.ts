/**
 * The `extra` column of the text firewall decoders, written as JSON bytes into a reused ByteWriter:
 * keys are ASCII constants (or bytes of the line, escaped), values are bytes of the line escaped on
 * the way, so no object, string or JSON.stringify is made per line. The writer holds `{` and then
 * members; `closeExtra` adds the `}`.
 */
import type { ByteWriter } from '../zeek/byte-writer.js';

/** Starts an object: `{`. */
export function openExtra(w: ByteWriter): void {
  w.reset();
  w.byte(123);
}

/** Ends the object: `}`. */
export function closeExtra(w: ByteWriter): void {
  w.byte(125);
}

/** Starts a member: the separating comma when one is already written, then the key's opening quote. */
export function openKey(w: ByteWriter): void {
  if (w.len > 1) w.byte(44);
  w.byte(34);
}

/** Writes `"key":"` for an ASCII key that needs no escaping. */
export function jsonKey(w: ByteWriter, key: string): void {
  openKey(w);
  w.ascii(key);
  w.ascii('":"');
}

/** Writes a member whose key is given as the ready bytes `"key":"` (see `keyBytes`). */
export function jsonKeyBytes(w: ByteWriter, key: Uint8Array): void {
  if (w.len > 1) w.byte(44);
  w.bytes(key, 0, key.length);
}

/** The bytes `"key":"` for an ASCII key, made once. */
export function keyBytes(key: string): Uint8Array {
  return Buffer.from(`"${key}":"`, 'latin1');
}

/** Writes `"key":"value"` with the value taken from `b[s..e)` (valid UTF-8), escaped. */
export function jsonPair(w: ByteWriter, key: string, b: Uint8Array, s: number, e: number): void {
  jsonKey(w, key);
  w.jsonEscaped(b, s, e);
  w.byte(34);
}

/** Writes `"key":"value"` for a JS string value. */
export function jsonPairStr(w: ByteWriter, key: string, v: string): void {
  jsonKey(w, key);
  jsonStrValue(w, v);
}

/** Writes a JS string as the inside of a JSON string and the closing quote (ASCII copied as it is). */
export function jsonStrValue(w: ByteWriter, v: string): void {
  const n = v.length;
  w.ensure(n + 1);
  const o = w.buf;
  let p = w.len;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || c >= 128) {
      // Something to escape or encode: JSON.stringify does it exactly.
      const enc = Buffer.from(JSON.stringify(v));
      w.bytes(enc, 1, enc.length - 1);
      w.byte(34);
      return;
    }
    o[p++] = c;
  }
  w.len = p;
  w.byte(34);
}

/** Writes `"key":"value"` for a JS string key and value (both escaped as needed). */
export function jsonPairStrings(w: ByteWriter, key: string, v: string): void {
  openKey(w);
  jsonStrValue(w, key);
  w.ascii(':"');
  jsonStrValue(w, v);
}
