/**
 * The collector's own running counts, kept as plain numbers on the hot path (a datagram costs an
 * increment, not a metrics-library lookup) and read by the metrics and the ingest summary.
 */

/** Names of the listeners, as metric labels. */
export type ListenerName = 'netflow' | 'ipfix' | 'sflow' | 'syslog_udp' | 'syslog_tcp';

/** Every listener name. */
export const LISTENER_NAMES: readonly ListenerName[] = ['netflow', 'ipfix', 'sflow', 'syslog_udp', 'syslog_tcp'];

/** Counts of what the collector received, queued, stored and dropped. */
export class CollectorCounters {
  /** Datagrams (or syslog messages) accepted into the queue, by listener. */
  readonly received: Record<ListenerName, number> = { netflow: 0, ipfix: 0, sflow: 0, syslog_udp: 0, syslog_tcp: 0 };
  /** Bytes of the accepted datagrams. */
  receivedBytes = 0;
  /** Datagrams refused because the queue was full, by listener. */
  readonly queueFull: Record<ListenerName, number> = { netflow: 0, ipfix: 0, sflow: 0, syslog_udp: 0, syslog_tcp: 0 };
  /** Datagrams taken from the queue and decoded. */
  decodedDatagrams = 0;
  /** Rows handed to the store, and rows committed. */
  rowsAppended = 0;
  rowsCommitted = 0;
  commits = 0;
  /** Records skipped by a decoder (reason-coded) and records deliberately not stored. */
  readonly skipped: Record<string, number> = {};
  readonly ignored: Record<string, number> = {};
  /** Syslog messages by outcome: decoded by a registered decoder (by name) or stored raw. */
  readonly syslog: Record<string, number> = {};

  /** Total datagrams accepted over every listener. */
  get totalReceived(): number {
    let n = 0;
    for (const k of LISTENER_NAMES) n += this.received[k];
    return n;
  }

  /** Total datagrams refused by a full queue. */
  get totalQueueFull(): number {
    let n = 0;
    for (const k of LISTENER_NAMES) n += this.queueFull[k];
    return n;
  }
}

/** Adds one to `rec[key]`. */
export function bump(rec: Record<string, number>, key: string, n = 1): void {
  rec[key] = (rec[key] ?? 0) + n;
}
