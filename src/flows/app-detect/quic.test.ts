/**
 * QUIC detection and Initial decryption: RFC 9001's published client Initial (Appendix A.2,
 * SNI example.com), packets protected in the test with the RFC's published keys to split the
 * ClientHello over two Initials, Zeek's QUIC v2 trace on another port, and packets that must not pass.
 */
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fixturePath, framePayload, run } from './app-detect-test-support.js';

const A2_PACKET = Buffer.from(readFileSync(fixturePath('rfc9001_a2_client_initial.hex'), 'utf8').trim(), 'hex');
// RFC 9001 A.1: client Initial key, IV and header protection key for DCID 8394c8f03e515708.
const KEY = Buffer.from('1f369613dd76d5467730efcbe3b1a22d', 'hex');
const IV = Buffer.from('fa044b2f42a3fd3b46fb255c', 'hex');
const HP = Buffer.from('9f50449e04a0e810283a1e9933adedd2', 'hex');
const DCID = Buffer.from('8394c8f03e515708', 'hex');
// RFC 9001 A.2: the CRYPTO frame of the client Initial (offset 0, 241 bytes of ClientHello).
const A2_CRYPTO = Buffer.from(
  '060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e86804fe3a47f06a2b69484c000004130113' +
    '02010000c000000010000e00000b6578616d706c652e636f6dff01000100000a00080006001d00170018001000070005' +
    '04616c706e0005000501000000000033002600' +
    '24001d00209370b2c9caa47fbabaf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b0003020304000d0010' +
    '000e0403050306030203080408050806002d00020101001c00024001003900320408ffffffffffffffff05048000ffff' +
    '07048000ffff0801100104800075300901100f088394c8f03e51570806048000ffff',
  'hex',
);
const CLIENT_HELLO = A2_CRYPTO.subarray(4);

/** Protects a v1 client Initial (4-byte packet number) with the RFC's keys, padding it to 1162 bytes of frames. */
function protect(pn: number, frames: Buffer, dcid = DCID): Buffer {
  const payload = Buffer.concat([frames, Buffer.alloc(Math.max(0, 1162 - frames.length))]);
  const length = 4 + payload.length + 16;
  const header = Buffer.concat([Buffer.from([0xc3, 0, 0, 0, 1, dcid.length]), dcid, Buffer.from([0, 0, 0x40 | (length >> 8), length & 0xff]), Buffer.alloc(4)]);
  header.writeUInt32BE(pn, header.length - 4);
  const nonce = Buffer.from(IV);
  for (let i = 0; i < 4; i++) nonce[8 + i] ^= header[header.length - 4 + i];
  const c = createCipheriv('aes-128-gcm', KEY, nonce);
  c.setAAD(header);
  const sealed = Buffer.concat([c.update(payload), c.final(), c.getAuthTag()]);
  const mask = createCipheriv('aes-128-ecb', HP, null).update(sealed.subarray(0, 16));
  header[0] ^= mask[0] & 0x0f;
  for (let i = 0; i < 4; i++) header[header.length - 4 + i] ^= mask[1 + i];
  return Buffer.concat([header, sealed]);
}

/** A CRYPTO frame carrying ClientHello bytes [from, to), with 2-byte varints. */
function cryptoFrame(from: number, to: number): Buffer {
  return Buffer.concat([Buffer.from([0x06, 0x40 | (from >> 8), from & 0xff, 0x40 | ((to - from) >> 8), (to - from) & 0xff]), CLIENT_HELLO.subarray(from, to)]);
}

describe('QUIC', () => {
  it("the test's own packet protection reproduces RFC 9001 A.2 byte for byte", () => {
    assert.deepEqual(protect(2, A2_CRYPTO), A2_PACKET);
  });

  it('decrypts the RFC 9001 client Initial: SNI example.com, ALPN "alpn", on 443 and on 4433', () => {
    for (const port of [443, 4433]) {
      const st = run([[A2_PACKET, true]], 'udp', 51000, port);
      assert.deepEqual([st.service, st.attrs, st.done], ['quic', { version: '1', sni: 'example.com', alpn: 'alpn' }, true]);
    }
  });

  it('reassembles a ClientHello sent out of order over two Initials, the second to a new DCID', () => {
    const first = protect(0, cryptoFrame(100, CLIENT_HELLO.length));
    const second = protect(1, Buffer.concat([Buffer.from('0200000000', 'hex'), cryptoFrame(0, 100), Buffer.from([0x01])]), Buffer.from('f067a5502a4262b5', 'hex'));
    const half = run([[first, true]], 'udp', 51000, 443);
    assert.deepEqual([half.service, half.attrs, half.done], ['quic', { version: '1' }, false]);
    const st = run([[first, true], [second, true]], 'udp', 51000, 443);
    assert.deepEqual([st.attrs, st.done, st.aux], [{ version: '1', sni: 'example.com', alpn: 'alpn' }, true, null]);
  });

  it('keeps the service but reads nothing from an Initial that fails authentication', () => {
    const bad = Buffer.from(A2_PACKET);
    bad[600] ^= 0x01;
    const st = run([[bad, true]], 'udp', 51000, 443);
    assert.deepEqual([st.service, st.attrs, st.done], ['quic', { version: '1' }, true]);
  });

  it("reads ALPN h3 from Zeek's QUIC v2 trace moved to port 8443", () => {
    const st = run([[framePayload('zeek_quicv2_http3', 1), true]], 'udp', 50841, 8443);
    assert.deepEqual([st.service, st.attrs], ['quic', { version: 'quicv2', alpn: 'h3' }]);
  });

  it('does not decrypt server packets, and names the version from them', () => {
    const st = run([[framePayload('zeek_quicv2_http3', 2), false]], 'udp', 50841, 443);
    assert.deepEqual([st.service, st.attrs, st.done], ['quic', { version: 'quicv2' }, true]);
  });

  it('does not take short headers, unknown or grease versions, or oversized connection ids for QUIC', () => {
    const longHeader = (version: string, dcil = 8) => Buffer.concat([Buffer.from('c3' + version, 'hex'), Buffer.from([dcil]), Buffer.alloc(1200, 0x11)]);
    for (const p of [
      Buffer.concat([Buffer.from([0x43]), Buffer.alloc(1200, 0x22)]),
      longHeader('0a0a0a0a'),
      longHeader('00000000'),
      longHeader('00000001', 21),
      Buffer.concat([Buffer.from('83', 'hex'), A2_PACKET.subarray(1)]), // fixed bit clear
      A2_PACKET.subarray(0, 6),
    ]) {
      assert.equal(run([[p, true]], 'udp', 51000, 443).service, null, p.subarray(0, 8).toString('hex'));
    }
  });
});
