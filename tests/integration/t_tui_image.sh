#!/usr/bin/env bash
# t_tui_image.sh - images from the screen, driven in tmux: the create
# dialog offers every image in the store, `i` imports one in the worker
# with a progress bar while keys keep working, a container is made from it
# through the `n` dialog, and a bad source is one line with nothing left.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tui_lib.sh"

W=$(mktemp -d /tmp/boxtop-tuiimg.XXXXXX)
at_cleanup "rm -rf $W"

# what an import may leave: images, layers (tmp dirs included)
store_count() { echo "images=$(ls -A "$T_ROOT/images" | grep -v '^.lock$' | wc -l) layers=$(ls -A "$T_ROOT/layers" | wc -l)"; }
has_image() { bt image ls --json | jq -e --arg n "$1" 'any(.[]; .name == $n)'; }
image_of() { bt ls --json | jq -r --arg n "$1" '.[] | select(.name == $n) | .image'; }

# A small root filesystem: the built-in image's layer plus a marker file.
bt image ls >/dev/null
BB=$(ls -d "$T_ROOT"/layers/*/ | head -n 1)
mkdir -p "$W/rootfs"
cp -a "$BB". "$W/rootfs/"
echo from-screen >"$W/rootfs/etc/marker"

# ---- the create dialog offers an image the CLI imported -------------------
ok "cli import" bt image import clidir "$W/rootfs"
tui_open 100 30 "$BOXTOP"
wait_screen "screen opens" 'F1Help'
keys n
wait_screen "create dialog opens" 'Create and start'
wait_screen "default image first" '< busybox >'
keys Tab Right
wait_screen "create dialog offers the CLI-imported image" '< clidir >'
keys Escape
if wait_for 5 screen_lacks 'Create and start'; then pass "create dialog closes"; else fail "create dialog closes"; fi

# ---- import from the screen, progress while the store is busy -------------
# Hold the image store's lock: the import copies the tree, then waits for
# the lock to install it, so the progress bar is up for as long as we like.
flock "$T_ROOT/images/.lock" -c "while [ ! -e '$W/go' ]; do sleep 0.1; done" &
holder=$!
at_cleanup "touch $W/go; kill $holder 2>/dev/null"
wait_for 10 bash -c "! flock -n '$T_ROOT/images/.lock' true"
keys i
wait_screen "import dialog opens" 'Import an image'
keys -l scrdir; keys Tab; keys -l "$W/rootfs"; keys Enter
wait_screen "import shows a progress bar in bytes, of a known total" '^\[.*\] [0-9.]+[KMG]?/[0-9.]+[KMG]? import scrdir copying'
keys h
wait_screen "keys work while the import runs" 'boxtop - keys'
wait_screen "help lists the import key" 'i +import an image'
keys q
wait_screen "back from help during the import" 'F1Help'
touch "$W/go"
wait "$holder" 2>/dev/null
if wait_for 30 has_image scrdir; then pass "screen import lands in image ls --json"; else fail "screen import lands in image ls --json" "$(bt image ls 2>&1 | tr '\n' ' ')"; fi
wait_screen "import result reported" 'image scrdir imported'
eq "imported layer shared with the CLI's import" "$(bt image info scrdir --json | jq -r '.layers[0].digest')" \
	"$(bt image info clidir --json | jq -r '.layers[0].digest')"

# ---- create from it through the n dialog ----------------------------------
keys n
wait_screen "create dialog again" 'Create and start'
keys -l t-img; keys Tab
keys Right Right
wait_screen "create dialog offers the screen-imported image" '< scrdir >'
keys Tab Tab Tab Tab; keys -l 'sleep 1000'; keys Enter
if wait_for 30 status_is t-img running; then pass "container from the chosen image runs"; else fail "container from the chosen image runs" "status '$(status_of t-img)' $(screen | tail -n 2 | tr '\n' ' ')"; fi
eq "ls --json shows the chosen image" "$(image_of t-img)" scrdir
eq "the container sees the image's files" "$(bt exec t-img -- cat /etc/marker 2>&1)" from-screen
wait_screen "list shows the container" '^t-img +running'

# ---- the images view --------------------------------------------------------
keys v
wait_screen "v opens the images view" '^images: 3'
wait_screen "images view: column titles" 'NAME +LAYERS +SIZE +USED BY +SOURCE'
wait_screen "images view: the screen-imported image, used by 1" "^scrdir +1 +[0-9.]+[KM] +1 +$W/rootfs"
wait_screen "images view: the CLI-imported image, unused" '^clidir +1 +[0-9.]+[KM] +0 '
wait_screen "images view: busybox built in" '^busybox +1 .*\(built in\)'
wait_screen "images view bar" 'F10Back'
keys q
wait_screen "images view closes" 'F1Help'

# ---- the batch dialog offers them too --------------------------------------
keys b
wait_screen "batch dialog opens" 'Batch create'
keys Tab Left
wait_screen "batch dialog offers the last image by Left" '< scrdir >'
keys Escape

# ---- a bad source: one line, nothing left ----------------------------------
before=$(store_count)
keys i
wait_screen "import dialog opens again" 'Import an image'
keys -l badsrc; keys Tab; keys -l "$W/no-such-dir"; keys Enter
wait_screen "bad source shows the core's error" "image import badsrc: source '.*no-such-dir': no such file"
no "bad source leaves no image" has_image badsrc
eq "bad source leaves nothing in the store" "$(store_count)" "$before"
wait_screen "screen intact after the error" 'F1Help'
wait_screen "list intact after the error" '^t-img +running'
err_lines=$(screen | grep -c 'image import badsrc')
eq "the error is one line" "$err_lines" 1

# a file that is no image: the core's refusal, again one line
keys i
wait_screen "import dialog for a non-image" 'Import an image'
keys -l notimg; keys Tab; keys -l /etc/hostname; keys Enter
wait_screen "non-image source refused" 'image import notimg: .*neither a directory nor a tar archive'
no "non-image source leaves no image" has_image notimg

# checks inside the dialog: a bad name, standard input
keys i
wait_screen "import dialog for a bad name" 'Import an image'
keys -l 'bad/name'; keys Tab; keys -l "$W/rootfs"; keys Enter
wait_screen "bad image name refused in the dialog" "invalid name 'bad/name'"
keys Tab; keys C-u; keys -l 'okname'; keys Tab; keys C-u; keys -l -; keys Enter
wait_screen "standard input refused in the dialog" "source '-': standard input is the screen"
keys Escape
no "dialog refusals import nothing" has_image okname
eq "store unchanged by refusals" "$(store_count)" "$before"

# quitting after an import and the views: a clean exit (under `make asan`
# a sanitizer report would show in the pane)
keys q
if wait_for 15 screen_lacks 'F1Help'; then pass "q quits after the import"; else fail "q quits after the import"; fi
if screen_has 'Sanitizer|runtime error'; then fail "no sanitizer report" "$(screen | grep -m1 -E 'Sanitizer|runtime error')"; else pass "no sanitizer report"; fi

# ---- read-only: no import --------------------------------------------------
tui_open 100 30 "$BOXTOP --readonly"
wait_screen "readonly screen" 'READ-ONLY'
keys i
wait_screen "readonly refuses import" 'read-only mode'
keys v
wait_screen "readonly may still look at the images" '^images: 3'
keys q
if screen_has 'Import an image'; then fail "readonly opens no import dialog"; else pass "readonly opens no import dialog"; fi

bt rm --force t-img >/dev/null 2>&1
exit 0
