# lib.sh - sourced by every integration test script.
# Gives each script its own temporary BOXTOP_ROOT, assertion helpers that
# print PASS/FAIL lines for tests/run.sh, and a cleanup that runs even when
# the script fails: containers removed, mounts under the root unmounted.
set -u
BOXTOP=${BOXTOP_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/boxtop}
T_ROOT=$(mktemp -d /tmp/boxtop-test.XXXXXX)
export BOXTOP_ROOT=$T_ROOT
# the root's runtime state (state.json, console sockets) lives in memory
T_RUN=$("$BOXTOP" debug-rundir)
# Containers default to the bridge network boxtop0, which would put a bridge
# and a route into the host's netns: tests that are not about networking run
# with --net none semantics; t_net.sh sets its own inside a test netns.
export BOXTOP_NET_DEFAULT=${BOXTOP_NET_DEFAULT:-none}
T_FAILS=0
T_CLEANUPS=()

bt() { "$BOXTOP" "$@"; }

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1${2:+ - $2}"; T_FAILS=$((T_FAILS + 1)); }
skip() { echo "SKIP: $1${2:+ - $2}"; }

# ok NAME CMD...: passes when CMD exits 0.
ok() {
	local name=$1; shift
	local out
	if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "$(echo "$out" | tail -n 3 | tr '\n' ' ')"; fi
}
# no NAME CMD...: passes when CMD exits non-zero.
no() {
	local name=$1; shift
	if "$@" >/dev/null 2>&1; then fail "$name" "succeeded but should fail"; else pass "$name"; fi
}
# eq NAME ACTUAL EXPECTED
eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}
# has NAME HAYSTACK NEEDLE
has() {
	case "$2" in *"$3"*) pass "$1" ;; *) fail "$1" "'$3' not in '$(echo "$2" | head -c 300)'" ;; esac
}
# err_is NAME EXPECTED_STATUS PATTERN CMD...: fails with that status and a
# one-line stderr message that matches PATTERN (grep -E).
err_is() {
	local name=$1 want=$2 pat=$3; shift 3
	local errf rc lines
	errf=$(mktemp); "$@" >/dev/null 2>"$errf"; rc=$?
	lines=$(wc -l <"$errf")
	if [ "$rc" != "$want" ]; then fail "$name" "exit $rc, want $want: $(cat "$errf")"
	elif [ "$lines" != 1 ]; then fail "$name" "want one line of error, got $lines: $(cat "$errf")"
	elif ! grep -qE "$pat" "$errf"; then fail "$name" "error '$(cat "$errf")' does not match '$pat'"
	else pass "$name"; fi
	rm -f "$errf"
}
# wait_for SECONDS CMD...: poll (not a timing assertion: a bound on waiting).
wait_for() {
	local t=$(( $1 * 10 )); shift
	while [ $t -gt 0 ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; t=$((t - 1)); done
	return 1
}
status_of() { bt ls --json | jq -r ".[] | select(.name==\"$1\") | .status"; }
pid_of() { bt ls --json | jq -r ".[] | select(.name==\"$1\") | .pid"; }

# What a test may leave behind, counted for this root only (other suites may
# run beside us): mounts under the root, cgroup directories under its prefix
# (the prefix itself may stay between containers),
# boxtop processes (monitors) started with it, and its container dirs.
leak_snapshot() {
	local prefix p n=0
	prefix=$(bt debug-cgroup-prefix 2>/dev/null)
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = boxtop ] || continue
		{ tr '\0' '\n' <"$p/environ"; } 2>/dev/null | grep -qx "BOXTOP_ROOT=$T_ROOT" && n=$((n + 1))
	done
	echo "mounts=$(grep -c "$T_ROOT" /proc/self/mountinfo)"
	echo "cgroups=$(find /sys/fs/cgroup/*/"$prefix" -mindepth 1 -type d 2>/dev/null | wc -l)"
	echo "monitors=$n"
	echo "containers=$(ls "$T_ROOT/containers" 2>/dev/null | wc -l)"
	echo "rundir=$(ls -A "$T_RUN" 2>/dev/null | wc -l) $([ -e "$T_RUN" ] && echo present)"
}
# state_file NAME: a container's state.json
state_file() { echo "$T_RUN/$1/state.json"; }

at_cleanup() { T_CLEANUPS+=("$*"); }

t_cleanup() {
	local c
	for c in "${T_CLEANUPS[@]}"; do eval "$c" >/dev/null 2>&1; done
	bt rm --all --force >/dev/null 2>&1
	# the root's parent cgroup (rm removes it; a run --rm leaves it)
	local prefix; prefix=$(bt debug-cgroup-prefix 2>/dev/null)
	[ -n "$prefix" ] && rmdir /sys/fs/cgroup/*/"$prefix" 2>/dev/null
	# Anything still mounted under the root (a failed test): lazy unmount, deepest first.
	grep " $T_ROOT" /proc/self/mountinfo | awk '{print $5}' | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
	rm -rf "$T_ROOT" "$T_RUN"
}
trap t_cleanup EXIT
