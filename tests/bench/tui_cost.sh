#!/usr/bin/env bash
# tui_cost.sh - what the screen costs with N idle containers (issue 6, items
# 5 and 6): CPU time of one stats sample per container, and the TUI in an
# 80x24 tmux pane at 1 s refresh: CPU % of one core, bytes written to the
# terminal per second (recorded with script(1)), RSS.  Prints figures; never
# asserts.   tests/bench/tui_cost.sh [N...]   (default: 100 500)
set -u
cd "$(dirname "$0")/../.."
BOX=$PWD/build/boxtop
SECS=${SECS:-60}
ROOT=$(mktemp -d /tmp/boxtop-tuicost.XXXXXX)
export BOXTOP_ROOT=$ROOT
S=tc$$
cleanup() {
	tmux -L "$S" kill-server 2>/dev/null
	"$BOX" rm --all --force >/dev/null 2>&1
	rm -rf "$ROOT"
}
trap cleanup EXIT
cc -O2 -std=gnu11 -D_GNU_SOURCE -Icore -o "$ROOT/stats_sample" tests/bench/stats_sample.c \
	build/libboxcore.a $(pkg-config --libs ncursesw libcap jansson libnl-3.0 libnl-route-3.0 libcrypto) -lpthread -lm || exit 1
have=0
for n in "${@:-100 500}"; do
	"$BOX" batch idle --count $((n - have)) -- sleep 1000000 >/dev/null || exit 1
	have=$n
	"$ROOT/stats_sample" 30
	rec=$ROOT/typescript
	tmux -L "$S" new-session -d -s "$S" -x 80 -y 24 \
		"env BOXTOP_ROOT=$ROOT script -q -f $rec -c '$BOX -d 10'"
	sleep 3   # the first sample reads every state: measure steady state
	# the pane runs script(1), which runs boxtop (maybe through a shell)
	pid=$(tmux -L "$S" list-panes -t "$S" -F '#{pane_pid}')
	for _ in 1 2 3; do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = boxtop ] && break
		pid=$(pgrep -P "$pid" | head -n 1)
	done
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = boxtop ] || { echo "no boxtop process"; exit 1; }
	hz=$(getconf CLK_TCK)
	t0=$(awk '{print $14 + $15}' "/proc/$pid/stat"); b0=$(stat -c %s "$rec")
	sleep "$SECS"
	t1=$(awk '{print $14 + $15}' "/proc/$pid/stat"); b1=$(stat -c %s "$rec")
	rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
	awk -v n="$n" -v t="$((t1 - t0))" -v hz="$hz" -v s="$SECS" -v b="$((b1 - b0))" -v r="$rss" \
		'BEGIN { printf "tui: %d containers, %.2f %% CPU, %d B/s to the terminal, RSS %.1f MB\n", n, t * 100 / hz / s, b / s, r / 1024 }'
	tmux -L "$S" kill-server 2>/dev/null
done
