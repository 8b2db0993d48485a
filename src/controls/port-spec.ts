/**
 * Port and protocol specifications as policies write them: `443`, `443/tcp`, `8000-8100/udp`,
 * `53/udp`. A port without a protocol means TCP, UDP or SCTP (the transports that have ports).
 */
import { z } from 'zod';

/** Transports a rule may name. */
export const PROTOCOLS = ['tcp', 'udp', 'icmp', 'icmp6', 'sctp'] as const;

/** A transport a rule may name. */
export type Protocol = (typeof PROTOCOLS)[number];

/** An inclusive port range, optionally for one protocol. */
export interface PortSpec {
  readonly from: number;
  readonly to: number;
  readonly proto: Protocol | null;
  /** As written, normalised (`443/tcp`, `8000-8100`). */
  readonly text: string;
}

const SPEC = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/(tcp|udp|sctp))?$/i;

/** Parses one port spec; returns an error sentence when it is not one. */
export function parsePortSpec(v: number | string): PortSpec | string {
  const m = SPEC.exec(String(v).trim());
  if (!m) return `"${v}" is not a port spec (443, 443/tcp, 8000-8100/udp)`;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from > 65535 || to > 65535 || to < from) return `"${v}" is not a port range within 0-65535`;
  const proto = m[3] ? (m[3].toLowerCase() as Protocol) : null;
  const text = `${from === to ? from : `${from}-${to}`}${proto ? `/${proto}` : ''}`;
  return { from, to, proto, text };
}

/** Zod schema of a port spec, yielding the parsed form. */
export const portSpecSchema = z.union([z.number().int(), z.string()]).transform((v, ctx) => {
  const p = parsePortSpec(v);
  if (typeof p === 'string') {
    ctx.addIssue({ code: 'custom', message: p });
    return z.NEVER;
  }
  return p;
});

/** True when a connection's port and transport fall inside the spec. */
export function portMatches(spec: PortSpec, port: number | null, proto: string | null): boolean {
  if (port === null || port < spec.from || port > spec.to) return false;
  if (spec.proto !== null) return proto === spec.proto;
  return proto === 'tcp' || proto === 'udp' || proto === 'sctp';
}
