/**
 * Flow tuples of Azure flow logs, one comma-separated string per flow event:
 *
 *   NSG version 1: ts(s),src,dst,sport,dport,proto(T/U),direction(I/O),decision(A/D)
 *   NSG version 2: ... ,state(B/C/E),packets s->d,bytes s->d,packets d->s,bytes d->s (counters empty in B)
 *   VNet (v4):     ts(ms),src,dst,sport,dport,proto(IANA number),direction(I/O),state(B/C/E/D),
 *                  encryption(X, NX, NX_HW_NOT_SUPPORTED, ...),packets s->d,bytes s->d,packets d->s,bytes d->s
 *
 * A tuple is one event of a connection seen at a NIC: B when it begins, C every few minutes while it
 * continues, E when it ends (VNet: D when denied). So one connection gives several rows, told apart by
 * extra.flow_state; the counters of C and E rows are what the tuple reports.
 */
import { PROTO_TEXT } from './cloud-columns.js';

/** One parsed tuple; counters are -1 when not given. */
export interface FlowTuple {
  tsMicros: number;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  proto: string;
  inbound: boolean;
  allowed: boolean;
  /** 'begin' | 'continuing' | 'end' | 'deny', or null for version 1 tuples. */
  state: string | null;
  encryption: string | null;
  pktsOut: number;
  bytesOut: number;
  pktsIn: number;
  bytesIn: number;
}

const STATE: Record<string, string> = { B: 'begin', C: 'continuing', E: 'end', D: 'deny' };
const NSG_PROTO: Record<string, string> = { T: 'tcp', U: 'udp' };
const DIGITS = /^\d+$/;
const IP = /^[0-9a-fA-F.:]{2,45}$/;

function port(s: string): number {
  if (!DIGITS.test(s)) return -1;
  const v = Number(s);
  return v <= 65535 ? v : -1;
}

/** A counter: -1 when empty (begin tuples), -2 when not a number. */
function counter(s: string | undefined): number {
  if (s === undefined || s === '') return -1;
  return DIGITS.test(s) ? Number(s) : -2;
}

/** Parses a tuple into `t`; returns false when it is malformed. */
export function parseTuple(text: string, vnet: boolean, t: FlowTuple): boolean {
  const f = text.split(',');
  const n = f.length;
  if (vnet ? n !== 13 : n !== 8 && n !== 13) return false;
  if (!DIGITS.test(f[0])) return false;
  const ts = Number(f[0]);
  t.tsMicros = vnet ? ts * 1000 : ts * 1e6;
  if (!IP.test(f[1]) || !IP.test(f[2])) return false;
  t.src = f[1];
  t.dst = f[2];
  t.sport = port(f[3]);
  t.dport = port(f[4]);
  if (t.sport < 0 || t.dport < 0) return false;
  if (vnet) {
    const p = DIGITS.test(f[5]) ? Number(f[5]) : 256;
    if (p > 255) return false;
    t.proto = PROTO_TEXT[p];
  } else {
    const p = NSG_PROTO[f[5]];
    if (p === undefined) return false;
    t.proto = p;
  }
  if (f[6] !== 'I' && f[6] !== 'O') return false;
  t.inbound = f[6] === 'I';
  let stateAt: number;
  if (vnet) {
    stateAt = 7;
    t.encryption = f[8] === '' ? null : f[8];
  } else {
    if (f[7] !== 'A' && f[7] !== 'D') return false;
    t.allowed = f[7] === 'A';
    t.encryption = null;
    stateAt = 8;
  }
  t.state = null;
  t.pktsOut = t.bytesOut = t.pktsIn = t.bytesIn = -1;
  if (n === 13) {
    const s = STATE[f[stateAt]];
    if (s === undefined || (s === 'deny' && !vnet)) return false;
    t.state = s;
    if (vnet) t.allowed = s !== 'deny';
    t.pktsOut = counter(f[9]);
    t.bytesOut = counter(f[10]);
    t.pktsIn = counter(f[11]);
    t.bytesIn = counter(f[12]);
    if (t.pktsOut === -2 || t.bytesOut === -2 || t.pktsIn === -2 || t.bytesIn === -2) return false;
  }
  return true;
}

/** A tuple object to parse into, reused across tuples. */
export function emptyTuple(): FlowTuple {
  return { tsMicros: 0, src: '', dst: '', sport: 0, dport: 0, proto: '', inbound: false, allowed: false, state: null, encryption: null, pktsOut: -1, bytesOut: -1, pktsIn: -1, bytesIn: -1 };
}
