#!/usr/bin/env bash
# The command line people already know: options where docker users put
# them, combined short flags.
. "$(dirname "$0")/lib.sh"
bt create cx -- sleep 1000 >/dev/null && bt start cx

eq "exec NAME -- CMD" "$(bt exec cx -- echo a)" a
eq "exec -it NAME CMD (combined, before NAME)" "$(bt exec -it cx echo b </dev/null | tr -d '\r')" b
has "exec NAME -t -- CMD (the README's order): a tty" "$(bt exec cx -t -- tty </dev/null)" /dev/pts/
eq "exec NAME -i -- CMD: stdin reaches it" "$(echo in | bt exec cx -i -- cat)" in
err_is "exec: an unknown flag after NAME names the command" 2 "^boxtop: exec: unknown option '-x'" bt exec cx -x
eq "exec: flags after the command are the command's" "$(bt exec cx -- sh -c 'echo -t')" -t

bt rm -f cx >/dev/null
exit $((T_FAILS > 0))
