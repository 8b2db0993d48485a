/**
 * The bounded queue between receiving and decoding: a ring of datagrams limited both in count and in
 * bytes. When full it refuses the datagram (the caller counts the drop); it never grows, so a flood
 * costs datagrams, not the collector's memory.
 */

/** Which decoder a datagram is for (decided by the listener that received it). */
export type DatagramKind = 'netflow' | 'sflow' | 'syslog';

/** One received datagram waiting to be decoded. */
export interface QueuedDatagram {
  kind: DatagramKind;
  /** True when it came through the UDP receiver thread (which is told when it is taken). */
  threaded: boolean;
  buf: Buffer;
  from: string;
  receivedMicros: number;
}

/** A fixed-capacity FIFO of datagrams. */
export class DatagramQueue {
  private readonly ring: (QueuedDatagram | undefined)[];
  private head = 0;
  private count = 0;
  /** Bytes held now. */
  bytes = 0;

  constructor(
    readonly maxItems: number,
    readonly maxBytes: number,
  ) {
    this.ring = new Array<QueuedDatagram | undefined>(maxItems);
  }

  /** Datagrams waiting. */
  get length(): number {
    return this.count;
  }

  /** Adds a datagram; false (nothing kept) when the queue is full by count or by bytes. */
  push(d: QueuedDatagram): boolean {
    if (this.count >= this.maxItems || this.bytes + d.buf.length > this.maxBytes) return false;
    this.ring[(this.head + this.count) % this.maxItems] = d;
    this.count++;
    this.bytes += d.buf.length;
    return true;
  }

  /** Takes the oldest datagram, or undefined when empty. */
  shift(): QueuedDatagram | undefined {
    if (this.count === 0) return undefined;
    const d = this.ring[this.head];
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.maxItems;
    this.count--;
    this.bytes -= d!.buf.length;
    return d;
  }
}
