# Shared helpers for the skychange end-to-end tests (sourced, not run).
# Each test is run as: bash test_x.sh <skychange binary> <source dir> <build dir>
set -euo pipefail

SKYCHANGE=${1:?usage: test_x.sh <skychange binary> <source dir> <build dir>}
SRC_DIR=${2:?source dir}
BUILD_DIR=${3:-.}
case $SKYCHANGE in /*) ;; *) SKYCHANGE=$PWD/$SKYCHANGE ;; esac

WORK=$(mktemp -d "${TMPDIR:-/tmp}/skychange-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
# The tests decide the model themselves.
unset SKYCHANGE_MODEL
# In a sanitizer build a finding must not pass for an expected exit status 1.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=99"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=98:print_stacktrace=1"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# run_sc EXPECTED_STATUS ARGS...: runs skychange, stderr into $WORK/err,
# stdout into $WORK/stdout (or $RUN_SC_STDOUT), and checks the exit status.
run_sc() {
    local expected=$1 status=0
    shift
    "$SKYCHANGE" "$@" >"${RUN_SC_STDOUT:-$WORK/stdout}" 2>"$WORK/err" || status=$?
    if grep -q 'Sanitizer\|runtime error:' "$WORK/err"; then
        cat "$WORK/err" >&2
        fail "sanitizer finding in: skychange $*"
    fi
    if [ "$status" -ne "$expected" ]; then
        echo "--- stderr of: skychange $*" >&2
        cat "$WORK/err" >&2
        fail "exit status $status, expected $expected: skychange $*"
    fi
}

# expect_err TEXT: the last run's stderr contains TEXT.
expect_err() {
    grep -qF -- "$1" "$WORK/err" || { cat "$WORK/err" >&2; fail "stderr lacks: $1"; }
}

le16() { printf '\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)); }
le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) \
    $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }

# make_bmp OUT WIDTH HEIGHT SKY_ROWS SKY_RGB GROUND_RGB [SEED]
# A 24-bit BMP: the top SKY_ROWS rows are SKY_RGB, the rest GROUND_RGB ("r g b"),
# each row shaded by its index (and SEED) so that pictures are not flat.
# WIDTH must be a multiple of 4 (no row padding).
make_bmp() {
    local out=$1 w=$2 h=$3 sky_rows=$4 seed=${7:-0}
    local -a sky=($5) ground=($6)
    local size=$((54 + w * h * 3)) y r g b px line
    {
        printf "BM$(le32 $size)\\x00\\x00\\x00\\x00$(le32 54)"
        printf "$(le32 40)$(le32 "$w")$(le32 "$h")$(le16 1)$(le16 24)$(le32 0)$(le32 $((w * h * 3)))"
        printf "$(le32 2835)$(le32 2835)$(le32 0)$(le32 0)"
        for ((y = h - 1; y >= 0; y--)); do # BMP rows go bottom-up
            if ((y < sky_rows)); then
                r=${sky[0]} g=${sky[1]} b=${sky[2]}
            else
                r=${ground[0]} g=${ground[1]} b=${ground[2]}
            fi
            r=$(((r + (y * 3 + seed) % 17) % 256))
            g=$(((g + (y * 5 + seed) % 13) % 256))
            px=$(printf '\\x%02x\\x%02x\\x%02x' "$b" "$g" "$r")
            printf -v line '%*s' "$w" ''
            printf "${line// /$px}"
        done
    } >"$out"
}

# make_matte OUT WIDTH HEIGHT SKY_ROWS: grey BMP, 255 on the top rows, 0 below.
make_matte() {
    local out=$1 w=$2 h=$3 sky_rows=$4 size=$((54 + $2 * $3 * 3)) y v line
    {
        printf "BM$(le32 $size)\\x00\\x00\\x00\\x00$(le32 54)"
        printf "$(le32 40)$(le32 "$w")$(le32 "$h")$(le16 1)$(le16 24)$(le32 0)$(le32 $((w * h * 3)))"
        printf "$(le32 2835)$(le32 2835)$(le32 0)$(le32 0)"
        for ((y = h - 1; y >= 0; y--)); do
            if ((y < sky_rows)); then v='\xff\xff\xff'; else v='\x00\x00\x00'; fi
            printf -v line '%*s' "$w" ''
            printf "${line// /$v}"
        done
    } >"$out"
}

# png_info FILE: prints "WIDTH HEIGHT BITDEPTH COLOURTYPE" from the IHDR chunk.
png_info() {
    local hex
    hex=$(od -An -tx1 -j16 -N10 "$1" | tr -d ' \n')
    echo "$((16#${hex:0:8})) $((16#${hex:8:8})) $((16#${hex:16:2})) $((16#${hex:18:2}))"
}

is_png() { [ "$(od -An -tx1 -N8 "$1" | tr -d ' \n')" = 89504e470d0a1a0a ]; }

# The first tiny test model (tests/data/nets/*.safetensors; *_io.safetensors
# files hold network inputs and outputs for the unit tests, not models).
find_model() {
    local m
    for m in "$SRC_DIR"/tests/data/nets/*.safetensors; do
        if [ -f "$m" ] && [[ $m != *_io.safetensors ]]; then
            echo "$m"
            return 0
        fi
    done
    fail "no test model in $SRC_DIR/tests/data/nets/"
}

# Standard pictures for the blend tests: scene/sky 64x48 with supplied mattes.
make_standard_pictures() {
    make_bmp scene.bmp 64 48 20 "90 140 230" "60 120 40" 1
    make_bmp sky.bmp 64 48 30 "30 80 250" "120 100 80" 2
    make_matte scene_alpha.bmp 64 48 20
    make_matte sky_alpha.bmp 64 48 30
}

# bmp_pixels FILE: the pixel bytes of a BMP (from its data offset on), as hex.
bmp_pixels() {
    local hex offset
    hex=$(od -An -tx1 -j10 -N4 "$1" | tr -d ' \n')
    offset=$((16#${hex:6:2}${hex:4:2}${hex:2:2}${hex:0:2}))
    tail -c +$((offset + 1)) "$1" | od -An -tx1 -v | tr -d ' \n'
}

# only_files DIR NAME...: DIR holds exactly these names (so no temporaries either).
only_files() {
    local dir=$1
    shift
    local got want
    got=$(cd "$dir" && ls -A | sort | tr '\n' ' ')
    want=$(printf '%s\n' "$@" | sed '/^$/d' | sort | tr '\n' ' ')
    [ "$got" = "$want" ] || fail "$dir holds [$got], expected [$want]"
}
