# tui_lib.sh - sourced (after lib.sh) by the scripts that drive the real
# screen in tmux: keys in with send-keys, the screen read back with
# capture-pane.  No timing assertions: every wait polls for screen text.
if ! command -v tmux >/dev/null; then skip "$(basename "$0" .sh)" "tmux not installed"; exit 0; fi
S=bt$$
export TMUX_TMPDIR=$T_ROOT   # our own tmux server, nothing shared
tm() { tmux -L "$S" "$@"; }
at_cleanup "tmux -L $S kill-server"
# a session that lives for the whole script keeps the tmux server up while
# test sessions come and go (a server exiting under a new session fails)
tm new-session -d -s keep "sleep 600"

# tui_open [W H] [env/args...]: start the screen in a fresh session.
tui_open() {
	local w=$1 h=$2; shift 2
	tm kill-session -t "$S" 2>/dev/null
	tm new-session -d -s "$S" -x "$w" -y "$h" \
		"env BOXTOP_ROOT=$T_ROOT TERM=${TUI_TERM:-screen} $* ; sleep 60"
}
screen() { tm capture-pane -p -t "$S"; }
screen_has() { screen | grep -qE -- "$1"; }
screen_lacks() { ! screen | grep -qE -- "$1"; }
keys() { tm send-keys -t "$S" "$@"; }
# wait_screen NAME PATTERN: pass when the screen shows PATTERN (polled).
wait_screen() {
	if wait_for 15 screen_has "$2"; then pass "$1"; else fail "$1" "screen lacks '$2': $(screen | head -n 8 | tr -s ' ' | tr '\n' '|')"; fi
}
# the list row of a container: "name  status ..."
row_of() { screen | grep -E "^\*?$1 " | head -n 1; }
status_is() { [ "$(status_of "$1")" = "$2" ]; }
