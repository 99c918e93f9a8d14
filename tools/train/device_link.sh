#!/bin/sh
# One link of a train.sh recipe on a GPU machine, as long as a time budget allows: a probe of
# PROBE_STEPS steps measures the step time there, then the link runs as many steps as fit in
# what is left (its cosine schedule is planned for that many). The data come packed
# (tools/train/pack_data.py --extra, carried to .data/pack); the run folder stays on the
# machine and only the model files and logs go to RESULTS.
#
#   usage: tools/train/device_link.sh BUDGET_SECONDS [RECIPE] [train.py args]
#   e.g.   RESULTS=$OUT tools/train/device_link.sh 480 v15
#
# Environment: RESULTS (default tools/train/runs/device-results), DEVICE (cuda; cpu tries the
# script here), WORKERS (data workers, default: the cores less two), PROBE_STEPS (100),
# MAX_STEPS (50000), SKYCHANGE_DATA, EXTRA and BASE_MODEL as train.sh reads them (defaults: the
# pack and the shipped model file).
set -eu
cd "$(dirname "$0")/../.."
[ $# -ge 1 ] || { echo "usage: $0 BUDGET_SECONDS [RECIPE] [train.py args]" >&2; exit 2; }
budget=$1
recipe=${2:-v15}
[ $# -ge 2 ] && shift 2 || shift 1
start=$(date +%s)
PY=${PYTHON:-python3}
device=${DEVICE:-cuda}
cores=$(nproc)
workers=${WORKERS:-$((cores > 3 ? cores - 2 : 1))}
probe_steps=${PROBE_STEPS:-100}
results=${RESULTS:-tools/train/runs/device-results}
run=tools/train/runs/device-$recipe
export SKYCHANGE_DATA=${SKYCHANGE_DATA:-.data/pack}
export EXTRA=${EXTRA:-$SKYCHANGE_DATA/extra}
export BASE_MODEL=${BASE_MODEL:-models/skychange-default.safetensors}
export PYTHON=$PY

"$PY" -c "import cv2, numpy, torch; assert '$device' != 'cuda' or torch.cuda.is_available(), \
'no CUDA device'" ||
    { echo "device_link.sh: $PY lacks cv2, numpy or torch, or sees no $device device" >&2; exit 1; }
[ -d "$SKYCHANGE_DATA/sky-matting" ] && [ -f "$EXTRA/pseudo_train.csv" ] ||
    { echo "device_link.sh: $SKYCHANGE_DATA: no packed data (tools/train/pack_data.py)" >&2; exit 1; }
mkdir -p "$results"

link() {  # link OUT STEPS [args]: one train.sh run of the recipe
    out=$1
    steps=$2
    shift 2
    rm -rf "$out"
    OUT=$out MODEL=$out/average.safetensors RECIPE=$recipe sh tools/train/train.sh \
        --device "$device" --workers "$workers" --coarse-tune-steps "$steps" \
        --keep-every 0 "$@" > "$out.log" 2>&1 ||
        { tail -20 "$out.log" >&2; echo "device_link.sh: $out failed" >&2; exit 1; }
}

t0=$(date +%s)
link "$run-probe" "$probe_steps" "$@"
probe=$(($(date +%s) - t0))
load=$(sed -n 's/.*data loaded in \([0-9]*\) s.*/\1/p' "$run-probe/link/all.log" | head -1)
# Everything but the steps (start, data, export, average) counts once more in the link; the
# steps get 90 % of what is left, so that the link ends inside the budget.
fixed=$((${load:-0} + 15))
per_step_ms=$(( (probe - fixed) * 1000 / probe_steps ))
[ "$per_step_ms" -ge 1 ] || per_step_ms=1
left=$((budget - ($(date +%s) - start) - fixed))
steps=$((left * 900 / per_step_ms))
max=${MAX_STEPS:-50000}
[ "$steps" -le "$max" ] || steps=$max
echo "probe: $probe_steps steps in ${probe} s (data ${load:-?} s), about ${per_step_ms} ms a step;" \
    "the link gets $steps steps" | tee "$results/plan.txt"
[ "$steps" -ge "$probe_steps" ] || { echo "device_link.sh: no time left for a link" >&2; exit 1; }

link "$run" "$steps" "$@"
cp "$run/average.safetensors" "$results/$recipe-average.safetensors"
cp "$run/link.safetensors" "$results/$recipe-link.safetensors"
cp "$run.log" "$run/link/all.log" "$results/" 2>/dev/null || true
echo "done in $(($(date +%s) - start)) s: $results/$recipe-average.safetensors ($steps steps)" |
    tee -a "$results/plan.txt"
