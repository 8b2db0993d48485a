/**
 * The collector's Prometheus metrics (prom-client, in a registry of its own): read from the running
 * counts and decoder statistics at scrape time, so the hot path pays nothing for them. Label values
 * are bounded: listener and protocol names, reason codes from fixed lists, and exporters from the
 * decoder's bounded template cache.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { NetflowDecoder } from '../decode/netflow/netflow-decoder.js';
import type { SflowDecoder } from '../decode/sflow/sflow.js';
import { LISTENER_NAMES, type CollectorCounters } from './collector-counters.js';

/** What the metrics read from a running collector. */
export interface CollectorView {
  readonly counters: CollectorCounters;
  readonly netflow: NetflowDecoder;
  readonly sflow: SflowDecoder;
  queueDepth(): number;
  queueBytes(): number;
  readonly queueCapacity: number;
}

/** Sets a counter to an absolute running total (prom-client counters only go up by increments). */
function setTotal<T extends string>(c: Counter<T>, labels: Partial<Record<T, string | number>>, v: number): void {
  if (v > 0) c.inc(labels, v);
}

/** The collector's metrics registry and the histograms the collector observes directly. */
export class CollectorMetrics {
  readonly registry = new Registry();
  /** Seconds one flush took: handing batches to the store and committing them. */
  readonly flushSeconds: Histogram<never>;
  /** Rows committed per flush. */
  readonly flushRows: Histogram<never>;

  constructor(view: CollectorView) {
    const registers = [this.registry];
    const p = 'nightjar_collector_';
    collectDefaultMetrics({ register: this.registry, prefix: p });
    new Counter({
      name: `${p}datagrams_received_total`,
      help: 'Datagrams (or syslog messages) accepted into the decode queue, by listener.',
      labelNames: ['listener'],
      registers,
      collect() {
        this.reset();
        for (const l of LISTENER_NAMES) setTotal(this, { listener: l }, view.counters.received[l]);
      },
    });
    new Counter({
      name: `${p}received_bytes_total`,
      help: 'Bytes of the accepted datagrams and messages.',
      registers,
      collect() {
        this.reset();
        setTotal(this, {}, view.counters.receivedBytes);
      },
    });
    new Counter({
      name: `${p}records_decoded_total`,
      help: 'Records decoded, by protocol (netflow includes IPFIX; sflow_counters are interface counter samples).',
      labelNames: ['protocol'],
      registers,
      collect() {
        this.reset();
        setTotal(this, { protocol: 'netflow' }, view.netflow.stats.flows);
        setTotal(this, { protocol: 'sflow' }, view.sflow.stats.flowSamples);
        setTotal(this, { protocol: 'sflow_counters' }, view.sflow.stats.counterSamples);
        for (const [k, n] of Object.entries(view.counters.syslog)) setTotal(this, { protocol: `syslog_${k}` }, n);
      },
    });
    new Counter({
      name: `${p}records_dropped_total`,
      help:
        'Input dropped, by stage and reason: queue_full counts datagrams refused by the full queue; netflow and ' +
        'sflow reasons count damaged datagrams or sets, or data sets without a template; decode counts records skipped.',
      labelNames: ['stage', 'reason'],
      registers,
      collect() {
        this.reset();
        for (const l of LISTENER_NAMES) setTotal(this, { stage: 'queue', reason: `queue_full_${l}` }, view.counters.queueFull[l]);
        const nf = view.netflow.stats;
        for (const [r, n] of Object.entries(nf.malformed)) setTotal(this, { stage: 'netflow', reason: r }, n);
        for (const [r, n] of Object.entries(nf.dropped)) setTotal(this, { stage: 'netflow', reason: r }, n);
        for (const [r, n] of Object.entries(view.sflow.stats.malformed)) setTotal(this, { stage: 'sflow', reason: r }, n);
        for (const [r, n] of Object.entries(view.counters.skipped)) setTotal(this, { stage: 'decode', reason: r }, n);
      },
    });
    new Counter({
      name: `${p}rows_committed_total`,
      help: 'Rows committed to the store.',
      registers,
      collect() {
        this.reset();
        setTotal(this, {}, view.counters.rowsCommitted);
      },
    });
    new Gauge({
      name: `${p}templates`,
      help: 'NetFlow v9 and IPFIX templates (and options templates) known, over all exporters and domains.',
      registers,
      collect() {
        this.set(view.netflow.templateCount());
      },
    });
    new Gauge({
      name: `${p}held_data_sets`,
      help: 'NetFlow v9/IPFIX data sets held waiting for their template.',
      registers,
      collect() {
        this.set(view.netflow.stats.heldSets);
      },
    });
    new Gauge({
      name: `${p}queue_depth`,
      help: 'Datagrams waiting between receive and decode.',
      registers,
      collect() {
        this.set(view.queueDepth());
      },
    });
    new Gauge({
      name: `${p}queue_bytes`,
      help: 'Bytes of the datagrams waiting between receive and decode.',
      registers,
      collect() {
        this.set(view.queueBytes());
      },
    });
    new Gauge({
      name: `${p}queue_capacity`,
      help: 'Most datagrams the queue holds before it drops.',
      registers,
      collect() {
        this.set(view.queueCapacity);
      },
    });
    new Counter({
      name: `${p}lost_records_total`,
      help: "Records the exporter's sequence numbers say were sent but never arrived, per NetFlow/IPFIX exporter and domain.",
      labelNames: ['exporter', 'domain', 'version'],
      registers,
      collect() {
        this.reset();
        for (const d of view.netflow.domains()) setTotal(this, { exporter: d.exporter, domain: d.domain, version: d.version }, d.lostRecords);
      },
    });
    new Counter({
      name: `${p}sflow_lost_total`,
      help: 'sFlow datagrams and samples missing from the agents’ sequence numbers.',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        setTotal(this, { kind: 'datagrams' }, view.sflow.stats.lostDatagrams);
        setTotal(this, { kind: 'samples' }, view.sflow.stats.lostSamples);
      },
    });
    this.flushSeconds = new Histogram({
      name: `${p}batch_latency_seconds`,
      help: 'Time to hand a batch of rows to the store and commit it.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.flushRows = new Histogram({
      name: `${p}batch_rows`,
      help: 'Rows committed per batch.',
      buckets: [0, 100, 1000, 10_000, 50_000, 100_000, 200_000, 500_000, 1_000_000],
      registers,
    });
  }

  /** The metrics in Prometheus text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** Content type of `text()`. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
