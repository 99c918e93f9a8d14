# One scene and one sky with supplied mattes (no model needed): every output
# type, standard output, --save-alpha, and a scene without sky.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
make_standard_pictures
mattes=(--scene-alpha scene_alpha.bmp --sky-alpha sky_alpha.bmp)
# A model that cannot be loaded proves that supplied mattes need none.
printf 'not a model' >broken.safetensors
model=(--model broken.safetensors)

run_sc 0 --scene scene.bmp --sky sky.bmp "${mattes[@]}" "${model[@]}" -o out.png
is_png out.png || fail "out.png is not a PNG"
[ "$(png_info out.png)" = "64 48 8 2" ] || fail "out.png: $(png_info out.png), expected 64x48 RGB 8-bit"
[ ! -s err ] || { cat err; fail "unexpected messages"; }

run_sc 0 --scene scene.bmp --sky sky.bmp "${mattes[@]}" "${model[@]}" -o out.jpg --quality 80
[ "$(od -An -tx1 -N3 out.jpg | tr -d ' \n')" = ffd8ff ] || fail "out.jpg is not a JPEG"
run_sc 0 --scene scene.bmp --sky sky.bmp "${mattes[@]}" "${model[@]}" -o out.bmp
[ "$(head -c 2 out.bmp)" = BM ] || fail "out.bmp is not a BMP"
[ "$(bmp_pixels out.bmp)" != "$(bmp_pixels scene.bmp)" ] || fail "the sky was not replaced"

# Standard output: the same PNG bytes as the file.
run_sc 0 --scene scene.bmp --sky sky.bmp "${mattes[@]}" "${model[@]}" -o -
cmp -s stdout out.png || fail "-o - differs from the PNG file"
# ... but not onto a terminal.
if command -v script >/dev/null; then
    status=0
    script -qec "$SKYCHANGE --scene scene.bmp --sky sky.bmp ${mattes[*]} -o -" /dev/null >tty.log 2>&1 ||
        status=$?
    grep -q "standard output is a terminal" tty.log || { cat -v tty.log; fail "-o - wrote to a terminal"; }
    [ "$status" -eq 2 ] || fail "-o - onto a terminal: exit status $status, expected 2"
fi

# --save-alpha writes the scene's matte beside the result.
run_sc 0 --scene scene.bmp --sky sky.bmp "${mattes[@]}" "${model[@]}" -o a.png --save-alpha a_alpha.png
[ "$(png_info a_alpha.png)" = "64 48 8 0" ] || fail "a_alpha.png: $(png_info a_alpha.png)"
cmp -s a.png out.png || fail "results differ between identical runs"

# -o into a folder keeps the scene's name.
mkdir outdir
run_sc 0 --scene scene.bmp --sky sky.bmp "${mattes[@]}" "${model[@]}" -o outdir/
cmp -s outdir/scene.png out.png || fail "-o folder/ differs"

# A scene without sky is written unchanged, with a warning, exit status 0.
make_matte empty_alpha.bmp 64 48 0
run_sc 0 --scene scene.bmp --sky sky.bmp --scene-alpha empty_alpha.bmp --sky-alpha sky_alpha.bmp \
    "${model[@]}" -o nosky.bmp
expect_err "scene.bmp: warning: the scene has no sky"
[ "$(bmp_pixels nosky.bmp)" = "$(bmp_pixels scene.bmp)" ] || fail "the scene without sky was changed"
# -q hides the warning.
run_sc 0 -q --scene scene.bmp --sky sky.bmp --scene-alpha empty_alpha.bmp --sky-alpha sky_alpha.bmp \
    "${model[@]}" -o nosky.bmp
[ ! -s err ] || fail "-q printed: $(cat err)"

# A sky photo without sky fails (status 1) and leaves no output.
run_sc 1 --scene scene.bmp --sky sky.bmp --scene-alpha scene_alpha.bmp --sky-alpha empty_alpha.bmp \
    "${model[@]}" -o nosky2.png
expect_err "sky.bmp"
[ ! -e nosky2.png ] || fail "output written although the sky photo had no sky"

# A matte of the wrong size is named.
make_matte small_alpha.bmp 32 24 10
run_sc 1 --scene scene.bmp --sky sky.bmp --scene-alpha small_alpha.bmp --sky-alpha sky_alpha.bmp \
    "${model[@]}" -o wrong.png
expect_err "small_alpha.bmp: the matte is 32x24 but scene.bmp is 64x48"

# --timings reports every stage.
run_sc 0 --timings --scene scene.bmp --sky sky.bmp "${mattes[@]}" "${model[@]}" -o t.png
expect_err "timings: decode"
expect_err "blend"
echo "ok"
