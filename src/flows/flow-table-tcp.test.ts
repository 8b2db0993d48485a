/**
 * TCP scenarios: every conn_state value and history letter the flow table can see, byte counts from
 * sequence numbers (gaps, wraparound), retransmissions, zero windows, role flips and reuse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConnectionRecord } from './connection-record.js';
import { collectingTable, TcpConversation, type ConversationOptions } from './testing.js';

/** Runs a scenario on a fresh table and returns its single record (after flush). */
function one(script: (c: TcpConversation) => void, o: ConversationOptions = {}): ConnectionRecord {
  const { table, records } = collectingTable();
  const c = new TcpConversation(table, o);
  script(c);
  table.flush();
  assert.equal(records.length, 1, `one connection, got ${records.map((r) => r.history).join(' ')}`);
  return records[0];
}

function handshake(c: TcpConversation): void {
  c.c('S');
  c.s('SA');
  c.c('A');
}

test('handshake, data both ways, FIN both ways: SF ShADadFf', () => {
  const r = one((c) => {
    handshake(c);
    c.c('PA', 100);
    c.s('A');
    c.s('PA', 500);
    c.c('A');
    c.c('FA');
    c.s('FA');
    c.c('A');
  });
  assert.equal(r.conn_state, 'SF');
  assert.equal(r.history, 'ShADadFf');
  assert.equal(r.orig_bytes, 100);
  assert.equal(r.resp_bytes, 500);
  assert.equal(r.orig_pkts, 6);
  assert.equal(r.resp_pkts, 4);
  assert.equal(r.orig_ip_bytes, 6 * 40 + 100);
  assert.equal(r.resp_ip_bytes, 4 * 40 + 500);
  assert.equal(r.missed_bytes, 0);
  // The final ACK after both FINs does not extend the duration (Zeek stops last_time there).
  assert.equal(r.duration, 0.08);
  assert.deepEqual([r.orig_h, r.orig_p, r.resp_h, r.resp_p, r.ip_proto], ['10.0.0.1', 51000, '10.0.0.2', 80, 6]);
  assert.equal(r.ts, 1000.01e6);
  assert.match(r.uid, /^C[A-Za-z0-9]{17}$/);
});

test('SYN only: S0 S, and a retransmitted SYN (same ISN) stays one connection', () => {
  const r = one((c) => {
    c.c('S');
    c.c('S', 0, { seq: 1000, hold: true, dt: 1 });
  });
  assert.equal(r.conn_state, 'S0');
  assert.equal(r.history, 'S');
  assert.equal(r.orig_pkts, 2);
  assert.equal(r.orig_bytes, 0);
  assert.equal(r.resp_pkts, 0);
});

test('SYN answered by RST-ACK: REJ Sr', () => {
  const r = one((c) => {
    c.c('S');
    c.s('RA');
  });
  assert.equal(r.conn_state, 'REJ');
  assert.equal(r.history, 'Sr');
  assert.equal(r.orig_bytes, 0);
  assert.equal(r.resp_bytes, 0);
});

test('originator aborts an established connection: RSTO', () => {
  const r = one((c) => {
    handshake(c);
    c.c('PA', 10);
    c.s('PA', 20);
    c.c('RA');
  });
  assert.equal(r.conn_state, 'RSTO');
  assert.equal(r.history, 'ShADdR');
  assert.equal(r.orig_bytes, 10);
  assert.equal(r.resp_bytes, 20);
});

test('responder aborts: RSTR', () => {
  const r = one((c) => {
    handshake(c);
    c.c('PA', 10);
    c.s('R');
  });
  assert.equal(r.conn_state, 'RSTR');
  assert.equal(r.history, 'ShADr');
});

test('SYN then RST from the originator, no answer: RSTOS0', () => {
  const r = one((c) => {
    c.c('S');
    c.c('R');
  });
  assert.equal(r.conn_state, 'RSTOS0');
  assert.equal(r.history, 'SR');
});

test('responder SYN-ACK then RST, its SYN never seen: RSTRH (roles flipped by the server port)', () => {
  const r = one((c) => {
    c.s('SA', 0, { ack: 1001 });
    c.s('R', 0, { seq: 5001 });
  });
  assert.equal(r.conn_state, 'RSTRH');
  assert.equal(r.history, '^hr');
  assert.deepEqual([r.orig_h, r.orig_p], ['10.0.0.1', 51000]);
});

test('SYN then FIN, no answer: SH; SYN-ACK then FIN with no SYN: SHR', () => {
  const sh = one((c) => {
    c.c('S');
    c.c('F');
  });
  assert.equal(sh.conn_state, 'SH');
  assert.equal(sh.history, 'SF');
  const shr = one((c) => {
    c.s('SA', 0, { ack: 1001 });
    c.s('FA', 0, { seq: 5001 });
  });
  assert.equal(shr.conn_state, 'SHR');
  assert.equal(shr.history, '^hf');
});

test('established and not closed: S1; half closed: S2 (originator) and S3 (responder)', () => {
  const s1 = one((c) => {
    handshake(c);
    c.c('PA', 5);
    c.s('PA', 7);
  });
  assert.equal(s1.conn_state, 'S1');
  assert.equal(s1.history, 'ShADd');
  assert.equal(s1.state_reason, 'end_of_input');
  const s2 = one((c) => {
    handshake(c);
    c.c('FA');
    c.s('A');
  });
  assert.equal(s2.conn_state, 'S2');
  assert.equal(s2.history, 'ShAFa');
  const s3 = one((c) => {
    handshake(c);
    c.s('FA');
    c.c('A');
  });
  assert.equal(s3.conn_state, 'S3');
  assert.equal(s3.history, 'ShAf');
});

test('midstream traffic without SYN on unknown ports: OTH, partial endpoints, sizes from the first seen seq', () => {
  const r = one(
    (c) => {
      c.c('PA', 100, { seq: 7000, ack: 9000 });
      c.s('PA', 50, { seq: 9000, ack: 7100 });
      c.c('A', 0, { seq: 7100, ack: 9050 });
    },
    { cport: 40000, sport: 50000 },
  );
  assert.equal(r.conn_state, 'OTH');
  assert.equal(r.history, 'DdA');
  assert.equal(r.orig_bytes, 100);
  assert.equal(r.resp_bytes, 50);
});

test('midstream data from a server port: roles flipped (^), FINs both ways make SF', () => {
  const r = one((c) => {
    c.s('PA', 300, { seq: 9000, ack: 7000 });
    c.c('A', 0, { seq: 7000, ack: 9300 });
    c.c('FA', 0, { seq: 7000, ack: 9300 });
    c.s('FA', 0, { seq: 9300, ack: 7001 });
    c.c('A', 0, { seq: 7001, ack: 9301 });
  });
  assert.equal(r.history, '^dAFf');
  assert.deepEqual([r.orig_h, r.orig_p, r.resp_p], ['10.0.0.1', 51000, 80]);
  assert.equal(r.conn_state, 'SF');
  assert.equal(r.resp_bytes, 300);
});

test('SYN-ACK seen before its SYN on unknown ports: the SYN flips roles (Hs^)', () => {
  const { table, records } = collectingTable();
  const c = new TcpConversation(table, { cport: 40000, sport: 50000 });
  c.s('SA', 0, { ack: 1001 });
  c.c('S', 0, { seq: 1000 });
  assert.equal(table.lastFromOrig, true);
  c.c('A', 0, { seq: 1001, ack: 5001 });
  table.flush();
  assert.equal(records.length, 1);
  const r = records[0];
  assert.equal(r.history, 'Hs^A');
  assert.deepEqual([r.orig_p, r.resp_p], [40000, 50000]);
  assert.equal(r.conn_state, 'S1');
});

test('retransmissions: T at the 1st, 10th and 100th (scaled), t for the responder', () => {
  const r = one((c) => {
    handshake(c);
    c.c('PA', 100);
    for (let i = 0; i < 10; i++) c.c('PA', 100, { seq: 1001, hold: true });
    c.s('PA', 10);
    c.s('PA', 10, { seq: 5001, hold: true });
  });
  assert.equal(r.history, 'ShADTTdt');
  assert.equal(r.orig_bytes, 100);
});

test('zero windows: W (originator) and w (responder), not with a RST', () => {
  const r = one((c) => {
    handshake(c);
    c.c('A', 0, { win: 0 });
    c.s('A', 0, { win: 0 });
    c.c('RA', 0, { win: 0 });
  });
  assert.equal(r.history, 'ShAWawR');
});

test('FIN+RST is I, SYN+FIN is Q', () => {
  const i = one((c) => {
    handshake(c);
    c.c('FRA');
  });
  assert.equal(i.history, 'ShAI');
  const q = one((c) => c.c('SF'));
  assert.equal(q.history, 'Q');
});

test('a content gap acknowledged by the peer is missed_bytes and G; sizes still count it', () => {
  const r = one((c) => {
    handshake(c);
    c.c('PA', 100); // 1001..1100
    c.c('PA', 100, { seq: 1201, hold: true }); // 1101..1200 never seen
    c.s('A', 0, { ack: 1301 });
    c.c('FA', 0, { seq: 1301 });
    c.s('FA', 0, { ack: 1302 });
    c.c('A', 0, { seq: 1302 });
  });
  assert.equal(r.missed_bytes, 100);
  assert.equal(r.history, 'ShADaGFf');
  assert.equal(r.orig_bytes, 300);
  assert.equal(r.conn_state, 'SF');
});

test('a retransmission that fills a hole before the ack is not a gap', () => {
  const r = one((c) => {
    handshake(c);
    c.c('PA', 100, { seq: 1101, hold: true }); // out of order: 1101..1200
    c.c('PA', 100, { seq: 1001, hold: true }); // the hole, filled
    c.s('A', 0, { ack: 1201 });
  });
  assert.equal(r.missed_bytes, 0);
  assert.equal(r.history, 'ShADTa');
});

test('a payload cut by the snap length is acknowledged but unseen: a gap, as in Zeek', () => {
  const r = one((c) => {
    handshake(c);
    c.c('PA', 1000, { capLen: 200 });
    c.s('A');
  });
  assert.equal(r.missed_bytes, 1000);
});

test('sequence numbers wrapping around 2^32 still give exact byte counts', () => {
  const r = one(
    (c) => {
      handshake(c);
      for (let i = 0; i < 10; i++) c.c('PA', 1000);
      c.s('A');
      c.c('FA');
      c.s('FA');
      c.c('A');
    },
    { clientIsn: 0xffffffff - 4321 },
  );
  assert.equal(r.orig_bytes, 10000);
  assert.equal(r.missed_bytes, 0);
  assert.equal(r.conn_state, 'SF');
});

test('more than 4 GiB in one direction: sequence wraps are counted', () => {
  const r = one((c) => {
    handshake(c);
    for (let i = 0; i < 6000; i++) c.c('PA', 1_000_000, { dt: 0.001 });
    c.s('A');
  });
  assert.equal(r.orig_bytes, 6_000_000_000);
  assert.equal(r.history, 'ShADa');
});

test('a new SYN with a new ISN after close starts a new connection (reuse)', () => {
  const { table, records } = collectingTable();
  const c = new TcpConversation(table);
  handshake(c);
  c.c('FA');
  c.s('FA');
  c.c('A');
  const h1 = c.lastHandle;
  c.cseq = 777777;
  c.c('S');
  assert.equal(table.lastIsNew, true);
  assert.equal(records.length, 1);
  assert.equal(records[0].state_reason, 'reused');
  assert.equal(records[0].conn_state, 'SF');
  table.flush();
  assert.equal(records.length, 2);
  assert.equal(records[1].history, 'S');
  assert.notEqual(records[0].uid, records[1].uid);
  assert.equal(typeof h1, 'number');
});

test('lastFromOrig follows the packet direction; the handle is stable; uid and service are per connection', () => {
  const { table, records } = collectingTable();
  const c = new TcpConversation(table);
  const h = c.c('S');
  assert.equal(table.lastFromOrig, true);
  assert.equal(table.lastIsNew, true);
  assert.equal(c.s('SA'), h);
  assert.equal(table.lastFromOrig, false);
  assert.equal(table.lastIsNew, false);
  const uid = table.uid(h);
  table.setService(h, 'http');
  table.setService(h, 'http');
  table.setService(h, 'websocket');
  table.flush();
  assert.equal(records[0].uid, uid);
  assert.equal(records[0].service, 'http,websocket');
});
