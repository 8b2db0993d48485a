// Tests of the shared-column writer's addresses: given as bytes of a (possibly damaged) log line, or as text in any form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { canonicalIp } from '../model/address-format.js';
import { communityId } from '../model/community-id.js';
import { CONNECTIONS } from '../model/fields.js';
import { ColumnBatch, type StrColumn } from '../store/column-batch.js';
import { K, writeFlowKey, type FlowKey } from './flow-key.js';

/** The bytes the batch holds for a string cell (what the store is handed). */
function cellBytes(b: ColumnBatch, col: number, row: number): Buffer {
  const c = b.columns[col] as StrColumn;
  return Buffer.from(b.arena.subarray(c.start[row], c.start[row] + c.len[row]));
}

function keyOf(line: Buffer, orig: string, resp: string): FlowKey {
  const text = line.toString('latin1');
  const o = text.indexOf(orig);
  const r = text.indexOf(resp);
  return {
    tsMicros: 1, uid: null, origH: null, origP: 55548, respH: null, respP: 3128, proto: 'tcp', communityId: null,
    addrBuf: line, origHStart: o, origHEnd: o + orig.length, respHStart: r, respHEnd: r + resp.length,
  };
}

test('address bytes that are ASCII are stored as they are, with a Community ID', () => {
  const line = Buffer.from('10.136.0.18\t55548\t10.136.0.16\t3128');
  const b = new ColumnBatch(CONNECTIONS, 4);
  const row = b.addRow();
  writeFlowKey(b, row, keyOf(line, '10.136.0.18', '10.136.0.16'), 'zeek', null, 1);
  assert.equal(b.getStr(K.orig_h, row), '10.136.0.18');
  assert.equal(b.getStr(K.resp_h, row), '10.136.0.16');
  assert.match(String(b.getStr(K.community_id, row)), /^1:/);
});

test('a damaged address (bytes that are not UTF-8) reaches the batch as valid UTF-8, without a Community ID', () => {
  // One byte of each address replaced, as in a log damaged on disk: a lone 0xfc and a lone UTF-8 lead byte.
  const line = Buffer.concat([Buffer.from('10.'), Buffer.from([0xc3]), Buffer.from('36.0.18\t55548\t10.136'), Buffer.from([0xfc]), Buffer.from('0.16\t3128')]);
  const text = line.toString('latin1');
  const b = new ColumnBatch(CONNECTIONS, 4);
  const row = b.addRow();
  writeFlowKey(b, row, keyOf(line, text.slice(0, 11), text.slice(18, 29)), 'zeek', null, 1);
  for (const col of [K.orig_h, K.resp_h]) assert.ok(isUtf8(cellBytes(b, col, row)), `column ${col} holds bytes that are not UTF-8`);
  assert.equal(b.getStr(K.orig_h, row), '10.\ufffd36.0.18');
  assert.equal(b.getStr(K.resp_h, row), '10.136\ufffd0.16');
  assert.equal(b.getStr(K.community_id, row), null);
});

test('addresses given as strings are stored in one form, and the Community ID is of what is stored', () => {
  const b = new ColumnBatch(CONNECTIONS, 4);
  const key = (origH: string, respH: string): FlowKey => ({
    tsMicros: 1, uid: null, origH, origP: 1234, respH, respP: 53, proto: 'udp', communityId: null,
  });
  const r1 = b.addRow();
  writeFlowKey(b, r1, key('::ffff:192.0.2.1', '0000:0000:0000:0000:0000:ffff:c000:0202'), 'cef', null, 1);
  const r2 = b.addRow();
  writeFlowKey(b, r2, key('192.0.2.1', '192.0.2.2'), 'cef', null, 1);
  assert.deepEqual([b.getStr(K.orig_h, r1), b.getStr(K.resp_h, r1)], ['192.0.2.1', '192.0.2.2']);
  assert.equal(b.getStr(K.community_id, r1), b.getStr(K.community_id, r2));
  const r3 = b.addRow();
  writeFlowKey(b, r3, key('FE80:0000:0000:0000:0084:88FF:FEAE:790A', 'ff02::16'), 'cef', null, 1);
  assert.equal(b.getStr(K.orig_h, r3), 'fe80::84:88ff:feae:790a');
});

test('string addresses in every IPv6 form: stored form and Community ID as canonicalIp and communityId give them', () => {
  const b = new ColumnBatch(CONNECTIONS, 4096);
  let state = 11;
  const rnd = (n: number): number => ((state = (state * 1103515245 + 12345) >>> 0) >>> 8) % n;
  const forms = [
    (): string => `${rnd(256)}.${rnd(256)}.${rnd(256)}.${rnd(256)}`,
    (): string => `::ffff:${rnd(256)}.${rnd(256)}.${rnd(256)}.${rnd(256)}`,
    (): string => `::${rnd(256)}.${rnd(256)}.${rnd(256)}.${rnd(256)}`,
    (): string => Array.from({ length: 8 }, () => rnd(3) === 0 ? '0000' : rnd(65536).toString(16).padStart(4, '0').toUpperCase()).join(':'),
    (): string => `2001:db8::${rnd(65536).toString(16)}`,
    (): string => `fe80::${rnd(65536).toString(16)}%eth0`,
    (): string => 'not-an-address',
  ];
  for (let i = 0; i < 2000; i++) {
    const oh = forms[rnd(forms.length)]();
    const rh = forms[rnd(forms.length)]();
    const row = b.addRow();
    writeFlowKey(b, row, { tsMicros: 1, uid: null, origH: oh, origP: 1, respH: rh, respP: 2, proto: 'tcp', communityId: null }, 'cef', null, 1);
    const co = canonicalIp(oh);
    const cr = canonicalIp(rh);
    assert.deepEqual([b.getStr(K.orig_h, row), b.getStr(K.resp_h, row)], [co, cr]);
    assert.equal(b.getStr(K.community_id, row), communityId(co, cr, 1, 2, 6), `${oh} ${rh}`);
  }
});
