import assert from 'node:assert/strict';
import test from 'node:test';
import { rng } from '../../bench/gen-zeek-conn.js';
import { isoMicros } from './time.js';

/** The straightforward rendering through Date, which the fast path must match exactly. */
function reference(us: number | bigint): string | null {
  const b = typeof us === 'bigint' ? us : BigInt(Math.round(us));
  const ms = b / 1000n - (b % 1000n < 0n ? 1n : 0n);
  if (ms > 8640000000000000n || ms < -8640000000000000n) return null;
  const iso = new Date(Number(ms)).toISOString();
  return `${iso.slice(0, -1)}${String(Number(b - ms * 1000n)).padStart(3, '0')}Z`;
}

test('isoMicros renders like Date for numbers and bigints, before and after 1970, at every edge', () => {
  assert.equal(isoMicros(1672944666913123), '2023-01-05T18:51:06.913123Z');
  assert.equal(isoMicros(0), '1970-01-01T00:00:00.000000Z');
  assert.equal(isoMicros(-1), '1969-12-31T23:59:59.999999Z');
  assert.equal(isoMicros(-1n), '1969-12-31T23:59:59.999999Z');
  assert.equal(isoMicros(Number.NaN), null);
  assert.equal(isoMicros(8.64e18 + 1e6), null);
  assert.equal(isoMicros(8640000000000000000n), '+275760-09-13T00:00:00.000000Z');
  assert.equal(isoMicros(8640000000000001000n), null);
  const r = rng(11);
  const values: (number | bigint)[] = [86399999999, 86400000000, -86400000000, -86400000001, 253402300799999999n, 253402300800000000n, -62167219200000001n, 4102444800000000];
  for (let i = 0; i < 20000; i++) {
    const scale = [1e6, 1e9, 1e12, 1e15, 1e16, 1e18][i % 6];
    const v = Math.round((r() * 2 - 1) * scale);
    values.push(v, BigInt(v), v + 0.4);
  }
  for (const v of values) assert.equal(isoMicros(v), reference(v), String(v));
});
