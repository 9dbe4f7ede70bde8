#!/bin/bash
# bench_batch.sh - items 2 and 3: start N detached `sleep 1000` containers,
# then stop and remove them all; the same for every peer, RUNS times.
#   boxtop batch (one process)        | boxtop rm --all --force
#   loop of crun run -d --bundle B ID  | loop of crun kill ID KILL + delete --force
#   loop of runc run -d                | loop of runc kill + delete --force
#   loop of lxc-start -d               | loop of lxc-stop -k + lxc-destroy
# boxtop-tmpfs is boxtop with its root on tmpfs (/dev/shm) instead of the
# disk: the same work minus ext4's inode allocation, to show that cost;
# boxtop-journaled has it on a journaled ext4 (a loop device run.sh made):
# the disk most machines have, unlike this VM's journal-less root.
# Then N=1000 for boxtop alone (fewer runs: BENCH_RUNS_1000, default 3),
# with the batch process's peak RSS and the host's MemAvailable drop.
#
# Internal modes (the loops run as one timed process each, and for crun
# inside its mount namespace):
#   bench_batch.sh --measure PEER N RUNS
#   bench_batch.sh --start PEER N  /  --stop PEER N
. "$(dirname "$0")/lib.sh"
SELF=$BENCH_DIR/bench_batch.sh
BUNDLE=$BENCH_WORK/bundle-sleep

start_loop() { # start_loop PEER N
	local i
	case $1 in
	boxtop) exec "$BOXTOP" batch bxb --count "$2" $(boxtop_net_opt) -- sleep 1000 ;;
	boxtop-tmpfs) BOXTOP_ROOT=$BENCH_SHM exec "$BOXTOP" batch bxb --count "$2" $(boxtop_net_opt) -- sleep 1000 ;;
	boxtop-journaled) BOXTOP_ROOT=$BENCH_JEXT4 exec "$BOXTOP" batch bxb --count "$2" $(boxtop_net_opt) -- sleep 1000 ;;
	crun) for i in $(seq "$2"); do
		crun_ run -d --bundle "$BUNDLE" "bxb-$i" </dev/null >/dev/null 2>&1 || return 1
	done ;;
	runc) for i in $(seq "$2"); do
		runc_ run -d --bundle "$BUNDLE" "bxb-$i" </dev/null >/dev/null 2>&1 || return 1
	done ;;
	lxc) for i in $(seq "$2"); do
		lxc-start -P "$LXC_PATH" -n "bxb-$i" -d </dev/null >/dev/null 2>&1 || return 1
	done ;;
	esac
}

stop_loop() { # stop_loop PEER N
	local i rc=0
	case $1 in
	boxtop) exec "$BOXTOP" rm --all --force ;;
	boxtop-tmpfs) BOXTOP_ROOT=$BENCH_SHM exec "$BOXTOP" rm --all --force ;;
	boxtop-journaled) BOXTOP_ROOT=$BENCH_JEXT4 exec "$BOXTOP" rm --all --force ;;
	crun) for i in $(seq "$2"); do
		crun_ kill "bxb-$i" KILL >/dev/null 2>&1
		crun_ delete --force "bxb-$i" >/dev/null 2>&1 || rc=1
	done ;;
	runc) for i in $(seq "$2"); do
		runc_ kill "bxb-$i" KILL >/dev/null 2>&1
		runc_ delete --force "bxb-$i" >/dev/null 2>&1 || rc=1
	done ;;
	lxc) for i in $(seq "$2"); do
		lxc-stop -P "$LXC_PATH" -n "bxb-$i" -k >/dev/null 2>&1
		lxc-destroy -P "$LXC_PATH" -n "bxb-$i" >/dev/null 2>&1 || rc=1
	done ;;
	esac
	return $rc
}

running() { # running PEER: how many of our containers run now
	case $1 in
	boxtop) "$BOXTOP" ls --json 2>/dev/null | jq '[.[] | select(.status == "running")] | length' ;;
	boxtop-tmpfs) BOXTOP_ROOT=$BENCH_SHM "$BOXTOP" ls --json 2>/dev/null | jq '[.[] | select(.status == "running")] | length' ;;
	boxtop-journaled) BOXTOP_ROOT=$BENCH_JEXT4 "$BOXTOP" ls --json 2>/dev/null | jq '[.[] | select(.status == "running")] | length' ;;
	crun) crun_ list 2>/dev/null | awk '$3 == "running"' | wc -l ;;
	runc) runc_ list 2>/dev/null | awk '$3 == "running"' | wc -l ;;
	lxc) lxc-ls -P "$LXC_PATH" --running -1 2>/dev/null | wc -l ;;
	esac
}

# prepare PEER N: untimed set-up a run needs.  LXC defines its containers
# first (a config file each, like crun's bundle that already exists);
# lxc-destroy removes them again.
prepare() {
	local i
	[ "$1" = lxc ] || return 0
	for i in $(seq "$2"); do lxc_config "bxb-$i" "/bin/sleep 1000"; done
}

measure() { # measure PEER N RUNS: writes batch.PEER.N(.raw), rm.PEER.N, mem.PEER.N
	local peer=$1 n=$2 runs=$3 r got before after
	local out=$BENCH_WORK/batch.$peer.$n
	for r in $(seq "$runs"); do
		prepare "$peer" "$n"
		sync
		before=$(mem_avail_kb)
		if ! timed "$out" bash "$SELF" --start "$peer" "$n"; then
			echo "start of $n failed in run $r" >"$out.fail"
			bash "$SELF" --stop "$peer" "$n"
			return 1
		fi
		got=$(running "$peer")
		after=$(mem_avail_kb)
		echo $(((before - after) / n)) >>"$BENCH_WORK/mem.$peer.$n"
		if [ "$got" != "$n" ]; then
			echo "only $got of $n running after start in run $r" >"$out.fail"
			bash "$SELF" --stop "$peer" "$n"
			return 1
		fi
		[ -n "${BENCH_HOOK:-}" ] && [ "$r" = "$runs" ] && $BENCH_HOOK "$peer" "$n"
		timed "$BENCH_WORK/rm.$peer.$n" bash "$SELF" --stop "$peer" "$n" ||
			echo "stop of $n failed in run $r" >"$out.fail"
		got=$(running "$peer")
		[ "$got" = 0 ] || { echo "$got still running after stop in run $r" >"$out.fail"; return 1; }
	done
}

case ${1:-} in
--start) start_loop "$2" "$3"; exit ;;
--stop) stop_loop "$2" "$3"; exit ;;
--measure) measure "$2" "$3" "$4"; exit ;;
esac

make_bundle "$BUNDLE" sleep 1000 || exit 1

# record_peer PEER N: record items 2 and 3 for PEER from the run files.
record_peer() {
	local peer=$1 n=$2 f=$BENCH_WORK/batch.$1.$2
	if [ -e "$f.fail" ]; then
		skip "batch$n" "$peer" "$(cat "$f.fail")"
		skip "rm$n" "$peer" "$(cat "$f.fail")"
		return
	fi
	record "batch$n" "$peer" "$f" ms
	record "rm$n" "$peer" "$BENCH_WORK/rm.$peer.$n" ms
	if [ "$peer" = boxtop ]; then
		awk '{ print $4 }' "$f.raw" >"$f.rss"
		record "batchrss$n" "$peer" "$f.rss" kB
	fi
}

# Run by run, every peer in turn (so load from anything else on the
# machine hits them alike); a peer that failed once is left out after.
peers=boxtop
[ -n "${BENCH_SHM:-}" ] && peers="$peers boxtop-tmpfs"
[ -n "${BENCH_JEXT4:-}" ] && peers="$peers boxtop-journaled"
for p in crun runc lxc; do
	if have_peer $p; then peers="$peers $p"
	else skip batch100 $p "$(peer_why $p)"; skip rm100 $p "$(peer_why $p)"; fi
done
for r in $(seq "$RUNS"); do
	say "  run $r of $RUNS: $peers"
	for p in $peers; do
		[ -e "$BENCH_WORK/batch.$p.100.fail" ] && continue
		if [ $p = crun ]; then
			in_crun_ns bash "$SELF" --measure crun 100 1
		else
			bash "$SELF" --measure $p 100 1
		fi
	done
done
for p in $peers; do record_peer $p 100; done

# 1000 for boxtop alone: time, peak RSS of the batch process, MemAvailable.
bash "$SELF" --measure boxtop 1000 "${BENCH_RUNS_1000:-3}"
record_peer boxtop 1000
record mem1000 boxtop "$BENCH_WORK/mem.boxtop.1000" kB
note "1000 containers: boxtop only, ${BENCH_RUNS_1000:-3} runs (time and memory)."
