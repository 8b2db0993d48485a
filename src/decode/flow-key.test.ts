// writeFlowKey: what it stores from strings and from byte ranges, and its per-value byte caches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMUNITY_ID_LEN, communityId } from '../model/community-id.js';
import { CONNECTIONS } from '../model/fields.js';
import { ColumnBatch } from '../store/column-batch.js';
import { K, resetFlowKey, writeFlowKey, type FlowKey } from './flow-key.js';

function key(): FlowKey {
  const k: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };
  resetFlowKey(k, null);
  return k;
}

test('addresses as strings or as byte ranges store the same row, with the computed Community ID', () => {
  const b = new ColumnBatch(CONNECTIONS, 16);
  const cases: [string, string, string, number, number][] = [
    ['10.0.0.1', '192.168.1.9', 'tcp', 51000, 443],
    ['2001:db8::1', '2001:db8::2', 'udp', 53, 5353],
    ['10.0.0.1', '10.0.0.2', 'icmp', 8, 0],
    ['10.0.0.1', '10.0.0.2', 'SCTP', 1, 2],
    ['10.0.0.1', '10.0.0.2', 'gre', 0, 0],
  ];
  for (const [oh, rh, proto, op, rp] of cases) {
    const a = key();
    Object.assign(a, { tsMicros: 5, uid: 'C1', origH: oh, respH: rh, origP: op, respP: rp, proto });
    const rowA = b.addRow();
    writeFlowKey(b, rowA, a, 'zeek', 'sensor-é', 7);
    const text = Buffer.from(`x ${oh} ${rh} y`);
    const c = key();
    resetFlowKey(c, text);
    Object.assign(c, { tsMicros: 5, uid: 'C1', origP: op, respP: rp, proto });
    c.origHStart = 2;
    c.origHEnd = 2 + oh.length;
    c.respHStart = c.origHEnd + 1;
    c.respHEnd = c.respHStart + rh.length;
    const rowC = b.addRow();
    writeFlowKey(b, rowC, c, 'zeek', 'sensor-é', 7);
    for (const col of [K.uid, K.orig_h, K.resp_h, K.proto, K.community_id, K.source_type, K.sensor]) {
      assert.equal(b.getStr(col, rowC), b.getStr(col, rowA));
    }
    const num = { tcp: 6, udp: 17, icmp: 1, SCTP: 132, gre: 47 }[proto]!;
    assert.equal(b.getStr(K.community_id, rowA), communityId(oh, rh, op, rp, num));
    assert.equal(b.getNum(K.ip_proto, rowA), num);
    // Names other than the common transports are stored as the protocol number (protoName).
    assert.equal(b.getStr(K.proto, rowA), proto === 'gre' ? '47' : proto.toLowerCase());
    assert.equal(b.getStr(K.sensor, rowA), 'sensor-é');
  }
});

test('a given Community ID is kept, unknown protocols are stored lower-cased without one, and cached values change with their text', () => {
  const b = new ColumnBatch(CONNECTIONS, 16);
  const k = key();
  Object.assign(k, { origH: '10.0.0.1', respH: '10.0.0.2', origP: 1, respP: 2, proto: 'tcp', communityId: '1:given=' });
  let r = b.addRow();
  writeFlowKey(b, r, k, 'zeek', 's1', 1);
  assert.equal(b.getStr(K.community_id, r), '1:given=');
  Object.assign(k, { proto: 'WeIrD', communityId: null });
  r = b.addRow();
  writeFlowKey(b, r, k, 'suricata', 's2', 1);
  assert.equal(b.getStr(K.proto, r), 'weird');
  assert.equal(b.getNum(K.ip_proto, r), null);
  assert.equal(b.getStr(K.community_id, r), null);
  assert.equal(b.getStr(K.source_type, r), 'suricata');
  assert.equal(b.getStr(K.sensor, r), 's2');
  Object.assign(k, { proto: 'OTHER' });
  r = b.addRow();
  writeFlowKey(b, r, k, 'zeek', null, 1);
  assert.equal(b.getStr(K.proto, r), 'other');
  assert.equal(b.getStr(K.source_type, r), 'zeek');
  assert.equal(b.getStr(K.sensor, r), null);
});

test("a transport named without a number (Zeek's unknown_transport) takes its Community ID from the row's ip_proto", () => {
  const b = new ColumnBatch(CONNECTIONS, 4);
  const k = key();
  Object.assign(k, { tsMicros: 5, uid: 'C1', origH: '192.0.2.10', respH: '192.0.2.1', origP: 0, respP: 0, proto: 'unknown_transport' });
  const row = b.addRow();
  b.setNum(K.ip_proto, row, 47);
  writeFlowKey(b, row, k, 'zeek', null, 1);
  assert.equal(b.getStr(K.proto, row), 'unknown_transport');
  assert.equal(b.getNum(K.ip_proto, row), 47);
  assert.equal(b.getStr(K.community_id, row), communityId('192.0.2.10', '192.0.2.1', 0, 0, 47));
  // Without a logged number there is nothing to hash.
  const k2 = key();
  Object.assign(k2, { tsMicros: 5, uid: 'C2', origH: '192.0.2.10', respH: '192.0.2.1', proto: 'unknown_transport' });
  const row2 = b.addRow();
  writeFlowKey(b, row2, k2, 'zeek', null, 1);
  assert.equal(b.getStr(K.community_id, row2), null);
});

test('the Community ID is right whether the batch has room for it or must grow first', () => {
  let state = 3;
  const rnd = (n: number): number => ((state = (state * 1103515245 + 12345) >>> 0) >>> 8) % n;
  // Free bytes left for the ID when it is written: every count from 0 (the batch must grow) to 30 (just fits).
  for (let slack = 0; slack <= COMMUNITY_ID_LEN; slack++) {
    const b = new ColumnBatch(CONNECTIONS, 1);
    const v6 = rnd(4) === 0;
    const addr = (): string => (v6 ? `2001:db8::${rnd(65536).toString(16)}` : `10.${rnd(256)}.${rnd(256)}.${rnd(256)}`);
    const oh = addr();
    const rh = addr();
    const op = rnd(65536);
    const rp = rnd(65536);
    const text = Buffer.from(`${oh} ${rh}`);
    const k = key();
    resetFlowKey(k, text);
    Object.assign(k, { origP: op, respP: rp, proto: rnd(2) ? 'tcp' : 'udp' });
    k.origHEnd = oh.length;
    k.respHStart = oh.length + 1;
    k.respHEnd = text.length;
    const row = b.addRow();
    // Another column filled first, so that the addresses and protocol leave exactly `slack` bytes.
    const filler = b.arena.length - b.arenaUsed - (text.length - 1) - 3 - slack;
    assert.ok(filler >= 0);
    b.setBytes(K.history, row, Buffer.alloc(filler, 65), 0, filler);
    writeFlowKey(b, row, k, 'zeek', null, 1);
    assert.equal(b.getStr(K.community_id, row), communityId(oh, rh, op, rp, k.proto === 'tcp' ? 6 : 17), `slack ${slack}`);
    assert.equal(b.getStr(K.history, row), 'A'.repeat(filler));
  }
});
