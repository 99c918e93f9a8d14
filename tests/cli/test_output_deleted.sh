# The output folder is deleted in the middle of a batch: the jobs after it
# fail with a clear error each, the batch exits 1, and nothing is left behind.
# The second scene is a FIFO, so the batch waits on it, deterministically,
# while the folder is removed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults_lib.sh"
make_standard_pictures
mkdir in mattes
for name in a b c; do make_matte mattes/$name.bmp 64 48 20; done
cp scene.bmp in/a.bmp
cp scene.bmp in/c.bmp
mkfifo in/b.bmp

status=0
"$SKYCHANGE" --scene in/a.bmp in/b.bmp in/c.bmp --scene-alpha mattes --sky sky.bmp \
    --sky-alpha sky_alpha.bmp -o out >stdout 2>err &
pid=$!
for ((i = 0; i < 300; i++)); do
    [ ! -e out/a.png ] || break
    sleep 0.1
done
if [ ! -e out/a.png ]; then
    kill "$pid"
    cat err >&2
    fail "out/a.png was not written within 30 s"
fi
rm -r out
# Unblocks the reader of the FIFO (timeout: a dead reader must not hang the test).
timeout 30 cp scene.bmp in/b.bmp || fail "skychange did not read in/b.bmp"
wait "$pid" || status=$?
if grep -q 'Sanitizer\|runtime error:' err; then cat err >&2; fail "sanitizer finding"; fi
[ $status -eq 1 ] || { cat err >&2; fail "exit status $status, expected 1"; }
for name in b c; do
    [ "$(grep -c "out/$name.png: .*No such file or directory" err)" -eq 1 ] ||
        { cat err >&2; fail "no one-line error for out/$name.png"; }
done
expect_err "1 succeeded, 2 failed, 0 skipped of 3"
[ ! -e out ] || fail "the deleted output folder came back: $(ls -A out)"
