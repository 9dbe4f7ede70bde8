#!/usr/bin/env bash
# t_net.sh - networks end to end.  Safety: boxtop runs inside a network
# namespace this script made (nsenter --net, which leaves /sys/fs/cgroup
# alone, unlike `ip netns exec`); every link, address and route it makes
# lives there or in the containers' namespaces; packets only go between
# them.  The host's eth0 and routing table are never touched.
source "$(dirname "$0")/lib.sh"

NS=bt-net-$$
if ! ip netns add "$NS" 2>/dev/null; then
	skip "net" "cannot create a network namespace"
	exit 0
fi
N() { nsenter --net="/run/netns/$NS" "$@"; }
b() { N "$BOXTOP" "$@"; }
# Containers first (their leases and links), then the namespace itself.
at_cleanup "N $BOXTOP rm --all --force"
at_cleanup "ip netns del $NS"
export BOXTOP_NET_DEFAULT=   # the real default: boxtop0
N ip link set lo up

in_ct() { nsenter -t "$(pid_of "$1")" -n "${@:2}"; }   # host tools, container netns
ct_ip() { in_ct "$1" ip -4 -o addr show dev "${2:-eth0}" | awk '{print $4}' | cut -d/ -f1; }
leases() { jq -r '.leases | length' "$T_ROOT/networks/$1.json" 2>/dev/null || echo none; }
nlinks() { N ip -o link | wc -l; }
naddrs() { N ip -o -4 addr | wc -l; }
base_links=$(nlinks) base_addrs=$(naddrs)

# ---- default network: subnet avoids what the host namespace already uses
# (no dummy module on every kernel: a veth pair stands in for a host NIC)
N ip link add taken0 type veth peer name taken1
N ip addr add 10.88.0.1/16 dev taken0
out=$(b run --rm d0 -- true 2>&1)
eq "default run works" "$?" 0
sub=$(b net ls --json | jq -r '.[] | select(.name=="boxtop0") | .subnet')
eq "default network avoids a used subnet" "$sub" "10.89.0.0/16"
has "first use says which subnet was chosen" "$out" "made network boxtop0: bridge bt-boxtop0, subnet 10.89.0.0/16"
out2=$(b run --rm d1 -- true 2>&1)
eq "later uses say nothing more" "$out2" ""
eq "default network leases released by run --rm" "$(leases boxtop0)" 0
N ip link del taken0

# ---- bridge network: two containers, by IP, by name, gateway
ok "net create bridge" b net create lab --subnet 10.77.0.0/24
has "net ls lists it" "$(b net ls)" "lab"
ok "create a" b create a --net lab -- sleep 600
ok "create b" b create b --net lab -- sleep 600
ok "start both" b start a b
eq "a got first address" "$(ct_ip a)" "10.77.0.2"
eq "b got next address" "$(ct_ip b)" "10.77.0.3"
eq "eth0 mac is the lease's" "$(in_ct a ip -o link show eth0 | grep -o 'link/ether [^ ]*' | cut -d' ' -f2)" \
	"$(jq -r '.leases[] | select(.container=="a") | .mac' "$T_ROOT/networks/lab.json")"
has "default route via gateway" "$(in_ct a ip route)" "default via 10.77.0.1 dev eth0"
has "hosts lists the peer" "$(b exec a -- cat /etc/hosts)" "10.77.0.3	b"
has "hosts of b lists a" "$(b exec b -- cat /etc/hosts)" "10.77.0.2	a"
ok "a pings b by IP" b exec a -- ping -c1 -W2 10.77.0.3
ok "a pings b by name" b exec a -- ping -c1 -W2 b
ok "a pings the gateway" b exec a -- ping -c1 -W2 10.77.0.1
has "resolv.conf copied from host" "$(b exec a -- cat /etc/resolv.conf)" "$(grep -m1 . /etc/resolv.conf 2>/dev/null)"
eq "hostname is the name" "$(b exec a -- hostname)" "a"

# ---- counters rise after traffic
rx0=$(b net ifaces a --json | jq '.[0].rx_packets') tx0=$(b net ifaces a --json | jq '.[0].tx_packets')
b exec a -- ping -c3 -i0.2 -W2 10.77.0.3 >/dev/null 2>&1
rx1=$(b net ifaces a --json | jq '.[0].rx_packets') tx1=$(b net ifaces a --json | jq '.[0].tx_packets')
ok "rx packets rose after ping" test "$rx1" -ge $((rx0 + 3))
ok "tx packets rose after ping" test "$tx1" -ge $((tx0 + 3))

# ---- fixed addresses: bad ones fail with nothing made
snap() { echo "$(ls "$T_ROOT/containers" | wc -l) $(leases lab) $(nlinks) $(naddrs)"; }
before=$(snap)
err_is "fixed ip outside subnet" 1 "outside the subnet" b create f1 --net lab --ip 10.99.0.5
err_is "fixed ip is gateway" 1 "gateway" b create f2 --net lab --ip 10.77.0.1
err_is "fixed ip is broadcast" 1 "broadcast" b create f3 --net lab --ip 10.77.0.255
err_is "fixed ip already leased" 1 "already leased" b create f4 --net lab --ip 10.77.0.2
err_is "unknown network" 1 "no such network" b create f5 --net nosuch
eq "failed creates left nothing" "$(snap)" "$before"
ok "fixed ip accepted" b create f6 --net lab --ip 10.77.0.105 -- sleep 600

# ---- batch: ascending from a base, skipping leased ones
ok "batch of 20" b batch w --count 20 --net lab --ip 10.77.0.100 -- sleep 600
got=$(b ls --json | jq -r '[.[] | select(.name|startswith("w-")) | .ip] | sort_by(split(".")|map(tonumber)) | join(" ")')
want=$(for i in $(seq 100 104) $(seq 106 120); do printf '10.77.0.%s ' "$i"; done)
eq "batch got 20 ascending addresses skipping .105" "$got" "${want% }"
eq "batch containers run with those addresses" "$(ct_ip w-20)" "10.77.0.120"

# exhausted pool: nothing created
ok "net create tiny" b net create tiny --subnet 10.79.0.0/29
before=$(echo "$(ls "$T_ROOT/containers" | wc -l) $(leases tiny)")
err_is "batch larger than the pool" 1 "only 5 free" b batch t --count 6 --net tiny -- sleep 600
eq "failed batch created nothing" "$(echo "$(ls "$T_ROOT/containers" | wc -l) $(leases tiny)")" "$before"
ok "batch that fits" b batch t --count 5 --net tiny -- true
err_is "exhausted pool" 1 "no free address" b create t-9 --net tiny
b rm --force t-1 t-2 t-3 t-4 t-5 >/dev/null 2>&1
eq "batch leases released" "$(leases tiny)" 0

# ---- live connect / disconnect
ok "net create side" b net create side --subnet 10.78.0.0/24
ok "s1 lives on side" b create s1 --net side -- sleep 600
ok "start s1" b start s1
eq "connect prints the new interface" "$(b net connect a side)" "eth1"
eq "eth1 has its address" "$(ct_ip a eth1)" "10.78.0.3"
has "side's members see the connected one by name" "$(b exec s1 -- cat /etc/hosts)" "10.78.0.3	a"
ok "s1 pings a by name over side" b exec s1 -- ping -c1 -W2 a
ok "connected second container" b net connect b side --ip 10.78.0.50
ok "a reaches b over eth1" b exec a -- ping -c1 -W2 10.78.0.50
err_is "connect twice refused" 1 "already connected" b net connect a side
ok "disconnect" b net disconnect a side
no "eth1 gone after disconnect" in_ct a ip link show eth1
eq "lease gone after disconnect" "$(jq -r '[.leases[] | select(.container=="a")] | length' "$T_ROOT/networks/side.json")" 0
no "side's members no longer see it" grep -q "	a$" "$T_ROOT/networks/side.hosts"
ok "disconnect b" b net disconnect b side

# ---- restart keeps the address and a connected interface
ok "connect a again" b net connect a side
vb_before=$(N ip -o link | grep -c '^[0-9]*: vb')
ok "stop a" b stop --time 1 a
eq "stopped a leaves none of its 2 host veths" "$(N ip -o link | grep -c '^[0-9]*: vb')" $((vb_before - 2))
ok "start a again" b start a
eq "same eth0 address after restart" "$(ct_ip a)" "10.77.0.2"
eq "connected eth1 back after restart" "$(ct_ip a eth1)" "10.78.0.3"
ok "a pings b after restart" b exec a -- ping -c1 -W2 b
ok "disconnect a again" b net disconnect a side

# ---- a lease lost while stopped (power loss before it reached the disk)
# comes back from the config at start; disconnecting eth0 is remembered
ok "stop b" b stop --time 1 b
jq '.leases |= map(select(.container != "b"))' "$T_ROOT/networks/lab.json" >"$T_ROOT/lab.tmp" && mv "$T_ROOT/lab.tmp" "$T_ROOT/networks/lab.json"
ok "start b with its lease gone" b start b
eq "b has its old address back" "$(ct_ip b)" "10.77.0.3"
eq "and its lease" "$(jq -r '.leases[] | select(.container=="b") | .ip' "$T_ROOT/networks/lab.json")" "10.77.0.3"
ok "disconnect b's eth0" b net disconnect b lab
ok "restart b" b stop --time 1 b
ok "start b without eth0" b start b
no "b has no eth0 after disconnect and restart" in_ct b ip link show eth0
eq "b's lease stays released" "$(jq -r '[.leases[] | select(.container=="b")] | length' "$T_ROOT/networks/lab.json")" 0
eq "ls shows b off the network" "$(b ls --json | jq -r '.[] | select(.name=="b") | .net')" "none"

# ---- none and host modes, --dns
ok "run --net none" b create n0 --net none --dns 10.1.2.3 -- sleep 600
ok "start n0" b start n0
eq "none: only lo" "$(in_ct n0 ip -o link | awk -F': ' '{print $2}' | tr '\n' ' ')" "lo "
has "none: hosts still names it" "$(b exec n0 -- cat /etc/hosts)" "n0"
ok "create --net host" b create h0 --net host -- sleep 600
eq "host mode flagged in ls" "$(b ls --json | jq -r '.[] | select(.name=="h0") | .net')" "host"
err_is "ip with --net none" 1 "has no addresses" b create n1 --net none --ip 10.77.0.9
ok "create with --dns" b create dn --net lab --dns 10.1.2.3,10.1.2.4 -- sleep 600
ok "start dn" b start dn
eq "--dns writes resolv.conf" "$(b exec dn -- cat /etc/resolv.conf | tr '\n' ' ')" "nameserver 10.1.2.3 nameserver 10.1.2.4 "

# ---- macvlan over a parent made here (a veth end: no dummy module needed)
N ip link add mvparent type veth peer name mvpeer
N ip link set mvpeer up
N ip link set mvparent up
ok "net create macvlan" b net create mv --type macvlan --parent mvparent --subnet 192.168.77.0/24 --range 192.168.77.10-192.168.77.20
err_is "macvlan without parent" 2 "needs --parent" b net create mv2 --type macvlan --subnet 192.168.78.0/24
err_is "macvlan with a missing parent" 1 "no such interface" b net create mv3 --type macvlan --parent nosuch0 --subnet 192.168.78.0/24
ok "m1 on macvlan" b create m1 --net mv -- sleep 600
ok "m2 on macvlan" b create m2 --net mv -- sleep 600
ok "start m1 m2" b start m1 m2
eq "m1 address from the range" "$(ct_ip m1)" "192.168.77.10"
has "m1's eth0 is a macvlan" "$(in_ct m1 ip -d link show eth0)" "macvlan mode bridge"
ok "m1 pings m2 over macvlan" b exec m1 -- ping -c1 -W2 192.168.77.11

# ---- removal leaves nothing
err_is "net rm refuses while in use" 1 "in use" b net rm lab
ok "rm everything" b rm --all --force
eq "no leases left on lab" "$(leases lab)" 0
eq "no leases left on mv" "$(leases mv)" 0
eq "no container links left" "$(N ip -o link | grep -c '^[0-9]*: vb')" 0
ok "net rm" b net rm lab tiny side mv boxtop0
N ip link del mvparent
eq "links back to the start" "$(nlinks)" "$base_links"
eq "addresses back to the start" "$(naddrs)" "$base_addrs"
eq "no network files left" "$(ls "$T_ROOT/networks" | wc -l)" 0

# ---- crash between lease and rollback: reconciled, not leaked
ok "net create again" b net create lab --subnet 10.77.0.0/24
ok "lease for c1" b create c1 --net lab -- true
rm -rf "$T_ROOT/containers/c1"      # as if the process died mid-create
eq "stale lease reconciled by net info" "$(b net info lab --json | jq '.used')" 0
ok "address is free again" b create c2 --net lab --ip 10.77.0.2 -- true
ok "cleanup c2" b rm c2

# ---- the bridge vanished (a host reboot): start brings it back
ok "c3 on lab" b create c3 --net lab -- sleep 600
N ip link del bt-lab
ok "start c3 without the bridge" b start c3
has "bridge back with its gateway" "$(N ip -4 -o addr show dev bt-lab)" "10.77.0.1/24"
ok "c3 pings the gateway" b exec c3 -- ping -c1 -W2 10.77.0.1

# ---- connect refuses what it cannot do
ok "h1 in the host netns" b create h1 --net host -- sleep 600
ok "start h1" b start h1
err_is "connect a --net host container" 1 "host's network" b net connect h1 lab
ok "stop c3" b stop --time 1 c3
err_is "connect a stopped container" 1 "not running" b net connect c3 lab
err_is "disconnect from a network it is not on" 1 "not connected" b net disconnect h1 lab
err_is "net info of a missing network" 1 "no such network" b net info nosuch
err_is "net create with a bad subnet" 1 "host bits set" b net create bad --subnet 10.5.0.7/16
err_is "net create with a reserved name" 1 "reserved" b net create host --subnet 10.5.0.0/16
err_is "net create --nat refused" 1 "not supported" b net create natted --subnet 10.6.0.0/24 --nat
err_is "net create twice" 1 "already exists" b net create lab --subnet 10.8.0.0/24
err_is "net unknown subcommand" 2 "unknown subcommand" b net frob
ok "rm c3 h1" b rm --force c3 h1
ok "net rm lab" b net rm lab

# ---- the screen: interfaces in the detail pane, add/remove a network (w)
if command -v tmux >/dev/null; then
	S=btn$$
	export TMUX_TMPDIR=$T_ROOT
	at_cleanup "tmux -L $S kill-server"
	tm() { tmux -L "$S" "$@"; }
	screen() { tm capture-pane -p -t "$S"; }
	screen_has() { screen | grep -qE -- "$1"; }
	keys() { tm send-keys -t "$S" "$@"; }
	wait_screen() {
		if wait_for 15 screen_has "$2"; then pass "$1"; else fail "$1" "screen lacks '$2': $(screen | tr -s ' ' | tr '\n' '|' | head -c 600)"; fi
	}
	ok "net create tn" b net create tn --subnet 10.81.0.0/24
	ok "net create tn2" b net create tn2 --subnet 10.82.0.0/24
	ok "tuibox on tn" b create tuibox --net tn -- sleep 600
	ok "start tuibox" b start tuibox
	tm new-session -d -s keep "sleep 600"
	tm new-session -d -s "$S" -x 120 -y 40 \
		"nsenter --net=/run/netns/$NS env BOXTOP_ROOT=$T_ROOT TERM=screen $BOXTOP; sleep 60"
	wait_screen "tui opens" 'F1Help'
	keys /; keys -l tuibox; keys Enter
	wait_screen "tuibox selected" '^tuibox '
	keys Enter
	wait_screen "detail pane lists eth0 with its address" 'eth0 +10\.81\.0\.2 '
	keys w
	wait_screen "w offers to add tn2" 'Add tn2'
	wait_screen "w offers to remove tn" 'Remove tn \(eth0\)'
	keys Down; keys Enter
	wait_screen "ip form" 'Add tn2 \(IP empty: next free\)'
	keys Enter
	wait_screen "joined message" 'tuibox joined tn2 as eth1'
	eq "tui connect made eth1" "$(ct_ip tuibox eth1)" "10.82.0.2"
	wait_screen "detail pane lists eth1" 'eth1 +10\.82\.0\.2 '
	keys w
	wait_screen "w offers to remove tn2" 'Remove tn2 \(eth1\)'
	keys Down; keys Enter
	wait_screen "left message" 'tuibox left tn2'
	no "tui disconnect removed eth1" in_ct tuibox ip link show eth1
	keys q
	ok "rm tuibox" b rm --force tuibox
	ok "net rm tn tn2" b net rm tn tn2
else
	skip "tui network actions" "tmux not installed"
fi

# `start -a` of a container that exists creates nothing, no default network
# either (it used to make boxtop0 before looking)
b create keep0 --net none -- true >/dev/null
b rm --force $(b ls --json | jq -r '.[] | select(.net=="boxtop0") | .name') >/dev/null 2>&1
b net rm boxtop0 >/dev/null 2>&1
eq "no default network before" "$(b net ls --json | jq -r '[.[].name] | index("boxtop0")')" null
out=$(b start -a keep0 2>&1)
eq "run of an existing container: no default network made" "$(b net ls --json | jq -r '[.[].name] | index("boxtop0")')" null
eq "... and nothing said about one" "$out" ""
ok "rm keep0" b rm keep0

exit $((T_FAILS > 0))
