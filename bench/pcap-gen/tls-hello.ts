/**
 * TLS 1.3 hello records for the generator's HTTPS connections: a browser-like ClientHello carrying the
 * server name (SNI), ALPN and an X25519 key share, padded to 512 bytes as Chrome does, and the
 * ServerHello plus the middlebox-compatibility ChangeCipherSpec. Everything after them is application
 * data records of random bytes, which is what TLS 1.3 looks like on the wire without the keys.
 */

/** TLS record type of application data, used for every record after the hellos. */
export const TLS_APP_DATA = 23;
/** Length on the wire of one full application data record: header, 2^14 bytes of data, type and tag. */
export const TLS_RECORD_STRIDE = 5 + 16384 + 17;

class Bytes {
  readonly a: number[] = [];
  u8(v: number): this {
    this.a.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >>> 8).u8(v);
  }
  u24(v: number): this {
    return this.u8(v >>> 16).u16(v & 0xffff);
  }
  raw(v: ArrayLike<number>): this {
    for (let i = 0; i < v.length; i++) this.a.push(v[i]);
    return this;
  }
  random(n: number, r: () => number): this {
    for (let i = 0; i < n; i++) this.a.push((r() * 256) | 0);
    return this;
  }
  /** Appends `body` preceded by its length in `width` bytes. */
  vec(width: 1 | 2 | 3, body: Bytes): this {
    const n = body.a.length;
    if (width === 1) this.u8(n);
    else if (width === 2) this.u16(n);
    else this.u24(n);
    return this.raw(body.a);
  }
}

function ascii(s: string): Bytes {
  return new Bytes().raw(Array.from(s, (c) => c.charCodeAt(0)));
}

function ext(type: number, body: Bytes): Bytes {
  return new Bytes().u16(type).vec(2, body);
}

function record(type: number, version: number, body: Bytes): Bytes {
  return new Bytes().u8(type).u16(version).vec(2, body);
}

/** A ClientHello record for `sni`, with a 32-byte legacy session id `sid`. */
export function clientHello(sni: string, sid: Uint8Array, r: () => number): Uint8Array {
  const name = ascii(sni);
  const exts = new Bytes()
    .raw(ext(0x0000, new Bytes().vec(2, new Bytes().u8(0).vec(2, name))).a)
    .raw(ext(0x0017, new Bytes()).a)
    .raw(ext(0xff01, new Bytes().u8(0)).a)
    .raw(ext(0x000a, new Bytes().vec(2, new Bytes().u16(0x001d).u16(0x0017).u16(0x0018))).a)
    .raw(ext(0x000b, new Bytes().vec(1, new Bytes().u8(0))).a)
    .raw(ext(0x0010, new Bytes().vec(2, new Bytes().vec(1, ascii('h2')).vec(1, ascii('http/1.1')))).a)
    .raw(ext(0x000d, new Bytes().vec(2, new Bytes().u16(0x0403).u16(0x0804).u16(0x0401).u16(0x0503).u16(0x0805)
      .u16(0x0501).u16(0x0806).u16(0x0601))).a)
    .raw(ext(0x002b, new Bytes().vec(1, new Bytes().u16(0x0304).u16(0x0303))).a)
    .raw(ext(0x002d, new Bytes().vec(1, new Bytes().u8(1))).a)
    .raw(ext(0x0033, new Bytes().vec(2, new Bytes().u16(0x001d).vec(2, new Bytes().random(32, r)))).a);
  const suites = new Bytes();
  for (const s of [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d]) suites.u16(s);
  const fixed = 2 + 32 + 1 + 32 + 2 + suites.a.length + 2 + 2;
  // Pad the handshake body to 508 bytes (512 with its header), as Chrome does to dodge a middlebox bug.
  const pad = 508 - fixed - exts.a.length - 4;
  if (pad >= 0) exts.raw(ext(0x0015, new Bytes().raw(new Array<number>(pad).fill(0))).a);
  const hello = new Bytes().u16(0x0303).random(32, r).vec(1, new Bytes().raw(sid)).vec(2, suites)
    .vec(1, new Bytes().u8(0)).vec(2, exts);
  return Uint8Array.from(record(22, 0x0301, new Bytes().u8(1).vec(3, hello)).a);
}

/** The ServerHello record echoing `sid`, followed by a ChangeCipherSpec record. */
export function serverHello(sid: Uint8Array, r: () => number): Uint8Array {
  const exts = new Bytes()
    .raw(ext(0x002b, new Bytes().u16(0x0304)).a)
    .raw(ext(0x0033, new Bytes().u16(0x001d).vec(2, new Bytes().random(32, r))).a);
  const hello = new Bytes().u16(0x0303).random(32, r).vec(1, new Bytes().raw(sid)).u16(0x1301).u8(0).vec(2, exts);
  const out = record(22, 0x0303, new Bytes().u8(2).vec(3, hello));
  out.raw(record(20, 0x0303, new Bytes().u8(1)).a);
  return Uint8Array.from(out.a);
}

/** The client's ChangeCipherSpec record that precedes its encrypted Finished. */
export const CLIENT_CCS = Uint8Array.of(20, 3, 3, 0, 1, 1);
