# ctest-labels: slow
# As test_alloc_faults.sh, for --mask into a PFM file: the matte's own path
# and the PFM writer. About 20 s in the sanitizer build:
#   SC_SLOW_TESTS=1 ctest -L slow
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults_lib.sh"
source "$(dirname "$0")/alloc_faults_lib.sh"
slow_test "about 20 s"
make_bmp scene.bmp 64 48 20 "90 140 230" "60 120 40" 1
INPUTS=(scene.bmp)
fail_every_site 1 matte.pfm -q --threads 1 --mask scene.bmp --model "$(find_model)" -o matte.pfm
echo "the first allocation at each of $SITES sites failed cleanly"
