# ctest-labels: slow
# A picture of exactly 100 megapixels (the largest allowed) is matted within
# the memory bound of docs/robustness.md (test_huge_header.sh: one row more is
# refused). Writes 600 MB to $TMPDIR and takes about 10 s:
#   SC_SLOW_TESTS=1 ctest -L slow
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults_lib.sh"
[ "${SC_SLOW_TESTS:-0}" = 1 ] || skip "slow test (about 10 s, 600 MB of files): set SC_SLOW_TESTS=1 to run it"
[ -x /usr/bin/time ] || skip "/usr/bin/time (GNU time) is needed to measure the peak memory"
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
/usr/bin/time -v -o time.log "$SKYCHANGE" --mask big.bmp --model "$(find_model)" -o alpha.png \
    >stdout 2>err || { cat err time.log; fail "--mask of 100 MP failed"; }
[ "$(png_info alpha.png)" = "10000 10000 8 0" ] || fail "alpha.png is $(png_info alpha.png)"
peak_kib=$(sed -n 's/.*Maximum resident set size (kbytes): //p' time.log)
echo "peak RSS of --mask on 100 MP: $((peak_kib / 1024)) MiB (bound $MASK_RSS_BOUND_MIB MiB)"
[ $((peak_kib / 1024)) -le $MASK_RSS_BOUND_MIB ] || fail "peak RSS above the bound"
