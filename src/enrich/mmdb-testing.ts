/**
 * Test support: writes small MaxMind DB files (format 2.0, IPv6 tree, 24-bit records) so the
 * `geo load` path is tested with real files read by the `maxmind` package, without shipping a
 * licensed database. Only the value types the tests need are encoded: maps, strings, unsigned ints.
 */
import ipaddr from 'ipaddr.js';

type Value = string | number | { [k: string]: Value } | Value[];

function sizeHeader(type: number, size: number): number[] {
  const head: number[] = [];
  const first = type <= 7 ? type << 5 : 0;
  const ext = type > 7 ? [type - 7] : [];
  if (size < 29) head.push(first | size, ...ext);
  else if (size < 285) head.push(first | 29, ...ext, size - 29);
  else throw new Error('value too large for the test writer');
  return head;
}

function uintBytes(n: number): number[] {
  const out: number[] = [];
  let v = BigInt(n);
  while (v > 0n) {
    out.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  return out;
}

function encode(v: Value, uintType = 6): number[] {
  if (typeof v === 'string') {
    const b = [...Buffer.from(v, 'utf8')];
    return [...sizeHeader(2, b.length), ...b];
  }
  if (typeof v === 'number') {
    const b = uintBytes(v);
    return [...sizeHeader(uintType, b.length), ...b];
  }
  if (Array.isArray(v)) return [...sizeHeader(11, v.length), ...v.flatMap((x) => encode(x))];
  const keys = Object.keys(v);
  return [...sizeHeader(7, keys.length), ...keys.flatMap((k) => [...encode(k), ...encode(v[k])])];
}

interface Node {
  kids: [Node | number | null, Node | number | null];
}

/** Builds an MMDB holding `records` for the given networks (IPv4 networks go in the IPv4-mapped subtree). */
export function writeMmdb(databaseType: string, records: readonly { network: string; data: { [k: string]: Value } }[]): Buffer {
  const root: Node = { kids: [null, null] };
  const data: number[] = [];
  for (const r of records) {
    const [addr, bits] = ipaddr.parseCIDR(r.network);
    const bytes = addr.kind() === 'ipv4' ? [...new Array(12).fill(0), ...addr.toByteArray()] : addr.toByteArray();
    const len = addr.kind() === 'ipv4' ? bits + 96 : bits;
    const offset = data.length;
    data.push(...encode(r.data));
    let node = root;
    for (let i = 0; i < len; i++) {
      const bit = (bytes[i >> 3] >> (7 - (i & 7))) & 1;
      if (i === len - 1) node.kids[bit] = -(offset + 1);
      else {
        const next = node.kids[bit];
        if (next === null || typeof next === 'number') node.kids[bit] = { kids: [null, null] };
        node = node.kids[bit] as Node;
      }
    }
  }
  // Number the nodes breadth first, then write each as two 24-bit records.
  const nodes: Node[] = [root];
  for (let i = 0; i < nodes.length; i++) for (const k of nodes[i].kids) if (k !== null && typeof k === 'object') nodes.push(k);
  const index = new Map(nodes.map((n, i) => [n, i]));
  const count = nodes.length;
  const tree: number[] = [];
  for (const n of nodes) {
    for (const k of n.kids) {
      const v = k === null ? count : typeof k === 'number' ? count + 16 + (-k - 1) : index.get(k)!;
      tree.push((v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
    }
  }
  const meta = encode({
    node_count: count,
    record_size: 24,
    ip_version: 6,
    database_type: databaseType,
    languages: ['en'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: 1767225600,
    description: { en: 'Nightjar test database' },
  });
  const marker = [0xab, 0xcd, 0xef, ...Buffer.from('MaxMind.com')];
  return Buffer.from([...tree, ...new Array(16).fill(0), ...data, ...marker, ...meta]);
}
