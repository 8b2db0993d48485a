// SIGTERM during a steady stream: `nightjar collect` runs as its own process while NetFlow v5
// datagrams keep arriving; it is stopped mid-stream, and every datagram it acknowledged as received
// (its metrics while running, its summary at exit) must be in the store, record for record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePorts } from '../src/collector/collector-test-support.js';
import { v5, type V5Rec } from '../src/decode/netflow/export-builder.js';
import { openDuckDBStore } from '../src/store/duckdb/duckdb-store.js';
import { sql } from '../src/store/sql.js';

const BIN = path.join(process.cwd(), 'bin/nightjar.js');
const PER = 30;

/** Datagram `k`: 30 records whose source port and packet count say which datagram they came from. */
function datagram(k: number): Uint8Array {
  const recs: V5Rec[] = Array.from({ length: PER }, (_, j) => ({
    src: [10, (k >> 16) & 255, (k >> 8) & 255, k & 255],
    dst: [192, 0, 2, 1],
    sport: j + 1,
    dport: 443,
    proto: 6,
    pkts: k + 1,
    bytes: 1000,
    first: 0,
    last: 0,
  }));
  return v5(k * PER, 1000, 1_700_000_000, 0, 0, recs);
}

test('SIGTERM mid-stream: every datagram the collector acknowledged is in the store', { timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-sigterm-'));
  const db = path.join(dir, 'c.duckdb');
  const [port, metrics] = await freePorts(2);
  const child = spawn(process.execPath, [BIN, 'collect', '--db', db, '--netflow-port', String(port), '--ipfix-port', '0', '--sflow-port', '0', '--metrics', `127.0.0.1:${metrics}`, '--flush-every', '0.3'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const sock = dgram.createSocket('udp4');
  try {
    const end = Date.now() + 15_000;
    while (!/collecting on/.test(out)) {
      assert.ok(Date.now() < end, `collector did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    let sent = 0;
    let running = true;
    // A steady stream of about 1,000 datagrams (30,000 flows) a second until the collector is gone.
    const sender = (async () => {
      while (running) {
        for (let i = 0; i < 10; i++) sock.send(datagram(sent++), port, '127.0.0.1');
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await new Promise((r) => setTimeout(r, 1500));
    const scraped = await fetch(`http://127.0.0.1:${metrics}/metrics`).then((r) => r.text());
    const acked = Number(/nightjar_collector_datagrams_received_total\{listener="netflow"\} (\d+)/.exec(scraped)?.[1]);
    assert.ok(acked > 100, `received ${acked} before SIGTERM`);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    running = false;
    await sender;
    assert.equal(code, 0, out);
    const m = /collected (\d+) datagrams: (\d+) flows, (\d+) rows stored/.exec(out);
    assert.ok(m, out);
    const [received, flows, stored] = [Number(m[1]), Number(m[2]), Number(m[3])];
    assert.ok(received >= acked, 'the summary counts at least what the metrics acknowledged');
    assert.ok(received < sent, 'datagrams still arrived after SIGTERM (the stream was live)');
    assert.equal(flows, received * PER);
    assert.equal(stored, received * PER);
    const store = await openDuckDBStore({ path: db });
    try {
      const rows = await store.all(sql`SELECT count(*) AS n, count(DISTINCT orig_h) AS datagrams, max(orig_pkts) AS last FROM connections`);
      assert.equal(Number(rows[0].n), received * PER);
      assert.equal(Number(rows[0].datagrams), received, 'whole datagrams, none partly stored');
      // Datagrams arrive in order: the newest stored one is at least the `received`-th sent.
      assert.ok(Number(rows[0].last) >= received);
    } finally {
      await store.close();
    }
  } finally {
    sock.close();
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
