/**
 * A fixed-size binary min-heap of (time, slot) pairs in typed arrays: the generator's scheduler. Every
 * slot always holds one session, so the only operation after building is replacing the earliest entry
 * with that slot's next time, one sift-down per packet and no allocation.
 */

/** Orders session slots by the time of their next packet. */
export class EventHeap {
  private readonly time: Float64Array;
  private readonly slot: Int32Array;

  /** A heap of slots 0..`times.length - 1` due at `times`. */
  constructor(times: ArrayLike<number>) {
    const n = times.length;
    this.time = new Float64Array(n);
    this.slot = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      this.time[i] = times[i];
      this.slot[i] = i;
    }
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /** Time of the earliest entry. */
  topTime(): number {
    return this.time[0];
  }

  /** Slot of the earliest entry. */
  topSlot(): number {
    return this.slot[0];
  }

  /** Reschedules the earliest entry's slot at `t`. */
  replaceTop(t: number): void {
    this.time[0] = t;
    this.siftDown(0);
  }

  private siftDown(i: number): void {
    const time = this.time;
    const slot = this.slot;
    const n = time.length;
    const t = time[i];
    const s = slot[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && time[c + 1] < time[c]) c++;
      if (time[c] >= t) break;
      time[i] = time[c];
      slot[i] = slot[c];
      i = c;
    }
    time[i] = t;
    slot[i] = s;
  }
}
