#!/bin/bash
# bench_run.sh - item 1: run to exit of /bin/true in a new container.
#   boxtop run --rm | crun run | runc run | lxc-execute | bare unshare (floor)
# hyperfine times each (no shell in between, 3 warm-ups).
. "$(dirname "$0")/lib.sh"
KEY=run

# hf PEER WRAP CMDLINE: time CMDLINE $RUNS times; WRAP runs the whole
# measurement inside the peer's environment (crun's mount namespace).
hf() {
	local peer=$1 wrap=$2 cmd=$3 out=$BENCH_WORK/run.$1
	command -v hyperfine >/dev/null || { skip $KEY "$peer" "hyperfine not installed"; return; }
	$wrap hyperfine -N --runs "$RUNS" --warmup 3 --export-json "$out.json" \
		"$cmd" >/dev/null 2>"$out.err" || { skip $KEY "$peer" "$(tail -n1 "$out.err")"; return; }
	jq -r '.results[0].times[] * 1000' "$out.json" >"$out"
	record $KEY "$peer" "$out" ms
}

hf boxtop "" "$BOXTOP run --rm $(boxtop_net_opt) bxrun -- /bin/true"
if have_peer crun; then
	hf crun in_crun_ns "crun --root $CRUN_STATE run --bundle $BENCH_WORK/bundle-true bxrun"
else skip $KEY crun "$(peer_why crun)"; fi
if have_peer runc; then
	hf runc "" "runc --root $RUNC_STATE run --bundle $BENCH_WORK/bundle-true bxrun"
else skip $KEY runc "$(peer_why runc)"; fi
if have_peer lxc; then
	lxc_config bxrun
	hf lxc "" "lxc-execute -P $LXC_PATH -n bxrun -- /bin/true"
	lxc-destroy -P "$LXC_PATH" -n bxrun >/dev/null 2>&1
else skip $KEY lxc "$(peer_why lxc)"; fi
hf floor "" "unshare --fork --pid --mount --uts --ipc --net true"
