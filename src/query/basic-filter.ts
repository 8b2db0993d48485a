/**
 * The simple filter options every command takes beside the query language: a time range, a host
 * (either side, an address or a CIDR), a port (either side), and a transport. They are checked here
 * and compiled through the filter language (src/query/filter/filter.ts), so no user text becomes SQL.
 */
import ipaddr from 'ipaddr.js';
import { NightjarError } from '../model/errors.js';
import type { TimeRange } from './time-range.js';

/** The simple filter. */
export interface BasicFilter {
  readonly range?: TimeRange;
  readonly hosts?: readonly string[];
  readonly ports?: readonly number[];
  readonly proto?: string;
}

/** Validates and normalises a --host value (address or CIDR). */
export function checkHost(h: string): string {
  const t = h.trim();
  if (t.includes('/')) {
    try {
      const [addr, bits] = ipaddr.parseCIDR(t);
      return `${addr.toString()}/${bits}`;
    } catch {
      throw new NightjarError('NJ_USAGE', `--host ${h}: not an address or CIDR (e.g. 10.0.0.5 or 10.0.0.0/8)`);
    }
  }
  if (!ipaddr.isValid(t)) throw new NightjarError('NJ_USAGE', `--host ${h}: not an IP address (e.g. 10.0.0.5, 2001:db8::1, 10.0.0.0/8)`);
  return ipaddr.parse(t).toString();
}

/** Validates a --port value. */
export function checkPort(p: string): number {
  const n = Number(p);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new NightjarError('NJ_USAGE', `--port ${p}: not a port number (0-65535)`);
  return n;
}
