#!/usr/bin/env bash
# Bad input gets one clear line (what, which value, why) and a non-zero
# exit; a failure midway leaves nothing behind.
. "$(dirname "$0")/lib.sh"
prefix=$(bt debug-cgroup-prefix)

# A root that is not there (a mistyped --root) is one without containers
# for the commands that only look or act on what exists: none makes it.
absent="$T_ROOT/absent/root"
eq "ls on an absent root: nothing" "$($BOXTOP --root "$absent" ls --json)" "[]"
err_is "rm on an absent root" 1 "container 'x': no such container" $BOXTOP --root "$absent" rm -f x
err_is "info on an absent root" 1 "container 'x': no such container" $BOXTOP --root "$absent" info x
ok "stop --all on an absent root" $BOXTOP --root "$absent" stop --all
ok "rm --all on an absent root" $BOXTOP --root "$absent" rm --all --force
no "... and none of them made it" test -e "$T_ROOT/absent"

err_is "empty name" 1 "invalid name '': must not be empty" bt create ""
err_is "name with /" 1 "invalid name 'a/b'.*'/'" bt create a/b
err_is "name .." 1 "invalid name '\.\.'" bt create ..
long=$(printf 'x%.0s' $(seq 65))
err_is "name over 64" 1 "invalid name 'x+\.\.\.': 65 characters, at most 64" bt create "$long"
bt create dup >/dev/null
err_is "duplicate name" 1 "container 'dup': already exists" bt create dup
err_is "unknown image" 1 "image 'nosuch': no such image" bt create x1 --image nosuch
err_is "malformed size" 2 "invalid size '12Q': unknown unit 'Q'" bt create x2 --memory 12Q
err_is "zero size" 2 "invalid size '0'" bt create x3 --memory 0
err_is "negative pids" 2 "invalid --pids '-5'" bt create x4 --pids -5
err_is "zero cpus" 2 "invalid --cpus '0'" bt create x5 --cpus 0
ncpu=$(nproc)
err_is "more cpus than the host has" 1 "invalid cpus '100': this host has $ncpu CPUs" bt create x6 --cpus 100
err_is "memory too small to start" 1 "invalid memory limit 1024 bytes: at least 6M" bt create x7 --memory 1K
err_is "hostname with a newline (would forge /etc/hosts lines)" 1 \
	"invalid hostname 'a\?1\.2\.3\.4 evil': only letters, digits" bt create x8 --hostname "$(printf 'a\n1.2.3.4 evil')"
no "... nothing made" test -e "$T_ROOT/containers/x8"
err_is "batch count zero" 2 "invalid --count '0'" bt batch b --count 0
err_is "batch count negative" 2 "invalid --count '-3'" bt batch b --count -3
err_is "batch without count" 2 "missing --count" bt batch b
err_is "bad env" 2 "invalid --env 'NOEQUALS'" bt create x6 --env NOEQUALS
err_is "bad mount" 2 "invalid --mount 'nocolon'" bt create x7 --mount nocolon
err_is "mount source missing" 1 "invalid mount '/nonexistent-src'" bt create x8 --mount /nonexistent-src:/mnt
err_is "missing name" 2 "missing container NAME" bt create
err_is "unknown option" 2 "unknown option '--bogus'" bt create x9 --bogus
err_is "unknown command" 2 "unknown command 'frobnicate'" bt frobnicate
err_is "start unknown container" 1 "container 'ghost': no such container" bt start ghost
err_is "stop without names" 2 "missing container NAME" bt stop
err_is "missing command binary" 1 "start x10: exec '/no/such/cmd': No such file" bt run x10 --rm -- /no/such/cmd
eq "nothing half-made by the bad creates" "$(bt ls --json | jq -r '[.[].name] | join(",")')" "dup"

# Corrupt files: a clear error naming the file; ls still lists the
# container so it can be removed.
bt create broken >/dev/null
echo '{ not json' > "$T_ROOT/containers/broken/config.json"
err_is "corrupt config.json" 1 "container 'broken': corrupt config.json: line 1" bt start broken
has "ls still lists a corrupt container" "$(bt ls)" broken
bt create broken2 >/dev/null
echo '[1,2' > "$(state_file broken2)"
err_is "corrupt state.json" 1 "container 'broken2': corrupt state.json" bt info broken2
ok "a corrupt container can be removed" bt rm broken2 --force
echo '{"ociVersion":"1.0.2","process":{"args":[]}}' > "$T_ROOT/containers/broken/config.json"
err_is "config without args" 1 "process.args must be a non-empty array" bt start broken
bt rm broken --force >/dev/null 2>&1; rm -rf "$T_ROOT/containers/broken"

# Rollback: failures midway leave no cgroup, mount, process or netns.
bt create rb1 -- /no/such/cmd >/dev/null
bt create rb2 -- sleep 1000 >/dev/null
bt create rb3 -- sleep 1000 >/dev/null
mkdir -p "$T_ROOT/src"; bt create rb4 --mount "$T_ROOT/src:/mnt" -- sleep 1000 >/dev/null; rmdir "$T_ROOT/src"
before=$(leak_snapshot)
# exec of a missing binary at start
err_is "start with a missing binary fails" 1 "exec '/no/such/cmd'" bt start rb1
eq "status stays created" "$(status_of rb1)" created
has "the failure is recorded for info" "$(bt info rb1 --json | jq -r .error)" "/no/such/cmd"
# a cgroup write the kernel refuses (CPU quota below its minimum)
jq '.linux.resources.cpu = {"quota": 5, "period": 100000}' "$T_ROOT/containers/rb2/config.json" >"$T_ROOT/c.json" && mv "$T_ROOT/c.json" "$T_ROOT/containers/rb2/config.json"
err_is "cgroup refusal fails the start" 1 "start rb2: .*cpu" bt start rb2
# the overlay mount fails (its upper layer vanished)
rm -rf "$T_ROOT/containers/rb3/upper"
err_is "mount failure fails the start" 1 "start rb3: mount overlay" bt start rb3
# a bind mount whose source vanished after create
err_is "bind source gone fails the start" 1 "start rb4: bind mount source" bt start rb4
sleep 0.2
after=$(leak_snapshot)
eq "nothing left behind by failed starts" "$after" "$before"

# rm of many that fails for some (files it may not delete): the others go,
# every failure is reported whole, one line each, in the order given.
for i in 1 2 3 4 5; do bt create "m$i" -- true >/dev/null; done
for i in 2 4; do echo x >"$T_ROOT/containers/m$i/upper/stuck"; chattr +i "$T_ROOT/containers/m$i/upper/stuck"; done
out=$(bt rm m1 m2 m3 m4 m5 2>&1 >/dev/null); rc=$?
eq "rm of five, two undeletable: exit 1" "$rc" 1
eq "rm of five, two undeletable: one line each, in order" \
	"$(echo "$out" | sed -E 's/^boxtop: rm (m[0-9]): remove .*(m[0-9]).*Operation not permitted$/\1 \2/' | tr '\n' ' ')" "m2 m2 m4 m4 "
eq "the others are gone, the two stay" "$(bt ls --json | jq -r '[.[].name | select(startswith("m"))] | join(",")')" "m2,m4"
for i in 2 4; do chattr -i "$T_ROOT/containers/m$i/upper/stuck"; done
ok "then they go" bt rm m2 m4

# Every command takes --help (or -h) for its own usage, exit 0, nothing done
out=$(bt run --help); rc=$?
eq "run --help: exit 0" "$rc" 0
has "run --help: its usage" "$out" "usage: boxtop run NAME"
has "rm NAME --help: its usage, not a removal" "$(bt rm nosuch -h)" "usage: boxtop rm"
for cmd in create start stop kill freeze thaw rm batch ls info exec attach logs net image profile commit; do
	bt "$cmd" --help >/dev/null 2>&1 || fail "$cmd --help" "exit $?"
done
pass "every command answers --help"

# --help names every create option the parser takes (read from its table)
src=$(cd "$(dirname "$0")/../.." && pwd)
help=$(bt create --help)
missing=""
for o in $(sed -n '/^#define CREATE_LONG_OPTS/,/^$/p' "$src/tui/cli_opts.h" | grep -o '{"[a-z-]*"' | tr -d '{"'); do
	grep -q -- "--$o\b" <<<"$help" || missing+=" --$o"
done
eq "create --help lists every create option" "$missing" ""
for o in --ascii --block --no-color --readonly --theme --iterations; do
	grep -q -- "$o" <<<"$(bt help)" || missing+=" $o"
done
eq "help lists every TUI option" "$missing" ""
has "net --help lists ifaces" "$(bt net --help)" "net ifaces CONTAINER"
