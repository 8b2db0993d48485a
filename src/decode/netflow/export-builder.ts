/**
 * Test support: builds NetFlow v5, v9 and IPFIX datagrams byte by byte, so each crafted test reads as
 * the datagram it sends.
 */

/** One template field: element id, length (65535 = variable), enterprise number when set. */
export interface FieldSpec {
  id: number;
  len: number;
  pen?: number;
}

/** Big-endian bytes of `v` in `n` bytes. */
export function be(v: number, n: number): number[] {
  const out: number[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(Math.floor(v / 2 ** (8 * i)) % 256);
  return out;
}

/** A set (or v9 FlowSet): id, length, body. */
export function set(id: number, body: number[]): number[] {
  return [...be(id, 2), ...be(body.length + 4, 2), ...body];
}

/** An IPFIX template record (field count 0 when `fields` is empty: a withdrawal). */
export function ipfixTemplate(id: number, fields: FieldSpec[], scopeCount?: number): number[] {
  const out = [...be(id, 2), ...be(fields.length, 2)];
  if (scopeCount !== undefined && fields.length > 0) out.push(...be(scopeCount, 2));
  for (const f of fields) {
    out.push(...be(f.pen ? f.id | 0x8000 : f.id, 2), ...be(f.len, 2));
    if (f.pen) out.push(...be(f.pen, 4));
  }
  return out;
}

/** An IPFIX message from observation domain `domain`. */
export function ipfix(seq: number, exportSecs: number, domain: number, ...sets: number[][]): Uint8Array {
  const body = sets.flat();
  return Uint8Array.from([...be(10, 2), ...be(16 + body.length, 2), ...be(exportSecs, 4), ...be(seq, 4), ...be(domain, 4), ...body]);
}

/** A NetFlow v9 template record. */
export function v9Template(id: number, fields: FieldSpec[]): number[] {
  return [...be(id, 2), ...be(fields.length, 2), ...fields.flatMap((f) => [...be(f.id, 2), ...be(f.len, 2)])];
}

/** A NetFlow v9 options template record. */
export function v9OptionsTemplate(id: number, scope: FieldSpec[], options: FieldSpec[]): number[] {
  const flds = (fs: FieldSpec[]) => fs.flatMap((f) => [...be(f.id, 2), ...be(f.len, 2)]);
  return [...be(id, 2), ...be(scope.length * 4, 2), ...be(options.length * 4, 2), ...flds(scope), ...flds(options)];
}

/** A NetFlow v9 datagram. */
export function v9(seq: number, sysUptimeMs: number, unixSecs: number, sourceId: number, ...sets: number[][]): Uint8Array {
  return Uint8Array.from([...be(9, 2), ...be(sets.length, 2), ...be(sysUptimeMs, 4), ...be(unixSecs, 4), ...be(seq, 4), ...be(sourceId, 4), ...sets.flat()]);
}

/** A NetFlow v5 record. */
export interface V5Rec {
  src: number[];
  dst: number[];
  sport: number;
  dport: number;
  proto: number;
  pkts: number;
  bytes: number;
  first: number;
  last: number;
}

/** A NetFlow v5 datagram. */
export function v5(seq: number, sysUptimeMs: number, unixSecs: number, unixNanos: number, sampling: number, recs: V5Rec[]): Uint8Array {
  const out = [...be(5, 2), ...be(recs.length, 2), ...be(sysUptimeMs, 4), ...be(unixSecs, 4), ...be(unixNanos, 4), ...be(seq, 4), 1, 2, ...be(sampling, 2)];
  for (const r of recs) {
    out.push(...r.src, ...r.dst, 10, 0, 0, 1, ...be(3, 2), ...be(4, 2), ...be(r.pkts, 4), ...be(r.bytes, 4), ...be(r.first, 4), ...be(r.last, 4));
    out.push(...be(r.sport, 2), ...be(r.dport, 2), 0, 0x12, r.proto, 0, ...be(65001, 2), ...be(65002, 2), 24, 16, 0, 0);
  }
  return Uint8Array.from(out);
}
