#!/usr/bin/env bash
# freeze/thaw, kill of many processes, stop with and without a SIGTERM
# handler.
. "$(dirname "$0")/lib.sh"
prefix=$(bt debug-cgroup-prefix)

# freeze: status paused and a counter (the container's CPU time) that stops
bt create ctr -- sh -c 'while true; do :; done' >/dev/null
bt start ctr
# the container's CPU time: cgroup2's cpu.stat where boxtop counts there
# (a hybrid host, Linux 5.2+), else v1's cpuacct
usage() {
	local v1="/sys/fs/cgroup/cpuacct/$prefix/ctr/cpuacct.usage"
	if [ -e "$v1" ]; then cat "$v1"
	else awk '$1 == "usage_usec" {print $2}' "/sys/fs/cgroup/unified/$prefix/ctr/cpu.stat"; fi
}
if [ -d /sys/fs/cgroup/unified/"$prefix"/ctr ] && [ -d /sys/fs/cgroup/freezer ]; then
	no "hybrid host: no cgroup in v1's freezer (cgroup2 freezes)" test -d "/sys/fs/cgroup/freezer/$prefix/ctr"
	no "hybrid host: none in v1's cpuacct (cgroup2 counts)" test -d "/sys/fs/cgroup/cpuacct/$prefix/ctr"
	# what an older boxtop made there goes with the container
	bt create old -- sleep 1000 >/dev/null && bt start old
	mkdir -p "/sys/fs/cgroup/freezer/$prefix/old" "/sys/fs/cgroup/cpuacct/$prefix/old"
	bt rm --force old >/dev/null
	no "rm clears an older boxtop's v1 freezer and cpuacct cgroups" \
		test -d "/sys/fs/cgroup/freezer/$prefix/old" -o -d "/sys/fs/cgroup/cpuacct/$prefix/old"
fi
ok "freeze" bt freeze ctr
eq "status paused" "$(status_of ctr)" paused
a=$(usage); sleep 0.3; b=$(usage)
eq "CPU counter stops while frozen" "$b" "$a"
ok "thaw" bt thaw ctr
eq "status running" "$(status_of ctr)" running
sleep 0.3; c=$(usage)
[ "$c" != "$b" ] && pass "counter moves after thaw" || fail "counter moves after thaw" "$b -> $c"
ok "thaw of a running container is a no-op" bt thaw ctr
ok "stop a paused container" sh -c "$BOXTOP freeze ctr && $BOXTOP stop ctr --time 1"
eq "paused container stopped" "$(status_of ctr)" stopped
err_is "freeze of a stopped container" 1 "freeze ctr: not running" bt freeze ctr
# rm --force of a paused one: its processes are killed though frozen
bt create pz -- sh -c 'sleep 1000 & sleep 1000' >/dev/null; bt start pz; bt freeze pz
pzpids=$(cat /sys/fs/cgroup/pids/$(bt debug-cgroup-prefix)/pz/cgroup.procs 2>/dev/null || bt exec pz -- true)
ok "rm --force of a paused container" bt rm --force pz
gone=1; for p in $pzpids; do kill -0 "$p" 2>/dev/null && gone=0; done
eq "its processes are gone" "$gone" 1

# kill: a container with many processes goes at once
bt create many -- sh -c 'for i in $(seq 200); do sleep 1000 & done; wait' >/dev/null
bt start many
wait_for 10 sh -c "[ \$(cat /sys/fs/cgroup/pids/$prefix/many/pids.current 2>/dev/null || echo 0) -ge 200 ]"
n=$(cat /sys/fs/cgroup/pids/$prefix/many/pids.current)
[ "$n" -ge 200 ] && pass "200 processes running ($n)" || fail "200 processes running" "$n"
ok "kill" bt kill many
eq "killed container stopped" "$(status_of many)" stopped
eq "exit code 137" "$(bt ls --json | jq '.[] | select(.name=="many") | .exit_code')" 137
ok "no process left" test ! -d "/sys/fs/cgroup/pids/$prefix/many"

# kill --signal: a handler sees the signal
bt create hup -- sh -c 'trap "echo got-hup; exit 5" HUP; while true; do sleep 0.1; done' >/dev/null
bt start hup
sleep 0.3
ok "kill --signal HUP" bt kill hup --signal HUP
wait_for 5 sh -c "[ \"\$($BOXTOP ls --json | jq -r '.[] | select(.name==\"hup\") | .status')\" = stopped ]"
eq "handler exit code" "$(bt ls --json | jq '.[] | select(.name=="hup") | .exit_code')" 5
has "handler output in the log" "$(bt logs hup)" got-hup
err_is "bad signal" 2 "invalid signal 'NOPE'" bt kill hup --signal NOPE

# stop: an init with a TERM handler exits at once with its own code...
bt create term -- sh -c 'trap "exit 9" TERM; while true; do sleep 0.1; done' >/dev/null
bt start term; sleep 0.3
ok "stop (handler)" bt stop term --time 20
eq "handler's exit code, not SIGKILL" "$(bt ls --json | jq '.[] | select(.name=="term") | .exit_code')" 9
# ...one that ignores SIGTERM is killed after the grace time
bt create stubborn -- sh -c 'trap "" TERM; while true; do sleep 0.1; done' >/dev/null
bt start stubborn; sleep 0.3
ok "stop (ignored TERM)" bt stop stubborn --time 1
eq "killed after grace" "$(bt ls --json | jq '.[] | select(.name=="stubborn") | .exit_code')" 137
