#!/usr/bin/env bash
# exec into a running container and attach to its console through a pty.
. "$(dirname "$0")/lib.sh"
TM="bt-attach-$$"
at_cleanup "tmux kill-session -t $TM"

bt create ex -- sh -c 'echo console-ready; while read line; do echo "echo:$line"; done' >/dev/null
bt start ex
init=$(pid_of ex)

# exec: every namespace of the container and its cgroup
eq "exec runs inside (hostname)" "$(bt exec ex -- hostname)" ex
has "exec sees the container's pid 1" "$(bt exec ex -- ps)" "while read line"
[ "$(bt exec ex -- sh -c 'echo $$')" -lt 100 ] && pass "exec is in the pid namespace" || fail "exec is in the pid namespace"
eq "exec joins the mount namespace" "$(readlink /proc/$init/ns/mnt)" "$(bt exec ex -- sh -c 'readlink /proc/self/ns/mnt')"
eq "exec joins the net namespace" "$(readlink /proc/$init/ns/net)" "$(bt exec ex -- sh -c 'readlink /proc/self/ns/net')"
has "exec caps are the container's" "$(bt exec ex -- cat /proc/self/status)" "CapEff:	00000000a80425fb"
has "exec has no_new_privs" "$(bt exec ex -- cat /proc/self/status)" "NoNewPrivs:	1"
bt exec ex -- sh -c 'exit 42'; eq "exec exit code" "$?" 42
err_is "exec of a missing binary" 1 "exec ex: exec '/nope'" bt exec ex -- /nope

# exec without -t: stdio through pipes the front copies (never the
# caller's own files, t_confine_exec.sh): both ways, stderr apart, EOF
eq "exec stdio are pipes" "$(bt exec ex -- sh -c 'for i in 0 1 2; do readlink /proc/self/fd/$i; done' | cut -d: -f1 | sort -u)" pipe
eq "exec stdin EOF reaches the command" "$(printf 'a\nb\n' | bt exec ex -- sh -c 'n=0; while read l; do n=$((n+1)); done; echo lines-$n')" lines-2
eq "exec stdin closed: EOF at once" "$(bt exec ex -- cat <&-)" ""
bt exec ex -- sh -c 'echo to-out; echo to-err >&2' >"$T_ROOT/eo.out" 2>"$T_ROOT/eo.err"
eq "exec stdout apart" "$(cat "$T_ROOT/eo.out")" to-out
eq "exec stderr apart" "$(cat "$T_ROOT/eo.err")" to-err
head -c 3000000 /dev/urandom >"$T_ROOT/big"
ok "exec copies 3 MB in and out unchanged" sh -c "$BOXTOP exec ex -- cat <'$T_ROOT/big' | cmp - '$T_ROOT/big'"
bt exec ex -- sh -c 'cat >/dev/null; yes' </dev/null | head -n 1 >/dev/null
eq "exec: a closed reader stops the command (SIGPIPE)" "${PIPESTATUS[0]}" 141
out=$(timeout 20 "$BOXTOP" exec ex -- sh -c 'sleep 30 & echo started'); rc=$?
eq "exec returns when the command exits, not when its background child does" "$rc $out" "0 started"
# signals to the front reach the command (it has a session of its own)
# (the binary itself: $! of a shell function would be a subshell)
"$BOXTOP" exec ex -- sh -c 'trap "echo got-term; exit 7" TERM; echo ready; while true; do sleep 0.1; done' >"$T_ROOT/sig.out" &
front=$!
wait_for 10 grep -q ready "$T_ROOT/sig.out"
kill -TERM $front
wait $front; rc=$?
eq "SIGTERM to exec reaches the command (its exit code)" "$rc" 7
has "... which handled it" "$(cat "$T_ROOT/sig.out")" got-term
err_is "exec into a stopped container" 1 "exec gone: not running|no such container" bt exec gone -- true

# exec -t: a pty from the container's devpts, through tmux as a real terminal
tmux new-session -d -s "$TM" -x 100 -y 20 "env BOXTOP_ROOT=$T_ROOT $BOXTOP exec -t ex -- sh"
wait_for 5 sh -c "tmux capture-pane -p -t $TM | grep -q '#'"
tmux send-keys -t "$TM" "tty; echo marker-\$((6*7))" Enter
wait_for 5 sh -c "tmux capture-pane -p -t $TM | grep -q marker-42"
screen=$(tmux capture-pane -p -t "$TM")
has "exec -t runs commands" "$screen" "marker-42"
has "exec -t has a tty inside" "$screen" "/dev/pts/"
tmux send-keys -t "$TM" "exit" Enter
wait_for 5 sh -c "! tmux has-session -t $TM 2>/dev/null"
ok "exec -t ends with the shell" sh -c "! tmux has-session -t $TM 2>/dev/null"

# An idle monitor gives its pages back (core/monitor_trim.c): its idle code
# gets a mapping of its own, libc's code is dropped and stays dropped (the
# idle loop calls the kernel directly).  libc is a mapping of its own when
# linked shared (STATIC=0, make asan), part of boxtop's when static.  The attach below then proves that a
# trimmed monitor still wakes and serves.
mon=$(ps -o ppid= -p "$init" | tr -d ' ')
exe=$(readlink "/proc/$mon/exe")
text_rss() { # kB of code resident from mappings whose path matches $1
	awk -v pat="$1" '/^[0-9a-f]+-[0-9a-f]+ /{m = ($2 ~ /x/ && $6 ~ pat); next}
		m && /^Rss:/{s += $2} END{print s + 0}' "/proc/$mon/smaps"
}
wait_for 10 sh -c "[ \$(grep -c ' r-xp .*$exe\$' /proc/$mon/maps) -ge 2 ]"
ok "idle monitor maps its idle code on its own" sh -c "[ \$(grep -c ' r-xp .*$exe\$' /proc/$mon/maps) -ge 2 ]"
eq "idle monitor keeps no libc code resident" "$(text_rss '/libc[.-]')" 0
# at most the pages the idle section spans (2 in an -O2 build, more with
# sanitizers), never the 64 kB of a fault-around window
read -r a b < <(nm "$exe" 2>/dev/null | awk '/__start_boxtop_idle_text/{a=$1} /__stop_boxtop_idle_text/{b=$1} END{print a, b}')
idle=16
[ -n "$a" ] && [ -n "$b" ] && idle=$(( ((16#$b - 1) / 4096 - 16#$a / 4096 + 1) * 4 ))
r=$(text_rss "^$exe\$")
[ "$r" -le "$idle" ] && pass "idle monitor keeps only its idle code resident ($r of <= $idle kB)" ||
	fail "idle monitor keeps only its idle code resident" "$r kB, the idle section spans $idle kB"

# attach: see the console, type into it, detach with Ctrl-a q
tmux new-session -d -s "$TM" -x 100 -y 20 "env BOXTOP_ROOT=$T_ROOT $BOXTOP attach ex; echo DETACHED; sleep 30"
wait_for 5 sh -c "tmux capture-pane -p -t $TM | grep -q 'attached to ex'"
tmux send-keys -t "$TM" "hello-console" Enter
wait_for 5 sh -c "tmux capture-pane -p -t $TM | grep -q 'echo:hello-console'"
has "attach relays input and output" "$(tmux capture-pane -p -t "$TM")" "echo:hello-console"
tmux send-keys -t "$TM" C-a q
wait_for 5 sh -c "tmux capture-pane -p -t $TM | grep -q DETACHED"
has "Ctrl-a q detaches" "$(tmux capture-pane -p -t "$TM")" "DETACHED"
eq "container keeps running after detach" "$(status_of ex)" running
has "console output is in the log" "$(bt logs ex)" "echo:hello-console"
tmux kill-session -t "$TM" 2>/dev/null

# attach ends when the container exits
tmux new-session -d -s "$TM" -x 100 -y 20 "env BOXTOP_ROOT=$T_ROOT $BOXTOP attach ex; echo ENDED; sleep 30"
wait_for 5 sh -c "tmux capture-pane -p -t $TM | grep -q 'attached to ex'"
bt kill ex
wait_for 5 sh -c "tmux capture-pane -p -t $TM | grep -q ENDED"
has "attach ends with the container" "$(tmux capture-pane -p -t "$TM")" "ENDED"
err_is "attach to a stopped container" 1 "attach ex: not running" bt attach ex

# logs are bounded: a chatty container rotates its log
bt create chatty -- sh -c 'i=0; while [ $i -lt 40000 ]; do echo "line $i padding padding padding"; i=$((i+1)); done' >/dev/null
bt start chatty
wait_for 30 sh -c "[ \"\$($BOXTOP ls --json | jq -r '.[] | select(.name==\"chatty\") | .status')\" = stopped ]"
size=$(cat "$T_ROOT"/containers/chatty/console.log* | wc -c)
[ "$size" -le $((1024 * 1024 + 16384)) ] && pass "console log bounded ($size bytes)" || fail "console log bounded" "$size"
has "log keeps the newest lines" "$(bt logs chatty | tail -n 1)" "line 39999"
