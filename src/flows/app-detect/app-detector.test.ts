/**
 * The detector's own rules, apart from any protocol: options validated and frozen, the per-direction
 * packet budget, the end of detection (and of its buffers), bounds of the caller's offsets, the
 * caller's confirmation, and the PacketInfo entry point.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PacketInfo } from '../../decode/packet/packet-info.js';
import { NightjarError } from '../../model/errors.js';
import { framePayload, run, type Sent } from './app-detect-test-support.js';
import { AppDetector, APP_DETECTOR_DEFAULTS } from './app-detector.js';
import { newAppFlowState } from './app-flow-state.js';
import { APP_PROTOCOLS, APP_PROTOCOLS_BY_SERVICE } from './registry.js';

const REQUEST = framePayload('zeek_http_get', 4);
const RESPONSE = framePayload('zeek_http_get', 6);

describe('AppDetector options', () => {
  it('defaults to 4 packets per direction and freezes its options', () => {
    const d = new AppDetector();
    assert.deepEqual(d.options, APP_DETECTOR_DEFAULTS);
    assert.equal(d.options.maxPacketsPerFlow, 4);
    assert.ok(Object.isFrozen(d.options));
  });

  it('rejects out-of-range, fractional and unknown options with a usage error', () => {
    for (const bad of [{ maxPacketsPerFlow: 0 }, { maxPacketsPerFlow: 65 }, { maxPacketsPerFlow: 1.5 }, { maxStreamBytes: 10 }, { maxPackets: 4 }]) {
      assert.throws(() => new AppDetector(bad as object), (e: unknown) => e instanceof NightjarError && e.code === 'NJ_USAGE', JSON.stringify(bad));
    }
  });

  it('registers every protocol once by its service name', () => {
    assert.equal(APP_PROTOCOLS_BY_SERVICE.size, APP_PROTOCOLS.length);
    for (const s of ['dns', 'http', 'ssl', 'ssh', 'quic', 'smb', 'rdp', 'ntp', 'dhcp', 'smtp', 'ftp', 'krb', 'krb_tcp', 'sip', 'mysql', 'postgresql']) {
      assert.equal(APP_PROTOCOLS_BY_SERVICE.get(s)?.service, s);
    }
  });
});

describe('AppDetector packet budget and end of detection', () => {
  const junk: Sent = ['zzzzzzzzzzzzzzzz', true];

  it('looks at only the first maxPacketsPerFlow payload packets of each direction', () => {
    const late: Sent[] = [junk, junk, junk, junk, [REQUEST, true]];
    assert.equal(run(late, 'tcp', 50000, 80).service, null);
    assert.equal(run(late, 'tcp', 50000, 80, { maxPacketsPerFlow: 5 }).service, 'http');
  });

  it('counts directions apart, and ends detection of an unknown connection when both are spent', () => {
    const d = new AppDetector({ maxPacketsPerFlow: 2 });
    const st = newAppFlowState();
    const z = Buffer.from('zzzzzzzzzzzzzzzz');
    for (let i = 0; i < 3; i++) d.inspect(st, z, 0, z.length, 6, 50000, 80, true);
    assert.deepEqual([st.origPkts, st.respPkts, st.done], [2, 0, false]);
    d.inspect(st, z, 0, z.length, 6, 80, 50000, false);
    d.inspect(st, z, 0, z.length, 6, 80, 50000, false);
    assert.deepEqual([st.origPkts, st.respPkts, st.done, st.service], [2, 2, true, null]);
  });

  it('changes nothing once done, and keeps no buffers', () => {
    const d = new AppDetector();
    const st = newAppFlowState();
    d.inspect(st, REQUEST, 0, REQUEST.length, 6, 59856, 80, true);
    d.inspect(st, RESPONSE, 0, RESPONSE.length, 6, 80, 59856, false);
    assert.equal(st.done, true);
    const before = JSON.stringify(st.attrs);
    const tls = framePayload('sv_community_id_ipv6', 4);
    d.inspect(st, tls, 0, tls.length, 6, 59856, 80, true);
    d.inspect(st, REQUEST, 0, REQUEST.length, 6, 80, 59856, false);
    assert.deepEqual([st.service, JSON.stringify(st.attrs), st.origPkts, st.respPkts], ['http', before, 1, 1]);
    assert.deepEqual([st.origBuf, st.respBuf, st.aux, st.want], [null, null, null, 0]);
  });

  it('ends at once for transports other than TCP and UDP', () => {
    const d = new AppDetector();
    const st = newAppFlowState();
    d.inspect(st, REQUEST, 0, REQUEST.length, 132, 59856, 80, true);
    assert.deepEqual([st.done, st.service], [true, null]);
  });

  it('reads only payload[offset..offset+length), and survives offsets outside the buffer', () => {
    const d = new AppDetector();
    const framed = Buffer.concat([Buffer.alloc(37, 0xee), REQUEST, Buffer.from('trailing')]);
    const st = newAppFlowState();
    d.inspect(st, framed, 37, REQUEST.length, 6, 59856, 80, true);
    assert.equal(st.attrs?.host, 'bro.org');
    const odd = newAppFlowState();
    for (const [o, l] of [[-1, 10], [framed.length, 10], [framed.length - 3, 100], [0, 0], [5, -2]]) d.inspect(odd, framed, o, l, 6, 1, 2, true);
    assert.equal(odd.service, null);
  });

  it("lets the caller confirm a service it decoded, without overriding a detected one", () => {
    const st = newAppFlowState();
    st.confirm('dns');
    assert.deepEqual([st.service, st.done], ['dns', true]);
    const http = run([[REQUEST, true]], 'tcp', 59856, 53);
    http.confirm('dns');
    assert.deepEqual([http.service, http.done], ['http', true]);
  });

  it('inspects a decoded PacketInfo, skipping one whose transport header was not parsed', () => {
    const pkt = new PacketInfo();
    pkt.buf = Buffer.concat([Buffer.alloc(54), REQUEST]);
    Object.assign(pkt, { ipProto: 6, srcPort: 59856, dstPort: 8080, payloadOffset: 54, payloadCapLen: REQUEST.length, payloadLen: REQUEST.length });
    const d = new AppDetector();
    const skipped = newAppFlowState();
    d.inspectPacket(skipped, pkt, true);
    assert.equal(skipped.origPkts, 0);
    pkt.transportOk = true;
    const st = newAppFlowState();
    d.inspectPacket(st, pkt, true);
    assert.equal(st.service, 'http');
  });
});
