// PPP, HDLC, pflog and 802.11/radiotap link layers: hand-built frames, then tshark as the oracle on a
// capture of each link type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pcapHeader, pcapRecord } from '../capture/capture-test-support.js';
import { LinkType } from './packet-info.js';
import { bytes, concat, ipv4, ipv6, tcp, udp } from './packet-builder.js';
import { decodeBytes, isAddr } from './test-decode.js';

const TCP4 = ipv4({ src: '192.0.2.1', dst: '198.51.100.2', proto: 6, payload: tcp({ sport: 1234, dport: 443 }) });
const UDP6 = ipv6({ src: '2001:db8::a', dst: '2001:db8::b', next: 17, payload: udp(5353, 53, bytes(1, 2, 3)) });
const SNAP4 = concat(bytes(0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00), TCP4);
const SNAP6 = concat(bytes(0xaa, 0xaa, 0x03, 0, 0, 0, 0x86, 0xdd), UDP6);
const MAC = (n: number) => bytes(2, 0, 0, 0, 0, n);

/** An 802.11 data frame: frame control, duration, addresses, sequence (fragment 0), [QoS], body. */
function wifi(body: Uint8Array, o: { subtype?: number; flags?: number; fragment?: number; qos?: number } = {}): Uint8Array {
  const subtype = o.subtype ?? 0;
  const flags = o.flags ?? 0x01;
  const hdr = concat(bytes((subtype << 4) | (2 << 2), flags, 0, 0), MAC(1), MAC(2), MAC(3), bytes(o.fragment ?? 0, 0));
  const four = (flags & 3) === 3 ? MAC(4) : new Uint8Array(0);
  const qos = subtype & 8 ? bytes(o.qos ?? 0, 0) : new Uint8Array(0);
  return concat(hdr, four, qos, body);
}

/** A radiotap header with Flags (and TSFT when asked), then the frame. */
function radiotap(frame: Uint8Array, o: { fcs?: boolean; tsft?: boolean } = {}): Uint8Array {
  const present = 0x2 | (o.tsft ? 0x1 : 0);
  const fields = o.tsft ? concat(new Uint8Array(8), bytes(o.fcs ? 0x10 : 0)) : bytes(o.fcs ? 0x10 : 0);
  const len = 8 + fields.length;
  const hdr = concat(bytes(0, 0, len & 255, len >> 8, present, 0, 0, 0), fields);
  return concat(hdr, frame, o.fcs ? bytes(0xde, 0xad, 0xbe, 0xef) : new Uint8Array(0));
}

/** A pflog header of `len` bytes (padded to 4) for address family `af`. */
function pflog(af: number, packet: Uint8Array, len = 61): Uint8Array {
  const h = new Uint8Array((len + 3) & ~3);
  h[0] = len;
  h[1] = af;
  h[2] = 1; // PF_DROP
  return concat(h, packet);
}

function ok4(d: ReturnType<typeof decodeBytes>): void {
  assert.equal(d.name, 'Ok', d.out.weird);
  assert.ok(isAddr(d.out.src, '192.0.2.1'));
  assert.ok(isAddr(d.out.dst, '198.51.100.2'));
  assert.equal(d.out.dstPort, 443);
}

function ok6(d: ReturnType<typeof decodeBytes>): void {
  assert.equal(d.name, 'Ok', d.out.weird);
  assert.ok(isAddr(d.out.src, '2001:db8::a'));
  assert.equal(d.out.dstPort, 53);
  assert.equal(d.out.payloadLen, 3);
}

test('PPP: HDLC-like framing or none, compressed protocol field; Cisco HDLC; PPP_HDLC holding either', () => {
  ok4(decodeBytes(concat(bytes(0xff, 0x03, 0x00, 0x21), TCP4), { linkType: LinkType.PPP }));
  ok4(decodeBytes(concat(bytes(0x00, 0x21), TCP4), { linkType: LinkType.PPP }));
  ok4(decodeBytes(concat(bytes(0x21), TCP4), { linkType: LinkType.PPP }));
  ok6(decodeBytes(concat(bytes(0x00, 0x57), UDP6), { linkType: LinkType.PPP }));
  assert.equal(decodeBytes(concat(bytes(0xc0, 0x21), new Uint8Array(8)), { linkType: LinkType.PPP }).name, 'NotIp'); // LCP
  ok4(decodeBytes(concat(bytes(0x0f, 0x00, 0x08, 0x00), TCP4), { linkType: LinkType.C_HDLC }));
  ok6(decodeBytes(concat(bytes(0x8f, 0x00, 0x86, 0xdd), UDP6), { linkType: LinkType.C_HDLC }));
  assert.equal(decodeBytes(concat(bytes(0x8f, 0x00, 0x80, 0x35), new Uint8Array(20)), { linkType: LinkType.C_HDLC }).name, 'NotIp'); // SLARP
  ok4(decodeBytes(concat(bytes(0xff, 0x03, 0x00, 0x21), TCP4), { linkType: LinkType.PPP_HDLC }));
  ok4(decodeBytes(concat(bytes(0x0f, 0x00, 0x08, 0x00), TCP4), { linkType: LinkType.PPP_HDLC }));
  const cut = decodeBytes(bytes(0x0f, 0x00), { linkType: LinkType.C_HDLC });
  assert.equal(cut.out.weird, 'truncated_HDLC_header');
});

test('pflog: the header length is padded to 4 bytes; IPv4 and the IPv6 families of each BSD', () => {
  ok4(decodeBytes(pflog(2, TCP4), { linkType: LinkType.PFLOG }));
  for (const af of [24, 28, 30]) ok6(decodeBytes(pflog(af, UDP6), { linkType: LinkType.PFLOG }));
  ok4(decodeBytes(pflog(2, TCP4, 64), { linkType: LinkType.PFLOG }));
  assert.equal(decodeBytes(pflog(7, TCP4), { linkType: LinkType.PFLOG }).name, 'NotIp');
  assert.equal(decodeBytes(pflog(2, TCP4).subarray(0, 30), { linkType: LinkType.PFLOG }).out.weird, 'truncated_PFLOG_header');
});

test('802.11 data frames of open networks; not IP: management, null, protected, later fragments, A-MSDU', () => {
  ok4(decodeBytes(wifi(SNAP4), { linkType: LinkType.IEEE802_11 }));
  ok6(decodeBytes(wifi(SNAP6, { flags: 0x02 }), { linkType: LinkType.IEEE802_11 }));
  ok4(decodeBytes(wifi(SNAP4, { subtype: 8 }), { linkType: LinkType.IEEE802_11 })); // QoS data
  ok4(decodeBytes(wifi(SNAP4, { flags: 0x03 }), { linkType: LinkType.IEEE802_11 })); // WDS: four addresses
  const mgmt = concat(bytes(0x80, 0, 0, 0), MAC(1), MAC(2), MAC(3), bytes(0, 0), new Uint8Array(12)); // beacon
  assert.equal(decodeBytes(mgmt, { linkType: LinkType.IEEE802_11 }).name, 'NotIp');
  assert.equal(decodeBytes(wifi(new Uint8Array(0), { subtype: 4 }), { linkType: LinkType.IEEE802_11 }).name, 'NotIp');
  assert.equal(decodeBytes(wifi(SNAP4, { flags: 0x41 }), { linkType: LinkType.IEEE802_11 }).name, 'NotIp');
  assert.equal(decodeBytes(wifi(SNAP4, { fragment: 1 }), { linkType: LinkType.IEEE802_11 }).name, 'NotIp');
  assert.equal(decodeBytes(wifi(SNAP4, { subtype: 8, qos: 0x80 }), { linkType: LinkType.IEEE802_11 }).name, 'NotIp');
  assert.equal(decodeBytes(wifi(SNAP4).subarray(0, 20), { linkType: LinkType.IEEE802_11 }).out.weird, 'truncated_802_11_header');
});

test('radiotap: the header is skipped by its length; an FCS the Flags field announces is not payload', () => {
  ok4(decodeBytes(radiotap(wifi(SNAP4)), { linkType: LinkType.IEEE802_11_RADIOTAP }));
  const withFcs = decodeBytes(radiotap(wifi(SNAP6), { fcs: true, tsft: true }), { linkType: LinkType.IEEE802_11_RADIOTAP });
  ok6(withFcs);
  assert.equal(withFcs.out.payloadCapLen, 3);
  assert.equal(decodeBytes(bytes(0, 0, 40, 0, 0, 0, 0, 0), { linkType: LinkType.IEEE802_11_RADIOTAP }).out.weird, 'truncated_radiotap_header');
});

const tshark = spawnSync('tshark', ['--version']).status === 0;

test('tshark reads the same addresses and ports from a capture of each link type', { skip: !tshark && 'tshark not installed' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-link-'));
  const cases: [number, Uint8Array[]][] = [
    [LinkType.PPP, [concat(bytes(0xff, 0x03, 0x00, 0x21), TCP4), concat(bytes(0x00, 0x57), UDP6)]],
    [LinkType.C_HDLC, [concat(bytes(0x0f, 0x00, 0x08, 0x00), TCP4), concat(bytes(0x8f, 0x00, 0x86, 0xdd), UDP6)]],
    [LinkType.PFLOG, [pflog(2, TCP4, 64), pflog(24, UDP6, 64)]],
    [LinkType.IEEE802_11, [wifi(SNAP4), wifi(SNAP6, { subtype: 8 })]],
    [LinkType.IEEE802_11_RADIOTAP, [radiotap(wifi(SNAP4)), radiotap(wifi(SNAP6), { fcs: true, tsft: true })]],
  ];
  for (const [linkType, frames] of cases) {
    const file = path.join(dir, `link-${linkType}.pcap`);
    fs.writeFileSync(file, Buffer.concat([pcapHeader({ linkType }), ...frames.map((f, i) => pcapRecord(1_700_000_000 + i, 0, Buffer.from(f)))]));
    const r = spawnSync('tshark', ['-r', file, '-T', 'fields', '-E', 'separator=,', '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'ip.dst', '-e', 'ipv6.dst', '-e', 'tcp.dstport', '-e', 'udp.dstport'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const theirs = r.stdout.trim().split('\n').map((l) => l.split(',').filter((v) => v !== '').join(' '));
    const ours = frames.map((f) => {
      const d = decodeBytes(f, { linkType });
      assert.equal(d.name, 'Ok', `link type ${linkType}: ${d.out.weird}`);
      const v6 = d.out.ipVersion === 6;
      const src = v6 ? '2001:db8::a' : '192.0.2.1';
      const dst = v6 ? '2001:db8::b' : '198.51.100.2';
      assert.ok(isAddr(d.out.src, src) && isAddr(d.out.dst, dst));
      return `${src} ${dst} ${d.out.dstPort}`;
    });
    assert.deepEqual(ours, theirs, `link type ${linkType}`);
  }
  fs.rmSync(dir, { recursive: true });
});
