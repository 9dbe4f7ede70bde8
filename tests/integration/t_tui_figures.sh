#!/usr/bin/env bash
# t_tui_figures.sh - every figure and graph on the screen is true: read
# back from the real screen in tmux and checked against the kernel's own
# value (cgroup files, /proc), not only for being there.  Scales are
# labelled and stable, a graph with no container says it is the host's,
# the graphs say the time they span and zoom, disk I/O nothing counts is
# n/a (never a false 0), nothing is cut silently at 80 and 100 columns,
# the filter never covers the header, and `info` lists every interface.
# Network parts run inside a network namespace this script made (entered
# with nsenter --net, as t_net.sh does).  No timing assertions: every wait
# polls for screen text.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tui_lib.sh"

# fmt_size BYTES: what the screen prints for a size (tui/fmt.c's rule)
fmt_size() {
	awk -v b="$1" 'BEGIN { u = "BKMGTP"; i = 0
		while (b >= 1024 && i < 5) { b /= 1024; i++ }
		if (i == 0) printf "%.0f", b
		else if (b < 10) printf "%.1f%s", b, substr(u, i + 1, 1)
		else printf "%.0f%s", b, substr(u, i + 1, 1) }'
}
cg_of() { bt info "$1" --json | jq -r .cgroup; }
# the first existing of several cgroup files (v1, hybrid, v2 layouts)
first_file() { local f; for f in "$@"; do [ -f "$f" ] && { echo "$f"; return 0; }; done; return 1; }
# the CPU time the kernel charged to a container's cgroup, microseconds
cpu_usec() {
	local cg; cg=$(cg_of "$1")
	local f; f=$(first_file /sys/fs/cgroup/unified/"$cg"/cpu.stat /sys/fs/cgroup/"$cg"/cpu.stat) &&
		{ awk '$1 == "usage_usec" { print $2 }' "$f"; return; }
	echo $(($(cat /sys/fs/cgroup/cpuacct/"$cg"/cpuacct.usage) / 1000))
}
# the CPU limit the kernel enforces, in CPUs (quota / period)
cpu_limit() {
	local cg; cg=$(cg_of "$1")
	local f
	if f=$(first_file /sys/fs/cgroup/cpu/"$cg"/cpu.cfs_quota_us); then
		awk -v q="$(cat "$f")" -v p="$(cat "${f%quota_us}period_us")" 'BEGIN { printf "%g", q / p }'
	else
		f=$(first_file /sys/fs/cgroup/"$cg"/cpu.max /sys/fs/cgroup/unified/"$cg"/cpu.max) &&
			awk '{ printf "%g", $1 / $2 }' "$f"
	fi
}
# scroll_to NAME PATTERN: the detail pane shows PATTERN, scrolled down
# with ] as far as it takes (what does not fit is there, a key away)
scroll_to() {
	local i
	keys $(printf '[ %.0s' $(seq 40)) # from the top
	for i in $(seq 40); do
		screen_has "$2" && { pass "$1"; return; }
		keys ]; sleep 0.2
	done
	wait_screen "$1" "$2"
}
# a row's cell: field N of the list row of NAME
cell() { row_of "$1" | awk -v n="$2" '{ print $n }'; }
# the graph pane's title line (the one with "..now")
pane_title() { screen | grep -E -- '\.\.now' | head -n 1; }

# ---- containers ---------------------------------------------------------
bt create cpu-half --cpus 0.5 -- /bin/sh -c 'while :; do :; done' >/dev/null
# writes 80 MB straight to its writable layer (on the host's disk) once
# /go exists, then stays (/done, in the layer, says when it is through)
bt create zz-dio -- /bin/sh -c 'while [ ! -e /go ]; do sleep 0.1; done
	i=0; while [ $i -lt 8 ]; do dd if=/dev/zero of=/f bs=1M count=10 oflag=direct 2>/dev/null; sleep 0.5; i=$((i + 1)); done
	touch /done; exec sleep 1000' >/dev/null
n1=web-frontend-production-europe-west-replica-set-0001-abcdefgh-01
n2=web-frontend-production-europe-west-replica-set-0001-abcdefgh-02
bt create "$n1" -- sleep 1000 >/dev/null
bt create "$n2" -- sleep 1000 >/dev/null
bt create many -- /bin/sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do sleep 1000 & done; wait' >/dev/null
bt start cpu-half zz-dio "$n1" "$n2" many >/dev/null
upper=$(bt info zz-dio --json | jq -r .dir)/upper
if [ "$(status_of cpu-half)" != running ] || [ ! -d "$upper" ]; then
	fail "setup: running containers" "$(bt ls 2>&1 | tr '\n' ' ')"
	exit 1
fi

# ---- CPU: a stable scale, labelled, against the limit ---------------------
tui_open 100 30 "$BOXTOP"
wait_screen "screen opens" 'F1Help'
wait_screen "cpu-half selected, its graphs shown" '── cpu-half '
lim=$(cpu_limit cpu-half)
eq "the kernel enforces --cpus 0.5" "$lim" 0.5
pct=$(awk -v l="$lim" 'BEGIN { printf "%g", 100 * l }')
wait_screen "CPU graph's scale is the limit, labelled" "CPU [0-9.]+%  \\[$lim CPU\\]"
wait_screen "list shows CPU used/limit" "^cpu-half +running +[0-9]+ +- +[0-9.]+/$pct "
# the kernel's own rate over a few seconds, and the screen's figure beside it
u0=$(cpu_usec cpu-half); t0=$(date +%s%N); sleep 3
u1=$(cpu_usec cpu-half); t1=$(date +%s%N)
kpct=$(awk -v u="$((u1 - u0))" -v t="$((t1 - t0))" 'BEGIN { printf "%.1f", 100 * u * 1000 / t }')
spct=$(cell cpu-half 5 | cut -d/ -f1)
if awk -v s="$spct" -v k="$kpct" 'BEGIN { d = s - k; exit !(d < 10 && d > -10 && s > 0) }'; then
	pass "CPU % on screen is the kernel's ($spct, kernel $kpct)"
else
	fail "CPU % on screen is the kernel's" "screen $spct, kernel $kpct"
fi
# the scale stays put while the value hovers at the limit
stable=1
for i in 1 2 3 4 5; do
	screen_has "CPU [0-9.]+%  \\[$lim CPU\\]" || stable=0
	wait_for 2 false
done
[ $stable = 1 ] && pass "CPU scale stays at the limit" || fail "CPU scale stays at the limit" "$(screen | grep -E '^CPU ')"
ncpu=$(nproc)
wait_screen "host CPU graph's scale is the host's CPUs" "HOST CPU [0-9.]+%  \\[$ncpu CPU\\]"
memtotal=$(fmt_size "$(awk '/^MemTotal:/ { print $2 * 1024 }' /proc/meminfo)")
wait_screen "host memory graph's scale is MemTotal" "HOST MEM [^ ]+/$memtotal  \\[$memtotal\\]"

# ---- the time axis and zoom ----------------------------------------------
wait_screen "graphs say their span" '── cpu-half  -60s\.\.now'
keys z
wait_screen "z zooms out to 5 minutes" '── cpu-half  -5m\.\.now'
keys z
wait_screen "z zooms out to 15 minutes" '── cpu-half  -15m\.\.now'
keys z
wait_screen "z comes back to a minute" '── cpu-half  -60s\.\.now'

# ---- disk I/O: a real counter or n/a, never a false 0 --------------------
# zz-dio is not selected: where the cgroup counts no I/O (cgroup v1) its
# row says n/a; wherever it counts, a number above 0 while it writes
bt exec zz-dio touch /go
seen="" zero=0
for i in $(seq 200); do # a bound on the polling, not a timing assertion
	[ -e "$upper/done" ] && break
	io=$(cell zz-dio 8)
	seen+="$io "
	[ "$io" = 0/0 ] && zero=1
	sleep 0.2
done
if [ $zero = 0 ] && [ -n "$seen" ]; then pass "a writing container's IO is n/a or counted, never 0/0 ($seen)"; else fail "a writing container's IO is never 0/0" "seen: $seen"; fi
# selected, its totals are measured: what the screen says it wrote is
# what the kernel counted (its processes' /proc/PID/io, or io.stat)
keys /; keys -l zz-dio; keys Enter
wait_screen "zz-dio selected" '── zz-dio '
keys Tab
scroll_to "detail: disk totals" '^ disk +read .* written'
cg=$(cg_of zz-dio)
if screen | grep -q 'written .*io\.stat'; then
	f=$(first_file /sys/fs/cgroup/"$cg"/io.stat /sys/fs/cgroup/unified/"$cg"/io.stat)
	kw=$(awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^wbytes=/) { sub("wbytes=", "", $i); s += $i } } END { print s + 0 }' "$f")
else
	kw=0
	for p in $(cat /sys/fs/cgroup/pids/"$cg"/cgroup.procs 2>/dev/null || cat /sys/fs/cgroup/unified/"$cg"/cgroup.procs); do
		kw=$((kw + $(awk '/^write_bytes:/ { print $2 }' /proc/"$p"/io)))
	done
fi
ok "the kernel counted the 80 MB written" test "$kw" -ge $((80 << 20))
want=$(fmt_size "$kw")
scroll_to "detail: written is the kernel's count ($want)" "^ disk +read [^ ]+  written $want "
keys Tab Tab
keys Escape

# ---- no container selected: the host's, said so --------------------------
keys /; keys -l no-such-thing; keys Enter
wait_screen "filter matches nothing" 'no container matches the filter'
wait_screen "graph pane says it is the host's" '── host: no container selected'
wait_screen "host graphs shown" 'HOST CPU [0-9.]+%'
notc='^CPU [0-9.]+%|NET rx [0-9]|IO r [0-9]|IO n/a|^MEM [0-9]'
if screen_lacks "$notc"; then pass "no container graphs without a container"; else fail "no container graphs without a container" "$(screen | grep -E "$notc" | head -3)"; fi
keys Escape

# ---- the filter never covers the header ----------------------------------
seg='([0-9]+ running [0-9]+ paused [0-9]+ stopped)(  [0-9]+ created)?(  CPU [0-9.]+%)?(  Mem [^ ]+/[^ ]+)?(  boxes CPU [0-9.]+% mem [^ ]+)?(  [0-9.]+s)?'
for w in 80 75 70; do
	tm resize-window -t "$S" -x $w -y 24
	keys /; keys C-u; keys -l cpu-; keys Enter
	if wait_for 10 bash -c "tmux -L $S capture-pane -p -t $S | head -n 1 | grep -qE '^$seg +filter:cpu- *\$'"; then
		pass "$w columns: header whole beside the filter"
	else
		fail "$w columns: header whole beside the filter" "$(screen | head -n 1)"
	fi
	keys Escape
done

# ---- long names: never cut silently, never two alike --------------------
for size in "80 24" "100 30"; do
	set -- $size
	tm resize-window -t "$S" -x "$1" -y "$2"
	wait_screen "$1x$2: long names listed" '^web-'
	r1=$(screen | grep -E '^web-' | sed -n 1p | awk '{ print $1 }')
	r2=$(screen | grep -E '^web-' | sed -n 2p | awk '{ print $1 }')
	if [ -n "$r1" ] && [ "$r1" != "$r2" ] && [[ $r1 == *[…~]* ]]; then
		pass "$1x$2: two long names cut differently, marked ($r1 $r2)"
	else
		fail "$1x$2: two long names cut differently, marked" "'$r1' '$r2'"
	fi
	has "$1x$2: the cut name keeps its end" "$r1$r2" "-01"
done

# ---- detail pane: processes, nothing overwritten --------------------------
for size in "100 30" "80 24"; do
	set -- $size
	tm resize-window -t "$S" -x "$1" -y "$2"
	keys /; keys C-u; keys -l many; keys Enter
	keys Tab
	wait_screen "$1x$2: detail of many" 'detail: many'
	wait_screen "$1x$2: its processes" 'PID USER'
	nk=$(wc -l <"/sys/fs/cgroup/pids/$(cg_of many)/cgroup.procs")
	count_ok() {
		local s rows more
		s=$(screen)
		rows=$(grep -cE '^.* [0-9]+ root +[0-9.]+ +[0-9.]+[KMG]? (sleep|/bin/sh)' <<<"$s")
		more=$(grep -oE '(…|~) [0-9]+ more processes \([0-9]+ in all\)' <<<"$s" | awk '{ print $2 }')
		[ $((rows + ${more:-0})) = "$nk" ] && grep -q "($nk in all)" <<<"$s"
	}
	if wait_for 10 count_ok; then pass "$1x$2: shown rows and '… N more' add up to the kernel's $nk processes"; else fail "$1x$2: processes add up" "$(screen | tail -n 14 | tr -s ' ' | tr '\n' '|')"; fi
	keys Tab Tab
	keys Escape
done

# ---- networks: every interface, whole ------------------------------------
NS=bt-fig-$$
if ! ip netns add "$NS" 2>/dev/null; then
	skip "interfaces" "cannot create a network namespace"
	exit 0
fi
N() { nsenter --net="/run/netns/$NS" "$@"; }
at_cleanup "nsenter --net=/run/netns/$NS $BOXTOP rm --all --force"
at_cleanup "ip netns del $NS"
N ip link set lo up
N "$BOXTOP" net create figlab --subnet 10.231.0.0/24 >/dev/null
N "$BOXTOP" net create figside --subnet 10.232.0.0/24 >/dev/null
N "$BOXTOP" create netc --net figlab -- sleep 1000 >/dev/null
N "$BOXTOP" create nonec --net none -- sleep 1000 >/dev/null
N "$BOXTOP" start netc nonec >/dev/null
eq "netc connected to a second network" "$(N "$BOXTOP" net connect netc figside)" eth1
ifn=$(N "$BOXTOP" net connect nonec figside)
kmac() { nsenter -t "$(pid_of "$1")" -n ip -o link show "$2" | grep -o 'link/ether [^ ]*' | cut -d' ' -f2; }
mac0=$(kmac netc eth0) mac1=$(kmac netc eth1) macn=$(kmac nonec "$ifn")
ok "the kernel has the interfaces" test -n "$mac0" -a -n "$mac1" -a -n "$macn"

# info: text and --json list them all, as the kernel has them
out=$(N "$BOXTOP" info netc)
has "info lists eth0 with its network and MAC" "$out" "eth0 figlab 10.231.0.2 $mac0"
has "info lists the connected eth1" "$out" "eth1 figside"
has "info: eth1's MAC is the kernel's" "$out" "$mac1"
js=$(N "$BOXTOP" info netc --json)
eq "info --json: every interface" "$(jq -r '[.interfaces[].ifname] | join(" ")' <<<"$js")" "eth0 eth1"
eq "info --json: MACs as the kernel has them" "$(jq -r '[.interfaces[].mac] | join(" ")' <<<"$js")" "$mac0 $mac1"
eq "info --json: networks" "$(jq -r '[.interfaces[].network] | join(" ")' <<<"$js")" "figlab figside"
has "info: --net none, connected later, lists it" "$(N "$BOXTOP" info nonec)" "$ifn figside 10.232.0."
eq "info --json: --net none's connected interface" "$(N "$BOXTOP" info nonec --json | jq -r '.interfaces[0].mac')" "$macn"

# detail pane at 100x30 and 80x24: whole MACs and network names
for size in "100 30" "80 24"; do
	set -- $size
	tui_open "$1" "$2" "nsenter --net=/run/netns/$NS $BOXTOP"
	wait_screen "$1x$2: screen in the namespace" 'F1Help'
	keys /; keys -l netc; keys Enter
	keys Tab
	wait_screen "$1x$2: detail of netc" 'detail: netc'
	for m in "$mac0" "$mac1"; do
		scroll_to "$1x$2: the whole MAC $m" "$m( |$)"
	done
	scroll_to "$1x$2: eth0's network named" "$mac0 +figlab"
	scroll_to "$1x$2: eth1's network named" "$mac1 +figside"
done

exit 0
