/**
 * Tests of EVE timestamp parsing: exact microseconds against Date.parse for the whole seconds, every
 * offset form, and the malformed shapes that must be rejected rather than guessed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEveTime } from './eve-time.js';

describe('parseEveTime', () => {
  it('gives exact microseconds for the documented example', () => {
    assert.equal(parseEveTime('2017-07-07T14:24:47.551573+0200'), Date.UTC(2017, 6, 7, 12, 24, 47) * 1000 + 551573);
  });

  it('agrees with Date.parse on whole seconds across dates, offsets and fractions', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pad = (v: number, n = 2): string => String(v).padStart(n, '0');
    for (let i = 0; i < 2000; i++) {
      const ms = rand(2 ** 31) * 1000 * (rand(2) === 0 ? 1 : 2); // 1970 .. 2106
      const d = new Date(ms);
      const offMin = (rand(2) === 0 ? -1 : 1) * (rand(15) * 60 + rand(4) * 15);
      const local = new Date(ms + offMin * 60000);
      const frac = rand(1_000_000);
      const sign = offMin < 0 ? '-' : '+';
      const oh = pad(Math.floor(Math.abs(offMin) / 60));
      const om = pad(Math.abs(offMin) % 60);
      const text = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}.${pad(frac, 6)}${sign}${oh}${om}`;
      assert.equal(parseEveTime(text), d.getTime() * 1000 + frac, text);
    }
  });

  it('accepts Z, +HH:MM, +HH and short or long fractions', () => {
    const base = Date.UTC(2020, 1, 29, 23, 59, 59) * 1000;
    assert.equal(parseEveTime('2020-02-29T23:59:59.5Z'), base + 500000);
    assert.equal(parseEveTime('2020-02-29T23:59:59Z'), base);
    assert.equal(parseEveTime('2020-03-01T01:29:59.000001+01:30'), base + 1);
    assert.equal(parseEveTime('2020-02-29T22:59:59.123456789-01'), base + 123456);
    assert.equal(parseEveTime('1969-12-31T23:59:59.999999+0000'), -1);
  });

  it('rejects malformed timestamps', () => {
    for (const bad of [
      '', 'yesterday', '2020-02-29T23:59:59.5', '2021-02-29T00:00:00.000000+0000', '2020-13-01T00:00:00.000000+0000',
      '2020-01-01 00:00:00.000000+0000', '2020-01-01T24:00:00.000000+0000', '2020-01-01T00:00:00.+0000',
      '2020-01-01T00:00:00.000000+00000', '2020-01-01T00:00:00.000000+2400', '2020-01-01T00:00:00.000000Z0',
      '2020-01-01T00:00:00.0000000000+0000', '2020-1-01T00:00:00.000000+0000', '2020-01-01T00:00:00,000000+0000',
    ]) assert.ok(Number.isNaN(parseEveTime(bad)), bad);
  });
});
