/**
 * TLS detection and hello parsing on a real ClientHello and ServerHello (suricata-verify's
 * community-id-ipv6 trace, SNI dns.google) cut, split, moved to other ports and damaged, plus crafted
 * SSLv2 hellos and mid-stream records.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { framePayload, run, type Sent } from './app-detect-test-support.js';

const CLIENT_HELLO = framePayload('sv_community_id_ipv6', 4);
const SERVER_HELLO = framePayload('sv_community_id_ipv6', 6);
const APP_DATA = framePayload('zeek_tls_conn_with_extensions', 10);
const FULL = { sni: 'dns.google', alpn: 'h2,http/1.1', version: 'TLSv13' };

/** Offset of a ClientHello record's extensions length: after record (5) and handshake (4) headers,
 * version (2), random (32), session id, cipher suites and compression methods. */
function extensionsAt(hello: Buffer): number {
  const sid = hello[43];
  const suites = hello.readUInt16BE(44 + sid);
  return 44 + sid + 2 + suites + 1 + hello[44 + sid + 2 + suites];
}

/** The ClientHello with a padding extension (RFC 7685) of n zero bytes appended, lengths fixed up. */
function padded(hello: Buffer, n: number): Buffer {
  const extLenAt = extensionsAt(hello);
  const ext = Buffer.alloc(4 + n);
  ext.writeUInt16BE(21, 0);
  ext.writeUInt16BE(n, 2);
  const out = Buffer.concat([hello, ext]);
  out.writeUInt16BE(out.length - 5, 3);
  out.writeUIntBE(out.length - 9, 6, 3);
  out.writeUInt16BE(out.readUInt16BE(extLenAt) + ext.length, extLenAt);
  return out;
}

describe('TLS', () => {
  it('reads SNI and ALPN from the ClientHello and the version from the ServerHello', () => {
    const st = run([[CLIENT_HELLO, true], [SERVER_HELLO, false]], 'tcp', 33892, 443);
    assert.equal(st.service, 'ssl');
    assert.deepEqual(st.attrs, FULL);
    assert.equal(st.done, true);
  });

  it('detects by content on 8443, 993 and 12345', () => {
    for (const port of [8443, 993, 12345]) {
      assert.deepEqual(run([[CLIENT_HELLO, true], [SERVER_HELLO, false]], 'tcp', 40000, port).attrs, FULL, String(port));
    }
  });

  it('joins a ClientHello split over three segments, skipping a retransmitted first segment', () => {
    const parts: Sent[] = [[CLIENT_HELLO.subarray(0, 7), true], [CLIENT_HELLO.subarray(7, 120), true], [CLIENT_HELLO.subarray(0, 7), true], [CLIENT_HELLO.subarray(120), true]];
    const st = run([...parts, [SERVER_HELLO, false]], 'tcp', 40000, 443);
    assert.deepEqual([st.service, st.attrs, st.origBuf, st.respBuf], ['ssl', FULL, null, null]);
  });

  it('grows its buffer for a large ClientHello in three segments, up to maxStreamBytes', () => {
    const big = padded(CLIENT_HELLO, 2700);
    assert.equal(big.length, CLIENT_HELLO.length + 2704);
    const parts: Sent[] = [[big.subarray(0, 1000), true], [big.subarray(1000, 2000), true], [big.subarray(2000), true], [SERVER_HELLO, false]];
    assert.deepEqual(run(parts, 'tcp', 40000, 443).attrs, FULL);
    const capped = run(parts, 'tcp', 40000, 443, { maxStreamBytes: 2048 });
    assert.deepEqual([capped.service, capped.attrs], ['ssl', { version: 'TLSv13' }]);
  });

  it('gives up on the SNI when the ClientHello never completes within the packets inspected', () => {
    const pieces: Sent[] = [0, 1, 2, 3, 4].map((i) => [CLIENT_HELLO.subarray(i * 20, i * 20 + 20), true]);
    const st = run(pieces, 'tcp', 40000, 443);
    assert.equal(st.service, 'ssl');
    assert.equal(st.attrs, null);
    assert.equal(st.origPkts, 4);
  });

  it('on a ClientHello cut at every length: never throws, decides from 11 bytes, no SNI until whole', () => {
    for (let n = 1; n < CLIENT_HELLO.length; n++) {
      const st = run([[CLIENT_HELLO.subarray(0, n), true]], 'tcp', 40000, 443);
      assert.equal(st.service, n >= 11 ? 'ssl' : null, `cut at ${n}`);
      assert.equal(st.attrs, null, `cut at ${n}`);
    }
  });

  it('keeps the service but drops attributes of a ClientHello with damaged lengths', () => {
    const extLenAt = extensionsAt(CLIENT_HELLO);
    // extensions longer or shorter than they are; a record shorter than its hello; a hello too short
    for (const [at, value] of [[extLenAt, 0xffff], [extLenAt, 0x0001], [3, 0x0020], [7, 0x0010]] as const) {
      const bad = Buffer.from(CLIENT_HELLO);
      bad.writeUInt16BE(value, at);
      const st = run([[bad, true]], 'tcp', 40000, 443);
      assert.equal(st.attrs?.sni, undefined, `length ${value} at ${at}`);
    }
    const wrongSni = Buffer.from(CLIENT_HELLO);
    const sniAt = wrongSni.indexOf(Buffer.from('dns.google'));
    wrongSni.writeUInt16BE(0x7fff, sniAt - 2); // host_name length past the extension
    assert.equal(run([[wrongSni, true]], 'tcp', 40000, 443).attrs?.sni, undefined);
  });

  it('reports the version alone when the ServerHello is the first thing seen', () => {
    const st = run([[SERVER_HELLO, false]], 'tcp', 40000, 443);
    assert.deepEqual([st.service, st.attrs, st.done], ['ssl', { version: 'TLSv13' }, true]);
  });

  it('recognises a connection joined mid-stream by its chain of records', () => {
    assert.equal(run([[APP_DATA, true]], 'tcp', 62045, 443).service, 'ssl');
    const twoRecords = Buffer.concat([Buffer.from('1703030005', 'hex'), Buffer.alloc(5, 0xaa), Buffer.from('1503030002', 'hex'), Buffer.from([1, 0])]);
    assert.equal(run([[twoRecords, true]], 'tcp', 40000, 9999).service, 'ssl');
    const thenJunk = Buffer.concat([Buffer.from('1703030005', 'hex'), Buffer.alloc(5, 0xaa), Buffer.from('ffff', 'hex')]);
    assert.equal(run([[thenJunk, true]], 'tcp', 40000, 443).service, null);
    const badCcs = Buffer.from('140303000201ff', 'hex'); // a ChangeCipherSpec body is one byte
    assert.equal(run([[badCcs, true]], 'tcp', 40000, 443).service, null);
  });

  it('recognises an SSLv2-framed ClientHello and rejects one with inconsistent lengths', () => {
    const specs = Buffer.alloc(21, 0x01);
    const challenge = Buffer.alloc(16, 0x42);
    const hello = (len: number) => Buffer.concat([Buffer.from([0x80, len, 0x01, 0x03, 0x01, 0x00, 21, 0x00, 0x00, 0x00, 16]), specs, challenge]);
    assert.equal(run([[hello(9 + 21 + 16), true]], 'tcp', 40000, 443).service, 'ssl');
    assert.equal(run([[hello(9 + 21 + 17), true]], 'tcp', 40000, 443).service, null);
  });

  it('does not take plain text, or a handshake record with a bad version, on port 443 as TLS', () => {
    for (const junk of ['hello world\r\n', '\x16\x03\x07\x00\x30\x01\x00\x00\x2c\x03\x03' + 'x'.repeat(44), '\x16\x03\x01\x00\x30\x0b\x00\x00\x2c\x03\x03' + 'x'.repeat(44)]) {
      assert.equal(run([[junk, true]], 'tcp', 40000, 443).service, null, JSON.stringify(junk));
    }
  });
});
