# The --help text, the man page and the README describe the same options.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
run_sc 0 --help
options=$(grep -o -- '--[a-z][a-z-]*' stdout | sort -u)
[ "$(echo "$options" | wc -l)" -ge 20 ] || fail "--help lists too few options: $options"
man_page=$SRC_DIR/docs/skychange.1
for option in $options; do
    grep -qF -- "${option//-/\\-}" "$man_page" || fail "$option is in --help but not in skychange.1"
    grep -qF -- "$option" "$SRC_DIR/README.md" || fail "$option is in --help but not in README.md"
done
# ... and every option the man page describes is in --help.
for option in $(grep -o -- '^\.B[IR]* \\-\\-[a-z][-a-z\\]*' "$man_page" | sed 's/.* //; s/\\-/-/g' | sort -u); do
    # a here-string, not a pipe: grep -q stops at the first match, and with pipefail a
    # writer still writing would die of SIGPIPE and fail the check
    grep -qx -- "$option" <<<"$options" || fail "$option is in skychange.1 but not in --help"
done
# The exit statuses agree.
for status in 0 1 2 3; do
    grep -q "^\.B $status\$" "$man_page" || fail "skychange.1 lacks exit status $status"
    grep -q "^| $status |" "$SRC_DIR/README.md" || fail "README.md lacks exit status $status"
done
grep -q "1 some inputs failed, 2 usage error" stdout || fail "--help lacks the exit statuses"
echo "ok"
