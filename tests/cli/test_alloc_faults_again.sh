# ctest-labels: slow
# As test_alloc_faults.sh, but the second allocation at each site fails: the
# clean-up of a loop or of a second picture when the first one's memory is held.
# Sites reached once succeed and must give the same bytes. About 20 s in the
# sanitizer build: SC_SLOW_TESTS=1 ctest -L slow
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults_lib.sh"
source "$(dirname "$0")/alloc_faults_lib.sh"
[ "${SC_SLOW_TESTS:-0}" = 1 ] || skip "slow test (about 20 s): set SC_SLOW_TESTS=1 to run it"
make_bmp scene.bmp 64 48 20 "90 140 230" "60 120 40" 1
make_bmp sky.bmp 64 48 30 "30 80 250" "120 100 80" 2
INPUTS=(scene.bmp sky.bmp)
fail_every_site 2 -q --threads 1 --scene scene.bmp --sky sky.bmp --model "$(find_model)" -o out.png
echo "the second allocation at each of $SITES sites failed cleanly (or did not happen)"
