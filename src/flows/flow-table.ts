/**
 * The flow table: turns decoded packets into connection summaries exactly as Zeek's conn.log would.
 *
 * Connections are found through a packed open-addressing hash index (flow-index.ts); their state is a
 * fixed-size record in FlowState (flow-state.ts), indexed by a slot that stays the same for the
 * connection's life: the FlowHandle callers use to attach their own per-connection state. TCP state
 * follows Zeek's TCP analyzer (tcp-tracker.ts, tcp-gaps.ts); records are built as Zeek's conn.log
 * script would (connection-builder.ts). The per-packet path allocates nothing: ConnectionRecord
 * objects are built only when emitted.
 *
 * Time is capture time. A packet for a connection whose deadline has passed ends it and starts a new
 * one, as Zeek's timers fire before the packet is processed; the table also expires due connections
 * when a packet's time reaches the next queued deadline (timer-lists.ts), advance() does the same
 * without a packet, and flush() ends everything at the end of input.
 */
import { type PacketInfo, TunnelKind } from '../decode/packet/packet-info.js';
import { communityIdOfAddrs } from '../model/community-id.js';
import { buildRecord, type RecordContext } from './connection-builder.js';
import type { ConnectionEndReason, ConnectionRecord } from './connection-record.js';
import { type FlowTableOptions, type ResolvedFlowTableOptions, resolveFlowTableOptions } from './flow-config.js';
import { FlowIndex } from './flow-index.js';
import { KeyBuilder } from './flow-key.js';
import {
  B_KIND,
  B_LIST,
  B_ORIG_SIDE,
  B_PROTO,
  B_TUNNEL,
  EB_STATE,
  EF_DATA,
  EF_IP_BYTES,
  EF_PKTS,
  endpoint,
  F_DEADLINE,
  F_LAST_TS,
  F_NEXT_INTERIM,
  F_QUEUED,
  F_SERIAL,
  F_START_TS,
  FF,
  FlowKind,
  FlowState,
  H_FLAGS,
  H_INNER_VLAN,
  H_VLAN,
  I_HASH,
  I_KEY,
  I_NEXT,
  S2,
  S4,
  S8,
  STRIDE,
  Tcp,
} from './flow-state.js';
import { addHistory, checkHistory } from './history.js';
import { portBitmap } from './likely-server-ports.js';
import { TcpTracker } from './tcp-tracker.js';
import { TimerList, TimerLists, TIMER_LISTS } from './timer-lists.js';
import { connectionUid } from './uid.js';

/** A connection's slot index: small, stable for the connection's life, reused after it ends. */
export type FlowHandle = number;

/** Receives every emitted record; `handle` is the connection's slot, free for reuse once this returns. */
export type ConnectionSink = (c: ConnectionRecord, handle: FlowHandle) => void;

/** Counters of a flow table's work. */
export interface FlowTableStats {
  packets: number;
  /** Packets that are not IP, or TCP/UDP/ICMP without a complete header (Zeek makes no connection). */
  ignored: number;
  created: number;
  emitted: number;
  interim: number;
  timedOut: number;
  closed: number;
  evicted: number;
  reused: number;
}

export type { FlowTableOptions } from './flow-config.js';

const CH_FLIP = 94; // '^'
const CH_D = 68;

/** Tracks connections from packets and emits ConnectionRecords. */
export class FlowTable {
  /** Direction of the last packet given to packet(): true when it went originator to responder. */
  lastFromOrig = false;
  /** True when the last packet() call started a new connection (a reused handle's old state is stale). */
  lastIsNew = false;
  /**
   * When above 0, the serial number (and so the uid) of the connection the next packet() call
   * creates, if it creates one; reset by that call. Lets a caller number connections by packet, so
   * that tables sharing one input between them give the uids a single table would.
   */
  nextSerial = 0;
  readonly stats: FlowTableStats = {
    packets: 0,
    ignored: 0,
    created: 0,
    emitted: 0,
    interim: 0,
    timedOut: 0,
    closed: 0,
    evicted: 0,
    reused: 0,
  };
  private readonly opts: ResolvedFlowTableOptions;
  private readonly st: FlowState;
  private readonly index: FlowIndex;
  /** Connections the hash index is sized for (it doubles up to maxFlows). */
  private indexCapacity: number;
  private count = 0;
  private used = 0;
  private freeHead = -1;
  private serials = 0;
  private nextExpiry = Infinity;
  private readonly kb: KeyBuilder;
  private readonly tcp: TcpTracker;
  private readonly timers: TimerLists;
  private readonly serverTcp: Uint8Array;
  private readonly serverUdp: Uint8Array;
  private readonly timeouts: Float64Array;
  private services: (string | null)[] = [];
  private uids: (string | undefined)[] = [];
  private readonly ctx: RecordContext;
  private readonly cidA = new Uint8Array(16);
  private readonly cidB = new Uint8Array(16);

  constructor(
    opts: FlowTableOptions,
    private readonly onConnection: ConnectionSink,
  ) {
    const o = resolveFlowTableOptions(opts);
    this.opts = o;
    this.st = new FlowState(o.maxFlows);
    this.indexCapacity = Math.min(o.maxFlows, Math.max(1, o.initialCapacity));
    this.index = new FlowIndex(this.indexCapacity);
    this.kb = new KeyBuilder(o.vlanInKey, o.tunnelInKey);
    this.tcp = new TcpTracker(this.st, o.tcpCloseDelay, o.tcpResetDelay, o.tcpAttemptDelay);
    this.timers = new TimerLists(this.st);
    this.serverTcp = portBitmap(o.likelyServerPortsTcp);
    this.serverUdp = portBitmap(o.likelyServerPortsUdp);
    const tt = new Float64Array(TIMER_LISTS);
    tt[TimerList.TcpHandshake] = o.udpInactivityTimeout;
    tt[TimerList.Tcp] = o.tcpInactivityTimeout;
    tt[TimerList.Udp] = o.udpInactivityTimeout;
    tt[TimerList.Icmp] = o.icmpInactivityTimeout;
    tt[TimerList.Other] = o.unknownIpInactivityTimeout;
    for (let i = 0; i < TIMER_LISTS; i++) if (tt[i] === 0) tt[i] = Infinity;
    this.timeouts = tt;
    this.ctx = { uid: (s) => this.uid(s), service: (s) => this.services[s] ?? null };
  }

  /** Number of connections currently tracked. */
  get size(): number {
    return this.count;
  }

  /**
   * Accounts one decoded packet; returns the connection's handle, or -1 when the packet makes no
   * connection (not IP, or a TCP/UDP/ICMP header that did not fully decode). After the call,
   * `lastFromOrig` and `lastIsNew` describe this packet.
   */
  packet(p: PacketInfo): FlowHandle | -1 {
    const t = p.tsMicros;
    this.stats.packets++;
    if (t >= this.nextExpiry) this.advance(t);
    const v = p.ipVersion;
    const proto = p.ipProto;
    let kind: FlowKind;
    if (proto === 6) kind = FlowKind.Tcp;
    else if (proto === 17) kind = FlowKind.Udp;
    else if (proto === 1 || proto === 58) kind = FlowKind.Icmp;
    else kind = FlowKind.Other;
    if ((v !== 4 && v !== 6) || (kind !== FlowKind.Other && !p.transportOk)) {
      this.stats.ignored++;
      return -1;
    }
    const kb = this.kb;
    kb.build(p, kind);
    const st = this.st;
    let slot = this.index.find(kb, st.i32);
    let isNew = false;
    if (slot >= 0) {
      if (st.f64[slot * S8 + F_DEADLINE] <= t) {
        this.finish(slot, this.expiryReason(slot));
        slot = -1;
      } else if (kind === FlowKind.Tcp && (p.tcpFlags & 2) !== 0 && this.tcp.isReuse(slot, p)) {
        this.stats.reused++;
        this.finish(slot, 'reused');
        slot = -1;
      }
    }
    if (slot < 0) {
      slot = this.create(p, kind, t);
      isNew = true;
    }
    const side = kb.srcIsA ? 0 : 1;
    const f64 = st.f64;
    const s8 = slot * S8;
    if (t >= f64[s8 + F_NEXT_INTERIM]) this.interim(slot, t);
    const e8 = endpoint(slot, side) >> 3;
    f64[e8 + EF_PKTS]++;
    f64[e8 + EF_IP_BYTES] += p.ipLen;
    switch (kind) {
      case FlowKind.Tcp:
        this.tcp.packet(slot, side, p, t);
        break;
      case FlowKind.Udp:
        f64[s8 + F_LAST_TS] = t;
        f64[e8 + EF_DATA] += p.payloadLen;
        if (side === st.u8[slot * STRIDE + B_ORIG_SIDE]) checkHistory(st, slot, 1, CH_D);
        else checkHistory(st, slot, 2, CH_D + 32);
        break;
      default:
        f64[s8 + F_LAST_TS] = t;
        f64[e8 + EF_DATA] += p.payloadLen;
    }
    this.schedule(slot, kind, t);
    this.nextSerial = 0;
    this.lastFromOrig = side === st.u8[slot * STRIDE + B_ORIG_SIDE];
    this.lastIsNew = isNew;
    return slot;
  }

  /**
   * Moves the table's clock to a packet it is not given (one another table owns), emitting what
   * expired by then, exactly as packet() would have: tables sharing an input stay in step.
   */
  clock(tsMicros: number): void {
    if (tsMicros >= this.nextExpiry) this.advance(tsMicros);
  }

  /** Emits every connection whose timeout has passed at capture time `tsMicros`. */
  advance(tsMicros: number): void {
    const tl = this.timers;
    const f64 = this.st.f64;
    for (let l = 0; l < TIMER_LISTS; l++) {
      let h: number;
      while ((h = tl.head[l]) >= 0 && f64[h * S8 + F_QUEUED] <= tsMicros) {
        // Deadlines of active connections move on without touching the lists: requeue those.
        if (f64[h * S8 + F_DEADLINE] <= tsMicros) this.finish(h, this.expiryReason(h));
        else tl.requeue(h);
      }
    }
    this.nextExpiry = tl.earliest();
  }

  /** End of input: emits every connection still open, oldest first. */
  flush(): void {
    const st = this.st;
    const slots: number[] = [];
    for (let s = 0; s < this.used; s++) if ((st.u16[s * S2 + H_FLAGS] & FF.InUse) !== 0) slots.push(s);
    const f64 = st.f64;
    slots.sort((a, b) => f64[a * S8 + F_START_TS] - f64[b * S8 + F_START_TS] || f64[a * S8 + F_SERIAL] - f64[b * S8 + F_SERIAL]);
    for (const s of slots) this.finish(s, 'end_of_input');
    this.nextExpiry = Infinity;
  }

  /** The connection's uid ('C' + base62), stable for its life. */
  uid(handle: FlowHandle): string {
    let u = this.uids[handle];
    if (u === undefined) {
      u = connectionUid(this.opts.uidSeed, this.st.f64[handle * S8 + F_SERIAL]);
      this.uids[handle] = u;
    }
    return u;
  }

  /** Adds an application protocol to the connection's service (Zeek's service set, comma joined). */
  setService(handle: FlowHandle, name: string): void {
    const cur = this.services[handle];
    if (cur === null || cur === undefined || cur === '') this.services[handle] = name;
    else if (!cur.split(',').includes(name)) this.services[handle] = `${cur},${name}`;
  }

  /** The connection's service so far, or null. */
  service(handle: FlowHandle): string | null {
    return this.services[handle] ?? null;
  }

  /**
   * The connection's Community ID, hashed from the address bytes of its key (no address text parsed),
   * for TCP and UDP; null for other protocols and for IPv4-mapped IPv6 addresses, which records show
   * as IPv4 (the caller then computes it from the record's text). Valid until the handle is reused,
   * so also inside the ConnectionSink.
   */
  communityId(handle: FlowHandle): string | null {
    const st = this.st;
    const u8 = st.u8;
    const proto = u8[handle * STRIDE + B_PROTO];
    if (proto !== 6 && proto !== 17) return null;
    const k = handle * S4 + I_KEY;
    const v6 = (st.i32[k] & 0x100) !== 0;
    const a = (k + 3) * 4;
    const b = (k + 7) * 4;
    if (v6 && (v4Mapped(u8, a) || v4Mapped(u8, b))) return null;
    const n = v6 ? 16 : 4;
    const ca = this.cidA;
    const cb = this.cidB;
    for (let i = 0; i < n; i++) {
      ca[i] = u8[a + i];
      cb[i] = u8[b + i];
    }
    const ports = st.i32[k + 2];
    return communityIdOfAddrs(ca, cb, n, ports & 0xffff, ports >>> 16, proto);
  }

  /** The connection's serial number (1, 2, ...): tells a reused handle's new connection from the old. */
  serial(handle: FlowHandle): number {
    return this.st.f64[handle * S8 + F_SERIAL];
  }

  private create(p: PacketInfo, kind: FlowKind, t: number): number {
    if (this.count >= this.opts.maxFlows) this.evict();
    else if (this.count >= this.indexCapacity) {
      this.indexCapacity = Math.min(this.indexCapacity * 2, this.opts.maxFlows);
      this.index.resize(this.indexCapacity);
    }
    const st = this.st;
    let slot = this.freeHead;
    const reused = slot >= 0;
    if (reused) this.freeHead = st.i32[slot * S4 + I_NEXT];
    else slot = this.used++;
    st.clear(slot, kind === FlowKind.Tcp, reused);
    const kb = this.kb;
    const b = slot * STRIDE;
    kb.store(st.i32, slot * S4 + I_KEY);
    st.i32[slot * S4 + I_HASH] = kb.hash;
    st.u8[b + B_KIND] = kind;
    st.u8[b + B_PROTO] = p.ipProto;
    const srcSide = kb.srcIsA ? 0 : 1;
    const flip = this.wantFlip(p, kind);
    st.u8[b + B_ORIG_SIDE] = flip ? srcSide ^ 1 : srcSide;
    let flags = FF.InUse;
    if (p.tunnel !== TunnelKind.None) {
      st.u8[b + B_TUNNEL] = p.tunnel | (p.tunnelIpVersion === 6 ? 8 : 0);
      if (kb.tunnelSwap) flags |= FF.TunnelSwap;
    }
    st.u16[slot * S2 + H_FLAGS] = flags;
    if (flip) addHistory(st, slot, CH_FLIP);
    st.i16[slot * S2 + H_VLAN] = p.vlan;
    st.i16[slot * S2 + H_INNER_VLAN] = p.innerVlan;
    const s8 = slot * S8;
    st.f64[s8 + F_START_TS] = t;
    st.f64[s8 + F_LAST_TS] = t;
    st.f64[s8 + F_DEADLINE] = Infinity;
    st.f64[s8 + F_NEXT_INTERIM] = this.opts.interimInterval > 0 ? t + this.opts.interimInterval : Infinity;
    st.f64[s8 + F_SERIAL] = this.nextSerial > 0 ? this.nextSerial : ++this.serials;
    this.services[slot] = null;
    this.uids[slot] = undefined;
    this.index.insert(slot, kb.hash);
    this.count++;
    this.stats.created++;
    return slot;
  }

  /** Zeek's WantConnection role flip from likely_server_ports (never towards a broadcast address). */
  private wantFlip(p: PacketInfo, kind: FlowKind): boolean {
    const sp = p.srcPort;
    const dp = p.dstPort;
    let flip = false;
    if (kind === FlowKind.Tcp) {
      const fl = p.tcpFlags;
      if ((fl & 2) === 0 || (fl & 16) !== 0) {
        if (this.serverTcp[sp] === 1) {
          // Both plausible: flip only if not a SYN-ACK (stealth scans) and the source port is lower.
          flip = this.serverTcp[dp] === 1 ? (fl & 2) === 0 && sp < dp : true;
        }
      }
    } else if (kind === FlowKind.Udp) {
      flip = this.serverUdp[sp] === 1 && this.serverUdp[dp] === 0;
    }
    if (flip && p.ipVersion === 4 && p.dst[0] === 255 && p.dst[1] === 255 && p.dst[2] === 255 && p.dst[3] === 255) {
      flip = false;
    }
    return flip;
  }

  /** Puts the connection in the expiry list its state calls for and sets its deadline. */
  private schedule(slot: number, kind: FlowKind, t: number): void {
    const st = this.st;
    const tl = this.timers;
    const di = slot * S8 + F_DEADLINE;
    let l: number;
    if (kind === FlowKind.Tcp) {
      const f = st.u16[slot * S2 + H_FLAGS];
      if ((f & FF.Closing) !== 0) l = TimerList.Closing;
      else if ((f & FF.ResetTimer) !== 0) l = TimerList.Reset;
      else if ((f & FF.Attempt) !== 0 && this.inAttempt(slot)) l = TimerList.Attempt;
      else l = (f & FF.TcpTimeout) !== 0 ? TimerList.Tcp : TimerList.TcpHandshake;
    } else if (kind === FlowKind.Udp) l = TimerList.Udp;
    else if (kind === FlowKind.Icmp) l = TimerList.Icmp;
    else l = TimerList.Other;
    const cur = st.u8[slot * STRIDE + B_LIST];
    if (l <= TimerList.Reset) {
      // Fixed deadline: set once, on entering the list (Closing/Reset deadlines come from the tracker).
      if (cur === l) return;
      if (l === TimerList.Attempt) st.f64[di] = t + this.opts.tcpAttemptDelay;
    } else {
      // Inactivity: the deadline follows the last packet; the list position is fixed up lazily (advance).
      st.f64[di] = st.f64[slot * S8 + F_LAST_TS] + this.timeouts[l];
      if (cur === l) return;
    }
    tl.unlink(slot);
    tl.append(slot, l);
    if (st.f64[di] < this.nextExpiry) this.nextExpiry = st.f64[di];
  }

  /** Zeek's AttemptTimer condition: originator sent a SYN, responder said nothing. */
  private inAttempt(slot: number): boolean {
    const u8 = this.st.u8;
    const os = u8[slot * STRIDE + B_ORIG_SIDE];
    const o = u8[endpoint(slot, os) + EB_STATE];
    return (o === Tcp.SynSent || o === Tcp.SynAckSent) && u8[endpoint(slot, os ^ 1) + EB_STATE] === Tcp.Inactive;
  }

  private expiryReason(slot: number): ConnectionEndReason {
    const l = this.st.u8[slot * STRIDE + B_LIST];
    return l === TimerList.Closing || l === TimerList.Reset ? 'closed' : 'timeout';
  }

  private interim(slot: number, t: number): void {
    const st = this.st;
    this.stats.interim++;
    this.onConnection(buildRecord(st, slot, 'interim', this.ctx), slot);
    const step = this.opts.interimInterval;
    const i = slot * S8 + F_NEXT_INTERIM;
    let n = st.f64[i];
    while (n <= t) n += step;
    st.f64[i] = n;
  }

  /** Emits the connection and frees its slot. */
  private finish(slot: number, reason: ConnectionEndReason): void {
    const st = this.st;
    const rec = buildRecord(st, slot, reason, this.ctx);
    if (reason === 'timeout') this.stats.timedOut++;
    else if (reason === 'closed') this.stats.closed++;
    else if (reason === 'evicted') this.stats.evicted++;
    this.stats.emitted++;
    this.index.remove(slot, st.i32[slot * S4 + I_HASH]);
    this.timers.unlink(slot);
    st.u16[slot * S2 + H_FLAGS] = 0;
    st.f64[slot * S8 + F_DEADLINE] = Infinity;
    st.i32[slot * S4 + I_NEXT] = this.freeHead;
    this.freeHead = slot;
    this.count--;
    this.services[slot] = null;
    this.uids[slot] = undefined;
    this.onConnection(rec, slot);
  }

  /** Table full: emits the timer-list head with the earliest deadline (about the nearest to its timeout). */
  private evict(): void {
    const s = this.timers.earliestSlot();
    if (s >= 0) this.finish(s, 'evicted');
  }
}

/** True when the 16 bytes at `o` are an IPv4-mapped IPv6 address (::ffff:a.b.c.d). */
function v4Mapped(b: Uint8Array, o: number): boolean {
  for (let i = 0; i < 10; i++) if (b[o + i] !== 0) return false;
  return b[o + 10] === 0xff && b[o + 11] === 0xff;
}
