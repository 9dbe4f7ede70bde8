#!/usr/bin/env bash
# Devices and capabilities, played as a hostile container: it makes a node
# for a host block device (a loop device on a file this test made) and for
# /dev/kmsg, and tries to write them; the canaries must stay as they were.
# The default nodes still work, --device gives one node with the access
# asked for, --cap-drop/--cap-add/--privileged change what the init holds,
# and bad values are refused with one line and exit 2.
. "$(dirname "$0")/lib.sh"

img=$(mktemp /tmp/boxtop-devcanary.XXXXXX)
at_cleanup "rm -f $img"
printf 'CANARY-%s' $$ >"$img"
truncate -s 64k "$img"
if ! loop=$(losetup -f --show "$img"); then
	fail "make a loop device" "losetup -f --show $img"
	exit 1
fi
# detached even while a container still holds it open (autoclear)
at_cleanup "losetup -d $loop"
read -r maj min < <(stat -c '%t %T' "$loop")
maj=$((16#$maj)) min=$((16#$min))
canary() { head -c 7 "$img"; }
mark="boxtop-attack-$$"

# --- the default allow-list --------------------------------------------------
out=$(bt run dv1 --rm -- sh -c "mknod /tmp/lp b $maj $min && echo made;
	(echo PWNED | dd of=/tmp/lp conv=notrunc) 2>&1; (head -c 7 /tmp/lp) 2>&1")
has "mknod of a host block device is allowed (as runc)" "$out" made
has "writing the host's loop device is refused" "$out" "can't open '/tmp/lp': Operation not permitted"
has "reading it is refused" "$out" "head: /tmp/lp: Operation not permitted"
eq "the loop device's file is unchanged" "$(canary)" "CANARY-"

out=$(bt run dv2 --rm -- sh -c "mknod /tmp/km c 1 11 && (echo $mark > /tmp/km) 2>&1")
has "writing /dev/kmsg (c 1:11) is refused" "$out" "Operation not permitted"
no "nothing reached the host's kernel log" sh -c "dmesg | grep -q $mark"

# the nodes every container has; a detached start has a console, so
# /dev/tty is its controlling terminal
bt create dv3 -- sh -c 'echo x >/dev/null && head -c 4 /dev/zero | wc -c &&
	head -c 4 /dev/urandom | wc -c && head -c 4 /dev/random | wc -c &&
	(echo x >/dev/full) 2>&1; echo hi >/dev/tty && echo tty-ok; echo done' >/dev/null
bt start dv3
wait_for 10 sh -c "$BOXTOP logs dv3 | grep -q done"
out=$(bt logs dv3 | tr -d '\r')
eq "null, zero, urandom, random work" "$(echo "$out" | grep -c '^4$')" 3
has "/dev/full says full" "$out" "No space left on device"
has "/dev/tty works" "$out" "tty-ok"
bt rm -f dv3 >/dev/null

# a process exec'd into a running container is held to the same list
bt create dv4 -- sleep 300 >/dev/null
bt start dv4
out=$(bt exec dv4 -- sh -c "mknod /tmp/lp b $maj $min; (echo PWNED > /tmp/lp) 2>&1")
has "exec: writing the loop device is refused" "$out" "Operation not permitted"
bt rm -f dv4 >/dev/null
eq "the loop device's file is unchanged after exec" "$(canary)" "CANARY-"

# a config made before boxtop wrote device rules gets the defaults, not all
bt create dv5 -- sh -c "mknod /tmp/lp b $maj $min; (echo PWNED > /tmp/lp) 2>&1" >/dev/null
jq 'del(.linux.resources.devices)' "$T_ROOT/containers/dv5/config.json" >"$T_ROOT/c.json" &&
	mv "$T_ROOT/c.json" "$T_ROOT/containers/dv5/config.json"
out=$(bt start -a dv5); bt rm dv5 >/dev/null
has "a config without rules is confined all the same" "$out" "Operation not permitted"
eq "the loop device's file is unchanged (old config)" "$(canary)" "CANARY-"

# --- --device ---------------------------------------------------------------
eq "--device: readable at the host path" \
	"$(bt run dv6 --rm --device "$loop" -- head -c 7 "$loop")" "CANARY-"
out=$(bt run dv7 --rm --device "$loop:/dev/xdisk:r" -- sh -c \
	'ls -l /dev/xdisk; head -c 7 /dev/xdisk; echo; (echo PWNED | dd of=/dev/xdisk conv=notrunc) 2>&1')
has "--device HOST:CONTAINER: the node is there" "$out" "$maj,"
has "--device ...:r: reads" "$out" "CANARY-"
has "--device ...:r: no write" "$out" "Operation not permitted"
eq "the loop device's file is unchanged (read-only device)" "$(canary)" "CANARY-"
err_is "--device of a file: refused" 2 "invalid device '/etc/hostname': not a character or block device" \
	bt create dv8 --device /etc/hostname
err_is "--device of a missing path: refused" 2 "invalid device '/nonexistent': No such file" \
	bt create dv8 --device /nonexistent
err_is "--device with bad access: refused" 2 "access 'rwx'" \
	bt create dv8 --device "$loop:/dev/x:rwx"
err_is "--device with too many parts: refused" 2 "expected HOST_PATH\[:CONTAINER_PATH\]\[:rwm\]" \
	bt create dv8 --device "$loop:/dev/x:r:w"
err_is "--device with a relative container path: refused" 2 "must be an absolute file path" \
	bt create dv8 --device "$loop:dev/x:r"

# --- capabilities -----------------------------------------------------------
out=$(bt run dv9 --rm --cap-drop ALL -- sh -c 'chown 1 /tmp 2>&1; grep CapEff /proc/1/status')
has "--cap-drop ALL: chown fails" "$out" "chown: /tmp: Operation not permitted"
has "--cap-drop ALL: no capability left" "$out" "CapEff:	0000000000000000"
# Docker's set (a80425fb) plus NET_ADMIN (bit 12)
has "--cap-add NET_ADMIN: in the init's CapEff" \
	"$(bt run dv10 --rm --cap-add NET_ADMIN -- cat /proc/1/status)" "CapEff:	00000000a80435fb"
has "--cap-add cap_net_admin: any case, CAP_ optional" \
	"$(bt run dv11 --rm --cap-add cap_net_admin -- cat /proc/1/status)" "CapEff:	00000000a80435fb"
has "--cap-drop ALL --cap-add CHOWN: adds come last" \
	"$(bt run dv12 --rm --cap-drop ALL --cap-add CHOWN -- cat /proc/1/status)" "CapEff:	0000000000000001"
err_is "unknown capability refused" 2 "invalid capability 'NOPE' to add" \
	bt run dv13 --rm --cap-add NOPE -- true
err_is "unknown capability to drop refused" 2 "invalid capability 'CAP_NOPE' to drop" \
	bt create dv13 --cap-drop CAP_NOPE
err_is "a number is no capability name" 2 "invalid capability '12'" \
	bt create dv13 --cap-add 12
no "refused creates leave no container" sh -c "$BOXTOP ls --json | jq -e 'map(.name) | index(\"dv13\") or index(\"dv8\")'"

# --- --privileged -------------------------------------------------------------
own=$(grep CapBnd /proc/self/status | cut -f2)
out=$(bt run dv14 --rm --privileged -- sh -c "grep CapEff /proc/1/status; mknod /tmp/lp b $maj $min; head -c 7 /tmp/lp")
has "--privileged: every capability boxtop holds" "$out" "CapEff:	$own"
has "--privileged: every device (reads the loop device)" "$out" "CANARY-"

# --- info ---------------------------------------------------------------------
bt create dv15 --cap-add NET_ADMIN --device "$loop:/dev/xdisk:rw" >/dev/null
out=$(bt info dv15)
has "info: capabilities" "$out" "NET_ADMIN"
has "info: the default list" "$out" "deny a *:* rwm, allow c *:* m, allow b *:* m, allow c 1:3 rwm"
has "info: the --device rule" "$out" "allow b $maj:$min rw"
j=$(bt info dv15 --json)
eq "info --json: capabilities" "$(echo "$j" | jq -r '.capabilities | index("NET_ADMIN") != null')" true
eq "info --json: device rules" "$(echo "$j" | jq -r '.devices[-1]')" "allow b $maj:$min rw"
eq "config.json: OCI linux.resources.devices starts by denying all" \
	"$(echo "$j" | jq -c '.config.linux.resources.devices[0]')" '{"allow":false,"type":"a","access":"rwm"}'
eq "config.json: OCI linux.devices" \
	"$(echo "$j" | jq -c ".config.linux.devices[0] | [.path, .type, .major, .minor]")" "[\"/dev/xdisk\",\"b\",$maj,$min]"
eq "info --json: not privileged" "$(echo "$j" | jq -r .privileged)" false
bt create dv16 --privileged >/dev/null
has "info: privileged" "$(bt info dv16)" "Mode:      privileged"
bt rm -f dv15 dv16 >/dev/null

prefix=$(bt debug-cgroup-prefix)
eq "no cgroup left behind (devices hierarchy included)" \
	"$(find /sys/fs/cgroup/*/"$prefix" -mindepth 1 -type d 2>/dev/null | wc -l)" 0
