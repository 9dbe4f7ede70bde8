#!/usr/bin/env bash
# t_faults.sh - kill -9 at any point loses nothing and leaves nothing stuck.
# Every multi-step operation (create, batch, rm, rm --all --force, commit,
# image import) is killed with SIGKILL, at random times and at the steps
# BOXTOP_TEST_CRASH_AT names, round after round.  After each kill:
#  - ls shows every container whose directory exists (a half-made or
#    half-removed one as "removing", never invisible);
#  - one ls listed as created or stopped starts (it is whole);
#  - create of a half-removed name works (the removal is finished first);
#  - a container commit froze runs again once commit is gone;
#  - an image command leaves no layers/.tmp-* of a dead process;
#  - rm --all --force succeeds, and then nothing is left: no directory
#    under containers/ but .spare, no mount, no cgroup, no lease, no
#    monitor, no run directory.
# Safety: boxtop runs inside a network namespace this script made
# (containers on a bridge network get real leases and links there).
# FAULT_ROUNDS=N changes the 30 rounds; FAULT_DEBUG=1 says on stderr what
# each kill left.
. "$(dirname "$0")/lib.sh"

NS=bt-flt-$$
if ! ip netns add "$NS" 2>/dev/null; then
	skip "faults" "cannot create a network namespace"
	exit 0
fi
N() { nsenter --net="/run/netns/$NS" "$@"; }
bt() { N "$BOXTOP" "$@"; }
at_cleanup "N $BOXTOP rm --all --force"
at_cleanup "ip netns del $NS"
N ip link set lo up
ROUNDS=${FAULT_ROUNDS:-30}
prefix=$(bt debug-cgroup-prefix)
bt net create lab --subnet 10.66.0.0/24 >/dev/null || fail "net create"
bt run warm --rm --net none -- true # the built-in image, made once

# ms: a random delay in [0, $1] ms, as seconds for sleep
rnd_delay() { printf '0.%03d' $((RANDOM % ($1 + 1))); }

# Run boxtop ARGS in the background and kill -9 it after DELAY seconds;
# wait for it.  Exec'd: $! is boxtop itself, not a subshell.
killed_at() {
	local delay=$1; shift
	(exec nsenter --net="/run/netns/$NS" "$BOXTOP" "$@" >/dev/null 2>&1) &
	local p=$!
	sleep "$delay"
	kill -9 "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	true
}
# boxtop ARGS killed by itself at STEP (BOXTOP_TEST_CRASH_AT, util.h).
crash_at() {
	local step=$1; shift
	BOXTOP_TEST_CRASH_AT=$step bt "$@" >/dev/null 2>&1
	true
}

# What may be left, for this root only.
snap() {
	local n=0 f c
	for f in $(grep -lsxz "BOXTOP_ROOT=$T_ROOT" /proc/[0-9]*/environ); do
		read -r c 2>/dev/null <"${f%/environ}/comm" && [ "$c" = boxtop ] && n=$((n + 1))
	done
	echo "mounts=$(grep -c "$T_ROOT" /proc/self/mountinfo)" \
		"cgroups=$(find /sys/fs/cgroup/*/"$prefix" -mindepth 1 -type d 2>/dev/null | wc -l)" \
		"monitors=$n containers=$(ls "$T_ROOT/containers" | wc -l)" \
		"leases=$(cat "$T_ROOT"/networks/*.json | grep -c '"container":')" \
		"rundir=$(ls -A "$T_RUN" 2>/dev/null | wc -l)" \
		"tmp=$(ls -A "$T_ROOT/layers" "$T_ROOT/images" | grep -c '^\.\(tmp\|view\|rm\)-')"
}
base=$(snap)

# Failures are counted per kind and reported once per kind (a FAIL line
# each round would drown the output): the first example is kept.
declare -A bad example
note_bad() { # kind, detail
	bad[$1]=$((${bad[$1]:-0} + 1))
	[ -n "${example[$1]:-}" ] || example[$1]=$2
}

# Check what one kill left, then clean up with rm --all --force.
# what: the operation killed (for the messages); want_removing: 1 when
# the kill was at a step that must leave something listed as removing.
check_round() {
	local what=$1 want_removing=${2:-0} d names startable removing missing= st out
	{ read -r names; read -r startable; read -r removing; } < <(bt ls --json 2>/dev/null | jq -r '
		([.[].name] | join(" ")),
		([.[] | select(.status == "created" or .status == "stopped")][0].name // ""),
		([.[] | select(.status == "removing")][0].name // "")')
	[ -n "${FAULT_DEBUG:-}" ] && echo "DBG $what: names=$names startable=$startable removing=$removing" >&2
	for d in $(ls "$T_ROOT/containers"); do
		case " $names " in *" $d "*) ;; *) missing+="$d " ;; esac
	done
	[ -z "$missing" ] || note_bad "$what: ls shows every container directory" "not listed: $missing"
	[ "$want_removing" = 0 ] || [ -n "$removing" ] ||
		note_bad "$what: a kill at a step in the middle leaves it listed as removing" "ls: $names"
	# a created or stopped one is whole: it starts (a monitor the killed
	# batch forked may have made it running meanwhile)
	d=$startable
	if [ -n "$d" ] && ! out=$(bt start "$d" 2>&1) && [[ $out != *"already running"* ]]; then
		note_bad "$what: a listed created/stopped container starts" "$d: $out"
	fi
	# a half-made or half-removed name can be made again
	d=${removing:-${missing%% *}}
	if [ -n "$d" ] && ! out=$(bt create "$d" --net lab -- true 2>&1); then
		note_bad "$what: create NAME of a half-made/removed NAME" "$d: $out"
	fi
	if ! out=$(bt rm --all --force 2>&1); then
		note_bad "$what: rm --all --force succeeds afterwards" "$out"
	fi
	st=$(snap)
	[ "$st" = "$base" ] || note_bad "$what: nothing left after rm --all --force" "$st (want $base)"
}
report() { # what, rounds
	local k any=0
	[ -n "${FAULT_DEBUG:-}" ] && echo "DBG time $SECONDS" >&2
	for k in "${!bad[@]}"; do
		case "$k" in "$1:"*) fail "$k" "${bad[$k]} of $2 rounds; e.g. ${example[$k]}"; any=1 ;; esac
	done
	[ $any = 1 ] || pass "$1: $2 kills, every check held"
}

# ---- create ---------------------------------------------------------------
steps_create="create-reserved create-leased"
for i in $(seq "$ROUNDS"); do
	if [ $((i % 3)) = 0 ]; then
		set -- $steps_create; shift $(( (i / 3) % $# )); crash_at "$1" create c$i --net lab -- sleep 1000
		check_round create 1
	else
		killed_at "$(rnd_delay 12)" create c$i --net lab -- sleep 1000
		check_round create
	fi
done
report create "$ROUNDS"

# ---- batch --count N --------------------------------------------------------
steps_batch="create-reserved:5 create-leased:7 batch-created batch-started:3"
for i in $(seq "$ROUNDS"); do
	if [ $((i % 3)) = 0 ]; then
		set -- $steps_batch; shift $(( (i / 3) % $# )); crash_at "$1" batch w --count 8 --net lab -- sleep 1000
		check_round batch "$([[ $1 == create-* ]] && echo 1 || echo 0)"
	else
		killed_at "$(rnd_delay 100)" batch w --count 8 --net lab -- sleep 1000
		check_round batch
	fi
done
report batch "$ROUNDS"

# ---- rm NAME --------------------------------------------------------------
steps_rm="rm-unlinked rm-released rm-emptied"
for i in $(seq "$ROUNDS"); do
	bt create r --net lab -- sleep 1000 >/dev/null
	[ $((i % 2)) = 0 ] && bt start r
	if [ $((i % 3)) = 0 ]; then
		set -- $steps_rm; shift $(( (i / 3) % $# )); crash_at "$1" rm --force r
		check_round rm 1
	else
		killed_at "$(rnd_delay 25)" rm --force r
		check_round rm
	fi
done
report rm "$ROUNDS"

# ---- rm --all --force -------------------------------------------------------
steps_rmall="rm-unlinked:3 rm-released:5 rm-emptied:2"
for i in $(seq "$ROUNDS"); do
	bt batch a --count 6 --net lab -- sleep 1000 >/dev/null
	bt create s1 --net lab -- sleep 1000 >/dev/null
	bt create s2 --net lab -- true >/dev/null && bt start -a s2 >/dev/null
	if [ $((i % 3)) = 0 ]; then
		set -- $steps_rmall; shift $(( (i / 3) % $# )); crash_at "$1" rm --all --force
		check_round "rm --all --force" 1
	else
		killed_at "$(rnd_delay 40)" rm --all --force
		check_round "rm --all --force"
	fi
done
report "rm --all --force" "$ROUNDS"

# ---- what a half-made or half-removed container is to the commands ---------
crash_at create-leased create h1 --net lab -- true
eq "half made: ls lists it as removing" "$(status_of h1)" removing
eq "half made: info says removing" "$(bt info h1 --json | jq -r .status)" removing
err_is "half made: start says what it is and what to do" 1 \
	"container 'h1': being removed \(a create or rm did not finish\): boxtop rm h1 removes the rest" bt start h1
ok "half made: stop --all passes over it" bt stop --all
ok "half made: rm without --force finishes it" bt rm h1
eq "half made: gone, lease and directory" "$(bt ls --json | jq length) $(cat "$T_ROOT"/networks/*.json | grep -c '"container":') $(ls "$T_ROOT/containers")" "0 0 "
bt create h2 --net lab -- hostname >/dev/null
crash_at rm-released rm h2
eq "half removed: ls lists it as removing" "$(status_of h2)" removing
ok "half removed: create of the name finishes the removal first" bt create h2 --net lab -- hostname
eq "half removed: the new one runs" "$(bt start -a h2)" h2
# what is not a container's name is never "finished" (a directory without a
# config.json too); `rm --force ..` used to remove the whole root (an
# invalid name looked like a corrupt state.json, which --force removes)
bt create keep --net lab -- true >/dev/null
err_is "rm .. is refused" 1 "invalid name '\.\.'" bt rm ..
err_is "rm --force .. is refused" 1 "invalid name '\.\.'" bt rm --force ..
err_is "rm --force .spare is refused" 1 "invalid name '\.spare'" bt rm --force .spare
eq "... the root is whole" "$(echo $(ls "$T_ROOT/containers/keep") $(ls -d "$T_ROOT/containers/.spare" "$T_ROOT/networks"))" \
	"config.json resolv.conf upper work $T_ROOT/containers/.spare $T_ROOT/networks"
bt rm --all --force >/dev/null

# ---- commit ---------------------------------------------------------------
# a running container with a writable layer worth copying
bt create cm --net none -- sleep 1000 >/dev/null
U=$T_ROOT/containers/cm/upper
mkdir "$U/d" && for i in $(seq 200); do echo "$i" >"$U/d/f$i"; done
head -c 1M /dev/urandom >"$U/big"
bt start cm
steps_commit="commit-frozen commit-copied"
frozen=0 tmpleft=0 firsttmp=
for i in $(seq "$ROUNDS"); do
	if [ $((i % 3)) = 0 ]; then
		set -- $steps_commit; shift $(( (i / 3) % $# )); crash_at "$1" commit cm img$i
	else
		killed_at "$(rnd_delay 30)" commit cm img$i
	fi
	st=$(status_of cm)
	if [ "$st" != running ]; then frozen=$((frozen + 1)); bt thaw cm >/dev/null 2>&1; fi
	bt image ls >/dev/null
	t=$(ls -A "$T_ROOT/layers" | grep -c '^\.tmp-')
	[ "$t" = 0 ] || { tmpleft=$((tmpleft + 1)); firsttmp=${firsttmp:-$(du -sh "$T_ROOT/layers" | cut -f1) in layers/ after round $i}; }
	bt image rm img$i >/dev/null 2>&1
done
eq "commit: the container runs again after $ROUNDS killed commits (frozen in how many)" "$frozen" 0
# a pause asked for by the user is theirs, even over a dead commit's
crash_at commit-frozen commit cm imgp
ok "commit: freeze by the user after a killed commit" bt freeze cm
eq "commit: ... stays paused" "$(status_of cm)" paused
ok "commit: ... thaw" bt thaw cm
eq "commit: ... runs" "$(status_of cm)" running
eq "commit: no layers/.tmp-* of a killed commit after the next image command (rounds with some)" "$tmpleft${firsttmp:+ ($firsttmp)}" 0
bt rm --force cm >/dev/null

# ---- image import -----------------------------------------------------------
W=$(mktemp -d /tmp/bt-flt-src.XXXXXX)
at_cleanup "rm -rf $W"
mkdir -p "$W/root/etc" "$W/root/d"
for i in $(seq 200); do echo "$i" >"$W/root/d/f$i"; done
head -c 2M /dev/urandom >"$W/root/big"
tar -C "$W/root" -cf "$W/root.tar" .
tmpleft=0 firsttmp=
for i in $(seq 10); do
	killed_at "$(rnd_delay 30)" image import imp$i "$W/root.tar"
	bt image ls >/dev/null
	t=$(ls -A "$T_ROOT/layers" | grep -c '^\.tmp-')
	[ "$t" = 0 ] || { tmpleft=$((tmpleft + 1)); firsttmp=${firsttmp:-$(du -sh "$T_ROOT/layers" | cut -f1) in layers/ after round $i}; }
	bt image rm imp$i >/dev/null 2>&1
done
eq "import: no layers/.tmp-* of a killed import after the next image command (rounds with some)" "$tmpleft${firsttmp:+ ($firsttmp)}" 0
bt rm --all --force >/dev/null
eq "nothing left at the end" "$(snap)" "$base"
