#!/bin/bash
# run.sh - `make bench`: boxtop side by side with crun, runc and LXC.
#
# Installs the peers if missing, builds one busybox rootfs that every peer
# runs, runs each measurement script, prints the table and writes
# tests/bench/results.md.  It asserts nothing and is never part of
# `make check`.  Everything it starts lives under one temporary directory
# (own boxtop root, crun/runc --root, lxc -P) and is removed at the end.
#
#   tests/bench/run.sh [ITEM...]     items: run batch monitor stats tui kill userns
#   BENCH_RUNS=5 tests/bench/run.sh  fewer runs for a quick look (default 20)
#   BENCH_TUI_SECS=60                how long the TUI is watched
set -u
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$BENCH_DIR/../.." && pwd)
BUILD=${BOXTOP_BUILD:-build}
export BENCH_DIR TOP
export BOXTOP=$TOP/$BUILD/boxtop TIMEIT=$TOP/$BUILD/bench/timeit

if [ "$(id -u)" != 0 ]; then
	echo "bench: needs root (namespaces, cgroups, the peers)" >&2
	exit 1
fi
[ -x "$BOXTOP" ] || { echo "bench: $BOXTOP missing: run make first" >&2; exit 1; }

# --- peers ----------------------------------------------------------------
PEER_PKGS="crun runc lxc hyperfine busybox-static htop tmux jq"
missing=""
for p in $PEER_PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "bench: installing:$missing" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >&2 ||
		echo "bench: could not install:$missing (those peers are skipped)" >&2
fi

mkdir -p "$TOP/$BUILD/bench"
cc -O2 -Wall -Wextra -Werror -o "$TIMEIT" "$BENCH_DIR/timeit.c" || exit 1

BENCH_WORK=$(mktemp -d /tmp/boxtop-bench.XXXXXX)
BENCH_RUN=$(mktemp -d /run/boxtop-bench.XXXXXX)
BENCH_SHM=""
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ]; then
	BENCH_SHM=$(mktemp -d /dev/shm/boxtop-bench.XXXXXX)
fi
# A journaled ext4 (what Debian installs) on a loop device: this VM's own
# root is ext4 *without* a journal, where every inode allocation scans the
# recently deleted ones (find_inode_bit/recently_deleted), the cost that
# dominates a batch here.  boxtop-journaled runs items 2 and 3 there.
BENCH_JEXT4=""
if command -v mkfs.ext4 >/dev/null && truncate -s 3G "$BENCH_WORK/jext4.img" 2>/dev/null &&
	mkfs.ext4 -q -F "$BENCH_WORK/jext4.img" 2>/dev/null && mkdir -p "$BENCH_WORK/jext4" &&
	mount -o loop "$BENCH_WORK/jext4.img" "$BENCH_WORK/jext4" 2>/dev/null; then
	BENCH_JEXT4=$BENCH_WORK/jext4/root
else
	rm -f "$BENCH_WORK/jext4.img"
fi
export BENCH_WORK BENCH_RUN BENCH_SHM BENCH_JEXT4
. "$BENCH_DIR/lib.sh"
: >"$ROWS"
: >"$NOTES"
mkdir -p "$CRUN_STATE" "$RUNC_STATE" "$LXC_PATH" "$BOXTOP_ROOT"

# Remove whatever any script left: every container of every peer (only in
# our own state roots), our tmux server, then the work directory.
cleanup() {
	trap - EXIT INT TERM
	say "bench: cleaning up"
	"$BOXTOP" rm --all --force >/dev/null 2>&1
	[ -n "$BENCH_SHM" ] && BOXTOP_ROOT=$BENCH_SHM "$BOXTOP" rm --all --force >/dev/null 2>&1
	if [ -n "$BENCH_JEXT4" ]; then
		BOXTOP_ROOT=$BENCH_JEXT4 "$BOXTOP" rm --all --force >/dev/null 2>&1
		umount "$BENCH_WORK/jext4" 2>/dev/null || umount -l "$BENCH_WORK/jext4"
		rm -f "$BENCH_WORK/jext4.img"
	fi
	if command -v crun >/dev/null; then
		for id in $(crun_ list -q 2>/dev/null); do
			in_crun_ns crun --root "$CRUN_STATE" delete --force "$id" >/dev/null 2>&1
		done
	fi
	if command -v runc >/dev/null; then
		for id in $(runc_ list -q 2>/dev/null); do
			runc_ delete --force "$id" >/dev/null 2>&1
		done
	fi
	if command -v lxc-ls >/dev/null; then
		for n in $(lxc-ls -P "$LXC_PATH" 2>/dev/null); do
			lxc-stop -P "$LXC_PATH" -n "$n" -k >/dev/null 2>&1
			lxc-destroy -P "$LXC_PATH" -n "$n" >/dev/null 2>&1
		done
	fi
	tmux -L "boxtop-bench-$$" kill-server >/dev/null 2>&1
	# LXC leaves an empty lxc.pivot cgroup in each hierarchy; remove it if
	# this run made it (rmdir fails on a cgroup in use, which is right).
	if [ -z "$lxc_pivot_before" ]; then
		for d in /sys/fs/cgroup/*/lxc.pivot; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done
	fi
	[ -s "$BENCH_WORK/crun-ns.pid" ] && kill "$(cat "$BENCH_WORK/crun-ns.pid")" 2>/dev/null
	# Never rm -rf through a mount that something left behind.
	if grep -q " $BENCH_WORK" /proc/self/mountinfo; then
		say "bench: mounts remain under $BENCH_WORK; not removing it:"
		grep " $BENCH_WORK" /proc/self/mountinfo >&2
	else
		rm -rf "$BENCH_WORK"
	fi
	rm -rf "$BENCH_RUN"
	[ -n "$BENCH_SHM" ] && ! grep -q " $BENCH_SHM" /proc/self/mountinfo && rm -rf "$BENCH_SHM"
}
lxc_pivot_before=$(ls -d /sys/fs/cgroup/*/lxc.pivot 2>/dev/null)
trap cleanup EXIT
trap 'exit 130' INT TERM
export BENCH_TMUX="boxtop-bench-$$"

# --- the shared busybox rootfs ---------------------------------------------
say "bench: rootfs from /bin/busybox in $ROOTFS"
mkdir -p "$ROOTFS"/{bin,dev,proc,sys,tmp,etc,root,run}
cp /bin/busybox "$ROOTFS/bin/busybox"
for a in $(/bin/busybox --list); do
	[ -e "$ROOTFS/bin/$a" ] || ln -s busybox "$ROOTFS/bin/$a"
done
ln -s bin "$ROOTFS/sbin"
mkdir -p "$ROOTFS/usr" && ln -s ../bin "$ROOTFS/usr/bin"
echo "root:x:0:0:root:/root:/bin/sh" >"$ROOTFS/etc/passwd"
echo "root:x:0:" >"$ROOTFS/etc/group"

# --- which peers can run here ----------------------------------------------
probe() { # probe NAME CMD...: the peer runs /bin/true in the rootfs, or why not
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		touch "$BENCH_WORK/peer-ok.$name"
	else
		printf '%s\n' "$(printf '%s' "$out" | tail -n 2 | tr '\n' ' ')" >"$BENCH_WORK/peer-skip.$name"
		say "bench: peer $name cannot run: $(cat "$BENCH_WORK/peer-skip.$name")"
	fi
}
make_bundle "$BENCH_WORK/bundle-true" /bin/true
if "$BOXTOP" create bxnetprobe --net none -- /bin/true >/dev/null 2>&1; then
	touch "$BENCH_WORK/boxtop-net-none"
fi
"$BOXTOP" rm --force bxnetprobe >/dev/null 2>&1
probe boxtop "$BOXTOP" run --rm $(boxtop_net_opt) bxprobe -- /bin/true
if command -v crun >/dev/null && ! crun_ns_start; then
	echo "cannot make a mount namespace without the cgroup2 mount" >"$BENCH_WORK/peer-skip.crun"
elif command -v crun >/dev/null; then
	probe crun in_crun_ns crun --root "$CRUN_STATE" run --bundle "$BENCH_WORK/bundle-true" probe
else echo "crun not installed" >"$BENCH_WORK/peer-skip.crun"; fi
if command -v runc >/dev/null; then
	probe runc runc_ run --bundle "$BENCH_WORK/bundle-true" probe
else echo "runc not installed" >"$BENCH_WORK/peer-skip.runc"; fi
if command -v lxc-execute >/dev/null; then
	lxc_config probe
	probe lxc lxc-execute -P "$LXC_PATH" -n probe -- /bin/true
	lxc-destroy -P "$LXC_PATH" -n probe >/dev/null 2>&1
else echo "lxc not installed" >"$BENCH_WORK/peer-skip.lxc"; fi
probe floor unshare --fork --pid --mount --uts --ipc --net true

# --- the measurements ------------------------------------------------------
items=${*:-run batch monitor stats tui kill userns}
# The setup's writes (rootfs copies, the 3 GB loop filesystem) go to disk
# now, not under the first measurement.
sync
start=$(date +%s)
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >"$BENCH_WORK/load.txt"
for it in $items; do
	say "== bench: $it"
	bash "$BENCH_DIR/bench_$it.sh" || say "bench: $it failed (exit $?)"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$BENCH_WORK/load.txt"
echo "measured in $(($(date +%s) - start)) s" >>"$BENCH_WORK/load.txt"
say "bench: measured in $(($(date +%s) - start)) s"

bash "$BENCH_DIR/bench_report.sh" >"$BENCH_WORK/results.md"
cat "$BENCH_WORK/results.md"
cp "$BENCH_WORK/results.md" "$BENCH_DIR/results.md"
say "bench: wrote tests/bench/results.md"
