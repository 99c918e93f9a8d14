#!/bin/bash
# Full-size parity of the C engine with the PyTorch reference (see docs/parity.md).
# Usage: tools/parity.sh [--skychange BIN] [--keep DIR] [--dither N] [--fixture DIR] [PHOTO...]
#   --fixture DIR  also write a full-size stage-wise fixture for SC_NETS_FIXTURES=DIR test_nets_parity
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(dirname "$HERE")
PY=/usr/bin/python3
SKYCHANGE=""
KEEP=""
DITHER=8
FIXTURE=()
photos=()
while [ $# -gt 0 ]; do
    case $1 in
        --skychange) SKYCHANGE=$2; shift 2 ;;
        --keep) KEEP=$2; shift 2 ;;
        --dither) DITHER=$2; shift 2 ;;
        --fixture) FIXTURE=(--fixture "$2"); shift 2 ;;
        -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
        *) photos+=("$1"); shift ;;
    esac
done
if [ -z "$SKYCHANGE" ]; then
    for b in "$SRC"/build*/skychange; do [ -x "$b" ] && SKYCHANGE=$b && break; done
fi
[ -x "$SKYCHANGE" ] || { echo "parity: no skychange binary (use --skychange BIN)"; exit 2; }
if [ ${#photos[@]} -eq 0 ]; then
    photos=(/work/shared/data/photos/lomiri_sunset_by_Aitzol_Berasategi.jpg
            /work/shared/data/photos/mate_Dune.jpg)
fi
if [ -n "$KEEP" ]; then WORK=$KEEP; mkdir -p "$WORK"; else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/parity.XXXXXX"); trap 'rm -rf "$WORK"' EXIT; fi

# Decode every photo once to PNG, so both sides see the same pixels whatever their JPEG
# decoders do, and dither it (uniform noise of +-DITHER levels, fixed seed): flat regions
# (saturated or smooth sky) would otherwise give exact ties in the refiner's max-pool
# windows, which a random model resolves by rounding noise (see docs/parity.md).
i=0
for p in "${photos[@]}"; do
    png=$WORK/photo$i.png
    $PY - "$p" "$png" "$DITHER" <<'PYEOF' || { echo "parity: cannot read $p"; exit 2; }
import sys
import cv2
import numpy as np
im = cv2.imread(sys.argv[1], cv2.IMREAD_COLOR)
if im is None:
    sys.exit(1)
d = int(sys.argv[3])
noise = np.random.RandomState(len(im)).randint(-d, d + 1, im.shape)
sys.exit(0 if cv2.imwrite(sys.argv[2], np.clip(im + noise, 0, 255).astype(np.uint8)) else 1)
PYEOF
    i=$((i + 1))
done
echo "model: full size (coarse 640, refine 1280), random weights conditioned on $(basename "${photos[0]}")"
$PY "$SRC/tools/reference/parity_model.py" "$WORK/photo0.png" -o "$WORK/full.safetensors" \
    "${FIXTURE[@]}" || exit 2
cases=()
for ((j = 0; j < i; j++)); do
    start=$(date +%s.%N)
    if ! "$SKYCHANGE" --mask "$WORK/photo$j.png" --model "$WORK/full.safetensors" \
            -o "$WORK/photo$j.pfm"; then
        echo "parity: skychange --mask failed on ${photos[$j]}"; exit 1
    fi
    end=$(date +%s.%N)
    printf 'C mask of %s: %.1f s\n' "$(basename "${photos[$j]}")" "$(echo "$end - $start" | bc)"
    cases+=(--case "$WORK/full.safetensors" "$WORK/photo$j.png" "$WORK/photo$j.pfm")
done
$PY "$SRC/tools/reference/compare_mask.py" --tol 1e-4 --pool-margins "${cases[@]}"
