// flowExtraJson must write exactly what JSON.stringify(flowExtra(rec)) writes, for every flow of
// every NetFlow/IPFIX fixture (names from options data, NAT, biflow and sampling included) and of
// the nfcapd fixtures, plus hand-set odd values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FlowRecord } from './flow-record.js';
import { flowExtra } from './flow-row.js';
import { flowExtraJson } from './flow-extra-json.js';
import { NetflowDecoder } from './netflow-decoder.js';
import { datagramsOf } from './test-support.js';

test('flowExtraJson equals JSON.stringify(flowExtra) on every fixture flow', () => {
  let n = 0;
  const pcaps = fs.readdirSync(path.join(process.cwd(), 'test/fixtures/netflow')).filter((f) => f.endsWith('.pcap'));
  assert.ok(pcaps.length >= 5);
  for (const name of pcaps) {
    const d = new NetflowDecoder((rec) => {
      n++;
      assert.equal(flowExtraJson(rec), JSON.stringify(flowExtra(rec)), name);
    });
    for (const g of datagramsOf(name)) d.decode(g.bytes, 0, g.bytes.length, g.exporter, g.tsMicros);
  }
  assert.ok(n > 100, `${n} flows`);
});

test('flowExtraJson: odd values render as JSON.stringify renders them', () => {
  const rec = new FlowRecord();
  rec.reset();
  rec.exporter = 'a"b\\c';
  rec.version = 5;
  rec.direction = 7;
  rec.bytes = Number.NaN;
  rec.nextHop = '2001:db8::1';
  rec.natSrcAddr = 'x\u2028y';
  rec.derived = { ifname_in: 'Gi0/0/0"' };
  assert.equal(flowExtraJson(rec), JSON.stringify(flowExtra(rec)));
  rec.version = 10;
  rec.direction = 1;
  rec.derived = null;
  assert.equal(flowExtraJson(rec), JSON.stringify(flowExtra(rec)));
});
