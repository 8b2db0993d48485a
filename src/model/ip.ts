/**
 * Fast IP address text to bytes. Written here rather than taken from ipaddr.js because it runs once
 * per record on the ingest hot path and must not allocate: it writes into a caller's buffer.
 */

/**
 * Parses an IPv4 or IPv6 address into `out` at `off`; returns 4 or 16 (bytes written), or 0 when the
 * text is not an address. IPv6 zone ids (`%eth0`) are ignored; embedded IPv4 tails are accepted.
 */
export function parseIpInto(s: string, out: Uint8Array, off: number): 0 | 4 | 16 {
  if (s.indexOf(':') < 0) return parseV4(s, 0, s.length, out, off) ? 4 : 0;
  return parseV6(s, out, off) ? 16 : 0;
}

function parseV4(s: string, start: number, end: number, out: Uint8Array, off: number): boolean {
  let part = 0;
  let val = 0;
  let digits = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part === 3) return false;
      out[off + part++] = val;
      val = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      val = val * 10 + (c - 48);
      if (++digits > 3 || val > 255) return false;
    } else return false;
  }
  if (digits === 0 || part !== 3) return false;
  out[off + 3] = val;
  return true;
}

function parseV6(s: string, out: Uint8Array, off: number): boolean {
  let end = s.indexOf('%');
  if (end < 0) end = s.length;
  const groups: number[] = [];
  let gap = -1;
  let i = 0;
  if (s.startsWith('::')) {
    gap = 0;
    i = 2;
    if (end === 2) {
      out.fill(0, off, off + 16);
      return true;
    }
  }
  while (i < end) {
    let j = i;
    let v = 0;
    while (j < end) {
      const c = s.charCodeAt(j);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c >= 65 && c <= 70) d = c - 55;
      else break;
      v = v * 16 + d;
      j++;
    }
    if (j < end && s.charCodeAt(j) === 46) {
      // embedded IPv4 tail
      const tmp = new Uint8Array(4);
      if (!parseV4(s, i, end, tmp, 0)) return false;
      groups.push((tmp[0] << 8) | tmp[1], (tmp[2] << 8) | tmp[3]);
      i = end;
      break;
    }
    if (j === i || j - i > 4) return false;
    groups.push(v);
    if (j === end) {
      i = end;
      break;
    }
    if (s.charCodeAt(j) !== 58) return false;
    if (j + 1 < end && s.charCodeAt(j + 1) === 58) {
      if (gap >= 0) return false;
      gap = groups.length;
      i = j + 2;
    } else {
      i = j + 1;
      if (i === end) return false;
    }
  }
  if (groups.length > 8 || (gap < 0 && groups.length !== 8) || (gap >= 0 && groups.length > 7)) return false;
  const fill = 8 - groups.length;
  let g = 0;
  for (let k = 0; k < 8; k++) {
    let v: number;
    if (gap >= 0 && k >= gap && k < gap + fill) v = 0;
    else v = groups[g++];
    out[off + 2 * k] = v >> 8;
    out[off + 2 * k + 1] = v & 255;
  }
  return true;
}

/**
 * Parses an address written as ASCII bytes (`buf[start..end)`) into `out` at `off`, without making a
 * string for the common IPv4 case. Returns 4, 16, or 0 when it is not an address.
 */
export function parseIpBytesInto(buf: Uint8Array, start: number, end: number, out: Uint8Array, off: number): 0 | 4 | 16 {
  for (let i = start; i < end; i++) if (buf[i] === 58) return parseV6Bytes(buf, start, end, out, off);
  let part = 0;
  let val = 0;
  let digits = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 46) {
      if (digits === 0 || part === 3) return 0;
      out[off + part++] = val;
      val = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      val = val * 10 + (c - 48);
      if (++digits > 3 || val > 255) return 0;
    } else return 0;
  }
  if (digits === 0 || part !== 3) return 0;
  out[off + 3] = val;
  return 4;
}

function parseV6Bytes(buf: Uint8Array, start: number, end: number, out: Uint8Array, off: number): 0 | 16 {
  // IPv6 (or garbage): rare enough on this path to go through a string.
  let s = '';
  for (let k = start; k < end; k++) s += String.fromCharCode(buf[k]);
  return s.indexOf(':') >= 0 && parseV6(s, out, off) ? 16 : 0;
}
