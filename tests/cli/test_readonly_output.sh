# Output into a read-only folder: a clear error per output, exit status 1,
# nothing written, an existing output untouched. Root ignores permission bits,
# so the folder is made read-only by a read-only bind mount in a private mount
# namespace; skipped, with the reason, where no such namespace can be made.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults_lib.sh"
make_standard_pictures
mkdir -p ro/batch
echo "previous result" >ro/kept.png
inner='set -u
mount --bind ro ro && mount -o remount,bind,ro ro || exit 90
touch ro/probe 2>/dev/null && exit 91   # the mount must really refuse writes
blend=(--scene scene.bmp --scene-alpha scene_alpha.bmp --sky sky.bmp --sky-alpha sky_alpha.bmp)
status=0; "$0" "${blend[@]}" -o ro/kept.png 2>err_file || status=$?; echo $status >status_file
status=0; "$0" "${blend[@]}" -o ro/batch/ --format jpg 2>err_folder || status=$?; echo $status >status_folder
status=0; "$0" "${blend[@]}" -o ok.png --save-alpha ro/alpha.png 2>err_alpha || status=$?; echo $status >status_alpha'
status=0
in_private_mounts "$inner" "$SKYCHANGE" 2>mount_err || status=$?
[ $status -eq $SKIP ] && skip "read-only folder: $(cat mount_err)"
[ $status -eq 0 ] || { cat mount_err; fail "the namespace script failed with status $status"; }

for run in file folder alpha; do
    if grep -q 'Sanitizer\|runtime error:' err_$run; then cat err_$run; fail "sanitizer finding"; fi
    [ "$(cat status_$run)" = 1 ] || { cat err_$run; fail "$run: exit status $(cat status_$run), expected 1"; }
    [ "$(grep -c 'Read-only file system' err_$run)" -eq 1 ] || { cat err_$run; fail "$run: no one-line error"; }
done
grep -q 'ro/kept.png: ' err_file || fail "the error does not name ro/kept.png"
grep -q 'ro/batch/scene.jpg: ' err_folder || { cat err_folder; fail "the error does not name ro/batch/scene.jpg"; }
grep -q 'ro/alpha.png: ' err_alpha || { cat err_alpha; fail "the error does not name ro/alpha.png"; }
[ "$(cat ro/kept.png)" = "previous result" ] || fail "the existing output was changed"
only_files ro batch kept.png
only_files ro/batch
