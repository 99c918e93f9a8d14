# ctest-labels: slow
# Out of memory at every allocation site of one run: the first allocation at
# each site the run reaches fails in turn (SC_FAIL_ALLOC_SITE, docs/robustness.md).
# Each time: one error line that says memory ran out, a non-zero exit status, no
# output file, no crash and, in the sanitizer build, no leak. Skipped, saying
# so, in a build without the hook (it is on in the sanitizer build). About 20 s
# in the sanitizer build: SC_SLOW_TESTS=1 ctest -L slow
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults_lib.sh"
source "$(dirname "$0")/alloc_faults_lib.sh"
[ "${SC_SLOW_TESTS:-0}" = 1 ] || skip "slow test (about 20 s): set SC_SLOW_TESTS=1 to run it"
# A small pair whose mattes are computed: model file, both networks, sky patch,
# blend and PNG writer all run. One thread, so the sites come in one order.
make_bmp scene.bmp 64 48 20 "90 140 230" "60 120 40" 1
make_bmp sky.bmp 64 48 30 "30 80 250" "120 100 80" 2
INPUTS=(scene.bmp sky.bmp)
fail_every_site 1 -q --threads 1 --scene scene.bmp --sky sky.bmp --model "$(find_model)" -o out.png
echo "the first allocation at each of $SITES sites failed cleanly"
