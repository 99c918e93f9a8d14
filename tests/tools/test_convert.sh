#!/bin/bash
# Converter test: synthetic ModelScope directories (every variant, every key-prefix style)
# are converted, the refusals are checked (missing ASPP dilations, foreign and missing keys),
# and the C engine's mask (skychange --mask) must match the PyTorch reference within 1e-4.
# Usage: bash test_convert.sh <skychange binary> <source dir> <build dir>
set -u
SKYCHANGE=$1
SRC=$2
PY=/usr/bin/python3
# the tools package (tools/__init__.py)
export PYTHONPATH="$SRC${PYTHONPATH:+:$PYTHONPATH}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/test_convert.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

$PY "$SRC/tests/tools/convert_cases.py" "$TMP" || fail "converter cases"

variants="super_first_aspp super_first_tail_scale2_refine_aspp ocr_first_aspp_refine_aspp
          ocr_first_tail_scale2"
# One variant again with matte levels in its config (refine.levels, docs/model-format.md).
levels_of=super_first_aspp
if [ -f "$TMP/$levels_of.safetensors" ]; then
    $PY - "$TMP/$levels_of.safetensors" "$TMP/with_levels.safetensors" <<'PYEOF' \
        || fail "writing the model with levels"
import sys
from tools.reference import safetensors_io
cfg = safetensors_io.read_config(sys.argv[1])
cfg["refine"]["levels"] = [0.3, 0.7]
safetensors_io.rewrite_config(sys.argv[1], sys.argv[2], cfg)
PYEOF
    mkdir -p "$TMP/dirs/with_levels"
    cp "$TMP/dirs/$levels_of/picture.png" "$TMP/dirs/with_levels/picture.png"
    variants="$variants with_levels"
fi

cases=()
if [ ! -x "$SKYCHANGE" ]; then
    fail "skychange --mask not available ($SKYCHANGE is not an executable)"
else
    for v in $variants; do
        [ -f "$TMP/$v.safetensors" ] || continue
        if "$SKYCHANGE" --mask "$TMP/dirs/$v/picture.png" --model "$TMP/$v.safetensors" \
                -o "$TMP/$v.pfm" > "$TMP/$v.cli.log" 2>&1; then
            cases+=(--case "$TMP/$v.safetensors" "$TMP/dirs/$v/picture.png" "$TMP/$v.pfm")
        else
            cat "$TMP/$v.cli.log"
            fail "$v: skychange --mask not available or failed"
        fi
    done
    if [ ${#cases[@]} -gt 0 ]; then
        $PY -m tools.reference.compare_mask --tol 1e-4 "${cases[@]}" \
            || fail "C mask differs from the reference"
    fi
fi

if [ $failures -ne 0 ]; then
    echo "test_convert: $failures failure(s)"
    exit 1
fi
echo "test_convert: all passed"
