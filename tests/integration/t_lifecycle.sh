#!/usr/bin/env bash
# Container lifecycle: create, start, ls, stop, restart, rm; state that
# tells the truth after the monitor is killed; containers outlive boxtop.
. "$(dirname "$0")/lib.sh"

ok "create" bt create web -- sleep 1000
eq "ls shows created" "$(status_of web)" created
eq "created has pid 0" "$(pid_of web)" 0
eq "exit_code null before any run" "$(bt ls --json | jq -r '.[0].exit_code')" null
has "created is ISO 8601" "$(bt ls --json | jq -r '.[0].created')" "T"
eq "image is busybox" "$(bt ls --json | jq -r '.[0].image')" busybox

ok "start returns" bt start web
eq "running after start" "$(status_of web)" running
pid=$(pid_of web)
[ "$pid" -gt 0 ] && pass "running has a host pid" || fail "running has a host pid" "$pid"
# The container survives the command that started it: its init is not a
# child of any boxtop process still alive.
ok "init is alive after boxtop exited" kill -0 "$pid"
eq "init runs sleep" "$(tr '\0' ' ' </proc/$pid/cmdline)" "sleep 1000 "
no "start twice is refused" bt start web

ok "stop" bt stop web --time 1
eq "stopped after stop" "$(status_of web)" stopped
eq "exit code recorded (SIGKILL after grace)" "$(bt ls --json | jq -r '.[0].exit_code')" 137
no "init gone after stop" kill -0 "$pid"
ok "stop of a stopped container is fine" bt stop web

ok "restart a stopped container" bt start web
eq "running again" "$(status_of web)" running
pid2=$(pid_of web)
[ "$pid2" != "$pid" ] && pass "new init pid" || fail "new init pid"

# Kill -9 the monitor: ls must still tell the truth (running), and once the
# init dies too, stopped -- never a recycled pid mistaken for it.
mon=$(jq -r .monitor_pid "$(state_file web)")
kill -9 "$mon"
wait_for 5 sh -c "! kill -0 $mon 2>/dev/null"
eq "still running after monitor kill -9" "$(status_of web)" running
kill -9 "$pid2"
wait_for 5 sh -c "! kill -0 $pid2 2>/dev/null"
eq "stopped once init died without monitor" "$(status_of web)" stopped
# A state.json whose pid now belongs to another process is not "running".
sleep 1000 & other=$!
jq ".status=\"running\" | .pid=$other | .pid_start=1" "$(state_file web)" >"$T_ROOT/s.json" && mv "$T_ROOT/s.json" "$(state_file web)"
eq "recycled pid is not the container" "$(status_of web)" stopped
kill "$other"; wait "$other" 2>/dev/null

ok "rm" bt rm web
eq "gone from ls" "$(bt ls --json | jq length)" 0
[ ! -e "$T_ROOT/containers/web" ] && pass "state dir removed" || fail "state dir removed"

# rm refuses a running container without --force
bt create r1 -- sleep 1000 >/dev/null && bt start r1
err_is "rm running refused" 1 "r1.*running.*--force" bt rm r1
ok "rm --force" bt rm --force r1

# run: stdio attached, exit code passed through, --rm removes
eq "run prints" "$(bt run t1 --rm -- echo hello)" hello
bt run t2 --rm -- sh -c 'exit 7'; eq "run exit code" "$?" 7
eq "--rm removed" "$(bt ls --json | jq length)" 0
echo data | bt run t3 --rm -- sh -c 'read x; echo got-$x' >"$T_ROOT/out"; eq "run stdin" "$(cat "$T_ROOT/out")" got-data

# A layer thrown away at exit is mounted volatile (no sync of the disk
# under it at fsync or unmount, as podman does for --rm); a kept one not.
root_opts() { awk '$5 == "/" {print $NF}' "$1"; }
bt run t4 --rm -- cat /proc/self/mountinfo >"$T_ROOT/mi"
has "run --rm: writable layer is volatile" "$(root_opts "$T_ROOT/mi")" volatile
bt run t5 -- cat /proc/self/mountinfo >"$T_ROOT/mi"
no "run: writable layer is not volatile" grep -q volatile <<<"$(root_opts "$T_ROOT/mi")"
# A volatile layer that was not thrown away (boxtop killed during run --rm
# just after the mount) carries overlay's mark, which makes every later
# mount fail: a start of it clears the mark and keeps the layer.  The mark
# as overlay makes it: an empty file "dirty" in incompat/volatile.
bt rm t5
bt create t6 -- cat /kept >/dev/null
mkdir -p "$T_ROOT/containers/t6/work/work/incompat/volatile"
: >"$T_ROOT/containers/t6/work/work/incompat/volatile/dirty"
echo kept >"$T_ROOT/containers/t6/upper/kept"
eq "start after a lost run --rm" "$(bt start -a t6)" kept
no "volatile mark cleared" test -e "$T_ROOT/containers/t6/work/work/incompat"
bt rm t6
# ... and the mark of a running run --rm goes once its layer is mounted:
# nothing of it is left to remove (two synchronous discards here) at exit.
bt run t7 --rm -- sleep 1000 & t7=$!
wait_for 10 sh -c "[ \"\$($BOXTOP ls --json | jq -r '.[0].status')\" = running ]"
wait_for 10 test ! -e "$T_ROOT/containers/t7/work/work/incompat"
no "run --rm: the volatile mark goes while it runs" test -e "$T_ROOT/containers/t7/work/work/incompat"
eq "run --rm: its layer still volatile" "$(bt exec t7 -- cat /proc/self/mountinfo | awk '$5 == "/" {print $NF}' | grep -c volatile)" 1
bt kill t7 >/dev/null; wait $t7

# --all
bt create a1 -- sleep 1000 >/dev/null; bt create a2 -- sleep 1000 >/dev/null
ok "start --all" bt start --all
eq "all running" "$(bt ls --json | jq -r '[.[].status] | unique | join(",")')" running
ok "stop --all" bt stop --all --time 0
eq "all stopped" "$(bt ls --json | jq -r '[.[].status] | unique | join(",")')" stopped
ok "rm --all" bt rm --all
eq "none left" "$(bt ls --json | jq length)" 0

# Runtime state lives in memory (the run directory), config and writable
# layer on disk: info names both; rm of the last container takes the run
# directory with it.
bt create rs -- sleep 1000 >/dev/null && bt start rs
j=$(bt info rs --json)
eq "info: rundir" "$(echo "$j" | jq -r .rundir)" "$T_RUN/rs"
eq "info: dir" "$(echo "$j" | jq -r .dir)" "$T_ROOT/containers/rs"
eq "run directory is on tmpfs" "$(stat -f -c %T "$T_RUN")" tmpfs
ok "state.json in the run directory" test -s "$T_RUN/rs/state.json"
ok "console socket in the run directory" test -S "$T_RUN/rs/console.sock"
no "no state.json on disk" test -e "$T_ROOT/containers/rs/state.json"
# on no network, its hosts file is made at start with the state
has "hosts file in the run directory" "$(cat "$T_RUN/rs/hosts")" "	rs"
no "no hosts file on disk" test -e "$T_ROOT/containers/rs/hosts"
eq "hosts bind-mounted from there" "$(bt exec rs -- cat /etc/hosts)" "$(cat "$T_RUN/rs/hosts")"
echo "10.9.9.9 mine" >"$T_ROOT/myhosts"
eq "an /etc/hosts of its own is kept" "$(bt run hm --rm --mount "$T_ROOT/myhosts:/etc/hosts:ro" -- cat /etc/hosts)" "10.9.9.9 mine"
eq "run directory only for us" "$(stat -c %a "$T_RUN")" 700
ok "stop rs" bt stop --time 0 rs
# a reboot empties the run directory: the container is "created" again,
# keeps its creation time, and starts
created=$(bt info rs --json | jq -r .created)
rm -rf "$T_RUN"
eq "after a reboot: created" "$(status_of rs)" created
eq "after a reboot: creation time kept" "$(bt info rs --json | jq -r .created)" "$created"
ok "after a reboot: starts" bt start rs
eq "after a reboot: running" "$(status_of rs)" running
has "after a reboot: hosts names it again" "$(bt exec rs -- cat /etc/hosts)" "	rs"
ok "rm rs" bt rm --force rs
no "last rm removes the run directory" test -e "$T_RUN"
# a run directory someone else could write is refused, nothing made
mkdir -m 0777 "$T_RUN"
err_is "foreign run directory refused" 1 "runtime directory $T_RUN: writable by other users \(mode 777\): refused" bt create rx -- true
no "refused create left no container" test -e "$T_ROOT/containers/rx"
rmdir "$T_RUN"

# The console log is made with the first output: a quiet container has none,
# and `logs` of it prints nothing and succeeds.
bt create quiet -- sleep 1000 >/dev/null && bt start quiet
bt create talk -- sh -c 'echo said; sleep 1000' >/dev/null && bt start talk
wait_for 5 test -s "$T_ROOT/containers/talk/console.log"
no "quiet container: no log file" test -e "$T_ROOT/containers/quiet/console.log"
eq "quiet container: logs empty" "$(bt logs quiet; echo rc=$?)" "rc=0"
has "talking container: logged" "$(bt logs talk)" said
bt rm --force quiet talk >/dev/null
# ... and so is a symlink put in its place (it could point anywhere)
mkdir -m 0700 "$T_ROOT/elsewhere"; ln -s "$T_ROOT/elsewhere" "$T_RUN"
err_is "run directory as a symlink refused" 1 "runtime directory $T_RUN: not a directory" bt create ry -- true
eq "nothing written through the symlink" "$(ls -A "$T_ROOT/elsewhere" | wc -l)" 0
rm -f "$T_RUN"

# containers/ spreads its subdirectories over the filesystem (chattr +T)
# where the filesystem has the flag (ext4 here; tmpfs has none)
if lsattr -d "$T_ROOT/containers" >/dev/null 2>&1; then
	has "containers/ is a top directory (+T)" "$(lsattr -d "$T_ROOT/containers" | cut -d' ' -f1)" T
else
	skip "containers/ is a top directory (+T)" "no file attributes on this filesystem"
fi

# A removed container's directory is kept, emptied, for the next create
# (spare.h): the same inode comes back with nothing of the old container.
SP=$T_ROOT/containers/.spare
xattrs() { python3 -c 'import os, sys; print(" ".join(sorted(os.listxattr(sys.argv[1]))))' "$1"; }
bt create sp1 -- sh -c 'echo 1 >>/etc/hostname; mkdir /d; touch /d/f; chmod 700 /; chown 5:5 /' >/dev/null
bt start sp1 >/dev/null
wait_for 10 test "$(status_of sp1)" = stopped
has "overlayfs marked the container's / (trusted.overlay.*)" "$(xattrs "$T_ROOT/containers/sp1/upper")" trusted.overlay
ino=$(stat -c %i "$T_ROOT/containers/sp1")
bt rm sp1 >/dev/null
eq "rm: the directory kept as a spare" "$(stat -c %i "$SP"/*)" "$ino"
eq "spare: only the empty layer directories" "$(cd "$SP"/* && find . | sort | tr '\n' ' ')" ". ./upper ./work "
eq "spare: upper reset (mode, owner, no attributes)" "$(stat -c '%a %u %g' "$SP"/*/upper) [$(xattrs "$SP"/*/upper)]" "755 0 0 []"
eq "not listed" "$(bt ls --json | jq length)" 0
eq "run --rm takes the spare: a fresh /" "$(bt run --rm sp2 -- sh -c 'stat -c "%a %u" /; test -e /d && echo old || echo new; cat /etc/hostname')" "$(printf '755 0\nnew\nbusybox')"
eq "... and gives it back" "$(stat -c %i "$SP"/*)" "$ino"
bt create sp3 -- true >/dev/null
bt run --rm sp7 -- true
eq "none there: a new one made, and kept" "$(ls "$SP" | wc -l)" 1
err_is "an existing name with a spare there: refused" 1 "container 'sp3': already exists" bt create sp3 -- true
eq "... the spare stays" "$(ls "$SP" | wc -l)" 1
bt create --read-only sp4 -- true >/dev/null
eq "a read-only root takes no spare" "$(ls "$SP" | wc -l) $(ls "$T_ROOT/containers/sp4")" "1 config.json"
bt rm sp3 sp4 >/dev/null
eq "a read-only root gives none" "$(ls "$SP" | wc -l)" 2
# what is not like a fresh one is removed
bt run --rm sp5 -- sh -c 'for i in $(seq 300); do : >/a-rather-long-file-name-to-fill-blocks-$i; done' >/dev/null
eq "a / that grew past one block: not kept" "$(ls "$SP" | wc -l)" 1
bt create sp6 -- true >/dev/null
chattr +A "$T_ROOT/containers/sp6/upper" 2>/dev/null && {
	bt rm sp6 >/dev/null
	eq "a layer directory with an inode flag of its own: not kept" "$(ls "$SP" | wc -l)" 0
} || { skip "inode flags" "chattr failed"; bt rm sp6 >/dev/null; }
bt batch spb --count 20 -- true >/dev/null
bt rm --all --force >/dev/null
eq "at most 16 spares" "$(ls "$SP" | wc -l)" 16
eq "... all empty" "$(find "$SP" -mindepth 2 -maxdepth 2 | wc -l) $(find "$SP" -mindepth 3 | wc -l)" "32 0"

# `run` makes a new container: an existing name is refused, its command is
# never run again in place of the one given, and --rm never removes a
# container this command did not make (it used to run keep's old command,
# then remove keep and its writable layer).
bt run keep -- sh -c 'echo precious > /root/data.txt' >/dev/null
err_is "run on an existing name is refused" 1 "run keep: the name is in use by a container \(run it again: boxtop start -a keep\)" \
	bt run keep --rm -- echo throwaway
out=$(bt run keep -- echo new 2>/dev/null)
eq "... its old command is not run instead" "$out" ""
ok "... the container is still there" bt info keep
layer="$T_ROOT/containers/keep/upper/root/data.txt"
eq "... with its data" "$(cat "$layer" 2>/dev/null)" precious
# start -a runs the existing container again in the foreground
out=$(bt start -a keep; echo "rc=$?")
eq "start -a runs it in the foreground (exit code)" "$out" "rc=0"
eq "... with its own command" "$(bt ls --json | jq -r '.[] | select(.name=="keep") | .status')" stopped
bt create keep2 -- sh -c 'echo hi-from-keep2; exit 7' >/dev/null
out=$(bt start --attach keep2 2>&1); rc=$?
eq "start --attach: its output, its exit code" "$out rc=$rc" "hi-from-keep2 rc=7"
err_is "start -a takes one name" 2 "start --attach takes one container NAME" bt start -a keep keep2
bt rm keep keep2 >/dev/null
