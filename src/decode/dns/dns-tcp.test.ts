/**
 * Tests of DNS-over-TCP framing: several messages per segment, messages and length prefixes split
 * across segments, byte-by-byte delivery, gaps with resynchronisation, the partial message at the end,
 * and the 64 KiB bound; then a real capture whose 3247-byte query spans three segments.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeDnsMessage, DnsMessage } from './dns-message.js';
import { DnsTcpStream } from './dns-tcp.js';
import { craft, readPayloads, u16, wireName } from './dns-test-support.js';

interface Got {
  bytes: string;
  partial: boolean;
  sameBuffer: boolean;
}

function collect(): { stream: DnsTcpStream; got: Got[]; last: { buf: Uint8Array | null } } {
  const got: Got[] = [];
  const last = { buf: null as Uint8Array | null };
  const stream = new DnsTcpStream((buf, off, len, partial) => {
    got.push({ bytes: Buffer.from(buf.subarray(off, off + len)).toString('hex'), partial, sameBuffer: buf === last.buf });
  });
  return { stream, got, last };
}

const msgA = craft({ id: 1, qd: 1 }, wireName('a.example'), u16(1), u16(1));
const msgB = craft({ id: 2, qd: 1 }, wireName('bb.example.org'), u16(28), u16(1));
const framed = (...ms: Uint8Array[]) => Buffer.concat(ms.flatMap((m) => [Buffer.from(u16(m.length)), Buffer.from(m)]));
const hex = (m: Uint8Array) => Buffer.from(m).toString('hex');

describe('DnsTcpStream', () => {
  it('hands on several whole messages of one segment in place, without copying', () => {
    const { stream, got, last } = collect();
    const seg = framed(msgA, msgB, msgA);
    last.buf = seg;
    stream.push(seg);
    assert.deepEqual(got.map((g) => [g.bytes, g.partial, g.sameBuffer]), [
      [hex(msgA), false, true],
      [hex(msgB), false, true],
      [hex(msgA), false, true],
    ]);
    assert.deepEqual([stream.messages, stream.pending], [3, 0]);
  });

  it('joins a message, and a length prefix, split across segments', () => {
    const { stream, got } = collect();
    const all = framed(msgA, msgB);
    stream.push(all.subarray(0, 1)); // half the first prefix
    stream.push(all.subarray(1, 10));
    assert.equal(stream.pending, 10); // the 2-byte prefix and 8 bytes of A
    stream.push(all.subarray(10, msgA.length + 3)); // rest of A and the first prefix byte of B
    stream.push(all.subarray(msgA.length + 3));
    assert.deepEqual(got.map((g) => g.bytes), [hex(msgA), hex(msgB)]);
  });

  it('gives the same messages fed one byte at a time', () => {
    const { stream, got } = collect();
    const all = framed(msgB, msgA, msgB);
    for (let i = 0; i < all.length; i++) stream.push(all, i, 1);
    assert.deepEqual(got.map((g) => g.bytes), [hex(msgB), hex(msgA), hex(msgB)]);
  });

  it('drops the message in progress at a gap and resumes at the next plausible message start', () => {
    const { stream, got } = collect();
    const all = framed(msgA);
    stream.push(all.subarray(0, 8));
    stream.gap();
    assert.equal(stream.droppedBytes, 8);
    stream.push(Buffer.from([0x00, 0x05, 1, 2, 3, 4, 5])); // a 5-byte "message": the tail of something
    assert.equal(stream.resyncSkips, 1);
    stream.push(framed(msgB, msgA));
    assert.deepEqual(got.map((g) => g.bytes), [hex(msgB), hex(msgA)]);
    assert.deepEqual([stream.gaps, stream.droppedBytes], [1, 15]);
  });

  it('delivers an incomplete last message at the end, flagged partial, as Zeek does', () => {
    const { stream, got } = collect();
    stream.push(framed(msgA).subarray(0, 14));
    stream.end();
    assert.deepEqual(got.map((g) => [g.bytes, g.partial]), [[hex(msgA.subarray(0, 12)), true]]);
    const lone = collect();
    lone.stream.push(Buffer.from([0x01]));
    lone.stream.end();
    assert.deepEqual([lone.got.length, lone.stream.droppedBytes], [0, 1]);
  });

  it('reassembles a 65535-byte message (the most a prefix can say) and holds no more than that', () => {
    const { stream, got } = collect();
    const big = Buffer.alloc(65535, 0x41);
    const all = framed(big);
    let maxPending = 0;
    for (let p = 0; p < all.length; p += 1460) {
      stream.push(all.subarray(p, p + 1460));
      maxPending = Math.max(maxPending, stream.pending);
    }
    assert.equal(got.length, 1);
    assert.equal(got[0].bytes.length, 65535 * 2);
    assert.ok(maxPending <= 65537);
  });

  it('passes on a zero-length message (the decoder reports it as truncated)', () => {
    const { stream, got } = collect();
    stream.push(Buffer.from([0, 0, ...u16(msgA.length), ...msgA]));
    assert.deepEqual(got.map((g) => g.bytes), ['', hex(msgA)]);
  });

  it('zeek_dns_tcp_tkey: a 3245-byte TKEY query over three segments, then the response', () => {
    const rows = readPayloads('zeek_dns_tcp_tkey').filter((r) => r.payload.length > 0);
    const msg = new DnsMessage();
    const out: string[] = [];
    const streams = new Map<number, DnsTcpStream>();
    let frame = 0;
    for (const r of rows) {
      frame = r.frame;
      let s = streams.get(r.sport);
      if (s === undefined) {
        s = new DnsTcpStream((b, o, l) => {
          decodeDnsMessage(b, o, l, msg);
          out.push(`${frame} ${l} ${msg.result} ${msg.qr} ${msg.questionList()[0]?.qtype}`);
        });
        streams.set(r.sport, s);
      }
      s.push(r.payload);
    }
    assert.deepEqual(rows.map((r) => r.payload.length), [1460, 1460, 327, 483]);
    assert.deepEqual(out, ['7 3245 ok false 249', '8 481 ok true 249']);
  });
});
