import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoMicros, tableText, tableTimeFromText, toJson } from './cells.js';

test('isoMicros keeps all six digits, before 1970 too', () => {
  assert.equal(isoMicros(1672944666913123), '2023-01-05T18:51:06.913123Z');
  assert.equal(isoMicros(1672944666913123n), '2023-01-05T18:51:06.913123Z');
  assert.equal(isoMicros(-1), '1969-12-31T23:59:59.999999Z');
  assert.equal(isoMicros(-1001n), '1969-12-31T23:59:59.998999Z');
  assert.equal(isoMicros(1e20), null);
});

test('table times: microseconds, Dates and the store ISO strings all print alike', () => {
  assert.equal(tableText(1672944666913999, 'time'), '2023-01-05 18:51:06.913');
  assert.equal(tableText(new Date(Date.UTC(2023, 0, 5, 18, 51, 6, 913)), undefined), '2023-01-05 18:51:06.913');
  assert.equal(tableTimeFromText('2023-01-05T18:51:06.913999Z'), '2023-01-05 18:51:06.913');
  assert.equal(tableTimeFromText('2023-01-05 18:51:06'), '2023-01-05 18:51:06.000');
  assert.equal(tableTimeFromText('2023-01-05T19:51:06.5+01:00'), '2023-01-05 18:51:06.500');
  assert.equal(tableTimeFromText('yesterday'), 'yesterday');
});

test('json values: bigint exact as number when safe, nested objects converted', () => {
  assert.equal(toJson(2n ** 53n - 1n, undefined), 9007199254740991);
  assert.equal(toJson(2n ** 53n, undefined), '9007199254740992');
  assert.deepEqual(toJson({ a: 1n, d: new Date(0), u: undefined }, undefined), { a: 1, d: '1970-01-01T00:00:00.000Z', u: null });
  assert.equal(toJson(Number.NaN, undefined), null);
});

test('table text: null is "-", floats trimmed, arrays joined', () => {
  assert.equal(tableText(null, 'bytes'), '-');
  assert.equal(tableText(0.1 + 0.2, undefined), '0.3');
  assert.equal(tableText(['a', null, 3], undefined), 'a,-,3');
  assert.equal(tableText({ k: 'v' }, undefined), '{"k":"v"}');
});
