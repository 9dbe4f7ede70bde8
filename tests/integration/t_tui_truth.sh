#!/usr/bin/env bash
# t_tui_truth.sh - what the screen says and does is what happens: an action
# on tagged rows names them before it acts, stops run side by side, a key
# refused while busy is said so, exit codes and OOM kills are shown whole,
# the log follows by itself and shows no escape debris, and the smaller
# things around them (results, sort, selection, ps names, CLI errors).
# Real screen in tmux, real containers; every wait polls (no timing
# assertions).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tui_lib.sh"

quick='trap "exit 0" TERM; while :; do sleep 1; done'
for n in 1 2 3; do bt create tk-$n -- /bin/sh -c "$quick" >/dev/null; done
bt start tk-1 tk-2 tk-3 >/dev/null
# stops that take the whole grace: init ignores SIGTERM
for n in 1 2 3; do bt create ts-$n -- /bin/sh -c 'trap "" TERM; while :; do sleep 1; done' >/dev/null; done
bt start ts-1 ts-2 ts-3 >/dev/null
if [ "$(status_of tk-3) $(status_of ts-3)" != "running running" ]; then
	fail "setup: running containers" "$(bt ls 2>&1 | tr '\n' ' ')"
	exit 1
fi
statuses() { for n in "$@"; do printf '%s ' "$(status_of "$n")"; done; }
# filter NAME: the list shows the rows matching NAME only
filter() { keys /; keys C-u; keys -l "$1"; keys Enter; }

# 120 columns: every column is shown, the exit code one too
GRACE=5
tui_open 120 30 "$BOXTOP --time $GRACE"
wait_screen "screen opens" '^tk-3 +running'

# ---- Ctrl-K on tagged rows: named, asked once; the cursor's row alone is instant
filter tk-
wait_screen "tk rows filtered" '^tk-1 '
keys Home; keys Space Space            # tk-1 and tk-2 tagged, cursor on tk-3
wait_screen "two tagged" 'tagged:2'
keys C-k
wait_screen "Ctrl-K on tagged rows names them and asks" 'Kill 2 tagged: tk-1, tk-2'
eq "nothing killed before the answer" "$(statuses tk-1 tk-2 tk-3)" "running running running "
keys n
if wait_for 5 screen_lacks 'Kill 2 tagged'; then pass "no closes the question"; else fail "no closes the question"; fi
eq "declined: nothing killed" "$(statuses tk-1 tk-2 tk-3)" "running running running "
keys C-k
wait_screen "Ctrl-K asks again" 'Kill 2 tagged: tk-1, tk-2'
keys y
if wait_for 15 bash -c "[ \"\$($BOXTOP ls --json | jq -r '[.[] | select(.name==\"tk-1\" or .name==\"tk-2\") | .status] | join(\" \")')\" = 'stopped stopped' ]"; then
	pass "yes kills the tagged rows"
else
	fail "yes kills the tagged rows" "$(statuses tk-1 tk-2)"
fi
eq "the row under the cursor is not killed" "$(status_of tk-3)" running
wait_screen "the kill names what it killed" 'killed 2 tagged: tk-1, tk-2'

# ---- s on a mixed tagged set: start or stop, never both behind one key
wait_screen "the screen shows them stopped" '^\*tk-2 +stopped'
keys Space                              # tk-3 tagged too: 2 stopped, 1 running
wait_screen "three tagged" 'tagged:3'
keys s
wait_screen "s on a mixed set asks which" 'Start the 2 stopped: tk-1, tk-2'
wait_screen "s offers the stop of the running one" 'Stop the 1 running: tk-3'
eq "nothing started or stopped before the choice" "$(statuses tk-1 tk-2 tk-3)" "stopped stopped running "
keys Enter                              # the first: start the stopped ones
if wait_for 20 bash -c "[ \"\$($BOXTOP ls --json | jq -r '[.[] | select(.name|startswith(\"tk-\")) | .status] | join(\" \")')\" = 'running running running' ]"; then
	pass "start chosen: the stopped ones start"
else
	fail "start chosen: the stopped ones start" "$(statuses tk-1 tk-2 tk-3)"
fi
wait_screen "start reported" 'start: done \(2\)'
eq "the running one was not stopped" "$(status_of tk-3)" running

# ---- the signal menu and the remove question name their targets
wait_screen "the screen shows them running" '^\*tk-2 +running'
keys k
wait_screen "signal menu names the tagged" 'Send signal to 3 tagged: tk-1, tk-2, tk-3'
keys Escape
keys x
wait_screen "remove names the tagged" 'Remove 3 tagged: tk-1, tk-2, tk-3\?'
wait_screen "remove says the running ones are killed" '3 running will be killed'
keys n
if wait_for 5 screen_lacks 'Remove 3 tagged'; then pass "remove declined"; else fail "remove declined"; fi
eq "declined remove keeps them" "$(bt ls --json | jq '[.[] | select(.name|startswith("tk-"))] | length')" 3
keys U
if wait_for 5 screen_lacks 'tagged:'; then pass "untagged"; else fail "untagged"; fi

# ---- stop of N tagged: side by side, one grace; a key meanwhile is refused aloud
filter ts-
wait_screen "ts rows filtered" '^ts-1 '
keys Home; keys Space Space Space
wait_screen "ts tagged" 'tagged:3'
keys s
wait_screen "the stop shows progress naming them" '\] 0/3 stop ts-1, ts-2, ts-3'
keys n
wait_screen "a key while busy is refused on the status line" 'busy: 0/3 stop ts-1.* key ignored'
if wait_for 60 bash -c "[ \"\$($BOXTOP ls --json | jq -r '[.[] | select(.name|startswith(\"ts-\")) | .status] | join(\" \")')\" = 'stopped stopped stopped' ]"; then
	pass "tagged stop finishes"
else
	fail "tagged stop finishes" "$(statuses ts-1 ts-2 ts-3)"
fi
fin=$(for n in 1 2 3; do bt info ts-$n --json | jq '.finished | fromdateiso8601'; done | sort -n | tr '\n' ' ')
spread=$(echo "$fin" | awk '{print $NF - $1}')
if [ -n "$spread" ] && [ "$spread" -lt "$GRACE" ]; then
	pass "the three stopped together (finished within one grace: ${spread}s)"
else
	fail "the three stopped together" "finished at $fin (grace $GRACE s): one after another"
fi
wait_screen "stop reported" 'stop: done \(3\)'
keys U

# ---- exit codes whole; OOM said
bt create tx-kill -- sleep 1000 >/dev/null && bt start tx-kill >/dev/null
bt kill tx-kill >/dev/null
wait_for 15 status_is tx-kill stopped
code=$(bt info tx-kill --json | jq -r .exit_code)
eq "precondition: kill records 137" "$code" 137
filter tx-
wait_screen "a killed container shows its whole exit code" "^tx-kill +stopped .* exit $code "
bt create tx-oom --memory 8M -- /bin/sh -c 'head -c 100000000 /dev/zero | tail' >/dev/null
bt start tx-oom >/dev/null
wait_for 30 status_is tx-oom stopped
wait_for 5 bash -c "[ \"\$($BOXTOP info tx-oom --json | jq -r .oom_killed)\" = true ]"
eq "precondition: the OOM killer ended tx-oom" "$(bt info tx-oom --json | jq -r .oom_killed)" true
wait_screen "an OOM-killed container shows OOM in its row" '^tx-oom +stopped .* OOM'
filter tx-oom
wait_screen "tx-oom selected" '^tx-oom '
keys Tab
wait_screen "the detail pane says OOM" 'exit code +[0-9]+.*OOM'
wait_screen "the detail pane names the signal" 'exit code +137 \(SIGKILL\)'
keys Tab Tab
keys Escape

# ---- the log view follows on its own, and shows no escape debris
bt create tl -- /bin/sh -c 'printf "pre\033[6npost\n"; i=0; while :; do i=$((i+1)); echo tick-$i; sleep 1; done' >/dev/null
bt start tl >/dev/null
filter tl
wait_screen "tl selected" '^tl +running'
keys l
wait_screen "log view open" 'log: tl .*\[follow\]'
wait_screen "log shows ticks" 'tick-[0-9]+'
last_tick() { screen | grep -oE 'tick-[0-9]+' | sed 's/tick-//' | sort -n | tail -n 1; }
t0=$(last_tick)
newer() { [ "$(last_tick)" -ge $((t0 + 2)) ]; }
if wait_for 20 newer; then pass "[follow] shows new lines without a key"; else fail "[follow] shows new lines without a key" "still tick-$(last_tick) after tick-$t0"; fi
wait_screen "escape sequences are dropped" '^prepost'
if screen_lacks '\[6n'; then pass "no escape debris"; else fail "no escape debris" "$(screen | grep -F '[6n')"; fi
keys q
wait_screen "log view closes" 'F1Help'
keys Escape

# ---- create dialog: the result counts one; an existing name keeps the dialog
keys n
wait_screen "create dialog opens" 'Create and start'
keys -l tc-one; keys Tab Tab Tab Tab Tab; keys -l 'sleep 1000'; keys Enter
wait_screen "create says what it did" 'tc-one: created and started'
if screen_lacks 'done \(2\)'; then pass "create does not count two"; else fail "create does not count two"; fi
keys n
wait_screen "create dialog opens again" 'Create and start'
keys -l tc-one; keys Tab Tab Tab Tab Tab; keys -l 'sleep 77'; keys Enter
wait_screen "an existing name is refused" 'already exists'
if screen_has 'Create and start' && screen_has 'sleep 77'; then pass "the dialog stays with what was typed"; else fail "the dialog stays with what was typed" "$(screen | tail -n 4 | tr -s ' ')"; fi
keys Escape
if wait_for 5 screen_lacks 'Create and start'; then pass "Esc closes it"; else fail "Esc closes it"; fi

# ---- name sort is natural; removing the last row keeps the selection at the end
for n in 1 2 10; do bt create ns-$n -- true >/dev/null; done
eq "ls sorts names naturally" "$(bt ls --json | jq -r '[.[].name | select(startswith("ns-"))] | join(" ")')" "ns-1 ns-2 ns-10"
filter ns-
wait_screen "ns rows" '^ns-10 '
order=$(screen | grep -oE '^ns-[0-9]+' | tr '\n' ' ')
eq "the screen sorts names naturally" "$order" "ns-1 ns-2 ns-10 "
keys End
keys Tab
wait_screen "the last row is selected" 'detail: ns-10 '
keys x
wait_screen "remove asks for the last row" 'Remove ns-10\?'
keys y
if wait_for 15 screen_lacks '^ns-10 '; then pass "last row removed"; else fail "last row removed"; fi
wait_screen "the selection stays at the new last row" 'detail: ns-2 '
keys Tab Tab
keys Escape

# ---- monitors are named in ps (comm stays boxtop for the leak checks)
mon_line() { # the command line of NAME's monitor
	local p
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = boxtop ] || continue
		{ tr '\0' '\n' <"$p/environ"; } 2>/dev/null | grep -qx "BOXTOP_ROOT=$T_ROOT" || continue
		tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -F "[boxtop monitor $1]" && return 0
	done
	return 1
}
if mon_line tk-3 >/dev/null; then pass "a CLI-started monitor is named in ps"; else fail "a CLI-started monitor is named in ps" "$(ps -eo pid,args | grep boxtop | grep -v grep | head -5 | tr '\n' '|')"; fi
if mon_line tk-1 >/dev/null; then pass "a screen-started monitor is named in ps"; else fail "a screen-started monitor is named in ps"; fi
has "ps -ef shows the name" "$(ps -ef)" "[boxtop monitor tc-one]"

keys q
if wait_for 10 screen_lacks 'F1Help'; then pass "q quits"; else fail "q quits"; fi
# with the screen gone, the boxtop processes of this root are the monitors
running=$(bt ls --json | jq '[.[] | select(.status=="running")] | length')
monitors_are() { [ "$(leak_snapshot | grep monitors=)" = "monitors=$running" ]; }
if wait_for 10 monitors_are; then pass "leak_snapshot still finds every monitor"; else fail "leak_snapshot still finds every monitor" "$(leak_snapshot | grep monitors=), $running running"; fi

# ---- exec: the shell gets a clean screen, and leaves nothing behind
tm kill-session -t "$S" 2>/dev/null
tm new-session -d -s "$S" -x 80 -y 24 "env PS1='$ ' bash --norc -i"
keys -l 'echo previous-shell-junk'; keys Enter
wait_screen "outer shell" '^previous-shell-junk'
keys -l "env BOXTOP_ROOT=$T_ROOT TERM=screen $BOXTOP"; keys Enter
wait_screen "screen over a shell" '^tk-3 +running'
filter tk-3
wait_screen "tk-3 selected" '^tk-3 +running'
keys e
if wait_for 10 screen_has '^/ # ?$'; then pass "exec opens a shell"; else fail "exec opens a shell" "$(screen | tr -s ' ' | head -c 300)"; fi
if screen_lacks 'previous-shell-junk|F1Help|^tk-'; then pass "exec starts on a clean screen"; else fail "exec starts on a clean screen" "$(screen | grep -v '^$' | head -n 4 | tr '\n' '|')"; fi
keys -l 'echo inside-$((6*7))'; keys Enter
wait_screen "exec runs" '^inside-42'
keys -l exit; keys Enter
wait_screen "back on the screen" 'F1Help'
keys q
wait_screen "boxtop quit to the shell" 'previous-shell-junk'
if screen_lacks 'inside-42'; then pass "exec leaves nothing on the shell's screen"; else fail "exec leaves nothing on the shell's screen" "$(screen | grep -v '^$' | tr '\n' '|')"; fi

# ---- attach to a container that is not there or not running: the error alone
keys -l "$BOXTOP attach nosuch; echo rc=\$?"; keys Enter
wait_screen "attach to a missing container fails" 'rc=1'
if screen_lacks '\[attached to nosuch'; then pass "no [attached] before the error"; else fail "no [attached] before the error"; fi
wait_screen "attach says why" 'nosuch'
keys -l "clear; $BOXTOP attach ns-1; echo rc=\$?"; keys Enter
wait_screen "attach to a stopped container fails" 'rc=1'
if screen_lacks '\[attached to ns-1'; then pass "no [attached] for a stopped one"; else fail "no [attached] for a stopped one"; fi
wait_screen "attach says it is not running" 'not running'

# ---- rm with several failures: each one on its own line, exit 1
errf=$(mktemp); bt rm nosuch-a nosuch-b tk-3 2>"$errf" >/dev/null; rc=$?
eq "rm with failures exits 1" "$rc" 1
eq "one line per failure" "$(wc -l <"$errf")" 3
has "names the first" "$(cat "$errf")" "nosuch-a"
has "names the second" "$(cat "$errf")" "nosuch-b"
has "names the running one" "$(cat "$errf")" "tk-3"
eq "the running one is still there" "$(status_of tk-3)" running
rm -f "$errf"

# ---- batch addresses in name order, without --ip (in a netns of our own)
NS=bt-truth-$$
if ip netns add "$NS" 2>/dev/null; then
	N() { nsenter --net="/run/netns/$NS" "$@"; }
	at_cleanup "nsenter --net=/run/netns/$NS $BOXTOP rm --all --force"
	at_cleanup "ip netns del $NS"
	N ip link set lo up
	ok "net create" N "$BOXTOP" net create tn --subnet 10.66.0.0/24
	ok "batch of 12 without --ip" N "$BOXTOP" batch bip --count 12 --net tn -- true
	got=$(bt ls --json | jq -r '[.[] | select(.name|startswith("bip-"))] | sort_by(.name | ltrimstr("bip-") | tonumber) | map(.ip) | join(" ")')
	want=$(for i in $(seq 2 13); do printf '10.66.0.%s ' "$i"; done)
	eq "batch addresses follow the names" "$got" "${want% }"
	N "$BOXTOP" rm --all --force >/dev/null 2>&1
else
	skip "batch addresses follow the names" "cannot create a network namespace"
fi

exit 0
