#!/usr/bin/env bash
# A root boxtop trusts: its directories are root's own and private.  Plays
# an unprivileged host user who wants a layer's set-uid file, and one who
# plants a container in a root they can write.
. "$(dirname "$0")/lib.sh"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
mode() { stat -c %a "$1"; }

bt create first -- true >/dev/null && bt rm first
for d in "" /containers /images /layers /networks /profiles; do
	eq "new root: ${d:-/} is 0700" "$(mode "$T_ROOT$d")" 700
done

# A set-uid root file in a layer (an image committed from a container).
bt run su1 -- sh -c 'cp /bin/busybox /bin/sush && chmod 4755 /bin/sush' >/dev/null
ok "commit an image holding a set-uid file" bt commit su1 suimg
sush=$(find "$T_ROOT/layers" -name sush | head -n 1)
eq "... the layer keeps it set-uid root" "$(stat -c '%a %u' "$sush")" "4755 0"
no "a host user cannot run a layer's set-uid file" as_nobody "$sush" true
no "... nor list the layers" as_nobody ls "$T_ROOT/layers"
no "... nor read a container's config" as_nobody cat "$T_ROOT/containers/su1/config.json"

# A root an older boxtop made open to all (0711) is closed at next use.
chmod 0711 "$T_ROOT" "$T_ROOT/layers" "$T_ROOT/containers"
ok "an old root opens" bt ls
eq "... closed again: root" "$(mode "$T_ROOT")" 700
eq "... layers" "$(mode "$T_ROOT/layers")" 700
eq "... containers" "$(mode "$T_ROOT/containers")" 700

# A root another user can write is refused: that user could plant a
# container whose config.json asks for every capability and a host bind.
chmod 0777 "$T_ROOT/containers"
err_is "containers/ writable by others: refused" 1 \
	"root directory $T_ROOT/containers: writable by other users \(mode 777\): refused" bt ls
err_is "... start refused too" 1 "writable by other users" bt start su1
chmod 0700 "$T_ROOT/containers"
chown 65534 "$T_ROOT/containers"
err_is "containers/ owned by another user: refused" 1 \
	"root directory $T_ROOT/containers: owned by uid 65534, not by uid 0 who runs boxtop: refused" bt ls
chown 0 "$T_ROOT/containers"
chown 65534 "$T_ROOT"
err_is "root owned by another user: refused" 1 "root $T_ROOT: owned by uid 65534" bt ls
chown 0 "$T_ROOT"
ok "back to ours: opens" bt ls

# The way to the root matters too: a parent others may write (not sticky)
# lets them swap the root for their own.
open="$T_ROOT/open"; mkdir -m 0777 "$open"; chmod 0777 "$open"
err_is "a parent writable by others: refused" 1 \
	"root $open/r: its parent $open is writable by other users \(mode 777\): refused" \
	env BOXTOP_ROOT="$open/r" "$BOXTOP" create p1 -- true
no "... nothing made in it" test -e "$open/r/containers"
chmod 1777 "$open"
ok "a sticky parent (as /tmp) is fine" env BOXTOP_ROOT="$open/r" "$BOXTOP" create p1 -- true
env BOXTOP_ROOT="$open/r" "$BOXTOP" rm p1 >/dev/null
rm -rf "$open"

bt rm su1 >/dev/null
bt image rm suimg >/dev/null
exit $((T_FAILS > 0))
