/**
 * Test support for the collector: free loopback ports, a UDP sender, waiting on a condition, and a
 * collector over an in-memory store with every listener on a free port.
 */
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { openDuckDBStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { Collector } from './collector.js';
import { collectorConfig, type CollectorConfig } from './config.js';

/** `n` ports free on 127.0.0.1 for both UDP and TCP right now. */
export async function freePorts(n: number): Promise<number[]> {
  const out: number[] = [];
  while (out.length < n) {
    const p = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const u = createSocket('udp4');
      u.once('error', () => resolve(false));
      u.bind(p, '127.0.0.1', () => u.close(() => resolve(true)));
    });
    if (udpFree && !out.includes(p)) out.push(p);
  }
  return out;
}

/**
 * Sends each datagram to 127.0.0.1:port, in order, and resolves when all were handed to the kernel;
 * `burst` sends them all without waiting for each one (the receiver sees them in one read loop).
 */
export async function sendUdp(port: number, datagrams: readonly Uint8Array[], burst = false): Promise<void> {
  const s = createSocket('udp4');
  const one = (d: Uint8Array): Promise<void> => new Promise<void>((resolve, reject) => s.send(d, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  try {
    if (burst) await Promise.all(datagrams.map(one));
    else for (const d of datagrams) await one(d);
  } finally {
    s.close();
  }
}

/** Resolves once `cond()` holds, or rejects after `ms`. */
export async function waitFor(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A collector on free ports over `store` (a new in-memory one when not given). */
export async function testCollector(
  over: Partial<CollectorConfig> = {},
  store?: Store,
): Promise<{ collector: Collector; store: Store; logs: string[] }> {
  const s = store ?? (await openDuckDBStore({ path: ':memory:' }));
  const [netflowPort, ipfixPort, sflowPort, metricsPort] = await freePorts(4);
  const config = collectorConfig({ netflowPort, ipfixPort, sflowPort, metrics: { address: '127.0.0.1', port: metricsPort }, flushEveryMs: 100, ...over });
  const logs: string[] = [];
  const collector = await Collector.start(config, { store: s, log: (l) => logs.push(l) });
  return { collector, store: s, logs };
}

/** Waits until a child process wrote text matching `re` (stdout or stderr), or fails after `ms`. */
export function outputMatch(child: ChildProcess, re: RegExp, ms: number): Promise<void> {
  let text = '';
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${re} from ${child.spawnfile} in ${ms} ms: ${text}`)), ms);
    const on = (c: Buffer): void => {
      text += c.toString();
      if (re.test(text)) {
        clearTimeout(t);
        resolve();
      }
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
  });
}
