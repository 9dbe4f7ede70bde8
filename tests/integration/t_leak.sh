#!/usr/bin/env bash
# 100 create/start/rm cycles leave no mount, cgroup, process, netns, fd of
# a monitor or state file behind.
. "$(dirname "$0")/lib.sh"
prefix=$(bt debug-cgroup-prefix)
bt run warm --rm -- true   # the image is made once, before counting
before=$(leak_snapshot)
fails=0
for i in $(seq 100); do
	bt create "c$i" -- sleep 1000 >/dev/null && bt start "c$i" && bt rm --force "c$i" || fails=$((fails + 1))
done
eq "100 cycles succeeded" "$fails" 0
sleep 0.2
eq "no leak after 100 create/start/rm cycles" "$(leak_snapshot)" "$before"
# A monitor holds only what it needs: the pty master, its log, its socket,
# a pidfd of init and the report pipe -- no fd of the front end.
bt create fdc -- sleep 1000 >/dev/null; bt start fdc
mon=$(jq -r .monitor_pid "$(state_file fdc)")
nfd=$(ls /proc/$mon/fd | wc -l)
[ "$nfd" -le 8 ] && pass "monitor holds few fds ($nfd)" || fail "monitor holds few fds" "$nfd: $(ls -l /proc/$mon/fd | tail -n +2)"
init=$(pid_of fdc)
eq "init holds only stdio" "$(ls /proc/$init/fd | tr '\n' ' ')" "0 1 2 "
# The root's parent cgroup: kept by run --rm (it is what every run joins),
# removed by rm once nothing runs.
bt rm --force fdc >/dev/null
bt run keep --rm -- true
n=$(find /sys/fs/cgroup -maxdepth 2 -name "$prefix" | wc -l)
[ "$n" -gt 0 ] && pass "run --rm keeps the parent cgroup ($n)" || fail "run --rm keeps the parent cgroup"
bt create last -- true >/dev/null; ok "rm last" bt rm last
eq "rm removes the parent cgroup" "$(find /sys/fs/cgroup -maxdepth 2 -name "$prefix" | wc -l)" 0
