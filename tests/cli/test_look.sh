# The look controls through the command line: each changes the result, S=0 and
# the defaults change nothing, a batch and every --pairs line use the run's
# settings, bad values are usage errors naming the option.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
photos=$SRC_DIR/tests/data/photos
scene=(--scene "$photos/sunset.jpg" --scene-alpha "$photos/sunset_matte.png")
sky=(--sky "$photos/picos.jpg" --sky-alpha "$photos/picos_matte.png")

run_sc 0 "${scene[@]}" "${sky[@]}" -o plain.png
run_sc 0 "${scene[@]}" "${sky[@]}" -o zero.png --harmonize=0 --sky-scale 1 --sky-offset 0,0 \
    --edge-shift 0 --edge-fade 0 --sky-brightness 0 --sky-temperature 0
cmp -s plain.png zero.png || fail "look controls at their neutral values changed the result"

i=0
for look in --harmonize --harmonize=1 "--sky-scale 1.5" "--sky-offset -1,0" --flip-sky \
    "--edge-shift 6" "--edge-shift -6" "--edge-fade 12" "--sky-brightness 0.5" \
    "--sky-temperature -1500"; do
    i=$((i + 1))
    # shellcheck disable=SC2086
    run_sc 0 "${scene[@]}" "${sky[@]}" -o look$i.png $look
    cmp -s plain.png look$i.png && fail "$look did not change the result"
done

# --sky-plate: no matte for the sky photo (-v says so); --sky-alpha is refused with it
run_sc 0 "${scene[@]}" --sky "$photos/picos.jpg" --sky-plate -v -o plate.png
expect_err "a sky plate: the whole picture is the sky"
run_sc 2 "${scene[@]}" "${sky[@]}" --sky-plate -o x.png
expect_err "--sky-plate uses the whole sky photo"

# A pairs batch uses the run's settings on every line.
tab=$'\t'
printf '%s\n' "$photos/sunset.jpg${tab}$photos/picos.jpg${tab}batch/a.png${tab}$photos/sunset_matte.png${tab}$photos/picos_matte.png" \
    "$photos/aitzgorri.jpg${tab}$photos/picos.jpg${tab}batch/b.png${tab}$photos/aitzgorri_matte.png${tab}$photos/picos_matte.png" >pairs.tsv
run_sc 0 --pairs pairs.tsv --flip-sky --harmonize=0.8 --sky-scale 1.3
run_sc 0 "${scene[@]}" "${sky[@]}" -o single.png --flip-sky --harmonize=0.8 --sky-scale 1.3
cmp -s batch/a.png single.png || fail "a --pairs line did not use the batch's look"
run_sc 0 --scene "$photos/aitzgorri.jpg" --scene-alpha "$photos/aitzgorri_matte.png" "${sky[@]}" \
    -o single_b.png --flip-sky --harmonize=0.8 --sky-scale 1.3
cmp -s batch/b.png single_b.png || fail "the second --pairs line did not use the batch's look"

# Bad values: exit 2, one line naming the option, no output written.
check_usage() {
    local want=$1
    shift
    run_sc 2 "${scene[@]}" "${sky[@]}" -o bad.png "$@"
    expect_err "$want"
    [ ! -e bad.png ] || fail "a usage error wrote bad.png"
}
check_usage "--sky-scale: '0.5' is not a number from 1 to 8" --sky-scale 0.5
check_usage "--sky-offset: '1' is not X,Y" --sky-offset 1
check_usage "--sky-offset: '0.2,x' is not X,Y" --sky-offset 0.2,x
check_usage "--sky-offset: '0,1.5' is not X,Y" --sky-offset 0,1.5
check_usage "--harmonize: '2' is not a number from 0 to 1" --harmonize=2
check_usage "--edge-shift: '9999' is not a number" --edge-shift 9999
check_usage "--edge-fade: '-3' is not a number" --edge-fade -3
check_usage "--sky-brightness: 'bright' is not a number" --sky-brightness bright
check_usage "--sky-temperature: '4000' is not a number" --sky-temperature 4000
check_usage "--flip-sky cannot be used with --compat" --flip-sky --compat
run_sc 2 --mask "$photos/sunset.jpg" -o m.png --harmonize
expect_err "--harmonize cannot be used with --mask"
echo "ok"

# The result keeps the scene's EXIF (here a Make tag put after SOI by hand) as
# JPEG and as PNG.
{
    head -c 2 "$photos/sunset.jpg"
    printf '\377\341\000\052Exif\000\000MM\000*\000\000\000\010'
    printf '\000\001\001\017\000\002\000\000\000\010\000\000\000\032\000\000\000\000SkyTest\000'
    tail -c +3 "$photos/sunset.jpg"
} >tagged.jpg
for out in tagged_out.jpg tagged_out.png; do
    run_sc 0 --scene tagged.jpg --scene-alpha "$photos/sunset_matte.png" "${sky[@]}" -o $out
    grep -qa SkyTest $out || fail "$out lost the scene's EXIF"
done
grep -qa eXIf tagged_out.png || fail "tagged_out.png has no eXIf chunk"
