import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bar, resample, sparkline } from './sparkline.js';

test('sparkline maps 1..8 onto the eight levels', () => {
  assert.equal(sparkline([1, 2, 3, 4, 5, 6, 7, 8]), '▁▂▃▄▅▆▇█');
});

test('sparkline draws zero blank and keeps small values visible', () => {
  assert.equal(sparkline([0, 100, 0, 1, 0, 100]), ' █ ▁ █');
  assert.equal(sparkline([0, 0]), '  ');
  assert.equal(sparkline([]), '');
});

test('sparkline resamples by summing buckets', () => {
  assert.deepEqual(resample([1, 1, 1, 1, 2, 2, 2, 2], 4), [2, 2, 4, 4]);
  assert.deepEqual(resample([1, 2, 3], 2), [1, 5]);
  assert.equal(sparkline([1, 1, 1, 1, 2, 2, 2, 2], 4), '▄▄██');
  assert.equal(sparkline([1, 2], 10), '▄█');
});

test('bar fills in eighths of a cell', () => {
  assert.equal(bar(10, 10, 4), '████');
  assert.equal(bar(5, 10, 4), '██');
  assert.equal(bar(3, 10, 4), '█▎');
  assert.equal(bar(1, 1000, 4), '▏');
  assert.equal(bar(0, 10, 4), '');
  assert.equal(bar(20, 10, 3), '███');
  assert.equal(bar(5, 0, 4), '');
});
