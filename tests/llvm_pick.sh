# Sourced by tests/tsan.sh and tests/fuzz/run.sh. sc_pick_llvm FILE... sets `llvm` to
# the newest /usr/lib/llvm-N that holds clang, OpenMP's omp.h and every FILE (globs
# allowed), or to $SC_LLVM when set; returns non-zero when there is none. Debian 12
# installs one libomp-N-dev at a time (they conflict), so the clang to build with is
# the one whose OpenMP is installed, which /usr/bin/clang need not be.
sc_pick_llvm() {
    local dir file found
    if [ -n "${SC_LLVM:-}" ]; then
        llvm=$SC_LLVM
        return 0
    fi
    llvm=
    for dir in $(ls -d /usr/lib/llvm-* 2>/dev/null | sort -V); do
        found=1
        for file in bin/clang 'lib/clang/*/include/omp.h' "$@"; do
            compgen -G "$dir/$file" >/dev/null || found=0
        done
        if [ "$found" = 1 ]; then
            llvm=$dir
        fi
    done
    [ -n "$llvm" ]
}
