#!/usr/bin/env bash
# t_confine_exec.sh - `boxtop exec`, `run` and the screen against a hostile
# container.  Each part plays the container and fails if its attack works:
#  - exec's helper, held just before its execve inside the container: no fd
#    of the host visible through /proc/PID/fd, its /proc/PID/exe (the host's
#    boxtop binary) cannot be opened; the running command holds no host fd;
#  - TIOCSTI: a container process pushes a command into the caller's
#    terminal, which the caller's shell would run once boxtop returns;
#  - a redirected stdout (`exec ... >FILE`, `run ... >FILE`) is not the
#    host file inside: it cannot be read, truncated or appended to there;
#  - the screen names users from the container's /etc/passwd: a symlink to
#    a host file shows nothing of it, a FIFO does not hang the screen.
. "$(dirname "$0")/lib.sh"
FX=$(cd "$(dirname "$0")/../fixtures/confine" && pwd)
BX=$(readlink -f "$BOXTOP")

# lacks NAME HAYSTACK NEEDLE
lacks() {
	case "$2" in *"$3"*) fail "$1" "'$3' in '$(echo "$2" | grep -F -- "$3" | head -c 300)'" ;; *) pass "$1" ;; esac
}

# the container's tools, mounted read-only at /t
TB=$T_ROOT/t
mkdir -p "$TB"
cp "$FX/scan_fds.sh" "$FX/grab_stdout.sh" "$TB/"
have_cc=0
cc -static -O1 -o "$TB/tiocsti" "$FX/tiocsti.c" 2>/dev/null && have_cc=1

bt create c --mount "$TB:/t:ro" -- sh -c 'while true; do sleep 1; done' >/dev/null
bt start c
init=$(pid_of c)
[ -n "$init" ] && [ "$init" != 0 ] || { fail "setup: container c runs"; exit 1; }
ns=$(readlink /proc/$init/ns/pid)

# A process of the container (pid namespace) running the host's boxtop:
# exec's helper before its execve.
helper_in() {
	local p
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = "$init" ] && continue
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$BX" ] &&
			[ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$ns" ] &&
			{ echo "${p#/proc/}"; return 0; }
	done
	return 1
}
# host pid of the container process whose command line starts with $1
host_pid_of() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$ns" ] || continue
		case "$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)" in "$1"*) echo "${p#/proc/}"; return 0 ;; esac
	done
	return 1
}

# ---- exec's helper just before its execve, then the command ---------------
# strace holds the command's execve at its entry (the helper is then in
# every namespace, with the container's capabilities) until strace is
# killed, which lets it go on.  fd 7, a host directory the caller holds
# without close-on-exec, stands for a front end's (the TUI's) files.
if command -v strace >/dev/null; then
	strace -f -qq -o /dev/null -P /bin/sleep -e trace=execve \
		-e inject=execve:delay_enter=600000000 \
		"$BOXTOP" exec c -- /bin/sleep 600 >"$T_ROOT/victim.out" 2>&1 7<"$T_ROOT" &
	st=$!
	at_cleanup "kill -KILL $st"
	if wait_for 20 helper_in; then
		gc=$(helper_in)
		scan=$(bt exec c -- /t/scan_fds.sh 2>&1)
		has "fd scan ran (helper held)" "$scan" SCAN-DONE
		eq "the helper was looked at before its execve" \
			"$(readlink /proc/$gc/exe 2>/dev/null)" "$BX"
		lacks "exec's helper before execve: no fd of the host in reach" "$scan" LEAK
		lacks "exec's helper before execve: its exe (host boxtop) cannot be opened" "$scan" EXE
	else
		fail "exec's helper held before its execve" "no such process seen"
	fi
	front=$(cat /proc/$st/task/*/children 2>/dev/null)
	kill -KILL $st
	wait $st 2>/dev/null
	if wait_for 20 host_pid_of "/bin/sleep 600"; then
		scan=$(bt exec c -- /t/scan_fds.sh 2>&1)
		has "fd scan ran (command running)" "$scan" SCAN-DONE
		victim=$(host_pid_of "/bin/sleep 600")
		ok "the command was looked at while it ran" test -n "$victim"
		lacks "exec'd command: no fd of the host (stdio, inherited fd 7)" "$scan" LEAK
		[ -n "$victim" ] && kill "$victim"
	else
		fail "exec'd command runs after its helper is let go" "$(cat "$T_ROOT/victim.out")"
	fi
	[ -n "$front" ] && wait_for 20 sh -c "! [ -d /proc/$front ]"
else
	skip "exec's helper before execve" "strace not installed"
fi

# ---- TIOCSTI into the caller's terminal ------------------------------------
# A pty of our own plays the admin's terminal; after `boxtop exec` returns,
# the "shell" there runs the next line it reads, as an interactive one
# would.  The container pushes `touch $pwned` into whatever terminal it
# holds; we type `true` once boxtop has returned.
if [ $have_cc = 1 ]; then
	pwned=$T_ROOT/pwned
	out=$(python3 - "$BOXTOP exec c -- /t/tiocsti 'touch $pwned'; echo EXEC-DONE; read line; eval \"\$line\"; echo SHELL-DONE" <<'EOF'
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp("sh", ["sh", "-c", sys.argv[1]])
out, sent = b"", False
end = time.monotonic() + 60  # a bound on waiting, not a timing check
while time.monotonic() < end:
    r, _, _ = select.select([fd], [], [], 1)
    if not r:
        continue
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    out += data
    if not sent and b"EXEC-DONE" in out:
        os.write(fd, b"true\n")
        sent = True
os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
EOF
)
	has "TIOCSTI: the caller's shell went on" "$out" SHELL-DONE
	ok "TIOCSTI: nothing the container pushes reaches the caller's terminal" test ! -e "$pwned"
	lacks "TIOCSTI: no terminal of the caller in the container's reach" "$out" PUSHED
else
	skip "TIOCSTI into the caller's terminal" "no static C compiler"
fi

# ---- a redirected stdout is not the host file inside -----------------------
secret="canary-secret-$$"
canary=$T_ROOT/canary.out
printf '%s\n' "$secret" >"$canary"
chmod 600 "$canary"
# the victim waits for the container's own /tmp/go, made after the attack
bt exec c -- sh -c 'm=victim-mark; i=0; while [ ! -e /tmp/go ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; echo hi' >>"$canary" 2>/dev/null &
vfront=$!
if wait_for 20 host_pid_of "sh -c m=victim-mark"; then
	cpid=$(awk '/^NSpid/{print $NF}' /proc/"$(host_pid_of "sh -c m=victim-mark")"/status)
	grab=$(bt exec c -- /t/grab_stdout.sh "$cpid" 2>&1)
	wait $vfront
	has "redirected stdout: the container holds a pipe" "$grab" "type: p"
	lacks "redirected stdout: the container cannot read the file" "$grab" "$secret"
	eq "redirected stdout: nor truncate it" "$(head -n 1 "$canary")" "$secret"
	lacks "redirected stdout: nor append to it" "$(cat "$canary")" APPENDED
	eq "redirected stdout: the command's output arrives" "$(tail -n 1 "$canary")" hi
else
	fail "redirected stdout: the victim runs"
	kill $vfront 2>/dev/null
fi
# run in the foreground without a terminal: the same for init's stdio
bt run --rm r1 -- sh -c 'for i in 0 1 2; do readlink /proc/self/fd/$i; done' \
	>"$T_ROOT/run.out" 2>"$T_ROOT/run.err" </dev/null
eq "run: init's stdio are pipes" "$(cut -d: -f1 "$T_ROOT/run.out" | sort -u | tr '\n' ' ')" "pipe "

# ---- the screen reads /etc/passwd inside the container ----------------------
# pw: /etc/passwd a symlink to a host file naming uid 0; ff: a FIFO nobody
# writes (a plain open would block the screen for good).
printf 'hostcnry:x:0:0::/:/bin/sh\n' >"$T_ROOT/hostpasswd"
for n in pw ff; do
	bt create $n -- sh -c 'while true; do sleep 1; done' >/dev/null
	mkdir -p "$T_ROOT/containers/$n/upper/etc"
done
ln -s "$T_ROOT/hostpasswd" "$T_ROOT/containers/pw/upper/etc/passwd"
mkfifo "$T_ROOT/containers/ff/upper/etc/passwd"
bt start pw ff
# top (the same process list as the screen's detail pane)
tp=$(timeout 20 "$BOXTOP" top pw 2>&1)
has "top: pw's processes listed" "$tp" "while true"
lacks "top: a passwd symlink to a host file shows nothing of it" "$tp" hostcnry
tp=$(timeout 20 "$BOXTOP" top ff 2>&1); rc=$?
eq "top: a FIFO passwd does not hang it" "$rc" 0
. "$(dirname "$0")/tui_lib.sh"
# the detail pane of one container: filter to it, Tab
detail_of() {
	tui_open 100 30 "$BOXTOP"
	wait_for 15 screen_has F1Help
	keys /; keys -l "$1"; keys Enter
	wait_for 15 screen_has "^$1 +running"
	keys Tab
	wait_for 15 screen_has 'PID USER'
}
detail_of pw
wait_screen "screen: pw's processes listed (uid 0 unnamed)" '[0-9]+ 0 +[0-9]+\.[0-9] '
if screen_lacks hostcnry; then pass "screen: a passwd symlink to a host file shows nothing of it"
else fail "screen: a passwd symlink to a host file shows nothing of it" "$(screen | grep hostcnry | head -n 1)"; fi
detail_of ff
wait_screen "screen: a FIFO passwd does not hang it (processes listed)" '[0-9]+ 0 +[0-9]+\.[0-9] '
bt create late -- sleep 600 >/dev/null
running=$(bt ls --json | jq '[.[] | select(.status == "running")] | length')
bt start late
wait_screen "screen: still refreshing after the FIFO" "$((running + 1)) running"
