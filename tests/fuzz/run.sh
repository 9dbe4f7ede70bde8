#!/usr/bin/env bash
# make fuzz: every harness BUILD/tests/fuzz/fuzz_NAME for SECONDS, against
# its seeds (tests/fuzz/corpus/NAME, read only) and what earlier runs here
# found (BUILD/fuzz-corpus/NAME, kept between runs, not in git), with
# tests/fuzz/NAME.dict when there is one.  One PASS/FAIL line each, then
# "fuzz: N passed, N failed"; exits non-zero when one failed.
#   tests/fuzz/run.sh [BUILD [SECONDS [NAME...]]]
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build-fuzz}
SECS=${2:-60}
shift $(( $# < 2 ? $# : 2 ))
# the harnesses' scratch files (layouts, roots), removed after: in memory
# where there is a tmpfs (they are rewritten for every input); not named
# boxtop-* there, where a root's run directories live
shm=/tmp; [ -d /dev/shm ] && [ -w /dev/shm ] && shm=/dev/shm
work=$(mktemp -d "$shm/fuzzwork.XXXXXX")
logs=$BUILD/fuzz-logs
mkdir -p "$logs"
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work
# leaks count as failures; the stack of one is enough
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:malloc_context_size=20}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

passed=0 failed=0
for bin in "$BUILD"/tests/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=${bin##*/fuzz_}
	if [ $# -gt 0 ]; then
		m=0; for f in "$@"; do [ "$f" = "$name" ] && m=1; done
		[ $m = 1 ] || continue
	fi
	seeds=tests/fuzz/corpus/$name
	grown=$BUILD/fuzz-corpus/$name
	crashes=$BUILD/fuzz-crashes/$name
	mkdir -p "$grown" "$crashes" "$work/$name"
	opts=(-max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048
	      -print_final_stats=1 -artifact_prefix="$crashes/")
	[ -f "tests/fuzz/$name.dict" ] && opts+=(-dict="tests/fuzz/$name.dict")
	log=$logs/$name.log
	before=$(ls "$crashes" | wc -l)
	TMPDIR=$work/$name "$bin" "${opts[@]}" "$grown" "$seeds" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
	if [ $rc -eq 0 ]; then
		echo "PASS: fuzz $name - ${runs:-?} inputs in $SECS s, ${cov:-cov: ?}, corpus $(ls "$grown" | wc -l) + $(ls "$seeds" | wc -l) seeds"
		passed=$((passed + 1))
	else
		echo "FAIL: fuzz $name - exit $rc after ${runs:-?} inputs"
		grep -E '^==[0-9]+==ERROR|^SUMMARY|runtime error|invariant broken|^(ERROR|==[0-9]+== ERROR): libFuzzer|Test unit written' "$log" |
			head -n 8 | sed 's/^/    /'
		new=$(ls -t "$crashes" | head -n 1)
		if [ "$(ls "$crashes" | wc -l)" -gt "$before" ] && [ -n "$new" ]; then
			echo "    input kept: $crashes/$new"
			echo "    replay it:  $bin $crashes/$new"
			echo "    once fixed, add it to $seeds/ (a regression test of tests/run.sh unit)"
		fi
		echo "    log: $log; its last lines:"
		tail -n 25 "$log" | sed 's/^/      /'
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
