# Bad inputs and bad models: one clear line naming the file, the documented
# exit status, and no output file left behind (no temporary either).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
model=$(find_model)
make_standard_pictures
sky=(--sky sky.bmp --sky-alpha sky_alpha.bmp)
mkdir out

# A real JPEG, then cut in half.
run_sc 0 --scene scene.bmp "${sky[@]}" --scene-alpha scene_alpha.bmp -o full.jpg
head -c $(($(stat -c %s full.jpg) / 2)) full.jpg >truncated.jpg
: >empty.png
echo "this is text" >text.png

for bad in missing.jpg empty.png text.png truncated.jpg; do
    run_sc 1 --model "$model" --scene "$bad" "${sky[@]}" -o out/result.png
    expect_err "skychange: $bad: "
    [ "$(wc -l <err)" -eq 1 ] || { cat err; fail "$bad: expected one line"; }
    only_files out
    run_sc 1 --model "$model" --mask "$bad" -o out/matte.png
    expect_err "skychange: $bad: "
    only_files out
done
# A bad sky photo is named too.
run_sc 1 --model "$model" --scene scene.bmp --sky text.png --scene-alpha scene_alpha.bmp -o out/r.png
expect_err "skychange: text.png: "
only_files out
# A bad supplied matte is named.
run_sc 1 --model "$model" --scene scene.bmp "${sky[@]}" --scene-alpha text.png -o out/r.png
expect_err "skychange: text.png: "
only_files out

# Models: missing, not a model, a truncated copy, and via $SKYCHANGE_MODEL.
printf 'definitely not a safetensors file' >garbage.safetensors
head -c $(($(stat -c %s "$model") / 2)) "$model" >truncated.safetensors
for m in missing.safetensors garbage.safetensors truncated.safetensors; do
    run_sc 3 --model "$m" --scene scene.bmp "${sky[@]}" -o out/r.png
    expect_err "skychange: $m: "
    only_files out
    run_sc 3 --model "$m" --mask scene.bmp -o out/m.png
    expect_err "skychange: $m: "
    only_files out
done
SKYCHANGE_MODEL=$WORK/garbage.safetensors run_sc 3 --mask scene.bmp -o out/m.png
expect_err "skychange: $WORK/garbage.safetensors: "
run_sc 3 --version --model garbage.safetensors
grep -q "^skychange [0-9]" stdout || fail "--version did not print the version"
# In a batch a model error stops everything with status 3.
mkdir in
cp scene.bmp in/a.bmp
cp scene.bmp in/b.bmp
run_sc 3 --model garbage.safetensors --scene in "${sky[@]}" -o out
expect_err "skychange: garbage.safetensors: "
only_files out

# Outputs never replace inputs.
run_sc 2 --model "$model" --scene scene.bmp "${sky[@]}" -o scene.bmp
expect_err "skychange: scene.bmp: refusing to overwrite an input"
run_sc 2 --model "$model" --scene scene.bmp --scene-alpha scene_alpha.bmp "${sky[@]}" -o ./sky.bmp
expect_err "refusing to overwrite an input (sky.bmp)"
run_sc 0 --scene scene.bmp "${sky[@]}" --scene-alpha scene_alpha.bmp -o r.png
run_sc 2 --model "$model" --mask r.png -o r.png
expect_err "skychange: r.png: refusing to overwrite an input"
run_sc 0 --scene scene.bmp "${sky[@]}" --scene-alpha scene_alpha.bmp -o r.png --save-alpha saved.png
run_sc 2 --scene scene.bmp "${sky[@]}" --scene-alpha saved.png -o r2.png --save-alpha saved.png
expect_err "saved.png: refusing to overwrite an input"
run_sc 2 --scene scene.bmp "${sky[@]}" --scene-alpha scene_alpha.bmp -o r.png --save-alpha a.jpg
expect_err "a.jpg: unknown matte type"
run_sc 2 --scene scene.bmp "${sky[@]}" --scene-alpha scene_alpha.bmp -o r.png --save-alpha r.png
expect_err "the result and its matte would be the same file"

# Usage errors.
run_sc 2 --scnee scene.bmp "${sky[@]}" -o out/r.png
expect_err "unknown option '--scnee'; did you mean '--scene'?"
expect_err "Try 'skychange --help'"
run_sc 2 --scene scene.bmp "${sky[@]}"
expect_err "-o is required"
run_sc 2 --scene scene.bmp -o out/r.png
expect_err "--sky is required"
run_sc 2 --scene scene.bmp "${sky[@]}" -o out/r.gif
expect_err "out/r.gif: unknown output type"
run_sc 2 --mask scene.bmp -o out/m.jpg
expect_err "out/m.jpg: unknown output type"
run_sc 2 --scene scene.bmp "${sky[@]}" -o out/r.png --quality 0
run_sc 2 --scene scene.bmp "${sky[@]}" -o out/r.png --threads -1
run_sc 2 --scene scene.bmp --mask scene.bmp -o out/r.png
run_sc 2 --scene in "${sky[@]}" -o -
expect_err "standard output takes only one picture"
run_sc 2 -q -v --scene scene.bmp "${sky[@]}" -o out/r.png
only_files out
run_sc 0 --help
grep -q -- "--shard K/N" stdout || fail "--help lacks --shard"
echo "ok"
