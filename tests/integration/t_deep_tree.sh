#!/usr/bin/env bash
# A container may fill its writable layer with a tree deeper than any fixed
# limit (mkdir d; cd d in a loop).  Removal, commit (the layer copy), the
# image's removal and the size walks must all take it whole: with a depth
# limit such a container could never be removed.
source "$(dirname "$0")/lib.sh"

# deep N: the shell loop a container runs to make an N-deep tree with a
# file at its bottom
deep() { echo "i=0; while [ \$i -lt $1 ]; do mkdir d && cd d || exit 1; i=\$((i+1)); done; echo bottom >leaf"; }
# the bottom's path, inside the container
bottom() { printf 'd/%.0s' $(seq "$1"); echo leaf; }

ok "rm: a container makes a 1000-deep tree" bt run deep1 -- sh -c "$(deep 1000)"
ok "rm: the tree is in its writable layer" test -f "$T_ROOT/containers/deep1/upper/$(bottom 1000)"
ok "rm: the container is removed" bt rm deep1
no "rm: it is gone" test -e "$T_ROOT/containers/deep1"
eq "rm: nothing of the tree left (spares included)" \
	"$(find "$T_ROOT/containers" -name d -print -quit)" ""

ok "commit: a container makes a 400-deep tree" bt run deep2 -- sh -c "$(deep 400)"
ok "commit: it commits" bt commit deep2 deepimg
eq "commit: the bottom file is in the image" \
	"$(bt run deep3 --rm --image deepimg -- cat "/$(bottom 400)")" bottom
layer="$T_ROOT/layers/$(bt image info deepimg --json | jq -r '.layers[-1].digest' | cut -c8-)"
ok "commit: the layer holds the tree" test -f "$layer/$(bottom 400)"
[ "$(bt image info deepimg --json | jq '.layers[-1].size')" -ge 7 ] && pass "commit: layer size counts the bottom file" ||
	fail "commit: layer size counts the bottom file" "$(bt image info deepimg --json | jq -c '.layers[-1]')"
ok "rm: the committed container" bt rm deep2
ok "image rm: the deep image" bt image rm deepimg
no "image rm: its layer is gone" test -e "$layer"

exit 0
