#!/usr/bin/env bash
# cgroup limits on real containers: memory (OOM kill recorded), pids (a fork
# bomb is contained), CPU quota and shares written where the kernel reads them.
. "$(dirname "$0")/lib.sh"
prefix=$(bt debug-cgroup-prefix)

# memory: a hog far over the limit is OOM-killed, and the exit is recorded
bt create hog --memory 16M -- sh -c 'x=$(head -c 200000000 /dev/zero | tr "\0" a); echo survived' >/dev/null
eq "memory limit in the cgroup" "$(cat /sys/fs/cgroup/memory/$prefix/hog/memory.limit_in_bytes 2>/dev/null || echo absent)" absent
ok "start hog" bt start hog
wait_for 30 sh -c "[ \"\$($BOXTOP ls --json | jq -r '.[] | select(.name==\"hog\") | .status')\" = stopped ]"
eq "hog stopped" "$(status_of hog)" stopped
code=$(bt info hog --json | jq -r .exit_code)
[ "$code" = 137 ] || [ "$code" = 1 ] && pass "hog died of SIGKILL ($code)" || fail "hog died of SIGKILL" "exit $code"
eq "OOM kill recorded" "$(bt info hog --json | jq -r .oom_killed)" true
has "info says OOM" "$(bt info hog)" "OOM killed"
bt logs hog > "$T_ROOT/hoglog"; no "hog never survived" grep -q survived "$T_ROOT/hoglog"

# while running, the limit is where the kernel reads it
bt create lim --memory 64M --cpus 0.5 --cpu-shares 512 --pids 50 -- sleep 1000 >/dev/null
bt start lim
eq "memory.limit_in_bytes" "$(cat /sys/fs/cgroup/memory/$prefix/lim/memory.limit_in_bytes)" 67108864
eq "cpu.cfs_quota_us" "$(cat /sys/fs/cgroup/cpu/$prefix/lim/cpu.cfs_quota_us)" 50000
eq "cpu.cfs_period_us" "$(cat /sys/fs/cgroup/cpu/$prefix/lim/cpu.cfs_period_us)" 100000
eq "cpu.shares" "$(cat /sys/fs/cgroup/cpu/$prefix/lim/cpu.shares)" 512
eq "pids.max" "$(cat /sys/fs/cgroup/pids/$prefix/lim/pids.max)" 50
pid=$(pid_of lim)
has "init is in the container's cgroup" "$(cat /proc/$pid/cgroup)" "memory:/$prefix/lim"
eq "cgroup namespace: the container sees itself at /" "$(bt exec lim -- cat /proc/self/cgroup | grep memory)" "4:memory:/"
lim_json=$(bt info lim --json)
eq "info limits.memory" "$(echo "$lim_json" | jq .limits.memory)" 67108864
eq "info limits.pids" "$(echo "$lim_json" | jq .limits.pids)" 50
eq "info limits.cpus" "$(echo "$lim_json" | jq .limits.cpus)" 0.5
eq "config.json holds OCI resources" "$(echo "$lim_json" | jq .config.linux.resources.memory.limit)" 67108864
bt rm -f lim >/dev/null
# A pids limit by default (podman's 2048): a fork bomb in a container
# started with no options stops there; --pids max lifts it on purpose.
bt create dflt -- sleep 1000 >/dev/null && bt start dflt
eq "default pids.max" "$(cat /sys/fs/cgroup/pids/$prefix/dflt/pids.max)" 2048
eq "... shown by info" "$(bt info dflt --json | jq .limits.pids)" 2048
bt create nolim --pids max -- sleep 1000 >/dev/null && bt start nolim
eq "--pids max: no limit" "$(cat /sys/fs/cgroup/pids/$prefix/nolim/pids.max)" max
bt rm -f dflt nolim >/dev/null
ok "cgroup removed with the container" test ! -d "/sys/fs/cgroup/memory/$prefix/lim"

# pids: a fork bomb is contained by pids.max and the host is unharmed.
# init only starts the bomb and then forks no more (a shell whose own fork
# fails would exit and end the test early).
bt create bomb --pids 40 -- sh -c '(b() { b & b & wait; }; b) & exec sleep 1000' >/dev/null
bt start bomb
events="/sys/fs/cgroup/pids/$prefix/bomb/pids.events"
wait_for 10 sh -c "[ \$(awk '/^max/ {print \$2}' $events 2>/dev/null || echo 0) -gt 0 ]"
hits=$(awk '/^max/ {print $2}' "$events")
[ "${hits:-0}" -gt 0 ] && pass "the bomb hit pids.max ($hits forks refused)" || fail "the bomb hit pids.max" "${hits:-no events}"
n=$(cat /sys/fs/cgroup/pids/$prefix/bomb/pids.current)
[ "$n" -le 40 ] && pass "fork bomb held at pids.max ($n)" || fail "fork bomb held" "$n"
eq "bombed container still running" "$(status_of bomb)" running
ok "host can still fork" /bin/true
ok "kill the bomb" bt kill bomb
eq "bomb stopped" "$(status_of bomb)" stopped
ok "bomb cgroup gone" test ! -d "/sys/fs/cgroup/pids/$prefix/bomb"
