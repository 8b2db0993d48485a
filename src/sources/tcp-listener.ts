/**
 * A TCP listener for syslog: accepts connections, cuts each stream into messages with the syslog
 * framer and hands every message, with its sender, to a callback. Receiving and framing only. The
 * number of connections is bounded; a connection is closed when it idles for `idleMs`.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { NightjarError } from '../model/errors.js';
import { SyslogFramer, type FramingProblem } from './syslog-framing.js';

/** Options of a syslog TCP listener. */
export interface TcpListenerOptions {
  readonly address: string;
  readonly port: number;
  readonly maxConnections?: number;
  readonly maxMessage?: number;
  readonly idleMs?: number;
}

/** A bound syslog TCP server. */
export class SyslogTcpListener {
  private server: Server | null = null;
  private readonly sockets = new Map<Socket, SyslogFramer>();
  /** The port actually bound. */
  boundPort = 0;

  constructor(
    private readonly opts: TcpListenerOptions,
    private readonly onMessage: (msg: Buffer, from: string) => void,
    private readonly onProblem: (p: FramingProblem | 'too_many_connections') => void,
  ) {}

  /** Starts listening; a NightjarError names the address when it cannot. */
  async start(): Promise<void> {
    const maxMessage = this.opts.maxMessage ?? 65_536;
    const server = createServer((sock) => {
      if (this.sockets.size >= (this.opts.maxConnections ?? 512)) {
        this.onProblem('too_many_connections');
        sock.destroy();
        return;
      }
      const from = sock.remoteAddress ?? '';
      const framer = new SyslogFramer(maxMessage, (m) => this.onMessage(m, from), this.onProblem);
      this.sockets.set(sock, framer);
      sock.setTimeout(this.opts.idleMs ?? 300_000, () => sock.destroy());
      sock.on('data', (c: Buffer) => framer.push(c));
      sock.on('end', () => framer.end());
      sock.on('error', () => undefined);
      sock.on('close', () => this.sockets.delete(sock));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new NightjarError('NJ_USAGE', `cannot listen on tcp ${this.opts.address}:${this.opts.port}: ${err.code ?? err.message}; pick another port or address`, { cause: err })),
      );
      server.listen(this.opts.port, this.opts.address, () => resolve());
    });
    this.boundPort = (server.address() as { port: number }).port;
  }

  /**
   * Stops accepting, then ends every connection after handing on what it already sent (data already
   * read is framed; a last message without its newline still counts).
   */
  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    for (const [sock, framer] of this.sockets) {
      sock.pause();
      framer.end();
      sock.destroy();
    }
    await closed;
  }
}
