/**
 * Timeouts driven by capture time, eviction when full, growth, interim records.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectingTable, makePacket, TcpConversation } from './testing.js';

const A = '10.1.1.1';
const B = '10.2.2.2';
const udp = (t: number, sport = 5000, src = A, dst = B) =>
  makePacket({ t, src, dst, proto: 17, sport, dport: 9000, len: 1 });

test('UDP inactivity: a gap shorter than 60 s continues the connection, a longer one starts a new one', () => {
  const { table, records } = collectingTable();
  table.packet(udp(0));
  table.packet(udp(59.9));
  assert.equal(records.length, 0);
  table.packet(udp(120));
  assert.equal(records.length, 1);
  assert.deepEqual([records[0].orig_pkts, records[0].state_reason, records[0].duration], [2, 'timeout', 59.9]);
  assert.equal(table.lastIsNew, true);
  assert.equal(table.size, 1);
});

test('advance() emits exactly at the deadline and not before', () => {
  const { table, records } = collectingTable({ udpInactivityTimeout: 10e6 });
  table.packet(udp(100));
  table.advance(109.999999e6);
  assert.equal(records.length, 0);
  table.advance(110e6);
  assert.equal(records.length, 1);
  assert.equal(table.size, 0);
  assert.equal(table.stats.timedOut, 1);
});

test('an unanswered SYN is logged tcp_attempt_delay (5 s) after it was sent, retransmissions included', () => {
  const { table, records } = collectingTable();
  const c = new TcpConversation(table, { t0: 0 });
  c.c('S', 0, { dt: 0 });
  c.c('S', 0, { dt: 3, seq: 1000, hold: true });
  table.advance(4.9e6);
  assert.equal(records.length, 0);
  table.advance(5e6);
  assert.equal(records.length, 1);
  assert.deepEqual([records[0].conn_state, records[0].orig_pkts, records[0].state_reason], ['S0', 2, 'timeout']);
  // The same SYN after that is a new attempt.
  c.c('S', 0, { dt: 2, seq: 1000, hold: true });
  assert.equal(table.lastIsNew, true);
});

test('an answered handshake moves to the TCP inactivity timeout (5 min)', () => {
  const { table, records } = collectingTable();
  const c = new TcpConversation(table, { t0: 0 });
  c.c('S');
  c.s('SA');
  c.c('A');
  table.advance(299e6);
  assert.equal(records.length, 0);
  table.advance(301e6);
  assert.deepEqual([records.length, records[0].conn_state], [1, 'S1']);
});

test('a closed connection stays tcp_close_delay (5 s) for late ACKs, counted in packets but not duration', () => {
  const { table, records } = collectingTable();
  const c = new TcpConversation(table, { t0: 0, step: 0.1 });
  c.c('S');
  c.s('SA');
  c.c('A');
  c.c('FA');
  c.s('FA'); // t = 0.5
  c.c('A', 0, { dt: 4 }); // 4.5 s: still the same connection
  assert.equal(table.lastIsNew, false);
  table.advance(5.49e6);
  assert.equal(records.length, 0);
  table.advance(5.5e6);
  assert.equal(records.length, 1);
  const r = records[0];
  assert.deepEqual([r.conn_state, r.history, r.orig_pkts, r.state_reason], ['SF', 'ShAFf', 4, 'closed']);
  assert.equal(r.duration, 0.4);
});

test('a RST ends the connection after the close delay; a RST after our own FIN after tcp_reset_delay', () => {
  const { table, records } = collectingTable({ tcpResetDelay: 2e6, tcpCloseDelay: 7e6 });
  const c = new TcpConversation(table, { t0: 0, step: 0.1 });
  c.c('S');
  c.s('SA');
  c.c('A');
  c.c('FA'); // 0.4: originator closed, responder still open
  c.c('RA'); // 0.5: RST after own FIN
  table.advance(2.49e6);
  assert.equal(records.length, 0);
  table.advance(2.5e6);
  assert.deepEqual([records.length, records[0].conn_state], [1, 'RSTO']);
  const d = new TcpConversation(table, { t0: 10, step: 0.1, cport: 2 });
  d.c('S');
  d.s('RA'); // 10.2
  table.advance(17.19e6);
  assert.equal(records.length, 1);
  table.advance(17.2e6);
  assert.deepEqual([records.length, records[1].conn_state], [2, 'REJ']);
});

test('a connection queued behind a later deadline may be emitted late, but a later packet still ends it on time', () => {
  const { table, records } = collectingTable();
  table.packet(udp(0, 1)); // X: deadline 60
  table.packet(udp(10, 1)); // X: deadline 70 (queued at 60)
  table.packet(udp(20, 2)); // Y: deadline 80
  table.advance(60e6); // X requeued behind Y
  table.advance(70e6);
  const late = records.length; // 0: X waits behind Y until 80
  table.packet(udp(75, 1)); // X's deadline has passed: a new connection, X emitted with its own counters
  assert.equal(late, 0);
  assert.deepEqual(
    records.map((r) => [r.orig_p, r.orig_pkts, r.duration]),
    [[1, 2, 10]],
  );
  assert.equal(table.lastIsNew, true);
});

test('eviction prefers connections that are closing over active ones', () => {
  const { table, records } = collectingTable({ maxFlows: 3, initialCapacity: 3 });
  table.packet(udp(0, 1));
  const c = new TcpConversation(table, { t0: 1 });
  c.c('S');
  c.s('RA'); // rejected: closing, deadline 6 s
  table.packet(udp(2, 2));
  table.packet(udp(3, 3)); // full: the rejected connection goes first
  assert.deepEqual(
    records.map((r) => [r.conn_state, r.state_reason]),
    [['REJ', 'evicted']],
  );
});

test('timeouts are configurable per protocol, and 0 means never', () => {
  const { table, records } = collectingTable({ icmpInactivityTimeout: 1e6, unknownIpInactivityTimeout: 0 });
  table.packet(makePacket({ t: 0, src: A, dst: B, proto: 1, type: 8 }));
  table.packet(makePacket({ t: 0, src: A, dst: B, proto: 50, len: 10 }));
  table.advance(1e12);
  assert.deepEqual(
    records.map((r) => r.ip_proto),
    [1],
  );
  assert.equal(table.size, 1);
});

test('the table is bounded: when full, the connection nearest its timeout is emitted (evicted)', () => {
  const { table, records } = collectingTable({ maxFlows: 4, initialCapacity: 4 });
  for (let i = 0; i < 6; i++) table.packet(udp(i, 1000 + i));
  assert.equal(table.size, 4);
  assert.deepEqual(
    records.map((r) => [r.orig_p, r.state_reason]),
    [
      [1000, 'evicted'],
      [1001, 'evicted'],
    ],
  );
  assert.equal(table.stats.evicted, 2);
  table.packet(udp(6, 1002)); // still tracked
  assert.equal(table.lastIsNew, false);
});

test('growth and deletions keep every connection findable (hash table integrity)', () => {
  const { table, records } = collectingTable({ initialCapacity: 16, udpInactivityTimeout: 100e6 });
  const n = 5000;
  const handles: number[] = [];
  for (let i = 0; i < n; i++) handles.push(table.packet(udp(i % 50, 1024 + i, `10.0.${i >> 8}.${i & 255}`)));
  assert.equal(table.size, n);
  // Refresh the odd ones later, so the even ones time out first.
  for (let i = 1; i < n; i += 2) {
    assert.equal(table.packet(udp(60, 1024 + i, `10.0.${i >> 8}.${i & 255}`)), handles[i]);
    assert.equal(table.lastIsNew, false);
  }
  table.advance(150e6);
  assert.equal(records.length, n / 2);
  assert.ok(records.every((r) => (r.orig_p - 1024) % 2 === 0));
  for (let i = 1; i < n; i += 2) {
    assert.equal(table.packet(udp(61, 1024 + i, `10.0.${i >> 8}.${i & 255}`)), handles[i]);
    assert.equal(table.lastIsNew, false);
  }
  table.flush();
  assert.equal(records.length, n);
  assert.equal(new Set(records.map((r) => r.uid)).size, n);
});

test('interim records every interimInterval carry cumulative counters and the final record supersedes them', () => {
  const { table, records } = collectingTable({ interimInterval: 10e6 });
  for (let t = 0; t <= 35; t++) table.packet(udp(t));
  table.flush();
  assert.deepEqual(
    records.map((r) => [r.interim, r.state_reason, r.orig_pkts]),
    [
      [true, 'interim', 10],
      [true, 'interim', 20],
      [true, 'interim', 30],
      [false, 'end_of_input', 36],
    ],
  );
  assert.equal(new Set(records.map((r) => r.uid)).size, 1);
  assert.equal(table.stats.interim, 3);
  const off = collectingTable({ interimInterval: 0 });
  for (let t = 0; t <= 35; t++) off.table.packet(udp(t));
  off.table.flush();
  assert.equal(off.records.length, 1);
});

test('uids are deterministic for a seed and differ between seeds', () => {
  const uids = (seed: number) => {
    const { table, records } = collectingTable({ uidSeed: seed });
    for (let i = 0; i < 3; i++) table.packet(udp(i, 2000 + i));
    table.flush();
    return records.map((r) => r.uid);
  };
  assert.deepEqual(uids(7), uids(7));
  assert.notDeepEqual(uids(7), uids(8));
  assert.equal(new Set(uids(7)).size, 3);
});
