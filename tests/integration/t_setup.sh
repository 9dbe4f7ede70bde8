#!/usr/bin/env bash
# The README's set-up commands on a machine that has none of the -dev
# packages yet: `make deps all` must install them and then build with their
# flags, in that one make run.  The machine here already has the packages,
# so the test hides them: pkg-config answers nothing until a stand-in
# apt-get "installs" them, as on a fresh Debian.
. "$(dirname "$0")/lib.sh"
src=$(cd "$(dirname "$0")/../.." && pwd)
fake="$T_ROOT/fakebin" out="$T_ROOT/build"
mkdir -p "$fake"
real_pc=$(command -v pkg-config)
cat >"$fake/pkg-config" <<EOT
#!/bin/sh
[ -e "$fake/installed" ] || exit 1
exec "$real_pc" "\$@"
EOT
cat >"$fake/dpkg-query" <<'EOT'
#!/bin/sh
exit 1
EOT
cat >"$fake/apt-get" <<EOT
#!/bin/sh
[ "\$1" = install ] && touch "$fake/installed"
exit 0
EOT
chmod +x "$fake"/*

# README: quick start and tests, each reaching `make deps` then a build.
readme=$(cat "$src/README.md")
has "README's first command builds in the same make run as deps" "$readme" "make deps all &&"
has "README's second command runs deps then check" "$readme" "make deps && make check"

# Two objects that need pkg-config's flags (libnl's headers live in
# /usr/include/libnl3), and the static binary that needs its libraries.
log="$T_ROOT/make.log"
if PATH="$fake:$PATH" make -C "$src" -j2 BUILD="$out" deps "$out/core/net_link.o" "$out/tui/tui.o" >"$log" 2>&1; then
	pass "make deps + build with no packages before: compiles"
else
	fail "make deps + build with no packages before: compiles" "$(tail -n 3 "$log" | tr '\n' ' ')"
fi
ok "deps ran first (apt-get was called)" test -e "$fake/installed"
rm -f "$fake/installed"
no "and the build fails without the packages (the test can fail)" \
	env PATH="$fake:$PATH" make -C "$src" BUILD="$out/none" "$out/none/core/net_link.o"
