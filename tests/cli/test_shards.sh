# Shards split the sorted input list so that together they do every input
# exactly once, with results byte-identical to an unsharded run.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
make_standard_pictures
mkdir in mattes
for name in p1 p2 p3 p4 p5; do
    make_bmp in/$name.bmp 64 48 20 "90 140 230" "60 120 40" "$RANDOM"
    make_matte mattes/$name.bmp 64 48 20
done
common=(--scene in --sky sky.bmp --sky-alpha sky_alpha.bmp --scene-alpha mattes)

run_sc 0 "${common[@]}" -o all
run_sc 0 "${common[@]}" -o s1 --shard 1/2
expect_err "3 succeeded, 0 failed, 0 skipped of 3 (shard 1/2 of 5 inputs)"
run_sc 0 "${common[@]}" -o s2 --shard 2/2
expect_err "2 succeeded, 0 failed, 0 skipped of 2 (shard 2/2 of 5 inputs)"
only_files s1 p1.png p3.png p5.png
only_files s2 p2.png p4.png
for f in s1/* s2/*; do
    cmp -s "$f" "all/$(basename "$f")" || fail "$f differs from the unsharded result"
done

# Three shards into one folder cover the list once.
for k in 1 2 3; do run_sc 0 "${common[@]}" -o s3 --shard $k/3; done
only_files s3 p1.png p2.png p3.png p4.png p5.png

# More shards than inputs: an empty shard is fine.
run_sc 0 "${common[@]}" -o s9 --shard 9/9
only_files s9
expect_err "0 succeeded, 0 failed, 0 skipped of 0 (shard 9/9 of 5 inputs)"

# Bad shard specifications are usage errors.
for bad in 0/2 3/2 1/0 x/2 1/ 2 -1/2 1/2x; do
    run_sc 2 "${common[@]}" -o bad --shard "$bad"
    expect_err "--shard: '$bad' is not K/N"
done
echo "ok"
