#!/usr/bin/env bash
# The test runner: every unit test binary and every integration script, each
# printing "PASS: name", "FAIL: name - why" or "SKIP: name - why" lines.
# Ends with one summary line and exits non-zero on any failure.
#   tests/run.sh            all
#   tests/run.sh unit       unit tests only (and the fuzz corpus replays)
#   tests/run.sh NAME...    integration scripts whose name contains NAME
set -u
cd "$(dirname "$0")/.."
BUILD=${BOXTOP_BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$PWD/$BUILD ;; esac # relative to the project
export BOXTOP_BIN=${BOXTOP_BIN:-$BUILD/boxtop}
log=$(mktemp /tmp/boxtop-run.XXXXXX)
trap 'rm -f "$log"' EXIT

# A test that hangs (a deadlocked child, say) must fail, not stall CI: each
# gets TIMEOUT seconds, then SIGTERM (its cleanup trap still runs), then
# SIGKILL.
TIMEOUT=${BOXTOP_TEST_TIMEOUT:-300}

run_one() { # label, command...
	local label=$1; shift
	local out rc
	out=$(timeout -k 20 "$TIMEOUT" "$@" 2>&1); rc=$?
	[ $rc -eq 124 ] && out+=$'\n'"FAIL: $label - timed out after ${TIMEOUT} s"
	printf '%s\n' "$out" | grep -E '^(PASS|FAIL|SKIP): ' >>"$log"
	printf '%s\n' "$out" | grep -E '^(PASS|FAIL|SKIP): |^  ' | sed "s|^|[$label] |"
	# A script that dies without reporting a failure still fails.
	if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL: '; then
		echo "FAIL: $label - exited $rc" >>"$log"
		echo "[$label] FAIL: exited $rc"; printf '%s\n' "$out" | tail -n 15 | sed 's/^/    /'
	fi
}

want_unit=1 want_int=1 filters=()
if [ $# -gt 0 ]; then
	if [ "$1" = unit ]; then want_int=0; else want_unit=0; filters=("$@"); fi
fi

if [ $want_unit = 1 ]; then
	for t in "$BUILD"/tests/unit/test_*; do
		[ -x "$t" ] || continue
		if [ -n "${BOXTOP_VALGRIND:-}" ]; then
			run_one "$(basename "$t")" valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "$t"
		else
			run_one "$(basename "$t")" "$t"
		fi
	done
	# The fuzz harnesses over their seeds, every input that ever crashed
	# one among them (tests/fuzz; `make fuzz` for the fuzzing itself).
	for t in "$BUILD"/tests/fuzz/replay_*; do
		[ -x "$t" ] || continue
		corpus=tests/fuzz/corpus/${t##*/replay_}
		if [ -n "${BOXTOP_VALGRIND:-}" ]; then
			run_one "$(basename "$t")" valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "$t" "$corpus"
		else
			run_one "$(basename "$t")" "$t" "$corpus"
		fi
	done
fi
if [ $want_int = 1 ]; then
	for t in tests/integration/t_*.sh; do
		name=$(basename "$t" .sh)
		if [ ${#filters[@]} -gt 0 ]; then
			m=0; for f in "${filters[@]}"; do [[ $name == *"$f"* ]] && m=1; done
			[ $m = 1 ] || continue
		fi
		run_one "$name" bash "$t"
	done
fi

p=$(grep -c '^PASS: ' "$log"); f=$(grep -c '^FAIL: ' "$log"); s=$(grep -c '^SKIP: ' "$log")
if [ "$f" -gt 0 ]; then echo; echo "Failures:"; grep '^FAIL: ' "$log" | sed 's/^/  /'; fi
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ] && [ "$p" -gt 0 ]
