# ctest-labels: slow
# A picture of exactly 100 megapixels (the largest allowed) is matted within
# the memory bound of docs/robustness.md (test_huge_header.sh: one row more is
# refused). Writes 600 MB to $TMPDIR and takes about 10 s:
#   SC_SLOW_TESTS=1 ctest -L slow
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults_lib.sh"
slow_test "about 10 s, 600 MB of files"
# The bound for --mask of a 100 MP picture, in MiB (docs/robustness.md).
MASK_RSS_BOUND_MIB=1024

# big_bmp OUT WIDTH HEIGHT: a 24-bit BMP, light sky above dark ground, written
# in two bulk copies (a shell loop over 100 M pixels would take minutes).
big_bmp() {
    local w=$2 h=$3 bytes=$(($2 * $3 * 3))
    {
        printf "BM$(le32 $((54 + bytes)))\\x00\\x00\\x00\\x00$(le32 54)"
        printf "$(le32 40)$(le32 "$w")$(le32 "$h")$(le16 1)$(le16 24)$(le32 0)$(le32 $bytes)"
        printf "$(le32 2835)$(le32 2835)$(le32 0)$(le32 0)"
        head -c $((bytes / 2)) /dev/zero | tr '\000' '\100' # bottom half first: ground
        head -c $((bytes - bytes / 2)) /dev/zero | tr '\000' '\346'
    } >"$1"
}

big_bmp big.bmp 10000 10000
measured --mask big.bmp --model "$(find_model)" -o alpha.png
[ $STATUS -eq 0 ] || { cat err time.log; fail "--mask of 100 MP failed"; }
[ "$(png_info alpha.png)" = "10000 10000 8 0" ] || fail "alpha.png is $(png_info alpha.png)"
echo "peak RSS of --mask on 100 MP: $PEAK_MIB MiB (bound $MASK_RSS_BOUND_MIB MiB)"
[ $PEAK_MIB -le $MASK_RSS_BOUND_MIB ] || fail "peak RSS above the bound"
