# The command-line tool is a user of the public interface only: no file of
# src/cli includes a library header other than skychange.h, in either form.
set -euo pipefail
SRC=$(realpath "${2:?usage: test_cli_includes.sh <skychange binary> <source dir> <build dir>}")
source "$(dirname "$0")/lib.sh"

# Whether an include target, resolved from src/cli and from each include
# folder of the build (src/, include/), names a header of the library: one in
# a folder of src/ other than cli/ (present or not), or one in include/ other
# than skychange.h.
is_library_header() {
    local target=$1 base resolved folder
    for base in "$SRC/src/cli" "$SRC/src" "$SRC/include"; do
        resolved=$(realpath -m "$base/$target")
        case $resolved in
            "$SRC/include/skychange.h" | "$SRC/src/cli/"*) ;;
            "$SRC/src/"*/*)
                folder=${resolved#"$SRC/src/"}
                [ ! -d "$SRC/src/${folder%%/*}" ] || return 0
                ;;
            "$SRC/include/"*) [ ! -e "$resolved" ] || return 0 ;;
        esac
    done
    return 1
}

# "file:line:text" of every include of a library header in the sources of a folder.
library_includes() {
    local hit target
    { grep -HnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' "$1"/*.[ch] || true; } |
        while IFS= read -r hit; do
            target=$(sed -E 's/^[^:]*:[0-9]+:[^<"]*[<"]([^>"]*)[>"].*/\1/' <<<"$hit")
            if is_library_header "$target"; then echo "$hit"; fi
        done
}

# The check itself finds each kind of violation, and passes what is allowed.
mkdir fixture
cat >fixture/bad.c <<'SOURCE'
#include <stdio.h>
#include <sys/stat.h>
#include "skychange.h"
#include <skychange.h>
#include "cli/report.h"
#include "core/clock.h"
#  include <io/image.h>
#include "../nets/model.h"
SOURCE
library_includes fixture >found
expected='fixture/bad.c:6:#include "core/clock.h"
fixture/bad.c:7:#  include <io/image.h>
fixture/bad.c:8:#include "../nets/model.h"'
[ "$(cat found)" = "$expected" ] || fail "the check itself is wrong; it found: $(cat found)"

ls "$SRC"/src/cli/*.c >/dev/null || fail "no sources in $SRC/src/cli"
library_includes "$SRC/src/cli" >found
[ ! -s found ] || fail "src/cli includes library headers other than skychange.h:
$(cat found)"
echo "ok"
