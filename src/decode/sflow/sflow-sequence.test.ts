/**
 * Sequence tracking: datagram gaps per (agent, sub-agent), sample gaps per source, 32-bit wrap,
 * agent restarts (sequence back to small values, uptime going back), duplicates and late arrivals.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SflowDecoder } from './sflow.js';
import { counterSample, datagram, flowSample, rawHeader, tcpFrame } from './sflow-builder.js';
import { CollectingSink } from './sflow-test-support.js';

function feed(decoder: SflowDecoder, seq: number, sampleSeq: number, opts: { agent?: number[]; sub?: number; uptime?: number; source?: number } = {}): void {
  const s = flowSample({ seq: sampleSeq, sourceId: opts.source ?? 7, records: [rawHeader(tcpFrame(), 78)] });
  const d = datagram({ seq, samples: [s], agent: opts.agent, subAgent: opts.sub, uptime: opts.uptime ?? 1000 + seq });
  decoder.decode(d, 0, d.length, 'e', 0, new CollectingSink());
}

test('gaps in datagram and sample sequences are counted as loss', () => {
  const d = new SflowDecoder();
  feed(d, 1, 10);
  feed(d, 2, 11);
  feed(d, 5, 20);
  assert.equal(d.stats.lostDatagrams, 2);
  assert.equal(d.stats.lostSamples, 8);
  assert.equal(d.stats.restarts, 0);
});

test('sequences wrap at 2^32 without loss', () => {
  const d = new SflowDecoder();
  feed(d, 0xfffffffe, 0xffffffff);
  feed(d, 0xffffffff, 0);
  feed(d, 0, 1, { uptime: 5000 });
  feed(d, 2, 3, { uptime: 6000 });
  assert.equal(d.stats.lostDatagrams, 1);
  assert.equal(d.stats.lostSamples, 1);
  assert.equal(d.stats.restarts, 0);
});

test('an agent restart starts counting over instead of reporting billions lost', () => {
  const d = new SflowDecoder();
  feed(d, 500000, 900000, { uptime: 10_000_000 });
  feed(d, 1, 1, { uptime: 2000 }); // uptime went back: restart
  feed(d, 2, 2, { uptime: 3000 });
  assert.equal(d.stats.restarts, 1);
  assert.equal(d.stats.lostDatagrams, 0);
  assert.equal(d.stats.lostSamples, 0);
  // Sequence back to a small value with uptime still rising is a restart too; it resets the sources.
  feed(d, 1000, 1000, { uptime: 4000 });
  assert.equal(d.stats.lostDatagrams, 997);
  assert.equal(d.stats.lostSamples, 997);
  feed(d, 3, 3, { uptime: 5000 });
  assert.equal(d.stats.restarts, 2);
  // One source starting over while the datagram sequence goes on.
  feed(d, 4, 4, { uptime: 6000 });
  feed(d, 5, 1, { uptime: 7000 });
  assert.equal(d.stats.restarts, 3);
  assert.equal(d.stats.lostDatagrams, 997);
  assert.equal(d.stats.lostSamples, 997);
});

test('duplicates and late arrivals are not loss', () => {
  const d = new SflowDecoder();
  feed(d, 100, 100);
  feed(d, 102, 102);
  assert.equal(d.stats.lostDatagrams, 1);
  feed(d, 101, 101); // late: the loss is taken back
  assert.equal(d.stats.lostDatagrams, 0);
  assert.equal(d.stats.lostSamples, 0);
  assert.equal(d.stats.outOfOrder, 2);
  feed(d, 102, 102);
  assert.equal(d.stats.duplicates, 2);
});

test('agents, sub-agents, sources and sample kinds have separate sequences', () => {
  const d = new SflowDecoder();
  feed(d, 1, 1, { agent: [10, 0, 0, 1] });
  feed(d, 1, 1, { agent: [10, 0, 0, 2] });
  feed(d, 1, 1, { agent: [10, 0, 0, 1], sub: 1 });
  feed(d, 2, 1, { agent: [10, 0, 0, 1], source: 8 });
  const c = datagram({ seq: 3, samples: [counterSample(1, 7, [])] });
  d.decode(c, 0, c.length, 'e', 0, new CollectingSink());
  assert.equal(d.stats.lostDatagrams, 0);
  assert.equal(d.stats.lostSamples, 0);
  assert.equal(d.stats.duplicates, 0);
  feed(d, 4, 5, { agent: [10, 0, 0, 1], source: 8 });
  assert.equal(d.stats.lostSamples, 3);
});

test('tracking tables are bounded', () => {
  const d = new SflowDecoder({ maxAgents: 2, maxSourcesPerAgent: 1 });
  feed(d, 1, 1, { agent: [10, 0, 0, 1] });
  feed(d, 1, 1, { agent: [10, 0, 0, 2] });
  feed(d, 1, 1, { agent: [10, 0, 0, 3] });
  feed(d, 2, 1, { agent: [10, 0, 0, 1], source: 9 });
  assert.equal(d.stats.untracked, 2);
});
