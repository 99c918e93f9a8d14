# --pairs: a TAB-separated list with comments and blank lines, paths relative
# to the list's folder or absolute, optional matte columns.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mkdir -p lists/pics lists/results
cd lists/pics
make_standard_pictures
make_bmp scene2.bmp 64 48 10 "90 140 230" "60 120 40" 7
make_matte scene2_alpha.bmp 64 48 10
cd "$WORK"
tab=$'\t'
{
    echo "# scene${tab}sky${tab}output${tab}scene matte${tab}sky matte"
    echo ""
    echo "pics/scene.bmp${tab}pics/sky.bmp${tab}results/one.png${tab}pics/scene_alpha.bmp${tab}pics/sky_alpha.bmp"
    echo "   "
    echo "$WORK/lists/pics/scene2.bmp${tab}pics/sky.bmp${tab}results/two.jpg${tab}pics/scene2_alpha.bmp${tab}pics/sky_alpha.bmp"
    echo "pics/scene.bmp${tab}pics/sky.bmp${tab}results/new/three.bmp${tab}pics/scene_alpha.bmp${tab}pics/sky_alpha.bmp"
} >lists/list.tsv
run_sc 0 --pairs lists/list.tsv --model missing.safetensors
only_files lists/results new one.png two.jpg
only_files lists/results/new three.bmp
expect_err "3 succeeded, 0 failed, 0 skipped of 3"

# The same result as a single run.
run_sc 0 --scene lists/pics/scene.bmp --sky lists/pics/sky.bmp --scene-alpha lists/pics/scene_alpha.bmp \
    --sky-alpha lists/pics/sky_alpha.bmp -o single.png
cmp -s single.png lists/results/one.png || fail "pairs result differs from a single run"

# From standard input: paths relative to the current folder.
printf 'lists/pics/scene.bmp\tlists/pics/sky.bmp\tstdin/one.png\tlists/pics/scene_alpha.bmp\tlists/pics/sky_alpha.bmp\n' |
    run_sc 0 --pairs -
cmp -s stdin/one.png single.png || fail "--pairs - result differs"

# Lines run grouped by sky (list order within a group), so each sky is matted once;
# the results are those of the lines run alone.
cp lists/pics/sky.bmp lists/pics/sky_copy.bmp
{
    printf 'pics/scene.bmp\tpics/sky.bmp\tgrouped/a1.png\tpics/scene_alpha.bmp\tpics/sky_alpha.bmp\n'
    printf 'pics/scene.bmp\tpics/sky_copy.bmp\tgrouped/b.png\tpics/scene_alpha.bmp\tpics/sky_alpha.bmp\n'
    printf 'pics/scene2.bmp\tpics/sky.bmp\tgrouped/a2.png\tpics/scene2_alpha.bmp\tpics/sky_alpha.bmp\n'
} >lists/grouped.tsv
run_sc 0 --pairs lists/grouped.tsv -v --model missing.safetensors
order=$(grep -o 'grouped/[a-z0-9]*\.png' "$WORK/err" | tr '\n' ' ')
[ "$order" = "grouped/a1.png grouped/a2.png grouped/b.png " ] || fail "lines not grouped by sky: $order"
cmp -s lists/grouped/a1.png single.png || fail "grouped result differs from a single run"
cmp -s lists/grouped/b.png single.png || fail "grouped result (copied sky) differs"

# CRLF line ends are accepted; a missing scene fails only its own line.
{
    printf 'pics/scene.bmp\tpics/sky.bmp\tresults/crlf.png\tpics/scene_alpha.bmp\tpics/sky_alpha.bmp\r\n'
    printf 'pics/nothere.bmp\tpics/sky.bmp\tresults/none.png\t-\tpics/sky_alpha.bmp\r\n'
} >lists/crlf.tsv
run_sc 1 --pairs lists/crlf.tsv --model missing.safetensors
expect_err "lists/pics/nothere.bmp"
is_png lists/results/crlf.png || fail "crlf.png missing"
[ ! -e lists/results/none.png ] || fail "none.png written"

# Malformed lists are usage errors naming the line.
printf '# header\npics/scene.bmp pics/sky.bmp results/x.png\n' >lists/spaces.tsv
run_sc 2 --pairs lists/spaces.tsv
expect_err "lists/spaces.tsv: line 2: expected scene<TAB>sky<TAB>output"
printf 'pics/scene.bmp\tpics/sky.bmp\tresults/x.gif\n' >lists/gif.tsv
run_sc 2 --pairs lists/gif.tsv
expect_err "lists/gif.tsv: line 1: results/x.gif: unknown output type"
printf 'pics/scene.bmp\tpics/sky.bmp\tpics/scene.bmp\n' >lists/self.tsv
run_sc 2 --pairs lists/self.tsv
expect_err "refusing to overwrite an input"
printf 'pics/scene.bmp\tpics/sky.bmp\tresults/d.png\npics/scene2.bmp\tpics/sky.bmp\tresults/d.png\n' >lists/dup.tsv
run_sc 2 --pairs lists/dup.tsv
expect_err "results/d.png: would be written for both"
# A sky named on line after line is held once (cli_plan_add): writing over it on a later
# line is still refused, and one output spelled two ways is still one file.
printf 'pics/scene.bmp\tpics/sky.bmp\tresults/e.png\npics/scene2.bmp\tpics/sky.bmp\tpics/sky.bmp\n' >lists/shared.tsv
run_sc 2 --pairs lists/shared.tsv
expect_err "lists/pics/sky.bmp: refusing to overwrite an input"
printf 'pics/scene.bmp\tpics/sky.bmp\tresults/f.png\npics/scene2.bmp\tpics/sky.bmp\tpics/../results/f.png\n' >lists/spelled.tsv
run_sc 2 --pairs lists/spelled.tsv
expect_err "lists/pics/../results/f.png: would be written for both"
run_sc 2 --pairs lists/absent.tsv
expect_err "lists/absent.tsv: cannot open the pairs list"
run_sc 2 --pairs lists/list.tsv -o somewhere
expect_err "-o cannot be used with --pairs"
run_sc 2 --pairs lists/list.tsv --format jpg
expect_err "--format cannot be used with --pairs"
echo "ok"
