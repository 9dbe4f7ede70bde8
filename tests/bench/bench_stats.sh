#!/bin/bash
# bench_stats.sh - item 5: CPU time of one stats sample of 100, 500 and
# 1000 running containers, per container.  Uses the core's sampler
# (box_stats_sample via stats_probe.c) when the build has it; until then
# `boxtop ls --json` stands in (one process reading every state.json: it is
# labelled so in the notes).  At 1000 it also records the total PSS of all
# monitors (item 2's memory at 1000).
. "$(dirname "$0")/lib.sh"
PROBE=$TOP/${BOXTOP_BUILD:-build}/bench/stats_probe
mode=ls
if grep -q 'box_stats_sample' "$TOP/core/box.h" &&
	cc -std=gnu11 -O2 -D_GNU_SOURCE -I"$TOP/core" -o "$PROBE" "$BENCH_DIR/stats_probe.c" \
		"$TOP/${BOXTOP_BUILD:-build}/libboxcore.a" \
		$(pkg-config --libs ncursesw libcap jansson libnl-3.0 libnl-route-3.0 libcrypto) \
		-lpthread -lm; then
	mode=probe
fi
if [ $mode = probe ]; then
	note "stats: box_stats_sample() (core/stats.c) timed by stats_probe: process CPU time of one sample after a warm-up sample."
else
	note "stats: STAND-IN: the core has no box_stats_sample yet; \`boxtop ls --json\` (CPU time of the whole process) is timed instead."
fi

have=0
for n in 100 500 1000; do
	"$BOXTOP" batch bxs --count $((n - have)) $(boxtop_net_opt) -- sleep 1000 >/dev/null ||
		{ skip "stats$n" boxtop "batch of $n failed"; break; }
	have=$n
	out=$BENCH_WORK/stats.$n
	if [ $mode = probe ]; then
		"$PROBE" "$BOXTOP_ROOT" "$RUNS" >"$out.raw" || { skip "stats$n" boxtop "stats_probe failed"; continue; }
		awk -v n=$n '{ printf "%.3f\n", $1 / n }' "$out.raw" >"$out"
	else
		for i in $(seq "$RUNS"); do timed "$out.ls" "$BOXTOP" ls --json; done
		awk -v n=$n '{ printf "%.3f\n", ($2 + $3) / n }' "$out.ls.raw" >"$out"
	fi
	record "stats$n" boxtop "$out" µs
done

if [ $have = 1000 ]; then
	total=0
	for d in "$BOXTOP_ROOT"/containers/*/; do
		pid=$(boxtop_monitor_pid "$(basename "$d")")
		[ -n "$pid" ] && total=$((total + $(smaps_kb "$pid" Pss)))
	done
	record_value monpss1000 boxtop "$total" kB
fi
"$BOXTOP" rm --all --force >/dev/null
