/** Addresses and CIDRs in the exact text form stored records use, so config entries compare equal to them. */
import ipaddr from 'ipaddr.js';
import { parseCidr } from '../query/cidr-sql.js';

/** An address in the form stored records use (RFC 5952 IPv6, IPv4-mapped IPv6 as plain IPv4). */
export function normalAddress(text: string): string {
  const a = ipaddr.process(text.trim());
  return a.toString();
}

/** A CIDR as stored: a bare address for /32 and /128, else the normalised prefix. */
export function normalAssetAddress(text: string): string {
  const c = parseCidr(text);
  return c.bits === (c.v6 ? 128 : 32) ? c.text.slice(0, c.text.lastIndexOf('/')) : c.text;
}
