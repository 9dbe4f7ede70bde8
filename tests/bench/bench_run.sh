#!/bin/bash
# bench_run.sh - item 1: run to exit of /bin/true in a new container.
#   boxtop run --rm | crun run | runc run | lxc-execute | bare unshare (floor)
# Two ways, both timed with timeit (crun inside its mount namespace via
# timeit -m: no extra exec in its figure):
#   run      back to back (how hyperfine and the issue's figures measure):
#            in rounds, each peer one untimed warm-up then $BLOCK runs in a
#            row, peers taking turns until 3 x $RUNS each.  A peer measured all
#            in one stretch would carry whatever the machine did then (the
#            setup's writeback, another guest's load) alone;
#   runcold  one at a time: peers interleaved, 0.1 s idle before each run.
# They differ because of the kernel's cgroup migration path: moving a task
# into a v1 cgroup (crun and runc write cgroup.procs) is ~7-10 ms when cold
# and ~0.02 ms when another migration just happened; 0.1 s idle is enough
# to make it cold again.  boxtop starts its init with CLONE_INTO_CGROUP and
# the init attaches itself, so it does not take that path.
. "$(dirname "$0")/lib.sh"
KEY=run

peers="boxtop floor"
# boxtop with its root on tmpfs and on a journaled ext4 (run.sh): what the
# filesystem under the root costs (this VM's root ext4 has no journal)
[ -n "${BENCH_SHM:-}" ] && peers="$peers boxtop-tmpfs"
[ -n "${BENCH_JEXT4:-}" ] && peers="$peers boxtop-journaled"
have_peer crun && peers="$peers crun" || skip $KEY crun "$(peer_why crun)"
have_peer runc && peers="$peers runc" || skip $KEY runc "$(peer_why runc)"
if have_peer lxc; then
	lxc_config bxrun
	peers="$peers lxc"
else skip $KEY lxc "$(peer_why lxc)"; fi

once() { # once PEER OUT
	case $1 in
	boxtop) timed "$2" "$BOXTOP" run --rm $(boxtop_net_opt) bxrun -- /bin/true ;;
	boxtop-tmpfs) BOXTOP_ROOT=$BENCH_SHM timed "$2" "$BOXTOP" run --rm $(boxtop_net_opt) bxrun -- /bin/true ;;
	boxtop-journaled) BOXTOP_ROOT=$BENCH_JEXT4 timed "$2" "$BOXTOP" run --rm $(boxtop_net_opt) bxrun -- /bin/true ;;
	crun) TIMEIT_NS=$(crun_ns) timed "$2" crun --root "$CRUN_STATE" run --bundle "$BENCH_WORK/bundle-true" bxrun ;;
	runc) timed "$2" runc --root "$RUNC_STATE" run --bundle "$BENCH_WORK/bundle-true" bxrun ;;
	lxc) timed "$2" lxc-execute -P "$LXC_PATH" -n bxrun -- /bin/true ;;
	floor) timed "$2" unshare --fork --pid --mount --uts --ipc --net true ;;
	esac
}

declare -A failed
# back to back, in blocks.  Three times RUNS: a run takes ~5-25 ms, and
# this VM's speed drifts by 10-20 % over seconds (a whole item's median
# moved 0.48x-0.57x between three runs of 20 here), so the medians need
# the larger sample to be stable.
B2B_RUNS=$((RUNS * 3))
BLOCK=5
for round in $(seq $(((B2B_RUNS + BLOCK - 1) / BLOCK))); do
	for p in $peers; do
		[ -n "${failed[$p]:-}" ] && continue
		for r in $(seq 0 $BLOCK); do
			out=$BENCH_WORK/run.$p
			[ "$r" = 0 ] && out=$BENCH_WORK/warm.$p
			once "$p" "$out" || { failed[$p]=1; break; }
		done
	done
done
# one at a time, interleaved
for r in $(seq "$RUNS"); do
	for p in $peers; do
		[ -n "${failed[$p]:-}" ] && continue
		sleep 0.1
		once "$p" "$BENCH_WORK/runcold.$p" || failed[$p]=1
	done
done
for p in $peers; do
	if [ -n "${failed[$p]:-}" ]; then skip $KEY "$p" "failed (see the log)"
	else
		record $KEY "$p" "$BENCH_WORK/run.$p" ms
		record runcold "$p" "$BENCH_WORK/runcold.$p" ms
	fi
done
[ -e "$LXC_PATH/bxrun" ] && lxc-destroy -P "$LXC_PATH" -n bxrun >/dev/null 2>&1
true
