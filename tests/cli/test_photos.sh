# The project's example photos (JPEG, 640 px) with their hand-made mattes:
# a pairs batch over two scenes and two skies, identical bytes for any
# --threads, and a matte at the photo's size from a tiny model.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
photos=$SRC_DIR/tests/data/photos
[ -f "$photos/aitzgorri.jpg" ] || fail "no example photos in $photos"
tab=$'\t'
{
    echo "# scene${tab}sky${tab}output${tab}scene matte${tab}sky matte"
    for scene in aitzgorri sunset; do
        for sky in picos infinite_sea; do
            echo "$photos/$scene.jpg${tab}$photos/$sky.jpg${tab}out/${scene}+$sky.png${tab}$photos/${scene}_matte.png${tab}$photos/${sky}_matte.png"
        done
    done
} >pairs.tsv
run_sc 0 --pairs pairs.tsv --threads 2
expect_err "4 succeeded, 0 failed, 0 skipped of 4"
for sky in picos infinite_sea; do
    [ "$(png_info out/aitzgorri+$sky.png)" = "640 426 8 2" ] || fail "aitzgorri+$sky.png: $(png_info out/aitzgorri+$sky.png)"
    [ "$(png_info out/sunset+$sky.png)" = "640 427 8 2" ] || fail "sunset+$sky.png: $(png_info out/sunset+$sky.png)"
done

# One thread gives the same bytes as two.
run_sc 0 --threads 1 --scene "$photos/sunset.jpg" --scene-alpha "$photos/sunset_matte.png" \
    --sky "$photos/picos.jpg" --sky-alpha "$photos/picos_matte.png" -o one_thread.png
cmp -s one_thread.png out/sunset+picos.png || fail "--threads 1 and 2 differ"

# A computed matte has the photo's size.
run_sc 0 --model "$(find_model)" --mask "$photos/aitzgorri.jpg" -o aitzgorri_alpha.png
[ "$(png_info aitzgorri_alpha.png)" = "640 426 8 0" ] || fail "aitzgorri_alpha.png: $(png_info aitzgorri_alpha.png)"
echo "ok"
