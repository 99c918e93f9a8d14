# Helpers for the fault-injection tests (sourced after lib.sh, not run).

# The exit status with which a test reports to ctest that it was skipped; the
# reason is printed first.
SKIP=77
skip() {
    echo "SKIPPED: $*"
    exit $SKIP
}

# slow_test HOW_LONG: skips the test unless SC_SLOW_TESTS=1 (docs/robustness.md).
slow_test() {
    [ "${SC_SLOW_TESTS:-0}" = 1 ] || skip "slow test ($1): set SC_SLOW_TESTS=1 to run it"
}

# measured ARGS...: runs skychange ARGS under GNU time (stdout, stderr and the
# log into $WORK/stdout, err, time.log), leaves its exit status in $STATUS and
# its peak memory in $PEAK_MIB; fails on a sanitizer finding.
measured() {
    [ -x /usr/bin/time ] || skip "/usr/bin/time (GNU time) is needed to measure the peak memory"
    STATUS=0
    /usr/bin/time -v -o "$WORK/time.log" "$SKYCHANGE" "$@" >"$WORK/stdout" 2>"$WORK/err" || STATUS=$?
    if grep -q 'Sanitizer\|runtime error:' "$WORK/err"; then cat "$WORK/err" >&2; fail "sanitizer finding: $*"; fi
    local kib
    kib=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.log")
    PEAK_MIB=$((kib / 1024))
}

# in_private_mounts SCRIPT [ARG...]: runs `bash -c SCRIPT ARG...` in a mount
# namespace of its own, so its mounts vanish with it and nothing outside sees
# them: as an unprivileged user's namespace where the system allows it, else
# as root. Returns the script's status, or $SKIP (reason on stderr) when no
# namespace in which tmpfs can be mounted can be made here.
in_private_mounts() {
    local how probe=$WORK/.mount-probe
    mkdir -p "$probe"
    for how in "unshare --user --map-root-user --mount" "unshare --mount"; do
        # shellcheck disable=SC2086 # $how is a command with its options
        if $how mount -t tmpfs -o size=4k tmpfs "$probe" 2>/dev/null; then
            $how bash -c "$@"
            return
        fi
    done
    echo "neither 'unshare --user --map-root-user --mount' nor 'unshare --mount' can mount tmpfs here" >&2
    return $SKIP
}

# expect_one_error_line TEXT: the last run's stderr has TEXT on exactly one line.
expect_one_error_line() {
    [ "$(grep -cF -- "$1" "$WORK/err")" -eq 1 ] || { cat "$WORK/err" >&2; fail "expected one line with: $1"; }
}
