/**
 * Real captures against tshark: for every packet, the innermost flow tshark dissects (addresses,
 * protocol, ports or ICMP type/code, the first two VLAN ids, the innermost tunnel's carrier) must be
 * what PacketDecoder reports. The expected files are made by test/fixtures/pcap/make-tshark-expected.sh,
 * whose normalizer already applies two of our choices: a packet quoted inside an ICMP error is not the
 * flow, and PPTP's GRE is not followed into PPP. Two more differences are checked here:
 * - tshark shows no transport on a fragment it is holding; we return FragmentHeld with the addresses
 *   (and on the fragment that completes the datagram both show the reassembled transport);
 * - a Teredo bubble (IPv6 "no next header") is an IP packet without transport: Ok, transportOk false.
 * A tunnel whose payload is not IP (ARP inside VXLAN or Geneve) is the carrier's UDP flow for both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseIpInto } from '../../model/ip.js';
import { PacketDecoder } from './decode-packet.js';
import { DecodeResult, PacketInfo, TunnelKind } from './packet-info.js';
import { readPcap } from './test-pcap.js';

const DIR = path.join(process.cwd(), 'test/fixtures/pcap');

interface Expected {
  frame: number;
  ipVersion: string;
  src: string;
  dst: string;
  proto: string;
  srcPort: string;
  dstPort: string;
  vlan: string;
  innerVlan: string;
  tunnelSrc: string;
  tunnelDst: string;
}

function readExpected(name: string): Expected[] {
  const text = readFileSync(path.join(DIR, `${name}.expected.tshark-packets.tsv`), 'utf8');
  const lines = text.trim().split('\n').slice(1);
  return lines.map((line) => {
    const c = line.split('\t');
    return {
      frame: Number(c[0]),
      ipVersion: c[1],
      src: c[2],
      dst: c[3],
      proto: c[4],
      srcPort: c[5],
      dstPort: c[6],
      vlan: c[7],
      innerVlan: c[8],
      tunnelSrc: c[9],
      tunnelDst: c[10],
    };
  });
}

function addrBytes(s: string): Uint8Array {
  const b = new Uint8Array(16);
  const n = parseIpInto(s, b, 0);
  assert.ok(n > 0, `bad address in expected file: ${s}`);
  return b.subarray(0, n);
}

function sameAddr(actual: Uint8Array, expected: string, what: string): void {
  const e = addrBytes(expected);
  assert.deepEqual(Array.from(actual.subarray(0, e.length)), Array.from(e), `${what} should be ${expected}`);
}

const RESULT_NAMES = ['Ok', 'FragmentHeld', 'NotIp', 'Malformed', 'Unsupported'];

function check(e: Expected, r: DecodeResult, out: PacketInfo): void {
  const ctx = `frame ${e.frame}`;
  assert.equal(out.vlan, e.vlan === '-' ? -1 : Number(e.vlan), `${ctx}: vlan`);
  assert.equal(out.innerVlan, e.innerVlan === '-' ? -1 : Number(e.innerVlan), `${ctx}: inner vlan`);
  if (e.ipVersion === '-') {
    assert.equal(RESULT_NAMES[r], 'NotIp', `${ctx}: result`);
    return;
  }
  assert.equal(out.ipVersion, Number(e.ipVersion), `${ctx}: ip version`);
  sameAddr(out.src, e.src, `${ctx}: src`);
  sameAddr(out.dst, e.dst, `${ctx}: dst`);
  if (e.tunnelSrc === '-') {
    assert.equal(out.tunnel, TunnelKind.None, `${ctx}: no tunnel`);
  } else {
    assert.notEqual(out.tunnel, TunnelKind.None, `${ctx}: tunnel`);
    sameAddr(out.tunnelSrc, e.tunnelSrc, `${ctx}: tunnel src`);
    sameAddr(out.tunnelDst, e.tunnelDst, `${ctx}: tunnel dst`);
  }
  if (e.proto === '-') {
    if (out.ipProto === 59) {
      // IPv6 "no next header" (a Teredo bubble): an IP packet without transport.
      assert.equal(RESULT_NAMES[r], 'Ok', `${ctx}: result`);
      assert.equal(out.transportOk, false, `${ctx}: transportOk`);
      return;
    }
    // tshark shows no transport on a fragment it holds for reassembly.
    assert.equal(RESULT_NAMES[r], 'FragmentHeld', `${ctx}: result`);
    return;
  }
  assert.equal(RESULT_NAMES[r], 'Ok', `${ctx}: result (weird ${out.weird})`);
  assert.equal(out.transportOk, true, `${ctx}: transportOk (weird ${out.weird})`);
  assert.equal(out.ipProto, Number(e.proto), `${ctx}: ip proto`);
  if (e.srcPort !== '-') {
    assert.equal(out.srcPort, Number(e.srcPort), `${ctx}: src port`);
    assert.equal(out.dstPort, Number(e.dstPort), `${ctx}: dst port`);
  }
}

const FILES = readFileSync(path.join(DIR, 'make-tshark-expected.sh'), 'utf8')
  .match(/FILES=\(([^)]*)\)/)?.[1]
  .split(/\s+/)
  .filter((f) => f.endsWith('.pcap'));

test('the fixture list is read from the generator script', () => {
  assert.ok(FILES !== undefined && FILES.length >= 30);
});

for (const file of FILES ?? []) {
  const name = file.replace(/\.pcap$/, '');
  test(`${file} decodes as tshark dissects it`, () => {
    const pcap = readPcap(path.join(DIR, file));
    const expected = readExpected(name);
    assert.equal(pcap.packets.length, expected.length, 'packet count');
    const decoder = new PacketDecoder();
    const out = new PacketInfo();
    pcap.packets.forEach((p, i) => {
      const r = decoder.decode(pcap.linkType, p.data, 0, p.data.length, p.wireLen, p.ts, out);
      check(expected[i], r, out);
    });
  });
}
