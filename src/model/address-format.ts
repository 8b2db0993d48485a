/**
 * Prints addresses the way Zeek logs them: dotted IPv4; IPv6 as inet_ntop does (RFC 5952 lower case,
 * the longest run of two or more zero groups shortened to '::', the first run on a tie, IPv4-compatible
 * addresses with a dotted tail), and IPv4-mapped IPv6 addresses as plain IPv4 (Zeek stores IPv4 that way
 * and cannot tell them apart). Sources that write IPv6 text otherwise (Suricata and ip6tables write every
 * group in full: "fe80:0000:0000:0000:0084:88ff:feae:790a") are brought to this form too, so that host
 * queries and joins on orig_h/resp_h work across sources.
 */
import { parseIpBytesInto, parseIpInto } from './ip.js';

const scratch = new Uint8Array(16);

/** Formats the 4 (`v6` false) or 16 bytes of an address starting at `off`. */
export function formatAddress(b: Uint8Array, off: number, v6: boolean): string {
  if (!v6) return v4(b, off);
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[off + 2 * i] << 8) | b[off + 2 * i + 1]);
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) return v4(b, off + 12);
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) best = -1;
  // inet_ntop prints IPv4-compatible addresses (::a.b.c.d) with a dotted tail.
  if (best === 0 && bestLen === 6) return '::' + v4(b, off + 12);
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === best) {
      s += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    s += g[i].toString(16);
    if (i < 7) s += ':';
  }
  return s;
}

function v4(b: Uint8Array, off: number): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

/** The stored form of IPv6 text (see formatAddress); IPv4 text, and text that is no address, as given. */
export function canonicalIp(s: string): string {
  if (s.indexOf(':') < 0 || parseIpInto(s, scratch, 0) !== 16) return s;
  const out = formatAddress(scratch, 0, true);
  return out === s ? s : out;
}

/**
 * True when the address text `buf[start..end)` may not be in the stored form: IPv6 with upper-case hex,
 * a group with a leading zero, two zero groups left uncompressed, "::" standing for a single group, or a
 * dotted tail (IPv4-mapped addresses are stored as IPv4). Cheap (no allocation), so that canonical text, and every IPv4 address, costs one scan.
 */
export function mayNeedCanonicalBytes(buf: Uint8Array, start: number, end: number): boolean {
  let colons = 0;
  let double = false;
  let dotted = false;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 58) {
      colons++;
      if (i > start && buf[i - 1] === 58) double = true;
    } else if (c >= 65 && c <= 70) return true;
    else if (c === 46) dotted = true;
    else if (c === 48 && (i === start || buf[i - 1] === 58)) {
      const next = i + 1 < end ? buf[i + 1] : 58;
      if (next !== 58 && next !== 46) return true; // "0084": a leading zero
      if (next === 58 && i + 2 < end && buf[i + 2] === 48 && (i + 3 === end || buf[i + 3] === 58)) return true; // "0:0"
    }
  }
  return colons > 0 && (dotted || (double && colons >= 7));
}

/** The stored form of IPv6 text given as bytes, or null when it is already in that form, IPv4, or no address. */
export function canonicalIpBytes(buf: Uint8Array, start: number, end: number): string | null {
  if (!mayNeedCanonicalBytes(buf, start, end) || parseIpBytesInto(buf, start, end, scratch, 0) !== 16) return null;
  const out = formatAddress(scratch, 0, true);
  return out.length === end - start && Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1') === out ? null : out;
}
