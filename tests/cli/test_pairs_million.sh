# ctest-labels: slow
# A --pairs list of one million lines is read and checked within the memory
# bound of docs/robustness.md. The scenes do not exist and --shard keeps one
# job of the million, so the run measures the list, not the pictures. About
# 45 s (the whole-plan checks stat every path): SC_SLOW_TESTS=1 ctest -L slow
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults_lib.sh"
slow_test "about 45 s"
# The bound, in MiB, for these lines of about 58 bytes (docs/robustness.md): 113 MiB
# measured, 264 MiB before the plan's paths were pooled.
PAIRS_RSS_BOUND_MIB=136
LINES=1000000

make_bmp sky.bmp 64 48 30 "30 80 250" "120 100 80" 2
make_matte sky_alpha.bmp 64 48 30
awk -v n=$LINES 'BEGIN { for (i = 0; i < n; i++)
    printf "missing/%d.bmp\tsky.bmp\tout/%d.png\t-\tsky_alpha.bmp\n", i, i }' >list.tsv
measured -q --pairs list.tsv --shard 1/$LINES --model missing.safetensors
# The one job of the shard fails (its scene is missing); the others were read and checked.
[ $STATUS -eq 1 ] || { cat err >&2; fail "exit status $STATUS, expected 1"; }
[ "$(cat err)" = "skychange: missing/0.bmp: cannot open (No such file or directory)" ] ||
    { cat err >&2; fail "expected the one missing scene of the shard"; }
echo "peak RSS reading $LINES lines ($(($(stat -c %s list.tsv) / 1048576)) MiB): $PEAK_MIB MiB (bound $PAIRS_RSS_BOUND_MIB MiB)"
[ $PEAK_MIB -le $PAIRS_RSS_BOUND_MIB ] || fail "peak RSS above the bound"
[ ! -e out ] || [ -z "$(ls -A out)" ] || fail "outputs were written: $(ls out | head -3)"

# A line count over the million is still read (no fixed cap), and a broken
# line far down the list is found before any job runs.
printf 'missing/x.bmp\tsky.bmp\n' >>list.tsv
run_sc 2 -q --pairs list.tsv --model missing.safetensors
expect_err "list.tsv: line $((LINES + 1)): expected scene<TAB>sky<TAB>output"
[ ! -e out ] || [ -z "$(ls -A out)" ] || fail "a job ran before the list was read"
