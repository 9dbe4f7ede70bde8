#!/usr/bin/env bash
# cp between the host and a container, as docker's; plays the container
# that lays symlinks for the copy to follow out of its root.
. "$(dirname "$0")/lib.sh"
H="$T_ROOT/host"; mkdir -p "$H/canary-dir"
echo host-secret >"$H/canary"
echo payload >"$H/f"
bt run -d c1 -- sleep 1000 >/dev/null

ok "host file into a directory of the container" bt cp "$H/f" c1:/root/
eq "... it is there, under its name" "$(bt exec c1 -- cat /root/f)" payload
ok "host file to a new name" bt cp "$H/f" c1:/root/g
eq "... under the new name" "$(bt exec c1 -- cat /root/g)" payload
mkdir -p "$H/tree/sub"; echo deep >"$H/tree/sub/x"
ok "a host directory, recursively" bt cp "$H/tree" c1:/root/
eq "... its files" "$(bt exec c1 -- cat /root/tree/sub/x)" deep
ok "a container directory to the host" bt cp c1:/etc "$H/etc-copy"
has "... its files" "$(cat "$H/etc-copy/passwd")" "root:"

# the container's symlinks resolve inside its root, never on the host
bt exec c1 -- ln -s "$H/canary-dir" /root/esc
bt exec c1 -- ln -s "$H/canary" /root/secret
bt cp "$H/f" c1:/root/esc/planted >/dev/null 2>&1
eq "into a symlink to a host dir: nothing lands on the host" "$(ls -A "$H/canary-dir")" ""
echo inner-secret >"$H/canary-dir/inner"
no "reading through a symlink to a host dir: refused" bt cp c1:/root/esc/inner "$H/out1"
no "... nothing of the host's file copied" test -e "$H/out1"
rm "$H/canary-dir/inner"
bt cp c1:/root/secret "$H/out2" >/dev/null 2>&1
ok "a symlink is copied as a symlink, not followed on the host" test -L "$H/out2"
bt exec c1 -- sh -c "mkdir -p /x && ln -s $H/canary /x/link"
bt cp c1:/x "$H/out3" >/dev/null 2>&1
no "... also inside a directory" grep -rq host-secret "$H/out3" --no-dereference 2>/dev/null
bt exec c1 -- sh -c 'ln -s / /root/up'
bt cp "$H/f" c1:/root/up/../../../../"$T_ROOT"/escaped >/dev/null 2>&1
no "'..' past the container's root stays in it" test -e "$T_ROOT/escaped"

# a container's set-uid file does not become one on the host
bt exec c1 -- sh -c 'cp /bin/busybox /root/su && chmod 4755 /root/su'
ok "copy a set-uid file out" bt cp c1:/root/su "$H/su"
eq "... without its set-uid bit" "$(stat -c %a "$H/su")" 755
bt exec c1 -- mknod /root/null c 1 3
err_is "device nodes are not copied" 1 "not copied \(a device or socket\) 'null'" bt cp c1:/root/null "$H/dev"

# a stopped container: its root mounted in the copy's own mount namespace
bt stop --time 0 c1 >/dev/null
ok "into a stopped container" bt cp "$H/f" c1:/root/while-stopped
ok "out of a stopped container" bt cp c1:/root/while-stopped "$H/back"
eq "... the content" "$(cat "$H/back")" payload
no "... and no mount of its root is left on the host" grep -q "$(bt debug-rundir)/c1/rootfs" /proc/self/mountinfo
eq "started again, it has the file" "$(bt exec c1 -- true 2>/dev/null; bt start c1; bt exec c1 -- cat /root/while-stopped)" payload

err_is "neither side in a container" 2 "one of SRC and DST must be NAME:PATH" bt cp "$H/f" "$H/g"
err_is "both sides in containers" 2 "copying between two containers is not supported" bt cp c1:/a c1:/b
err_is "no such container" 1 "no such container" bt cp "$H/f" nosuch:/x
err_is "no such source" 1 "cp c1: no such file '/nope'" bt cp c1:/nope "$H/x"
bt rm -f c1 >/dev/null
exit $((T_FAILS > 0))
