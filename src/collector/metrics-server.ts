/**
 * The collector's HTTP listener: `GET /metrics` (Prometheus text) and `GET /health` (JSON, 200 while
 * the collector runs, 503 once it is stopping). Nothing else is served; it binds 127.0.0.1 by default.
 */
import { createServer, type Server } from 'node:http';
import { NightjarError } from '../model/errors.js';
import type { CollectorMetrics } from './metrics.js';

/** What /health reports. */
export interface HealthReport {
  status: 'ok' | 'stopping';
  uptimeSeconds: number;
  received: number;
  rowsCommitted: number;
  queueDepth: number;
  lastCommit: string | null;
}

/** A running metrics and health server. */
export class MetricsServer {
  private server: Server | null = null;
  /** The port actually bound. */
  port = 0;

  constructor(
    private readonly metrics: CollectorMetrics,
    private readonly health: () => HealthReport,
  ) {}

  /** Starts listening; a NightjarError names the address when it cannot. */
  async start(address: string, port: number): Promise<void> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      if (path === '/metrics') {
        this.metrics.text().then(
          (text) => res.writeHead(200, { 'content-type': this.metrics.contentType }).end(text),
          () => res.writeHead(500).end(),
        );
      } else if (path === '/health') {
        const h = this.health();
        res.writeHead(h.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(h) + '\n');
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /health\n');
      }
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new NightjarError('NJ_USAGE', `cannot serve metrics on ${address}:${port}: ${err.code ?? err.message}; use --metrics with another address or off`, { cause: err })),
      );
      server.listen(port, address, () => resolve());
    });
    const a = server.address();
    this.port = typeof a === 'object' && a !== null ? a.port : port;
  }

  /** Stops listening and closes idle connections. */
  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = null;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
