#!/bin/bash
# bench_report.sh - turn $BENCH_WORK/rows.tsv into results.md (stdout):
# the date, the machine, one table with boxtop and each peer side by side,
# ratios against crun from the same run, each row's target and met/missed.
. "$(dirname "$0")/lib.sh"

declare -A MED MIN MAX N UNIT WHY
while IFS=$'\t' read -r key peer med min max n unit; do
	k="$key|$peer"
	if [ "$n" = 0 ]; then
		WHY[$k]=${unit#skipped: }
	else
		MED[$k]=$med MIN[$k]=$min MAX[$k]=$max N[$k]=$n UNIT[$k]=$unit
	fi
done <"$ROWS"

fmt() { awk -v v="$1" 'BEGIN { if (v >= 100) printf "%.0f", v; else if (v >= 10) printf "%.1f", v; else printf "%.2f", v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "-" }'; }

cell() { # cell KEY PEER
	local k="$1|$2"
	if [ -n "${MED[$k]:-}" ]; then
		local s
		s=$(fmt "${MED[$k]}")
		if [ "${N[$k]}" -gt 1 ]; then s="$s [$(fmt "${MIN[$k]}")–$(fmt "${MAX[$k]}")]"; fi
		if [ "$2" != crun ] && [ -n "${MED[$1|crun]:-}" ]; then
			s="$s ($(ratio "${MED[$k]}" "${MED[$1|crun]}"))"
		fi
		printf '%s' "$s"
	elif [ -n "${WHY[$k]:-}" ]; then
		printf 'skipped¹'
	else
		printf '·'
	fi
}

# row KEY "LABEL" REFPEER TARGETKIND TARGETVALUE "TARGET TEXT"
#   TARGETKIND: ratio (boxtop/crun <= v), max (boxtop median <= v), none
row() {
	local key=$1 label=$2 ref=$3 kind=$4 tv=$5 ttext=$6 met="-" r="-"
	local b=${MED[$key|boxtop]:-} c=${MED[$key|crun]:-}
	# A row nobody measured (e.g. the TUI not built) is left out.
	local any=""
	for p in boxtop crun runc lxc $ref; do
		[ -n "${MED[$key|$p]:-}${WHY[$key|$p]:-}" ] && any=1
	done
	[ -n "$any" ] || return 0
	[ -n "$b" ] && [ -n "$c" ] && r=$(ratio "$b" "$c")
	case $kind in
	ratio) if [ -n "$b" ] && [ -n "$c" ]; then
		met=$(awk -v a="$b" -v c="$c" -v t="$tv" 'BEGIN { print (a / c <= t) ? "**met**" : "**missed**" }')
	else met="n/a"; fi ;;
	max) if [ -n "$b" ]; then
		met=$(awk -v a="$b" -v t="$tv" 'BEGIN { print (a <= t) ? "**met**" : "**missed**" }')
	else met="n/a"; fi ;;
	esac
	local refcell="" one
	for one in $ref; do
		[ -n "${MED[$key|$one]:-}${WHY[$key|$one]:-}" ] || continue
		refcell="$refcell${refcell:+<br>}$one: $(cell "$key" "$one")"
	done
	[ -n "$refcell" ] || refcell="·"
	printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" \
		"$(cell "$key" boxtop)" "$(cell "$key" crun)" "$(cell "$key" runc)" \
		"$(cell "$key" lxc)" "$refcell" "$r" "$ttext" "$met"
}

mem_total=$(awk '$1 == "MemTotal:" { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
ver() { "$@" 2>/dev/null | head -n1; }

cat <<EOF
# boxtop benchmark results

- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
- Machine: Linux $(uname -r), $(nproc) CPUs ($cpu), $mem_total RAM
- boxtop: $(git -C "$TOP" rev-parse --short HEAD 2>/dev/null) ($(git -C "$TOP" rev-parse --abbrev-ref HEAD 2>/dev/null)); peers: $(ver crun --version), $(ver runc --version), lxc $(ver lxc-start --version), $(ver hyperfine --version)
- Every peer runs the same busybox rootfs (the host's /bin/busybox); crun
  and runc from one \`crun spec\` bundle (read-only root), LXC over an
  overlay of it, boxtop on its built-in busybox image (same binary).
  State where each keeps it by default: crun/runc under /run, boxtop and
  LXC under /tmp here (/run: $(df --output=fstype /run | tail -n1), /tmp: $(df --output=fstype /tmp | tail -n1)).
- $(paste -sd';' "$BENCH_WORK/load.txt" 2>/dev/null | sed 's/;/; /g') (2 CPUs shared with other work: medians, not means, and peers interleaved run by run)
- reference column: floor = bare \`unshare\` with the same namespaces
  (item 1); boxtop-journaled = boxtop with its root on a journaled ext4
  (a loop device: the disk most machines have; this VM's root ext4 has no
  journal, which makes every inode allocation scan the recently deleted
  ones) and boxtop-tmpfs = its root on tmpfs (items 1, 2, 3); htop (item 6).
- Cells: median [min–max] over the runs (n below), (×crun) = that peer's
  median divided by crun's median from the same run. Times in ms.

| measure | boxtop | crun | runc | LXC | reference | boxtop ÷ crun | target | |
|---|---|---|---|---|---|---|---|---|
EOF
row run "1. run to exit \`/bin/true\`, back to back (ms)" "floor boxtop-tmpfs boxtop-journaled" ratio 0.5 "≤ 0.5× crun"
row runcold "1. run to exit \`/bin/true\`, one at a time, 0.1 s apart (ms)" "floor boxtop-tmpfs boxtop-journaled" ratio 0.5 "≤ 0.5× crun"
row batch100 "2. start 100 detached \`sleep 1000\` (ms)" "boxtop-journaled boxtop-tmpfs" ratio 0.3 "≤ 0.3× crun"
row batch1000 "2. start 1000 (ms), boxtop only" "" none 0 "-"
row batchrss1000 "2. peak RSS of \`boxtop batch\` for 1000 (kB)" "" none 0 "-"
row mem1000 "2. host memory per container at 1000 (kB, MemAvailable drop; noisy)" "" none 0 "-"
row rm100 "3. stop + remove 100 (ms)" "boxtop-journaled boxtop-tmpfs" ratio 0.2 "≤ 0.2× crun"
row rm1000 "3. stop + remove 1000 (ms), boxtop only" "" none 0 "-"
row pss_alone "4. monitor PSS, one container started alone (kB)" "" max 200 "≤ 200 kB"
row rss_alone "4. monitor RSS, started alone (kB)" "" none 0 "-"
row pss_batch "4. monitor PSS, each of 100 started as a batch (kB)" "" max 200 "≤ 200 kB"
row rss_batch "4. monitor RSS, each of 100 in a batch (kB)" "" none 0 "-"
row monpss1000 "4. total PSS of all monitors at 1000 running (kB)" "" none 0 "-"
for n in 100 500 1000; do
	row stats$n "5. one stats sample, $n running: CPU µs per container" "" max 20 "≤ 20 µs"
done
for n in 100 500; do
	row tuicpu$n "6. TUI at $n containers: CPU % of one core" htop max 1 "≤ 1 %"
	row tuibytes$n "6. TUI at $n: bytes/s to the terminal" htop max 1024 "≤ 1 kB/s"
	row tuirss$n "6. TUI at $n: RSS (kB)" htop max 16384 "≤ 16 MB"
done
row kill "7. kill a container of 1000 processes until its cgroup is empty (ms)" "" max 50 "≤ 50 ms"
row userns "8. run to exit \`/bin/true\` with \`--userns auto\` (reference) and without (boxtop), back to back (ms)" boxtop-userns none 0 "-"
row usernscpu "8. CPU time of the same runs (ms)" boxtop-userns none 0 "-"

echo
echo "n (runs) per row: $(awk -F'\t' '$2 == "boxtop" && $6 > 0 { printf "%s=%s ", $1, $6 }' "$ROWS")"
if [ -s "$NOTES" ] || [ ${#WHY[@]} -gt 0 ]; then
	echo
	echo "Notes:"
	echo
	for k in "${!WHY[@]}"; do echo "- ¹ ${k%%|*} ${k##*|}: skipped: ${WHY[$k]}"; done | sort
	sed 's/^/- /' "$NOTES"
fi
