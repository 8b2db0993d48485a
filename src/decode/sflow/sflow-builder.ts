/**
 * Test-only builder of sFlow v5 datagrams, so unit tests and the benchmark can craft exactly the
 * samples, records and damage they need. Lengths are computed unless a test overrides them.
 */

/** XDR words and bytes appended in order. */
export class Xdr {
  private readonly parts: number[] = [];

  /** Appends unsigned 32-bit words. */
  u32(...v: number[]): this {
    for (const x of v) this.parts.push((x >>> 24) & 0xff, (x >>> 16) & 0xff, (x >>> 8) & 0xff, x & 0xff);
    return this;
  }

  /** Appends a 64-bit unsigned value. */
  u64(v: number): this {
    return this.u32(Math.floor(v / 4294967296), v % 4294967296);
  }

  /** Appends bytes, padded with zeros to a multiple of four. */
  bytes(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.parts.push(b[i]);
    while (this.parts.length % 4) this.parts.push(0);
    return this;
  }

  /** The bytes so far. */
  build(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** A record or sample: format word, length (computed from the body unless given) and body. */
export function item(format: number, body: Uint8Array, length = body.length): Uint8Array {
  return new Xdr().u32(format, length).bytes(body).build();
}

/** A datagram with an IPv4 agent. */
export function datagram(opts: { agent?: number[]; subAgent?: number; seq: number; uptime?: number; samples: Uint8Array[]; announced?: number; version?: number }): Uint8Array {
  const x = new Xdr().u32(opts.version ?? 5, 1).bytes(opts.agent ?? [10, 0, 0, 1]);
  x.u32(opts.subAgent ?? 0, opts.seq, opts.uptime ?? 1000, opts.announced ?? opts.samples.length);
  for (const s of opts.samples) x.bytes(s);
  return x.build();
}

/** A compact flow sample (format 1) with the given records. */
export function flowSample(opts: { seq: number; sourceId?: number; rate?: number; input?: number; output?: number; records: Uint8Array[]; count?: number }): Uint8Array {
  const x = new Xdr().u32(opts.seq, opts.sourceId ?? 7, opts.rate ?? 100, 5000, 0, opts.input ?? 3, opts.output ?? 4);
  x.u32(opts.count ?? opts.records.length);
  for (const r of opts.records) x.bytes(r);
  return item(1, x.build());
}

/** A compact counter sample (format 2) with the given records. */
export function counterSample(seq: number, sourceId: number, records: Uint8Array[]): Uint8Array {
  const x = new Xdr().u32(seq, sourceId, records.length);
  for (const r of records) x.bytes(r);
  return item(2, x.build());
}

/** An Ethernet + IPv4 + TCP packet header (SYN from 192.0.2.1:40000 to 198.51.100.2:443, IP length 60). */
export function tcpFrame(): Uint8Array {
  const eth = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
  const ip = [0x45, 0, 0, 60, 0, 1, 0x40, 0, 64, 6, 0, 0, 192, 0, 2, 1, 198, 51, 100, 2];
  const tcp = [0x9c, 0x40, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0];
  return Uint8Array.from([...eth, ...ip, ...tcp]);
}

/** A raw packet header record (format 1) holding `header`. */
export function rawHeader(header: Uint8Array, frameLength: number, protocol = 1, stripped = 4): Uint8Array {
  return item(1, new Xdr().u32(protocol, frameLength, stripped, header.length).bytes(header).build());
}
