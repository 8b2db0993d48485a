import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expandInputs, globSegmentRegex } from './expand-inputs.js';

function tree(files: string[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-expand-'));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), 'x');
  }
  return root;
}

const rel = (root: string, inputs: ReturnType<typeof expandInputs>['inputs']): string[] =>
  inputs.map((i) => (i.kind === 'file' ? path.relative(root, i.path) : '-'));

test('a directory is walked recursively in name order, hidden entries left out', () => {
  const root = tree(['b/conn.log', 'a.log', '.hidden/x.log', 'b/.dns.log', 'c/d/e.pcap']);
  const { inputs, problems } = expandInputs([root]);
  assert.deepEqual(problems, []);
  assert.deepEqual(rel(root, inputs), ['a.log', 'b/conn.log', 'c/d/e.pcap']);
});

test("nfcapd's file still being written and store files are left out of walks and globs, not when named", () => {
  const root = tree(['nfcapd.202612072330', 'nfcapd.current.4242', 'nightjar.duckdb', 'nightjar.duckdb.wal', 'sub/nfcapd.202612072335']);
  assert.deepEqual(rel(root, expandInputs([root]).inputs), ['nfcapd.202612072330', 'sub/nfcapd.202612072335']);
  assert.deepEqual(rel(root, expandInputs([path.join(root, 'nfcapd.*')]).inputs), ['nfcapd.202612072330']);
  assert.deepEqual(rel(root, expandInputs([path.join(root, '**/nfcapd.*')]).inputs), ['nfcapd.202612072330', 'sub/nfcapd.202612072335']);
  const named = path.join(root, 'nfcapd.current.4242');
  assert.deepEqual(rel(root, expandInputs([named]).inputs), ['nfcapd.current.4242']);
});

test('arguments that match nothing are problems, each named; the same file twice is read once', () => {
  const root = tree(['x.log']);
  fs.mkdirSync(path.join(root, 'empty'));
  const { inputs, problems } = expandInputs([path.join(root, 'x.log'), path.join(root, './x.log'), path.join(root, 'nope.log'), path.join(root, '*.pcap'), path.join(root, 'empty'), '-']);
  assert.deepEqual(rel(root, inputs), ['x.log', '-']);
  assert.deepEqual(
    problems.map((p) => p.message),
    ['no such file or directory', 'pattern matched no files', 'directory holds no files'],
  );
});

test('glob segments: *, ?, classes and negated classes; regex characters are literal', () => {
  assert.ok(globSegmentRegex('conn.*.log').test('conn.00:00:00-01:00:00.log'));
  assert.ok(!globSegmentRegex('conn.*.log').test('connXlog'));
  assert.ok(globSegmentRegex('f?.pcap').test('f1.pcap'));
  assert.ok(globSegmentRegex('[ab]*.gz').test('b.json.gz'));
  assert.ok(!globSegmentRegex('[!ab]*.gz').test('a.gz'));
  assert.ok(globSegmentRegex('a+b(1).log').test('a+b(1).log'));
});
