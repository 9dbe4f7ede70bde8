#!/usr/bin/env bash
# The command line people already know: options where docker users put
# them, combined short flags.
. "$(dirname "$0")/lib.sh"
bt create cx -- sleep 1000 >/dev/null && bt start cx

eq "exec NAME -- CMD" "$(bt exec cx -- echo a)" a
eq "exec -it NAME CMD (combined, before NAME)" "$(bt exec -it cx echo b </dev/null | tr -d '\r')" b
has "exec NAME -t -- CMD (the README's order): a tty" "$(bt exec cx -t -- tty </dev/null)" /dev/pts/
eq "exec NAME -i -- CMD: stdin reaches it" "$(echo in | bt exec cx -i -- cat)" in
err_is "exec: an unknown flag after NAME names the command" 2 "^boxtop: exec: unknown option '-x'" bt exec cx -x
eq "exec: flags after the command are the command's" "$(bt exec cx -- sh -c 'echo -t')" -t

bt rm -f cx >/dev/null
# ps (docker's: running ones, -a all), ls (all), -q, --filter, --format json
bt create p-run -- sleep 1000 >/dev/null && bt start p-run
bt create p-new -- true >/dev/null
bt run p-done -- sh -c 'exit 3' >/dev/null
eq "ps: the running ones" "$(bt ps -q | sort | tr '\n' ' ')" "p-run "
eq "ps -a: all" "$(bt ps -aq | sort | tr '\n' ' ')" "p-done p-new p-run "
eq "ls: all" "$(bt ls -q | sort | tr '\n' ' ')" "p-done p-new p-run "
eq "--filter status=created" "$(bt ps -a --filter status=created -q)" p-new
eq "--filter name= (a part of it), twice: either" "$(bt ps -a --filter name=done --filter name=new -q | sort | tr '\n' ' ')" "p-done p-new "
eq "--filter name= and status=: both" "$(bt ps -a -f name=p- -f status=stopped -q)" p-done
eq "--filter image=" "$(bt ps -a --filter image=busybox -q | wc -l)" 3
eq "--format json" "$(bt ps --format json | jq -r '.[].name')" p-run
eq "ps shows the whole exit code" "$(bt ps -a -f name=done | awk 'NR==2 {print $2, $3}')" "exit 3"
err_is "--filter with an unknown key" 2 "invalid --filter 'colour=red': expected status=, name= or image=" bt ps --filter colour=red
err_is "--filter status= of no state" 2 "invalid --filter 'status=up': status is created, running, paused or stopped" bt ps --filter status=up
err_is "--format other than json" 2 "invalid --format 'table'" bt ps --format table
bt rm -f p-run p-new p-done >/dev/null

# run -d: created and started under its monitor, the name printed; with
# --rm the monitor removes it when its init exits.
eq "run -d prints the name" "$(bt run -d dt -- sleep 1000)" dt
eq "... and it runs on" "$(status_of dt)" running
eq "run NAME -d --rm (flags after NAME)" "$(bt run dr -d --rm -- sh -c 'sleep 0.3')" dr
ok "... removed by its monitor when it exits" wait_for 10 sh -c "! $BOXTOP info dr"
eq "... nothing of it left on disk" "$(ls "$T_ROOT/containers")" dt
bt rm -f dt >/dev/null

# stats: live figures from the kernel's counters
prefix=$(bt debug-cgroup-prefix)
bt run -d busy --memory 64M -- sh -c 'while :; do :; done' >/dev/null
bt run -d idle -- sleep 1000 >/dev/null
js=$(bt stats --no-stream --json)
eq "stats --json: a row for each running one" "$(echo "$js" | jq -r '.[].name' | sort | tr '\n' ' ')" "busy idle "
eq "stats: memory limit as the kernel has it" "$(echo "$js" | jq '.[] | select(.name=="busy") | .mem_limit')" "$(cat /sys/fs/cgroup/memory/$prefix/busy/memory.limit_in_bytes)"
eq "stats: pids as the kernel counts them" "$(echo "$js" | jq '.[] | select(.name=="idle") | .pids')" "$(cat /sys/fs/cgroup/pids/$prefix/idle/pids.current)"
busy=$(echo "$js" | jq '.[] | select(.name=="busy") | .cpu_pct | floor')
idle=$(echo "$js" | jq '.[] | select(.name=="idle") | .cpu_pct | floor')
[ "$busy" -gt 10 ] && [ "$idle" -lt 5 ] && pass "stats: a spinning container uses CPU, a sleeping one none ($busy, $idle)" || fail "stats: CPU %" "busy $busy idle $idle"
out=$(bt stats --no-stream idle)
has "stats NAME: its row" "$out" "idle"
no "stats NAME: only its row" grep -q "^busy" <<<"$out"
err_is "stats of no such container" 1 "container 'nosuch': no such container" bt stats --no-stream nosuch
bt rm -f busy idle >/dev/null

# top: the processes with both PIDs, as the kernel numbers them
bt run -d tp -- sh -c 'sleep 1000 & sleep 2000' >/dev/null
js=$(bt top tp --json)
init=$(pid_of tp)
eq "top: the init is PID 1 inside, its host PID outside" "$(echo "$js" | jq -r ".[] | select(.pid==$init) | .ns_pid")" 1
child=$(echo "$js" | jq -r ".[] | select(.ppid==$init) | .pid")
eq "top: its child's PID inside is the kernel's NSpid" "$(echo "$js" | jq -r ".[] | select(.pid==$child) | .ns_pid")" "$(awk '/^NSpid:/ {print $NF}' /proc/$child/status)"
has "top: the table" "$(bt top tp)" "sleep 1000"
bt create tq -- true >/dev/null
err_is "top of a container that is not running" 1 "top tq: not running \(created\)" bt top tq
bt rm -f tp tq >/dev/null

# docker's create options: --entrypoint, --workdir/-w, --user/-u, --env-file, -e
printf '# comment\n\nA=1\nB=two words\nFROM_HOST\n' >"$T_ROOT/envf"
eq "--env-file: KEY=VALUE lines, comments skipped, a bare KEY from the caller" \
	"$(FROM_HOST=h bt run ef --rm --env-file "$T_ROOT/envf" -e C=3 -- sh -c 'echo "$A|$B|$FROM_HOST|$C"')" "1|two words|h|3"
err_is "--env-file that is not there" 2 "env-file '$T_ROOT/nope': No such file" bt run ef2 --rm --env-file "$T_ROOT/nope" -- true
printf 'GOOD=1\n=bad\n' >"$T_ROOT/envbad"
err_is "--env-file with a bad line names it" 2 "env-file '$T_ROOT/envbad': line 2: expected KEY=VALUE" bt run ef3 --rm --env-file "$T_ROOT/envbad" -- true
eq "--workdir" "$(bt run wd --rm --workdir /tmp -- pwd)" /tmp
eq "-w" "$(bt run wd2 --rm -w /etc -- pwd)" /etc
err_is "--workdir relative refused" 1 "invalid workdir 'tmp': must be an absolute path" bt run wd3 --rm --workdir tmp -- pwd
eq "--user UID:GID: the process runs as it" "$(bt run us --rm --user 1000:1001 -- sh -c 'id -u; id -g' | tr '\n' ' ')" "1000 1001 "
eq "-u UID: gid the same" "$(bt run us2 --rm -u 1234 -- id -g)" 1234
err_is "--user by name refused with the reason" 1 "invalid user 'nobody': expected UID\[:GID\], numbers" bt run us3 --rm --user nobody -- true
eq "--entrypoint replaces the command's start" "$(bt run ep --rm --entrypoint /bin/echo -- hello)" hello
no "... nothing left" test -e "$T_ROOT/containers/ef2"

# restart: stopped (all at once, as stop) and started again: a new init
bt run -d rs1 -- sleep 1000 >/dev/null
bt run -d rs2 -- sh -c 'trap "" TERM; while :; do sleep 1; done' >/dev/null
p1=$(pid_of rs1); p2=$(pid_of rs2)
ok "restart two (one ignores SIGTERM)" bt restart --time 1 rs1 rs2
eq "... both running again" "$(status_of rs1) $(status_of rs2)" "running running"
no "... with new inits" test "$(pid_of rs1)" = "$p1" -o "$(pid_of rs2)" = "$p2"
bt create rs3 -- sleep 1000 >/dev/null
ok "restart of a created one starts it" bt restart rs3
eq "... running" "$(status_of rs3)" running
err_is "restart of no such container" 1 "no such container" bt restart nosuch
bt rm -f rs1 rs2 rs3 >/dev/null

# logs --tail N (-n): the last N lines, the unfinished last one counted
bt run -d lg -- sh -c 'for i in 1 2 3 4 5; do echo line$i; done; printf partial; sleep 1000' >/dev/null
wait_for 10 sh -c "$BOXTOP logs lg | grep -q partial"
eq "logs --tail 2" "$(bt logs lg --tail 2 | tr -d '\r' | tr '\n' ' ')" "line5 partial"
eq "logs -n 1" "$(bt logs lg -n 1)" partial
eq "logs --tail 0" "$(bt logs lg --tail 0)" ""
eq "logs --tail all" "$(bt logs lg --tail all | wc -l)" 5
eq "logs --tail past the start: all" "$(bt logs lg --tail 100 | head -n 1 | tr -d '\r')" line1
err_is "logs --tail of no number" 2 "invalid --tail 'x'" bt logs lg --tail x
bt rm -f lg >/dev/null

# restart policies, kept by the monitor
bt run -d rf --restart on-failure:2 -- sh -c 'exit 3' >/dev/null
ok "on-failure:2: restarted twice, then left" wait_for 20 sh -c "$BOXTOP info rf --json | jq -e '.restart_count == 2 and .status == \"stopped\" and .restarting == false' >/dev/null"
bt run -d ra --restart always -- sh -c 'sleep 0.2' >/dev/null
ok "always: restarts after a clean exit" wait_for 20 sh -c "$BOXTOP info ra --json | jq -e '.restart_count >= 1' >/dev/null"
ok "stop by hand: not restarted" bt stop --time 1 ra
sleep 1
eq "... still stopped" "$(status_of ra)" stopped
bt run -d rk --restart always -- sleep 1000 >/dev/null
ok "kill by hand" bt kill rk
eq "... stays dead" "$(status_of rk)" stopped
eq "info names the policy" "$(bt info rk --json | jq -r .restart_policy)" always
err_is "an unknown policy" 1 "invalid restart policy 'sometimes'" bt create rx --restart sometimes
bt create ru --restart unless-stopped -- sleep 1000 >/dev/null
bt create rn -- sleep 1000 >/dev/null
eq "start --boot: always and unless-stopped ones" "$(bt start --boot | sort | tr '\n' ' ')" "ra rk ru "
bt stop --time 0 ru >/dev/null
ok "unless-stopped stopped by hand: remembered on disk" test -e "$T_ROOT/containers/ru/stopped"
eq "... so start --boot leaves it" "$(bt start --boot | grep -c ru)" 0
bt rm -f rf ra rk ru rn >/dev/null

exit $((T_FAILS > 0))
