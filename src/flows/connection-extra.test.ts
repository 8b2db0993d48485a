import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConnectionRecord } from './connection-record.js';
import { connectionExtra, jsonString } from './connection-extra.js';

/** What the capture decoder wrote before: the object, stringified. */
function viaStringify(c: Pick<ConnectionRecord, 'vlan' | 'inner_vlan' | 'tunnel'>, app: Record<string, string> | null): string | null {
  if (c.vlan === null && c.tunnel === null && app === null) return null;
  const extra: Record<string, unknown> = {};
  if (c.vlan !== null) extra.vlan = c.vlan;
  if (c.inner_vlan !== null) extra.inner_vlan = c.inner_vlan;
  if (c.tunnel !== null) extra.tunnel = c.tunnel;
  if (app !== null) extra.app = app;
  return JSON.stringify(extra);
}

const TEXTS = ['', 'example.com', 'say "hi"', 'back\\slash', 'tab\there', 'nul\u0000', '\u001f', 'caf\u00e9 \u4e2d', '\ud83d\ude00', 'lone \ud800 high', 'lone \udc00 low', '\u2028\u2029', '</script>'];

test('jsonString is JSON.stringify for plain, escaped and non-ASCII text', () => {
  for (const t of TEXTS) assert.equal(jsonString(t), JSON.stringify(t), JSON.stringify(t));
});

test('the extra column is the stringified object, key order included', () => {
  const tunnel = { kind: 'geneve', src_h: '192.168.56.11', dst_h: 'fe80::1' };
  const apps: (Record<string, string> | null)[] = [null, { sni: 'a.example' }, Object.fromEntries(TEXTS.map((t, i) => [`k${i}${t}`, t]))];
  const cases = [
    { vlan: null, inner_vlan: null, tunnel: null },
    { vlan: 10, inner_vlan: null, tunnel: null },
    { vlan: 10, inner_vlan: 20, tunnel: null },
    { vlan: null, inner_vlan: 20, tunnel: null },
    { vlan: null, inner_vlan: null, tunnel },
    { vlan: 4094, inner_vlan: 0, tunnel },
  ];
  for (const c of cases) {
    for (const app of apps) {
      assert.equal(connectionExtra(c as ConnectionRecord, app), viaStringify(c, app), JSON.stringify([c, app]));
    }
  }
});
