# The loop of the allocation-fault tests (sourced after lib.sh and faults_lib.sh).
# SC_FAIL_ALLOC_SITE=S:K fails the Kth allocation made at the Sth call site a run
# reaches (docs/robustness.md).

# alloc_report: the hook's exit line of the last run ("" without the hook).
alloc_report() { grep '^alloc-faults: ' "$WORK/err" || true; }

# fail_every_site HIT OUTPUT ARGS...: runs skychange ARGS (which write OUTPUT)
# once without a fault, then once per allocation site with that site's HIT-th
# allocation failing. Each faulty run must either fail cleanly (non-zero exit,
# one error line saying memory ran out, no output, no sanitizer finding or leak)
# or, where the code has a fallback, succeed with the same bytes as the run
# without a fault. Sets SITES to the number of sites.
fail_every_site() {
    local hit=$1 output=$2 site status report errors
    shift 2
    SC_FAIL_ALLOC_SITE=0 run_sc 0 "$@"
    report=$(alloc_report)
    [ -n "$report" ] || skip "built without the allocation fault hook (cmake -DSC_ALLOC_FAULTS=ON, on with -DSC_SANITIZE=ON)"
    SITES=$(sed 's/.* at \([0-9]*\) sites .*/\1/' <<<"$report")
    [ "$SITES" -gt 0 ] || fail "the hook counted no allocation site: $report"
    mv "$output" reference
    for ((site = 1; site <= SITES; site++)); do
        status=0
        SC_FAIL_ALLOC_SITE=$site:$hit "$SKYCHANGE" "$@" >"$WORK/stdout" 2>"$WORK/err" || status=$?
        report=$(alloc_report)
        if grep -q 'Sanitizer\|runtime error:' "$WORK/err" || [ $status -ge 90 ]; then
            cat "$WORK/err" >&2
            fail "site $site, allocation $hit: crash, leak or sanitizer finding (exit status $status)"
        fi
        if [ $status -eq 0 ]; then
            cmp -s "$output" reference ||
                fail "site $site, allocation $hit ($report): exit 0 with a different result"
            rm "$output"
            continue
        fi
        errors=$(grep -v '^alloc-faults: ' "$WORK/err" || true)
        [ "$(wc -l <<<"$errors")" -eq 1 ] && [[ $errors == "skychange: "* ]] ||
            { printf '%s\n' "$errors" >&2; fail "site $site, allocation $hit ($report): expected one error line"; }
        grep -qi 'out of memory\|cannot allocate memory' <<<"$errors" ||
            fail "site $site, allocation $hit ($report): the error does not say that memory ran out: $errors"
        [ ! -e "$output" ] || fail "site $site, allocation $hit ($report): failed, yet $output exists"
        only_files . "${INPUTS[@]}" reference err stdout
    done
}

# fail_every_site_of_small_pair HIT: fail_every_site on a small pair whose mattes
# are computed (model file, both networks, sky patch, blend and PNG writer all
# run), on one thread so that the sites come in one order.
fail_every_site_of_small_pair() {
    make_bmp scene.bmp 64 48 20 "90 140 230" "60 120 40" 1
    make_bmp sky.bmp 64 48 30 "30 80 250" "120 100 80" 2
    INPUTS=(scene.bmp sky.bmp)
    fail_every_site "$1" out.png -q --threads 1 --scene scene.bmp --sky sky.bmp \
        --model "$(find_model)" -o out.png
}
