#!/usr/bin/env bash
# What a container sees: its own hostname, PID 1, no host processes, a
# read-only /proc/sys, Docker's capability set, no_new_privs, lo up, its
# own copy-on-write root and the mounts it was given.
. "$(dirname "$0")/lib.sh"

eq "hostname is the name" "$(bt run iso1 --rm -- hostname)" iso1
eq "--hostname" "$(bt run iso2 --rm --hostname custom -- hostname)" custom
eq "init is PID 1" "$(bt run iso3 --rm -- sh -c 'echo $$')" 1
n=$(bt run iso4 --rm -- sh -c 'ls -d /proc/[0-9]* | wc -l')
[ "$n" -le 3 ] && pass "host processes invisible ($n pids seen)" || fail "host processes invisible" "$n pids seen"
out=$(bt run iso5 --rm -- sh -c '(echo x > /proc/sys/kernel/domainname) 2>&1')
has "/proc/sys read-only" "$out" "Read-only file system"
out=$(bt run iso6 --rm -- cat /proc/self/status)
# Docker's 14: CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP
# NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP
has "CapBnd is Docker's set" "$out" "CapBnd:	00000000a80425fb"
has "CapEff is Docker's set" "$out" "CapEff:	00000000a80425fb"
has "CapPrm is Docker's set" "$out" "CapPrm:	00000000a80425fb"
has "CapInh empty" "$out" "CapInh:	0000000000000000"
has "CapAmb empty" "$out" "CapAmb:	0000000000000000"
has "no_new_privs" "$out" "NoNewPrivs:	1"
# No signal reaches the init ignored, caught or blocked: not what the
# caller ignored (a shell's background job, nohup), not what a monitor
# ignores (SIGPIPE, SIGHUP, SIGINT).
out=$( (trap '' INT QUIT HUP PIPE TERM; bt run sig1 --rm -- grep -E '^Sig(Ign|Cgt|Blk)' /proc/self/status) )
eq "run: no signal ignored, caught or blocked" "$(echo $out)" \
	"SigBlk: 0000000000000000 SigIgn: 0000000000000000 SigCgt: 0000000000000000"
bt create sig2 -- grep -E '^Sig(Ign|Cgt|Blk)' /proc/self/status >/dev/null
bt start sig2 >/dev/null
wait_for 10 sh -c "$BOXTOP logs sig2 | grep -q SigCgt"
eq "start: no signal ignored, caught or blocked" "$(echo $(bt logs sig2 | tr -d '\r'))" \
	"SigBlk: 0000000000000000 SigIgn: 0000000000000000 SigCgt: 0000000000000000"
bt rm -f sig2 >/dev/null
out=$(bt run iso7 --rm -- ls /proc/self/fd)
eq "only stdio fds reach the container" "$(echo $out)" "0 1 2 3"
out=$(bt run iso8 --rm -- cat /sys/class/net/lo/operstate)
has "lo is up" "$out" "unknown"
out=$(bt run iso9 --rm -- sh -c 'ls /sys/class/net')
eq "only lo in its netns" "$(echo $out)" "lo"
# The network namespace is made by boxtop beside the child's work and
# joined before sysfs is mounted (spawn.c), or after the other mounts when
# the config has no sysfs, or right away without a mount namespace.
hostnet=$(readlink /proc/self/ns/net)
bt create nosys -- sh -c 'readlink /proc/self/ns/net; tail -n +3 /proc/net/dev | cut -d: -f1' >/dev/null
jq 'del(.mounts[] | select(.type == "sysfs"))' "$T_ROOT/containers/nosys/config.json" >"$T_ROOT/c.json" &&
	mv "$T_ROOT/c.json" "$T_ROOT/containers/nosys/config.json"
out=$(bt start -a nosys); bt rm nosys >/dev/null
no "no sysfs: a netns of its own" test "$(echo "$out" | head -1)" = "$hostnet"
eq "no sysfs: only lo in it" "$(echo "$out" | tail -n +2 | tr -d ' ')" lo
bt create nomnt -- sh -c 'readlink /proc/self/ns/net; cat /sys/class/net/lo/operstate' >/dev/null
jq 'del(.linux.namespaces[] | select(.type == "mount"))' "$T_ROOT/containers/nomnt/config.json" >"$T_ROOT/c.json" &&
	mv "$T_ROOT/c.json" "$T_ROOT/containers/nomnt/config.json"
out=$(bt start -a nomnt); bt rm nomnt >/dev/null
no "no mount namespace: a netns of its own" test "$(echo "$out" | head -1)" = "$hostnet"
case "$(echo "$out" | head -1)" in net:*) pass "no mount namespace: runs" ;; *) fail "no mount namespace: runs" "$out" ;; esac
out=$(bt run iso10 --rm -- sh -c '(touch /sys/x) 2>&1')
has "/sys read-only" "$out" "Read-only"
eq "/proc/kcore masked or absent" "$(bt run iso11 --rm -- sh -c 'cat /proc/kcore 2>/dev/null | wc -c')" 0
# Docker's newer masks and podman's: the host's interrupt counts, its block
# devices by number
eq "the host has /proc/interrupts and /sys/dev/block" "$(head -c1 /proc/interrupts | wc -c) $(ls /sys/dev/block | wc -l | grep -qv "^0$" && echo some)" "1 some"
eq "/proc/interrupts masked" "$(bt run iso12 --rm -- sh -c 'cat /proc/interrupts 2>/dev/null | wc -c')" 0
eq "/sys/dev/block masked" "$(bt run iso13 --rm -- sh -c 'ls /sys/dev/block | wc -l')" 0
out=$(bt run iso12 --rm -- sh -c 'ls -l /dev/null /dev/zero /dev/urandom /dev/tty /dev/full /dev/random; ls -d /dev/pts /dev/shm /dev/mqueue')
has "/dev/null is a char device" "$out" "crw-rw-rw-"
has "/dev/shm exists" "$out" "/dev/shm"
eq "the six devices are crw-rw-rw-" "$(echo "$out" | grep -c '^crw-rw-rw-')" 6
out=$(bt run iso14 --rm -- sh -c 'umask; for l in ptmx fd stdin stdout stderr core; do readlink /dev/$l; done')
eq "the init's umask is 0022, /dev's links" "$(echo $out)" "0022 pts/ptmx /proc/self/fd /proc/self/fd/0 /proc/self/fd/1 /proc/self/fd/2 /proc/kcore"
if [ -d /proc/acpi ] && [ -d /sys/firmware ]; then
	out=$(bt run iso15 --rm -- sh -c 'ls -A /proc/acpi /sys/firmware; touch /proc/acpi/x /sys/firmware/x 2>&1')
	eq "masked dirs are empty and read-only" "$(echo $out)" "/proc/acpi: /sys/firmware: touch: /proc/acpi/x: Read-only file system touch: /sys/firmware/x: Read-only file system"
else
	skip "masked dirs are empty and read-only" "no /proc/acpi or /sys/firmware here"
fi
eq "host root invisible" "$(bt run iso13 --rm -- sh -c 'ls /work 2>&1 | head -1')" "ls: /work: No such file or directory"

# copy-on-write: a write inside reaches the container's upper layer, never
# the image's layer.
bt create cow -- sh -c 'echo changed > /etc/hostname; echo new > /newfile' >/dev/null
layer=$(dirname "$(dirname "$(ls -d "$T_ROOT"/layers/*/bin/busybox)")")
before=$(cat "$layer/etc/hostname")
bt start cow; wait_for 10 sh -c "[ \"\$($BOXTOP ls --json | jq -r '.[0].status')\" = stopped ]"
eq "image layer unchanged" "$(cat "$layer/etc/hostname")" "$before"
[ ! -e "$layer/newfile" ] && pass "new file not in image" || fail "new file not in image"
eq "change is in the upper layer" "$(cat "$T_ROOT/containers/cow/upper/etc/hostname")" changed
eq "another container sees the image" "$(bt run cow2 --rm -- cat /etc/hostname)" "$before"
ok "rm cow" bt rm cow
[ ! -e "$T_ROOT/containers/cow/upper" ] && pass "rm drops the upper layer" || fail "rm drops the upper layer"

# --read-only: the image is the root, read-only, with no writable layer
# on disk; what it lacks to mount on is made in memory under it.
out=$(bt run ro1 --rm --read-only -- sh -c 'touch /x 2>&1; echo w >/dev/shm/f && cat /dev/shm/f; hostname')
has "--read-only: the root refuses writes" "$out" "Read-only file system"
has "--read-only: /dev/shm is writable" "$out" "w"
has "--read-only: its hostname" "$out" "ro1"
mkdir -p "$T_ROOT/share-ro"; echo ro-shared >"$T_ROOT/share-ro/f"
bt create ro2 --read-only --mount "$T_ROOT/share-ro:/not/in/image" -- cat /not/in/image/f >/dev/null
eq "--read-only: no writable layer on disk" "$(ls "$T_ROOT/containers/ro2")" config.json
eq "--read-only: info says so" "$(bt info ro2 --json | jq .read_only)" true
eq "--read-only: a mount target the image lacks" "$(bt start -a ro2)" ro-shared
err_is "--read-only: nothing to commit" 1 "^boxtop: commit ro2: it has a read-only root" bt commit ro2 rocommit
ok "rm ro2" bt rm ro2
err_is "--read-only: '..' in a mount target" 1 "^boxtop: start ro3: read-only root: mount target '/a/../../x': no '..'" \
	bt run ro3 --rm --read-only --mount "$T_ROOT/share-ro:/a/../../x" -- true
no "--read-only: the failed run left nothing" test -e "$T_ROOT/containers/ro3"
no "--read-only: nothing left" test -e "$T_ROOT/containers/ro2"
eq "default: info says writable" "$(bt run rw1 --rm -- true; bt create rw2 -- true >/dev/null; bt info rw2 --json | jq .read_only)" false
bt rm rw2 >/dev/null

# --env and --mount
eq "--env" "$(bt run e1 --rm --env FOO=bar -- sh -c 'echo $FOO')" bar
mkdir -p "$T_ROOT/share"; echo shared > "$T_ROOT/share/f"
eq "--mount reads host dir" "$(bt run m1 --rm --mount "$T_ROOT/share:/mnt" -- cat /mnt/f)" shared
out=$(bt run m2 --rm --mount "$T_ROOT/share:/mnt:ro" -- sh -c '(echo x > /mnt/g) 2>&1')
has "--mount :ro is read-only" "$out" "Read-only"
bt run m3 --rm --mount "$T_ROOT/share:/mnt" -- sh -c 'echo w > /mnt/g'
# :ro all the way down: a mount below the source (a tmpfs the test made)
# is read-only in the container too (it used to stay writable: rbind then
# a read-only remount of the top only).
mkdir -p "$T_ROOT/share/sub" && mount -t tmpfs -o size=1m tsub "$T_ROOT/share/sub"
at_cleanup umount -l "$T_ROOT/share/sub"
out=$(bt run m4 --rm --mount "$T_ROOT/share:/mnt:ro" -- sh -c '(echo x > /mnt/sub/canary) 2>&1; grep " /mnt/sub " /proc/self/mountinfo')
has "--mount :ro: a submount is read-only too" "$out" "Read-only"
no "... nothing written in the submount" test -e "$T_ROOT/share/sub/canary"
has "... the kernel says ro" "$(echo "$out" | grep /mnt/sub)" " ro,"
umount "$T_ROOT/share/sub"
eq "--mount rw writes through" "$(cat "$T_ROOT/share/g")" w
# A mount target reached through a symlink that points out of the rootfs
# (/evil -> /etc) resolves inside the container, never on the host.
bt create sl --mount "$T_ROOT/share:/evil/boxtop-evil" -- ls /etc/boxtop-evil/f >/dev/null
ln -s /etc "$T_ROOT/containers/sl/upper/evil"
out=$(bt start -a sl 2>&1)
eq "symlinked target lands inside the rootfs" "$out" "/etc/boxtop-evil/f"
ok "host /etc untouched by symlinked targets" test ! -e /etc/boxtop-evil
bt rm sl >/dev/null
