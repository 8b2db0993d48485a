/**
 * The simple filters every command takes before the full query language arrives: a time range, a host
 * (either side, an address or a CIDR), a port (either side), and a transport. They compile to
 * parameterized SQL; no user text becomes SQL.
 */
import ipaddr from 'ipaddr.js';
import { NightjarError } from '../model/errors.js';
import { protoNumber } from '../model/community-id.js';
import type { Dialect } from '../store/dialect.js';
import { join, raw, sql, type SqlFragment } from '../store/sql.js';
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

/** Validates a --proto value, returning its IANA number. */
export function checkProto(p: string): number {
  const n = protoNumber(p);
  if (n === undefined) throw new NightjarError('NJ_USAGE', `--proto ${p}: not a protocol (tcp, udp, icmp, icmp6, sctp or a number)`);
  return n;
}

function hostMatch(column: SqlFragment, host: string): SqlFragment {
  if (!host.includes('/')) return sql`${column} = ${host}`;
  const [addr, bits] = ipaddr.parseCIDR(host);
  if (addr.kind() === 'ipv4') {
    // IPv4 CIDR: compare the numeric value of dotted quads; non-IPv4 text never matches.
    const base = ipaddr.IPv4.networkAddressFromCIDR(host).toByteArray();
    const lo = ((base[0] << 24) >>> 0) + (base[1] << 16) + (base[2] << 8) + base[3];
    const hi = lo + 2 ** (32 - bits) - 1;
    const num = sql`(CASE WHEN regexp_full_match(${column}, '\\d+\\.\\d+\\.\\d+\\.\\d+') THEN
      list_reduce(list_transform(string_split(${column}, '.'), x -> x::UBIGINT), (a, b) -> a * 256 + b) END)`;
    return sql`${num} BETWEEN ${lo} AND ${hi}`;
  }
  throw new NightjarError('NJ_USAGE', `--host ${host}: IPv6 prefixes are not supported by --host yet; give a full IPv6 address`);
}

/** Compiles the filter to a WHERE condition (or TRUE) for an event table. */
export function compileBasicFilter(f: BasicFilter, d: Dialect): SqlFragment {
  const conds: SqlFragment[] = [];
  if (f.range?.since !== undefined) conds.push(sql`ts >= ${d.timestampFromMicros(f.range.since)}`);
  if (f.range?.until !== undefined) conds.push(sql`ts < ${d.timestampFromMicros(f.range.until)}`);
  if (f.hosts && f.hosts.length > 0) {
    conds.push(
      sql`(${join(
        f.hosts.map((h) => sql`(${hostMatch(raw('orig_h'), h)} OR ${hostMatch(raw('resp_h'), h)})`),
        ' OR ',
      )})`,
    );
  }
  if (f.ports && f.ports.length > 0) {
    conds.push(sql`(${join(f.ports.map((p) => sql`(orig_p = ${p} OR resp_p = ${p})`), ' OR ')})`);
  }
  if (f.proto !== undefined) conds.push(sql`ip_proto = ${checkProto(f.proto)}`);
  return conds.length ? join(conds, ' AND ') : raw('TRUE');
}
