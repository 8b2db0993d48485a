/**
 * The hash index from connection keys to slots: open addressing with linear probing and backward-shift
 * deletion (no tombstones), over one Int32Array of two-word buckets (slot + 1, 0 meaning empty, and the
 * key's hash). Keeping the hash in the bucket means probing, deleting and rehashing never touch a
 * connection record unless the hash matches. Load stays at most one half.
 */
import type { KeyBuilder } from './flow-key.js';
import { I_KEY, S4 } from './flow-state.js';

/** Maps connection keys to slots. */
export class FlowIndex {
  private buckets: Int32Array;
  private mask: number;

  constructor(capacity: number) {
    const n = bucketCount(capacity);
    this.buckets = new Int32Array(2 * n);
    this.mask = n - 1;
  }

  /** The slot whose key (in the Int32 view `keys` of the records) equals the built key, or -1. */
  find(kb: KeyBuilder, keys: Int32Array): number {
    const h = kb.hash;
    const buckets = this.buckets;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const b = buckets[2 * i];
      if (b === 0) return -1;
      if (buckets[2 * i + 1] === h && kb.equals(keys, (b - 1) * S4 + I_KEY)) return b - 1;
    }
  }

  /** Adds a slot under its key's hash. */
  insert(slot: number, hash: number): void {
    const buckets = this.buckets;
    const mask = this.mask;
    let i = hash & mask;
    while (buckets[2 * i] !== 0) i = (i + 1) & mask;
    buckets[2 * i] = slot + 1;
    buckets[2 * i + 1] = hash;
  }

  /** Removes a slot (which must be present under `hash`), shifting later entries back. */
  remove(slot: number, hash: number): void {
    const buckets = this.buckets;
    const mask = this.mask;
    let i = hash & mask;
    while (buckets[2 * i] !== slot + 1) i = (i + 1) & mask;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const b = buckets[2 * j];
      if (b === 0) break;
      const k = buckets[2 * j + 1] & mask;
      // Move the entry at j back to i unless its home k lies cyclically in (i, j].
      if (i <= j ? k <= i || k > j : k <= i && k > j) {
        buckets[2 * i] = b;
        buckets[2 * i + 1] = buckets[2 * j + 1];
        i = j;
      }
    }
    buckets[2 * i] = 0;
  }

  /** Resizes for `capacity` slots and reinserts every entry (reading the buckets only). */
  resize(capacity: number): void {
    const old = this.buckets;
    const n = bucketCount(capacity);
    this.buckets = new Int32Array(2 * n);
    this.mask = n - 1;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0) this.insert(old[i] - 1, old[i + 1]);
  }
}

/** Buckets for `cap` connections: a power of two at least twice as many. */
function bucketCount(cap: number): number {
  let n = 16;
  while (n < cap * 2) n *= 2;
  return n;
}
