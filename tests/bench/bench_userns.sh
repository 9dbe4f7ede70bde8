#!/bin/bash
# bench_userns.sh - item 8: what --userns auto adds to a start.
#   boxtop run --rm -- /bin/true  vs  the same with --userns auto
# Back to back, in rounds of BLOCK runs each, the two taking turns (as
# item 1 does), 3 x $RUNS each.  --userns auto writes the maps, makes the
# root over idmapped layers in the parent (idmap.c) and the network
# namespace at clone (not beside the child's work), and claims and frees
# a slice of ids (one file each way) per run --rm.
. "$(dirname "$0")/lib.sh"
KEY=userns

peers="boxtop boxtop-userns"
once() { # once PEER OUT
	case $1 in
	boxtop) timed "$2" "$BOXTOP" run --rm $(boxtop_net_opt) bxuns -- /bin/true ;;
	boxtop-userns) timed "$2" "$BOXTOP" run --rm --userns auto $(boxtop_net_opt) bxuns -- /bin/true ;;
	esac
}

declare -A failed
B2B_RUNS=$((RUNS * 3))
BLOCK=5
for round in $(seq $(((B2B_RUNS + BLOCK - 1) / BLOCK))); do
	for p in $peers; do
		[ -n "${failed[$p]:-}" ] && continue
		for r in $(seq 0 $BLOCK); do
			out=$BENCH_WORK/userns.$p
			[ "$r" = 0 ] && out=$BENCH_WORK/userns-warm.$p
			once "$p" "$out" || { failed[$p]=1; break; }
		done
	done
done
for p in $peers; do
	if [ -n "${failed[$p]:-}" ]; then skip $KEY "$p" "failed (see the log)"
	else
		record $KEY "$p" "$BENCH_WORK/userns.$p" ms
		# CPU time (the command and what it reaped): what the work
		# costs, less moved by other load on the machine than wall time
		cpu_ms_of_raw "$BENCH_WORK/userns.$p.raw" "$BENCH_WORK/usernscpu.$p"
		record usernscpu "$p" "$BENCH_WORK/usernscpu.$p" ms
	fi
done
true
