import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autoInterval, parseInterval } from './timeline.js';

test('intervals: durations parse, auto picks the shortest round interval within ~120 points', () => {
  assert.equal(parseInterval('1h'), 3600);
  assert.equal(parseInterval('30s'), 30);
  assert.equal(parseInterval('2D'), 172800);
  assert.equal(parseInterval('auto'), 'auto');
  for (const bad of ['0h', 'h', '1y', '1.5h', '']) assert.throws(() => parseInterval(bad), /--interval/);
  assert.equal(autoInterval(86400e6), 900); // one day: 96 quarter hours
  assert.equal(autoInterval(3600e6), 30); // one hour: 120 half minutes
  assert.equal(autoInterval(7 * 86400e6), 3 * 3600); // one week: 56 three-hour intervals
  assert.equal(autoInterval(1), 1);
});
