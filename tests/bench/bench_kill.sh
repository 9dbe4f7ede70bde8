#!/bin/bash
# bench_kill.sh - item 7: kill latency of a container running 1000
# processes (a bounded fork loop of `sleep 1000`, pids limit 2000).
#   boxtop: time `boxtop kill NAME` (it returns once the cgroup is empty;
#           checked after each run).
#   crun:   time `crun kill --all ID KILL` plus the wait until the
#           container's pids cgroup.procs is empty (crun kill does not wait;
#           timeit -e re-reads it every 0.2 ms).
# boxtop's figure runs until the cgroup2 cgroup is unpopulated, which
# also waits for the monitor to reap the init; crun's until the v1
# cgroup.procs is empty (processes leave it at exit, before reaping).
# runc and LXC are left out: runc kill --all is the same scheme as crun's.
#
# Internal mode: bench_kill.sh --crun RUNS (inside crun's mount namespace)
. "$(dirname "$0")/lib.sh"
FORK='for i in $(seq 1000); do sleep 1000 & done; wait'

# wait_procs FILE N: until FILE (pids.current) says N, at most 20 s.
wait_procs() {
	local i v
	for i in $(seq 400); do
		v=$(cat "$1" 2>/dev/null)
		[ "${v:-0}" -ge "$2" ] && return 0
		sleep 0.05
	done
	say "only ${v:-0} of $2 processes after 20 s"
	return 1
}

crun_runs() {
	local b=$BENCH_WORK/bundle-kill r pid cg
	for r in $(seq "$1"); do
		crun_ run -d --bundle "$b" bxk </dev/null >/dev/null 2>&1 || return 1
		pid=$(crun_ state bxk | jq -r .pid)
		cg=/sys/fs/cgroup/pids$(awk -F: '$2 == "pids" { print $3 }' "/proc/$pid/cgroup")
		wait_procs "$cg/pids.current" 1001 || { crun_ delete --force bxk; return 1; }
		TIMEIT_WAIT=$cg/cgroup.procs timed "$BENCH_WORK/kill.crun" \
			crun --root "$CRUN_STATE" kill --all bxk KILL || return 1
		crun_ delete --force bxk >/dev/null 2>&1
	done
}

case ${1:-} in
--crun) crun_runs "$2"; exit ;;
esac

boxtop_once() {
	local cg v
	"$BOXTOP" create bxk --pids 2000 $(boxtop_net_opt) -- sh -c "$FORK" >/dev/null &&
		"$BOXTOP" start bxk >/dev/null || return 1
	cg=/sys/fs/cgroup/pids/$("$BOXTOP" info bxk --json | jq -r .cgroup)
	wait_procs "$cg/pids.current" 1001 || return 1
	timed "$BENCH_WORK/kill.boxtop" "$BOXTOP" kill bxk || return 1
	v=$(cat "$cg/pids.current" 2>/dev/null || echo 0)
	[ "$v" = 0 ] || { say "boxtop kill returned with $v processes left"; return 1; }
	"$BOXTOP" rm --force bxk >/dev/null
}

if have_peer crun; then
	make_bundle "$BENCH_WORK/bundle-kill" sh -c "$FORK" &&
		jq '.linux.resources.pids.limit = 2000' "$BENCH_WORK/bundle-kill/config.json" >"$BENCH_WORK/k.json" &&
		mv "$BENCH_WORK/k.json" "$BENCH_WORK/bundle-kill/config.json"
fi
# Run by run, boxtop then crun.
bfail="" cfail=""
have_peer crun || cfail="$(peer_why crun)"
for r in $(seq "$RUNS"); do
	[ -n "$bfail" ] || boxtop_once || { bfail="failed in run $r"; "$BOXTOP" rm --force bxk >/dev/null 2>&1; }
	[ -n "$cfail" ] || in_crun_ns bash "$BENCH_DIR/bench_kill.sh" --crun 1 || cfail="failed in run $r"
done
if [ -z "$bfail" ]; then record kill boxtop "$BENCH_WORK/kill.boxtop" ms; else skip kill boxtop "$bfail"; fi
if [ -z "$cfail" ]; then record kill crun "$BENCH_WORK/kill.crun" ms; else skip kill crun "$cfail"; fi
skip kill runc "not measured (same kill --all scheme as crun)"
skip kill lxc "not measured"
