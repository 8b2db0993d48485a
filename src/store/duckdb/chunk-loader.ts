/**
 * Writes a ColumnBatch into DuckDB data chunks, straight into the vectors' memory.
 * node-api's typed helpers convert one value at a time through generic code (about 2 µs a row for a
 * conn record); here numbers are stored by typed-array writes, strings of up to 12 bytes are inlined
 * into DuckDB's 16-byte string slots directly. Longer strings would cost one native call each (most of
 * the store path's time on log rows with a kept original line); instead the arena bytes of all of a
 * chunk's long strings are handed to DuckDB in one call (shareLongStrings) and every long string's slot
 * points into that copy, which lives in the chunk's string heap until the chunk is consumed.
 * The slot layout is the C API's public `duckdb_string_t` (u32 length, 4-byte prefix, pointer).
 */
import { isUtf8 } from 'node:buffer';
import duckdb from '@duckdb/node-bindings';
import {
  BOOLEAN, DOUBLE, DuckDBType, INTEGER, LIST, TIMESTAMP, UBIGINT, UINTEGER, USMALLINT, UTINYINT, VARCHAR,
} from '@duckdb/node-api';
import type { FieldType, TableDef } from '../../model/fields.js';
import type { ColumnBatch, ListColumn, NumColumn, StrColumn } from '../column-batch.js';

/** The DuckDB type each registry type is stored as. */
export function duckdbType(t: FieldType): DuckDBType {
  switch (t) {
    case 'timestamp':
      return TIMESTAMP;
    case 'string':
    case 'json':
      return VARCHAR;
    case 'u8':
      return UTINYINT;
    case 'u16':
      return USMALLINT;
    case 'u32':
      return UINTEGER;
    case 'u64':
      return UBIGINT;
    case 'i32':
      return INTEGER;
    case 'f64':
      return DOUBLE;
    case 'bool':
      return BOOLEAN;
    case 'string[]':
      return LIST(VARCHAR);
    case 'f64[]':
      return LIST(DOUBLE);
  }
}

const TWO32 = 4294967296;

/** Rows a DuckDB data chunk holds. */
export const VECTOR_SIZE = duckdb.vector_size();

/**
 * Writes rows `from .. from + n` of `batch` (n at most VECTOR_SIZE) into the raw data chunk `raw`,
 * whose columns have the registry types `types`, and sets the chunk's size.
 */
export function fillChunk(raw: duckdb.DataChunk, types: readonly FieldType[], batch: ColumnBatch, from: number, n: number): void {
  duckdb.data_chunk_reset(raw);
  shared = shareLongStrings(raw, batch, from, n);
  for (let ci = 0; ci < types.length; ci++) {
    const vec = duckdb.data_chunk_get_vector(raw, ci);
    const col = batch.columns[ci];
    if (col.kind === 'num') writeNum(vec, types[ci], col, from, n);
    else if (col.kind === 'str') writeStr(vec, batch.arena, col, from, n, ci === refusedCol);
    else writeList(vec, types[ci], batch.arena, col, from, n);
  }
  duckdb.data_chunk_set_size(raw, n);
}

// vector_get_data hands back a copy, so columns are built in these scratch buffers and copied into
// the vectors with one memcpy each (copy_data_to_vector); long strings are then assigned in place.
const scratch = new ArrayBuffer(VECTOR_SIZE * 16);
const scratchU8 = new Uint8Array(scratch);
const scratchI32 = new Int32Array(scratch);
const scratchU16 = new Uint16Array(scratch);
const validBuf = new ArrayBuffer(Math.ceil(VECTOR_SIZE / 64) * 8);
const validU8 = new Uint8Array(validBuf);
const longIdx = new Int32Array(VECTOR_SIZE);

// Where the shared copy of the chunk's long strings is: arena offset `sharedLo` is at native address
// sharedPtrHi * 2^32 + sharedPtrLo. `shared` is false when there is no copy (no long strings, or DuckDB
// refused it as invalid UTF-8: then each long string is assigned on its own, as DuckDB decides).
let shared = false;
let sharedLo = 0;
let sharedPtrLo = 0;
let sharedPtrHi = 0;
let sharedHi = 0;
// The column whose vector DuckDB marked a row null in when it refused the shared copy (-1: none): its
// validity mask is written in full so that row gets its own answer.
let refusedCol = -1;

/**
 * Copies the arena bytes spanning every long (over 12 bytes) string of rows `from .. from + n` into the
 * string heap of the first vector holding one, through that row's slot, and notes the copy's address.
 * The row's own slot is written again afterwards like every other.
 */
function shareLongStrings(raw: duckdb.DataChunk, batch: ColumnBatch, from: number, n: number): boolean {
  let lo = 0x7fffffff;
  let hi = -1;
  let hostCol = -1;
  let hostRow = -1;
  refusedCol = -1;
  const cols = batch.columns;
  for (let ci = 0; ci < cols.length; ci++) {
    const col = cols[ci];
    if (col.kind !== 'str') continue;
    const lens = col.len;
    const starts = col.start;
    for (let i = 0; i < n; i++) {
      const len = lens[from + i];
      if (len <= 12) continue;
      const st = starts[from + i];
      if (st < lo) lo = st;
      if (st + len > hi) hi = st + len;
      if (hostCol < 0) {
        hostCol = ci;
        hostRow = i;
      }
    }
  }
  if (hostCol < 0) return false;
  const vec = duckdb.data_chunk_get_vector(raw, hostCol);
  duckdb.vector_assign_string_element_len(vec, hostRow, batch.arena.subarray(lo, hi));
  const slot = duckdb.vector_get_data(vec, (hostRow + 1) * 16);
  const view = new DataView(slot.buffer, slot.byteOffset + hostRow * 16, 16);
  if (view.getUint32(0, true) !== hi - lo) {
    refusedCol = hostCol;
    return false;
  }
  sharedLo = lo;
  sharedHi = hi;
  sharedPtrLo = view.getUint32(8, true);
  sharedPtrHi = view.getUint32(12, true);
  return true;
}

/** Starts a validity mask of `bytes` bytes with every row valid. */
function allValid(bytes: number): void {
  validU8.fill(0xff, 0, bytes);
}

/** Copies validU8 to the vector when some row is null. */
function flushValidity(vec: duckdb.Vector, bytes: number, anyNull: boolean): void {
  if (!anyNull) return;
  duckdb.vector_ensure_validity_writable(vec);
  duckdb.copy_data_to_vector_validity(vec, 0, validBuf, 0, bytes);
}

/** A column with no value in these rows: zeroed slots and an all-null mask (common: fields other sources fill). */
function writeAllNull(vec: duckdb.Vector, slotBytes: number, n: number): void {
  scratchU8.fill(0, 0, n * slotBytes);
  duckdb.copy_data_to_vector(vec, 0, scratch, 0, n * slotBytes);
  const bytes = Math.ceil(n / 64) * 8;
  validU8.fill(0, 0, bytes);
  flushValidity(vec, bytes, true);
}

function slotBytes(type: FieldType): number {
  switch (type) {
    case 'f64':
    case 'timestamp':
    case 'u64':
      return 8;
    case 'u32':
    case 'i32':
      return 4;
    case 'u16':
      return 2;
    default:
      return 1;
  }
}

function writeNum(vec: duckdb.Vector, type: FieldType, col: NumColumn, from: number, n: number): void {
  const vals = col.values;
  const valid = col.valid;
  const bytes = Math.ceil(n / 64) * 8;
  allValid(bytes);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (valid[from + i] === 0) {
      validU8[i >> 3] &= ~(1 << (i & 7));
      nulls++;
    }
  }
  if (nulls === n) return writeAllNull(vec, slotBytes(type), n);
  switch (type) {
    case 'f64':
      duckdb.copy_data_to_vector(vec, 0, vals.buffer as ArrayBuffer, vals.byteOffset + from * 8, n * 8);
      break;
    case 'timestamp':
    case 'u64':
      // 64-bit integers written as two 32-bit halves (little-endian, as the platforms DuckDB's Node
      // bindings ship for): no BigInt per value. Values stay below 2^53.
      for (let i = 0; i < n; i++) {
        const v = valid[from + i] ? vals[from + i] : 0;
        const hi = Math.floor(v / TWO32);
        scratchI32[i * 2] = v - hi * TWO32;
        scratchI32[i * 2 + 1] = hi;
      }
      duckdb.copy_data_to_vector(vec, 0, scratch, 0, n * 8);
      break;
    case 'u32':
    case 'i32':
      for (let i = 0; i < n; i++) scratchI32[i] = vals[from + i];
      duckdb.copy_data_to_vector(vec, 0, scratch, 0, n * 4);
      break;
    case 'u16':
      for (let i = 0; i < n; i++) scratchU16[i] = vals[from + i];
      duckdb.copy_data_to_vector(vec, 0, scratch, 0, n * 2);
      break;
    default:
      for (let i = 0; i < n; i++) scratchU8[i] = vals[from + i];
      duckdb.copy_data_to_vector(vec, 0, scratch, 0, n);
  }
  flushValidity(vec, bytes, nulls > 0);
}

/**
 * True when arena[st, st + len), inside the shared copy (which DuckDB found to be UTF-8), starts or ends
 * inside a character: then it is not UTF-8 on its own and goes through the one-by-one path.
 */
function cutsCharacter(arena: Uint8Array, st: number, len: number): boolean {
  const end = st + len;
  return (arena[st] & 0xc0) === 0x80 || (end < sharedHi && (arena[end] & 0xc0) === 0x80);
}

/**
 * Fills string slots in the scratch buffer: inline strings, and long ones pointing into the shared copy
 * when there is one; returns how many long ones are left to assign one by one.
 */
function inlineStrings(arena: Uint8Array, starts: Int32Array, lens: Int32Array, from: number, n: number): number {
  let longs = 0;
  scratchU8.fill(0, 0, n * 16);
  for (let i = 0; i < n; i++) {
    const len = lens[from + i];
    if (len < 0) continue;
    const p = i * 16;
    const st = starts[from + i];
    if (len <= 12) {
      // DuckDB's string_t: u32 length then up to 12 inline bytes, zero padded.
      let high = 0;
      for (let k = 0; k < len; k++) high |= scratchU8[p + 4 + k] = arena[st + k];
      scratchU8[p] = len;
      if (high > 0x7f && !isUtf8(arena.subarray(st, st + len))) {
        // Not UTF-8 (decoders should never hand such bytes over; DuckDB would fail the whole insert on
        // them later): assigned one by one below, repaired.
        for (let k = 0; k < 16; k++) scratchU8[p + k] = 0;
        longIdx[longs++] = i;
      }
    } else if (shared && !cutsCharacter(arena, st, len)) {
      // u32 length, the first 4 bytes (compared before the pointer is followed), 64-bit pointer.
      scratchI32[p >> 2] = len;
      scratchU8[p + 4] = arena[st];
      scratchU8[p + 5] = arena[st + 1];
      scratchU8[p + 6] = arena[st + 2];
      scratchU8[p + 7] = arena[st + 3];
      let lo = sharedPtrLo + (st - sharedLo);
      let hiPtr = sharedPtrHi;
      if (lo >= TWO32) {
        lo -= TWO32;
        hiPtr++;
      }
      scratchI32[(p >> 2) + 2] = lo | 0;
      scratchI32[(p >> 2) + 3] = hiPtr;
    } else longIdx[longs++] = i;
  }
  return longs;
}

function writeStr(vec: duckdb.Vector, arena: Uint8Array, col: StrColumn, from: number, n: number, resetValidity: boolean): void {
  const lens = col.len;
  const bytes = Math.ceil(n / 64) * 8;
  allValid(bytes);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (lens[from + i] < 0) {
      validU8[i >> 3] &= ~(1 << (i & 7));
      nulls++;
    }
  }
  if (nulls === n) return writeAllNull(vec, 16, n);
  const longs = inlineStrings(arena, col.start, lens, from, n);
  duckdb.copy_data_to_vector(vec, 0, scratch, 0, n * 16);
  // The mask goes first: DuckDB marks a long string it refuses (invalid UTF-8) null as it is assigned.
  flushValidity(vec, bytes, nulls > 0 || resetValidity);
  for (let k = 0; k < longs; k++) {
    const i = longIdx[k];
    const st = col.start[from + i];
    const value = arena.subarray(st, st + lens[from + i]);
    // DuckDB makes a value that is not UTF-8 null: it is kept instead, its bad bytes as U+FFFD.
    if (isUtf8(value)) duckdb.vector_assign_string_element_len(vec, i, value);
    else duckdb.vector_assign_string_element(vec, i, Buffer.from(value.buffer, value.byteOffset, value.length).toString('utf8'));
  }
}

function writeList(vec: duckdb.Vector, type: FieldType, arena: Uint8Array, col: ListColumn, from: number, n: number): void {
  let total = 0;
  for (let i = 0; i < n; i++) if (col.first[from + i] >= 0) total += col.count[from + i];
  duckdb.list_vector_reserve(vec, Math.max(total, 1));
  duckdb.list_vector_set_size(vec, total);
  // Entries (offset, length as u64 pairs) for the parent.
  const entries = new DataView(new ArrayBuffer(n * 16));
  let at = 0;
  for (let i = 0; i < n; i++) {
    const first = col.first[from + i];
    const count = first < 0 ? 0 : col.count[from + i];
    entries.setUint32(i * 16, at, true);
    entries.setUint32(i * 16 + 8, count, true);
    at += count;
  }
  duckdb.copy_data_to_vector(vec, 0, entries.buffer, 0, n * 16);
  const bytes = Math.ceil(n / 64) * 8;
  allValid(bytes);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (col.first[from + i] < 0) {
      validU8[i >> 3] &= ~(1 << (i & 7));
      nulls++;
    }
  }
  flushValidity(vec, bytes, nulls > 0);
  if (total === 0) return;
  const child = duckdb.list_vector_get_child(vec);
  // Items of these rows are contiguous in the batch: rows fill their lists one after another.
  let firstItem = -1;
  for (let i = 0; i < n && firstItem < 0; i++) if (col.first[from + i] >= 0) firstItem = col.first[from + i];
  if (type === 'f64[]') {
    duckdb.copy_data_to_vector(child, 0, col.itemNum.buffer as ArrayBuffer, col.itemNum.byteOffset + firstItem * 8, total * 8);
    return;
  }
  const slots = new Uint8Array(total * 16);
  const longs: number[] = [];
  for (let k = 0; k < total; k++) {
    const item = firstItem + k;
    const len = col.itemLen[item];
    const st = col.itemStart[item];
    if (len <= 12) {
      slots[k * 16] = len;
      for (let j = 0; j < len; j++) slots[k * 16 + 4 + j] = arena[st + j];
    } else longs.push(k);
  }
  duckdb.copy_data_to_vector(child, 0, slots.buffer, 0, total * 16);
  for (const k of longs) {
    const item = firstItem + k;
    duckdb.vector_assign_string_element_len(child, k, arena.subarray(col.itemStart[item], col.itemStart[item] + col.itemLen[item]));
  }
}

/** DuckDB types of a table's columns, in order. */
export function tableTypes(table: TableDef): DuckDBType[] {
  return table.fields.map((f) => duckdbType(f.type));
}

