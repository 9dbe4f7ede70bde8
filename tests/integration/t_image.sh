#!/usr/bin/env bash
# Images: import (directory, .tar.gz, OCI layout dir and archive made here
# with umoci, no network), whiteouts, shared layers, refusals that leave
# nothing behind, commit, rm while used, export, profiles, integrity check.
source "$(dirname "$0")/lib.sh"

W=$(mktemp -d /tmp/boxtop-imgsrc.XXXXXX)
at_cleanup "rm -rf $W"

# counts of what an import may leave: images, layers (tmp dirs included)
store_count() { echo "images=$(ls -A "$T_ROOT/images" | grep -v '^.lock$' | wc -l) layers=$(ls -A "$T_ROOT/layers" | wc -l)"; }

# A small root filesystem: the built-in image's layer plus a marker file.
bt image ls >/dev/null
BB=$(ls -d "$T_ROOT"/layers/*/ | head -n 1)
mkdir -p "$W/rootfs"
cp -a "$BB". "$W/rootfs/"
echo from-dir >"$W/rootfs/etc/marker"

# ---- directory and tarball -------------------------------------------------
ok "import: directory" bt image import fromdir "$W/rootfs"
eq "import: directory seen in a container" "$(bt run d1 --rm --image fromdir -- cat /etc/marker)" "from-dir"
echo from-tar >"$W/rootfs/etc/marker"
tar -C "$W/rootfs" -czf "$W/root.tar.gz" .
ok "import: .tar.gz" bt image import fromtgz "$W/root.tar.gz"
ok "import: standard input" sh -c "'$BOXTOP' image import fromstdin - <'$W/root.tar.gz'"
eq "import: standard input seen in a container" "$(bt run d3 --rm --image fromstdin -- cat /etc/marker)" "from-tar"
eq "import: .tar.gz seen in a container" "$(bt run d2 --rm --image fromtgz -- cat /etc/marker)" "from-tar"
if command -v zstd >/dev/null; then
	tar -C "$W/rootfs" -cf - . | zstd -q -c >"$W/root.tar.zst"
	ok "import: .tar.zst" bt image import fromzst "$W/root.tar.zst"
else
	skip "import: .tar.zst" "zstd not installed"
fi
eq "image ls --json lists them" "$(bt image ls --json | jq -r '[.[].name] | sort | join(",")')" \
	"busybox,fromdir,fromstdin,fromtgz$(command -v zstd >/dev/null && echo ,fromzst)"

# ---- OCI layout: two layers, a whiteout, config defaults ---------------------
if command -v umoci >/dev/null; then
	(
		cd "$W" || exit 1
		umoci init --layout oci &&
		umoci new --image oci:base &&
		umoci unpack --image oci:base b1 &&
		cp -a rootfs/. b1/rootfs/ && echo doomed >b1/rootfs/etc/doomed &&
		mkdir -p b1/rootfs/opq && echo old >b1/rootfs/opq/old &&
		umoci repack --image oci:base b1 &&
		umoci config --image oci:base --config.cmd /bin/cat --config.cmd /etc/marker \
			--config.env GREETING=hi --config.workingdir /etc &&
		umoci unpack --image oci:base b2 &&
		rm b2/rootfs/etc/doomed && rm -rf b2/rootfs/opq && mkdir b2/rootfs/opq &&
		echo new >b2/rootfs/opq/new && echo layer2 >b2/rootfs/etc/layer2 &&
		umoci repack --image oci:top b2
	) >"$W/umoci.log" 2>&1 || { fail "umoci: make layout" "$(tail -n 3 "$W/umoci.log")"; }

	err_is "oci: two tags and none chosen is refused" 1 "holds 2 images: choose one with SOURCE:TAG \\(tags: base, top\\)" bt image import o0 "$W/oci"
	before=$(ls "$T_ROOT/layers" | wc -l)
	ok "oci: import DIR:TAG" bt image import otop "$W/oci:top"
	eq "oci: two layers" "$(bt image info otop --json | jq '.layers | length')" 2
	eq "oci: whited-out file is gone" "$(bt run o1 --rm --image otop -- sh -c 'ls /etc/doomed 2>/dev/null || echo absent')" absent
	eq "oci: replaced dir hides the lower files" "$(bt run o2 --rm --image otop -- ls /opq)" new
	eq "oci: upper layer file seen" "$(bt run o3 --rm --image otop -- cat /etc/layer2)" layer2
	eq "oci: config Cmd is the default command" "$(bt run o4 --rm --image otop)" from-tar
	eq "oci: Env and WorkingDir" "$(bt run o5 --rm --image otop -- sh -c 'echo $GREETING $(pwd)')" "hi /etc"
	mid=$(ls "$T_ROOT/layers" | wc -l)
	ok "oci: import the base tag" bt image import obase "$W/oci:base"
	eq "oci: the shared layer is stored once" "$(ls "$T_ROOT/layers" | wc -l)" "$mid"
	eq "oci: two images, two new layers in all" "$((mid - before))" 2
	eq "oci: base keeps the file its child whited out" "$(bt run o6 --rm --image obase -- cat /etc/doomed)" doomed

	# the same layout as a tar archive
	tar -C "$W/oci" -cf "$W/oci.tar" .
	ok "oci: archive ARCHIVE:TAG" bt image import otar "$W/oci.tar:top"
	eq "oci: archive gives the same layers" "$(bt image info otar --json | jq -c '[.layers[].digest]')" \
		"$(bt image info otop --json | jq -c '[.layers[].digest]')"

	# skopeo recompressing the layers with zstd: new blob digests, same
	# diff_ids, so the layers are found in the store, not stored again
	if command -v skopeo >/dev/null && command -v zstd >/dev/null; then
		if skopeo copy -q --dest-compress-format zstd "oci:$W/oci:top" "oci-archive:$W/skz.tar:top" >"$W/skopeo.log" 2>&1; then
			nl=$(ls "$T_ROOT/layers" | wc -l)
			ok "skopeo: zstd oci-archive import" bt image import oskz "$W/skz.tar"
			eq "skopeo: recompressed layers are the same layers" "$(ls "$T_ROOT/layers" | wc -l)" "$nl"
			eq "skopeo: image runs" "$(bt run sk1 --rm --image oskz -- cat /etc/layer2)" layer2
		else
			fail "skopeo: copy" "$(tail -n 2 "$W/skopeo.log")"
		fi
	else
		skip "skopeo: zstd oci-archive" "skopeo or zstd not installed"
	fi

	# corrupt layer: same size, one byte changed -> digest mismatch
	cp -a "$W/oci" "$W/bad"
	man=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"]=="top") | .digest' "$W/bad/index.json")
	blob=$(jq -r '.layers[1].digest' "$W/bad/blobs/sha256/${man#sha256:}")
	printf 'X' | dd of="$W/bad/blobs/sha256/${blob#sha256:}" bs=1 seek=100 conv=notrunc 2>/dev/null
	before=$(store_count)
	err_is "oci: corrupt layer digest refused" 1 "digest mismatch" bt image import badlayer "$W/bad:top"
	eq "oci: corrupt layer leaves nothing behind" "$(store_count)" "$before"

	# malformed manifest (valid digest, no layers)
	cp -a "$W/oci" "$W/mal"
	printf '{"schemaVersion":2,"config":{"digest":"sha256:00"}}' >"$W/m.json"
	d=$(sha256sum "$W/m.json" | cut -d' ' -f1)
	cp "$W/m.json" "$W/mal/blobs/sha256/$d"
	jq --arg d "sha256:$d" --argjson s "$(stat -c %s "$W/m.json")" \
		'.manifests = [{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":$d,"size":$s}]' \
		"$W/oci/index.json" >"$W/mal/index.json"
	before=$(store_count)
	err_is "oci: malformed manifest refused" 1 "malformed manifest" bt image import mal "$W/mal"
	eq "oci: malformed manifest leaves nothing behind" "$(store_count)" "$before"

	# a digest that tries to name a path outside blobs/
	cp -a "$W/oci" "$W/trav"
	jq '.manifests = [{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:../../../../../../etc/passwd","size":1}]' \
		"$W/oci/index.json" >"$W/trav/index.json"
	err_is "oci: digest naming a path refused" 1 "malformed digest" bt image import trav "$W/trav"
	eq "oci: refusals leave nothing behind" "$(store_count)" "$before"
else
	skip "oci: layouts" "umoci not installed (apt-get install umoci)"
fi

# ---- docker save before Docker 25: manifest.json + <id>/layer.tar ------------------
mkdir -p "$W/ds/l1" "$W/ds/l2" "$W/l2root/etc"
tar -C "$W/rootfs" -cf "$W/ds/l1/layer.tar" .
echo second >"$W/l2root/etc/second"
: >"$W/l2root/etc/.wh.marker"
tar -C "$W/l2root" -cf "$W/ds/l2/layer.tar" .
h1=$(sha256sum "$W/ds/l1/layer.tar" | cut -d' ' -f1)
h2=$(sha256sum "$W/ds/l2/layer.tar" | cut -d' ' -f1)
printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/cat","/etc/second"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s","sha256:%s"]}}\n' \
	"$h1" "$h2" >"$W/ds/cfg.json"
echo '[{"Config":"cfg.json","RepoTags":["legacy:1"],"Layers":["l1/layer.tar","l2/layer.tar"]}]' >"$W/ds/manifest.json"
tar -C "$W/ds" -cf "$W/ds.tar" .
ok "docker save: import" bt image import legacy "$W/ds.tar"
eq "docker save: config Cmd, upper layer" "$(bt run ds1 --rm --image legacy)" second
eq "docker save: whiteout applied" "$(bt run ds2 --rm --image legacy -- sh -c 'ls /etc/marker 2>/dev/null || echo absent')" absent
eq "docker save: same bottom layer as the .tar.gz import, stored once" \
	"$(bt image info legacy --json | jq -r '.layers[0].digest')" "$(bt image info fromtgz --json | jq -r '.layers[0].digest')"
sed -i "s/$h2/$h1/" "$W/ds/cfg.json"
tar -C "$W/ds" -cf "$W/ds-bad.tar" .
before=$(store_count)
err_is "docker save: layer not matching its diff_id refused" 1 "digest mismatch" bt image import legacybad "$W/ds-bad.tar"
eq "docker save: refusal leaves nothing behind" "$(store_count)" "$before"

# ---- hostile archives --------------------------------------------------------
python3 - "$W/evil.tar" <<'EOF'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    for name in ("ok", "../evil"):
        data = b"pwned\n"
        ti = tarfile.TarInfo(name); ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
EOF
before=$(store_count)
err_is "tar: ../evil refused" 1 "outside the tree" bt image import evil "$W/evil.tar"
eq "tar: ../evil leaves nothing behind" "$(store_count)" "$before"
no "tar: ../evil not written next to the layers" test -e "$T_ROOT/evil"
python3 - "$W/link.tar" "$W" <<'EOF'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    ti = tarfile.TarInfo("escape"); ti.type = tarfile.SYMTYPE; ti.linkname = sys.argv[2]
    t.addfile(ti)
    data = b"pwned\n"
    ti = tarfile.TarInfo("escape/planted"); ti.size = len(data)
    t.addfile(ti, io.BytesIO(data))
EOF
err_is "tar: write through a symlink refused" 1 "symlink" bt image import link "$W/link.tar"
no "tar: nothing planted outside" test -e "$W/planted"
eq "tar: refusals leave nothing behind" "$(store_count)" "$before"

# ---- bad input -----------------------------------------------------------------
err_is "import: missing source" 1 "no such file" bt image import nosuch "$W/nope"
err_is "import: name taken" 1 "already exists" bt image import fromdir "$W/rootfs"
err_is "import: bad name" 1 "image import" bt image import "bad/name" "$W/rootfs"
echo "not an archive" >"$W/plain.txt"
err_is "import: not an archive" 1 "neither a directory nor a tar" bt image import plain "$W/plain.txt"
err_is "import: usage" 2 "want NAME SOURCE" bt image import onlyname
err_is "image info: unknown" 1 "no such image" bt image info nosuch
err_is "image rm: unknown" 1 "no such image" bt image rm nosuch

# ---- progress on a terminal ------------------------------------------------------
if command -v script >/dev/null; then
	out=$(script -qec "$BOXTOP image import withprogress $W/root.tar.gz" /dev/null 2>&1)
	has "import: progress shown on a terminal" "$out" "%"
	out=$(bt image import noprogress "$W/root.tar.gz" 2>&1 >/dev/null)
	eq "import: no progress when not a terminal" "$out" ""
fi

# ---- commit ------------------------------------------------------------------------
ok "commit: make changes" bt run c1 --image fromtgz -- sh -c 'echo changed > /etc/marker; echo new > /root/added; rm /etc/hostname; rm -rf /var; mkdir /var; touch /var/only'
ok "commit: stopped container" bt commit c1 committed
eq "commit: one more layer" "$(bt image info committed --json | jq '.layers | length')" 2
eq "commit: change seen" "$(bt run c2 --rm --image committed -- cat /etc/marker /root/added)" "changed
new"
eq "commit: deletion kept" "$(bt run c3 --rm --image committed -- sh -c 'ls /etc/hostname 2>/dev/null || echo absent')" absent
eq "commit: replaced directory is opaque over the lower layer" "$(bt run c3b --rm --image committed -- ls /var)" only
ok "commit: running container" bt create c4 --image fromtgz -- sh -c 'echo live > /root/live; exec sleep 1000'
ok "commit: start it" bt start c4
wait_for 5 bt exec c4 -- test -e /root/live
ok "commit: while running" bt commit c4 live
eq "commit: still running after" "$(status_of c4)" running
eq "commit: running change seen" "$(bt run c5 --rm --image live -- cat /root/live)" live
err_is "commit: image name taken" 1 "already exists" bt commit c4 live
err_is "commit: no such container" 1 "c9" bt commit c9 other
bt stop -t 0 c4 >/dev/null 2>&1

# ---- rm while used, layers removed with the last image ----------------------------
err_is "image rm: refused while used" 1 "in use by .*c1" bt image rm fromtgz
ok "image rm: the container goes" bt rm c1
nl=$(ls "$T_ROOT/layers" | wc -l)
ok "image rm: committed image" bt image rm committed
eq "image rm: its own layer removed" "$(ls "$T_ROOT/layers" | wc -l)" $((nl - 1))
ok "image rm: base still usable" bt run c6 --rm --image fromtgz -- true

# ---- export ------------------------------------------------------------------------------
ok "export: .tar.gz" bt image export fromtgz "$W/out.tar.gz"
ok "export: re-import" bt image import reimported "$W/out.tar.gz"
eq "export: round trip" "$(bt run e1 --rm --image reimported -- cat /etc/marker)" from-tar
if command -v umoci >/dev/null; then
	ok "export: layered image" bt image export otop "$W/otop.tar"
	no "export: whited-out file absent" sh -c "tar -tf $W/otop.tar | grep -q etc/doomed"
	has "export: upper layer file present" "$(tar -tf "$W/otop.tar")" "etc/layer2"
fi
eq "export: to standard output" "$(bt image export fromtgz - | tar -xOf - etc/marker)" from-tar
err_is "export: unknown image" 1 "no such image" bt image export nosuch "$W/x.tar"
no "export: no file left on failure" test -e "$W/x.tar"

# ---- profiles -------------------------------------------------------------------------------
ok "profile: create" bt profile create small --memory 64M --pids 50 --env A=1 --env B=2 --image fromtgz
eq "profile: ls" "$(bt profile ls)" small
ok "profile: create with it" bt create p1 --profile small --memory 32M --env B=3
eq "profile: explicit memory wins" "$(bt info p1 --json | jq .limits.memory)" 33554432
eq "profile: pids from the profile" "$(bt info p1 --json | jq .limits.pids)" 50
eq "profile: image from the profile" "$(bt info p1 --json | jq -r .image)" fromtgz
eq "profile: env merged, explicit wins" "$(bt run p2 --rm --profile small --env B=3 -- sh -c 'echo $A $B')" "1 3"
ok "profile: batch with it" bt batch pb --count 2 --profile small -- sleep 1000
eq "profile: batch made two" "$(bt ls --json | jq -c '[.[] | select(.name | startswith("pb-")) | .name] | length')" 2
eq "profile: batch pids from the profile" "$(bt info "$(bt ls --json | jq -r '[.[] | select(.name | startswith("pb-"))][0].name')" --json | jq .limits.pids)" 50
bt rm --force $(bt ls --json | jq -r '.[] | select(.name | startswith("pb-")) | .name') >/dev/null 2>&1
err_is "profile: exists" 1 "already exists" bt profile create small --pids 5
ok "profile: --replace" bt profile create small --pids 5 --replace
eq "profile: replaced" "$(bt profile show small | jq -c .)" '{"pids":5}'
err_is "profile: unknown at create" 1 "no such profile" bt create p3 --profile nope
no "profile: nothing made on failure" test -e "$T_ROOT/containers/p3"
ok "profile: rm" bt profile rm small
err_is "profile: rm unknown" 1 "no such profile" bt profile rm small

# ---- integrity check ----------------------------------------------------------------------------
ok "verify: create with --verify" bt create v1 --image fromdir --verify /etc/marker --verify /etc/passwd -- cat /etc/marker
ok "verify: starts while intact" bt start v1
wait_for 5 sh -c "[ \"\$(bt ls --json | jq -r '.[] | select(.name==\"v1\") | .status')\" = stopped ]"
layer=$(bt image info fromdir --json | jq -r '.layers[0].digest' | cut -c8-)
echo tampered >"$T_ROOT/layers/$layer/etc/marker"
err_is "verify: start refused after a change, naming the file" 1 "integrity check failed: /etc/marker changed" bt start v1
has "verify: reason in info" "$(bt info v1 --json | jq -r .error)" "/etc/marker"
has "verify: reason in the log" "$(bt logs v1 2>&1)" "integrity check failed"
err_is "verify: missing path refused at create" 1 "missing" bt create v2 --image fromdir --verify /no/such
no "verify: nothing made on failure" test -e "$T_ROOT/containers/v2"

exit 0
