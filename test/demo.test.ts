// The quick start's demo: the recorded incident goes in, and the investigation finds what the recording
// script did (demo/incident/ground-truth.json, written from the script's own logs, never from Nightjar).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = path.join(process.cwd(), 'bin/nightjar.js');
const INCIDENT = path.join(process.cwd(), 'demo/incident');

interface Truth {
  phases: { t1_compromise: string; t2_end: string };
  hosts: Record<string, { address: string; incident?: { beacon: { resp_h: string; name: string; count: number }; upload: { resp_h: string; name: string; body_bytes: number }; scan: { targets: string[] } } }>;
}

interface Report {
  identity: { addresses: string[] };
  external: { items: { address: string; name: string | null; connections: number; bytes_out: number; flags: Record<string, boolean> }[] };
  internal: { peers: { total: number; items: { address: string }[] } };
  verdict: { decision: string; evidence: { title: string }[] };
}

const truth = JSON.parse(fs.readFileSync(path.join(INCIDENT, 'ground-truth.json'), 'utf8')) as Truth;

function run(args: string[], db: string) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--db', db], { encoding: 'utf8', env: { ...process.env, NIGHTJAR_CONFIG: path.join(INCIDENT, 'nightjar.yaml') } });
  return r;
}

test('nightjar demo loads the incident, contains ws-bob with the evidence, and clears ws-alice', () => {
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nj-demo-')), 'demo.duckdb');
  const demo = run(['demo'], db);
  assert.equal(demo.status, 0, demo.stderr);
  assert.match(demo.stdout, /VERDICT: CONTAIN/);
  assert.match(demo.stdout, /c2\.badcorp\.example/);
  assert.match(demo.stdout, /ws-alice over the same period: NO ACTION/);
  // Running it again loads nothing twice.
  const again = run(['demo'], db);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /2 already in the store/);

  const until = new Date(Date.parse(truth.phases.t2_end) + 60_000).toISOString();
  const period = ['--since', truth.phases.t1_compromise, '--until', until, '--format', 'json'];
  const bobRun = run(['investigate', 'ws-bob', ...period], db);
  assert.equal(bobRun.status, 0, bobRun.stderr);
  const bob = JSON.parse(bobRun.stdout) as Report;
  const inc = truth.hosts['ws-bob'].incident!;
  assert.deepEqual(bob.identity.addresses, [truth.hosts['ws-bob'].address]);
  assert.equal(bob.verdict.decision, 'contain');
  const beacon = bob.external.items.find((e) => e.address === inc.beacon.resp_h);
  assert.ok(beacon, 'the beacon destination is listed');
  assert.equal(beacon.name, inc.beacon.name);
  assert.equal(beacon.connections, inc.beacon.count);
  assert.ok(beacon.flags.regular_timing && beacon.flags.new, JSON.stringify(beacon.flags));
  const upload = bob.external.items.find((e) => e.address === inc.upload.resp_h);
  assert.ok(upload, 'the upload destination is listed');
  assert.equal(upload.name, inc.upload.name);
  assert.ok(upload.bytes_out >= inc.upload.body_bytes, `${upload.bytes_out} bytes out`);
  const peers = new Set(bob.internal.peers.items.map((p) => p.address));
  for (const t of inc.scan.targets) assert.ok(peers.has(t), `scanned ${t} is among the internal peers`);
  assert.ok(bob.verdict.evidence.some((e) => /beacon/i.test(e.title)));
  assert.ok(bob.verdict.evidence.some((e) => /scan/i.test(e.title)));

  for (const clean of ['ws-alice', 'ws-carol']) {
    const r = run(['investigate', clean, ...period], db);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as Report).verdict.decision, 'no_action', clean);
  }
});
