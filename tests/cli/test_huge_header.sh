# A picture whose header states one row more than 100 megapixels is refused
# from its header, before the file is read: the files here are sparse, 300 MB
# long, so reading one in full would show in the peak memory.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults_lib.sh"
# Refusing must not cost more than the program itself (a few MiB; 64 with the sanitizers).
REFUSAL_RSS_BOUND_MIB=128

# sparse_bmp OUT WIDTH HEIGHT: a 24-bit BMP header, then a hole as long as the pixels.
sparse_bmp() {
    local bytes=$(($2 * $3 * 3))
    printf "BM$(le32 $((54 + bytes)))\\x00\\x00\\x00\\x00$(le32 54)$(le32 40)$(le32 "$2")$(le32 "$3")$(le16 1)$(le16 24)$(le32 0)$(le32 $bytes)$(le32 2835)$(le32 2835)$(le32 0)$(le32 0)" >"$1"
    truncate -s $((54 + bytes)) "$1"
}

# expect_refusal FILE ARGS...: skychange ARGS refuses FILE by its size, within the bound.
expect_refusal() {
    local file=$1
    shift
    measured "$@"
    [ $STATUS -eq 1 ] || { cat err >&2; fail "exit status $STATUS, expected 1: $*"; }
    [ "$(grep -c "$file: 10000x10001 pixels is more than the limit" err)" -eq 1 ] ||
        { cat err >&2; fail "no one-line limit error for $file"; }
    echo "peak RSS refusing $file: $PEAK_MIB MiB"
    [ $PEAK_MIB -le $REFUSAL_RSS_BOUND_MIB ] || fail "refusing $file took $PEAK_MIB MiB"
}

make_standard_pictures
sparse_bmp over.bmp 10000 10001
expect_refusal over.bmp --mask over.bmp --model "$(find_model)" -o over.png
expect_refusal over.bmp --scene over.bmp --scene-alpha scene_alpha.bmp --sky sky.bmp \
    --sky-alpha sky_alpha.bmp -o over.png
expect_refusal over.bmp --scene scene.bmp --scene-alpha over.bmp --sky sky.bmp \
    --sky-alpha sky_alpha.bmp -o over.png
only_files . scene.bmp scene_alpha.bmp sky.bmp sky_alpha.bmp over.bmp stdout err time.log
