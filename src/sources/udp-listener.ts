/**
 * A UDP listener: one bound socket handing every datagram, with its sender and arrival time, to a
 * callback. Receiving only, it never looks inside a datagram (decoders do that). The kernel's receive
 * buffer is raised where the system allows it, since bursts from exporters arrive faster than any
 * decoder drains them and the socket buffer is the first queue a datagram waits in.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { NightjarError } from '../model/errors.js';

/** Called for every datagram received: its bytes, the sender's address and the arrival time (µs). */
export type DatagramHandler = (msg: Buffer, from: string, receivedMicros: number) => void;

/** Options of a UDP listener. */
export interface UdpListenerOptions {
  readonly address: string;
  readonly port: number;
  /** Requested kernel receive buffer in bytes (the kernel may cap it, e.g. net.core.rmem_max). */
  readonly receiveBufferBytes?: number;
}

/** One bound UDP socket. */
export class UdpListener {
  private socket: Socket | null = null;
  /** The port actually bound (differs from the requested one when that was 0 in tests). */
  boundPort = 0;

  constructor(
    private readonly opts: UdpListenerOptions,
    private readonly onDatagram: DatagramHandler,
  ) {}

  /** Binds the socket; rejects with a NightjarError when the address or port cannot be used. */
  async start(): Promise<void> {
    const s = createSocket({ type: isIPv6(this.opts.address) ? 'udp6' : 'udp4', reuseAddr: false });
    this.socket = s;
    await new Promise<void>((resolve, reject) => {
      s.once('error', (err: NodeJS.ErrnoException) =>
        reject(new NightjarError('NJ_USAGE', `cannot listen on udp ${this.opts.address}:${this.opts.port}: ${err.code ?? err.message}; pick another port or address`, { cause: err })),
      );
      s.bind(this.opts.port, this.opts.address, () => resolve());
    });
    // Once bound, socket errors (rare for UDP) must not crash the collector.
    s.removeAllListeners('error');
    s.on('error', () => undefined);
    if (this.opts.receiveBufferBytes) {
      try {
        s.setRecvBufferSize(this.opts.receiveBufferBytes);
      } catch {
        // The kernel refused the size; the default buffer still works.
      }
    }
    this.boundPort = s.address().port;
    s.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo.address, Date.now() * 1000));
  }

  /** Stops receiving: after this resolves no datagram is handed on. */
  async stop(): Promise<void> {
    const s = this.socket;
    if (!s) return;
    this.socket = null;
    s.removeAllListeners('message');
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
