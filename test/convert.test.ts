// convert: Zeek logs written by Nightjar say the same as the logs they came from, field by field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = path.join(process.cwd(), 'bin/nightjar.js');
const FIX = path.join(process.cwd(), 'test/fixtures/zeek');

function dataLines(file: string): string[][] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t'));
}

test('Zeek TSV in, Zeek TSV out: conn.log and dns.log columns survive the round trip', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-convert-'));
  const r = spawnSync(process.execPath, [BIN, 'convert', path.join(FIX, 'rita_tsv_conn.log'), path.join(FIX, 'rita_tsv_dns.log'), '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /conn\.log 463 rows, dns\.log 942 rows/);
  const conn = fs.readFileSync(path.join(out, 'conn.log'), 'utf8');
  assert.match(conn, /^#separator \\x09\n#set_separator\t,\n/);
  assert.match(conn, /\n#fields\tts\tuid\tid\.orig_h\tid\.orig_p\tid\.resp_h\tid\.resp_p\tproto\tservice\tduration/);
  assert.match(conn, /\n#close\t\d{4}-/);
  // The first 20 conn columns are Zeek's own, in Zeek's order: identical to the source.
  const a = dataLines(path.join(FIX, 'rita_tsv_conn.log')).map((f) => f.slice(0, 20).join('\t'));
  const b = dataLines(path.join(out, 'conn.log')).map((f) => f.slice(0, 20).join('\t'));
  assert.deepEqual(b, a);
  // dns.log: same rows; the source's qclass_name for odd classes is Zeek's, ours may differ only there.
  const da = dataLines(path.join(FIX, 'rita_tsv_dns.log'));
  const db = dataLines(path.join(out, 'dns.log'));
  assert.equal(db.length, da.length);
  for (let i = 0; i < da.length; i++) {
    for (const k of [0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 13, 14, 15]) assert.equal(db[i][k], da[i][k], `row ${i} column ${k}`);
  }
});

test('Zeek JSON out reads back with the same connections', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-convert-'));
  const r = spawnSync(process.execPath, [BIN, 'convert', path.join(FIX, 'rita_tsv_conn.log'), '--to', 'json', '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const rows = fs.readFileSync(path.join(out, 'conn.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rows.length, 463);
  assert.equal(rows[0].uid, 'CXHB1X22027MRWU6D');
  assert.equal(rows[0]['id.resp_p'], 3128);
  assert.equal(rows[0].ts, 1672843056.913119);
  assert.equal(rows[0].history, 'ShADadFf');
});

test('flow timeouts are the user\'s to set: a 1 s UDP timeout splits a query stream Zeek\'s 1 min keeps whole', () => {
  const pcap = path.join(process.cwd(), 'test/fixtures/pcap/tcpdump_edns_opts.pcap');
  const read = (args: string[]) => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-convert-'));
    const r = spawnSync(process.execPath, [BIN, 'convert', pcap, '--to', 'json', '--out', out, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return fs.readFileSync(path.join(out, 'conn.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
  };
  const whole = read([]);
  const split = read(['--udp-timeout', '1s']);
  assert.equal(whole.length, 1);
  assert.ok(split.length > 1);
  // The same packets, cut where the client was silent for more than a second.
  const pkts = (cs: Record<string, number>[]) => cs.reduce((a, c) => a + c.orig_pkts + c.resp_pkts, 0);
  assert.equal(pkts(split), pkts(whole));
  const starts = split.map((c) => c.ts).sort((a, b) => a - b);
  for (let i = 1; i < starts.length; i++) assert.ok(starts[i] - starts[i - 1] > 1, `gap before connection ${i}`);
  const bad = spawnSync(process.execPath, [BIN, 'convert', pcap, '--out', os.tmpdir(), '--udp-timeout', 'soon'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--udp-timeout soon: give a duration/);
});
