import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyslogFramer, type FramingProblem } from './syslog-framing.js';

function frame(chunks: string[], max = 1000): { msgs: string[]; problems: FramingProblem[] } {
  const msgs: string[] = [];
  const problems: FramingProblem[] = [];
  const f = new SyslogFramer(max, (m) => msgs.push(m.toString()), (p) => problems.push(p));
  for (const c of chunks) f.push(Buffer.from(c));
  f.end();
  return { msgs, problems };
}

test('newline framing, CRLF and a last message without its newline', () => {
  assert.deepEqual(frame(['<13>a one\n<13>b two\r\n', '<13>c th', 'ree']).msgs, ['<13>a one', '<13>b two', '<13>c three']);
});

test('octet counting across chunk boundaries, newlines inside a message kept', () => {
  const m1 = '<165>1 2003-10-11T22:14:15.003Z host app - - - multi\nline';
  const m2 = '<13>Oct 11 22:14:15 host x: y';
  const stream = `${m1.length} ${m1}${m2.length} ${m2}`;
  const { msgs, problems } = frame([stream.slice(0, 3), stream.slice(3, 40), stream.slice(40)]);
  assert.deepEqual(msgs, [m1, m2]);
  assert.deepEqual(problems, []);
});

test('both framings mixed on one connection', () => {
  assert.deepEqual(frame(['5 <1>ab<2>newline\n3 <3>']).msgs, ['<1>ab', '<2>newline', '<3>']);
});

test('oversize messages are cut at the limit, counted, and the stream stays in step', () => {
  const big = 'x'.repeat(50);
  const r = frame([`50 ${big}5 <1>ok`, `${'y'.repeat(30)}\n<2>after\n`], 20);
  assert.deepEqual(r.msgs, ['x'.repeat(20), '<1>ok', 'y'.repeat(20), '<2>after']);
  assert.deepEqual(r.problems, ['oversize', 'oversize']);
});

test('digits not followed by a space are read as a newline-framed message, and nothing is reported dropped', () => {
  // Real MikroTik and iptables lines (shortened) forwarded without a PRI (test/fixtures/firewall/
  // crowdsec_mikrotik.log, iptables_kernel_log_variants.log), as rsyslog or nc send a log file.
  const lines = [
    '2023-03-18T20:35:05.734637+01:00 10.120.127.1 firewall,info drop-in input: in:ether1-WAN out:(unknown 0), proto UDP, 186.26.78.68:44355->81.82.202.145:53, len 65',
    '2021-03-12T14:10:18Z Hostname kernel: [wan-lan-default-D]IN=eth0 OUT= SRC=67.43.156.15 DST=10.4.0.5 LEN=52 PROTO=TCP SPT=38842 DPT=443',
  ];
  const r = frame([lines.join('\n') + '\n<13>after\n']);
  assert.deepEqual(r.msgs, [...lines, '<13>after']);
  assert.deepEqual(r.problems, []);
});
