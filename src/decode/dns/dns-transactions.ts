/**
 * Pairs DNS queries with their responses into transactions, one per query, following Zeek's DNS
 * script (scripts/base/protocols/dns/main.zeek) so the rows read like a Zeek dns.log:
 *
 * - messages pair by (flow, transaction id) in arrival order; a response that finds no query waits for
 *   one (queries and responses may arrive in either order), and what never pairs is emitted alone when
 *   the flow ends or idles out (unmatched queries with no rcode, unmatched responses with no qtype);
 * - query, qtype, qclass, RD, TC and Z come from the query; rcode and `rejected` from the response;
 *   AA, RA, rtt and the answers only from answer-section records of a type Zeek's script handles, so a
 *   response without such records leaves rtt unset, as in Zeek;
 * - the query name is lowercased (Zeek logs the lowercased name; `lowercaseQuery: false` keeps the case
 *   as sent); a response-only transaction takes its query from the first answer's owner name;
 * - at most 50 pending messages per id and 50 pending ids per flow (Zeek's max_pending_msgs and
 *   max_pending_query_ids): past that the oldest are emitted unmatched.
 *
 * Differences from Zeek, on purpose: the rcode includes the EDNS extended bits (so BADVERS shows);
 * messages with an opcode Zeek ignores are ignored without touching the pending transaction; NetBIOS
 * name decoding (port 137) is left to the caller, who knows the port.
 *
 * The flow handle is opaque here: the caller's flow table decides what a flow is and owns the 5-tuple.
 * It should call endFlow() when a flow ends (a TCP close, or the flow table expiring it); flows left
 * idle for `idleTimeoutMicros` (Zeek's dns_session_timeout, 10 s) are ended here anyway, which for a
 * long-lived TCP connection is sooner than Zeek, who waits for the connection itself to end.
 */
import { TRACKED_OPCODES, opcodeName, qclassName, qtypeName, rcodeName } from './dns-codes.js';
import type { DnsMessage } from './dns-message.js';
import { DnsWeirdCounts, W } from './dns-weird.js';

/** One DNS transaction: the fields of the DNS table (src/model/fields.ts), plus the flow handle. */
export interface DnsTransaction<F> {
  /** The caller's flow handle, as given to observe(). */
  readonly flow: F;
  /** Time of the first message of the transaction, microseconds since the epoch. */
  ts: number;
  trans_id: number;
  /** Seconds from the query to the first logged answer; null when not measured (as in Zeek). */
  rtt: number | null;
  query: string | null;
  qclass: number | null;
  qclass_name: string | null;
  qtype: number | null;
  qtype_name: string | null;
  rcode: number | null;
  rcode_name: string | null;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  z: number;
  answers: string[] | null;
  /** TTL of each answer, seconds. */
  ttls: number[] | null;
  rejected: boolean;
  opcode: number | null;
  opcode_name: string | null;
  /** Whether the query, and the response, were seen. */
  saw_query: boolean;
  saw_reply: boolean;
  /**
   * True when the flow's originator is the DNS client, judged from the message that opened the
   * transaction (a query from the originator, or a response to it); the caller uses it to orient the
   * 5-tuple, as Zeek flips a connection whose first message is a response.
   */
  client_is_orig: boolean;
}

/** Receives each finished transaction. */
export type DnsTransactionHandler<F> = (tx: DnsTransaction<F>) => void;

/** Settings of the transaction tracker. */
export interface DnsTransactionOptions {
  /** A flow idle this long (microseconds) has its pending messages emitted; Zeek's dns_session_timeout (10 s). */
  readonly idleTimeoutMicros: number;
  /** How often (capture time, microseconds) observe() looks for idle flows. */
  readonly sweepIntervalMicros: number;
  /** Zeek's max_pending_msgs: pending messages per transaction id and flow. */
  readonly maxPendingPerId: number;
  /** Zeek's max_pending_query_ids: pending transaction ids per flow. */
  readonly maxPendingIds: number;
  /** Flows with pending messages held at once; past it the oldest flow is emitted (memory bound). */
  readonly maxFlows: number;
  /** Lowercase the query name as Zeek does. */
  readonly lowercaseQuery: boolean;
  /** List answers of every type (HTTPS, CAA, ...), not only the types Zeek's script logs. */
  readonly allAnswerTypes: boolean;
}

/** Default settings: Zeek's. */
export const DNS_TRANSACTION_DEFAULTS: DnsTransactionOptions = Object.freeze({
  idleTimeoutMicros: 10_000_000,
  sweepIntervalMicros: 1_000_000,
  maxPendingPerId: 50,
  maxPendingIds: 50,
  maxFlows: 1_000_000,
  lowercaseQuery: true,
  allAnswerTypes: false,
});

class Tx<F> implements DnsTransaction<F> {
  rtt: number | null = null;
  query: string | null = null;
  qclass: number | null = null;
  qclass_name: string | null = null;
  qtype: number | null = null;
  qtype_name: string | null = null;
  rcode: number | null = null;
  rcode_name: string | null = null;
  aa = false;
  tc = false;
  rd = false;
  ra = false;
  z = 0;
  answers: string[] | null = null;
  ttls: number[] | null = null;
  rejected = false;
  opcode: number | null = null;
  opcode_name: string | null = null;
  saw_query = false;
  saw_reply = false;
  constructor(
    readonly flow: F,
    public ts: number,
    public trans_id: number,
    public client_is_orig: boolean,
  ) {}
}

type Pending<F> = Map<number, Tx<F>[]>;

class FlowState<F> {
  last = 0;
  query: Tx<F> | null = null; // Zeek's pending_query fast path
  queries: Pending<F> | null = null;
  replies: Pending<F> | null = null;
  constructor(readonly flow: F) {}
}

/** Pairs DNS messages into transactions and emits each when complete, unmatched, or timed out. */
export class DnsTransactions<F> {
  /** Anomalies counted by the tracker (unmatched messages, evictions). */
  readonly weirds = new DnsWeirdCounts();
  /** Transactions emitted. */
  emitted = 0;

  private readonly opts: DnsTransactionOptions;
  private readonly flows = new Map<F, FlowState<F>>();
  private nextSweep = -Infinity;

  constructor(
    private readonly emit: DnsTransactionHandler<F>,
    options: Partial<DnsTransactionOptions> = {},
  ) {
    this.opts = Object.freeze({ ...DNS_TRANSACTION_DEFAULTS, ...options });
  }

  /** Flows holding pending messages. */
  get pendingFlows(): number {
    return this.flows.size;
  }

  /**
   * Takes one decoded message seen on `flow` at `ts` (microseconds), sent by the flow's originator
   * when `fromOrig`. A message whose header could not be decoded is ignored; one damaged further in
   * still counts, with what was decoded (Zeek logs those too). `multicast` (the responder address is
   * multicast, as for mDNS) makes every message its own transaction, as in Zeek.
   */
  observe(flow: F, ts: number, fromOrig: boolean, msg: DnsMessage, multicast = false): void {
    if (ts >= this.nextSweep) {
      this.nextSweep = ts + this.opts.sweepIntervalMicros;
      this.expire(ts);
    }
    if (!msg.headerOk || !TRACKED_OPCODES.includes(msg.opcode)) return;
    const isQuery = !msg.qr;
    let tx: Tx<F>;
    if (multicast) {
      tx = new Tx(flow, ts, msg.id, isQuery === fromOrig);
      tx.saw_query = tx.saw_reply = true;
    } else tx = this.pair(flow, ts, isQuery, fromOrig, msg.id);
    this.fill(tx, ts, isQuery, msg);
    if (isQuery) tx.saw_query = true;
    else tx.saw_reply = true;
    if (tx.saw_query && tx.saw_reply) this.send(tx);
  }

  /** The flow ended (closed, or expired by the flow table): emits its unmatched messages. */
  endFlow(flow: F): void {
    const st = this.flows.get(flow);
    if (st === undefined) return;
    this.flows.delete(flow);
    this.finalize(st);
  }

  /** Emits the pending messages of every flow idle since before `now - idleTimeout`. */
  expire(now: number): void {
    const cutoff = now - this.opts.idleTimeoutMicros;
    for (const st of this.flows.values()) {
      if (st.last <= cutoff) {
        this.flows.delete(st.flow);
        this.finalize(st);
      }
    }
  }

  /** End of input: emits everything still pending. */
  flush(): void {
    for (const st of this.flows.values()) this.finalize(st);
    this.flows.clear();
  }

  // Zeek's set_session: find the transaction this message belongs to, or open one.
  private pair(flow: F, ts: number, isQuery: boolean, fromOrig: boolean, id: number): Tx<F> {
    let st = this.flows.get(flow);
    if (st !== undefined && st.last <= ts - this.opts.idleTimeoutMicros) {
      // Idle past the timeout, whether or not a sweep ran since: the outcome depends on this flow's
      // messages only, not on when other flows' messages triggered sweeps.
      this.flows.delete(flow);
      this.finalize(st);
      st = undefined;
    }
    if (st === undefined) {
      if (this.flows.size >= this.opts.maxFlows) this.evictOldest();
      st = new FlowState(flow);
      this.flows.set(flow, st);
    }
    st.last = ts;
    let tx: Tx<F> | undefined;
    if (isQuery) {
      tx = st.replies !== null ? pop(st.replies, id) : undefined;
      if (tx === undefined) {
        tx = new Tx(flow, ts, id, fromOrig);
        if (st.query === null) st.query = tx;
        else this.enqueue((st.queries ??= new Map()), id, tx);
      }
    } else {
      if (st.query !== null && st.query.trans_id === id) {
        tx = st.query;
        st.query = null;
        // Refill the fast path, preferring a query with the same id, to keep queries in order.
        if (st.queries !== null) st.query = pop(st.queries, id) ?? popAny(st.queries) ?? null;
      } else if (st.queries !== null) tx = pop(st.queries, id);
      if (tx === undefined) {
        tx = new Tx(flow, ts, id, !fromOrig);
        this.enqueue((st.replies ??= new Map()), id, tx);
      }
    }
    if (st.query === null && empty(st.queries) && empty(st.replies)) this.flows.delete(flow);
    return tx;
  }

  // Zeek's enqueue_new_msg: bounded queues per id and per flow.
  private enqueue(msgs: Pending<F>, id: number, tx: Tx<F>): void {
    let q = msgs.get(id);
    if (q === undefined) {
      if (msgs.size > this.opts.maxPendingIds) {
        this.weirds.add(W.unmatchedQuantity);
        for (const old of msgs.values()) this.sendUnmatched(old);
        msgs.clear();
      }
      q = [];
      msgs.set(id, q);
    } else if (q.length > this.opts.maxPendingPerId) {
      this.weirds.add(W.unmatchedQuantity);
      this.sendUnmatched(q);
      q = [];
      msgs.set(id, q);
    }
    q.push(tx);
  }

  // What one message adds to its transaction (Zeek's dns_message, dns_request, dns_rejected, do_reply).
  private fill(tx: Tx<F>, ts: number, isQuery: boolean, msg: DnsMessage): void {
    if (!isQuery) {
      tx.rcode = msg.rcode;
      tx.rcode_name = rcodeName(msg.rcode);
      if (msg.rcode !== 0 && msg.qdcount === 0) tx.rejected = true;
    }
    tx.opcode = msg.opcode;
    tx.opcode_name = opcodeName(msg.opcode);
    const qs = msg.questions;
    for (let i = 0; i < msg.questionCount; i++) {
      const q = qs[i];
      if (isQuery) {
        tx.rd = msg.rd;
        tx.tc = msg.tc;
        tx.z = msg.z;
        tx.qclass = q.qclass;
        tx.qclass_name = qclassName(q.qclass);
        tx.qtype = q.qtype;
        tx.qtype_name = qtypeName(q.qtype);
        tx.query = this.opts.lowercaseQuery ? q.name.toLowerCase() : q.name;
      } else if (msg.ancount === 0 && msg.nscount === 0 && msg.arcount === 0) tx.rejected = true;
    }
    if (isQuery) return;
    const all = this.opts.allAnswerTypes;
    const an = msg.answers;
    for (let i = 0; i < msg.answerCount; i++) {
      const rec = an[i];
      if (!rec.zeekReply && !(all && rec.text !== '')) continue;
      if (tx.query === null) tx.query = this.opts.lowercaseQuery ? rec.name.toLowerCase() : rec.name;
      tx.aa = msg.aa;
      tx.ra = msg.ra;
      if (tx.rtt === null && ts !== tx.ts) tx.rtt = (ts - tx.ts) / 1e6;
      if (rec.text !== '') {
        (tx.answers ??= []).push(rec.text);
        (tx.ttls ??= []).push(rec.ttl);
      }
    }
  }

  private finalize(st: FlowState<F>): void {
    if (st.query !== null) this.sendUnmatched([st.query]);
    if (st.queries !== null) for (const q of st.queries.values()) this.sendUnmatched(q);
    if (st.replies !== null) for (const q of st.replies.values()) this.sendUnmatched(q);
    st.query = null;
    st.queries = st.replies = null;
  }

  private evictOldest(): void {
    for (const st of this.flows.values()) {
      this.weirds.add(W.stateEvicted);
      this.flows.delete(st.flow);
      this.finalize(st);
      return;
    }
  }

  private sendUnmatched(q: Tx<F>[]): void {
    for (const tx of q) {
      this.weirds.add(tx.saw_query ? W.unmatchedMsg : W.unmatchedReply);
      this.send(tx);
    }
  }

  private send(tx: Tx<F>): void {
    this.emitted++;
    this.emit(tx);
  }
}

function pop<F>(msgs: Pending<F>, id: number): Tx<F> | undefined {
  const q = msgs.get(id);
  if (q === undefined) return undefined;
  const tx = q.shift();
  if (q.length === 0) msgs.delete(id);
  return tx;
}

function popAny<F>(msgs: Pending<F>): Tx<F> | undefined {
  for (const id of msgs.keys()) return pop(msgs, id);
  return undefined;
}

function empty<F>(m: Pending<F> | null): boolean {
  return m === null || m.size === 0;
}
