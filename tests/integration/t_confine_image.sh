#!/usr/bin/env bash
# Image sources may not reach the host: an OCI layout or a `docker save`
# archive is unpacked to a scratch directory with its symlinks kept, and
# none of its files (index.json, blobs, manifest.json, the config, layers)
# may then be read through a symlink out of it, nor block the import as a
# FIFO.  Each attack points at a canary the test made, holding a token; the
# import must fail and neither its error nor the store may hold the token.
# Also: file capabilities (security.capability) survive import and commit.
source "$(dirname "$0")/lib.sh"

W=$(mktemp -d /tmp/boxtop-confine.XXXXXX)
at_cleanup "rm -rf $W"
TOKEN="CANARY-$$-$RANDOM$RANDOM"

sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }
# no_token NAME TEXT: TEXT does not hold the token, and neither does the
# store (an image description, a config, a layer file).
no_token() {
	if [[ $2 == *"$TOKEN"* ]]; then fail "$1" "token leaked: $(echo "$2" | head -c 300)"
	elif grep -rqs --binary-files=text "$TOKEN" "$T_ROOT/images" "$T_ROOT/layers"; then fail "$1" "token in the store"
	else pass "$1"; fi
}

# A layer: one file.
mkdir -p "$W/lroot/etc"
echo inside >"$W/lroot/etc/hello"
tar -C "$W/lroot" -cf "$W/layer.tar" .
# The canary layer, outside every layout: a file holding the token.
mkdir -p "$W/croot/etc"
echo "$TOKEN" >"$W/croot/etc/secret"
tar -C "$W/croot" -cf "$W/canary.tar" .

# mk_oci DIR [LAYER_TAR]: a one-layer OCI layout, tag v1.
mk_oci() {
	local d=$1 layer=${2:-$W/layer.tar} l c m
	mkdir -p "$d/blobs/sha256"
	l=$(sha "$layer")
	cp "$layer" "$d/blobs/sha256/$l"
	printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$l" >"$d/cfg"
	c=$(sha "$d/cfg")
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
		"$c" "$(size "$d/cfg")" "$l" "$(size "$layer")" >"$d/man"
	m=$(sha "$d/man")
	printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"v1"}}]}' \
		"$m" "$(size "$d/man")" >"$d/index.json"
	mv "$d/cfg" "$d/blobs/sha256/$c"
	mv "$d/man" "$d/blobs/sha256/$m"
	echo '{"imageLayoutVersion":"1.0.0"}' >"$d/oci-layout"
}
# the blob a layout's index names, the manifest's config and layer
man_of() { jq -r '.manifests[0].digest' "$1/index.json" | cut -c8-; }
layer_of() { jq -r '.layers[0].digest' "$1/blobs/sha256/$(man_of "$1")" | cut -c8-; }
pack() { tar -C "$1" -cf "$1.tar" .; }

# ---- control: the layout as made imports ---------------------------------
mk_oci "$W/good"
pack "$W/good"
ok "oci archive: the unmodified layout imports" bt image import good "$W/good.tar"
eq "oci archive: its layer is there" \
	"$(cat "$T_ROOT/layers/$(bt image info good --json | jq -r '.layers[0].digest' | cut -c8-)/etc/hello")" inside
n_images=$(ls "$T_ROOT/images" | grep -vc '^\.lock$')

# ---- index.json a symlink to a host file -----------------------------------
# The canary reads as an index of two images tagged with the token: an
# import that followed the link would list the tags in its error.
printf '{"schemaVersion":2,"manifests":[{"digest":"sha256:%064d","annotations":{"org.opencontainers.image.ref.name":"%s-a"}},{"digest":"sha256:%064d","annotations":{"org.opencontainers.image.ref.name":"%s-b"}}]}' \
	0 "$TOKEN" 0 "$TOKEN" >"$W/canary-index.json"
mk_oci "$W/idx"
ln -sf "$W/canary-index.json" "$W/idx/index.json"
pack "$W/idx"
out=$(bt image import idx "$W/idx.tar" 2>&1); rc=$?
eq "oci: index.json symlinked out: import fails" "$rc" 1
has "oci: index.json symlinked out: the reason" "$out" "symlink out of the layout"
no_token "oci: index.json symlinked out: host file not read" "$out"
ln -sf ../../../../../../../../..$W/canary-index.json "$W/idx/index.json"
pack "$W/idx"
out=$(bt image import idx "$W/idx.tar" 2>&1); rc=$?
eq "oci: index.json symlinked up with ..: import fails" "$rc" 1
no_token "oci: index.json symlinked up with ..: host file not read" "$out"

# ---- a blob a symlink to a host file ---------------------------------------
# The attacker knows the host file's digest (it made it, or it is a
# well-known file): the digest check alone then passes.  The canary
# manifest's description carries the token into the image.
mk_oci "$W/mb"
cfgd=$(jq -r '.config.digest' "$W/mb/blobs/sha256/$(man_of "$W/mb")")
jq -c --arg t "$TOKEN" '.annotations = {"org.opencontainers.image.description": $t}' \
	"$W/mb/blobs/sha256/$(man_of "$W/mb")" >"$W/canary-manifest.json"
cm=$(sha "$W/canary-manifest.json")
ln -s "$W/canary-manifest.json" "$W/mb/blobs/sha256/$cm"
jq -c --arg d "sha256:$cm" --argjson s "$(size "$W/canary-manifest.json")" \
	'.manifests[0].digest = $d | .manifests[0].size = $s' "$W/mb/index.json" >"$W/mb/i2"
mv "$W/mb/i2" "$W/mb/index.json"
pack "$W/mb"
out=$(bt image import mb "$W/mb.tar" 2>&1); rc=$?
eq "oci: manifest blob symlinked out: import fails" "$rc" 1
has "oci: manifest blob symlinked out: the reason" "$out" "symlink out of the layout"
no_token "oci: manifest blob symlinked out: host file not read" "$out"
[ -n "$cfgd" ] || fail "oci: test setup" "no config digest"

# the layer blob: the host's canary.tar, its digest in the manifest
mk_oci "$W/lb" "$W/canary.tar"
rm "$W/lb/blobs/sha256/$(layer_of "$W/lb")"
ln -s "$W/canary.tar" "$W/lb/blobs/sha256/$(layer_of "$W/lb")"
pack "$W/lb"
out=$(bt image import lb "$W/lb.tar" 2>&1); rc=$?
eq "oci: layer blob symlinked out: import fails" "$rc" 1
has "oci: layer blob symlinked out: the reason" "$out" "symlink out of the layout"
no_token "oci: layer blob symlinked out: host file not read" "$out"

# the same layout as a directory the user names: not followed either
out=$(bt image import lbdir "$W/lb" 2>&1); rc=$?
eq "oci dir: layer blob symlinked out: import fails" "$rc" 1
no_token "oci dir: layer blob symlinked out: host file not read" "$out"

# a blob that is a FIFO: opening it for reading would wait forever
mk_oci "$W/ff"
rm "$W/ff/blobs/sha256/$(layer_of "$W/ff")"
mkfifo "$W/ff/blobs/sha256/$(layer_of "$W/ff")"
pack "$W/ff"
out=$(timeout 60 "$BOXTOP" image import ff "$W/ff.tar" 2>&1); rc=$?
eq "oci: FIFO blob: import fails, does not hang" "$rc" 1
has "oci: FIFO blob: the reason" "$out" "not a regular file"

# ---- docker save: config and layers named by manifest.json -----------------
mk_ds() { # DIR LAYER_TAR
	local d=$1 l
	mkdir -p "$d/l1"
	cp "$2" "$d/l1/layer.tar"
	l=$(sha "$2")
	printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$l" >"$d/cfg.json"
	echo '[{"Config":"cfg.json","RepoTags":["ds:1"],"Layers":["l1/layer.tar"]}]' >"$d/manifest.json"
}
mk_ds "$W/ds" "$W/layer.tar"
pack "$W/ds"
ok "docker save: the unmodified archive imports" bt image import dsgood "$W/ds.tar"
n_images=$(ls "$T_ROOT/images" | grep -vc '^\.lock$')

# the config: not digest-checked at all in this format
printf '{"os":"linux","config":{"Cmd":["%s"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
	"$TOKEN" "$(sha "$W/layer.tar")" >"$W/canary-cfg.json"
mk_ds "$W/dc" "$W/layer.tar"
ln -sf "$W/canary-cfg.json" "$W/dc/cfg.json"
pack "$W/dc"
out=$(bt image import dc "$W/dc.tar" 2>&1); rc=$?
eq "docker save: config symlinked out: import fails" "$rc" 1
has "docker save: config symlinked out: the reason" "$out" "symlink out of the layout"
no_token "docker save: config symlinked out: host file not read" "$out"

mk_ds "$W/dl" "$W/canary.tar"
ln -sf "$W/canary.tar" "$W/dl/l1/layer.tar"
pack "$W/dl"
out=$(bt image import dl "$W/dl.tar" 2>&1); rc=$?
eq "docker save: layer symlinked out: import fails" "$rc" 1
has "docker save: layer symlinked out: the reason" "$out" "symlink out of the layout"
no_token "docker save: layer symlinked out: host file not read" "$out"

# manifest.json itself: the canary reads as two images tagged with the
# token.  Not followed, the archive is no docker save: a root filesystem.
printf '[{"Config":"x","RepoTags":["%s:a"],"Layers":["x"]},{"Config":"x","RepoTags":["%s:b"],"Layers":["x"]}]' \
	"$TOKEN" "$TOKEN" >"$W/canary-manifest-ds.json"
mk_ds "$W/dm" "$W/layer.tar"
ln -sf "$W/canary-manifest-ds.json" "$W/dm/manifest.json"
pack "$W/dm"
out=$(bt image import dm "$W/dm.tar" 2>&1)
no_token "docker save: manifest.json symlinked out: host file not read" "$out"
bt image rm dm >/dev/null 2>&1
eq "refusals leave no image behind" "$(ls "$T_ROOT/images" | grep -vc '^\.lock$')" "$n_images"
eq "refusals leave no temporary layer behind" "$(ls -A "$T_ROOT/layers" | grep -c '^\.tmp')" 0

exit 0
