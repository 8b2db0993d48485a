/**
 * DNS (and mDNS, LLMNR, NetBIOS name service, which Zeek's DNS analyzer also takes) on any port, told
 * by structure: a sane header (known opcode, Z bit clear, plausible counts) and a first question, or
 * first answer when there is none, that parses: labels of 1..63 bytes without control characters, no
 * compression pointer (nothing precedes it to point at), a name of at most 255 bytes, a known class.
 * A bare query must also end right after its question. Over TCP the message follows a 2-byte length.
 * No attributes: the DNS decoder logs the transactions.
 */
import type { AppFlowState } from './app-flow-state.js';
import { type AppProtocol, type ProbeContext, Transport, Verdict } from './app-protocol.js';
import { u16 } from './bytes.js';

const HEADER = 12;
const MAX_COUNT = 512;

/** The offset after the name at p, -1 when it is not a plausible first name, -2 when the bytes end in it. */
function firstName(b: Uint8Array, p: number, end: number): number {
  const start = p;
  for (;;) {
    if (p >= end) return -2;
    const n = b[p];
    if (n === 0) return p + 1;
    if (n > 63) return -1; // a pointer, or a reserved label type
    if (p + 1 + n - start > 254) return -1;
    for (let i = p + 1; i <= p + n; i++) {
      if (i >= end) return -2;
      if (b[i] < 0x20 || b[i] === 0x7f) return -1;
    }
    p += 1 + n;
  }
}

/** IN, CH, HS, NONE, ANY; mDNS sets the top bit (unicast response / cache flush). */
function knownClass(c: number): boolean {
  c &= 0x7fff;
  return c === 1 || c === 3 || c === 4 || c === 254 || c === 255;
}

/**
 * Checks a DNS message at b[off..end); `complete` says the message ends at `end` (a UDP datagram, or
 * a TCP message whose length prefix is satisfied).
 */
export function dnsMessage(b: Uint8Array, off: number, end: number, complete: boolean): Verdict {
  const more = complete ? Verdict.No : Verdict.Maybe;
  if (end - off < HEADER) return more;
  const flags = u16(b, off + 2);
  const qr = flags & 0x8000;
  const opcode = (flags >> 11) & 0xf;
  if (opcode === 3 || opcode > 5 || flags & 0x0040) return Verdict.No;
  if (!qr && (flags & 0x000f) !== 0) return Verdict.No; // a query has no rcode
  const qd = u16(b, off + 4);
  const an = u16(b, off + 6);
  const ns = u16(b, off + 8);
  const ar = u16(b, off + 10);
  if (qd > 32 || an > MAX_COUNT || ns > MAX_COUNT || ar > MAX_COUNT) return Verdict.No;
  if (qd === 0 && an === 0) return Verdict.No; // nothing here can be checked
  let p = firstName(b, off + HEADER, end);
  if (p === -1) return Verdict.No;
  const fixed = qd > 0 ? 4 : 10; // type, class (and ttl, rdlength for a record)
  if (p === -2 || end - p < fixed) return more;
  if (u16(b, p) === 0 || !knownClass(u16(b, p + 2))) return Verdict.No;
  if (qd === 0) {
    const rdEnd = p + 10 + u16(b, p + 8);
    if (complete && rdEnd > end) return Verdict.No;
  }
  p += fixed;
  if (complete && !qr && qd === 1 && an + ns + ar === 0 && p !== end) return Verdict.No;
  return Verdict.Yes;
}

/** DNS over UDP and TCP. */
export const dns: AppProtocol = {
  service: 'dns',
  transports: Transport.Both,
  probe(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): Verdict {
    let v: Verdict;
    if (!ctx.tcp) {
      v = dnsMessage(b, off, off + len, true);
    } else {
      if (len < 2) return Verdict.Maybe;
      const msgLen = u16(b, off);
      if (msgLen < HEADER) return Verdict.No;
      const end = Math.min(off + len, off + 2 + msgLen);
      v = dnsMessage(b, off + 2, end, off + len >= off + 2 + msgLen);
    }
    if (v === Verdict.Yes) st.decide(dns, 0);
    return v;
  },
};
