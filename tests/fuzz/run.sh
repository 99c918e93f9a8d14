#!/usr/bin/env bash
# Builds every libFuzzer harness (tests/fuzz/fuzz_*.c) with clang, ASan and UBSan, then runs
# each for SECONDS, starting from a scratch copy of its seed corpus (tests/fuzz/corpus/<name>/,
# which is never grown in place).
#
#   tests/fuzz/run.sh SECONDS [HARNESS...]     e.g.  tests/fuzz/run.sh 30
#                                                    tests/fuzz/run.sh 600 fuzz_model
#
# Exit status: 0 when every harness ran clean; 1 on any finding (crash, sanitizer report,
# leak, an input taking over 1 s, more than 2 GB of memory), after printing the reproducer
# and the command that reruns it; 2 on a usage or build problem.
#
# Environment: SC_FUZZ_BUILD  build folder (default: build-fuzz in the source tree)
#              SC_FUZZ_JOBS   parallel build jobs (default: nproc)
#              SC_FUZZ_WORK   scratch folder for corpora, logs and findings (default: a new
#                             temporary folder, removed when nothing was found)
set -uo pipefail

usage() {
    echo "usage: $0 SECONDS [HARNESS...]" >&2
    exit 2
}
[[ $# -ge 1 && $1 =~ ^[0-9]+$ && $1 -gt 0 ]] || usage
seconds=$1
shift

here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
build=${SC_FUZZ_BUILD:-$source_dir/build-fuzz}
jobs=${SC_FUZZ_JOBS:-$(nproc)}

if [[ $# -gt 0 ]]; then
    harnesses=("$@")
else
    harnesses=()
    for f in "$here"/fuzz_*.c; do
        harnesses+=("$(basename "$f" .c)")
    done
fi
for h in "${harnesses[@]}"; do
    [[ -f $here/$h.c ]] || { echo "run.sh: no harness $here/$h.c" >&2; exit 2; }
done

work=${SC_FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/skychange-fuzz.XXXXXX")}
mkdir -p "$work" || exit 2

# A separate build folder: clang, the library instrumented for coverage, no tests. The
# clang is one whose OpenMP is installed (tests/llvm_pick.sh); its bin folder also
# gives llvm-symbolizer for the sanitizers' stacks.
source "$source_dir/tests/llvm_pick.sh"
if ! sc_pick_llvm 'lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a'; then
    echo "run.sh: no LLVM with clang, OpenMP and libFuzzer found (install clang-19 libomp-19-dev libclang-rt-19-dev llvm-19, or set SC_LLVM)" >&2
    exit 2
fi
export PATH=$llvm/bin:$PATH
if ! cmake -S "$source_dir" -B "$build" -DCMAKE_C_COMPILER="$llvm/bin/clang" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DSC_FUZZ=ON -DSC_BUILD_TESTS=OFF -DSC_BUILD_BENCH=OFF >"$work/configure.log" 2>&1; then
    cat "$work/configure.log" >&2
    echo "run.sh: configuring $build failed" >&2
    exit 2
fi
if ! cmake --build "$build" --target "${harnesses[@]}" -j "$jobs" >"$work/build.log" 2>&1; then
    cat "$work/build.log" >&2
    echo "run.sh: building the harnesses failed" >&2
    exit 2
fi

# Dictionaries: tokens the parsers look for, which random mutation rarely spells.
dictionaries() {
    case $1 in
    fuzz_model) echo safetensors.dict ;;
    fuzz_image) echo png.dict jpeg.dict webp.dict tiff.dict heif.dict ;;
    fuzz_matte) echo pfm.dict png.dict tiff.dict ;;
    fuzz_pairs) echo pairs.dict ;;
    fuzz_args) echo args.dict ;;
    esac
}

# The sanitizers stop at the first report; libFuzzer checks for leaks after each input that
# allocated more than it freed. Symbolised stacks need llvm-symbolizer on the PATH.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
flags=(-timeout=1 -rss_limit_mb=2048 -detect_leaks=1 -print_final_stats=1)

failed=0
summary=()
for h in "${harnesses[@]}"; do
    corpus=$work/corpus/$h
    artifacts=$work/findings/$h/
    log=$work/$h.log
    mkdir -p "$corpus" "$artifacts"
    if [[ -d $here/corpus/$h ]]; then
        cp -R "$here/corpus/$h/." "$corpus/"
    fi
    dict_args=()
    dict_files=()
    for d in $(dictionaries "$h"); do
        [[ -f $here/$d ]] && dict_files+=("$here/$d")
    done
    if [[ ${#dict_files[@]} -gt 0 ]]; then
        cat "${dict_files[@]}" >"$work/$h.dict"
        dict_args=(-dict="$work/$h.dict")
    fi
    echo "== $h: $seconds s" >&2
    "$build/$h" "${flags[@]}" "${dict_args[@]}" -max_total_time="$seconds" \
        -artifact_prefix="$artifacts" "$corpus" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
    units=$(find "$corpus" -type f | wc -l)
    line=$(printf '%-12s %12s execs %8s exec/s %6s MB peak %6s corpus files' \
        "$h" "${execs:-?}" "${speed:-?}" "${rss:-?}" "$units")
    reproducers=$(find "$artifacts" -type f 2>/dev/null | sort)
    if [[ $rc -ne 0 || -n $reproducers ]]; then
        failed=1
        summary+=("$line   FINDING (exit $rc)")
        echo "---- $h: finding (exit status $rc); the end of its log ($log):" >&2
        tail -n 60 "$log" >&2
        for r in $reproducers; do
            echo "reproducer: $r" >&2
            echo "rerun it:   $build/$h -timeout=1 -rss_limit_mb=2048 $r" >&2
        done
        [[ -z $reproducers ]] && echo "no reproducer was written; see $log" >&2
    else
        summary+=("$line   ok")
    fi
done

echo "== summary ($seconds s per harness)" >&2
printf '%s\n' "${summary[@]}" >&2
if [[ $failed -ne 0 ]]; then
    echo "run.sh: findings kept in $work" >&2
    exit 1
fi
[[ -z ${SC_FUZZ_WORK:-} ]] && rm -rf "$work"
exit 0
