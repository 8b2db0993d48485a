/**
 * Crafted damage: every malformed case is counted under its reason code, never thrown, keeps the
 * samples read before it, and leaves the decoder ready for the next datagram.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SflowDecoder, type SflowErrorCode } from './sflow.js';
import { Xdr, counterSample, datagram, flowSample, item, rawHeader, tcpFrame } from './sflow-builder.js';
import { CollectingSink } from './sflow-test-support.js';

const good = () => flowSample({ seq: 1, records: [rawHeader(tcpFrame(), 78)] });

function run(buf: Uint8Array, decoder = new SflowDecoder()) {
  const sink = new CollectingSink();
  const r = decoder.decode(buf, 0, buf.length, '192.0.2.9', 1_000_000, sink);
  return { r: { ...r }, sink, decoder };
}

function expectDamage(buf: Uint8Array, code: SflowErrorCode, kept: number): void {
  const { r, sink, decoder } = run(buf);
  assert.equal(r.ok, false);
  assert.equal(r.error, code);
  assert.equal(decoder.stats.malformed[code], 1, code);
  assert.equal(sink.order.length, kept, `${code}: samples kept`);
  // The same decoder goes on with a sound datagram.
  const next = run(datagram({ seq: 2, samples: [good()] }), decoder);
  assert.equal(next.r.ok, true);
  assert.equal(next.sink.flows.length, 1);
}

test('a sound crafted datagram decodes whole', () => {
  const { r, sink } = run(datagram({ seq: 1, samples: [good(), counterSample(1, 7, [])] }));
  assert.equal(r.ok, true);
  assert.equal(r.error, null);
  assert.deepEqual([r.flowSamples, r.counterSamples], [1, 1]);
  const f = sink.flows[0];
  assert.deepEqual([f.srcText, f.srcPort, f.dstText, f.dstPort, f.ipProto, f.tcpFlags, f.ipLen], ['192.0.2.1', 40000, '198.51.100.2', 443, 6, 2, 60]);
  assert.deepEqual([f.scaledPackets, f.scaledBytes, f.frameLength], [100, 7800, 78]);
});

test('a truncated header, a wrong version and a bad agent type are rejected', () => {
  const d = datagram({ seq: 1, samples: [good()] });
  expectDamage(d.subarray(0, 20), 'truncated_header', 0);
  expectDamage(d.subarray(0, 4), 'truncated_header', 0);
  expectDamage(datagram({ seq: 1, samples: [good()], version: 4 }), 'bad_version', 0);
  const bad = d.slice();
  bad[7] = 9;
  expectDamage(bad, 'bad_agent_type', 0);
});

test('a sample running past the datagram keeps the samples before it', () => {
  const d = datagram({ seq: 1, samples: [good(), good()] });
  expectDamage(d.subarray(0, d.length - 10), 'sample_past_end', 1);
});

test('a record running past its sample costs only that sample', () => {
  const broken = flowSample({ seq: 2, records: [item(1001, new Xdr().u32(1, 2, 3, 4).build(), 400)] });
  const d = datagram({ seq: 1, samples: [good(), broken, good()] });
  expectDamage(d, 'record_past_sample', 2);
});

test('absurd counts are bounded by the bytes present', () => {
  expectDamage(datagram({ seq: 1, samples: [good()], announced: 0xffffffff }), 'absurd_sample_count', 1);
  const many = flowSample({ seq: 2, records: [], count: 0x7fffffff });
  expectDamage(datagram({ seq: 1, samples: [good(), many] }), 'absurd_record_count', 1);
  // A gateway record announcing four billion AS path segments.
  const gw = item(1003, new Xdr().u32(1).bytes([10, 0, 0, 1]).u32(1, 2, 3, 0xffffffff).build());
  const { r, sink } = run(datagram({ seq: 1, samples: [flowSample({ seq: 3, records: [gw] })] }));
  assert.equal(r.error, 'absurd_record_count');
  assert.equal(sink.flows[0].hasGateway, false);
});

test('fewer samples than announced is counted', () => {
  expectDamage(datagram({ seq: 1, samples: [good()], announced: 2 }), 'missing_samples', 1);
});

test('zero-length and too-short records are skipped and counted, the sample kept', () => {
  const zero = flowSample({ seq: 2, records: [item(1001, new Uint8Array(0)), rawHeader(tcpFrame(), 78)] });
  expectDamage(datagram({ seq: 1, samples: [zero] }), 'zero_length_record', 1);
  const short = flowSample({ seq: 2, records: [item(1001, new Xdr().u32(1).build())] });
  expectDamage(datagram({ seq: 1, samples: [short] }), 'record_too_short', 1);
  const shortCounter = counterSample(1, 5, [item(1, new Xdr().u32(1, 2).build())]);
  expectDamage(datagram({ seq: 1, samples: [shortCounter] }), 'record_too_short', 1);
});

test('a sample shorter than its fixed fields is counted', () => {
  expectDamage(datagram({ seq: 1, samples: [good(), item(1, new Xdr().u32(1, 2).build())] }), 'sample_too_short', 1);
  expectDamage(datagram({ seq: 1, samples: [item(4, new Xdr().u32(1).build())] }), 'sample_too_short', 0);
});

test('other enterprises and unknown formats are skipped by their length', () => {
  const foreign = item((9 << 12) | 1, new Xdr().u32(1, 2, 3).build());
  const unknownRecord = flowSample({ seq: 2, records: [item(2000, new Xdr().u32(5).build()), item((7 << 12) | 1, new Xdr().u32(5).build())] });
  const { r, sink, decoder } = run(datagram({ seq: 1, samples: [foreign, unknownRecord, good()] }));
  assert.equal(r.ok, true);
  assert.equal(r.skippedSamples, 1);
  assert.equal(sink.flows.length, 2);
  assert.equal(sink.flows[0].unknownRecords, 2);
  assert.equal(decoder.stats.unknownFlowRecords, 2);
  assert.equal(decoder.stats.unknownSamples, 1);
});

test('random damage never throws', () => {
  const base = datagram({ seq: 1, samples: [good(), counterSample(1, 7, []), good()] });
  const decoder = new SflowDecoder();
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  for (let i = 0; i < 20000; i++) {
    const d = base.slice(0, Math.floor(rnd() * (base.length + 1)));
    for (let k = 0; k < 3; k++) if (d.length) d[Math.floor(rnd() * d.length)] = Math.floor(rnd() * 256);
    decoder.decode(d, 0, d.length, 'x', i, new CollectingSink());
  }
  assert.equal(decoder.stats.datagrams, 20000);
});
