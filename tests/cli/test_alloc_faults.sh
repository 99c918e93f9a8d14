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
slow_test "about 20 s"
fail_every_site_of_small_pair 1
echo "the first allocation at each of $SITES sites failed cleanly"
