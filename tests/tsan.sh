#!/usr/bin/env bash
# ThreadSanitizer run of the concurrent-calls test (tests/pipeline/test_concurrent_calls.c):
# several threads share one model, each with its own thread count.
#
#   tests/tsan.sh [BUILD_DIR]     (default: build-tsan)
#
# Built with clang and LLVM's OpenMP runtime (Debian: clang-19, libomp-19-dev), not GCC's
# libgomp: libgomp is not instrumented, so TSan cannot see its barriers and reports
# races between every parallel loop and the code after it that are not there. LLVM's
# runtime loads Archer (libarcher.so, OMP_TOOL_LIBRARIES), which tells TSan about
# OpenMP's synchronisation; the runtime's own inside is suppressed (tests/tsan.supp
# says why). OpenBLAS, cJSON and cmocka are not instrumented either: TSan sees our
# calls to them, not their inside.
# Exits non-zero on any report (halt_on_error) or test failure.
set -euo pipefail

source_dir=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-build-tsan}
# One LLVM for all of it (tests/llvm_pick.sh): its clang, its OpenMP runtime and its
# Archer. The newest installed wins: Archer of LLVM 14 (Debian 12's default clang)
# corrupts its own records under this test's nested teams of many callers (TSan reported
# a double-locked mutex inside libarcher after 10-30 rounds, and data races that its
# annotations had ordered); LLVM 19's ran the same rounds clean.
source "$source_dir/tests/llvm_pick.sh"
if ! sc_pick_llvm lib/libarcher.so 'lib/clang/*/lib/linux/libclang_rt.tsan-x86_64.a'; then
    echo "tsan.sh: no LLVM with clang, OpenMP, Archer and TSan found (install clang-19 libomp-19-dev libclang-rt-19-dev, or set SC_LLVM)" >&2
    exit 2
fi
archer=$llvm/lib/libarcher.so
if [ "${llvm##*-}" -lt 19 ] 2>/dev/null; then
    echo "tsan.sh: warning: $llvm's Archer may report races it caused itself (tests/tsan.sh says why); install clang-19 libomp-19-dev libclang-rt-19-dev" >&2
fi

flags="-fsanitize=thread -g -fno-omit-frame-pointer"
CC=${CC:-$llvm/bin/clang} cmake -S "$source_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSC_BUILD_BENCH=OFF -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread \
    -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread
cmake --build "$build_dir" -j "$(nproc)" --target test_concurrent_calls

export LD_LIBRARY_PATH=$llvm/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export OMP_TOOL_LIBRARIES=$archer
export ARCHER_OPTIONS=${ARCHER_OPTIONS:-verbose=1}
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$source_dir/tests/tsan.supp ${TSAN_OPTIONS:-}"
"$build_dir/test_concurrent_calls"
