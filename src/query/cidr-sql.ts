/**
 * "Address in CIDR" as parameterized SQL over addresses stored as text (dotted IPv4, RFC 5952 IPv6).
 * IPv4 uses a string prefix for the whole octets and a numeric range on the octet the prefix ends in,
 * which is exact and cheap over millions of rows; IPv6 compares the fixed-width hex form the dialect
 * builds (deprecated IPv4-compatible `::a.b.c.d` forms match no CIDR). Every value is a parameter: the CIDR is parsed and re-rendered, never spliced in as text.
 */
import ipaddr from 'ipaddr.js';
import { NightjarError } from '../model/errors.js';
import type { Dialect } from '../store/dialect.js';
import { sql, type SqlFragment } from '../store/sql.js';

/** A parsed CIDR: the family and the inclusive range of its addresses. */
export interface Cidr {
  readonly v6: boolean;
  readonly bits: number;
  /** Network address bytes (4 or 16). */
  readonly bytes: readonly number[];
  /** Normalised text (`10.0.0.0/8`). */
  readonly text: string;
}

/** Parses `a.b.c.d/n`, an IPv6 prefix, or a bare address (a /32 or /128); throws NJ_QUERY when invalid. */
export function parseCidr(text: string): Cidr {
  const t = text.trim();
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  let bits: number;
  try {
    if (t.includes('/')) [addr, bits] = ipaddr.parseCIDR(t);
    else {
      addr = ipaddr.parse(t);
      bits = addr.kind() === 'ipv4' ? 32 : 128;
    }
  } catch {
    throw new NightjarError('NJ_QUERY', `"${text}" is not an address or CIDR (e.g. 10.0.0.0/8, 2001:db8::/32)`);
  }
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    // Stored addresses print IPv4-mapped IPv6 as plain IPv4 (as Zeek does); match them the same way.
    const v4 = (addr as ipaddr.IPv6).toIPv4Address();
    return parseCidr(`${v4.toString()}/${Math.max(0, bits - 96)}`);
  }
  const v6 = addr.kind() === 'ipv6';
  const raw = addr.toByteArray();
  const bytes = raw.map((b, i) => {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
  const net = ipaddr.fromByteArray(bytes);
  return { v6, bits, bytes, text: `${net.toString()}/${bits}` };
}

/** True when a textual address is inside the CIDR (the TypeScript twin of `cidrSql`). */
export function addressInCidr(address: string, c: Cidr): boolean {
  // Deprecated IPv4-compatible forms (`::a.b.c.d`) match no CIDR, in SQL as here.
  if (address.includes(':') && address.includes('.')) return false;
  let a: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    a = ipaddr.parse(address);
  } catch {
    return false;
  }
  if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) a = (a as ipaddr.IPv6).toIPv4Address();
  if ((a.kind() === 'ipv6') !== c.v6) return false;
  const b = a.toByteArray();
  for (let i = 0; i < c.bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, c.bits - i * 8));
    if (keep === 0) break;
    const mask = (0xff << (8 - keep)) & 0xff;
    if ((b[i] & mask) !== c.bytes[i]) return false;
  }
  return true;
}

function hex(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** SQL condition: the address expression is inside the CIDR. */
export function cidrSql(address: SqlFragment, c: Cidr, d: Dialect): SqlFragment {
  if (c.v6) {
    const lo = hex(c.bytes);
    const hiBytes = c.bytes.map((b, i) => {
      const keep = Math.max(0, Math.min(8, c.bits - i * 8));
      return b | (0xff >> keep);
    });
    return sql`(contains(${address}, ':') AND NOT contains(${address}, '.') AND ${d.ipv6Hex(address)} BETWEEN ${lo} AND ${hex(hiBytes)})`;
  }
  const whole = Math.floor(c.bits / 8);
  const rest = c.bits % 8;
  const isV4 = sql`(contains(${address}, '.') AND NOT contains(${address}, ':'))`;
  if (whole === 4) return sql`(${address} = ${c.bytes.join('.')})`;
  const prefix = c.bytes.slice(0, whole).map((b) => `${b}.`).join('');
  const head = whole === 0 ? isV4 : sql`starts_with(${address}, ${prefix})`;
  if (rest === 0) return whole === 0 ? head : sql`(${head})`;
  const lo = c.bytes[whole];
  const hi = lo + (1 << (8 - rest)) - 1;
  return sql`(${head} AND TRY_CAST(split_part(${address}, '.', ${whole + 1}) AS INTEGER) BETWEEN ${lo} AND ${hi})`;
}
