/**
 * Fast IP address text to bytes. Written here rather than taken from ipaddr.js because it runs once
 * per record on the ingest hot path and must not allocate: it writes into a caller's buffer. Text is
 * parsed as ASCII codes; a string is copied into a scratch array of codes first.
 */

/**
 * Parses an IPv4 or IPv6 address into `out` at `off`; returns 4 or 16 (bytes written), or 0 when the
 * text is not an address. IPv6 zone ids (`%eth0`) are ignored; embedded IPv4 tails are accepted.
 */
export function parseIpInto(s: string, out: Uint8Array, off: number): 0 | 4 | 16 {
  if (s.indexOf(':') >= 0) return parseV6(s, out, off) ? 16 : 0;
  if (s.length > 15 || !toCodes(s, s.length)) return 0;
  return parseV4Codes(chars, 0, s.length, out, off) ? 4 : 0;
}

/** The value of each hex digit's code, -1 for every other byte: one load instead of three range tests. */
const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[48 + c] = c;
for (let c = 0; c < 6; c++) HEX[97 + c] = HEX[65 + c] = 10 + c;

/** Scratch for parseV6: the groups, an embedded IPv4 tail, and a string's character codes. */
const groups = new Int32Array(8);
const tail4 = new Uint8Array(4);
const chars = new Uint8Array(64);

/** A string IPv6 address: its character codes copied into scratch, then parsed as bytes. */
function parseV6(s: string, out: Uint8Array, off: number): boolean {
  let end = s.indexOf('%');
  if (end < 0) end = s.length;
  return end <= chars.length && toCodes(s, end) && parseV6Codes(chars, 0, end, out, off);
}

/** Copies the first `n` characters of `s` into `chars`; false when one is not ASCII. */
function toCodes(s: string, n: number): boolean {
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c > 127) return false;
    chars[k] = c;
  }
  return true;
}

/** IPv6 text as ASCII codes `b[start..end)` (a `%zone` suffix ignored), without allocating. */
function parseV6Codes(b: Uint8Array, start: number, end: number, out: Uint8Array, off: number): boolean {
  for (let k = start; k < end; k++) {
    if (b[k] === 37) {
      end = k;
      break;
    }
  }
  let n = 0;
  let gap = -1;
  let i = start;
  if (end - start >= 2 && b[start] === 58 && b[start + 1] === 58) {
    gap = 0;
    i = start + 2;
    if (i === end) {
      out.fill(0, off, off + 16);
      return true;
    }
  }
  while (i < end) {
    let j = i;
    let v = 0;
    while (j < end) {
      const d = HEX[b[j]];
      if (d < 0) break;
      // Wraps past eight digits, but more than four are refused below anyway.
      v = (v << 4) | d;
      j++;
    }
    if (j < end && b[j] === 46) {
      // embedded IPv4 tail
      if (n > 6 || !parseV4Codes(b, i, end, tail4, 0)) return false;
      groups[n++] = (tail4[0] << 8) | tail4[1];
      groups[n++] = (tail4[2] << 8) | tail4[3];
      i = end;
      break;
    }
    if (j === i || j - i > 4 || n >= 8) return false;
    groups[n++] = v;
    if (j === end) {
      i = end;
      break;
    }
    if (b[j] !== 58) return false;
    if (j + 1 < end && b[j + 1] === 58) {
      if (gap >= 0) return false;
      gap = n;
      i = j + 2;
    } else {
      i = j + 1;
      if (i === end) return false;
    }
  }
  if ((gap < 0 && n !== 8) || (gap >= 0 && n > 7)) return false;
  const fill = 8 - n;
  let g = 0;
  for (let k = 0; k < 8; k++) {
    const v = gap >= 0 && k >= gap && k < gap + fill ? 0 : groups[g++];
    out[off + 2 * k] = v >> 8;
    out[off + 2 * k + 1] = v & 255;
  }
  return true;
}

/** Dotted-quad IPv4 as ASCII codes `b[start..end)` into `out[off..off + 4)`. */
function parseV4Codes(b: Uint8Array, start: number, end: number, out: Uint8Array, off: number): boolean {
  const v = parseV4Number(b, start, end);
  if (v < 0) return false;
  out[off] = v >>> 24;
  out[off + 1] = (v >>> 16) & 255;
  out[off + 2] = (v >>> 8) & 255;
  out[off + 3] = v & 255;
  return true;
}

/**
 * Parses an address written as ASCII bytes (`buf[start..end)`) into `out` at `off`, without making a
 * string for the common IPv4 case. Returns 4, 16, or 0 when it is not an address.
 */
export function parseIpBytesInto(buf: Uint8Array, start: number, end: number, out: Uint8Array, off: number): 0 | 4 | 16 {
  // IPv4 first: most addresses are, and its parse stops at the first character that is not a digit or
  // a dot, so an IPv6 address costs a few characters more instead of every address a scan for ':'.
  if (parseV4Codes(buf, start, end, out, off)) return 4;
  for (let i = start; i < end; i++) if (buf[i] === 58) return parseV6Bytes(buf, start, end, out, off);
  return 0;
}

/**
 * Dotted-quad IPv4 text `buf[start..end)` as a number (`a << 24 | b << 16 | c << 8 | d`, 0 to 2^32 - 1),
 * or -1 when the text is anything else (IPv6 included): for callers that hash or compare IPv4 addresses
 * as numbers and need no bytes.
 */
export function parseV4Number(buf: Uint8Array, start: number, end: number): number {
  let addr = 0;
  let part = 0;
  let val = 0;
  let digits = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 46) {
      if (digits === 0 || part === 3) return -1;
      addr = (addr << 8) | val;
      part++;
      val = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      val = val * 10 + (c - 48);
      if (++digits > 3 || val > 255) return -1;
    } else return -1;
  }
  if (digits === 0 || part !== 3) return -1;
  return ((addr << 8) | val) >>> 0;
}

function parseV6Bytes(buf: Uint8Array, start: number, end: number, out: Uint8Array, off: number): 0 | 16 {
  return parseV6Codes(buf, start, end, out, off) ? 16 : 0;
}
