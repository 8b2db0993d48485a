/**
 * Canonical IPv6 text (RFC 5952). Suricata writes IPv6 addresses in full
 * ("2001:4860:4860:0000:0000:0000:0000:8888") while Zeek and most tools write the compressed form
 * ("2001:4860:4860::8888"); storing one form keeps host queries and joins on orig_h/resp_h working
 * across sources. IPv4 text is returned as given. This belongs in model/ip.ts once other decoders
 * need it.
 */
import { parseIpInto } from '../../model/ip.js';

const bytes = new Uint8Array(16);
const groups = new Array<number>(8);

/** Returns the RFC 5952 form of an IPv6 address, or the text unchanged when it is IPv4 or not an address. */
export function canonicalIp(s: string): string {
  if (s.indexOf(':') < 0) return s;
  if (parseIpInto(s, bytes, 0) !== 16) return s;
  for (let g = 0; g < 8; g++) groups[g] = (bytes[2 * g] << 8) | bytes[2 * g + 1];
  // IPv4-mapped addresses keep their dotted tail, as Zeek prints them.
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  }
  // The longest run of two or more zero groups becomes "::" (the first one on a tie).
  let bestAt = -1;
  let bestLen = 1;
  for (let g = 0; g < 8; ) {
    if (groups[g] !== 0) {
      g++;
      continue;
    }
    let e = g;
    while (e < 8 && groups[e] === 0) e++;
    if (e - g > bestLen) {
      bestAt = g;
      bestLen = e - g;
    }
    g = e;
  }
  let out = '';
  for (let g = 0; g < 8; g++) {
    if (g === bestAt) {
      out += '::';
      g += bestLen - 1;
      continue;
    }
    if (out.length > 0 && !out.endsWith(':')) out += ':';
    out += groups[g].toString(16);
  }
  return out === s ? s : out;
}
