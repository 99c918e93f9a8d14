# A folder batch with a corrupt picture and a text file among good pictures:
# the good ones are done, the bad ones listed, exit status 1. Then a resume
# with --skip-existing. Supplied mattes, so no model is needed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
make_standard_pictures
mkdir in mattes
for name in a c e; do
    make_bmp in/$name.bmp 64 48 20 "90 140 230" "60 120 40" "$RANDOM"
    make_matte mattes/$name.bmp 64 48 20
done
head -c 30 in/a.bmp >in/b_corrupt.bmp           # a truncated picture
echo "just some text" >in/d_text.png           # not a picture at all
make_matte mattes/b_corrupt.bmp 64 48 20
make_matte mattes/d_text.bmp 64 48 20
echo "notes" >in/readme.txt                    # not a picture name: ignored
cp in/a.bmp in/.hidden.bmp                     # hidden: ignored
mkdir in/sub.png                               # a folder: ignored
common=(--sky sky.bmp --sky-alpha sky_alpha.bmp --scene-alpha mattes --model missing.safetensors)

# An output of a failing input that exists already must survive.
mkdir out
echo "previous result" >out/b_corrupt.png
run_sc 1 --scene in "${common[@]}" -o out
only_files out a.png b_corrupt.png c.png e.png
[ "$(cat out/b_corrupt.png)" = "previous result" ] || fail "a failed input's old output was replaced"
for name in a c e; do is_png out/$name.png || fail "out/$name.png is not a PNG"; done
expect_err "in/b_corrupt.bmp: "
expect_err "in/d_text.png: "
expect_err "3 succeeded, 2 failed, 0 skipped of 5"
expect_err "failed: in/b_corrupt.bmp"
expect_err "failed: in/d_text.png"
# Not a terminal: one plain line per finished file.
[ "$(grep -c '^skychange: \[[0-9]/5\]' err)" -eq 5 ] || fail "expected 5 progress lines"
grep -q 'in/a.bmp -> out/a.png' err || fail "no progress line for in/a.bmp"

# On a terminal: one redrawn progress line with count, rate and time left.
if command -v script >/dev/null; then
    script -qec "$SKYCHANGE --scene in ${common[*]} -o out_tty" /dev/null >tty.log 2>&1 || true
    grep -q '5/5  .* files/s .* left' tty.log || { cat -v tty.log; fail "no progress bar on a terminal"; }
    grep -q $'\r' tty.log || fail "the progress line is not redrawn"
    grep -q "3 succeeded, 2 failed, 0 skipped of 5" tty.log || fail "no summary on a terminal"
fi

# Resume: only the missing result is made again (out/b_corrupt.png exists, so
# that input is skipped too).
cp out/c.png c_before.png
rm out/a.png
touch -d '2000-01-01' out/c.png out/e.png
run_sc 1 --scene in "${common[@]}" -o out --skip-existing
expect_err "1 succeeded, 1 failed, 3 skipped of 5"
is_png out/a.png || fail "out/a.png was not made again"
[ "$(stat -c %Y out/c.png)" = "$(stat -c %Y out/e.png)" ] || fail "a skipped output was touched"
[ "$(date -d @"$(stat -c %Y out/c.png)" +%Y)" = 2000 ] || fail "out/c.png was rewritten"
cmp -s out/c.png c_before.png || fail "out/c.png changed"

# -q: errors only, no progress and no summary.
run_sc 1 -q --scene in "${common[@]}" -o out2
[ "$(grep -vc 'in/b_corrupt.bmp\|in/d_text.png' err)" -eq 0 ] || { cat err; fail "-q printed more than errors"; }
[ "$(wc -l <err)" -eq 2 ] || { cat err; fail "-q: expected exactly the 2 error lines"; }

# Several files on the command line, jpg output type, sorted by name.
run_sc 0 --scene in/e.bmp in/c.bmp "${common[@]}" -o out3 --format jpg
only_files out3 c.jpg e.jpg
[ "$(grep -o 'in/[ce].bmp ->' err | tr -d '\n')" = "in/c.bmp ->in/e.bmp ->" ] || fail "not sorted by name"

# All good: exit status 0; --save-alpha folder gets the mattes.
rm in/b_corrupt.bmp in/d_text.png
run_sc 0 --scene in "${common[@]}" -o out4 --save-alpha alphas
only_files alphas a.png c.png e.png
[ "$(png_info alphas/a.png)" = "64 48 8 0" ] || fail "alphas/a.png is not an 8-bit grey PNG"

# An empty folder is not an error.
mkdir empty
run_sc 0 --scene empty "${common[@]}" -o out_empty
expect_err "warning: no pictures to process"

# SIGTERM (or Ctrl-C) stops after the current file: complete files only, a
# summary, exit status 128 + 15. The example photos make each file take long
# enough (tens of ms) that the signal arrives while the batch is running.
photos=$SRC_DIR/tests/data/photos
mkdir many many_mattes
for i in $(seq -w 1 40); do
    cp "$photos/sunset.jpg" many/m$i.jpg
    cp "$photos/sunset_matte.png" many_mattes/m$i.png
done
"$SKYCHANGE" --scene many --scene-alpha many_mattes --sky "$photos/picos.jpg" \
    --sky-alpha "$photos/picos_matte.png" --model missing.safetensors -o out_term >term.log 2>&1 &
pid=$!
for _ in $(seq 600); do [ -e out_term/m01.png ] && break; sleep 0.01; done
kill -TERM $pid 2>/dev/null || { cat term.log; fail "the batch ended before SIGTERM could be sent"; }
status=0
wait $pid || status=$?
[ "$status" -eq 143 ] || { cat term.log; fail "after SIGTERM: exit status $status, expected 143"; }
grep -q "stopped by signal 15" term.log || { cat term.log; fail "no stop message"; }
done_count=$(ls out_term | wc -l)
[ "$done_count" -ge 1 ] && [ "$done_count" -lt 40 ] || fail "$done_count results after SIGTERM"
[ -z "$(ls out_term | grep -v '^m[0-9][0-9]\.png$')" ] || fail "stray files after SIGTERM: $(ls out_term)"

# Two inputs that would write the same output, and -o equal to an input folder.
cp in/a.bmp in/a.tga
run_sc 2 --scene in "${common[@]}" -o out5
expect_err "out5/a.png: would be written for both in/a.bmp and in/a.tga"
rm in/a.tga
run_sc 2 --scene in "${common[@]}" -o in/
expect_err "the output folder must not be an input folder"

# A batch with a picture file name as -o or --save-alpha is a slip: refused before anything
# is made. A trailing slash asks for a folder of that name.
run_sc 2 --scene in "${common[@]}" -o out6.png
expect_err "-o out6.png: several pictures need an output folder, not a file name"
[ ! -e out6.png ] || fail "-o out6.png was made"
run_sc 2 --scene in "${common[@]}" -o out7 --save-alpha mattes7.png
expect_err "--save-alpha mattes7.png: several pictures need a matte folder"
[ ! -e out7 ] && [ ! -e mattes7.png ] || fail "a refused batch made its folders"
run_sc 0 --scene in "${common[@]}" -o out8.png/
[ -f out8.png/a.png ] || fail "-o out8.png/ did not make a folder of that name"

# An option where a value belongs ("--mask --scene x"): getopt would take --scene as the
# value of --mask.
run_sc 2 --mask --scene in/a.bmp -o m9.png
expect_err "--mask needs a value, not the option '--scene'"
[ ! -e m9.png ] || fail "m9.png was made"
echo "ok"
