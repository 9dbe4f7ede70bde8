#!/bin/bash
# bench_run.sh - item 1: run to exit of /bin/true in a new container.
#   boxtop run --rm | crun run | runc run | lxc-execute | bare unshare (floor)
# Each round runs every peer once (peers interleaved, so load from anything
# else on the machine hits them alike); 3 warm-up rounds, then $RUNS timed.
# crun is timed inside its mount namespace (timeit -m): no extra exec.
. "$(dirname "$0")/lib.sh"
KEY=run

peers="boxtop floor"
have_peer crun && peers="$peers crun" || skip $KEY crun "$(peer_why crun)"
have_peer runc && peers="$peers runc" || skip $KEY runc "$(peer_why runc)"
if have_peer lxc; then
	lxc_config bxrun
	peers="$peers lxc"
else skip $KEY lxc "$(peer_why lxc)"; fi

once() { # once PEER OUT
	case $1 in
	boxtop) timed "$2" "$BOXTOP" run --rm $(boxtop_net_opt) bxrun -- /bin/true ;;
	crun) TIMEIT_NS=$(crun_ns) timed "$2" crun --root "$CRUN_STATE" run --bundle "$BENCH_WORK/bundle-true" bxrun ;;
	runc) timed "$2" runc --root "$RUNC_STATE" run --bundle "$BENCH_WORK/bundle-true" bxrun ;;
	lxc) timed "$2" lxc-execute -P "$LXC_PATH" -n bxrun -- /bin/true ;;
	floor) timed "$2" unshare --fork --pid --mount --uts --ipc --net true ;;
	esac
}

declare -A failed
for r in $(seq $((RUNS + 3))); do
	for p in $peers; do
		[ -n "${failed[$p]:-}" ] && continue
		out=$BENCH_WORK/run.$p
		[ "$r" -le 3 ] && out=$BENCH_WORK/warm.$p
		once "$p" "$out" || failed[$p]=1
	done
done
for p in $peers; do
	if [ -n "${failed[$p]:-}" ]; then skip $KEY "$p" "failed (see the log)"
	else record $KEY "$p" "$BENCH_WORK/run.$p" ms; fi
done
[ -e "$LXC_PATH/bxrun" ] && lxc-destroy -P "$LXC_PATH" -n bxrun >/dev/null 2>&1
true
