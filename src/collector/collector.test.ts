import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { be, ipfix, ipfixTemplate, set, v5, v9, v9Template, type V5Rec } from '../decode/netflow/export-builder.js';
import { sql } from '../store/sql.js';
import { sendUdp, testCollector, waitFor } from './collector-test-support.js';

const T0 = 1_700_000_000;
const rec = (i: number): V5Rec => ({ src: [10, 0, i >> 8, i & 255], dst: [10, 9, 9, 9], sport: 1000 + i, dport: 443, proto: 6, pkts: 2, bytes: 100 + i, first: 1000, last: 2000 });

test('v5 datagrams over UDP land in the store, committed, with the ingest recorded as a collector run', async () => {
  const { collector, store } = await testCollector();
  try {
    const dgs = Array.from({ length: 20 }, (_, k) => v5(k * 10, 5000, T0, 0, 0, Array.from({ length: 10 }, (_, j) => rec(k * 10 + j))));
    await sendUdp(collector.ports.netflow, dgs);
    await waitFor(() => collector.counters.rowsCommitted === 200, 5000, '200 rows committed by age');
    const mid = await store.all(sql`SELECT count(*) AS n FROM connections`);
    assert.equal(Number(mid[0].n), 200, 'visible before the collector stops');
    const s = await collector.stop();
    assert.deepEqual([s.received, s.flows, s.committed, s.dropped], [20, 200, 200, 0]);
    const rows = await store.all(sql`SELECT count(*) AS n, sum(orig_ip_bytes) AS b, min(source_type) AS st, min(sensor) AS sensor FROM connections`);
    assert.deepEqual([Number(rows[0].n), Number(rows[0].b), rows[0].st, rows[0].sensor], [200, 200 * 100 + (199 * 200) / 2, 'netflow', '127.0.0.1']);
    const ing = await store.listIngests();
    assert.equal(ing.length, 1);
    assert.equal(ing[0].format, 'collector');
    assert.equal(ing[0].records, 200);
  } finally {
    await store.close();
  }
});

test('sequence gaps are kept as lost records per exporter and domain, in metrics and in the ingest summary', async () => {
  const { collector, store } = await testCollector();
  try {
    await sendUdp(collector.ports.netflow, [v5(0, 5000, T0, 0, 0, [rec(1), rec(2)]), v5(7, 5000, T0, 0, 0, [rec(3)])]);
    await waitFor(() => collector.counters.decodedDatagrams === 2);
    const text = await fetch(`http://127.0.0.1:${collector.ports.metrics}/metrics`).then((r) => r.text());
    assert.match(text, /nightjar_collector_lost_records_total\{exporter="127\.0\.0\.1",domain="258",version="5"\} 5/);
    const s = await collector.stop();
    assert.deepEqual(s.exporters.map((e) => [e.exporter, e.lost_records]), [['127.0.0.1', 5]]);
    const summary = JSON.parse((await store.listIngests())[0].summary) as { collector: { exporters: { lost_records: number }[] } };
    assert.equal(summary.collector.exporters[0].lost_records, 5);
  } finally {
    await store.close();
  }
});

test('malformed datagrams are counted by reason and skipped; the collector keeps storing', async () => {
  const { collector, store } = await testCollector();
  try {
    const good = ipfix(0, T0, 1, set(2, ipfixTemplate(256, [{ id: 8, len: 4 }, { id: 12, len: 4 }])), set(256, [10, 0, 0, 1, 10, 0, 0, 2]));
    const zeroLen = ipfix(1, T0, 2, set(2, [...be(257, 2), ...be(1, 2), ...be(8, 2), ...be(0, 2)]));
    // A set whose length is 0 would make a naive parser loop on it forever.
    const loop = ipfix(2, T0, 3, [...be(2, 2), ...be(0, 2), 0, 0, 0, 0]);
    const badLen = good.slice(0, good.length - 3);
    const wrongVersion = Uint8Array.from([0, 7, 0, 0, 0, 0, 0, 0]);
    const truncated = Uint8Array.from([0]);
    const sflowBad = Uint8Array.from([0, 0, 0, 4, 0, 0, 0, 1]);
    await sendUdp(collector.ports.ipfix, [truncated, wrongVersion, badLen, zeroLen, loop]);
    await sendUdp(collector.ports.sflow, [sflowBad]);
    await sendUdp(collector.ports.ipfix, [good]);
    await waitFor(() => collector.counters.decodedDatagrams === 7);
    const text = await fetch(`http://127.0.0.1:${collector.ports.metrics}/metrics`).then((r) => r.text());
    for (const reason of ['truncated_header', 'bad_version', 'bad_length', 'zero_length_field', 'bad_set_length']) {
      assert.match(text, new RegExp(`nightjar_collector_records_dropped_total\\{stage="netflow",reason="${reason}"\\} 1`), reason);
    }
    assert.match(text, /records_dropped_total\{stage="sflow",reason="bad_version"\} 1/);
    const health = (await fetch(`http://127.0.0.1:${collector.ports.metrics}/health`).then((r) => r.json())) as { status: string };
    assert.equal(health.status, 'ok');
    const s = await collector.stop();
    assert.equal(s.flows, 1);
    assert.equal(s.committed, 1);
    assert.equal(s.dropped, 6);
  } finally {
    await store.close();
  }
});

test('a full queue refuses datagrams and counts them; what it accepted is all stored', async () => {
  const { collector, store } = await testCollector({ queueDatagrams: 2 });
  try {
    const dgs = Array.from({ length: 300 }, (_, k) => v5(k, 5000, T0, 0, 0, [rec(k)]));
    await sendUdp(collector.ports.netflow, dgs, true);
    await waitFor(() => collector.counters.totalReceived + collector.counters.totalQueueFull === 300, 5000, 'every datagram accounted for');
    const s = await collector.stop();
    assert.ok((s.dropped_by_reason.queue_full_netflow ?? 0) > 0, 'a burst into a queue of 2 drops');
    assert.equal(s.received + (s.dropped_by_reason.queue_full_netflow ?? 0), 300);
    assert.equal(s.committed, s.received, 'every accepted datagram is stored');
    assert.ok(collector.queue.length === 0);
    const rows = await store.all(sql`SELECT count(*) AS n FROM connections`);
    assert.equal(Number(rows[0].n), s.received);
  } finally {
    await store.close();
  }
});

test('templates persist across a restart: data sent before the exporter resends them is decoded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nj-collect-'));
  const templateFile = join(dir, 'templates.json');
  const fields = [{ id: 8, len: 4 }, { id: 12, len: 4 }, { id: 4, len: 1 }, { id: 1, len: 4 }, { id: 2, len: 4 }];
  const data = (seq: number) => v9(seq, 60_000, T0, 7, set(256, [10, 0, 0, 1, 10, 0, 0, 2, 17, ...be(500, 4), ...be(5, 4)]));
  const first = await testCollector({ templateFile });
  try {
    await sendUdp(first.collector.ports.netflow, [v9(0, 60_000, T0, 7, set(0, v9Template(256, fields))), data(1)]);
    await waitFor(() => first.collector.counters.decodedDatagrams === 2);
    // Data before the restart with a template nobody has sent yet: held, and persisted as held.
    await sendUdp(first.collector.ports.netflow, [v9(2, 60_000, T0, 7, set(300, [10, 0, 0, 3, 10, 0, 0, 4]))]);
    await waitFor(() => first.collector.counters.decodedDatagrams === 3);
    await first.collector.stop();
    const saved = JSON.parse(readFileSync(templateFile, 'utf8')) as { domains: { templates: unknown[]; held: unknown[] }[] };
    assert.deepEqual([saved.domains[0].templates.length, saved.domains[0].held.length], [1, 1]);
    const second = await testCollector({ templateFile }, first.store);
    assert.ok(second.logs.some((l) => /restored 1 template\(s\) and 1 held/.test(l)), second.logs.join('\n'));
    await sendUdp(second.collector.ports.netflow, [data(3), v9(4, 60_000, T0, 7, set(0, v9Template(300, fields.slice(0, 2))))]);
    await waitFor(() => second.collector.counters.decodedDatagrams === 2);
    const s = await second.collector.stop();
    assert.equal(s.flows, 2, 'the restored template decoded new data, and the held set was decoded when its template came');
    const rows = await first.store.all(sql`SELECT orig_h, resp_h, orig_ip_bytes FROM connections ORDER BY ingest_id, orig_h`);
    assert.deepEqual(rows.map((r) => [r.orig_h, r.resp_h, r.orig_ip_bytes === null ? null : Number(r.orig_ip_bytes)]), [
      ['10.0.0.1', '10.0.0.2', 500],
      ['10.0.0.1', '10.0.0.2', 500],
      ['10.0.0.3', '10.0.0.4', null],
    ]);
  } finally {
    await first.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a damaged template file is reported and ignored; the collector starts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nj-collect-'));
  const templateFile = join(dir, 'templates.json');
  writeFileSync(templateFile, '{"format":"something else"}');
  const { collector, store, logs } = await testCollector({ templateFile });
  try {
    assert.ok(logs.some((l) => /ignored \(not a Nightjar template snapshot\)/.test(l)));
    await collector.stop();
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
