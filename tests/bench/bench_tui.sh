#!/bin/bash
# bench_tui.sh - item 6: the TUI with 100 and 500 running containers, 1 s
# refresh, in an 80x24 tmux pane, watched for BENCH_TUI_SECS (60) seconds
# after a 5 s warm-up; htop -d 10 in its own 80x24 pane at the same time as
# the reference.  Per program: CPU % of one core (utime+stime from
# /proc/PID/stat), bytes per second written to the terminal (tmux
# pipe-pane into a file), RSS (VmRSS at the end).
. "$(dirname "$0")/lib.sh"
SECS=${BENCH_TUI_SECS:-60}
WARM=5
T="tmux -L $BENCH_TMUX"

if "$BOXTOP" -n 1 </dev/null 2>&1 | grep -q 'not available in this build'; then
	for n in 100 500; do
		for k in tuicpu tuibytes tuirss; do skip $k$n boxtop "TUI not built"; done
	done
	say "skipped: TUI not built"
	exit 0
fi
command -v tmux >/dev/null || { say "skipped: tmux not installed"; exit 0; }
have_htop=1
command -v htop >/dev/null || have_htop=0

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; }
rss_kb() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status" 2>/dev/null; }
bytes() { stat -c %s "$1" 2>/dev/null || echo 0; }
HZ=$(getconf CLK_TCK)

# pane NAME CMD: a detached 80x24 session running CMD, its output copied to
# $BENCH_WORK/tty.NAME; prints the program's pid.
pane() {
	: >"$BENCH_WORK/tty.$1"
	$T new-session -d -s "$1" -x 80 -y 24 "exec $2" || return 1
	$T pipe-pane -t "$1" -o "cat >> $BENCH_WORK/tty.$1"
	$T list-panes -t "$1" -F '#{pane_pid}'
}

have=0
for n in 100 500; do
	"$BOXTOP" batch bxt --count $((n - have)) $(boxtop_net_opt) -- sleep 1000 >/dev/null ||
		{ say "batch of $n failed"; break; }
	have=$n
	progs="boxtop"
	[ $have_htop = 1 ] && progs="boxtop htop"
	declare -A PID T0 B0
	PID[boxtop]=$(pane "boxtop$n" "env BOXTOP_ROOT=$BOXTOP_ROOT TERM=screen-256color $BOXTOP -d 10")
	[ $have_htop = 1 ] && PID[htop]=$(pane "htop$n" "env TERM=screen-256color htop -d 10")
	sleep $WARM
	for p in $progs; do T0[$p]=$(ticks "${PID[$p]}"); B0[$p]=$(bytes "$BENCH_WORK/tty.$p$n"); done
	sleep "$SECS"
	for p in $progs; do
		pid=${PID[$p]}
		t1=$(ticks "$pid")
		if [ -z "$t1" ]; then skip tuicpu$n $p "exited during the run"; continue; fi
		record_value tuicpu$n $p "$(awk -v a="${T0[$p]}" -v b="$t1" -v hz="$HZ" -v s="$SECS" \
			'BEGIN { printf "%.2f", (b - a) / hz / s * 100 }')" "%"
		record_value tuibytes$n $p "$(awk -v a="${B0[$p]}" -v b="$(bytes "$BENCH_WORK/tty.$p$n")" -v s="$SECS" \
			'BEGIN { printf "%.0f", (b - a) / s }')" B/s
		record_value tuirss$n $p "$(rss_kb "$pid")" kB
	done
	$T kill-session -t "boxtop$n" 2>/dev/null
	$T kill-session -t "htop$n" 2>/dev/null
done
$T kill-server 2>/dev/null
note "TUI: boxtop -d 10 and htop -d 10 watched side by side (each in its own 80x24 tmux pane) for $SECS s after a ${WARM} s warm-up; htop lists every host process, including the containers'."
"$BOXTOP" rm --all --force >/dev/null
