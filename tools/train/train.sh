#!/bin/sh
# Reproduces models/skychange-default.safetensors. The shipped file is a chain of seven recipes:
#
#   RECIPE=v1 (the first link, about 2 1/4 hours): the from-scratch HRNet coarse net and the
#     refiner, config tools/train/v1_config.json. Only its refiner is kept.
#   RECIPE=v2 (the second link, about 1 1/2 hours): the coarse net of tools/train/default_config.json
#     (an ImageNet MobileNetV2 encoder under the HRNet fusion + ASPP + OCR head), trained with
#     the DeepLab teacher in its targets, all-sky samples and more night looks (a), then a
#     cycle with out-of-focus sky-free samples (b); the refiner is taken unchanged from
#     REFINER (default: the shipped model file, whose refiner is v1's, bit for bit, so the
#     chain reproduces from this repository alone).
#   RECIPE=v3 (about 1 hour here): version 2's coarse net (read from the git
#     history, commit 5f6b1cb) fine-tuned for 600 steps with real night, dusk, fog and backlit
#     photographs under the teachers' targets (tools/train/extra_photos.csv; `python3 -m
#     tools.train.fetch_extra_photos --extra EXTRA`, then `python3 -m
#     tools.train.make_pseudo_lists --extra EXTRA`), then averaged with
#     version 2: 0.3 x version 2 + 0.7 x the link (models/README.md says why).
#   RECIPE=v4 (about 30 minutes here): version 3's coarse net (read from the git
#     history, commit 7342536) fine-tuned for 600 steps with a larger share of those
#     photographs, real out-of-focus close-ups without sky as a pool of their own (kind
#     nosky_closeup in extra_photos.csv) and dark sky-free samples, then averaged with
#     version 3: 0.3 x version 3 + 0.7 x the link.
#   RECIPE=v5 (about 20 minutes here): version 4's coarse net (commit 9e9cf94)
#     fine-tuned for 600 steps with v4's samples plus 10 % real storm, rain and low-cloud
#     photographs (kind clouds in extra_photos.csv), then 0.3 x version 4 + 0.7 x the link.
#   RECIPE=v6 (about 40-60 minutes here): version 5's coarse net (commit 94fae68)
#     fine-tuned for 600 steps with v5's samples on canvases of 256, 320 and 384 px, then
#     0.3 x version 5 + 0.7 x the link, run on a 384-px view beside the 320-px one
#     (tools/train/set_coarse_views.py).
#   RECIPE=v7 (its average not shipped, its link a part of version 7; about 1 hour here): version 6's
#     coarse net (commit be60fa0) fine-tuned for 800 steps (lr 3e-4) with v6's samples, 30 %
#     of them drawn first as labelled pairs with their own sky (--real-pair-share), then
#     0.3 x version 6 + 0.7 x the link, run on the 320-px and 384-px views.
#   RECIPE=v8 (about 1 hour here): v7's link with three times as many sky-free pictures given
#     the night look (--night-negatives 0.12; v7 called a darkened leaf close-up sky).
#   RECIPE=v9 (about 30 minutes here): v7's link for 500 steps with the night negatives at
#     0.06, which with the real pairs drawn first gives version 6's share of them (2.7 %).
#   RECIPE=v10 (about 1 hour here): v8's link with the real photographs' shares of version 6
#     restored. The labelled pairs drawn first (30 %) had cut the photographs under the
#     teachers' targets from 25 % to 17.5 % of the samples and the cloud photographs from 7.5 %
#     to 5.3 % (v8 lost fog and dusk); --pseudo-share 0.36 and --clouds-share 0.16 give 25 % and
#     7.2 % again, and --night-negatives 0.15 keeps v8's 5.4 % of dark sky-free samples.
#     Not shipped: fog fell further (docs/training-log.md).
#   RECIPE=v11 (about 30 minutes here): v7's link (1.8 % dark sky-free samples, which kept fog)
#     with three quarters of those drawn from the real close-ups (--night-hard-share 0.75):
#     about as many darkened close-ups as v8, which cleaned the leaf close-up at night, without
#     v8's darkened walls and streets. Not shipped: fog collapsed (IoU 0.80 -> 0.48).
#   RECIPE=v12 (about 30 minutes here): v8's link (5.4 % dark sky-free samples) with none of
#     them drawn from the real close-ups (--night-soft-only): v11 showed that the darkened
#     out-of-focus close-ups, more than the dark walls and streets, cost fog. Not shipped:
#     fog 0.80 -> 0.75 (docs/training-log.md).
#   RECIPE=v13 (about 30 minutes here): v12's link with the fog photographs drawn three
#     times as often (--pseudo-repeat haze=3) and the photographs' share raised so that the
#     other kinds keep theirs (0.25 x 139 / 95 = 0.366). Not shipped: fog 0.80 -> 0.83 but
#     dusk 0.918 -> 0.908 (docs/training-log.md).
#   RECIPE=v14 (about 35 minutes here): v13 with the dusk photographs drawn twice as often too
#     (--pseudo-repeat dusk=2) and the share raised again (0.25 x 164 / 95 = 0.432). Not
#     shipped: dusk fell further (0.918 -> 0.889).
#   v7 to v14 write RUN/average.safetensors unless MODEL is set.
#   RECIPE=v15 (about 25 minutes here): version 6's recipe again (600 steps, canvases 256, 320
#     and 384), from version 6's coarse net (commit be60fa0), with 67 more real fog and dusk
#     photographs in the photograph pool (split `train-more` of extra_photos.csv: DAWN, RIDCP,
#     BeDDE, a Pexels day/night set and MWD; 21 more went to the check set; make_pseudo_lists
#     writes them into pseudo_train_more.csv) and the pool's share raised from 0.25 to 0.43
#     (0.25 x 162 / 95) so that the night and backlit photographs keep theirs; then 0.3 x
#     version 6 + 0.7 x the link, run on the 320-px and 384-px views. Not shipped: the check
#     set's fog and the darkened leaf close-up got worse. Writes RUN/average.safetensors
#     unless MODEL is set.
#   RECIPE=v16 (about 50 minutes here): version 6's recipe again from version 6, with its
#     photographs (no train-more), for 1200 steps instead of 600: does a longer schedule of the
#     same samples lift the coarse net? Not shipped: better on the real-photo check set (fog
#     +0.02) and the night transform, not on the labelled pairs. Writes
#     RUN/average.safetensors unless MODEL is set. Its link is a part of version 7.
#   RECIPE=v17 (the default; about 1 3/4 hours here, less where the links are already made):
#     version 7, no training of its own: RECIPE=v7's and RECIPE=v16's links (each made first
#     where tools/train/runs/v7 or v16 lacks it), averaged half and half, then averaged half
#     and half with version 6 (commit be60fa0): 0.5 x version 6 + 0.25 x each link.
#
# v2 runs one process at a time on two threads; checkpoints every 3 minutes, --resume
# continues an interrupted run (delete $OUT to start afresh). Extra arguments go to train.py.
#
# v1: the coarse stage's first cycle (COARSE_STEPS steps, one thread) and the refine stage
# (REFINE_STEPS steps, one thread) run side by side; the coarse stage then runs its second cycle
# (COARSE_TUNE_STEPS steps, two threads). The refiner takes its coarse labels from fixed
# snapshots of the first cycle (waiting for them if need be), so the result does not depend on
# timing. Each stage runs in its own session so that a scheduler that shares the CPU between
# sessions (Linux autogroups) weighs them alike. SERIAL=1 runs the stages one after the other
# instead, each on two threads (docs/training-log.md, "Tried and dropped").
#
# On a GPU machine, `--device cuda --workers 6` runs either recipe in minutes (another draw of
# the recipe, not the shipped bits); tools/train/pack_data.py writes a copy of the data small
# enough to send there (SKYCHANGE_DATA names it, EXTRA its photographs, BASE_MODEL the link's
# starting file where the git history is missing), e.g. a v15 link of 4000 steps:
#   python3 -m tools.train.pack_data .data/pack --side 448 --format webp --quality 75 \
#       --extra .data/extra
#   SKYCHANGE_DATA=.data/pack EXTRA=.data/pack/extra RECIPE=v15 \
#       BASE_MODEL=models/skychange-default.safetensors tools/train/train.sh \
#       --device cuda --workers 12 --coarse-tune-steps 4000
# tools/train/device_link.sh does that within a time budget: it measures the step time with a
# short probe and gives the link as many steps as fit (`RESULTS=$OUT
# tools/train/device_link.sh 480 v15`, with .data/pack carried to the machine).
#   usage: [PYTHON=python3] [SKYCHANGE_DATA=dir] [RECIPE=v1|...|v17] [SERIAL=1]
#          tools/train/train.sh [--resume] [args]
set -eu
cd "$(dirname "$0")/../.."
PY=${PYTHON:-/usr/bin/python3}
model_given=${MODEL:+yes}
MODEL=${MODEL:-models/skychange-default.safetensors}
DATA=${SKYCHANGE_DATA:-../shared/data}
run_stage() {  # dir stage [args]: one train.py process, in a session of its own, logging to dir
    dir=$1
    stage=$2
    shift 2
    setsid "$PY" tools/train/train.py --stage "$stage" $common "$@" >> "$dir/$stage.log" 2>&1
}

# base_model COMMIT FILE: the model file shipped at COMMIT, or BASE_MODEL on a machine without
# the git history (a GPU machine).
base_model() {
    if [ -n "${BASE_MODEL:-}" ]; then
        cp "$BASE_MODEL" "$2"
    else
        git show "$1:models/skychange-default.safetensors" > "$2"
    fi
}

# photo_link OUT COMMIT SEED VERSION [train.py args]: the v3/v4/v5 link. 600 coarse steps from the
# model file of COMMIT with the real photographs under the teachers' targets (fetch them into
# EXTRA, then `python3 -m tools.train.make_pseudo_lists --extra EXTRA`), then
# 0.3 x that file + 0.7 x the link, written to MODEL as model version VERSION.
photo_link() {
    out=$1
    base=$2
    seed=$3
    version=$4
    shift 4
    EXTRA=${EXTRA:-.data/extra}
    mkdir -p "$out/link"
    base_model "$base" "$out/base.safetensors"
    common="--out $out/link --seed $seed --threads 2 --coarse-tune-threads 2"
    common="$common --refine-from $out/base.safetensors --coarse-from $out/base.safetensors"
    common="$common --coarse-steps 0 --coarse-tune-steps 600 --coarse-tune-sizes 256,320"
    common="$common --bokeh-share 0.5 --plate-share 0.05 --night-boost 0.08 --coarse-teacher 0.2"
    common="$common --coarse-tune-teacher 0.2 --export-views 320"
    common="$common --teacher-labels $DATA/pretrained/deeplab_sky/sky-matting/train"
    common="$common --extra-negatives $EXTRA/negatives_train.txt"
    common="$common --pseudo-list $EXTRA/pseudo_train.csv"
    run_stage "$out/link" all --export "$out/link.safetensors" "$@"
    "$PY" -m tools.train.average_models "$out/base.safetensors" "$out/link.safetensors" \
        --weight 0.7 --model-version "$version" -o "$MODEL"
    echo "wrote $MODEL"
}

# v5's samples, which v6 keeps; split into words where used (no word holds a space).
v5_samples="--coarse-tune-lr 2e-4 --coarse-tune-negatives 0.2 --night-negatives 0.04
    --keep-every 100 --hard-negatives ${EXTRA:-.data/extra}/closeups_train.txt
    --hard-negative-share 0.3 --pseudo-share 0.25
    --clouds-list ${EXTRA:-.data/extra}/clouds_train.csv --clouds-share 0.1"

case ${RECIPE:=v17} in
v7 | v8 | v9 | v10 | v11 | v12 | v13 | v14)
    # v8 to v14: the same link (same seed) with other shares (the last of a repeated
    # option wins in train.py's argument parser).
    more=
    [ "$RECIPE" = v8 ] && more="--night-negatives 0.12"
    [ "$RECIPE" = v9 ] && more="--night-negatives 0.06 --coarse-tune-steps 500"
    [ "$RECIPE" = v10 ] && more="--night-negatives 0.15 --pseudo-share 0.36 --clouds-share 0.16"
    [ "$RECIPE" = v11 ] && more="--night-hard-share 0.75"
    [ "$RECIPE" = v12 ] && more="--night-negatives 0.12 --night-soft-only"
    [ "$RECIPE" = v13 ] && more="--night-negatives 0.12 --night-soft-only --pseudo-repeat haze=3
        --pseudo-share 0.366"
    [ "$RECIPE" = v14 ] && more="--night-negatives 0.12 --night-soft-only --pseudo-repeat haze=3
        --pseudo-repeat dusk=2 --pseudo-share 0.432"
    out=${OUT:-tools/train/runs/$RECIPE}
    # Recipes that were not shipped write into their run folder unless MODEL names a file,
    # so that trying one never replaces the shipped model.
    [ -n "$model_given" ] || MODEL=$out/average.safetensors
    # shellcheck disable=SC2086
    photo_link "$out" be60fa0 20261214 "${RECIPE#v}" \
        $v5_samples --coarse-tune-sizes 256,320,384 --coarse-tune-steps 800 \
        --coarse-tune-lr 3e-4 --real-pair-share 0.3 --export-views 320,384 $more "$@"
    exit 0 ;;
v15)
    out=${OUT:-tools/train/runs/v15}
    [ -n "$model_given" ] || MODEL=$out/average.safetensors
    # shellcheck disable=SC2086
    photo_link "$out" be60fa0 20261215 7 $v5_samples --coarse-tune-sizes 256,320,384 \
        --pseudo-list "${EXTRA:-.data/extra}/pseudo_train_more.csv" --pseudo-share 0.43 \
        --export-views 320,384 "$@"
    exit 0 ;;
v16)
    out=${OUT:-tools/train/runs/v16}
    [ -n "$model_given" ] || MODEL=$out/average.safetensors
    # shellcheck disable=SC2086
    photo_link "$out" be60fa0 20261216 7 $v5_samples --coarse-tune-sizes 256,320,384 \
        --coarse-tune-steps 1200 --export-views 320,384 "$@"
    exit 0 ;;
v17)
    # Version 7, a soup without training of its own: 0.5 x version 6 + 0.25 x v16's link +
    # 0.25 x v7's link. Each link is made first by its own recipe where its run folder lacks it.
    out=${OUT:-tools/train/runs/v17}
    mkdir -p "$out"
    for link in v7 v16; do
        [ -f "tools/train/runs/$link/link.safetensors" ] ||
            env -u MODEL -u OUT RECIPE=$link sh tools/train/train.sh "$@"
    done
    base_model be60fa0 "$out/base.safetensors"
    "$PY" -m tools.train.average_models tools/train/runs/v16/link.safetensors \
        tools/train/runs/v7/link.safetensors --weight 0.5 -o "$out/links.safetensors"
    "$PY" -m tools.train.average_models "$out/base.safetensors" "$out/links.safetensors" \
        --weight 0.5 --model-version 7 -o "$MODEL"
    echo "wrote $MODEL"
    exit 0 ;;
v6)
    out=${OUT:-tools/train/runs/v6}
    final=$MODEL
    MODEL=$out/average.safetensors
    # shellcheck disable=SC2086
    photo_link "$out" 94fae68 20261206 6 $v5_samples --coarse-tune-sizes 256,320,384 "$@"
    "$PY" -m tools.train.set_coarse_views "$MODEL" --sizes 320,384 -o "$final"
    exit 0 ;;
v5)
    # shellcheck disable=SC2086
    photo_link "${OUT:-tools/train/runs/v5}" 9e9cf94 20261213 5 $v5_samples "$@"
    exit 0 ;;
v4)
    photo_link "${OUT:-tools/train/runs/v4}" 7342536 20261210 4 --coarse-tune-lr 2e-4 \
        --coarse-tune-negatives 0.2 --night-negatives 0.04 --keep-every 100 \
        --hard-negatives "${EXTRA:-.data/extra}/closeups_train.txt" --hard-negative-share 0.3 \
        --pseudo-share 0.25 "$@"
    exit 0 ;;
v3)
    photo_link "${OUT:-tools/train/runs/v3}" 5f6b1cb 20261207 3 --coarse-tune-lr 3e-4 \
        --coarse-tune-negatives 0.15 --pseudo-share 0.2 "$@"
    exit 0 ;;
esac

if [ "$RECIPE" = v2 ]; then
    OUT=${OUT:-tools/train/runs/v2}
    REFINER=${REFINER:-models/skychange-default.safetensors}
    COARSE_STEPS=${COARSE_STEPS:-1300}
    COARSE_TUNE_STEPS=${COARSE_TUNE_STEPS:-200}
    BOKEH_STEPS=${BOKEH_STEPS:-600}
    mkdir -p "$OUT/from-imagenet" "$OUT/bokeh"
    # The refiner is read before MODEL is written, so REFINER may be MODEL itself.
    shared="--threads 2 --refine-from $REFINER --plate-share 0.06 --night-boost 0.08"
    shared="$shared --coarse-teacher 0.2 --coarse-tune-threads 2"
    shared="$shared --teacher-labels $DATA/pretrained/deeplab_sky/sky-matting/train"
    # a) from ImageNet: a cycle of COARSE_STEPS, then COARSE_TUNE_STEPS with more sky-free
    #    samples (about 45 minutes)
    common="--out $OUT/from-imagenet --seed 20261203 $shared --coarse-steps $COARSE_STEPS"
    common="$common --coarse-tune-steps $COARSE_TUNE_STEPS --coarse-lr 1e-3 --coarse-tune-lr 5e-4"
    run_stage "$OUT/from-imagenet" all --export "$OUT/from-imagenet.safetensors" "$@"
    # b) from a): BOKEH_STEPS at canvases 256 and 320 with out-of-focus sky-free samples; a)
    #    called close-ups with a blurred background sky (about 36 minutes)
    common="--out $OUT/bokeh --seed 20261204 $shared --coarse-steps 0"
    common="$common --coarse-from $OUT/from-imagenet.safetensors --coarse-tune-steps $BOKEH_STEPS"
    common="$common --coarse-tune-lr 4e-4 --coarse-tune-sizes 256,320 --coarse-tune-negatives 0.15"
    common="$common --coarse-tune-teacher 0.2 --bokeh-share 0.5 --plate-share 0.05"
    common="$common --export-views 320"  # chosen on training pairs (models/README.md)
    run_stage "$OUT/bokeh" all --export "$MODEL" "$@"
    echo "wrote $MODEL"
    exit 0
fi

OUT=${OUT:-tools/train/runs/default}
COARSE_STEPS=${COARSE_STEPS:-5000}
COARSE_TUNE_STEPS=${COARSE_TUNE_STEPS:-1000}
REFINE_STEPS=${REFINE_STEPS:-6500}
mkdir -p "$OUT"
common="--config tools/train/v1_config.json --out $OUT --seed 20261126"
common="$common --coarse-steps $COARSE_STEPS"
common="$common --coarse-tune-steps $COARSE_TUNE_STEPS --refine-steps $REFINE_STEPS"
if [ "${SERIAL:-0}" = 1 ]; then threads=2; else threads=1; fi
common="$common --threads $threads"
if [ "$threads" = 2 ]; then
    run_stage "$OUT" coarse "$@"
    run_stage "$OUT" refine --export "$MODEL" "$@"
else
    run_stage "$OUT" coarse "$@" &
    coarse_pid=$!
    run_stage "$OUT" refine --export "$MODEL" "$@"
    wait "$coarse_pid"
fi
echo "wrote $MODEL"
