/**
 * Real captures against Zeek's btest baselines: the anomaly names Zeek logs for damaged packets and
 * fragments, and the VLAN ids it puts on connections.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PacketDecoder } from './decode-packet.js';
import { DecodeResult, PacketInfo } from './packet-info.js';
import { readPcap } from './test-pcap.js';

const DIR = path.join(process.cwd(), 'test/fixtures/pcap');

function read(name: string): string {
  return readFileSync(path.join(DIR, name), 'utf8');
}

/** The `name` column of every record in a Zeek weird.log (possibly several logs concatenated). */
function weirdNames(text: string): string[] {
  const names: string[] = [];
  let col = -1;
  for (const line of text.split('\n')) {
    if (line.startsWith('#fields') || line.startsWith('ts\t')) {
      col = line.replace(/^#fields\t/, '').split('\t').indexOf('name');
    } else if (col >= 0 && line !== '' && !line.startsWith('#')) {
      names.push(line.split('\t')[col]);
    }
  }
  return names;
}

interface Run {
  results: DecodeResult[];
  weirds: Map<string, number>;
  outs: PacketInfo[];
}

function run(file: string): Run {
  const pcap = readPcap(path.join(DIR, file));
  const decoder = new PacketDecoder();
  const outs: PacketInfo[] = [];
  const results = pcap.packets.map((p) => {
    const out = new PacketInfo();
    outs.push(out);
    return decoder.decode(pcap.linkType, p.data, 0, p.data.length, p.wireLen, p.ts, out);
  });
  return { results, weirds: decoder.weirds, outs };
}

/** Expands a weird count map into a sorted list of names. */
function names(weirds: Map<string, number>, only?: (name: string) => boolean): string[] {
  const list: string[] = [];
  for (const [name, n] of weirds) if (!only || only(name)) for (let i = 0; i < n; i++) list.push(name);
  return list.sort();
}

test('truncated and bogus headers: the weird Zeek logs, and the packet is not analyzed', () => {
  // core.truncation ran ip4-trunc, ip6-trunc and ip6-ext-trunc in this order into one output.
  const truncation = weirdNames(read('zeek_trunc_ip4.expected.output.txt'));
  const cases: [string, string][] = [
    ['zeek_trunc_hdr.pcap', weirdNames(read('zeek_trunc_hdr.expected.weird.log'))[0]],
    ['zeek_ip_bogus_header_len.pcap', weirdNames(read('zeek_ip_bogus_header_len.expected.weird.log'))[0]],
    ['zeek_trunc_ip4.pcap', truncation[0]],
    ['zeek_trunc_ip6.pcap', truncation[1]],
    ['zeek_trunc_ip6_ext.pcap', truncation[2]],
  ];
  assert.deepEqual(
    cases.map(([, w]) => w),
    ['truncated_ethernet_frame', 'ip_hdr_len_zero', 'truncated_IP', 'truncated_IP', 'truncated_IP_len'],
  );
  for (const [file, weird] of cases) {
    const r = run(file);
    assert.deepEqual(r.results, [DecodeResult.Malformed], file);
    assert.equal(r.outs[0].weird, weird, file);
    assert.deepEqual(names(r.weirds), [weird], file);
  }
});

test('fragment anomalies match Zeek core.reassembly (fragmented-1 and fragmented-3 sections)', () => {
  const sections = read('zeek_ipv4_fragmented_1.expected.reassembly_output.txt')
    .split('----------------------')
    .map((s) => [...s.matchAll(/^flow weird, ([a-zA-Z_]+),/gm)].map((m) => m[1]).sort());
  const fragmentWeird = (n: string) => n.includes('fragment');
  assert.deepEqual(names(run('zeek_ipv4_fragmented_1.pcap').weirds, fragmentWeird), sections[1]);
  assert.deepEqual(names(run('zeek_ipv4_fragmented_3.pcap').weirds, fragmentWeird), sections[3]);
});

test('VLAN ids of Q-in-Q connections match Zeek vlan-logging', () => {
  const rows = read('zeek_q_in_q.expected.vlan.conn.log')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split('\t'));
  const r = run('zeek_q_in_q.pcap');
  for (const row of rows) {
    const [orig, origPort, vlan, innerVlan] = [row[2], Number(row[3]), Number(row[22]), Number(row[23])];
    const pkts = r.outs.filter((o, i) => r.results[i] === DecodeResult.Ok && o.srcPort === origPort);
    assert.ok(pkts.length > 0, `packets of ${orig}`);
    for (const o of pkts) {
      assert.equal(o.vlan, vlan);
      assert.equal(o.innerVlan, innerVlan);
    }
  }
});

test('a VLAN id of 0 is still a tag (Zeek vlan-0)', () => {
  const [, values] = read('zeek_http_vlan0.expected.conn.log.cut').trim().split('\n').slice(1);
  const [vlan, inner] = values.split('\t').slice(2);
  const r = run('zeek_http_vlan0.pcap');
  for (const o of r.outs) {
    assert.equal(String(o.vlan), vlan);
    assert.equal(o.innerVlan === -1 ? '-' : String(o.innerVlan), inner);
  }
});

test('three VLAN tags: we keep the outer two where Zeek overwrites the inner one', () => {
  // Zeek reports triple_tagged_vlan_unsupported and keeps the innermost tag as inner_vlan; we keep
  // the outermost tag and the one after it, as the flow table's key asks for.
  assert.deepEqual(weirdNames(read('zeek_vlan_qinqinq.expected.weird.log')), ['triple_tagged_vlan_unsupported']);
  const r = run('zeek_vlan_qinqinq.pcap');
  assert.ok(r.results.every((x) => x === DecodeResult.Ok));
  assert.ok(r.outs.every((o) => o.vlan === 30 && o.innerVlan === 20));
});
