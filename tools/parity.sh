#!/bin/bash
# Full-size parity of the C networks with the PyTorch reference (see docs/parity.md).
# Usage: tools/parity.sh [--build DIR] [--keep DIR] [--seed N] [--no-mask] [PHOTO]
#   --build DIR  build folder holding test_nets_parity and skychange (default: first build*/ with both)
#   --keep DIR   keep the model, fixture tensors and masks in DIR
#   --no-mask    skip the informative end-to-end skychange --mask figure
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(dirname "$HERE")
PY=/usr/bin/python3
# the tools package (tools/__init__.py)
export PYTHONPATH="$SRC${PYTHONPATH:+:$PYTHONPATH}"
BUILD=""
KEEP=""
SEED=20260
MASK=1
photo=/work/shared/data/photos/lomiri_sunset_by_Aitzol_Berasategi.jpg
while [ $# -gt 0 ]; do
    case $1 in
        --build) BUILD=$2; shift 2 ;;
        --keep) KEEP=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --no-mask) MASK=0; shift ;;
        -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
        *) photo=$1; shift ;;
    esac
done
if [ -z "$BUILD" ]; then
    for b in "$SRC"/build*/; do
        [ -x "$b/test_nets_parity" ] && [ -x "$b/skychange" ] && BUILD=$b && break
    done
fi
TEST=$BUILD/test_nets_parity
SKYCHANGE=$BUILD/skychange
[ -x "$TEST" ] || { echo "parity: no test_nets_parity (use --build DIR)"; exit 2; }
if [ -n "$KEEP" ]; then WORK=$KEEP; mkdir -p "$WORK"; else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/parity.XXXXXX"); trap 'rm -rf "$WORK"' EXIT; fi
FIX=$WORK/fixture
mkdir -p "$FIX"

failures=0
verdict() { # verdict PASS|FAIL text
    echo "$1 $2"
    [ "$1" = PASS ] || failures=$((failures + 1))
}
elapsed() { printf '%.0f' "$(echo "$(date +%s.%N) - $1" | bc)"; }

# Decode once to PNG: both sides then read identical pixels, whatever their JPEG decoders do.
$PY - "$photo" "$WORK/photo.png" <<'PYEOF' || { echo "parity: cannot read $photo"; exit 2; }
import sys
import cv2
im = cv2.imread(sys.argv[1], cv2.IMREAD_COLOR)
sys.exit(0 if im is not None and cv2.imwrite(sys.argv[2], im) else 1)
PYEOF
echo "== model: full size (coarse 640, refine 1280), random weights, photo $(basename "$photo")"

echo "== reference (PyTorch float32 and float64)"
start=$(date +%s.%N)
$PY -m tools.reference.parity_model "$WORK/photo.png" --fixture "$FIX" --seed "$SEED"
rc=$?
echo "   reference: $(elapsed "$start") s"
if [ $rc -gt 1 ] || [ ! -f "$FIX/full_io.safetensors" ]; then echo "parity: reference failed"; exit 2; fi
[ $rc -eq 0 ] || failures=$((failures + 1))

echo "== C networks, stage-wise from the reference's own inputs (test_nets_parity)"
start=$(date +%s.%N)
SC_NETS_FIXTURES=$FIX "$TEST" > "$WORK/test_nets_parity.log" 2>&1
rc=$?
cat "$WORK/test_nets_parity.log"
echo "   C networks: $(elapsed "$start") s, exit status $rc"
coarse=$(grep -o 'coarse logits rel err [^ ,]*, label: [0-9]* near-tie differences, [0-9]* others' \
    "$WORK/test_nets_parity.log")
alpha=$(grep -o 'refined alpha rel err [^ ]*' "$WORK/test_nets_parity.log" | awk '{print $5}')
if [ -n "$coarse" ]; then
    rel=$(echo "$coarse" | awk '{print $5}' | tr -d ,)
    ties=$(echo "$coarse" | awk '{print $7}')
    others=$(echo "$coarse" | awk '{print $10}')
    verdict "$(awk -v r="$rel" 'BEGIN{print (r <= 1e-4) ? "PASS" : "FAIL"}')" \
        "coarse: C float32 logits vs float64 reference, max abs diff / max |logit| = $rel (limit 1e-4)"
    verdict "$([ "$others" -eq 0 ] && echo PASS || echo FAIL)" \
        "coarse: label differs on $ties near-tie pixels (allowed) and $others other pixels (limit 0)"
else
    verdict FAIL "coarse: no figure from test_nets_parity"
fi
if [ -n "$alpha" ]; then
    # max |alpha| is ~1, so the relative figure is the absolute one: float32 sigmoid ulps.
    verdict "$(awk -v r="$alpha" 'BEGIN{print (r <= 1e-6) ? "PASS" : "FAIL"}')" \
        "refiner: C alpha vs float64 reference on the exact input, max abs diff $alpha (limit 1e-6)"
else
    verdict FAIL "refiner: no figure from test_nets_parity"
fi
verdict "$([ $rc -eq 0 ] && echo PASS || echo FAIL)" "test_nets_parity exit status $rc"

if [ $MASK -eq 1 ] && [ -x "$SKYCHANGE" ]; then
    echo "== informative: end-to-end skychange --mask vs the float32 reference pipeline"
    start=$(date +%s.%N)
    if "$SKYCHANGE" --mask "$WORK/photo.png" --model "$FIX/full.safetensors" -o "$WORK/photo.pfm"; then
        echo "   C mask: $(elapsed "$start") s"
        $PY -m tools.reference.compare_mask --tol 1e-4 \
            --case "$FIX/full.safetensors" "$WORK/photo.png" "$WORK/photo.pfm" | sed 's/^/INFO /'
        echo "INFO not a verdict: here the refiner reads the real normalised picture, not the"
        echo "INFO 1/64 grid, so its sums round, and rounding decides max-pool windows whose"
        echo "INFO values tie in exact arithmetic, and labels at near-tie logits (docs/parity.md)."
    else
        echo "INFO skychange --mask failed"
    fi
fi

if [ $failures -eq 0 ]; then echo "parity: PASS"; exit 0; fi
echo "parity: FAIL ($failures)"
exit 1
