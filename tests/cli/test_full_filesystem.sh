# Output into a file system that is full (a tiny tmpfs, mounted in a private
# mount namespace): a clear error per output, exit status 1, no temporary left,
# and an existing output keeps its old bytes. Skipped, with the reason, where no
# such namespace can be made (unshare and mount refused).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults_lib.sh"
make_standard_pictures
mkdir full in mattes
for name in a b; do
    cp scene.bmp in/$name.bmp
    cp scene_alpha.bmp mattes/$name.bmp
done
inner='set -u
mount -t tmpfs -o size=64k tmpfs full || exit 90
echo "previous result" >full/kept.png || exit 91
mkdir full/batch || exit 92
head -c 1M /dev/zero >full/filler 2>/dev/null   # stops at ENOSPC: the disk is full
status=0
"$0" --scene scene.bmp --scene-alpha scene_alpha.bmp --sky sky.bmp --sky-alpha sky_alpha.bmp \
    -o full/kept.png 2>err_one || status=$?
echo $status >status_one
status=0
"$0" --scene in --scene-alpha mattes --sky sky.bmp --sky-alpha sky_alpha.bmp -o full/batch \
    2>err_batch || status=$?
echo $status >status_batch
ls -A full >listing
ls -A full/batch >listing_batch 2>/dev/null || true
cat full/kept.png >kept'
status=0
in_private_mounts "$inner" "$SKYCHANGE" 2>mount_err || status=$?
[ $status -eq $SKIP ] && skip "tiny filesystem: $(cat mount_err)"
[ $status -eq 0 ] || { cat mount_err; fail "the namespace script failed with status $status"; }

for run in one batch; do
    if grep -q 'Sanitizer\|runtime error:' err_$run; then cat err_$run; fail "sanitizer finding"; fi
    [ "$(cat status_$run)" = 1 ] || { cat err_$run; fail "$run: exit status $(cat status_$run), expected 1"; }
done
[ "$(grep -c 'full/kept.png: .*No space left on device' err_one)" -eq 1 ] || { cat err_one; fail "no one-line ENOSPC error"; }
[ "$(cat kept)" = "previous result" ] || fail "the existing output was changed"
[ "$(tr '\n' ' ' <listing)" = "batch filler kept.png " ] || fail "left in the file system: $(cat listing)"
[ ! -s listing_batch ] || fail "left in the batch folder: $(cat listing_batch)"
grep -q '0 succeeded, 2 failed' err_batch || { cat err_batch; fail "no batch summary of 2 failures"; }
