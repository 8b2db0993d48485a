/**
 * The always-on collector: UDP listeners for NetFlow/IPFIX and sFlow (and syslog when asked for),
 * a bounded queue between receiving and decoding (syslog over TCP too, one message per entry), decoding into column batches, and one open ingest
 * committed every `flushEveryMs` or every `flushRows` rows (each flush one transaction, the live
 * ingest's checkpoint). Template state is restored at start and persisted after commits. `stop()`
 * stops receiving, decodes everything already accepted, commits it, and returns a summary.
 *
 * UDP sockets are read on a thread of their own (udp-receiver-thread.ts), which also enforces the
 * queue bound, so socket buffers keep draining while this thread decodes and commits. Decoding runs
 * in slices of `SLICE` datagrams; while a commit runs, decoding pauses and datagrams wait in the
 * queue (sized for several seconds of a busy exporter).
 */
import { setCommunityIdSeed } from '../model/community-id.js';
import { NightjarError } from '../model/errors.js';
import { isoMicros } from '../model/time.js';
import { SyslogTcpListener } from '../sources/tcp-listener.js';
import { UdpReceiverThread, type ReceiverTotals } from '../sources/udp-receiver-thread.js';
import type { IngestRecord, IngestWriter, Store } from '../store/store.js';
import { bump, CollectorCounters, type ListenerName } from './collector-counters.js';
import type { CollectorConfig } from './config.js';
import { DatagramDecoder } from './datagram-decoder.js';
import { DatagramQueue, type DatagramKind } from './datagram-queue.js';
import { CollectorMetrics } from './metrics.js';
import { MetricsServer } from './metrics-server.js';
import { RowBatches } from './row-batches.js';
import { SyslogDispatch } from './syslog-dispatch.js';
import { collectorSummary, type CollectorSummary } from './summary.js';
import { readTemplateFile, writeTemplateFile } from './template-file.js';

/** Datagrams decoded per slice at most before the event loop runs again. */
const SLICE = 512;
/**
 * Rows decoded per slice at most: one DuckDB vector. The store's insert runs on a DuckDB thread that
 * takes its rows a vector at a time through a callback on this thread, served only between slices;
 * slices of 512 datagrams (15,000 flows) left it one vector per slice, so the two took turns instead
 * of working at once.
 */
const SLICE_ROWS = 2048;

/** What the collector needs besides its configuration. */
export interface CollectorDeps {
  readonly store: Store;
  /** Operator messages (one line each, no newline). */
  readonly log: (line: string) => void;
}

/** Ports actually bound (0 when a listener is off). */
export type BoundPorts = Record<ListenerName | 'metrics', number>;

/** A running collector. */
export class Collector {
  readonly counters = new CollectorCounters();
  readonly queue: DatagramQueue;
  readonly metrics: CollectorMetrics;
  readonly ports: BoundPorts = { netflow: 0, ipfix: 0, sflow: 0, syslog_udp: 0, syslog_tcp: 0, metrics: 0 };
  private udp: UdpReceiverThread | null = null;
  private readonly droppedByThread: number[] = [];
  private tcp: SyslogTcpListener | null = null;
  private server: MetricsServer | null = null;
  private readonly rows: RowBatches;
  private readonly decoder: DatagramDecoder;
  private readonly startedAt = isoMicros(Date.now() * 1000)!;
  private readonly startMs = Date.now();
  private scheduled = false;
  private flushing: Promise<void> | null = null;
  /** Set while decoding waits for the store to take in the rows it was given (keeps memory flat). */
  private storeWait: Promise<void> | null = null;
  /** A failed insert: decoding stops, and stop() reports it. */
  private storeFailure: unknown = null;
  private stopping = false;
  /** Set once every listener has stopped: nothing more is accepted. */
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private lastTemplates = '';
  /** Datagrams (and their bytes) taken from the receiver thread's share of the queue, not yet acknowledged. */
  private unackedItems = 0;
  private unackedBytes = 0;
  private lastCommitAt: string | null = null;

  private constructor(
    readonly config: CollectorConfig,
    private readonly deps: CollectorDeps,
    private readonly writer: IngestWriter,
  ) {
    // Room for the receiver thread's whole bound plus as much again for syslog over TCP.
    this.queue = new DatagramQueue(config.queueDatagrams * 2, config.queueBytes * 2);
    this.rows = new RowBatches(writer.ingestId, config.sensor, this.inputName(), config.batchRows, this.counters, (b) => writer.append(b));
    const syslog = config.syslogUdpPort > 0 || config.syslogTcpPort > 0;
    this.decoder = new DatagramDecoder(this.rows, syslog ? new SyslogDispatch(this.rows, this.counters) : null);
    this.metrics = new CollectorMetrics({
      counters: this.counters,
      netflow: this.decoder.netflow,
      sflow: this.decoder.sflow,
      queueDepth: () => this.queue.length,
      queueBytes: () => this.queue.bytes,
      queueCapacity: config.queueDatagrams,
    });
  }

  /** Opens the collector's ingest, restores templates, binds every listener, and starts collecting. */
  static async start(config: CollectorConfig, deps: CollectorDeps): Promise<Collector> {
    // Flows are decoded on this thread: their IDs take the configured seed.
    setCommunityIdSeed(config.communityIdSeed);
    const writer = await deps.store.beginIngest();
    const c = new Collector(config, deps, writer);
    try {
      await c.restoreTemplates();
      await c.listen();
    } catch (err) {
      await c.close();
      await writer.rollback();
      throw err;
    }
    c.timer = setInterval(() => c.tick(), Math.max(10, Math.min(1000, config.flushEveryMs / 4)));
    return c;
  }

  /** The ingest id every row of this run carries. */
  get ingestId(): number {
    return this.writer.ingestId;
  }

  /** Stops receiving, decodes and commits everything accepted, persists templates, and summarises. */
  async stop(): Promise<CollectorSummary> {
    if (this.stopping) throw new NightjarError('NJ_INTERNAL', 'collector already stopping');
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.udp?.stop();
    await this.tcp?.stop();
    this.closed = true;
    await this.flushing;
    await this.storeWait;
    if (this.storeFailure !== null) throw this.storeFailure;
    if (this.queue.length > 0) this.deps.log(`decoding the ${this.queue.length} datagram(s) still queued`);
    this.drain(Infinity, Infinity);
    this.decoder.finish();
    this.rows.flush();
    const t0 = performance.now();
    await this.writer.commit(this.record());
    this.committed(t0);
    await this.saveTemplates();
    await this.server?.stop();
    return this.summary();
  }

  /** What the collector did so far. */
  summary(): CollectorSummary {
    return collectorSummary(this.counters, this.decoder.netflow, this.decoder.sflow);
  }

  private inputName(): string {
    const c = this.config;
    const ports = [c.netflowPort, c.ipfixPort, c.sflowPort, c.syslogUdpPort].filter((p) => p > 0).join(',');
    return `collect:udp://${c.bind}:${ports}${c.syslogTcpPort ? ` tcp://${c.bind}:${c.syslogTcpPort}` : ''}`;
  }

  private async listen(): Promise<void> {
    const c = this.config;
    const specs: [ListenerName, number, DatagramKind][] = [
      ['netflow', c.netflowPort, 'netflow'],
      ['ipfix', c.ipfixPort, 'netflow'],
      ['sflow', c.sflowPort, 'sflow'],
      ['syslog_udp', c.syslogUdpPort, 'syslog'],
    ];
    const on = specs.filter(([, port]) => port > 0);
    if (on.length > 0) {
      this.udp = new UdpReceiverThread(
        on.map(([, port]) => ({ address: c.bind, port, receiveBufferBytes: c.receiveBufferBytes })),
        (i, buf, from, t) => this.accept(on[i][0], on[i][2], buf, from, t, true),
        (totals) => this.threadTotals(on.map(([name]) => name), totals),
      );
      const ports = await this.udp.start(c.queueDatagrams, c.queueBytes);
      on.forEach(([name], i) => (this.ports[name] = ports[i]));
    }
    if (c.syslogTcpPort > 0) {
      this.tcp = new SyslogTcpListener(
        { address: c.bind, port: c.syslogTcpPort },
        (buf, from) => this.accept('syslog_tcp', 'syslog', buf, from, Date.now() * 1000, false),
        (problem) => bump(this.counters.skipped, `syslog:${problem}`),
      );
      await this.tcp.start();
      this.ports.syslog_tcp = this.tcp.boundPort;
    }
    if (c.metrics) {
      this.server = new MetricsServer(this.metrics, () => ({
        status: this.stopping ? 'stopping' : 'ok',
        uptimeSeconds: Math.round((Date.now() - this.startMs) / 1000),
        received: this.counters.totalReceived,
        rowsCommitted: this.counters.rowsCommitted,
        queueDepth: this.queue.length,
        lastCommit: this.lastCommitAt,
      }));
      await this.server.start(c.metrics.address, c.metrics.port);
      this.ports.metrics = this.server.port;
    }
  }

  /** A received datagram: queued (acknowledged) or counted as dropped, never waiting elsewhere. */
  private accept(name: ListenerName, kind: DatagramKind, buf: Buffer, from: string, receivedMicros: number, threaded: boolean): void {
    // While stopping, listeners still hand over what they already read (a TCP stream's last message).
    if (this.closed) return;
    if (!this.queue.push({ kind, threaded, buf, from, receivedMicros })) {
      this.counters.queueFull[name]++;
      return;
    }
    this.counters.received[name]++;
    this.counters.receivedBytes += buf.length;
    this.schedule();
  }

  /** Datagrams the receiver thread refused (its queue bound reached) join the queue-full counts. */
  private threadTotals(names: ListenerName[], t: ReceiverTotals): void {
    names.forEach((name, i) => {
      const prev = this.droppedByThread[i] ?? 0;
      if (t.dropped[i] > prev) this.counters.queueFull[name] += t.dropped[i] - prev;
      this.droppedByThread[i] = t.dropped[i];
    });
  }

  private schedule(): void {
    if (this.scheduled || this.stopping || !this.rows.canDecode || this.storeWait !== null || this.storeFailure !== null) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.stopping || !this.rows.canDecode) return;
      this.drain(SLICE, SLICE_ROWS);
      if (this.rows.pendingRows >= this.config.flushRows && this.flushing === null) this.flush();
      if (this.flushing === null) this.waitForStore();
      else if (this.queue.length > 0) this.schedule();
    });
  }

  /**
   * Decodes on once the store has room: rows handed to it queue until DuckDB takes them in, and a
   * sender faster than the store would otherwise grow that queue without bound. Meanwhile datagrams
   * wait in the bounded datagram queue, where a flood costs counted drops instead of memory.
   */
  private waitForStore(): void {
    this.storeWait = this.writer.drain().then(
      () => {
        this.storeWait = null;
        if (this.queue.length > 0) this.schedule();
      },
      (err: unknown) => {
        this.storeWait = null;
        this.storeFailure = err;
        this.deps.log(`storing rows failed: ${(err as Error).message}`);
      },
    );
  }

  /** Decodes queued datagrams until `max` of them or `maxRows` rows are done. */
  private drain(max: number, maxRows: number): void {
    let items = this.unackedItems;
    let bytes = this.unackedBytes;
    const rows0 = this.rows.pendingRows;
    for (let i = 0; i < max && this.rows.pendingRows - rows0 < maxRows; i++) {
      const d = this.queue.shift();
      if (d === undefined) break;
      this.decoder.decode(d);
      this.counters.decodedDatagrams++;
      if (d.threaded) {
        items++;
        bytes += d.buf.length;
      }
    }
    // One message per 256 datagrams taken (slices are small), and whenever the queue runs dry.
    if (items >= 256 || this.queue.length === 0 || max === Infinity) {
      this.udp?.ack(items, bytes);
      items = bytes = 0;
    }
    this.unackedItems = items;
    this.unackedBytes = bytes;
  }

  /** Periodic work: commit when the oldest waiting row is old enough; age out held data sets. */
  private tick(): void {
    if (this.stopping || this.flushing !== null) return;
    if (this.queue.length > 0) this.schedule();
    this.decoder.netflow.expire(Date.now() * 1000);
    const oldest = this.rows.oldestPendingMs;
    if (oldest > 0 && Date.now() - oldest >= this.config.flushEveryMs) this.flush();
  }

  /** Commits everything decoded so far as one transaction; decoding waits until it is done. */
  private flush(): void {
    if (this.flushing !== null) return;
    this.flushing = (async () => {
      const t0 = performance.now();
      try {
        this.rows.flush();
        // Decoding goes on during the commit; full batches wait until it is done.
        this.rows.hold();
        await this.writer.checkpoint(this.record());
        this.committed(t0);
        await this.saveTemplates();
      } catch (err) {
        this.deps.log(`commit failed: ${(err as Error).message}`);
        throw err;
      } finally {
        this.rows.release();
        this.flushing = null;
        if (this.queue.length > 0) this.schedule();
      }
    })();
    // A failed commit is fatal for this ingest; stop() reports it again.
    this.flushing.catch(() => undefined);
  }

  private committed(t0: number): void {
    const rows = this.counters.rowsAppended - this.counters.rowsCommitted;
    this.counters.rowsCommitted = this.counters.rowsAppended;
    this.counters.commits++;
    this.metrics.flushSeconds.observe((performance.now() - t0) / 1000);
    this.metrics.flushRows.observe(rows);
    this.lastCommitAt = isoMicros(Date.now() * 1000);
  }

  private record(): Omit<IngestRecord, 'ingestId'> {
    const s = this.summary();
    return {
      fingerprint: `live:${this.inputName()}:${this.startedAt}`,
      sha256: null,
      path: this.inputName(),
      size: this.counters.receivedBytes,
      format: 'collector',
      sensor: this.config.sensor,
      startedAt: this.startedAt,
      finishedAt: isoMicros(Date.now() * 1000)!,
      records: this.counters.rowsAppended,
      skipped: s.dropped,
      summary: JSON.stringify({ live: true, collector: s }),
    };
  }

  private async restoreTemplates(): Promise<void> {
    const path = this.config.templateFile;
    if (!path) return;
    const got = await readTemplateFile(path);
    if (got === null) return;
    if ('error' in got) {
      this.deps.log(`template file ${path} ignored (${got.error}); templates will be learned again from the exporters`);
      return;
    }
    try {
      const r = this.decoder.netflow.restore(got.data, Date.now() * 1000);
      if (r.templates + r.heldSets > 0) this.deps.log(`restored ${r.templates} template(s) and ${r.heldSets} held data set(s) from ${path}`);
    } catch {
      this.deps.log(`template file ${path} ignored (not a Nightjar template snapshot); templates will be learned again from the exporters`);
    }
  }

  private async saveTemplates(): Promise<void> {
    const path = this.config.templateFile;
    if (!path) return;
    const text = JSON.stringify(this.decoder.netflow.snapshot());
    if (text === this.lastTemplates) return;
    try {
      await writeTemplateFile(path, text);
      this.lastTemplates = text;
    } catch (err) {
      bump(this.counters.ignored, 'template_file_write_failed');
      this.deps.log(`cannot write template file ${path}: ${(err as Error).message}`);
    }
  }

  private async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.udp?.kill();
    await this.tcp?.stop();
    await this.server?.stop();
  }
}
