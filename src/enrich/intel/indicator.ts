/**
 * One threat-intelligence indicator, normalised to what matching needs: an address (equality), a
 * CIDR (a range of fixed-width hex keys, so matching is one range join however many CIDRs a feed
 * has), or a domain (exact, exact plus subdomains, or `*.x.y` for subdomains only). URLs are reduced
 * to their host, since flow records carry no URLs.
 */
import ipaddr from 'ipaddr.js';
import { parseCidr } from '../../query/cidr-sql.js';
import { canonicalAddress } from '../address-text.js';

/** How an indicator matches: `domain` matches the name itself (and its subdomains when `subdomains`), `wildcard` only subdomains. */
export type IndicatorKind = 'ip' | 'cidr' | 'domain' | 'wildcard';

/** A normalised indicator, ready to store. */
export interface Indicator {
  /** The text as the feed gave it. */
  readonly indicator: string;
  readonly kind: IndicatorKind;
  /** Address, normalised CIDR, or lower-case domain without `*.` or trailing dot. */
  readonly value: string;
  readonly subdomains: boolean;
  /** CIDR range as address keys (see addressKey), null for other kinds. */
  readonly lo: string | null;
  readonly hi: string | null;
}

/** Provenance and context a feed may give per indicator. */
export interface IndicatorContext {
  readonly type: string | null;
  readonly source: string | null;
  readonly confidence: number | null;
  readonly description: string | null;
  /** ISO times. */
  readonly validFrom: string | null;
  readonly validUntil: string | null;
  /** The feed's own id of the indicator (a STIX id), when it has one. */
  readonly ref: string | null;
}

/** An indicator with its context. */
export type FeedIndicator = Indicator & IndicatorContext;

/** Context with nothing known. */
export const NO_CONTEXT: IndicatorContext = {
  type: null, source: null, confidence: null, description: null, validFrom: null, validUntil: null, ref: null,
};

function hex(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Fixed-width key of an address (`4` + 8 hex digits, or `6` + 32), ordered like the addresses. */
export function addressKey(address: string): string | null {
  const a = canonicalAddress(address);
  if (a === null) return null;
  const p = ipaddr.parse(a);
  return (p.kind() === 'ipv4' ? '4' : '6') + hex(p.toByteArray());
}

function cidrIndicator(text: string, raw: string): Indicator | null {
  let c;
  try {
    c = parseCidr(text);
  } catch {
    return null;
  }
  const hiBytes = c.bytes.map((b, i) => b | (0xff >> Math.max(0, Math.min(8, c.bits - i * 8))));
  const fam = c.v6 ? '6' : '4';
  const full = c.bits === (c.v6 ? 128 : 32);
  if (full) return { indicator: raw, kind: 'ip', value: canonicalAddress(c.text.split('/')[0])!, subdomains: false, lo: null, hi: null };
  return { indicator: raw, kind: 'cidr', value: c.text, subdomains: false, lo: fam + hex(c.bytes), hi: fam + hex(hiBytes) };
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

function domainValue(text: string): string | null {
  let d = text.trim().toLowerCase();
  if (d.endsWith('.')) d = d.slice(0, -1);
  if (d.length === 0 || d.length > 253) return null;
  const labels = d.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return null;
  // A dotted quad is an address, not a domain.
  if (labels.every((l) => /^\d+$/.test(l))) return null;
  return d;
}

/** The host of a URL (`hxxp://` and `[.]` defanging undone), or null when it has none. */
function urlHost(text: string): string | null {
  const t = text.replace(/^hxxp/i, 'http').replace(/\[\.\]/g, '.');
  try {
    const u = new URL(t);
    const h = u.hostname.replace(/^\[|\]$/g, '');
    return h === '' ? null : h;
  } catch {
    return null;
  }
}

/**
 * Parses one indicator: an IPv4/IPv6 address, a CIDR, a domain (`*.x.y` for subdomains only), or a
 * URL (reduced to its host). `subdomains` says whether an exact domain also covers its subdomains.
 * Returns null when the text is none of these.
 */
export function parseIndicator(text: string, subdomains = false): Indicator | null {
  const raw = text.trim();
  if (raw === '') return null;
  const t = raw.replace(/\[\.\]/g, '.');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) {
    const host = urlHost(t);
    if (host === null) return null;
    const inner = parseIndicator(host, false);
    return inner === null || inner.kind === 'wildcard' ? null : { ...inner, indicator: raw };
  }
  if (t.includes('/')) return cidrIndicator(t, raw);
  const a = canonicalAddress(t);
  if (a !== null) return { indicator: raw, kind: 'ip', value: a, subdomains: false, lo: null, hi: null };
  if (t.startsWith('*.')) {
    const d = domainValue(t.slice(2));
    return d === null ? null : { indicator: raw, kind: 'wildcard', value: d, subdomains: true, lo: null, hi: null };
  }
  const d = domainValue(t);
  return d === null ? null : { indicator: raw, kind: 'domain', value: d, subdomains, lo: null, hi: null };
}
