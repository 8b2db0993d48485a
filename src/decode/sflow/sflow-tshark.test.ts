/**
 * Golden tests against Wireshark (fixtures made by test/fixtures/sflow/make-tshark-oracle.sh): the
 * packet inside each raw header record (VLAN, addresses, protocol, ports, TCP flags, IP length), the
 * interface encodings, and the router and gateway records that tcpdump -v does not print.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SflowDecoder } from './sflow.js';
import { CollectingSink, FIXTURES, readDatagrams, type FlowSnapshot } from './sflow-test-support.js';

interface TsharkRecord {
  name: string;
  fields: [string, string][];
  inner?: Record<string, string>;
}
interface TsharkSample {
  frame: number;
  sample: string;
  fields: [string, string][];
  records: TsharkRecord[];
}

function all(pairs: [string, string][], key: string): string[] {
  return pairs.filter(([k]) => k === key).map(([, v]) => v);
}
function one(pairs: [string, string][], key: string): string {
  const v = all(pairs, key);
  assert.equal(v.length, 1, `field ${key}`);
  return v[0];
}

function decodeFlows(name: string): { frame: number; flow: FlowSnapshot }[] {
  const out: { frame: number; flow: FlowSnapshot }[] = [];
  const decoder = new SflowDecoder();
  readDatagrams(`${name}.pcap`).forEach((d, i) => {
    const sink = new CollectingSink();
    decoder.decode(d.payload, 0, d.payload.length, d.exporter, d.ts, sink);
    for (const flow of sink.flows) out.push({ frame: i + 1, flow });
  });
  return out;
}

for (const name of ['tcpdump_sflow_expanded', 'tcpdump_sflow_v6']) {
  test(`sflow flow samples match tshark on ${name}`, () => {
    const oracle = JSON.parse(readFileSync(`${FIXTURES}/${name}.expected.tshark.json`, 'utf8')) as TsharkSample[];
    const mine = decodeFlows(name);
    assert.equal(mine.length, oracle.length);
    assert.ok(oracle.length > 0);
    oracle.forEach((o, i) => {
      const { frame, flow: f } = mine[i];
      const where = `${name} frame ${o.frame} ${o.sample}`;
      assert.equal(frame, o.frame, where);
      assert.equal(f.sequence, +one(o.fields, 'sflow.flow_sample.sequence_number'), where);
      assert.equal(f.samplingRate, +one(o.fields, 'sflow.flow_sample.sampling_rate'), where);
      const outFormat = o.records.find((r) => r.name === 'sflow.flow_sample.output_interface_tree');
      if (outFormat) {
        assert.equal(f.outputFormat, +one(outFormat.fields, 'sflow.flow_sample.output_interface_format'), where);
        assert.equal(f.outputValue, +one(outFormat.fields, 'sflow.flow_sample.output_interface_value'), where);
      }
      if (f.expanded) {
        assert.equal(f.inputFormat, +one(o.fields, 'sflow.flow_sample.input_interface_format'), where);
        assert.equal(f.outputValue, +one(o.fields, 'sflow.flow_sample.output_interface_value'), where);
      } else {
        assert.equal(f.inputValue, +one(o.fields, 'sflow.flow_sample.input_interface'), where);
      }
      let headers = 0;
      for (const r of o.records) {
        if (r.inner !== undefined) {
          headers++;
          const x = r.inner;
          const v6 = x['ipv6.src'] !== undefined;
          assert.equal(f.tupleSource, 1, where);
          assert.equal(f.srcText, v6 ? x['ipv6.src'] : x['ip.src'], where);
          assert.equal(f.dstText, v6 ? x['ipv6.dst'] : x['ip.dst'], where);
          assert.equal(f.ipProto, +(v6 ? x['ipv6.nxt'] : x['ip.proto']), where);
          assert.equal(f.ipLen, v6 ? +x['ipv6.plen'] + 40 : +x['ip.len'], where);
          assert.equal(f.vlan, x['vlan.id'] === undefined ? -1 : +x['vlan.id'], where);
          const sport = x['tcp.srcport'] ?? x['udp.srcport'];
          assert.equal(f.portsOk, sport !== undefined, where);
          if (sport !== undefined) {
            assert.equal(f.srcPort, +sport, where);
            assert.equal(f.dstPort, +(x['tcp.dstport'] ?? x['udp.dstport']), where);
          }
          assert.equal(f.tcpFlags, x['tcp.flags'] === undefined ? 0 : parseInt(x['tcp.flags'], 16), where);
          assert.equal(f.frameLength, +one(r.fields, 'sflow_245.header.frame_length'), where);
        } else if (r.name === 'Extended router data') {
          assert.equal(f.routerNextHop, one(r.fields, 'sflow_245.nexthop'), where);
          assert.equal(f.srcMask, +one(r.fields, 'sflow_245.nexthop.src_mask'), where);
          assert.equal(f.dstMask, +one(r.fields, 'sflow_245.nexthop.dst_mask'), where);
        } else if (r.name === 'Extended gateway data') {
          assert.equal(f.gatewayNextHop, one(r.fields, 'sflow_245.nexthop'), where);
          assert.equal(f.routerAs, +one(r.fields, 'sflow_245.as'), where);
          assert.equal(f.srcAs, +one(r.fields, 'sflow_245.srcAS'), where);
          assert.equal(f.srcPeerAs, +one(r.fields, 'sflow_245.peerAS'), where);
          assert.equal(f.localPref, +one(r.fields, 'sflow_245.localpref'), where);
          // Wireshark labels AS path entries and communities alike: the path first, then the communities.
          const values = all(r.fields, 'sflow_245.dstAS').map(Number);
          const communities = +one(r.fields, 'sflow_245.communityEntries');
          assert.deepEqual(f.asPath, values.slice(0, values.length - communities), where);
          assert.deepEqual(f.communities, values.slice(values.length - communities), where);
        }
      }
      assert.equal(headers, f.hasHeader ? 1 : 0, where);
    });
  });
}
