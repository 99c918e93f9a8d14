#!/bin/sh
# Reproduces models/skychange-default.safetensors from scratch on a 2-core CPU machine
# (about 95 minutes wall clock). The coarse and the refine stage run side by side, one thread
# each; the coarse stage runs in its own session so that a scheduler that shares the CPU
# between sessions (Linux autogroups) weighs it like the refine stage. The refine process
# picks up the coarse stage's checkpoints for part of its labels and writes the model file once
# both stages are done. Re-running with --resume continues an interrupted run. Extra arguments
# are passed to both processes.
#   usage: tools/train/train.sh [--resume]
set -eu
cd "$(dirname "$0")/../.."
PY=${PYTHON:-/usr/bin/python3}
OUT=${OUT:-tools/train/runs/default}
MODEL=${MODEL:-models/skychange-default.safetensors}
COARSE_MIN=${COARSE_MIN:-92}
REFINE_MIN=${REFINE_MIN:-90}
mkdir -p "$OUT"
common="--out $OUT --seed 20261126 --threads 1 --coarse-minutes $COARSE_MIN --refine-minutes $REFINE_MIN"
setsid "$PY" tools/train/train.py --stage coarse $common "$@" >> "$OUT/coarse.log" 2>&1 &
coarse_pid=$!
"$PY" tools/train/train.py --stage refine $common --export "$MODEL" "$@" >> "$OUT/refine.log" 2>&1
wait "$coarse_pid"
echo "wrote $MODEL"
