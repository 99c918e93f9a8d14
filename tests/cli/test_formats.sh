# Pictures as photographers have them: WebP, TIFF and HEIC results that keep
# the scene's EXIF and ICC profile end to end, the same files read back as
# scenes (alone and in a batch), the same matte from the same pixels in any
# lossless format, and a damaged scene refused with one line and no output.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
photos=$SRC_DIR/tests/data/photos
matte=(--scene-alpha "$photos/sunset_matte.png")
sky=(--sky "$photos/picos.jpg" --sky-alpha "$photos/picos_matte.png")

# The scene with EXIF (a Make tag "SkyTest") and a 160-byte ICC profile that
# holds the text "SkyProfile", both put after SOI by hand.
{
    head -c 2 "$photos/sunset.jpg"
    printf '\377\341\000\052Exif\000\000MM\000*\000\000\000\010'
    printf '\000\001\001\017\000\002\000\000\000\010\000\000\000\032\000\000\000\000SkyTest\000'
    printf '\377\342\000\260ICC_PROFILE\000\001\001'
    printf '\000\000\000\240'
    head -c 32 /dev/zero
    printf 'acspSkyProfile'
    head -c 110 /dev/zero
    tail -c +3 "$photos/sunset.jpg"
} >tagged.jpg

signature() { od -An -c -j "$2" -N "$3" "$1" | tr -d ' \n'; }

# HEIC is written only when libheif loads and has an HEVC encoder; without one
# the request is refused before any work.
heic=out.heic
"$SKYCHANGE" --scene tagged.jpg "${matte[@]}" "${sky[@]}" -o $heic 2>"$WORK/err" || {
    expect_err "out.heic: cannot write HEIC: libheif is not installed or has no HEVC encoder"
    echo "no HEVC encoder: HEIC results not checked"
    heic=
}

for out in out.png out.jpg out.webp out.tif $heic; do
    run_sc 0 --scene tagged.jpg "${matte[@]}" "${sky[@]}" -o $out
    grep -qa SkyTest $out || fail "$out lost the scene's EXIF"
done
[ "$(signature out.webp 8 4)" = WEBP ] || fail "out.webp is not a WebP file"
[ "$(signature out.tif 0 3)" = 'II*' ] || fail "out.tif is not a TIFF file"
[ -z "$heic" ] || [ "$(signature $heic 4 8)" = ftypheic ] || fail "out.heic is not a HEIC file"

# The profile is stored as it is in these; PNG compresses it, so the PNG
# result is read back as a scene and its result, a JPEG, must hold it.
for out in out.jpg out.webp out.tif $heic; do
    grep -qa SkyProfile $out || fail "$out lost the scene's ICC profile"
done
for out in out.png out.webp out.tif $heic; do
    run_sc 0 --scene $out "${matte[@]}" "${sky[@]}" -o "back_${out#out.}.jpg"
    grep -qa SkyProfile "back_${out#out.}.jpg" || fail "the ICC profile of $out did not survive"
    grep -qa SkyTest "back_${out#out.}.jpg" || fail "the EXIF of $out did not survive"
done

# The same pixels give the same matte, whatever the lossless file they come in.
run_sc 0 --scene tagged.jpg "${matte[@]}" "${sky[@]}" -o lossless.webp --quality 100
for f in out.png out.tif lossless.webp; do
    run_sc 0 --mask $f -o "matte_${f%.*}_${f##*.}.pfm"
done
cmp -s matte_out_png.pfm matte_out_tif.pfm || fail "the TIFF scene's matte differs from the PNG's"
cmp -s matte_out_png.pfm matte_lossless_webp.pfm ||
    fail "the lossless WebP scene's matte differs from the PNG's"

# A batch of WebP, TIFF and HEIC scenes into WebP results.
mkdir scenes mattes
cp out.webp scenes/a.webp
cp out.tif scenes/b.tiff
[ -z "$heic" ] || cp $heic scenes/c.heic
for name in a b c; do cp "$photos/sunset_matte.png" mattes/$name.png; done
run_sc 0 --scene scenes --scene-alpha mattes "${sky[@]}" -o results/ --format webp
for name in a b ${heic:+c}; do
    [ "$(signature results/$name.webp 8 4)" = WEBP ] || fail "results/$name.webp is not WebP"
done

# A damaged scene: one line naming it, exit status 1, no result.
head -c 5000 out.webp >cut.webp
run_sc 1 --scene cut.webp "${matte[@]}" "${sky[@]}" -o cut_out.png
expect_err "cut.webp: truncated WebP"
[ "$(grep -c . "$WORK/err")" -eq 1 ] || fail "more than one line for a damaged scene"
[ ! -e cut_out.png ] || fail "a damaged scene left a result"

# Unknown types list every one the tool writes (.heic last, where it can).
run_sc 2 --scene tagged.jpg "${matte[@]}" "${sky[@]}" -o out.gif
if [ -n "$heic" ]; then
    expect_err "out.gif: unknown output type; use .png, .jpg, .jpeg, .bmp, .webp, .tif, .tiff or .heic"
else
    expect_err "out.gif: unknown output type; use .png, .jpg, .jpeg, .bmp, .webp, .tif or .tiff"
fi
run_sc 2 --scene scenes "${sky[@]}" -o results/ --format gif
expect_err "--format gif: unknown output type; use .png"
echo "ok"
