# ctest-labels: slow
# As test_alloc_faults.sh, but the second allocation at each site fails: the
# clean-up of a loop or of a second picture when the first one's memory is held.
# Sites reached once succeed and must give the same bytes. About 20 s in the
# sanitizer build: SC_SLOW_TESTS=1 ctest -L slow
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults_lib.sh"
source "$(dirname "$0")/alloc_faults_lib.sh"
slow_test "about 20 s"
fail_every_site_of_small_pair 2
echo "the second allocation at each of $SITES sites failed cleanly (or did not happen)"
