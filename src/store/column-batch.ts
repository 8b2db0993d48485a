/**
 * An engine-neutral columnar batch of records for one table: numbers in typed arrays, strings as
 * UTF-8 bytes in one arena. Decoders fill it a row at a time without allocating per value; engines
 * load it in bulk (DuckDB data chunks now, ClickHouse blocks later). Every value starts null.
 */
import type { FieldType, TableDef } from '../model/fields.js';

/** A column of numbers (also timestamps in microseconds and booleans as 0/1). */
export interface NumColumn {
  readonly kind: 'num';
  readonly type: FieldType;
  values: Float64Array;
  valid: Uint8Array;
}

/** A column of strings, stored as byte ranges of a shared arena. */
export interface StrColumn {
  readonly kind: 'str';
  readonly type: FieldType;
  start: Int32Array;
  len: Int32Array; // -1 = null
}

/** A column of lists (strings or numbers); row i's items are items[offsets[i] .. offsets[i+1]). */
export interface ListColumn {
  readonly kind: 'list';
  readonly type: FieldType;
  /** For each row: index of its first item, or -1 when the list is null. */
  first: Int32Array;
  count: Int32Array;
  itemStart: Int32Array;
  itemLen: Int32Array;
  itemNum: Float64Array;
  items: number;
}

/** One column of a batch. */
export type Column = NumColumn | StrColumn | ListColumn;

const encoder = new TextEncoder();

/** Bytes of the one buffer holding a batch's fixed-size arrays (each array 8-byte aligned). */
function slabBytes(table: TableDef, capacity: number): number {
  const pad = (n: number) => (n + 7) & ~7;
  let total = 0;
  for (const fd of table.fields) {
    if (fd.type === 'string' || fd.type === 'json') total += 2 * pad(capacity * 4);
    else if (fd.type === 'string[]' || fd.type === 'f64[]') total += 4 * pad(capacity * 4) + pad(capacity * 8);
    else total += pad(capacity * 8) + pad(capacity);
  }
  return total;
}

/**
 * Arena bytes per row that batches of each table grew to in this thread: a new batch starts that size,
 * so that wide rows (firewall lines, JSON) do not make every new batch grow its arena by doubling,
 * copying and zeroing it again (a 300k-line netfilter ingest grew 72 arenas, copying 141 MB).
 */
const arenaBytesPerRow = new Map<string, number>();
/**
 * Most arena bytes per row a new batch starts with: one huge value (a 15 MB metadata record) must not
 * make every later batch of its table allocate and zero tens of MB; batches of wider rows still grow.
 */
const MAX_HINT_BYTES_PER_ROW = 1024;

/** What a batch rebuilt from another's parts adopts (ColumnBatch's constructor, third argument). */
export interface AdoptedParts {
  readonly columns: readonly Column[];
  readonly arena: Uint8Array;
  readonly length: number;
  readonly arenaUsed: number;
  readonly refilled: boolean;
}

// Columns are made only by these three, so each kind has one hidden class whether it was made here or
// arrived from another thread (structured clone builds objects of another shape).
function strColumn(type: StrColumn['type'], start: Int32Array, len: Int32Array): StrColumn {
  return { kind: 'str', type, start, len };
}
function listColumn(
  type: ListColumn['type'], first: Int32Array, count: Int32Array, itemStart: Int32Array, itemLen: Int32Array, itemNum: Float64Array, items: number,
): ListColumn {
  return { kind: 'list', type, first, count, itemStart, itemLen, itemNum, items };
}
function numColumn(type: NumColumn['type'], values: Float64Array, valid: Uint8Array): NumColumn {
  return { kind: 'num', type, values, valid };
}
/** A column of the usual shape holding the same arrays. */
function sameShapeColumn(c: Column): Column {
  if (c.kind === 'str') return strColumn(c.type, c.start, c.len);
  if (c.kind === 'list') return listColumn(c.type, c.first, c.count, c.itemStart, c.itemLen, c.itemNum, c.items);
  return numColumn(c.type, c.values, c.valid);
}

/** A batch of rows for one table, filled row by row and loaded by an engine in one go. */
export class ColumnBatch {
  readonly table: TableDef;
  readonly capacity: number;
  readonly columns: Column[];
  /** Rows written so far. */
  length = 0;
  arena: Uint8Array;
  arenaUsed = 0;
  /** False for a batch received from another thread or copied: nobody refills it, so it can be kept as is. */
  refilled = true;

  /**
   * Called once by `release()`: whoever lent the batch takes its memory back for reuse. Null for a
   * batch nobody wants back (the garbage collector reclaims it).
   */
  onRelease: (() => void) | null = null;

  /**
   * A new empty batch; `from` (for batchFromParts and recycledBatch only) adopts arrays that already
   * exist instead. Every batch is made here, so that all share one hidden class and the decoders'
   * set* calls stay monomorphic (batches rebuilt with Object.create had another: the decode worker,
   * which fills new and given-back batches alike, spent 4x as long in setBytes as the inline decoder).
   */
  constructor(table: TableDef, capacity = 8192, from?: AdoptedParts) {
    this.table = table;
    this.capacity = capacity;
    if (from !== undefined) {
      this.columns = from.columns.map(sameShapeColumn);
      this.arena = from.arena;
      this.length = from.length;
      this.arenaUsed = from.arenaUsed;
      this.refilled = from.refilled;
      return;
    }
    this.arena = new Uint8Array(capacity * (arenaBytesPerRow.get(table.name) ?? 64));
    // Every fixed-size array of the batch lives in one buffer: one allocation instead of ~70 per
    // batch, and one buffer to transfer to and from the decode worker.
    const slab = new ArrayBuffer(slabBytes(table, capacity));
    let at = 0;
    const take = <T>(make: (buf: ArrayBuffer, offset: number, length: number) => T, bytes: number): T => {
      const a = make(slab, at, capacity);
      at += (capacity * bytes + 7) & ~7;
      return a;
    };
    const i32 = (b: ArrayBuffer, o: number, n: number) => new Int32Array(b, o, n);
    const f64 = (b: ArrayBuffer, o: number, n: number) => new Float64Array(b, o, n);
    const u8 = (b: ArrayBuffer, o: number, n: number) => new Uint8Array(b, o, n);
    this.columns = table.fields.map((fd): Column => {
      if (fd.type === 'string' || fd.type === 'json') {
        const start = take(i32, 4);
        return strColumn(fd.type, start, take(i32, 4).fill(-1));
      }
      if (fd.type === 'string[]' || fd.type === 'f64[]') {
        const first = take(i32, 4).fill(-1);
        const count = take(i32, 4);
        const itemStart = take(i32, 4);
        const itemLen = take(i32, 4);
        return listColumn(fd.type, first, count, itemStart, itemLen, take(f64, 8), 0);
      }
      const values = take(f64, 8);
      return numColumn(fd.type, values, take(u8, 1));
    });
  }

  /** Tells the lender (if any) that the batch's memory may be reused; the caller must not touch it again. */
  release(): void {
    const r = this.onRelease;
    this.onRelease = null;
    r?.();
  }

  /** True when no more rows fit. */
  get full(): boolean {
    return this.length >= this.capacity;
  }

  /** Starts a new row and returns its index; all its values are null until set. */
  addRow(): number {
    return this.length++;
  }

  /** Drops the row being written (a decoder found it invalid half-way). */
  dropLastRow(): void {
    if (this.length === 0) return;
    const r = --this.length;
    for (const c of this.columns) {
      if (c.kind === 'num') c.valid[r] = 0;
      else if (c.kind === 'str') c.len[r] = -1;
      else if (c.first[r] >= 0) {
        c.items = c.first[r];
        c.first[r] = -1;
        c.count[r] = 0;
      }
    }
  }

  /** Sets a numeric, timestamp (microseconds) or boolean (0/1) value. */
  setNum(col: number, row: number, v: number): void {
    const c = this.columns[col] as NumColumn;
    c.values[row] = v;
    c.valid[row] = 1;
  }

  /** Sets a boolean value. */
  setBool(col: number, row: number, v: boolean): void {
    this.setNum(col, row, v ? 1 : 0);
  }

  /** Sets a string value from a JS string (null leaves it null). */
  setStr(col: number, row: number, s: string | null | undefined): void {
    if (s == null) return;
    const c = this.columns[col] as StrColumn;
    const at = this.writeString(s);
    c.start[row] = at;
    c.len[row] = this.arenaUsed - at;
  }

  /** Sets a string value from bytes, copied as they are (the caller guarantees valid UTF-8). */
  setBytes(col: number, row: number, src: Uint8Array, start: number, end: number): void {
    const c = this.columns[col] as StrColumn;
    const n = end - start;
    this.reserve(n);
    const a = this.arena;
    let p = this.arenaUsed;
    if (n < 32) for (let i = start; i < end; i++) a[p++] = src[i];
    else {
      a.set(src.subarray(start, end), p);
      p += n;
    }
    c.start[row] = this.arenaUsed;
    c.len[row] = n;
    this.arenaUsed = p;
  }

  /**
   * Makes room for a string of exactly `n` bytes as row `row`'s value of column `col`, and returns
   * where in `arena` the caller writes them (for writers that produce bytes in place, as the Community
   * ID does from its digest).
   */
  reserveStr(col: number, row: number, n: number): number {
    this.reserve(n);
    const at = this.arenaUsed;
    const c = this.columns[col] as StrColumn;
    c.start[row] = at;
    c.len[row] = n;
    this.arenaUsed = at + n;
    return at;
  }

  /** Appends one string item to a list value (creating the list on first use). */
  pushStr(col: number, row: number, s: string): void {
    const c = this.listFor(col, row);
    const at = this.writeString(s);
    c.itemStart[c.items] = at;
    c.itemLen[c.items] = this.arenaUsed - at;
    c.items++;
    c.count[row]++;
  }

  /** Appends one numeric item to a list value. */
  pushNum(col: number, row: number, v: number): void {
    const c = this.listFor(col, row);
    c.itemNum[c.items++] = v;
    c.count[row]++;
  }

  /** Marks a list value as present but empty. */
  setEmptyList(col: number, row: number): void {
    this.listFor(col, row);
  }

  /** Reads a string value back (for tests and for engines without byte access). */
  getStr(col: number, row: number): string | null {
    const c = this.columns[col] as StrColumn;
    if (c.len[row] < 0) return null;
    return Buffer.from(this.arena.buffer, this.arena.byteOffset + c.start[row], c.len[row]).toString('utf8');
  }

  /** Reads a numeric value back, or null. */
  getNum(col: number, row: number): number | null {
    const c = this.columns[col] as NumColumn;
    return c.valid[row] ? c.values[row] : null;
  }

  /** A copy of the rows written so far, sized to them, independent of this batch's later reuse. */
  copy(): ColumnBatch {
    const n = this.length;
    const columns = this.columns.map((c): Column => {
      if (c.kind === 'num') return numColumn(c.type, c.values.slice(0, n), c.valid.slice(0, n));
      if (c.kind === 'str') return strColumn(c.type, c.start.slice(0, n), c.len.slice(0, n));
      return listColumn(c.type, c.first.slice(0, n), c.count.slice(0, n), c.itemStart.slice(0, c.items), c.itemLen.slice(0, c.items), c.itemNum.slice(0, c.items), c.items);
    });
    return batchFromParts(this.table, { table: this.table.name, length: n, arena: this.arena.slice(0, this.arenaUsed), columns });
  }

  /** Empties the batch for reuse. */
  clear(): void {
    for (const c of this.columns) {
      if (c.kind === 'num') c.valid.fill(0, 0, this.length);
      else if (c.kind === 'str') c.len.fill(-1, 0, this.length);
      else {
        c.first.fill(-1, 0, this.length);
        c.count.fill(0, 0, this.length);
        c.items = 0;
      }
    }
    this.length = 0;
    this.arenaUsed = 0;
  }

  private listFor(col: number, row: number): ListColumn {
    const c = this.columns[col] as ListColumn;
    if (c.first[row] < 0) c.first[row] = c.items;
    if (c.items >= c.itemStart.length) {
      const n = c.itemStart.length * 2;
      c.itemStart = grow(c.itemStart, n);
      c.itemLen = grow(c.itemLen, n);
      const num = new Float64Array(n);
      num.set(c.itemNum);
      c.itemNum = num;
    }
    return c;
  }

  private writeString(s: string): number {
    const at = this.arenaUsed;
    const n = s.length;
    this.reserve(n * 3);
    const a = this.arena;
    let p = at;
    if (n > 32) {
      // Native encoding wins for long strings (measured 3x at ~200 characters).
      p = at + encoder.encodeInto(s, a.subarray(at)).written;
    } else {
      // Short strings: a byte loop beats the native call's overhead; non-ASCII falls back.
      for (let i = 0; i < n; i++) {
        const ch = s.charCodeAt(i);
        if (ch >= 128) {
          p = at + encoder.encodeInto(s, a.subarray(at)).written;
          break;
        }
        a[p++] = ch;
      }
    }
    this.arenaUsed = p;
    return at;
  }

  private reserve(n: number): void {
    if (this.arenaUsed + n <= this.arena.length) return;
    let size = this.arena.length * 2;
    while (size < this.arenaUsed + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.arena.subarray(0, this.arenaUsed));
    this.arena = next;
    const perRow = Math.min(MAX_HINT_BYTES_PER_ROW, Math.ceil(size / this.capacity));
    arenaBytesPerRow.set(this.table.name, Math.max(arenaBytesPerRow.get(this.table.name) ?? 64, perRow));
  }
}

function grow(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

/** A batch's buffers, for sending to another thread without copying. */
export interface BatchParts {
  table: string;
  length: number;
  arena: Uint8Array;
  columns: Column[];
}

/** The parts of a batch and the list of buffers to transfer; the batch must not be used afterwards. */
export function batchParts(b: ColumnBatch): { parts: BatchParts; transfer: ArrayBuffer[] } {
  const transfer = new Set<ArrayBuffer>([b.arena.buffer as ArrayBuffer]);
  for (const c of b.columns) {
    if (c.kind === 'num') [c.values, c.valid].forEach((a) => transfer.add(a.buffer as ArrayBuffer));
    else if (c.kind === 'str') [c.start, c.len].forEach((a) => transfer.add(a.buffer as ArrayBuffer));
    else [c.first, c.count, c.itemStart, c.itemLen, c.itemNum].forEach((a) => transfer.add(a.buffer as ArrayBuffer));
  }
  return { parts: { table: b.table.name, length: b.length, arena: b.arena.subarray(0, b.arenaUsed), columns: b.columns }, transfer: [...transfer] };
}

/** Rebuilds a batch from parts received from another thread. */
export function batchFromParts(table: TableDef, p: BatchParts): ColumnBatch {
  return new ColumnBatch(table, p.length, { columns: p.columns, arena: p.arena, length: p.length, arenaUsed: p.arena.length, refilled: false });
}

/**
 * Rebuilds a batch for refilling from the parts of one that was sent away and given back (its
 * buffers transferred both ways): emptied, at its original capacity and arena size.
 */
export function recycledBatch(table: TableDef, p: BatchParts): ColumnBatch {
  const first = p.columns[0];
  const capacity = first.kind === 'num' ? first.values.length : first.kind === 'str' ? first.start.length : first.first.length;
  const arena = new Uint8Array(p.arena.buffer, p.arena.byteOffset, p.arena.buffer.byteLength - p.arena.byteOffset);
  const b = new ColumnBatch(table, capacity, { columns: p.columns, arena, length: p.length, arenaUsed: 0, refilled: true });
  b.clear();
  return b;
}
