import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { sql } from '../store/sql.js';
import { freePorts, sendUdp, testCollector, waitFor } from './collector-test-support.js';

const IPTABLES =
  'Jun  8 14:34:33 sd-126005 kernel: [50028442.088484] IN=enp1s0 OUT= MAC=00:08:a2:0c:1f:12:00:c8:8b:e2:d6:87:08:00 SRC=195.54.160.107 DST=51.15.166.67 LEN=40 TOS=0x00 PREC=0x00 TTL=245 ID=37308 PROTO=TCP SPT=8080 DPT=8123 WINDOW=1024 RES=0x00 SYN URGP=0';
const PF = 'Sep 28 10:38:09 pfSense filterlog: 53,,,1000000301,em0,match,block,in,4,0x0,,64,420,0,none,6,tcp,460,10.0.2.2,10.0.2.15,53742,22,420,PA,29633380:29633800,3617062173,65535,,';
const RFC3164 = '<34>Oct 11 22:14:15 mymachine su: \'su root\' failed for lonvick on /dev/pts/8';
const RFC5424 = '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3"] An application event';

/** Sends `payload` over one TCP connection and closes it. */
function sendTcp(port: number, payload: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.end(payload, () => resolve()));
    s.on('error', reject);
  });
}

test('syslog over UDP and TCP: firewall lines to their decoders, the rest raw in metadata with the envelope read', async () => {
  const [udp, tcp] = await freePorts(2);
  const { collector, store } = await testCollector({ syslogUdpPort: udp, syslogTcpPort: tcp });
  try {
    await sendUdp(udp, [IPTABLES, RFC3164].map((s) => Buffer.from(s)));
    // Newline framing on one connection, octet counting on another.
    await sendTcp(tcp, `${PF}\n${RFC5424}\n`);
    await sendTcp(tcp, [IPTABLES, RFC5424].map((m) => `${Buffer.byteLength(m)} ${m}`).join(''));
    await waitFor(() => collector.counters.decodedDatagrams === 6, 5000, 'six syslog messages');
    const s = await collector.stop();
    assert.deepEqual(s.syslog, { netfilter: 2, raw: 3, 'pf-filterlog': 1 });
    const fw = await store.all(sql`SELECT source_type, orig_h, resp_h, resp_p, action FROM firewall ORDER BY source_type`);
    assert.deepEqual(fw.map((r) => [r.source_type, r.orig_h, r.resp_h, Number(r.resp_p), r.action]), [
      ['netfilter', '195.54.160.107', '51.15.166.67', 8123, null],
      ['netfilter', '195.54.160.107', '51.15.166.67', 8123, null],
      ['pf-filterlog', '10.0.2.2', '10.0.2.15', 22, 'deny'],
    ]);
    const raw = await store.all(sql`SELECT data, sensor, ts FROM metadata WHERE log = 'syslog' ORDER BY ts`);
    const data = raw.map((r) => JSON.parse(String(r.data)) as Record<string, unknown>);
    assert.equal(data.length, 3);
    const d5424 = data.filter((d) => d.msgid === 'ID47');
    assert.equal(d5424.length, 2);
    assert.deepEqual([d5424[0].facility, d5424[0].severity, d5424[0].host, d5424[0].app, d5424[0].structured_data, d5424[0].message], [
      20, 5, 'mymachine.example.com', 'evntslog', '[exampleSDID@32473 iut="3"]', 'An application event',
    ]);
    assert.equal(raw.find((r) => String(r.data).includes('ID47'))!.ts, '2003-10-11T22:14:15.003000Z');
    const d3164 = data.find((d) => d.app === 'su')!;
    assert.deepEqual([d3164.facility, d3164.severity, d3164.host, d3164.message], [4, 2, 'mymachine', "'su root' failed for lonvick on /dev/pts/8"]);
  } finally {
    await store.close();
  }
});

test('syslog TCP: a partial message still in flight when the collector stops is stored, not lost', async () => {
  const [tcp] = await freePorts(1);
  const { collector, store } = await testCollector({ syslogTcpPort: tcp });
  try {
    const s = connect(tcp, '127.0.0.1');
    await new Promise<void>((r) => s.on('connect', () => r()));
    s.write(`${RFC3164}\n<34>Oct 11 22:14:16 mymachine su: no newline yet`);
    await waitFor(() => collector.counters.received.syslog_tcp === 1);
    await new Promise((r) => setTimeout(r, 100));
    const sum = await collector.stop();
    s.destroy();
    assert.equal(sum.received, 2);
    const rows = await store.all(sql`SELECT count(*) AS n FROM metadata WHERE log = 'syslog'`);
    assert.equal(Number(rows[0].n), 2);
  } finally {
    await store.close();
  }
});
