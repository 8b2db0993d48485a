/**
 * Golden tests against tcpdump: every fixture datagram is decoded and every field tcpdump -v prints
 * (datagram header, sample headers, interfaces, record formats and lengths, raw header sizes, switch
 * VLANs, generic and Ethernet counters) is compared with the decoder's output.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SflowDecoder, type SflowCounterSample } from './sflow.js';
import { CollectingSink, FIXTURES, parseTcpdump, readDatagrams, type FlowSnapshot, type OracleSample } from './sflow-test-support.js';

const FILES = ['tcpdump_sflow_expanded', 'tcpdump_sflow_multiple_counter_30_pdus', 'tcpdump_sflow_v6', 'tcpdump_sflow_segv_malformed'];

function genericNumbers(c: SflowCounterSample): number[] {
  const g = c.generic!;
  return [
    g.ifIndex, g.ifType, g.ifSpeed, g.ifDirection, g.ifStatus,
    g.inOctets, g.inUcastPkts, g.inMulticastPkts, g.inBroadcastPkts, g.inDiscards, g.inErrors, g.inUnknownProtos,
    g.outOctets, g.outUcastPkts, g.outMulticastPkts, g.outBroadcastPkts, g.outDiscards, g.outErrors, g.promiscuousMode,
  ];
}

function checkFlow(o: OracleSample, f: FlowSnapshot, where: string): void {
  const x = o.fields;
  assert.equal(f.expanded, o.format === 3, where);
  assert.deepEqual(
    [f.sampleLength, f.sequence, f.sourceIdType, f.sourceIdIndex, f.samplingRate, f.samplePool, f.drops, f.records],
    [x.length, x.seqnum, x.type, x.idx, x.rate, x.pool, x.drops, x.records],
    where,
  );
  if (f.expanded) {
    assert.deepEqual([f.inputValue, f.inputFormat, f.outputValue, f.outputFormat], [x.input, x.inputFormat, x.output, x.outputFormat], where);
  } else {
    // tcpdump prints the compact words whole: format in the top two bits.
    assert.equal(f.inputFormat * 2 ** 30 + f.inputValue, x.input, where);
    assert.equal(f.outputFormat * 2 ** 30 + f.outputValue, x.output, where);
  }
  for (const r of o.records) {
    const at = `${where} record ${r.format}`;
    if (r.format === 1) {
      assert.ok(f.hasHeader, at);
      assert.match(r.lines[0], new RegExp(`\\(${f.headerProtocol}\\)`), at);
      assert.deepEqual([f.frameLength, f.stripped, f.headerLength], r.numbers, at);
      assert.equal(r.length, 16 + ((f.headerLength + 3) & ~3), at);
    } else if (r.format === 1001) {
      assert.ok(f.hasSwitch, at);
      assert.deepEqual([f.srcVlan, f.srcPriority, f.dstVlan, f.dstPriority], r.numbers, at);
      assert.equal(r.length, 16, at);
    } else if (r.format === 1002) {
      assert.ok(f.hasRouter, at);
      assert.equal(r.length, (f.routerNextHop.includes(':') ? 20 : 8) + 8, at);
    } else if (r.format === 1003) {
      assert.ok(f.hasGateway, at);
    } else {
      assert.fail(`${at}: no check for this record`);
    }
  }
  assert.equal(o.records.length, f.records, where);
}

function checkCounter(o: OracleSample, c: SflowCounterSample, where: string): void {
  const x = o.fields;
  assert.equal(c.expanded, o.format === 4, where);
  assert.deepEqual([c.sampleLength, c.sequence, c.sourceIdType, c.sourceIdIndex], [x.length, x.seqnum, x.type, x.idx], where);
  const formats: number[] = [];
  for (const r of o.records) {
    const at = `${where} record ${r.format}`;
    formats.push(r.format);
    if (r.format === 1) {
      assert.equal(r.length, 88, at);
      assert.deepEqual(genericNumbers(c), r.numbers, at);
    } else if (r.format === 2) {
      assert.equal(r.length, 52, at);
      assert.deepEqual(Object.values(c.ethernet!), r.numbers, at);
    } else {
      assert.equal(r.name, 'Unknown', at);
    }
  }
  const mine = [...(c.generic ? [1] : []), ...(c.ethernet ? [2] : []), ...c.unknownRecords];
  assert.deepEqual(mine.sort((a, b) => a - b), formats.sort((a, b) => a - b), where);
  assert.equal(formats.length, x.records, where);
}

for (const name of FILES) {
  test(`sflow matches tcpdump on ${name}`, () => {
    const datagrams = readDatagrams(`${name}.pcap`);
    const oracle = parseTcpdump(readFileSync(`${FIXTURES}/${name}.expected.tcpdump.txt`, 'utf8'));
    assert.equal(datagrams.length, oracle.length);
    const decoder = new SflowDecoder();
    let samples = 0;
    datagrams.forEach((d, i) => {
      const o = oracle[i];
      const sink = new CollectingSink();
      const r = decoder.decode(d.payload, 0, d.payload.length, d.exporter, d.ts, sink);
      const where = `${name} #${i + 1}`;
      if (o.header === null) {
        assert.equal(r.ok, false, where);
        const code = /version \d+ packet not supported/.test(o.rejected!) ? 'bad_version' : 'truncated_header';
        assert.equal(r.error, code, `${where}: ${o.rejected}`);
        assert.equal(sink.order.length, 0, where);
        return;
      }
      const h = o.header;
      assert.equal(r.ok, true, `${where}: ${r.error}`);
      assert.deepEqual(
        [r.agent, r.subAgentId, r.sequence, r.uptimeMs, r.announced, d.payload.length],
        [h.agent, h.agentId, h.seqnum, h.uptime, h.samples, h.length],
        where,
      );
      assert.equal(sink.order.length, o.samples.length, where);
      let fi = 0;
      let ci = 0;
      o.samples.forEach((s, j) => {
        const at = `${where} sample ${j + 1}`;
        if (s.format === 1 || s.format === 3) checkFlow(s, sink.flows[fi++], at);
        else checkCounter(s, sink.counters[ci++], at);
        samples++;
      });
      for (const f of sink.flows) assert.equal(f.agent, h.agent, where);
      for (const c of sink.counters) assert.equal(c.exporter, d.exporter, where);
    });
    assert.ok(samples > 0 || name.includes('malformed'), 'the fixture decoded no sample at all');
  });
}

test('the malformed fixture is counted as damage, not thrown', () => {
  const [d] = readDatagrams('tcpdump_sflow_segv_malformed.pcap');
  const decoder = new SflowDecoder();
  const sink = new CollectingSink();
  const r = decoder.decode(d.payload, 0, d.payload.length, d.exporter, d.ts, sink);
  assert.equal(r.error, 'truncated_header');
  assert.equal(decoder.stats.malformed.truncated_header, 1);
  assert.equal(decoder.stats.datagrams, 1);
});
