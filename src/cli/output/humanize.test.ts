import assert from 'node:assert/strict';
import { test } from 'node:test';
import { humanBytes, humanCount, humanDuration, humanRate } from './humanize.js';

test('bytes are 1000-based with one decimal, exact below 1 kB', () => {
  assert.equal(humanBytes(0), '0 B');
  assert.equal(humanBytes(999), '999 B');
  assert.equal(humanBytes(1000), '1.0 kB');
  assert.equal(humanBytes(1234567), '1.2 MB');
  assert.equal(humanBytes(999_950), '1.0 MB');
  assert.equal(humanBytes(5.5e9), '5.5 GB');
  assert.equal(humanBytes(2e12), '2.0 TB');
  assert.equal(humanBytes(12n), '12 B');
  assert.equal(humanBytes(-2500), '-2.5 kB');
});

test('counts use k, M, G suffixes', () => {
  assert.equal(humanCount(999), '999');
  assert.equal(humanCount(1234), '1.2k');
  assert.equal(humanCount(3_400_000), '3.4M');
  assert.equal(humanCount(7e9), '7.0G');
  assert.equal(humanCount(12.34), '12.3');
});

test('durations pick the unit a person would', () => {
  assert.equal(humanDuration(0), '0s');
  assert.equal(humanDuration(0.00002), '20µs');
  assert.equal(humanDuration(0.25), '250ms');
  assert.equal(humanDuration(3.21), '3.2s');
  assert.equal(humanDuration(59.96), '1m00s');
  assert.equal(humanDuration(303), '5m03s');
  assert.equal(humanDuration(3722), '1h02m');
  assert.equal(humanDuration(3 * 86400 + 4 * 3600), '3d04h');
  assert.equal(humanDuration(-1.5), '-1.5s');
});

test('rates', () => {
  assert.equal(humanRate(1_200_000, 'bytes'), '1.2 MB/s');
  assert.equal(humanRate(1_200_000, 'bits'), '9.6 Mbit/s');
  assert.equal(humanRate(3400), '3.4k/s');
});
