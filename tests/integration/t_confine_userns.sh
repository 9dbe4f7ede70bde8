#!/usr/bin/env bash
# --userns auto: container root is an unprivileged slice of host ids.  The
# test plays the hostile container root: it must not read or write a
# root-owned file the test bound in, nor make or use a device node, and
# on the host everything it is and makes carries the slice's ids; the
# image's layer stays root's and shared.  Canaries are files, a loop
# device and a network namespace this test made.
. "$(dirname "$0")/lib.sh"

CLAIMS=/var/lib/boxtop-userns
json_base() { bt info "$1" --json | jq -r ".$2[0].hostID"; }
claim_of() { grep -lx -- "$T_ROOT" "$CLAIMS"/* 2>/dev/null | xargs -r grep -lx -- "$1" | xargs -r -n1 basename; }

# ---- the map, from inside and from the host
ok "create --userns auto" bt create u1 --userns auto -- sleep 600
ok "start it" bt start u1
base=$(json_base u1 uid_map)
gbase=$(json_base u1 gid_map)
case "$base" in ''|null|0|*[!0-9]*) fail "info --json uid_map" "hostID '$base'"; base=0 ;;
*) pass "info --json uid_map: hostID $base" ;; esac
eq "info --json: 65536 ids" "$(bt info u1 --json | jq -c '[.uid_map[0].size, .gid_map[0].size, .uid_map[0].containerID]')" "[65536,65536,0]"
has "info text: the map" "$(bt info u1)" "Userns:    0->$base (65536)"
has "config.json: a user namespace" "$(jq -c '.linux.namespaces' "$T_ROOT/containers/u1/config.json")" '{"type":"user"}'
[ "$base" -ge 100000 ] 2>/dev/null && pass "not a host user's id ($base)" || fail "not a host user's id" "$base"
entry=$(grep '^boxtop:' /etc/subuid | head -1)
case "$entry" in boxtop:*:*) pass "/etc/subuid has a boxtop entry ($entry)" ;; *) fail "/etc/subuid has a boxtop entry" "$(cat /etc/subuid)" ;; esac
grep -q '^boxtop:' /etc/subgid && pass "/etc/subgid has a boxtop entry" || fail "/etc/subgid has a boxtop entry"
IFS=: read -r _ start count <<<"$entry"
[ -n "$start" ] && [ "$base" -ge "$start" ] && [ "$((base + 65536))" -le "$((start + count))" ] &&
	pass "the slice is inside boxtop's range" || fail "the slice is inside boxtop's range" "$base in $entry"
eq "id -u inside is 0" "$(bt exec u1 -- id -u)" 0
eq "/proc/self/uid_map shows the host range" "$(bt exec u1 -- cat /proc/self/uid_map | tr -s ' ' | sed 's/^ //')" "0 $base 65536"
eq "/proc/self/gid_map too" "$(bt exec u1 -- cat /proc/self/gid_map | tr -s ' ' | sed 's/^ //')" "0 $gbase 65536"
pid=$(pid_of u1)
eq "the init's host uid is the slice's base" "$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")" "$base $base $base $base"
eq "the init's host gid too" "$(awk '/^Gid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")" "$gbase $gbase $gbase $gbase"
eq "no supplementary groups" "$(awk '/^Groups:/ {print $2}' "/proc/$pid/status")" ""
eq "its own user namespace" "$(readlink "/proc/$pid/ns/user" | grep -c "$(readlink /proc/self/ns/user)")" 0
eq "info --json: the user namespace's inode" "$(bt info u1 --json | jq '.namespaces[] | select(.type=="user") | .inode')" \
	"$(stat -L -c %i "/proc/$pid/ns/user")"

# ---- host files: root's 0600 and 0644, bound in read-write
share=$(mktemp -d "$T_ROOT/share.XXXX"); chmod 755 "$share"
echo secret >"$share/secret"; chmod 600 "$share/secret"
echo keep >"$share/public"; chmod 644 "$share/public"
ok "create with the files bound in" bt create u2 --userns auto --mount "$share:/share" -- sleep 600
ok "start it" bt start u2
base2=$(json_base u2 uid_map)
no "container root cannot read root's 0600 file" bt exec u2 -- cat /share/secret
no "... nor write root's 0644 file" bt exec u2 -- sh -c 'echo owned >/share/public'
no "... nor chmod it" bt exec u2 -- chmod 666 /share/secret
no "... nor chown it" bt exec u2 -- chown 0:0 /share/public
no "... nor remove it (a directory of root's)" bt exec u2 -- rm -f /share/public
eq "the files are untouched" "$(cat "$share/secret" "$share/public"; stat -c '%a %u' "$share/secret" "$share/public")" "secret
keep
600 0
644 0"
has "inside they are nobody's" "$(bt exec u2 -- ls -ln /share/secret)" " 65534 "
no "a start as container init: no read either" bt run u3 --rm --userns auto --mount "$share/secret:/s" -- cat /s
# control: without --userns the same container root reads it
eq "control: without --userns root reads it" "$(bt run u4 --rm --mount "$share/secret:/s" -- cat /s)" secret

# ---- devices: no node can be made, none planted in its layer works
img=$T_ROOT/loop.img
truncate -s 1M "$img" && echo loop-canary | dd of="$img" conv=notrunc status=none
loop=$(losetup -f --show "$img" 2>/dev/null)
if [ -n "$loop" ]; then
	at_cleanup losetup -d "$loop"
	majmin=$(printf '%d %d' "0x$(stat -c %t "$loop")" "0x$(stat -c %T "$loop")")
	out=$(bt exec u2 -- sh -c "mknod /dev/evil b $majmin; mknod /evil b $majmin; mknod /tmp/null c 1 3; ls /dev/evil /evil /tmp/null" 2>&1)
	eq "mknod refused everywhere (dev, root, tmp)" "$(echo "$out" | grep -c 'Operation not permitted')" 3
	no "... no node left" test -e "$T_ROOT/containers/u2/upper/evil"
	# planted by the host in its writable layer, open to all
	mknod -m 666 "$T_ROOT/containers/u2/upper/planted" b $majmin
	chown "$base2:$base2" "$T_ROOT/containers/u2/upper/planted"
	out=$(bt exec u2 -- sh -c 'ls -l /planted; head -c 11 /planted' 2>&1)
	has "a planted device node is there" "$out" "brw-rw-rw-"
	no "... but opens nothing (nodev)" sh -c "echo '$out' | grep -q loop-canary"
	has "... Permission denied" "$out" "Permission denied"
	rm -f "$T_ROOT/containers/u2/upper/planted"
else
	skip "devices" "no loop device"
fi
# --device: no node can be made in a user namespace: the host's is bound
out=$(bt run ud --rm --userns auto --device /dev/null:/dev/mynull -- sh -c 'echo x >/dev/mynull && echo wrote; ls -l /dev/mynull')
has "--device: the host's node, bound" "$out" "wrote"
has "--device: a char device 1, 3" "$out" "1,   3"
eq "/dev/null works (the host's, bound)" "$(bt exec u2 -- sh -c 'echo x >/dev/null && head -c 4 /dev/zero | wc -c')" 4
eq "/dev/null is a char device" "$(bt exec u2 -- sh -c 'ls -l /dev/null' | cut -c1-10)" "crw-rw-rw-"

# ---- the image's layer: shared, still root's, nothing chowned or copied
layer=$(dirname "$(dirname "$(ls -d "$T_ROOT"/layers/*/bin/busybox)")")
eq "one layer on disk" "$(ls "$T_ROOT/layers" | wc -l)" 1
eq "the layer is still owned by 0 on disk" "$(find "$layer" ! -uid 0 -o ! -gid 0 | wc -l)" 0
ino=$(stat -c %i "$layer/bin/busybox")
eq "u1 sees the layer's own file (shared, root's inside)" "$(bt exec u1 -- stat -c '%i %u:%g' /bin/busybox)" "$ino 0:0"
eq "u2 sees the same file" "$(bt exec u2 -- stat -c '%i %u:%g' /bin/busybox)" "$ino 0:0"
no "nothing copied up" test -e "$T_ROOT/containers/u1/upper/bin"

# ---- what it writes: its own ids on the host
bt exec u1 -- sh -c 'echo new >/newfile; echo changed >/etc/hostname; mkdir /d; chown 1000:1000 /d' >/dev/null
up=$T_ROOT/containers/u1/upper
eq "a new file in / is the slice's root on the host" "$(stat -c %u:%g "$up/newfile")" "$base:$gbase"
eq "a copied-up file too" "$(stat -c %u:%g "$up/etc/hostname")" "$base:$gbase"
eq "uid 1000 inside is base+1000 on the host" "$(stat -c %u:%g "$up/d")" "$((base + 1000)):$((gbase + 1000))"
eq "upper/ itself is the container root's" "$(stat -c %u:%g "$up")" "$base:$gbase"
# cp into it: what it makes is the container root's, not host root's
echo cp-in >"$T_ROOT/cpfile"
ok "cp into it" bt cp "$T_ROOT/cpfile" u1:/cpfile
eq "cp: root's inside" "$(bt exec u1 -- stat -c %u:%g /cpfile)" "0:0"
eq "cp: the slice's root on the host" "$(stat -c %u:%g "$up/cpfile")" "$base:$gbase"
eq "the image's file unchanged" "$(cat "$layer/etc/hostname")" "$(bt run u5 --rm -- cat /etc/hostname)"

# ---- every container its own slice; rm gives it back
[ "$base2" != "$base" ] && [ "$(( base2 >= base + 65536 || base >= base2 + 65536 ))" = 1 ] &&
	pass "two containers: slices apart ($base, $base2)" || fail "two containers: slices apart" "$base $base2"
eq "u1's slice is claimed for it" "$(claim_of u1)" "$base"
ok "rm u1" bt rm -f u1
eq "rm frees its claim" "$(claim_of u1)" ""
ok "a new container" bt create u6 --userns auto -- true
eq "... reuses the freed slice" "$(json_base u6 uid_map)" "$base"
eq "... claimed for it" "$(claim_of u6)" "$base"
base7=$(bt run u7 --rm --userns auto -- cat /proc/self/uid_map | awk '{print $2}')
[ -n "$base7" ] && [ "$base7" != "$base" ] && [ "$base7" != "$base2" ] && pass "run --rm: a slice of its own ($base7)" || fail "run --rm: a slice of its own" "$base7"
eq "run --rm frees it" "$(claim_of u7)" ""

# ---- batch, read-only root, restart
ok "batch --userns auto" bt batch ub --count 2 --userns auto -- sleep 600
b1=$(json_base ub-1 uid_map) b2=$(json_base ub-2 uid_map)
[ -n "$b1" ] && [ "$b1" != null ] && [ "$b1" != "$b2" ] && pass "batch: a slice each ($b1, $b2)" || fail "batch: a slice each" "$b1 $b2"
ok "stop and start again" sh -c "$BOXTOP stop ub-1 && $BOXTOP start ub-1"
eq "... same slice" "$(awk '/^Uid:/ {print $2}' "/proc/$(pid_of ub-1)/status")" "$b1"
eq "--read-only with --userns auto" "$(bt run ur --rm --read-only --userns auto -- sh -c 'id -u; touch /x 2>&1 | grep -c Read-only')" "0
1"
ok "rm the batch" bt rm -f ub-1 ub-2
eq "... frees their slices" "$(claim_of ub-1)$(claim_of ub-2)" ""
bt create uro --read-only --userns auto -- true >/dev/null
[ -n "$(claim_of uro)" ] && pass "--read-only: claimed" || fail "--read-only: claimed"
bt rm uro >/dev/null
eq "--read-only: rm frees it (no layer to tell it by)" "$(claim_of uro)" ""

# ---- commit would make an image of the mapped ids: refused
err_is "commit refused with a user namespace" 1 "^boxtop: commit u2: it has a user namespace" bt commit u2 img-u2

# ---- options: default and host have none; bad values refused
eq "default: no user namespace" "$(bt run d1 --rm -- cat /proc/self/uid_map | tr -s ' ' | sed 's/^ //')" "0 0 4294967295"
eq "--userns host: none" "$(bt run d2 --rm --userns host -- cat /proc/self/uid_map | tr -s ' ' | sed 's/^ //')" "0 0 4294967295"
bt create d3 --userns host -- true >/dev/null
eq "info --json uid_map null without one" "$(bt info d3 --json | jq -c '[.uid_map, .gid_map]')" "[null,null]"
no "info text: no Userns line" sh -c "$BOXTOP info d3 | grep -q Userns"
err_is "--userns bogus refused" 2 "^boxtop: create: --userns: invalid userns 'bogus': expected auto or host$" \
	bt create d4 --userns bogus -- true
err_is "run --userns '' refused" 2 "invalid userns '': expected auto or host" bt run d5 --userns '' -- true
err_is "batch --userns keep-id refused" 2 "invalid userns 'keep-id'" bt batch d6 --count 1 --userns keep-id -- true
no "nothing made by refused ones" test -e "$T_ROOT/containers/d4"

# ---- a profile keeps it
ok "profile with --userns auto" bt profile create unpriv --userns auto
eq "a container of the profile has a map" "$(bt run p1 --rm --profile unpriv -- cat /proc/self/uid_map | awk '{print ($2 > 0)}')" 1
eq "--userns host over the profile" "$(bt run p2 --rm --profile unpriv --userns host -- cat /proc/self/uid_map | awk '{print $2}')" 0

# ---- network: a bridge between two of them, in a namespace the test made
NS=bt-userns-$$
if ip netns add "$NS" 2>/dev/null; then
	N() { nsenter --net="/run/netns/$NS" "$@"; }
	at_cleanup "N $BOXTOP rm --all --force"
	at_cleanup "ip netns del $NS"
	N ip link set lo up
	ok "net create" N "$BOXTOP" net create ulab --subnet 10.78.0.0/24
	N "$BOXTOP" create na --userns auto --net ulab -- sleep 600 >/dev/null
	N "$BOXTOP" create nb --userns auto --net ulab -- sleep 600 >/dev/null
	ok "two containers on it" N "$BOXTOP" start na nb
	ok "one pings the other (its own netns, owned by its user namespace)" N "$BOXTOP" exec na -- ping -c1 -W2 10.78.0.3
	has "its sysfs is its netns's" "$(N "$BOXTOP" exec na -- ls /sys/class/net)" "eth0"
	# the host's netns (here: the test's): its sysfs cannot be mounted, the host's is bound read-only
	out=$(N "$BOXTOP" run nh --rm --userns auto --net host -- sh -c 'ls /sys/class/net; touch /sys/x 2>&1')
	has "--net host: the host's sysfs" "$out" "lo"
	has "--net host: read-only" "$out" "Read-only file system"
	N "$BOXTOP" rm -f na nb >/dev/null 2>&1
else
	skip "network" "cannot create a network namespace"
fi

# ---- leave nothing
bt rm -f u2 u6 d3 >/dev/null 2>&1
eq "no claim of this root left" "$(grep -lx -- "$T_ROOT" "$CLAIMS"/* 2>/dev/null | wc -l)" 0
