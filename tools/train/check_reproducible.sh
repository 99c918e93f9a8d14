#!/bin/sh
# Checks that training gives the same bits however it is run. The v2 recipe: interrupted and
# resumed against uninterrupted. The v1 recipe: a short run with the stages side
# by side (train.sh), the same run with the stages one after the other, and a side-by-side run
# interrupted and resumed must write byte-identical model files. With sample workers
# (--workers, other samples than the recipe's) the bits must not depend on how many workers
# there are. Needs ../shared/data.
#   usage: tools/train/check_reproducible.sh     (about five minutes on 2 cores)
set -eu
cd "$(dirname "$0")/../.."
PY=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
    echo "FAIL: $*" >&2
    for f in "$tmp"/*/*.log "$tmp"/workers/*/*.log; do [ -f "$f" ] && tail -n 5 "$f" >&2; done
    exit 1
}
steps="--snapshot-every 4"
export COARSE_STEPS=12 COARSE_TUNE_STEPS=6 REFINE_STEPS=12 BOKEH_STEPS=6
v1="--config tools/train/v1_config.json"

# The second link of the chain (RECIPE=v2, the default): an interrupted and resumed run gives
# the bits of an uninterrupted one.
v2_run() {  # name [train.sh args]
    name=$1
    shift
    RECIPE=v2 OUT="$tmp/$name" MODEL="$tmp/$name.safetensors" sh tools/train/train.sh $steps \
        "$@" >/dev/null
}
v2_run v2 || fail "v2 run"
v2_run v2-resumed --checkpoint-minutes 0.03 &
runner=$!
while [ ! -f "$tmp/v2-resumed/from-imagenet/coarse.ckpt" ]; do sleep 1; done
pkill -f "train.py --stage all --out $tmp/v2-resumed/from-imagenet " || true
wait "$runner" || true
v2_run v2-resumed --resume || fail "v2 resumed run"
grep -q "resumed at step" "$tmp/v2-resumed/from-imagenet/all.log" || fail "v2: the run did not resume"
md5sum "$tmp/v2.safetensors" "$tmp/v2-resumed.safetensors"
cmp -s "$tmp/v2.safetensors" "$tmp/v2-resumed.safetensors" || fail "v2: the resumed run differs"

# The first link (RECIPE=v1).
export RECIPE=v1

OUT=$tmp/side MODEL=$tmp/side.safetensors sh tools/train/train.sh $steps >/dev/null \
    || fail "side-by-side run"
"$PY" tools/train/train.py $v1 --stage all --out "$tmp/serial" --threads 1 --coarse-steps 12 \
    --coarse-tune-steps 6 --refine-steps 12 $steps --export "$tmp/serial.safetensors" >"$tmp/serial.log" 2>&1 \
    || fail "one-after-the-other run"

# Interrupted: each stage stops once it has checkpointed (every ~2 s), then resumes.
interrupted_run() {  # name [VAR=value...]: train.sh in $tmp/name, stopped once and resumed
    name=$1
    shift
    env "$@" OUT="$tmp/$name" MODEL="$tmp/$name.safetensors" sh tools/train/train.sh $steps \
        --checkpoint-minutes 0.03 >/dev/null &
    runner=$!
    while [ ! -f "$tmp/$name/refine.ckpt" ] || [ ! -f "$tmp/$name/coarse.ckpt" ]; do sleep 1; done
    pkill -f "train.py --stage [a-z]* --out $tmp/$name " || true
    wait "$runner" || true
    env "$@" OUT="$tmp/$name" MODEL="$tmp/$name.safetensors" sh tools/train/train.sh $steps \
        --resume >/dev/null || fail "$name run"
    grep -q "resumed at step" "$tmp/$name/refine.log" || fail "$name: the refine stage did not resume"
}
interrupted_run resumed

md5sum "$tmp/side.safetensors" "$tmp/serial.safetensors" "$tmp/resumed.safetensors"
n=$(md5sum "$tmp"/*.safetensors | cut -d' ' -f1 | sort -u | wc -l)
[ "$n" -eq 1 ] || fail "the three runs differ"

# SERIAL=1 (the stages one after the other, two threads each): the same bits when interrupted.
SERIAL=1 OUT=$tmp/serial2 MODEL=$tmp/serial2.safetensors sh tools/train/train.sh $steps \
    >/dev/null || fail "SERIAL=1 run"
interrupted_run serial2-resumed SERIAL=1
md5sum "$tmp/serial2.safetensors" "$tmp/serial2-resumed.safetensors"
cmp -s "$tmp/serial2.safetensors" "$tmp/serial2-resumed.safetensors" \
    || fail "SERIAL=1: the interrupted run differs"

for n in 1 2; do
    mkdir -p "$tmp/workers/$n"
    "$PY" tools/train/train.py $v1 --stage all --out "$tmp/workers/$n" --threads 1 --workers "$n" \
        --coarse-steps 12 --coarse-tune-steps 6 --refine-steps 12 $steps \
        --export "$tmp/workers/$n.safetensors" >"$tmp/workers/$n/run.log" 2>&1 \
        || fail "run with $n sample workers"
done
md5sum "$tmp"/workers/*.safetensors
cmp -s "$tmp/workers/1.safetensors" "$tmp/workers/2.safetensors" \
    || fail "1 and 2 sample workers give different models"
echo "PASS: v2 interrupted + resumed gives the uninterrupted run's model; v1 side by side, one after the other, and interrupted + resumed give the same model;"
echo "      so do SERIAL=1 runs with and without an interruption, and 1 and 2 sample workers"
