# lib.sh - shared helpers for the benchmark scripts (sourced, never run).
#
# run.sh exports BENCH_WORK (a temporary directory for this run) and the
# paths below before it runs the bench_*.sh scripts; each script sources this
# file and records figures with record/record_value.  Figures land in
# $BENCH_WORK/rows.tsv, one line each:
#   KEY  PEER  MEDIAN  MIN  MAX  N  UNIT
# bench_report.sh turns that into the table.

BENCH_DIR=${BENCH_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
TOP=${TOP:-$(cd "$BENCH_DIR/../.." && pwd)}
BOXTOP=${BOXTOP:-$TOP/${BOXTOP_BUILD:-build}/boxtop}
TIMEIT=${TIMEIT:-$TOP/${BOXTOP_BUILD:-build}/bench/timeit}
: "${BENCH_WORK:?run tests/bench/run.sh, not the helpers}"
ROWS=$BENCH_WORK/rows.tsv
NOTES=$BENCH_WORK/notes.txt
ROOTFS=$BENCH_WORK/rootfs           # the one busybox rootfs every peer runs
# crun/runc --root: our containers only, under /run like their default
# /run/crun and /run/runc (on this VM /run is on the root ext4, as /tmp is).
: "${BENCH_RUN:?run tests/bench/run.sh}"
CRUN_STATE=$BENCH_RUN/crun
RUNC_STATE=$BENCH_RUN/runc
LXC_PATH=$BENCH_WORK/lxc            # lxc -P: our containers only
export BOXTOP_ROOT=$BENCH_WORK/boxtop-root

# How many timed runs; BENCH_RUNS=5 make bench gives a quick look.
RUNS=${BENCH_RUNS:-20}

say() { printf '%s\n' "$*" >&2; }
note() { printf '%s\n' "$*" >>"$NOTES"; say "note: $*"; }
skip() { # skip KEY PEER REASON
	printf '%s\t%s\t-\t-\t-\t0\tskipped: %s\n' "$1" "$2" "$3" >>"$ROWS"
	say "skipped: $1 $2: $3"
}

# stats FILE -> "median min max n" of the numbers in FILE (one per line).
stats() {
	sort -g "$1" | awk '{v[NR]=$1} END {
		if (NR == 0) { print "- - - 0"; exit }
		m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2
		printf "%.6g %.6g %.6g %d\n", m, v[1], v[NR], NR }'
}

# record KEY PEER FILE UNIT: the samples in FILE as one row.
record() {
	local s
	s=$(stats "$3")
	set -- "$1" "$2" "$4" $s
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$4" "$5" "$6" "$7" "$3" >>"$ROWS"
	say "  $1 $2: median $4 $3 (min $5, max $6, n=$7)"
}

# record_value KEY PEER VALUE UNIT [N]: one figure that is not a sample set.
record_value() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$3" "$3" "${5:-1}" "$4" >>"$ROWS"
	say "  $1 $2: $3 $4"
}

# timed OUTFILE CMD...: run CMD once under timeit, append its wall time in
# ms to OUTFILE; the full timeit line goes to OUTFILE.raw.  Fails if CMD did.
# With TIMEIT_NS set (a mount namespace path) CMD runs in that namespace;
# with TIMEIT_WAIT set (a cgroup.events or cgroup.procs) the clock runs on
# until that cgroup is empty.
timed() {
	local out=$1 line
	shift
	line=$("$TIMEIT" ${TIMEIT_NS:+-m "$TIMEIT_NS"} ${TIMEIT_WAIT:+-e "$TIMEIT_WAIT"} "$@") || return 1
	printf '%s\n' "$line" >>"$out.raw"
	set -- $line
	awk -v ns="$1" 'BEGIN { printf "%.3f\n", ns / 1e6 }' >>"$out"
	[ "$5" = 0 ] || { say "command failed (exit $5)"; return 1; }
}

# cpu_ms_of_raw RAWFILE OUT: user+sys ms of each timeit line, one per line.
cpu_ms_of_raw() {
	awk '{ printf "%.3f\n", ($2 + $3) / 1000 }' "$1" >"$2"
}

# crun 1.8 refuses this VM's hybrid cgroup layout, so it runs in a private
# mount namespace without the cgroup2 mount.  run.sh keeps one such
# namespace alive (a holder process, $BENCH_WORK/crun-ns.pid); the umount
# happens only inside it, the host keeps its mounts.
crun_ns_start() {
	unshare --mount --propagation private sh -c \
		'if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified || exit 1; fi; exec sleep 100000' \
		</dev/null >/dev/null 2>&1 &
	local pid=$! i
	for i in $(seq 100); do
		if [ "$(readlink "/proc/$pid/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ] &&
			! grep -q ' /sys/fs/cgroup/unified ' "/proc/$pid/mountinfo" 2>/dev/null; then
			echo "$pid" >"$BENCH_WORK/crun-ns.pid"
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.02
	done
	kill "$pid"
	return 1
}
crun_ns() { echo "/proc/$(cat "$BENCH_WORK/crun-ns.pid")/ns/mnt"; }
# in_crun_ns CMD...: run CMD in that namespace.
in_crun_ns() { nsenter --mount="$(crun_ns)" "$@"; }

crun_() { crun --root "$CRUN_STATE" "$@"; }
runc_() { runc --root "$RUNC_STATE" "$@"; }

# have_peer NAME: is the peer installed and did setup find it usable?
have_peer() { [ -e "$BENCH_WORK/peer-ok.$1" ]; }
peer_why() { cat "$BENCH_WORK/peer-skip.$1" 2>/dev/null; }

# make_bundle DIR ARGS...: an OCI bundle over the shared rootfs for crun and
# runc (from `crun spec`), running ARGS, no terminal, read-only root.
make_bundle() {
	local dir=$1
	shift
	mkdir -p "$dir"
	(cd "$dir" && crun spec >/dev/null 2>&1) || (cd "$dir" && runc spec) || return 1
	local args
	args=$(printf '%s\n' "$@" | jq -R . | jq -s .)
	jq --arg r "$ROOTFS" --argjson a "$args" \
		'.root.path = $r | .root.readonly = true | .process.args = $a |
		 .process.terminal = false | .hostname = "bench"' \
		"$dir/config.json" >"$dir/config.json.new" && mv "$dir/config.json.new" "$dir/config.json"
}

# lxc_config NAME [CMD]: a container NAME in $LXC_PATH over the shared
# rootfs.  The rootfs is an overlay (shared rootfs below, a per-container
# delta above, as boxtop does), which also keeps lxc-destroy from deleting
# the shared rootfs: it removes only the delta.  Own netns with lo only.
lxc_config() {
	local name=$1 cmd=${2:-}
	mkdir -p "$LXC_PATH/$name/delta0"
	{
		echo "lxc.uts.name = $name"
		echo "lxc.rootfs.path = overlay:$ROOTFS:$LXC_PATH/$name/delta0"
		echo "lxc.net.0.type = empty"
		echo "lxc.mount.auto = proc:mixed sys:ro"
		echo "lxc.apparmor.profile = unconfined"
		echo "lxc.log.level = ERROR"
		[ -n "$cmd" ] && echo "lxc.init.cmd = $cmd"
	} >"$LXC_PATH/$name/config"
}

# The boxtop network option: --net none where the build has it.
boxtop_net_opt() {
	if [ -e "$BENCH_WORK/boxtop-net-none" ]; then echo "--net none"; fi
}

# smaps_kb PID FIELD: Pss or Rss in kB from /proc/PID/smaps_rollup.
smaps_kb() {
	awk -v f="$2:" '$1 == f { print $2; exit }' "/proc/$1/smaps_rollup" 2>/dev/null
}

# mem_avail_kb: MemAvailable now (host-wide memory cost of what we start).
mem_avail_kb() { awk '$1 == "MemAvailable:" { print $2 }' /proc/meminfo; }

# boxtop_monitor_pid NAME: the pid of the container's monitor (its
# state.json is in the root's run directory, in memory).
boxtop_monitor_pid() {
	[ -n "${BOXTOP_RUNDIR_:-}" ] || BOXTOP_RUNDIR_=$("$BOXTOP" debug-rundir)
	jq -r '.monitor_pid // empty' "$BOXTOP_RUNDIR_/$1/state.json" 2>/dev/null
}
