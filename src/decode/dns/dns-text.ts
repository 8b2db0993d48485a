/**
 * Text helpers for rendering record data the way Zeek's logs show it: addresses as Zeek prints them
 * (IPv4-mapped IPv6 as plain IPv4, zero runs compressed like inet_ntop), byte strings in latin-1 with
 * non-printable bytes escaped as `\xHH`, and binary fields in lowercase hex.
 */

const HEX = '0123456789abcdef';
const SCRATCH = Buffer.alloc(65536 * 4);

interface Latin1Sliceable {
  latin1Slice(start: number, end: number): string;
}

/**
 * Latin-1 text of buf[0, n). Calls Buffer's own latin1Slice when present (what toString('latin1')
 * ends in, minus its argument handling, which costs as much as the copy for names this short).
 */
export const latin1: (buf: Buffer, n: number) => string =
  typeof (Buffer.prototype as unknown as Partial<Latin1Sliceable>).latin1Slice === 'function'
    ? (buf, n) => (buf as unknown as Latin1Sliceable).latin1Slice(0, n)
    : (buf, n) => buf.toString('latin1', 0, n);

// Recently made strings, found again by their bytes: names, addresses and other short texts repeat
// across messages, and finding one here costs less than making it (a call into Buffer's C++ side)
// and leaves nothing for the garbage collector. Direct-mapped: a new text replaces the one in its slot.
const INTERN_SLOTS = 8192;
const INTERN_MAX = 64;
const iHash = new Int32Array(INTERN_SLOTS);
const iLen = new Int32Array(INTERN_SLOTS);
const iStr: string[] = new Array<string>(INTERN_SLOTS).fill('');
const iBytes = new Uint8Array(INTERN_SLOTS * INTERN_MAX);

/** Latin-1 text of src[0, n), shared with earlier calls that had the same bytes. */
export function internText(src: Buffer, n: number): string {
  let h = 0;
  for (let i = 0; i < n; i++) h = (Math.imul(h, 31) + src[i]) | 0;
  return internHashed(src, n, h);
}

// internText() given the rolling hash of the bytes (h = h * 31 + byte, from 0).
function internHashed(src: Buffer, n: number, h: number): string {
  if (n > INTERN_MAX || n <= 0) return n <= 0 ? '' : latin1(src, n);
  h = (h ^ n) | 0;
  const slot = (h ^ (h >>> 13)) & (INTERN_SLOTS - 1);
  const base = slot * INTERN_MAX;
  if (iHash[slot] === h && iLen[slot] === n) {
    let i = 0;
    while (i < n && iBytes[base + i] === src[i]) i++;
    if (i === n) return iStr[slot];
  }
  const s = latin1(src, n);
  iHash[slot] = h;
  iLen[slot] = n;
  iStr[slot] = s;
  for (let i = 0; i < n; i++) iBytes[base + i] = src[i];
  return s;
}

function putDecimal(n: number, v: number): number {
  if (v >= 100) {
    SCRATCH[n++] = 48 + ((v / 100) | 0);
    SCRATCH[n++] = 48 + (((v / 10) | 0) % 10);
  } else if (v >= 10) SCRATCH[n++] = 48 + ((v / 10) | 0);
  SCRATCH[n++] = 48 + (v % 10);
  return n;
}

/** Dotted-quad text of the 4 bytes at `p`. */
export function ipv4Text(buf: Uint8Array, p: number): string {
  let n = putDecimal(0, buf[p]);
  SCRATCH[n++] = 46;
  n = putDecimal(n, buf[p + 1]);
  SCRATCH[n++] = 46;
  n = putDecimal(n, buf[p + 2]);
  SCRATCH[n++] = 46;
  n = putDecimal(n, buf[p + 3]);
  return internText(SCRATCH, n);
}

/**
 * Text of the 16-byte IPv6 address at `p`, as Zeek prints it: an IPv4-mapped address (::ffff:a.b.c.d)
 * becomes `a.b.c.d` (Zeek stores IPv4 that way), otherwise RFC 5952 form with glibc's rendering of
 * IPv4-compatible addresses (`::a.b.c.d`).
 */
export function ipv6Text(buf: Uint8Array, p: number): string {
  let bestStart = -1;
  let bestLen = 0;
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    const w = (buf[p + 2 * i] << 8) | buf[p + 2 * i + 1];
    if (w === 0) {
      if (runStart < 0) runStart = i;
      if (i - runStart + 1 > bestLen) {
        bestLen = i - runStart + 1;
        bestStart = runStart;
      }
    } else runStart = -1;
  }
  if (bestLen < 2) bestStart = -1;
  const w5 = (buf[p + 10] << 8) | buf[p + 11];
  if (bestStart === 0 && bestLen === 5 && w5 === 0xffff) return ipv4Text(buf, p + 12);
  // glibc prints an IPv4-compatible address (::a.b.c.d) with a dotted tail.
  if (bestStart === 0 && bestLen === 6) return '::' + ipv4Text(buf, p + 12);
  let n = 0;
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      if (i === 0) SCRATCH[n++] = 58;
      SCRATCH[n++] = 58;
      i += bestLen - 1;
      continue;
    }
    const w = (buf[p + 2 * i] << 8) | buf[p + 2 * i + 1];
    let started = false;
    for (let shift = 12; shift >= 0; shift -= 4) {
      const d = (w >> shift) & 15;
      if (d !== 0 || started || shift === 0) {
        SCRATCH[n++] = HEX.charCodeAt(d);
        started = true;
      }
    }
    if (i < 7) SCRATCH[n++] = 58;
  }
  return internText(SCRATCH, n);
}

/** Bytes [start, end) as latin-1 text with bytes outside printable ASCII escaped as `\xHH`. */
export function escapedText(buf: Uint8Array, start: number, end: number): string {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c >= 0x20 && c < 0x7f) SCRATCH[n++] = c;
    else {
      SCRATCH[n++] = 0x5c;
      SCRATCH[n++] = 0x78;
      SCRATCH[n++] = HEX.charCodeAt(c >> 4);
      SCRATCH[n++] = HEX.charCodeAt(c & 15);
    }
  }
  return internText(SCRATCH, n);
}

/** Bytes [start, end) as lowercase hex. */
export function hexText(buf: Uint8Array, start: number, end: number): string {
  let n = 0;
  for (let i = start; i < end; i++) {
    SCRATCH[n++] = HEX.charCodeAt(buf[i] >> 4);
    SCRATCH[n++] = HEX.charCodeAt(buf[i] & 15);
  }
  return latin1(SCRATCH, n);
}
