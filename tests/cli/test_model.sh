# With a (tiny, random) model: mattes in both formats at the input's size,
# a --mask batch, results byte-identical for any --threads, --version.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
model=$(find_model)
make_standard_pictures
make_bmp tall.bmp 36 52 12 "40 90 240" "90 60 30" 5

# 8-bit grey PNG at the input's size.
run_sc 0 --model "$model" --mask tall.bmp -o tall_alpha.png
[ "$(png_info tall_alpha.png)" = "36 52 8 0" ] || fail "tall_alpha.png: $(png_info tall_alpha.png)"
# float32 PFM: "Pf", the size, a negative scale (little-endian), 36*52 floats.
run_sc 0 --model "$model" --mask tall.bmp -o tall_alpha.pfm
[ "$(head -c 2 tall_alpha.pfm)" = Pf ] || fail "tall_alpha.pfm: not a grey PFM"
header=$(head -c 64 tall_alpha.pfm | tr '\n' ' ' | cut -d' ' -f1-4)
read -r magic w h scale <<<"$header"
[ "$w $h" = "36 52" ] || fail "tall_alpha.pfm: size $w x $h"
case $scale in -*) ;; *) fail "tall_alpha.pfm: scale $scale is not little-endian" ;; esac
header_bytes=$(($(stat -c %s tall_alpha.pfm) - 36 * 52 * 4))
[ "$(head -c "$header_bytes" tall_alpha.pfm | tr -cd '\n' | wc -c)" -eq 3 ] ||
    fail "tall_alpha.pfm: $header_bytes header bytes do not hold exactly three lines"
# Standard output gets the same PNG.
run_sc 0 --model "$model" --mask tall.bmp -o -
cmp -s stdout tall_alpha.png || fail "--mask -o - differs from the file"

# Identical bytes for any number of threads: mattes and full results
# (the sky matte is supplied: a random model's mattes need not hold any sky).
for t in 1 2; do
    run_sc 0 --model "$model" --threads $t --mask scene.bmp -o mask_t$t.pfm
    run_sc 0 --model "$model" --threads $t --scene scene.bmp --sky sky.bmp --sky-alpha sky_alpha.bmp \
        -o result_t$t.png --save-alpha alpha_t$t.png
done
cmp -s mask_t1.pfm mask_t2.pfm || fail "mattes differ between --threads 1 and 2"
cmp -s result_t1.png result_t2.png || fail "results differ between --threads 1 and 2"
cmp -s alpha_t1.png alpha_t2.png || fail "saved mattes differ between --threads 1 and 2"

# A --mask batch: folder in, folder out, PFM by --format, same bytes as single runs.
mkdir in
cp tall.bmp in/tall.bmp
cp scene.bmp in/scene.BMP
run_sc 0 --model "$model" --mask in -o mattes --format pfm
only_files mattes scene.pfm tall.pfm
cmp -s mattes/tall.pfm tall_alpha.pfm || fail "batch matte differs from the single run"
cmp -s mattes/scene.pfm mask_t1.pfm || fail "batch matte of scene.BMP differs"
expect_err "2 succeeded, 0 failed, 0 skipped of 2"

run_sc 0 --model "$model" --version
grep -q "^skychange [0-9]" stdout || fail "--version: no tool version"
grep -q "^model: " stdout || fail "--version: no model identity"

# --timings in a batch: totals at the end.
run_sc 0 --model "$model" --mask in -o mattes2 --timings
expect_err "timings (all files): decode"
echo "ok"
