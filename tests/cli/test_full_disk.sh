# Output onto a full device (/dev/full: every write fails with ENOSPC): one
# error line naming the output, exit status 1, nothing left behind. An output
# path that is a link to a device is written in place, not replaced by a file.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults_lib.sh"
[ -c /dev/full ] || skip "/dev/full is not a character device here"
make_standard_pictures
blend=(--scene scene.bmp --scene-alpha scene_alpha.bmp --sky sky.bmp --sky-alpha sky_alpha.bmp)
inputs=(scene.bmp scene_alpha.bmp sky.bmp sky_alpha.bmp)

# Standard output on a full device: the picture and the matte.
RUN_SC_STDOUT=/dev/full run_sc 1 "${blend[@]}" -o -
expect_one_error_line "standard output: write error (No space left on device)"
RUN_SC_STDOUT=/dev/full run_sc 1 --mask scene.bmp --model "$(find_model)" -o -
expect_one_error_line "standard output: write error (No space left on device)"
only_files . "${inputs[@]}" err

# A named output that links to /dev/full, for each writer.
for out in full.png full.jpg full.bmp; do
    ln -s /dev/full "$out"
    run_sc 1 "${blend[@]}" -o "$out"
    expect_one_error_line "$out: "
    expect_err "No space left on device"
    [ -L "$out" ] && [ "$(readlink "$out")" = /dev/full ] || fail "$out: the link was replaced"
    rm "$out"
done
ln -s /dev/full full.pfm
run_sc 1 --mask scene.bmp --model "$(find_model)" -o full.pfm
expect_one_error_line "full.pfm: "
[ -L full.pfm ] || fail "full.pfm: the link was replaced"
rm full.pfm
[ -c /dev/full ] || fail "/dev/full is no longer a device"
only_files . "${inputs[@]}" err stdout

# The same in-place write succeeds on a device that takes the bytes.
ln -s /dev/null null.png
run_sc 0 "${blend[@]}" -o null.png
[ -L null.png ] && [ -c /dev/null ] || fail "null.png or /dev/null was replaced"
