#!/usr/bin/env bash
# t_tui.sh - drive the real screen in tmux against real containers, as a
# person would: keys in with send-keys, the screen read back with
# capture-pane.  No timing assertions: every wait polls for screen text.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tui_lib.sh"

# ---- bad input never opens the screen ------------------------------------
err_is "bad delay is a usage error" 2 '^boxtop: --delay: want a number' bt --delay x
err_is "unknown option" 2 "^boxtop: unknown option '--bogus'" bt --bogus
err_is "delay needs a value" 2 '^boxtop: -d: needs a value' bt -d
out=$(bt --help 2>&1); has "help lists options" "$out" "--readonly"

# ---- containers to look at -----------------------------------------------
bt create t-run -- /bin/sh -c 'while true; do sleep 1; done' >/dev/null 2>&1
# its users are named by its own /etc/passwd, not the host's
mkdir -p "$T_ROOT/containers/t-run/upper/etc"
echo 'captain:x:0:0:Captain:/root:/bin/sh' >"$T_ROOT/containers/t-run/upper/etc/passwd"
bt start t-run >/dev/null 2>&1
bt create t-new -- /bin/sleep 1000 >/dev/null 2>&1
if [ "$(status_of t-run)" != running ]; then
	fail "setup: a running container" "t-run is '$(status_of t-run)'"
	exit 1
fi

tui_open 80 24 "$BOXTOP"
wait_screen "screen opens with the function bar" 'F1Help'
wait_screen "list shows the running container" '^t-run +running'
wait_screen "list shows the created container" '^t-new +created'
wait_screen "header counts" '1 running 0 paused 0 stopped'
has "function bar labels" "$(screen | tail -n 1)" "F10Quit"

# changes made by another process show up (inotify on the root)
bt create t-cli -- /bin/sh -c 'trap "exit 0" TERM; while true; do sleep 1; done' >/dev/null 2>&1
wait_screen "container created elsewhere appears" '^t-cli +created'
bt start t-cli >/dev/null 2>&1
wait_screen "container started elsewhere shows running" '^t-cli +running'
bt freeze t-cli >/dev/null 2>&1
wait_screen "container frozen elsewhere shows paused" '^t-cli +paused'
bt rm --force t-cli >/dev/null 2>&1
if wait_for 15 screen_lacks '^t-cli '; then pass "container removed elsewhere disappears"; else fail "container removed elsewhere disappears"; fi

# select t-run: filter narrows the list to it
keys /; keys -l t-run; keys Enter
wait_screen "filter shows matching row" '^t-run '
if wait_for 5 screen_lacks '^t-new '; then pass "filter hides other rows"; else fail "filter hides other rows"; fi
wait_screen "filter shown in header" 'filter:t-run'

# freeze: p shows paused (and the core agrees), p again thaws
keys p
wait_screen "freeze shows paused" '^t-run +paused'
eq "freeze reached the core" "$(status_of t-run)" paused
keys p
wait_screen "thaw shows running" '^t-run +running'

# detail pane: Tab shows config and processes from inside
keys Tab
wait_screen "detail pane shows the command" 'command +/bin/sh -c while'
wait_screen "detail pane lists processes" 'PID USER'
wait_screen "process users come from the container's /etc/passwd" '^ *[0-9]+ +captain '
wait_screen "detail pane shows a process of the container" 'sleep|/bin/sh'
keys Tab Tab
wait_screen "back to graphs" 'HOST CPU'

# exec a shell and come back to an intact screen
keys e
if wait_for 10 screen_has '^(/ )?# ?$|# $'; then pass "exec opens a shell"; else fail "exec opens a shell" "$(screen | tr -s ' ' | head -c 300)"; fi
keys -l 'echo inside-$((6*7))'; keys Enter
wait_screen "exec runs in the container" 'inside-42'
keys -l exit; keys Enter
wait_screen "exec returns to the screen" 'F1Help'
wait_screen "screen intact after exec" '^t-run +running'
if wait_for 5 screen_lacks 'inside-42'; then pass "exec output cleared"; else fail "exec output cleared"; fi

# attach to the console and detach with Ctrl-a q
keys a
wait_screen "attach connects" 'attached to t-run|Ctrl-a q'
keys C-a q
wait_screen "attach returns to the screen" 'F1Help'
wait_screen "screen intact after attach" '^t-run +running'

# Ctrl-K kills at once, no question asked
keys C-k
if wait_for 15 status_is t-run stopped; then pass "Ctrl-K kills"; else fail "Ctrl-K kills" "status $(status_of t-run)"; fi
wait_screen "killed container shows stopped" '^t-run +stopped'

# Esc clears the filter
keys Escape
wait_screen "Esc clears the filter" '^t-new '

# create dialog
keys n
wait_screen "create dialog opens" 'Create and start'
keys -l t-dlg; keys Tab Tab Tab Tab Tab; keys -l 'sleep 1000'; keys Enter
if wait_for 20 status_is t-dlg running; then pass "create dialog creates and starts"; else fail "create dialog creates and starts" "status '$(status_of t-dlg)' $(screen | tail -n 2 | tr '\n' ' ')"; fi
wait_screen "created container in the list" '^t-dlg +running'
eq "create dialog: a writable root by default" "$(bt info t-dlg --json | jq .read_only)" false
# the Root field: Right turns it to read-only
keys n
wait_screen "create dialog opens again" 'Create and start'
wait_screen "create dialog offers the root's kind" '< writable >'
keys -l t-ro; keys Tab Tab Tab Tab Tab; keys -l 'sleep 1000'; keys Tab Right
wait_screen "Root field turns read-only" '< read-only >'
keys Enter
if wait_for 20 status_is t-ro running; then pass "create dialog: a read-only container runs"; else fail "create dialog: a read-only container runs" "status '$(status_of t-ro)'"; fi
eq "create dialog: read-only reached the core" "$(bt info t-ro --json | jq .read_only)" true

# create dialog refuses a bad name inside the dialog, creates nothing
n0=$(bt ls --json | jq length)
keys n; keys -l 'bad/name'; keys Enter
wait_screen "create dialog shows the error" 'name'
keys Escape
eq "bad name creates nothing" "$(bt ls --json | jq length)" "$n0"

# batch dialog: base, image, ip, count
keys b
wait_screen "batch dialog opens" 'Batch create'
keys C-u; keys -l tb; keys Tab Tab Tab; keys C-u; keys -l 3; keys Tab Tab; keys -l 'sleep 1000'; keys Enter
if wait_for 60 bash -c "[ \$($BOXTOP ls --json | jq '[.[] | select(.name|startswith(\"tb-\")) | select(.status==\"running\")] | length') = 3 ]"; then
	pass "batch dialog creates and starts 3"
else
	fail "batch dialog creates and starts 3" "$(bt ls 2>&1 | tr '\n' ' ')"
fi
wait_screen "batch rows shown" '^tb-[0-9]+ +running'
wait_screen "batch reports done" 'batch: done|tb-'

# sort: name ascending puts t-dlg first of t-*, inverted puts tb-* first
keys /; keys -l t; keys Enter
keys N
wait_screen "sort by name marked" 'NAME\^'
f1=$(screen | sed -n 3p | awk '{print $1}')
keys I
if wait_for 5 bash -c "[ \"\$(tmux -L $S capture-pane -p -t $S | sed -n 3p | awk '{print \$1}')\" != '$f1' ]"; then pass "invert changes the row order"; else fail "invert changes the row order" "first row stays $f1"; fi
keys P
wait_screen "sort by CPU marked in the titles" 'CPU%v'
keys Escape

# resize to 60x20 and back: columns drop, then return
tm resize-window -t "$S" -x 60 -y 20 2>/dev/null || tm resize-pane -t "$S" -x 60 -y 20
wait_screen "60x20 still lists containers" '^t-new +created'
if wait_for 10 screen_lacks 'NET rx/tx'; then pass "60x20 drops low-priority columns"; else fail "60x20 drops low-priority columns"; fi
wait_screen "60x20 keeps the function bar" 'F1Help'
wait_screen "60x20 function bar keeps Quit" 'F10Quit *$'
tm resize-window -t "$S" -x 30 -y 10 2>/dev/null
wait_screen "too small says the size it needs" 'needs at least 40x12'
tm resize-window -t "$S" -x 80 -y 24 2>/dev/null
wait_screen "80x24 again shows all columns" 'NET rx/tx'
wait_screen "80x24 again lists containers" '^t-new +created'

# ---- actions on the selected container ----------------------------------
# an init that leaves on SIGTERM, so stop needs no grace period
bt create t-act -- /bin/sh -c 'trap "exit 0" TERM; echo hello-console; while true; do sleep 1; done' >/dev/null 2>&1
bt start t-act >/dev/null 2>&1
keys /; keys C-u; keys -l t-act; keys Enter
wait_screen "select t-act" '^t-act +running'
keys s
if wait_for 20 status_is t-act stopped; then pass "s stops"; else fail "s stops" "$(status_of t-act)"; fi
wait_screen "stopped shown" '^t-act +stopped'
keys s
if wait_for 20 status_is t-act running; then pass "s starts again"; else fail "s starts again" "$(status_of t-act)"; fi
p1=$(pid_of t-act)
keys r
if wait_for 20 bash -c "p=\$($BOXTOP ls --json | jq -r '.[] | select(.name==\"t-act\") | .pid'); [ \"\$p\" != '$p1' ] && [ \"\$p\" != 0 ] && [ \"\$p\" != null ]"; then pass "r restarts (new pid)"; else fail "r restarts (new pid)"; fi
wait_for 10 status_is t-act running

# the console log view
keys l
wait_screen "log view shows console output" 'hello-console'
wait_screen "log view bar" 'F10Back'
keys q
wait_screen "log view closes" 'F1Help'

# signal menu: pick SIGKILL; the next menu preselects it
keys k
wait_screen "signal menu opens" 'Send signal'
keys Down; keys Enter
if wait_for 15 status_is t-act stopped; then pass "signal menu sends SIGKILL"; else fail "signal menu sends SIGKILL" "$(status_of t-act)"; fi
keys k
wait_screen "signal menu remembers the last signal" 'SIGKILL'
keys Escape

# remove asks first: n keeps it, y removes it
keys x
wait_screen "remove asks" 'Remove t-act\?'
keys n
wait_for 3 bash -c false
eq "remove declined keeps it" "$(status_of t-act)" stopped
keys x
wait_screen "remove asks again" 'Remove t-act\?'
keys y
if wait_for 15 bash -c "[ -z \"\$($BOXTOP ls --json | jq -r '.[] | select(.name==\"t-act\") | .name')\" ]"; then pass "remove after yes"; else fail "remove after yes"; fi
keys Escape

# tags: Space tags two rows, p freezes both
keys /; keys C-u; keys -l tb-; keys Enter
wait_screen "batch rows filtered" '^tb-1 '
keys Home; keys Space Space
wait_screen "two tagged" 'tagged:2'
keys p
if wait_for 15 bash -c "[ \$($BOXTOP ls --json | jq '[.[] | select(.status==\"paused\")] | length') = 2 ]"; then pass "action applies to tagged rows"; else fail "action applies to tagged rows" "$(bt ls 2>&1 | tr '\n' ' ')"; fi
eq "untagged row untouched" "$(status_of tb-3)" running
wait_screen "tagged rows shown paused" '^\*tb-2 +paused'
keys p
if wait_for 15 bash -c "[ \$($BOXTOP ls --json | jq '[.[] | select(.status==\"paused\")] | length') = 0 ]"; then pass "tagged thaw"; else fail "tagged thaw"; fi
keys U
if wait_for 5 screen_lacks 'tagged:'; then pass "U untags all"; else fail "U untags all"; fi
keys Escape

# ---- live stats: a busy container shows CPU and memory, an idle one not --
bt create t-busy --memory 64M -- /bin/sh -c 'while :; do :; done' >/dev/null 2>&1
bt start t-busy >/dev/null 2>&1
keys /; keys C-u; keys -l t-busy; keys Enter
# the CPU column: a number of at least 5 %
busy_cpu() { row_of t-busy | awk '{ if ($5+0 >= 5) exit 0; exit 1 }'; }
if wait_for 15 busy_cpu; then pass "busy container shows CPU"; else fail "busy container shows CPU" "$(row_of t-busy)"; fi
wait_screen "memory used/limit shown" '^t-busy .*/64M'
wait_screen "CPU graph titled with the value" 'CPU [0-9.]+%'
keys Escape
bt kill t-busy >/dev/null 2>&1

# ---- the mouse (xterm protocol, as the terminal would send it) ----------
# click X Y: button 1 press and release at 0-based cell X,Y
click() {
	local p r
	printf -v p '\e[M%b%b%b' "\\x$(printf %x 32)" "\\x$(printf %x $(($1 + 33)))" "\\x$(printf %x $(($2 + 33)))"
	printf -v r '\e[M%b%b%b' "\\x$(printf %x 35)" "\\x$(printf %x $(($1 + 33)))" "\\x$(printf %x $(($2 + 33)))"
	keys -l "$p$r"
}
keys N
wait_screen "mouse: sorted by name" 'NAME\^'
third=$(screen | sed -n 5p | awk '{print $1}')
click 3 4
wait_screen "mouse: click selects a row" "── $third "
click 52 1
wait_screen "mouse: click on a title sorts by it" 'CPU%v'
click 1 23
wait_screen "mouse: click on F1 opens help" 'boxtop - keys'
keys q
wait_screen "help closed" 'F1Help'

# an error from the core is one line on the screen, nothing half-made
n0=$(bt ls --json | jq length)
keys n; keys -l t-noimg; keys Tab; keys C-u; keys -l no-such-image; keys Enter
wait_screen "create with a missing image shows the error" 'no-such-image'
eq "missing image creates nothing" "$(bt ls --json | jq length)" "$n0"
wait_screen "screen intact after the error" 'F1Help'

# display controls: Z pauses, d sets the delay, g switches graph style
keys Z
wait_screen "Z pauses the display" '\[PAUSED\]'
keys Z
if wait_for 5 screen_lacks '\[PAUSED\]'; then pass "Z resumes"; else fail "Z resumes"; fi
keys d; keys C-u; keys -l 5; keys Enter
wait_screen "d sets the delay" '0\.5s'
keys +
wait_screen "+ raises the delay" '0\.6s'
keys d; keys C-u; keys -l 10; keys Enter
wait_screen "delay back to 1 s" '1\.0s'
keys g
wait_screen "g switches the graph style" 'graphs: block'
keys g g

# the All menu asks before doing anything
n_run=$(bt ls --json | jq '[.[] | select(.status=="running")] | length')
keys A
wait_screen "All menu opens" 'Remove all'
keys Down; keys Enter
wait_screen "Stop all asks" 'Stop all: [0-9]+ containers\?'
keys n
wait_for 2 false
eq "declined Stop all changes nothing" "$(bt ls --json | jq '[.[] | select(.status=="running")] | length')" "$n_run"

# long work runs off the UI thread: stopping a container whose init
# ignores SIGTERM takes the 10 s grace; meanwhile a progress bar shows and
# keys still work
keys /; keys C-u; keys -l t-dlg; keys Enter
wait_screen "select t-dlg" '^t-dlg +running'
keys s
wait_screen "progress bar during a long stop" '^\[.*\] 0/1 stop t-dlg'
keys h
wait_screen "keys work while the worker runs" 'boxtop - keys'
keys q
if wait_for 30 status_is t-dlg stopped; then pass "long stop finishes"; else fail "long stop finishes" "$(status_of t-dlg)"; fi
wait_screen "stop result reported" 'stop: done'
keys Escape

# help and quit
keys h
wait_screen "help lists keys" 'Ctrl-K kill now'
keys q
wait_screen "help closes" 'F1Help'
keys q
if wait_for 10 screen_lacks 'F1Help'; then pass "q quits"; else fail "q quits"; fi

# ---- colour, monochrome and ASCII ----------------------------------------
# SGR colour parameters (39/49 are "default colour", i.e. none)
COLOR_RE=$'\e\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]'
esc_screen() { tm capture-pane -p -e -t "$S"; }
has_color() { esc_screen | grep -qE "$COLOR_RE"; }
has_braille() { screen | LC_ALL=C.UTF-8 grep -qP '[\x{2800}-\x{28FF}\x{2581}-\x{2588}]'; }

tui_open 80 24 "$BOXTOP"
wait_screen "default theme opens" 'F1Help'
if wait_for 10 has_color; then pass "default theme sends colours"; else fail "default theme sends colours"; fi
if wait_for 15 has_braille; then pass "UTF-8 draws braille graphs"; else fail "UTF-8 draws braille graphs"; fi

tui_open 80 24 "$BOXTOP --theme monochrome"
wait_screen "monochrome opens" 'F1Help'
if has_color; then fail "monochrome sends no colour codes" "$(esc_screen | grep -oE "$COLOR_RE" | head -3 | cat -v)"; else pass "monochrome sends no colour codes"; fi

tui_open 80 24 "NO_COLOR=1 $BOXTOP"
wait_screen "NO_COLOR opens" 'F1Help'
if has_color; then fail "NO_COLOR sends no colour codes"; else pass "NO_COLOR sends no colour codes"; fi

TUI_TERM=vt100 tui_open 80 24 "$BOXTOP"
wait_screen "vt100 opens" 'F1Help'
if has_color; then fail "vt100 sends no colour codes"; else pass "vt100 sends no colour codes"; fi

tui_open 80 24 "$BOXTOP --ascii --no-color"
wait_screen "ascii opens" 'F1Help'
wait_screen "ascii graphs drawn" '[.:|#]{2,}'
if has_braille; then fail "ascii shows no braille or blocks"; else pass "ascii shows no braille or blocks"; fi
if has_color; then fail "ascii --no-color sends no colour"; else pass "ascii --no-color sends no colour"; fi

tui_open 80 24 "LANG=C LC_ALL=C $BOXTOP"
wait_screen "C locale opens" 'F1Help'
if has_braille; then fail "C locale shows no braille"; else pass "C locale shows no braille"; fi

# an unknown terminal type is one clear line, exit 1
tm kill-session -t "$S" 2>/dev/null
tm new-session -d -s "$S" -x 80 -y 24 "env BOXTOP_ROOT=$T_ROOT TERM=no-such-term $BOXTOP; echo rc=\$?; sleep 60"
wait_screen "unknown TERM says so" "^boxtop: terminal 'no-such-term': unknown"
wait_screen "unknown TERM exits 1" '^rc=1'
# no terminal at all
err_is "no terminal is an error" 1 '^boxtop: the screen needs a terminal' bt

# ---- a bad theme file: its error, named by line, then the default --------
mkdir -p "$T_ROOT/themes"
printf 'normal = white,black\nselected = black,purpel\n' >"$T_ROOT/themes/broken.theme"
tui_open 100 24 "BOXTOP_THEMES=$T_ROOT/themes $BOXTOP --theme broken"
wait_screen "bad theme shows its error with the line" "broken.theme: line 2: selected: unknown colour 'purpel'"
wait_screen "bad theme still opens the screen" 'F1Help'
tui_open 80 24 "$BOXTOP --theme nosuch"
wait_screen "missing theme says so" 'theme nosuch: not found'

# ---- read-only and -n ----------------------------------------------------
tui_open 80 24 "$BOXTOP --readonly"
wait_screen "readonly marked" 'READ-ONLY'
n0=$(bt ls --json | jq length)
keys n
wait_screen "readonly refuses actions" 'read-only mode'
eq "readonly created nothing" "$(bt ls --json | jq length)" "$n0"
bar=$(screen | tail -n 1)
case "$bar" in *Kill*|*New*) fail "readonly bar has no actions" "$bar" ;; *F10Quit*) pass "readonly bar has no actions" ;; *) fail "readonly bar has no actions" "$bar" ;; esac

# F2 setup: choose a theme, saved to boxtoprc under $HOME
mkdir -p "$T_ROOT/home"
tui_open 80 24 "HOME=$T_ROOT/home $BOXTOP"
wait_screen "setup: screen" 'F1Help'
keys F2
wait_screen "setup opens" 'Setup'
keys C-u; keys -l monochrome; keys Tab; keys C-u; keys -l 25; keys Enter
if wait_for 10 test -f "$T_ROOT/home/.config/boxtop/boxtoprc"; then pass "setup saves boxtoprc"; else fail "setup saves boxtoprc"; fi
rc=$(cat "$T_ROOT/home/.config/boxtop/boxtoprc" 2>/dev/null)
has "boxtoprc theme" "$rc" "theme = monochrome"
has "boxtoprc delay" "$rc" "delay = 25"
wait_screen "delay applied" '2\.5s'
tui_open 80 24 "HOME=$T_ROOT/home $BOXTOP"
wait_screen "boxtoprc read at start" '2\.5s'
if has_color; then fail "boxtoprc theme applied (no colour)"; else pass "boxtoprc theme applied (no colour)"; fi

tm kill-session -t "$S" 2>/dev/null
tm new-session -d -s "$S" -x 80 -y 24 "env BOXTOP_ROOT=$T_ROOT $BOXTOP -d 1 -n 3; echo rc=\$? ; sleep 60"
wait_screen "-n 3 refreshes and exits 0" '^rc=0'

exit 0
