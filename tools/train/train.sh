#!/bin/sh
# Reproduces models/skychange-default.safetensors from scratch, bit for bit on the same
# software, in about 2 1/4 hours on a 2-core CPU machine. The coarse stage's first cycle
# (COARSE_STEPS steps, one thread) and the refine stage (REFINE_STEPS steps, one thread) run
# side by side; the coarse stage then runs its second cycle (COARSE_TUNE_STEPS steps, two
# threads). The refiner takes its coarse labels from fixed snapshots of the first cycle
# (waiting for them if need be), so the result does not depend on timing. The refine process
# writes the model file once both stages are done. Each stage runs in its own session so
# that a scheduler that shares the CPU between sessions (Linux autogroups) weighs them alike.
# Re-running with --resume continues an interrupted run (delete $OUT to start afresh).
# Extra arguments are passed to both processes. On a GPU machine, `--device cuda --workers 6`
# runs the same recipe in about 10 minutes (H200, 16 cores; the sample workers are the limit).
# The workers draw each step from a stream of its own, so the model is another draw of the
# recipe, not the shipped bits. tools/train/pack_data.py writes a copy of the data small enough
# to send to such a machine (SKYCHANGE_DATA names it there).
# SERIAL=1 runs the stages one after the other instead, each on two threads: for experiments
# with a longer coarse stage than one core finishes beside the refiner (COARSE_STEPS=7500 took
# about 3 1/2 hours this way; models/README.md, "Tried and dropped").
#   usage: [PYTHON=python3] [SKYCHANGE_DATA=dir] [SERIAL=1] tools/train/train.sh [--resume] [args]
set -eu
cd "$(dirname "$0")/../.."
PY=${PYTHON:-/usr/bin/python3}
OUT=${OUT:-tools/train/runs/default}
MODEL=${MODEL:-models/skychange-default.safetensors}
COARSE_STEPS=${COARSE_STEPS:-5000}
COARSE_TUNE_STEPS=${COARSE_TUNE_STEPS:-1000}
REFINE_STEPS=${REFINE_STEPS:-6500}
mkdir -p "$OUT"
common="--out $OUT --seed 20261126 --coarse-steps $COARSE_STEPS"
common="$common --coarse-tune-steps $COARSE_TUNE_STEPS --refine-steps $REFINE_STEPS"
if [ "${SERIAL:-0}" = 1 ]; then threads=2; else threads=1; fi
common="$common --threads $threads"
run_stage() {  # stage [args]: one train.py process, in a session of its own, logging to OUT
    stage=$1
    shift
    setsid "$PY" tools/train/train.py --stage "$stage" $common "$@" >> "$OUT/$stage.log" 2>&1
}
if [ "$threads" = 2 ]; then
    run_stage coarse "$@"
    run_stage refine --export "$MODEL" "$@"
else
    run_stage coarse "$@" &
    coarse_pid=$!
    run_stage refine --export "$MODEL" "$@"
    wait "$coarse_pid"
fi
echo "wrote $MODEL"
