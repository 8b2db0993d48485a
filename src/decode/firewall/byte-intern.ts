/**
 * Strings for short byte runs that repeat from line to line (the keys of key=value formats), found by
 * their bytes without making a string: a hash of the bytes, then a byte comparison with the stored copy.
 * Each distinct run gets a small id once; callers keep per-id facts (a key's meaning) in arrays.
 * Bounded: past `max` entries it starts over, so hostile input cannot grow it without limit.
 */

/** Interned byte runs: id -> string, found by bytes. */
export class ByteInterner {
  private slots: Int32Array;
  private store = new Uint8Array(1 << 16);
  private used = 0;
  private starts: number[] = [];
  private lens: number[] = [];
  /** The string of each id. */
  readonly strings: string[] = [];

  constructor(
    private readonly max = 4096,
    private readonly maxLen = 256,
  ) {
    let n = 1;
    while (n < max * 2) n *= 2;
    this.slots = new Int32Array(n).fill(-1);
  }

  /** Incremented by every reset, so callers know their per-id facts are stale. */
  generation = 0;

  /** Number of ids given since the last reset (ids are 0 .. size-1). */
  get size(): number {
    return this.strings.length;
  }

  /** The id of `b[s..e)` (decoded as UTF-8 when first seen), or -1 when the run is too long to keep. */
  intern(b: Uint8Array, s: number, e: number): number {
    const n = e - s;
    if (n > this.maxLen) return -1;
    let h = 0x811c9dc5;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 16777619);
    const mask = this.slots.length - 1;
    let slot = (h >>> 0) & mask;
    for (;;) {
      const id = this.slots[slot];
      if (id < 0) break;
      if (this.lens[id] === n) {
        const at = this.starts[id];
        const st = this.store;
        let same = true;
        for (let i = 0; i < n && same; i++) same = st[at + i] === b[s + i];
        if (same) return id;
      }
      slot = (slot + 1) & mask;
    }
    if (this.strings.length >= this.max || this.used + n > this.store.length) {
      this.reset();
      return this.intern(b, s, e);
    }
    const id = this.strings.length;
    this.store.set(b.subarray(s, e), this.used);
    this.starts.push(this.used);
    this.lens.push(n);
    this.used += n;
    this.strings.push(Buffer.from(b.buffer, b.byteOffset + s, n).toString('utf8'));
    this.slots[slot] = id;
    return id;
  }

  /** Forgets every id (callers' per-id arrays must be forgotten too: check `size`). */
  reset(): void {
    this.generation++;
    this.slots.fill(-1);
    this.used = 0;
    this.starts.length = 0;
    this.lens.length = 0;
    this.strings.length = 0;
  }
}

/**
 * The string of a byte run that mostly repeats the previous one (a device name, a protocol): while the
 * same bytes come again the string made last time is returned, so a per-file constant costs a byte
 * comparison instead of a string a line. `make` turns bytes into the string (latin1 or UTF-8).
 */
export class RepeatString {
  private readonly bytes = new Uint8Array(64);
  private len = -1;
  private str = '';

  constructor(private readonly make: (b: Buffer, s: number, e: number) => string) {}

  /** The string of `b[s..e)`. */
  get(b: Buffer, s: number, e: number): string {
    const n = e - s;
    const kept = this.bytes;
    if (n === this.len) {
      let i = 0;
      while (i < n && kept[i] === b[s + i]) i++;
      if (i === n) return this.str;
    }
    this.str = this.make(b, s, e);
    if (n <= kept.length) {
      for (let i = 0; i < n; i++) kept[i] = b[s + i];
      this.len = n;
    } else this.len = -1;
    return this.str;
  }
}
