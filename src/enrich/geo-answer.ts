/** What a country/ASN database answers for an address, and the interface every such database has. */
import ipaddr from 'ipaddr.js';

/** Country and autonomous system of an address (null where the database has nothing). */
export interface GeoAnswer {
  /** ISO 3166-1 alpha-2 code. */
  readonly country: string | null;
  readonly asn: number | null;
  readonly as_org: string | null;
}

/** A country/ASN database. */
export interface GeoSource {
  /** What it is, for messages (`built-in (...)`, a loaded MMDB's type and date). */
  readonly name: string;
  lookup(address: string): GeoAnswer;
}

/** An address as numbers: IPv4 as one 32-bit value, IPv6 as two 64-bit halves; null when invalid. */
export function addressWords(address: string): { v4: number; hi: 0n; lo: 0n } | { v4: undefined; hi: bigint; lo: bigint } | null {
  let a: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    a = ipaddr.process(address.trim());
  } catch {
    return null;
  }
  const b = a.toByteArray();
  if (b.length === 4) return { v4: ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3], hi: 0n, lo: 0n };
  let hi = 0n;
  let lo = 0n;
  for (let i = 0; i < 8; i++) hi = (hi << 8n) | BigInt(b[i]);
  for (let i = 8; i < 16; i++) lo = (lo << 8n) | BigInt(b[i]);
  return { v4: undefined, hi, lo };
}
