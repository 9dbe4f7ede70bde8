#!/usr/bin/env bash
# File capabilities (the security.capability xattr, what `setcap` writes:
# ping's cap_net_raw in Debian images) and set-id bits survive an import
# from a tar and a commit.  chown clears both, so the layer writer must set
# the owner first, then the xattrs, then the mode.
source "$(dirname "$0")/lib.sh"

if ! command -v setcap >/dev/null || ! command -v getcap >/dev/null; then
	skip "caps: import and commit" "setcap/getcap not installed (apt-get install libcap2-bin)"
	exit 0
fi
W=$(mktemp -d /tmp/boxtop-caps.XXXXXX)
at_cleanup "rm -rf $W"

# the path of layer N (0 = bottom) of an image, or its last with -1
layer_dir() { echo "$T_ROOT/layers/$(bt image info "$1" --json | jq -r ".layers[$2].digest" | cut -c8-)"; }

# ---- import --------------------------------------------------------------
mkdir -p "$W/root/bin"
echo pinger >"$W/root/bin/pinger"
chown 1000:1000 "$W/root/bin/pinger"
chmod 4755 "$W/root/bin/pinger"
setcap cap_net_raw+ep "$W/root/bin/pinger"
echo plain >"$W/root/bin/plain"
setcap cap_chown+ep "$W/root/bin/plain"
tar --xattrs --xattrs-include='security.capability' -C "$W/root" -cf "$W/caps.tar" .
has "import: the archive carries the xattr" "$(python3 -c 'import sys, tarfile; print([m.pax_headers for m in tarfile.open(sys.argv[1])])' "$W/caps.tar")" "security.capability"
ok "import: archive with file capabilities" bt image import capimg "$W/caps.tar"
L=$(layer_dir capimg 0)
has "import: capability kept (root-owned file)" "$(getcap "$L/bin/plain")" "cap_chown=ep"
has "import: capability kept (file owned by 1000)" "$(getcap "$L/bin/pinger")" "cap_net_raw=ep"
eq "import: set-uid bit and owner kept beside it" "$(stat -c '%a %u' "$L/bin/pinger")" "4755 1000"

# ---- directory import and commit: the tree copy ----------------------------
ok "import: directory with file capabilities" bt image import capdir "$W/root"
L=$(layer_dir capdir 0)
has "import dir: capability kept" "$(getcap "$L/bin/pinger")" "cap_net_raw=ep"
eq "import dir: set-uid bit and owner kept" "$(stat -c '%a %u' "$L/bin/pinger")" "4755 1000"

# A container makes the file; setcap on its writable layer from the host
# stands for a container that ran setcap itself.
ok "commit: container writes a file" bt run cc1 -- sh -c 'echo mine > /capfile && chown 1000 /capfile && chmod 4750 /capfile'
up="$T_ROOT/containers/cc1/upper"
ok "commit: setcap in the writable layer" setcap cap_net_bind_service+ep "$up/capfile"
ok "commit: commit it" bt commit cc1 capcommit
L=$(layer_dir capcommit -1)
has "commit: capability kept" "$(getcap "$L/capfile")" "cap_net_bind_service=ep"
eq "commit: set-uid bit and owner kept" "$(stat -c '%a %u' "$L/capfile")" "4750 1000"

exit 0
