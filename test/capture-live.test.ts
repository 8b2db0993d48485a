// Live capture on the loopback interface: real tcpdump, real UDP packets to 127.0.0.1, SIGINT, and
// every packet sent accounted for in the store. Needs root and tcpdump (CI installs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = path.join(process.cwd(), 'bin/nightjar.js');
const canCapture = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v tcpdump'], { stdio: 'ignore' }).status === 0;

test('capture -i lo stores what it saw and loses nothing on SIGINT', { skip: canCapture ? false : 'needs root and tcpdump' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-live-'));
  const db = path.join(dir, 'live.duckdb');
  const port = 40000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [BIN, 'capture', '-i', 'lo', '--filter', `udp port ${port}`, '--commit-every', '1', '--db', db], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise((r) => setTimeout(r, 1500)); // tcpdump attaches
  const sock = dgram.createSocket('udp4');
  const sent = 20;
  for (let i = 0; i < sent; i++) {
    await new Promise<void>((r) => sock.send(Buffer.from(`packet ${i}`), port, '127.0.0.1', () => r()));
    await new Promise((r) => setTimeout(r, 20));
  }
  sock.close();
  await new Promise((r) => setTimeout(r, 800));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  assert.equal(code, 0, out);
  assert.match(out, /records stored as ingest #1/);
  const q = spawnSync(process.execPath, [BIN, 'query', '--db', db, '--port', String(port), '--format', 'json'], { encoding: 'utf8' });
  const rows = JSON.parse(q.stdout) as { orig_pkts: number; resp_p: number; proto: string; orig_bytes: number }[];
  assert.equal(rows.length, 1, q.stdout);
  assert.equal(rows[0].proto, 'udp');
  assert.equal(rows[0].resp_p, port);
  assert.equal(rows[0].orig_pkts, sent);
  const payload = Array.from({ length: sent }, (_, i) => `packet ${i}`.length).reduce((a, b) => a + b, 0);
  assert.equal(rows[0].orig_bytes, payload);
  fs.rmSync(dir, { recursive: true, force: true });
});
