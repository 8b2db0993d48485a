/**
 * Prints addresses the way Zeek logs them: dotted IPv4; IPv6 as inet_ntop does (RFC 5952 lower case,
 * the longest run of two or more zero groups shortened to '::', the first run on a tie, IPv4-compatible
 * addresses with a dotted tail), and IPv4-mapped IPv6 addresses as plain IPv4 (Zeek stores IPv4 that way
 * and cannot tell them apart).
 */

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
