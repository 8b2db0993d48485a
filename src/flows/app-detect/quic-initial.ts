/**
 * Reads the TLS ClientHello inside a client's QUIC Initial packets. Initial packets are protected
 * with keys anyone can derive from the Destination Connection ID of the client's first Initial
 * (RFC 9001 §5.2; RFC 9369 §3.3 for QUIC v2), so a passive observer can remove header protection,
 * decrypt with AES-128-GCM, and reassemble the CRYPTO frames, which may be out of order and spread
 * over several Initial packets, into the ClientHello that carries the SNI and ALPN.
 */
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import type { AppFlowState } from './app-flow-state.js';
import { u24, u32 } from './bytes.js';
import { parseClientHello } from './tls-hello.js';

/** QUIC version 1 (RFC 9000). */
export const QUIC_V1 = 0x00000001;
/** QUIC version 2 (RFC 9369). */
export const QUIC_V2 = 0x6b3343cf;

const SALT_V1 = Buffer.from('38762cf7f55934b34d179ae6a4c80cadccbb7f0a', 'hex');
const SALT_V2 = Buffer.from('0dede3def700a6db819381be6e269dcbf9bd2ed9', 'hex');
const SALT_DRAFT29 = Buffer.from('afbfec289993d24c9e9786f19c6111e04390a899', 'hex');
/** Most CRYPTO stream bytes kept; real ClientHellos are 300 bytes to a few kilobytes. */
const MAX_CRYPTO = 16384;
const TAG = 16;
const SAMPLE = 16;

const FRAME_PADDING = 0x00;
const FRAME_PING = 0x01;
const FRAME_ACK = 0x02;
const FRAME_ACK_ECN = 0x03;
const FRAME_CRYPTO = 0x06;

/** True when `version` is one whose Initial packets this module can decrypt. */
export function hasInitialKeys(version: number): boolean {
  return version === QUIC_V1 || version === QUIC_V2 || (version >= 0xff00001d && version <= 0xff000022);
}

/** The long-header packet type bits that mean Initial: 0 in v1 and the drafts, 1 in v2. */
export function isInitialType(b0: number, version: number): boolean {
  return ((b0 >> 4) & 3) === (version === QUIC_V2 ? 1 : 0);
}

/** HKDF-Expand-Label of TLS 1.3 with an empty context, for outputs of at most one SHA-256 block. */
function expandLabel(secret: Buffer, label: string, length: number): Buffer {
  const full = 'tls13 ' + label;
  const info = Buffer.alloc(2 + 1 + full.length + 1 + 1);
  info.writeUInt16BE(length, 0);
  info[2] = full.length;
  info.write(full, 3, 'latin1');
  info[3 + full.length] = 0; // context length
  info[4 + full.length] = 1; // HKDF-Expand block counter T(1)
  return createHmac('sha256', secret).update(info).digest().subarray(0, length);
}

/** Per-connection state: the client's Initial keys and the CRYPTO stream gathered so far. */
export class QuicInitialState {
  readonly key: Buffer;
  readonly iv: Buffer;
  readonly hp: Buffer;
  readonly version: number;
  crypto: Uint8Array | null = null;
  /** Received CRYPTO ranges as [start, end) pairs, sorted and merged. */
  ranges: number[] = [];

  constructor(version: number, dcid: Uint8Array) {
    const salt = version === QUIC_V1 ? SALT_V1 : version === QUIC_V2 ? SALT_V2 : SALT_DRAFT29;
    const initial = createHmac('sha256', salt).update(dcid).digest(); // HKDF-Extract
    const client = expandLabel(initial, 'client in', 32);
    const prefix = version === QUIC_V2 ? 'quicv2 ' : 'quic ';
    this.version = version;
    this.key = expandLabel(client, prefix + 'key', 16);
    this.iv = expandLabel(client, prefix + 'iv', 12);
    this.hp = expandLabel(client, prefix + 'hp', 16);
  }

  /** Adds CRYPTO bytes at a stream offset (beyond MAX_CRYPTO they are dropped). */
  add(b: Uint8Array, p: number, len: number, at: number): void {
    const end = Math.min(at + len, MAX_CRYPTO);
    if (at >= end) return;
    const buf = (this.crypto ??= new Uint8Array(MAX_CRYPTO));
    buf.set(b.subarray(p, p + (end - at)), at);
    const r = this.ranges;
    r.push(at, end);
    const pairs: [number, number][] = [];
    for (let i = 0; i < r.length; i += 2) pairs.push([r[i], r[i + 1]]);
    pairs.sort((x, y) => x[0] - y[0]);
    r.length = 0;
    for (const [s, e] of pairs) {
      if (r.length > 0 && s <= r[r.length - 1]) r[r.length - 1] = Math.max(r[r.length - 1], e);
      else r.push(s, e);
    }
  }

  /** How many bytes from stream offset 0 are contiguous. */
  contiguous(): number {
    return this.ranges.length > 0 && this.ranges[0] === 0 ? this.ranges[1] : 0;
  }
}

/** Reads a variable-length integer at p; returns [value, next offset], or null when it does not fit. */
function varint(b: Uint8Array, p: number, end: number): [number, number] | null {
  if (p >= end) return null;
  const n = 1 << (b[p] >> 6);
  if (end - p < n) return null;
  let v = b[p] & 0x3f;
  for (let i = 1; i < n; i++) v = v * 256 + b[p + i];
  return [v, p + n];
}

/**
 * Decrypts the Initial packet starting the datagram b[off..end) with the flow's keys; returns its
 * plaintext, or null when it is not a whole Initial packet of this version or fails authentication.
 */
function decrypt(q: QuicInitialState, b: Uint8Array, off: number, end: number): Uint8Array | null {
  if (end - off < 7 || u32(b, off + 1) !== q.version || !isInitialType(b[off], q.version)) return null;
  let p = off + 6 + b[off + 5]; // DCID
  if (p >= end) return null;
  p += 1 + b[p]; // SCID
  const token = varint(b, p, end);
  if (token === null) return null;
  p = token[1] + token[0];
  const length = varint(b, p, end);
  if (length === null) return null;
  const pnOffset = length[1];
  const pktEnd = pnOffset + length[0];
  if (pktEnd > end || pnOffset + 4 + SAMPLE > pktEnd) return null;

  const mask = createCipheriv('aes-128-ecb', q.hp, null).update(b.subarray(pnOffset + 4, pnOffset + 4 + SAMPLE));
  const first = b[off] ^ (mask[0] & 0x0f);
  const pnLen = (first & 3) + 1;
  if (pktEnd - pnOffset < pnLen + TAG) return null;
  const header = Buffer.from(b.subarray(off, pnOffset + pnLen));
  header[0] = first;
  const nonce = Buffer.from(q.iv);
  for (let i = 0; i < pnLen; i++) {
    const pnByte = b[pnOffset + i] ^ mask[1 + i];
    header[pnOffset - off + i] = pnByte;
    nonce[12 - pnLen + i] ^= pnByte;
  }
  try {
    const d = createDecipheriv('aes-128-gcm', q.key, nonce);
    d.setAAD(header);
    d.setAuthTag(b.subarray(pktEnd - TAG, pktEnd));
    const head = d.update(b.subarray(pnOffset + pnLen, pktEnd - TAG));
    const tail = d.final();
    return tail.length === 0 ? head : Buffer.concat([head, tail]);
  } catch {
    return null; // authentication failed: not the client's Initial, or damaged
  }
}

/** Collects the CRYPTO frames of a decrypted Initial payload; false on a frame it cannot skip. */
function gatherCrypto(q: QuicInitialState, f: Uint8Array): boolean {
  let p = 0;
  while (p < f.length) {
    const type = f[p];
    if (type === FRAME_PADDING || type === FRAME_PING) {
      p++;
    } else if (type === FRAME_CRYPTO) {
      const at = varint(f, p + 1, f.length);
      const len = at && varint(f, at[1], f.length);
      if (!at || !len || len[1] + len[0] > f.length) return false;
      q.add(f, len[1], len[0], at[0]);
      p = len[1] + len[0];
    } else if (type === FRAME_ACK || type === FRAME_ACK_ECN) {
      // largest, delay, range count, first range, then count (gap, length) pairs, then 3 ECN counts
      let v = varint(f, p + 1, f.length);
      for (let i = 0; v && i < 2; i++) v = varint(f, v[1], f.length);
      if (!v) return false;
      let fields = 1 + 2 * v[0] + (type === FRAME_ACK_ECN ? 3 : 0);
      for (v = varint(f, v[1], f.length); v && --fields > 0; ) v = varint(f, v[1], f.length);
      if (!v) return false;
      p = v[1];
    } else {
      return false;
    }
  }
  return true;
}

/**
 * Feeds one client datagram; sets sni and alpn once the ClientHello is whole. Returns true when
 * done (read, or it never will be), false while the ClientHello is still incomplete.
 */
export function readClientInitial(st: AppFlowState, b: Uint8Array, off: number, end: number, version: number): boolean {
  if (!hasInitialKeys(version) || end - off < 7) return true;
  if (!isInitialType(b[off], version)) return true; // past the Initials: the ClientHello was all sent
  let q = st.aux instanceof QuicInitialState ? st.aux : null;
  if (q === null) {
    const dcil = b[off + 5];
    if (dcil > 20 || end - off < 6 + dcil) return true;
    q = new QuicInitialState(version, b.subarray(off + 6, off + 6 + dcil));
    st.aux = q;
  }
  const plain = decrypt(q, b, off, end);
  if (plain === null) return true;
  gatherCrypto(q, plain);
  const have = q.contiguous();
  if (have < 4 || q.crypto === null) return false;
  const total = 4 + u24(q.crypto, 1);
  if (total > MAX_CRYPTO) return true;
  if (have < total) return false;
  parseClientHello(st, q.crypto, 0, total);
  return true;
}
