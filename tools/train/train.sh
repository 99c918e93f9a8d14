#!/bin/sh
# Reproduces models/skychange-default.safetensors from scratch on a 2-core CPU machine
# (about 95 minutes wall clock). The coarse stage trains for COARSE_MIN minutes; the refine
# stage starts REFINE_DELAY_MIN minutes later beside it and trains for REFINE_MIN minutes, one
# thread each. Once the coarse stage is 60 % through, the refine stage takes half of its coarse
# labels from the coarse stage's latest checkpoint (the rest is degraded ground truth), and it
# writes the model file once both stages are done. Each stage runs in its own session so that
# a scheduler that shares the CPU between sessions (Linux autogroups) weighs them alike.
# Re-running with --resume continues an interrupted run (delete $OUT to start afresh).
# Extra arguments are passed to both processes.
#   usage: tools/train/train.sh [--resume]
set -eu
cd "$(dirname "$0")/../.."
PY=${PYTHON:-/usr/bin/python3}
OUT=${OUT:-tools/train/runs/default}
MODEL=${MODEL:-models/skychange-default.safetensors}
COARSE_MIN=${COARSE_MIN:-92}
REFINE_MIN=${REFINE_MIN:-45}
REFINE_DELAY_MIN=${REFINE_DELAY_MIN:-45}
mkdir -p "$OUT"
common="--out $OUT --seed 20261126 --threads 1 --coarse-minutes $COARSE_MIN --refine-minutes $REFINE_MIN"
setsid "$PY" tools/train/train.py --stage coarse $common "$@" >> "$OUT/coarse.log" 2>&1 &
coarse_pid=$!
sleep $((REFINE_DELAY_MIN * 60))
setsid "$PY" tools/train/train.py --stage refine $common --export "$MODEL" "$@" \
    >> "$OUT/refine.log" 2>&1
wait "$coarse_pid"
echo "wrote $MODEL"
