/** Messages between the collector and its UDP receiver thread (see udp-receiver-thread.ts). */

/** One UDP socket the receiver thread binds. */
export interface ReceiverListener {
  readonly address: string;
  readonly port: number;
  readonly receiveBufferBytes: number;
}

/** To the receiver thread. */
export type ToReceiver =
  | { type: 'start'; listeners: ReceiverListener[]; maxItems: number; maxBytes: number }
  /** The collector took `items` datagrams of `bytes` bytes off its queue: room for that many more. */
  | { type: 'ack'; items: number; bytes: number }
  | { type: 'stop' };

/** Datagrams received since the last batch, packed into one transferred buffer. */
export interface ReceiverBatch {
  type: 'batch';
  data: ArrayBuffer;
  /** Per datagram: start in `data`, length, listener index, sender address, arrival (µs). */
  starts: Int32Array;
  lengths: Int32Array;
  listeners: Uint8Array;
  froms: string[];
  times: Float64Array;
  /** Running totals per listener: datagrams accepted, and refused because the queue was full. */
  received: number[];
  dropped: number[];
}

/** From the receiver thread. */
export type FromReceiver =
  | { type: 'started'; ports: number[] }
  | { type: 'error'; message: string; code: string | null; listener: number }
  | ReceiverBatch
  | { type: 'stopped'; received: number[]; dropped: number[] };
