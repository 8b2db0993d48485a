/**
 * Writes one Zeek TSV value as JSON text, typed by its Zeek type (numbers as numbers, bools as bools,
 * sets and vectors as arrays, unset elements as null), straight from the line's bytes. Used for the
 * `data` column of metadata logs and the `extra` column of conn and dns.
 */
import type { ByteWriter } from './byte-writer.js';
import { jsonMicros } from './json-values.js';
import type { TsvPlan } from './tsv-plan.js';
import { V_BOOL, V_INT, V_LIST, V_NUM, V_STR, V_UINT } from './tsv-plan.js';
import { decodeZeekString, isJsonNumber, needsDecode, parseDouble, parseInt64, parseUint } from './zeek-values.js';

/** True when `buf[start .. end)` equals `marker` (the unset or empty field text). */
export function isMarker(buf: Uint8Array, start: number, end: number, marker: Uint8Array): boolean {
  if (end - start !== marker.length) return false;
  for (let i = 0; i < marker.length; i++) if (buf[start + i] !== marker[i]) return false;
  return true;
}

/** Appends a Zeek string value as a JSON string; `scratch` holds the decoded bytes when escapes need it. */
export function writeJsonString(
  buf: Uint8Array,
  start: number,
  end: number,
  out: ByteWriter,
  scratch: ByteWriter,
): void {
  out.byte(34);
  if (needsDecode(buf, start, end)) {
    scratch.reset();
    decodeZeekString(buf, start, end, scratch);
    out.jsonEscaped(scratch.buf, 0, scratch.len);
  } else out.jsonEscaped(buf, start, end);
  out.byte(34);
}

/** Appends one scalar of JSON kind `kind`; false when the text is not a valid value of that kind. */
export function writeJsonScalar(
  kind: number,
  buf: Uint8Array,
  start: number,
  end: number,
  plan: TsvPlan,
  out: ByteWriter,
  scratch: ByteWriter,
): boolean {
  switch (kind) {
    case V_UINT:
    case V_INT: {
      const v = kind === V_UINT ? parseUint(buf, start, end) : parseInt64(buf, start, end);
      if (v !== v) return false;
      if (isJsonNumber(buf, start, end)) out.bytes(buf, start, end);
      else out.ascii(String(v));
      return true;
    }
    case V_NUM: {
      if (isJsonNumber(buf, start, end)) {
        out.bytes(buf, start, end);
        return true;
      }
      const v = parseDouble(buf, start, end);
      if (Number.isFinite(v)) {
        out.ascii(String(v));
        return true;
      }
      // A time that `zeek-cut -d` turned into ISO 8601 text stays that text.
      const text = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
      if (!Number.isFinite(jsonMicros(text))) return false;
      out.ascii(JSON.stringify(text));
      return true;
    }
    case V_BOOL:
      if (end - start !== 1 || (buf[start] !== 84 && buf[start] !== 70)) return false;
      out.ascii(buf[start] === 84 ? 'true' : 'false');
      return true;
    case V_STR:
    default:
      if (isMarker(buf, start, end, plan.empty)) out.ascii('""');
      else writeJsonString(buf, start, end, out, scratch);
      return true;
  }
}

/** True when the set element `buf[start .. end)` equals one of the elements in `buf[from .. before)`. */
function seenBefore(buf: Uint8Array, from: number, before: number, start: number, end: number, sep: number): boolean {
  const n = end - start;
  for (let i = from; ; ) {
    let j = i;
    while (j < before && buf[j] !== sep) j++;
    if (j - i === n) {
      let k = 0;
      while (k < n && buf[i + k] === buf[start + k]) k++;
      if (k === n) return true;
    }
    if (j >= before) return false;
    i = j + 1;
  }
}

/** Appends a set or vector as a JSON array (a set's repeated elements once); false on a bad element. */
export function writeJsonList(
  buf: Uint8Array,
  start: number,
  end: number,
  elem: number,
  isSet: boolean,
  plan: TsvPlan,
  out: ByteWriter,
  scratch: ByteWriter,
): boolean {
  if (isMarker(buf, start, end, plan.empty)) {
    out.ascii('[]');
    return true;
  }
  const sep = plan.setSep;
  out.byte(91);
  let first = true;
  for (let i = start; i <= end; ) {
    let j = i;
    while (j < end && buf[j] !== sep) j++;
    if (!isSet || i === start || !seenBefore(buf, start, i - 1, i, j, sep)) {
      if (!first) out.byte(44);
      first = false;
      if (isMarker(buf, i, j, plan.unset)) out.ascii('null');
      else if (elem === V_STR || elem === V_LIST) writeJsonString(buf, i, j, out, scratch);
      else if (!writeJsonScalar(elem, buf, i, j, plan, out, scratch)) return false;
    }
    i = j + 1;
  }
  out.byte(93);
  return true;
}

/** Appends one non-unset column value as JSON by its plan kind; false when the value is invalid. */
export function writeJsonValue(
  ci: number,
  buf: Uint8Array,
  start: number,
  end: number,
  plan: TsvPlan,
  out: ByteWriter,
  scratch: ByteWriter,
): boolean {
  const kind = plan.val[ci];
  if (kind === V_LIST) return writeJsonList(buf, start, end, plan.elem[ci], plan.isSet[ci] === 1, plan, out, scratch);
  return writeJsonScalar(kind, buf, start, end, plan, out, scratch);
}
