/**
 * The reusable buffer a capture reader assembles one record in when the record spans chunk
 * boundaries. Only the bytes of that one record are copied (never the rest of the chunk), the buffer
 * grows by doubling and is kept for the next split record, and it never grows past the bound the
 * reader validated the record length against.
 */

/** A growable byte buffer holding the start of one record and the file offset it begins at. */
export class CarryBuffer {
  /** Backing storage; only the first `length` bytes are meaningful. */
  bytes: Uint8Array = new Uint8Array(4096);
  /** Bytes currently held. */
  length = 0;
  /** File offset of `bytes[0]`. */
  fileOffset = 0;

  /** Starts a new record with `src[from, to)`, which begins at file offset `fileOffset`. */
  start(src: Uint8Array, from: number, to: number, fileOffset: number): void {
    this.length = 0;
    this.fileOffset = fileOffset;
    this.append(src, from, to);
  }

  /** Appends `src[from, to)`, growing the storage when needed. */
  append(src: Uint8Array, from: number, to: number): void {
    const n = to - from;
    const need = this.length + n;
    if (need > this.bytes.length) {
      let size = this.bytes.length * 2;
      while (size < need) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    this.bytes.set(src.subarray(from, to), this.length);
    this.length = need;
  }

  /**
   * Copies bytes from `src` starting at `from` until the carry holds `need` bytes or `src` runs out;
   * returns the index in `src` after the last byte taken.
   */
  fill(src: Uint8Array, from: number, need: number): number {
    const take = Math.min(need - this.length, src.length - from);
    if (take <= 0) return from;
    this.append(src, from, from + take);
    return from + take;
  }

  /** Forgets the held bytes (the storage is kept for reuse). */
  clear(): void {
    this.length = 0;
  }
}
