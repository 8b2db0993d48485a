#!/usr/bin/python3
"""Writes ground-truth.json and GROUND_TRUTH.md for a recording made by record.sh.

    ground_truth.py WORKDIR OUTDIR

The facts come from what the script did and what its programs said, never from Nightjar: the action
log record.sh keeps (one line per thing a host was made to do, with its start time), nmap's XML
report, dig's answers, the upload server's access log, the router's iptables rules and the firewall
log lines themselves (counted by rule with plain text matching). Standard library only.
"""
import collections
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import xml.etree.ElementTree as ET

W, OUT = sys.argv[1], sys.argv[2]

HOSTS = [
    # name, address, zone, role, owner, what the script made it do
    ('fw1', '10.10.1.1', 'corp', 'router and firewall (also 10.10.2.1, uplink 192.0.2.2)', 'it-ops', 'routes, filters, NATs, logs'),
    ('ns1', '10.10.2.53', 'servers', 'sanctioned DNS resolver (dnsmasq)', 'it-ops', 'answers the site, forwards to 198.51.100.53, sinkholes malware-drop.example'),
    ('files', '10.10.2.20', 'servers', 'internal web and file server (http 80, https 443)', 'it-ops', 'serves pages; checks for updates every 30 s'),
    ('jump', '10.10.2.22', 'servers', 'SSH jump host (OpenSSH)', 'it-ops', 'accepts key logins from ws-admin'),
    ('ws-admin', '10.10.1.10', 'corp', 'IT administrator workstation', 'dana.admin', 'browses; SSH to jump about every 40 s'),
    ('ws-alice', '10.10.1.21', 'corp', 'workstation', 'alice', 'browses, looks names up'),
    ('ws-carol', '10.10.1.22', 'corp', 'workstation', 'carol', 'browses, looks names up'),
    ('ws-bob', '10.10.1.23', 'corp', 'workstation (compromised at T1)', 'bob', 'browses; from T1 beacons, scans, exfiltrates'),
]
NS_TO_HOST = {'admin': 'ws-admin', 'alice': 'ws-alice', 'carol': 'ws-carol', 'bob': 'ws-bob', 'files': 'files'}
EXTERNAL = {
    'www.example.com': '198.51.100.20', 'news.example.org': '198.51.100.21',
    'updates.example-cdn.net': '198.51.100.30', 'dns.public-resolver.example': '198.51.100.53',
    'c2.badcorp.example': '203.0.113.66', 'files.exfil.example': '203.0.113.99',
}


def read(name):
    with open(os.path.join(W, name), encoding='utf-8', errors='replace') as f:
        return f.read()


def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def package_versions():
    pkgs = ['iproute2', 'iptables', 'ulogd2', 'rsyslog', 'dnsmasq-base', 'openssh-server', 'openssh-client', 'python3',
            'curl', 'bind9-dnsutils', 'nmap', 'tcpdump', 'wireshark-common', 'softflowd', 'nfdump', 'ethtool', 'openssl']
    out = {}
    for p in pkgs:
        r = subprocess.run(['dpkg-query', '-W', '-f=${Version}', p], capture_output=True, text=True)
        out[p] = r.stdout.strip() if r.returncode == 0 else None
    return out


t0, t1, t2 = read('phases.txt').split()
actions = []
for line in read('actions.tsv').splitlines():
    ts, ns, what = line.split('\t', 2)
    actions.append((ts, NS_TO_HOST.get(ns, ns), what))


def secs(iso):
    # 2026-12-07T19:11:45.039910Z -> seconds of the day (all events fall within one recording of minutes)
    hh, mm, ss = iso[11:-1].split(':')
    return int(hh) * 3600 + int(mm) * 60 + float(ss)


def fw_secs(stamp):
    # 2026-12-07T19:11:13.562766+00:00 (rsyslog's RFC 3339, always UTC here)
    return secs(stamp[:-6] + 'Z')


def of(host, prefix):
    return [(ts, what) for ts, h, what in actions if h == host and what.split(' ', 1)[0] == prefix]


# Firewall log: lines by rule, by source, by destination port (plain text, independent of Nightjar).
fw_lines = read('firewall.log').splitlines()
FW = re.compile(r'ulogd\[\d+\]: (ALLOW|DROP) (\S+) .*?SRC=(\S+) DST=(\S+) .*?PROTO=(\S+)(?: SPT=(\d+) DPT=(\d+))?')
fw = []
for line in fw_lines:
    m = FW.search(line)
    if m:
        fw.append({'ts': line.split(' ', 1)[0], 'action': m.group(1), 'rule': f'{m.group(1)} {m.group(2)}', 'src': m.group(3),
                   'dst': m.group(4), 'proto': m.group(5).lower(), 'dport': int(m.group(7)) if m.group(7) else None})
by_rule = collections.Counter(e['rule'] for e in fw)


def fw_count(**kw):
    return sum(1 for e in fw if all(e[k] == v for k, v in kw.items()))


# Beacons: start times of each curl, intervals between them.
beacons = of('ws-bob', 'beacon')
b_times = [secs(ts) for ts, _ in beacons]
gaps = [round(b - a, 3) for a, b in zip(b_times, b_times[1:])]
beacon = {
    'url': 'https://c2.badcorp.example/api/v1/beacon?id=7f3a9c&n=N', 'name': 'c2.badcorp.example',
    'resp_h': EXTERNAL['c2.badcorp.example'], 'resp_p': 443, 'proto': 'tcp', 'service': 'ssl',
    'count': len(beacons), 'failed': len(of('ws-bob', 'beacon-failed')),
    'first': beacons[0][0], 'last': beacons[-1][0],
    'interval_seconds': {'configured': 5, 'jitter_configured': 1, 'mean': round(statistics.mean(gaps), 3),
                         'min': min(gaps), 'max': max(gaps), 'stdev': round(statistics.pstdev(gaps), 3)},
    'firewall_rule': 'ALLOW corp-web',
    'firewall_entries': fw_count(src='10.10.1.23', dst=EXTERNAL['c2.badcorp.example'], rule='ALLOW corp-web'),
    'dns_lookups_of_name_by_curl': len(beacons),
}

# nmap's own report of the scan.
scan_root = ET.fromstring(read('nmap.xml'))
scan_ports, scan_targets = collections.defaultdict(list), []
for h in scan_root.iter('host'):
    addr = h.find('address').get('addr')
    scan_targets.append(addr)
    for p in h.iter('port'):
        scan_ports[p.find('state').get('state')].append(f"{addr}:{p.get('portid')}")
scan_start = of('ws-bob', 'scan')[0][0]
scan_end = of('ws-bob', 'scan-done')[0][0]
scan = {
    'command': of('ws-bob', 'scan')[0][1].split(' ', 1)[1], 'first': scan_start, 'last': scan_end,
    'targets': scan_targets, 'ports': [22, 80, 139, 443, 445, 3389], 'probes': len(scan_targets) * 6,
    'open': sorted(scan_ports['open']), 'closed': sorted(scan_ports['closed']), 'filtered_count': len(scan_ports['filtered']),
    'firewall_dropped_entries': sum(1 for e in fw if e['src'] == '10.10.1.23' and e['rule'] == 'DROP default' and e['dst'] in scan_targets
                                    and secs(scan_start) - 1 <= fw_secs(e["ts"]) <= secs(scan_end) + 2),
    'note': 'nmap -sS: open ports see SYN, SYN-ACK, RST; closed ports a RST; filtered ports are dropped by "DROP default"',
}

# dig's answers: the DGA names, the sinkholed name and the outside resolver try.
digs = read('bob-dig.txt')
status = re.findall(r'status: (\w+)', digs)
dga_names = [w.split(' ', 1)[1] for _, w in of('ws-bob', 'dga-lookup')]
dga = [{'query': n, 'rcode': 'NXDOMAIN' if i < len(status) and status[i] == 'NXDOMAIN' else status[i] if i < len(status) else None,
        'server': '10.10.2.53', 'ts': of('ws-bob', 'dga-lookup')[i][0]} for i, n in enumerate(dga_names)]
sinkhole_answer = re.search(r'malware-drop\.example\.\s+\d+\s+IN\s+A\s+(\S+)', digs)
outside_try = of('ws-bob', 'outside-resolver')[0]
outside = {
    'resolver': '198.51.100.53', 'port': 53, 'proto': 'udp', 'query': 'c2.badcorp.example', 'qtype': 'A',
    'ts': outside_try[0], 'tries': 2, 'answered': digs.count('communications error to 198.51.100.53') < 2,
    'firewall_rule': 'DROP corp-dns-outside',
    'firewall_entries': fw_count(src='10.10.1.23', dst='198.51.100.53', rule='DROP corp-dns-outside'),
}

ssh_try = of('ws-bob', 'ssh')[0]
ssh = {'resp_h': '10.10.2.22', 'resp_p': 22, 'proto': 'tcp', 'ts': ssh_try[0], 'user': 'administrator',
       'result': 'timed out (dropped)' if of('ws-bob', 'ssh-failed') else 'connected',
       'firewall_rule': 'DROP default',
       'firewall_entries': fw_count(src='10.10.1.23', dst='10.10.2.22', dport=22, rule='DROP default')}
smb_try = of('ws-bob', 'smb')[0]
smb = {'resp_h': '10.10.2.20', 'resp_p': 445, 'proto': 'tcp', 'ts': smb_try[0],
       'result': 'refused (RST: no SMB service)' if of('ws-bob', 'smb-refused') else 'connected',
       'firewall_rule': 'ALLOW corp-fileserver',
       'firewall_entries_total_445': fw_count(src='10.10.1.23', dst='10.10.2.20', dport=445, rule='ALLOW corp-fileserver')}

up = re.findall(r'UPLOAD host=(\S+) path=(\S+) bytes=(\d+)', read('web-inet.log'))
# The server's access-log line for the POST has the final status; http.server answers curl's
# "Expect: 100-continue" with an interim 100 first (not logged), hence http_info_code.
posted = re.findall(r'"POST /upload HTTP/1.1" (\d+)', read('web-inet.log'))
upload = {'url': 'http://files.exfil.example:8080/upload', 'method': 'POST', 'name': 'files.exfil.example',
          'resp_h': EXTERNAL['files.exfil.example'], 'resp_p': 8080, 'proto': 'tcp', 'service': 'http',
          'ts': of('ws-bob', 'upload')[0][0], 'done': of('ws-bob', 'upload-done')[0][0], 'http_status': int(posted[0]) if posted else None, 'http_info_code': 100,
          'body_bytes': int(up[0][2]) if up else None, 'file': 'q3-payroll.7z (2 MiB of random bytes)',
          'firewall_rule': 'ALLOW corp-web',
          'firewall_entries': fw_count(src='10.10.1.23', dst=EXTERNAL['files.exfil.example'], rule='ALLOW corp-web'),
          'policy_violation': 'egress.yaml allows corp to the internet on tcp 80 and 443 only; the firewall rule corp-web also opens 8080'}


def normal(host):
    b = of(host, 'browse')
    urls = collections.Counter(w.split(' ', 1)[1] for _, w in b)
    looks = collections.Counter(w.split(' ', 1)[1] for _, w in of(host, 'lookup'))
    return {'browse': len(b), 'browse_failed': len(of(host, 'browse-failed')), 'by_url': dict(sorted(urls.items())),
            'lookups': dict(sorted(looks.items()))}


hosts = {}
for name, addr, zone, role, owner, did in HOSTS:
    hosts[name] = {'address': addr, 'zone': zone, 'role': role, 'owner': owner, 'did': did}
for h in ('ws-admin', 'ws-alice', 'ws-carol', 'ws-bob'):
    hosts[h]['normal'] = normal(h)
hosts['ws-admin']['ssh_logins'] = {'resp_h': '10.10.2.22', 'resp_p': 22, 'count': len(of('ws-admin', 'ssh')),
                                   'failed': len(of('ws-admin', 'ssh-failed')), 'firewall_rule': 'ALLOW admin-ssh',
                                   'firewall_entries': fw_count(src='10.10.1.10', dst='10.10.2.22', dport=22, rule='ALLOW admin-ssh')}
hosts['files']['update_checks'] = {'url': 'https://updates.example-cdn.net/v2/manifest.json', 'count': len(of('files', 'update-check')),
                                   'firewall_rule': 'ALLOW servers-updates'}
hosts['ws-bob']['incident'] = {
    'compromised_at': t1, 'beacon': beacon, 'dga_lookups': dga,
    'sinkholed_lookup': {'query': 'malware-drop.example', 'server': '10.10.2.53', 'answer': sinkhole_answer.group(1) if sinkhole_answer else None,
                         'ts': of('ws-bob', 'sinkholed-lookup')[0][0]},
    'outside_resolver': outside, 'scan': scan, 'ssh_attempt': ssh, 'smb_attempt': smb, 'upload': upload,
}

files = {}
for f in ('capture.pcap', 'flows.pcap', 'firewall.log'):
    p = os.path.join(OUT, 'data', f)
    files[f] = {'bytes': os.path.getsize(p), 'sha256': sha256(p)}
files['capture.pcap']['what'] = 'tcpdump on the router: br-corp (all corp traffic) merged with br-srv (servers traffic not to or from corp)'
files['flows.pcap']['what'] = 'IPFIX export datagrams (softflowd -r capture.pcap -v 10 -A milli, exporter 10.10.2.1 to 10.10.2.1:4739), captured on the router loopback'
exported = re.search(r'Flows exported: (\d+) \((\d+) records\) in (\d+) packets', read('softflowd.log'))
if exported:
    files['flows.pcap'].update({'flows': int(exported.group(1)), 'records': int(exported.group(2)), 'datagrams': int(exported.group(3)),
                                'note': 'one IPFIX record per direction: a two-way connection is two records'})
files['firewall.log']['what'] = 'iptables NFLOG -> ulogd2 -> rsyslog (RFC 3339 stamps, host fw1): one line per new allowed connection and per dropped packet'

truth = {
    'schema': 1,
    'data_dir': 'data',
    'phases': {'t0_baseline_start': t0, 't1_compromise': t1, 't2_end': t2,
               'note': 'every workstation browses from T0 to T2; ws-bob is compromised at T1'},
    'files': files,
    'packages': package_versions(),
    'hosts': hosts,
    'external': EXTERNAL,
    'firewall': {'entries': len(fw), 'lines': len(fw_lines), 'by_rule': dict(sorted(by_rule.items())),
                 'rules_file': 'iptables.rules'},
    'dns_filter': {
        'sanctioned_resolvers': ['10.10.2.53'],
        'blocklisted_and_answered_then_connected': ['c2.badcorp.example', 'files.exfil.example'],
        'blocklisted_and_sinkholed': ['malware-drop.example'],
        'bypass_attempts': [{'client': '10.10.1.23', 'resolver': '198.51.100.53', 'port': 53, 'blocked_by': 'DROP corp-dns-outside'}],
    },
    'egress': {
        'violations_succeeded': [{'client': '10.10.1.23', 'resp_h': '203.0.113.99', 'resp_p': 8080, 'rule': 'ALLOW corp-web',
                                  'why': 'policy allows corp tcp 80/443 to the internet; the rule also opens 8080'}],
        'blocked': [{'client': '10.10.1.23', 'what': 'udp 53 to 198.51.100.53', 'rule': 'DROP corp-dns-outside'},
                    {'client': '10.10.1.23', 'what': 'tcp 22 to 10.10.2.22', 'rule': 'DROP default'},
                    {'client': '10.10.1.23', 'what': 'scan probes to 10.10.2.16/28 and 10.10.2.53', 'rule': 'DROP default'}],
        'never_exercised': ['corp ntp (udp 123 to 198.51.100.123)'],
    },
    'expectations': {
        'ws-bob': {'verdict': 'contain', 'must_find': [
            'regular HTTPS connections to c2.badcorp.example (203.0.113.66:443), about every 5 s, %d of them, from T1' % len(beacons),
            'c2.badcorp.example and files.exfil.example are on the blocklist, new for this host and contacted by no other host',
            'a POST of %s bytes to files.exfil.example (203.0.113.99:8080): orig bytes >= that' % upload['body_bytes'],
            'internal systems touched: %d addresses of 10.10.2.0/24 probed on 6 ports; open %s; closed %s' % (len(scan_targets), ', '.join(scan['open']), ', '.join(scan['closed'])),
            'admin protocols: SSH to 10.10.2.22 (dropped by DROP default), SMB to 10.10.2.20:445 (allowed, refused)',
            'DNS: 3 NXDOMAIN high-entropy names, the sinkholed malware-drop.example, a query to the outside resolver 198.51.100.53 (dropped by DROP corp-dns-outside)',
        ]},
        'ws-alice': {'verdict': 'no action', 'must_find': ['only the sites everyone visits, lookups through 10.10.2.53, no denied firewall entry']},
        'ws-carol': {'verdict': 'no action', 'must_find': ['only the sites everyone visits, lookups through 10.10.2.53, no denied firewall entry']},
        'ws-admin': {'verdict': 'no action', 'must_find': ['SSH to 10.10.2.22 allowed by ALLOW admin-ssh, as in the baseline']},
    },
}
for name, h in hosts.items():
    h['denied_firewall_entries'] = sum(1 for e in fw if e['src'] == h['address'] and e['action'] == 'DROP')

with open(os.path.join(OUT, 'ground-truth.json'), 'w') as f:
    json.dump(truth, f, indent=2)
    f.write('\n')
print('ground-truth.json: %d beacons, upload %s bytes, %d firewall entries' % (len(beacons), upload['body_bytes'], len(fw)))


def render_md(t):
    """GROUND_TRUTH.md: the same facts as ground-truth.json, for people."""
    h, b = t['hosts'], t['hosts']['ws-bob']['incident']
    bc, sc, up, out = b['beacon'], b['scan'], b['upload'], b['outside_resolver']
    iv = bc['interval_seconds']
    L = []
    w = L.append
    w('# Ground truth of the demo incident')
    w('')
    w('Written by `ground_truth.py` from what `record.sh` made each host do (its action log), nmap\'s report, dig\'s')
    w('answers, the upload server\'s log and the firewall log\'s text, never from Nightjar. The same facts, machine-readable,')
    w('are in `ground-truth.json`; `test/demo-incident.test.ts` checks the ingested data against them. Times are UTC.')
    w('')
    w('## Timeline')
    w('')
    w('| phase | time | what |')
    w('|---|---|---|')
    w('| T0 | %s | baseline: every workstation browses and looks names up; the admin uses SSH; the file server checks for updates |' % t['phases']['t0_baseline_start'])
    w('| T1 | %s | `ws-bob` (10.10.1.23) is compromised; normal traffic goes on everywhere |' % t['phases']['t1_compromise'])
    w('| T2 | %s | traffic stops (the last connections close within a few seconds) |' % t['phases']['t2_end'])
    w('')
    w('## The site')
    w('')
    w('| host | address | zone | role | owner | made to do |')
    w('|---|---|---|---|---|---|')
    for name, x in h.items():
        w('| %s | %s | %s | %s | %s | %s |' % (name, x['address'], x['zone'], x['role'], x['owner'], x['did']))
    w('')
    w('Outside (namespace `nji-inet`, reached through the router with NAT to 192.0.2.2): ' +
      ', '.join('`%s` %s' % (n, a) for n, a in t['external'].items()) + '.')
    w('Firewall rules (router, `FORWARD`, default drop; in this order): established/related accepted; `ALLOW corp-dns` corp to')
    w('10.10.2.53 udp/tcp 53; `ALLOW corp-fileserver` corp to 10.10.2.20 tcp 80, 443, 445; `ALLOW admin-ssh` 10.10.1.10 to')
    w('servers tcp 22; `ALLOW corp-web` corp to non-10.10/16 tcp 80, 443 **and 8080** (too broad: the policy says 80 and 443);')
    w('`ALLOW resolver-upstream` 10.10.2.53 to 198.51.100.53 udp/tcp 53; `ALLOW servers-updates` servers to non-10.10/16 tcp')
    w('80, 443; `DROP corp-dns-outside` corp udp 53 and tcp 53/853 anywhere else; `DROP default` everything else.')
    w('Allowed rules log the first packet of each new connection; drop rules log every dropped packet.')
    w('')
    w('## What ws-bob did (from T1)')
    w('')
    w('| what | exactly | evidence in the data |')
    w('|---|---|---|')
    w('| DGA-like lookups | %s through 10.10.2.53, all %s | `dns`: 3 queries, rcode NXDOMAIN |' % (
        ', '.join('`%s`' % d['query'] for d in b['dga_lookups']), '/'.join(sorted({str(d['rcode']) for d in b['dga_lookups']}))))
    w('| beacon | %d HTTPS check-ins to `c2.badcorp.example` (%s:443), %s to %s; curl starts every %.3f s on average (min %.3f, max %.3f, stdev %.3f; configured 5 s +-1 s) | `connections`: %d tcp/443 ssl SF, one lookup of the name before each; `firewall`: %d `ALLOW corp-web` |' % (
        bc['count'], bc['resp_h'], bc['first'], bc['last'], iv['mean'], iv['min'], iv['max'], iv['stdev'], bc['count'], bc['firewall_entries']))
    w('| sinkholed lookup | `malware-drop.example` answered `%s` by the sanctioned resolver | `dns`: answer 0.0.0.0, no connection follows |' % b['sinkholed_lookup']['answer'])
    w('| outside resolver | `dig @%s %s` at %s, %d tries, no answer | `dns`: queries without response; `firewall`: %d `%s` udp/53 |' % (
        out['resolver'], out['query'], out['ts'], out['tries'], out['firewall_entries'], out['firewall_rule']))
    w('| scan | `%s` from %s to %s; open %s, closed %s, %d filtered | `connections`: %d targets x 6 ports; `firewall`: %d `DROP default` entries in the scan window, %d target addresses |' % (
        sc['command'], sc['first'], sc['last'], ', '.join(sc['open']), ', '.join(sc['closed']), sc['filtered_count'], len(sc['targets']), sc['firewall_dropped_entries'], len(sc['targets'])))
    w('| SSH | `ssh administrator@10.10.2.22` at %s: %s | `firewall`: %d `DROP default` to 10.10.2.22:22 (with the scan\'s probe); `connections`: S0, SYNs only (Zeek\'s 5 s attempt delay may split the retransmissions into two rows) |' % (
        b['ssh_attempt']['ts'], b['ssh_attempt']['result'], b['ssh_attempt']['firewall_entries']))
    w('| SMB | TCP connect to 10.10.2.20:445 at %s: %s | `connections`: REJ (and the scan\'s probe, REJ); `firewall`: `ALLOW corp-fileserver` |' % (
        b['smb_attempt']['ts'], b['smb_attempt']['result']))
    w('| upload | `curl --data-binary` POST of %d bytes (%s) to `%s` at %s | `connections`: one tcp/8080 http SF, orig_bytes = body + headers; `firewall`: 1 `ALLOW corp-web` (a policy violation the firewall let through) |' % (
        up['body_bytes'], up['file'], up['url'], up['ts']))
    w('')
    w('ws-bob also browses normally all along (%d pages), like the others.' % h['ws-bob']['normal']['browse'])
    w('')
    w('## What the others did')
    w('')
    for name in ('ws-admin', 'ws-alice', 'ws-carol'):
        n = h[name]['normal']
        w('- **%s** (%s): %d pages (%s), %d extra lookups; %d denied firewall entries.' % (
            name, h[name]['address'], n['browse'], ', '.join('%s x%d' % (u, c) for u, c in n['by_url'].items()), sum(n['lookups'].values()),
            h[name]['denied_firewall_entries']))
    s = h['ws-admin']['ssh_logins']
    w('- **ws-admin** also logs in to the jump host %d times (key authentication, runs `uptime`), `ALLOW admin-ssh` each time.' % s['count'])
    w('- **files** checks `%s` %d times (`ALLOW servers-updates`); **ns1** forwards what it cannot answer to 198.51.100.53 (`ALLOW resolver-upstream`).' % (
        h['files']['update_checks']['url'], h['files']['update_checks']['count']))
    w('')
    w('Firewall entries by rule: ' + ', '.join('`%s` %d' % kv for kv in t['firewall']['by_rule'].items()) + '.')
    w('')
    w('## What an investigation must find')
    w('')
    for name, e in t['expectations'].items():
        w('- **%s**: verdict **%s**.' % (name, e['verdict']))
        for m in e['must_find']:
            w('  - %s' % m)
    w('')
    w('Egress validation (`egress.yaml`): the upload to 203.0.113.99:8080 violated the policy and succeeded (rule `ALLOW')
    w('corp-web` is too broad); the outside-resolver query, the SSH attempt and the scan\'s probes were blocked, with their rules;')
    w('the policy line `corp-ntp` was never exercised. DNS-filter validation (`blocklist.txt`): `c2.badcorp.example` and')
    w('`files.exfil.example` are blocklisted yet were answered and connected to (filter failed); `malware-drop.example` was')
    w('sinkholed (filter worked); 10.10.1.23 tried to bypass the sanctioned resolver (blocked by the firewall).')
    w('')
    w('## Caveats for whoever reads the data')
    w('')
    w('- The capture and the IPFIX export describe the same traffic: count connections from one source at a time')
    w('  (`source_type` pcap or ipfix); IPFIX has one record per direction.')
    w('- Firewall stamps are rsyslog\'s reception times: under the scan\'s burst they trail the packets by up to a second.')
    w('- The upload\'s HTTP exchange starts with `Expect: 100-continue` (curl\'s default for large bodies): the server first')
    w('  answers 100, then 201 (Zeek and Nightjar log status 201 with info_code 100).')
    return '\n'.join(L) + '\n'


with open(os.path.join(OUT, 'GROUND_TRUTH.md'), 'w') as f:
    f.write(render_md(truth))
