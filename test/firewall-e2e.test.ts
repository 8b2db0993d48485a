// A real firewall end to end: two network namespaces made by this test, Debian's iptables with NFLOG
// rules logging through ulogd2, real programs (python's http.server, curl, bash's /dev/udp) making
// real traffic. The log is ingested and each attempt's recorded action is checked against what the
// rules must have done. Needs root, iptables, ulogd2, curl and python3 (CI installs them); skipped
// otherwise. Only the test's own namespaces and addresses are used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = path.join(process.cwd(), 'bin/nightjar.js');
const ULOGD_PLUGINS = '/usr/lib/x86_64-linux-gnu/ulogd';

function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const ready =
  process.getuid?.() === 0 && ['ip', 'iptables', 'ulogd', 'curl', 'python3'].every(have) && fs.existsSync(ULOGD_PLUGINS);

function sh(cmd: string, allowFail = false): string {
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
  if (r.status !== 0 && !allowFail) throw new Error(`${cmd}: ${r.stderr}`);
  return r.stdout;
}

test('iptables NFLOG decisions on real traffic come back as allow, drop and reject', { skip: ready ? false : 'needs root, iptables, ulogd2, curl, python3' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-fw-'));
  const tag = String(process.pid % 10000);
  const [cli, srv] = [`njc${tag}`, `njs${tag}`];
  const [vc, vs] = [`njc${tag}v`, `njs${tag}v`];
  const log = path.join(dir, 'fw.log');
  const conf = path.join(dir, 'ulogd.conf');
  fs.writeFileSync(
    conf,
    [
      '[global]',
      `logfile="${path.join(dir, 'ulogd.log')}"`,
      'loglevel=3',
      ...['inppkt_NFLOG', 'raw2packet_BASE', 'filter_IFINDEX', 'filter_IP2STR', 'filter_PRINTPKT', 'output_LOGEMU'].map(
        (p) => `plugin="${ULOGD_PLUGINS}/ulogd_${p}.so"`,
      ),
      'stack=log1:NFLOG,base1:BASE,ifi1:IFINDEX,ip2str1:IP2STR,print1:PRINTPKT,emu1:LOGEMU',
      '[log1]',
      'group=7',
      '[emu1]',
      `file="${log}"`,
      'sync=1',
      '',
    ].join('\n'),
  );
  let web: ReturnType<typeof spawn> | null = null;
  let ulogd: ReturnType<typeof spawn> | null = null;
  try {
    sh(`ip netns add ${cli} && ip netns add ${srv}`);
    sh(`ip link add ${vc} type veth peer name ${vs} && ip link set ${vc} netns ${cli} && ip link set ${vs} netns ${srv}`);
    sh(`ip netns exec ${cli} ip addr add 10.99.7.1/24 dev ${vc} && ip netns exec ${srv} ip addr add 10.99.7.2/24 dev ${vs}`);
    for (const [ns, dev] of [[cli, vc], [srv, vs]]) sh(`ip netns exec ${ns} ip link set lo up && ip netns exec ${ns} ip link set ${dev} up`);
    const ipt = (rule: string): string => sh(`ip netns exec ${srv} iptables ${rule}`);
    ipt('-A INPUT -p tcp --dport 8080 -m conntrack --ctstate NEW -j NFLOG --nflog-group 7 --nflog-prefix "ALLOW web"');
    ipt('-A INPUT -p tcp --dport 8080 -j ACCEPT');
    ipt('-A INPUT -p tcp --dport 8081 -j NFLOG --nflog-group 7 --nflog-prefix "DROP admin"');
    ipt('-A INPUT -p tcp --dport 8081 -j DROP');
    ipt('-A INPUT -p udp --dport 5300 -j NFLOG --nflog-group 7 --nflog-prefix "REJECT dns"');
    ipt('-A INPUT -p udp --dport 5300 -j REJECT');
    ulogd = spawn('ip', ['netns', 'exec', srv, 'ulogd', '-c', conf], { stdio: 'ignore' });
    web = spawn('ip', ['netns', 'exec', srv, 'python3', '-m', 'http.server', '8080', '--bind', '10.99.7.2'], { stdio: 'ignore', cwd: dir });
    await new Promise((r) => setTimeout(r, 1500));
    const ok = sh(`ip netns exec ${cli} curl -s -o /dev/null -w '%{http_code}' http://10.99.7.2:8080/`);
    assert.equal(ok, '200');
    sh(`ip netns exec ${cli} curl -s -m 2 http://10.99.7.2:8081/`, true); // dropped: times out
    sh(`ip netns exec ${cli} bash -c 'echo probe > /dev/udp/10.99.7.2/5300'`, true);
    await new Promise((r) => setTimeout(r, 1000));

    const db = path.join(dir, 'fw.duckdb');
    const ing = spawnSync(process.execPath, [BIN, 'ingest', '--db', db, log], { encoding: 'utf8' });
    assert.equal(ing.status, 0, ing.stdout + ing.stderr);
    const q = spawnSync(process.execPath, [BIN, 'query', '--db', db, '--type', 'firewall', '--format', 'json'], { encoding: 'utf8' });
    const rows = JSON.parse(q.stdout) as { orig_h: string; resp_h: string; resp_p: number; proto: string; action: string; rule: string }[];
    const by = (port: number) => rows.filter((r) => r.resp_p === port);
    assert.equal(by(8080).length, 1, JSON.stringify(rows));
    assert.equal(by(8080)[0].action, 'allow');
    assert.equal(by(8080)[0].rule, 'ALLOW web');
    assert.ok(by(8081).length >= 1, 'the dropped SYN (and its retransmissions) are logged');
    for (const r of by(8081)) assert.equal(r.action, 'drop');
    assert.equal(by(5300).length, 1);
    assert.equal(by(5300)[0].action, 'reject');
    assert.equal(by(5300)[0].proto, 'udp');
    for (const r of rows) {
      assert.equal(r.orig_h, '10.99.7.1');
      assert.equal(r.resp_h, '10.99.7.2');
    }
  } finally {
    web?.kill();
    ulogd?.kill();
    spawnSync('sh', ['-c', `ip netns del ${cli}; ip netns del ${srv}`]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
