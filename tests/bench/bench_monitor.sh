#!/bin/bash
# bench_monitor.sh - item 4: what stays resident per running container.
#   boxtop: the per-container monitor (state.json monitor_pid), started
#           alone with `boxtop start`, and each of 100 started by one batch
#           (batch monitors share copy-on-write pages, which PSS divides).
#   LXC:    the "[lxc monitor]" process lxc-start leaves (parent of init),
#           alone and each of 100 started by a loop.
#   crun, runc: they leave no process per container (podman would add
#           conmon), so there is nothing to measure.
# PSS and RSS from /proc/PID/smaps_rollup.
. "$(dirname "$0")/lib.sh"

# What a running container costs is measured once its monitor is settled:
# every peer's container runs SETTLE seconds before its monitor is read
# (boxtop's monitor gives back what starting touched after 2 s of quiet,
# core/monitor_trim.c; LXC's is given the same time).
SETTLE=${BENCH_MONITOR_SETTLE:-3}

# one_alone PEER: PSS/RSS of one container's monitor, 3 runs, one at a time.
alone_boxtop() {
	local r pid
	for r in 1 2 3; do
		"$BOXTOP" create bxm $(boxtop_net_opt) -- sleep 1000 >/dev/null &&
			"$BOXTOP" start bxm >/dev/null || return 1
		sleep "$SETTLE"
		pid=$(boxtop_monitor_pid bxm)
		[ -n "$pid" ] || return 1
		smaps_kb "$pid" Pss >>"$BENCH_WORK/pss_alone.boxtop"
		smaps_kb "$pid" Rss >>"$BENCH_WORK/rss_alone.boxtop"
		"$BOXTOP" rm --force bxm >/dev/null
	done
}

lxc_monitor_pid() { # the parent of the container's init
	local init
	init=$(lxc-info -P "$LXC_PATH" -n "$1" -pH 2>/dev/null) || return 1
	[ -n "$init" ] && ps -o ppid= -p "$init" | tr -d ' '
}

alone_lxc() {
	local r pid
	for r in 1 2 3; do
		lxc_config bxm "/bin/sleep 1000"
		lxc-start -P "$LXC_PATH" -n bxm -d || return 1
		sleep "$SETTLE"
		pid=$(lxc_monitor_pid bxm)
		[ -n "$pid" ] || return 1
		smaps_kb "$pid" Pss >>"$BENCH_WORK/pss_alone.lxc"
		smaps_kb "$pid" Rss >>"$BENCH_WORK/rss_alone.lxc"
		lxc-stop -P "$LXC_PATH" -n bxm -k
		lxc-destroy -P "$LXC_PATH" -n bxm >/dev/null
	done
}

batch_boxtop() {
	local d pid
	"$BOXTOP" batch bxm --count 100 $(boxtop_net_opt) -- sleep 1000 >/dev/null || return 1
	sleep "$SETTLE"
	for d in "$BOXTOP_ROOT"/containers/*/; do
		pid=$(boxtop_monitor_pid "$(basename "$d")")
		[ -n "$pid" ] || continue
		smaps_kb "$pid" Pss >>"$BENCH_WORK/pss_batch.boxtop"
		smaps_kb "$pid" Rss >>"$BENCH_WORK/rss_batch.boxtop"
	done
	"$BOXTOP" rm --all --force >/dev/null
}

batch_lxc() {
	local i pid
	for i in $(seq 100); do
		lxc_config "bxm-$i" "/bin/sleep 1000"
		lxc-start -P "$LXC_PATH" -n "bxm-$i" -d || return 1
	done
	sleep "$SETTLE"
	for i in $(seq 100); do
		pid=$(lxc_monitor_pid "bxm-$i")
		[ -n "$pid" ] || continue
		smaps_kb "$pid" Pss >>"$BENCH_WORK/pss_batch.lxc"
		smaps_kb "$pid" Rss >>"$BENCH_WORK/rss_batch.lxc"
	done
	for i in $(seq 100); do
		lxc-stop -P "$LXC_PATH" -n "bxm-$i" -k
		lxc-destroy -P "$LXC_PATH" -n "bxm-$i" >/dev/null
	done
}

for p in boxtop lxc; do
	if [ $p != boxtop ] && ! have_peer $p; then
		for k in pss_alone rss_alone pss_batch rss_batch; do skip $k $p "$(peer_why $p)"; done
		continue
	fi
	if alone_$p; then
		record pss_alone $p "$BENCH_WORK/pss_alone.$p" kB
		record rss_alone $p "$BENCH_WORK/rss_alone.$p" kB
	else skip pss_alone $p "could not start one container"; fi
	if batch_$p; then
		record pss_batch $p "$BENCH_WORK/pss_batch.$p" kB
		record rss_batch $p "$BENCH_WORK/rss_batch.$p" kB
	else skip pss_batch $p "could not start 100 containers"; fi
done
for p in crun runc; do
	skip pss_alone $p "leaves no process per container (no monitor)"
	skip pss_batch $p "leaves no process per container (no monitor)"
done
