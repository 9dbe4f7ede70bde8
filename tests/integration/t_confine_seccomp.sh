#!/usr/bin/env bash
# The seccomp filter, played as the hostile container: with the default
# profile (Docker's) it cannot make a user namespace, mount, reach the
# host's kernel keyring (a canary key the test puts in root's user
# keyring is neither read nor changed), load BPF, open perf events,
# userfaultfd, ptrace, kexec or load modules; ordinary work still runs, an
# exec'd process is filtered too.  seccomp=unconfined shows the attacks
# would work, seccomp=FILE takes a Docker profile, bad ones are refused.
. "$(dirname "$0")/lib.sh"

if ! command -v cc >/dev/null; then
	skip "seccomp" "no C compiler for the probe"
	exit 0
fi
PROBE_DIR=$(mktemp -d /tmp/boxtop-scprobe.XXXXXX)
# the canary keys go first, while the probe that drops them is still there
drop_canaries() {
	local k
	for k in $(cat "$PROBE_DIR/keys" 2>/dev/null); do "$PROBE_DIR/seccomp_probe" key-drop "$k"; done
	rm -rf "$PROBE_DIR"
}
at_cleanup drop_canaries
# busybox has no keyctl, bpf, perf or userfaultfd tool: our own, static
if ! cc -static -O2 -o "$PROBE_DIR/seccomp_probe" "$(dirname "$0")/seccomp_probe.c"; then
	fail "build the probe" "cc -static failed"
	exit 1
fi
probe() { "$PROBE_DIR/seccomp_probe" "$@"; }
MNT=(--mount "$PROBE_DIR:/probe:ro")

# canary NAME: a key in host root's user keyring that uid 0 may read and
# write (so only the filter stands between the container and it)
canary() {
	local s
	s=$(probe key-add "boxtop-canary-$$-$1" secret) || return 1
	echo "$s" >>"$PROBE_DIR/keys"
	echo "$s"
}
# result OUTPUT CALL: what the probe said for CALL
result() { echo "$1" | sed -n "s/^$2=//p" | tr -d '\r'; }

# ---- the default profile ---------------------------------------------------
key=$(canary default) || fail "canary key" "add_key failed"
out=$(bt run sc1 --rm "${MNT[@]}" -- /probe/seccomp_probe attack "$key" 2>&1)
eq "unshare(CLONE_NEWUSER) refused" "$(result "$out" unshare_user)" EPERM
eq "clone(CLONE_NEWUSER) refused" "$(result "$out" clone_newuser)" EPERM
# without the filter the kernel says ENOENT (the mount point is missing)
eq "mount refused by the filter" "$(result "$out" mount)" EPERM
eq "keyctl read of the host's key refused" "$(result "$out" key_read)" EPERM
eq "keyctl update of the host's key refused" "$(result "$out" key_update)" EPERM
eq "add_key refused" "$(result "$out" add_key)" EPERM
no "the container never saw the payload" grep -q key_payload <<<"$out"
eq "canary unchanged" "$(probe key-read "$key")" secret
eq "bpf refused by the filter" "$(result "$out" bpf)" EPERM
eq "perf_event_open refused by the filter" "$(result "$out" perf_event_open)" EPERM
eq "userfaultfd refused" "$(result "$out" userfaultfd)" EPERM
eq "ptrace refused" "$(result "$out" ptrace)" EPERM
eq "kexec_load refused" "$(result "$out" kexec_load)" EPERM
eq "init_module refused" "$(result "$out" init_module)" EPERM
eq "open_by_handle_at refused" "$(result "$out" open_by_handle_at)" EPERM
eq "fork still works" "$(result "$out" fork)" ok

# ordinary work: a shell, files, a pipe, background jobs, sleep
out=$(bt run sc2 --rm -- sh -c 'ls / >/dev/null && mkdir /tmp/d && echo hi >/tmp/d/f &&
	cat /tmp/d/f | wc -l && (sleep 0.1 & wait) && date >/dev/null && echo done' 2>&1)
eq "ordinary work runs" "$(echo $out | tr -d '\r')" "1 done"
out=$(bt run sc3 --rm -- grep Seccomp: /proc/self/status)
has "init runs in filter mode" "$out" "2"

# ---- exec'd processes ------------------------------------------------------
bt create sc4 "${MNT[@]}" -- sleep 1000 >/dev/null
bt start sc4 >/dev/null
out=$(bt exec sc4 -- grep Seccomp: /proc/self/status)
has "exec: filter mode" "$out" "2"
eq "exec: unshare refused" "$(bt exec sc4 -- /probe/seccomp_probe unshare_user | tr -d '\r')" "unshare_user=EPERM"
key2=$(canary exec)
out=$(bt exec sc4 -- /probe/seccomp_probe attack "$key2")
eq "exec: keyctl refused" "$(result "$out" key_update)" EPERM
eq "exec: canary unchanged" "$(probe key-read "$key2")" secret

# ---- info ------------------------------------------------------------------
has "info shows the mode" "$(bt info sc4)" "Seccomp:   default"
eq "info --json" "$(bt info sc4 --json | jq -r .seccomp)" default
eq "config.json holds OCI linux.seccomp" \
	"$(jq -r '.linux.seccomp.defaultAction + " " + .linux.seccomp.architectures[0]' "$T_ROOT/containers/sc4/config.json")" \
	"SCMP_ACT_ERRNO SCMP_ARCH_$(uname -m | tr a-z A-Z)"
bt rm -f sc4 >/dev/null

# ---- without no_new_privs: the filter goes on before the capabilities go --
bt create sc5 "${MNT[@]}" -- sleep 1000 >/dev/null
jq '.process.noNewPrivileges = false' "$T_ROOT/containers/sc5/config.json" >"$T_ROOT/c.json" &&
	mv "$T_ROOT/c.json" "$T_ROOT/containers/sc5/config.json"
ok "no no_new_privs: starts" bt start sc5
eq "no no_new_privs: unshare refused" "$(bt exec sc5 -- /probe/seccomp_probe unshare_user | tr -d '\r')" "unshare_user=EPERM"
has "no no_new_privs: caps dropped all the same" "$(bt exec sc5 -- grep CapEff /proc/self/status)" "00000000a80425fb"
bt rm -f sc5 >/dev/null

# ---- unconfined: the same attacks succeed (the test can fail) ---------------
key3=$(canary unconfined)
out=$(bt run sc6 --rm --security-opt seccomp=unconfined "${MNT[@]}" -- /probe/seccomp_probe attack "$key3" 2>&1)
eq "unconfined: unshare(CLONE_NEWUSER) works" "$(result "$out" unshare_user)" ok
eq "unconfined: the host's key is reachable" "$(result "$out" key_update)" ok
eq "unconfined: no filter" "$(bt run sc7 --rm --security-opt seccomp=unconfined -- grep Seccomp: /proc/self/status | tr -d '\r\t ')" "Seccomp:0"
bt create sc8 --security-opt seccomp=unconfined -- true >/dev/null
eq "unconfined: info" "$(bt info sc8 --json | jq -r .seccomp)" unconfined
eq "unconfined: no linux.seccomp" "$(jq -r '.linux.seccomp' "$T_ROOT/containers/sc8/config.json")" null
bt rm sc8 >/dev/null

# ---- capabilities unlock their calls; --privileged has no filter -----------
out=$(bt run sc14 --rm --cap-add SYS_PTRACE "${MNT[@]}" -- /probe/seccomp_probe attack 0 2>&1)
eq "--cap-add SYS_PTRACE: ptrace allowed" "$(result "$out" ptrace)" ok
eq "--cap-add SYS_PTRACE: unshare still refused" "$(result "$out" unshare_user)" EPERM
out=$(bt run sc15 --rm --cap-add SYS_ADMIN "${MNT[@]}" -- /probe/seccomp_probe attack 0 2>&1)
eq "--cap-add SYS_ADMIN: mount reaches the kernel" "$(result "$out" mount)" ENOENT
eq "--cap-add SYS_ADMIN: keyctl still refused" "$(result "$out" key_update)" EPERM
bt create sc16 --privileged -- true >/dev/null
eq "--privileged: no filter (as Docker's)" "$(bt info sc16 --json | jq -r .seccomp)" unconfined
bt rm sc16 >/dev/null

# ---- a profile file in Docker's format -------------------------------------
cat >"$PROBE_DIR/nomkdir.json" <<'EOF'
{
	"defaultAction": "SCMP_ACT_ALLOW",
	"archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
		    {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]}],
	"syscalls": [
		{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
		{"names": ["unshare"], "action": "SCMP_ACT_ERRNO",
		 "excludes": {"caps": ["CAP_SYS_ADMIN"]}, "comment": "applies: no CAP_SYS_ADMIN"},
		{"names": ["getpid"], "action": "SCMP_ACT_ERRNO",
		 "includes": {"caps": ["CAP_SYS_ADMIN"]}, "comment": "left out"}
	]
}
EOF
out=$(bt run sc9 --rm --security-opt "seccomp=$PROBE_DIR/nomkdir.json" "${MNT[@]}" -- \
	sh -c 'mkdir /tmp/x 2>&1; echo pid $$; /probe/seccomp_probe unshare_user' 2>&1)
has "profile file: its rule holds" "$out" "Permission denied"
has "profile file: excluded rule left out" "$out" "pid 1"
has "profile file: caps-conditional rule kept" "$out" "unshare_user=EPERM"
bt create sc10 --security-opt "seccomp=$PROBE_DIR/nomkdir.json" -- true >/dev/null
eq "profile file: info" "$(bt info sc10 --json | jq -r .seccomp)" "custom (2 rules)"
bt rm sc10 >/dev/null

# ---- the cache of compiled filters ($ROOT/seccomp) --------------------------
# the default's filter was the first one compiled; an allow-all one is made
dflt=$(ls -tr "$T_ROOT"/seccomp/*.bpf | head -1)
echo '{"defaultAction": "SCMP_ACT_ALLOW"}' >"$PROBE_DIR/allowall.json"
bt create sc11 --security-opt "seccomp=$PROBE_DIR/allowall.json" -- true >/dev/null
allow=$(ls -t "$T_ROOT"/seccomp/*.bpf | head -1)
bt rm sc11 >/dev/null
no "an allow-all filter is another file" test "$allow" = "$dflt"
cp "$dflt" "$PROBE_DIR/dflt.bpf"
# an allow-all filter put in the default's place by another user: not used
cp "$allow" "$dflt" && chown 65534 "$dflt"
eq "cache file of another user ignored" \
	"$(bt run sc12 --rm "${MNT[@]}" -- /probe/seccomp_probe unshare_user | tr -d '\r')" "unshare_user=EPERM"
# one cut short by a crash: compiled again
head -c 20 "$PROBE_DIR/dflt.bpf" >"$dflt" && chown 0 "$dflt"
eq "cut cache file compiled again" \
	"$(bt run sc13 --rm "${MNT[@]}" -- /probe/seccomp_probe unshare_user | tr -d '\r')" "unshare_user=EPERM"
ok "cut cache file rewritten whole" cmp "$dflt" "$PROBE_DIR/dflt.bpf"

# ---- refused profiles: one line, exit 2, nothing made -----------------------
echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [' >"$PROBE_DIR/broken.json"
echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_PERHAPS"}]}' \
	>"$PROBE_DIR/badaction.json"
err_is "missing profile file refused" 2 "seccomp profile .*/nope.json" \
	bt create bad1 --security-opt "seccomp=$PROBE_DIR/nope.json" -- true
err_is "bad JSON refused" 2 "not valid JSON" \
	bt create bad2 --security-opt "seccomp=$PROBE_DIR/broken.json" -- true
err_is "unknown action refused" 2 "unknown action 'SCMP_ACT_PERHAPS'" \
	bt run bad3 --rm --security-opt "seccomp=$PROBE_DIR/badaction.json" -- true
err_is "batch: bad profile refused" 2 "unknown action" \
	bt batch bad4 --count 2 --security-opt "seccomp=$PROBE_DIR/badaction.json" -- true
err_is "unknown --security-opt refused" 2 "invalid --security-opt 'apparmor=x'" \
	bt create bad5 --security-opt apparmor=x -- true
eq "nothing was created" "$(ls "$T_ROOT/containers" 2>/dev/null | wc -l)" 0

exit $T_FAILS
