// Input expansion over directories and globs that contain symbolic links (how log collections are often laid out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expandInputs } from './expand-inputs.js';

/** A tree: logs/2024-03-01/conn.log, logs/current -> 2024-03-01, logs/dns.log -> elsewhere/dns.log, a loop and a dangling link. */
function tree(): { root: string; logs: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-expand-'));
  const logs = path.join(root, 'logs');
  fs.mkdirSync(path.join(logs, '2024-03-01'), { recursive: true });
  fs.mkdirSync(path.join(root, 'elsewhere'));
  fs.writeFileSync(path.join(logs, '2024-03-01', 'conn.log'), 'x');
  fs.writeFileSync(path.join(root, 'elsewhere', 'dns.log'), 'y');
  fs.symlinkSync('2024-03-01', path.join(logs, 'current'));
  fs.symlinkSync(path.join(root, 'elsewhere', 'dns.log'), path.join(logs, 'dns.log'));
  fs.symlinkSync('..', path.join(logs, '2024-03-01', 'up'));
  return { root, logs };
}

const files = (r: ReturnType<typeof expandInputs>): string[] =>
  r.inputs.map((i) => (i.kind === 'file' ? path.relative(os.tmpdir(), i.path).split(path.sep).slice(1).join('/') : '-'));

test('a directory walk follows links to files and directories, once each, without looping', () => {
  const { logs } = tree();
  const r = expandInputs([logs]);
  assert.deepEqual(files(r), ['logs/2024-03-01/conn.log', 'logs/dns.log']);
  assert.deepEqual(r.problems, []);
});

test('a directory of nothing but links to files is not empty', () => {
  const { root } = tree();
  const only = path.join(root, 'links');
  fs.mkdirSync(only);
  fs.symlinkSync(path.join(root, 'elsewhere', 'dns.log'), path.join(only, 'dns.log'));
  assert.deepEqual(files(expandInputs([only])), ['links/dns.log']);
});

test('a dangling link is reported, not silently passed over', () => {
  const { logs } = tree();
  fs.symlinkSync('gone.log', path.join(logs, 'gone.log'));
  const r = expandInputs([logs]);
  assert.deepEqual(files(r), ['logs/2024-03-01/conn.log', 'logs/dns.log']);
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0].message, /cannot follow symbolic link/);
});

test('globs match linked files and descend linked directories', () => {
  const { logs } = tree();
  assert.deepEqual(files(expandInputs([path.join(logs, '*.log')])), ['logs/dns.log']);
  assert.deepEqual(files(expandInputs([path.join(logs, 'current', '*.log')])), ['logs/current/conn.log']);
  assert.deepEqual(files(expandInputs([path.join(logs, '**', 'conn.log')])), ['logs/2024-03-01/conn.log']);
});
