import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NightjarError } from '../model/errors.js';
import { collectorConfig } from './config.js';

test('defaults: loopback, the well-known ports, syslog off, metrics on 127.0.0.1:9464; frozen', () => {
  const c = collectorConfig({});
  assert.deepEqual([c.bind, c.netflowPort, c.ipfixPort, c.sflowPort, c.syslogUdpPort, c.syslogTcpPort], ['127.0.0.1', 2055, 4739, 6343, 0, 0]);
  assert.deepEqual(c.metrics, { address: '127.0.0.1', port: 9464 });
  assert.ok(Object.isFrozen(c));
});

test('bad values and unknown keys are one usage error naming each problem', () => {
  assert.throws(() => collectorConfig({ bind: 'example.com', netflowPort: 70000, colour: 'red' }), (e: unknown) => {
    assert.ok(e instanceof NightjarError && e.code === 'NJ_USAGE');
    assert.match(e.message, /bind: give an IPv4 or IPv6 address/);
    assert.match(e.message, /netflowPort/);
    assert.match(e.message, /colour/);
    return true;
  });
});
