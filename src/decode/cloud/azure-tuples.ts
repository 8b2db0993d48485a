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
import { PROTO_TEXT, looksLikeIp, parseUint } from './cloud-columns.js';

/** One parsed tuple; counters are -1 when not given. */
export interface FlowTuple {
  tsMicros: number;
  /** The addresses as strings (parsed from a string) or as byte ranges of `addrBuf` (parsed from bytes). */
  src: string;
  dst: string;
  addrBuf: Uint8Array | null;
  srcStart: number;
  srcEnd: number;
  dstStart: number;
  dstEnd: number;
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
  t.addrBuf = null;
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
  return { tsMicros: 0, src: '', dst: '', addrBuf: null, srcStart: 0, srcEnd: 0, dstStart: 0, dstEnd: 0, sport: 0, dport: 0, proto: '', inbound: false, allowed: false, state: null, encryption: null, pktsOut: -1, bytesOut: -1, pktsIn: -1, bytesIn: -1 };
}

/** Encryption values VNet flow logs document, so the common ones need no new string per tuple. */
const ENCRYPTION = ['X', 'NX', 'NX_HW_NOT_SUPPORTED', 'NX_SW_NOT_READY', 'NX_NOT_ACCEPTED', 'NX_NOT_SUPPORTED', 'NX_LOCAL_DST', 'NX_FALLBACK'];
const STATE_BYTE: (string | undefined)[] = [];
for (const [k, v] of Object.entries(STATE)) STATE_BYTE[k.charCodeAt(0)] = v;

/** Start and end of each comma-separated field of the tuple being parsed. */
const fields = new Int32Array(26);

/** Decimal digits `b[s, e)` (1 to 15 of them, so the number is exact) as a number; -1 when they are not. */
function digits(b: Uint8Array, s: number, e: number): number {
  return e - s > 15 ? -1 : parseUint(b, s, e);
}

/** A one-byte field's byte, or -1 when the field is not one byte long. */
function oneByte(b: Uint8Array, k: number): number {
  return fields[2 * k + 1] - fields[2 * k] === 1 ? b[fields[2 * k]] : -1;
}

/**
 * Parses the tuple in the bytes `b[start, end)` (a JSON string's contents without escapes) into `t`,
 * with the addresses as byte ranges. Returns false when the bytes are not the plain form this reads
 * (the caller then parses the tuple as a string with `parseTuple`, which decides): whatever it accepts,
 * `parseTuple` accepts with the same result.
 */
export function parseTupleBytes(b: Uint8Array, start: number, end: number, vnet: boolean, t: FlowTuple): boolean {
  let n = 0;
  let s = start;
  for (let i = start; i <= end; i++) {
    if (i === end || b[i] === 0x2c) {
      if (n === 13) return false;
      fields[2 * n] = s;
      fields[2 * n + 1] = i;
      n++;
      s = i + 1;
    }
  }
  if (vnet ? n !== 13 : n !== 8 && n !== 13) return false;
  const ts = digits(b, fields[0], fields[1]);
  if (ts < 0) return false;
  t.tsMicros = vnet ? ts * 1000 : ts * 1e6;
  if (!looksLikeIp(b, fields[2], fields[3]) || !looksLikeIp(b, fields[4], fields[5])) return false;
  t.addrBuf = b;
  t.srcStart = fields[2];
  t.srcEnd = fields[3];
  t.dstStart = fields[4];
  t.dstEnd = fields[5];
  t.sport = digits(b, fields[6], fields[7]);
  t.dport = digits(b, fields[8], fields[9]);
  if (t.sport < 0 || t.sport > 65535 || t.dport < 0 || t.dport > 65535) return false;
  if (vnet) {
    const p = digits(b, fields[10], fields[11]);
    if (p < 0 || p > 255) return false;
    t.proto = PROTO_TEXT[p];
  } else {
    const p = oneByte(b, 5);
    if (p === 0x54) t.proto = 'tcp';
    else if (p === 0x55) t.proto = 'udp';
    else return false;
  }
  const dir = oneByte(b, 6);
  if (dir !== 0x49 && dir !== 0x4f) return false;
  t.inbound = dir === 0x49;
  let stateAt: number;
  if (vnet) {
    stateAt = 7;
    t.encryption = fields[17] === fields[16] ? null : encryption(b, fields[16], fields[17]);
  } else {
    const d = oneByte(b, 7);
    if (d !== 0x41 && d !== 0x44) return false;
    t.allowed = d === 0x41;
    t.encryption = null;
    stateAt = 8;
  }
  t.state = null;
  t.pktsOut = t.bytesOut = t.pktsIn = t.bytesIn = -1;
  if (n === 13) {
    const c = oneByte(b, stateAt);
    const st = c < 0 ? undefined : STATE_BYTE[c];
    if (st === undefined || (st === 'deny' && !vnet)) return false;
    t.state = st;
    if (vnet) t.allowed = st !== 'deny';
    t.pktsOut = counterBytes(b, 9);
    t.bytesOut = counterBytes(b, 10);
    t.pktsIn = counterBytes(b, 11);
    t.bytesIn = counterBytes(b, 12);
    if (t.pktsOut === -2 || t.bytesOut === -2 || t.pktsIn === -2 || t.bytesIn === -2) return false;
  }
  return true;
}

function counterBytes(b: Uint8Array, k: number): number {
  const s = fields[2 * k];
  const e = fields[2 * k + 1];
  if (e === s) return -1;
  const v = digits(b, s, e);
  return v < 0 ? -2 : v;
}

function encryption(b: Uint8Array, s: number, e: number): string {
  for (const name of ENCRYPTION) {
    if (name.length !== e - s) continue;
    let i = 0;
    while (i < name.length && b[s + i] === name.charCodeAt(i)) i++;
    if (i === name.length) return name;
  }
  return Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('utf8');
}
