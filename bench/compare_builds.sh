#!/usr/bin/env bash
# Two builds of the project timed against each other in one run, alternating
# (A B, B A, A B, ...) so that load from other processes hits both alike;
# prints medians and the ratio old/new.
#
#   bench/compare_builds.sh OLD_BUILD NEW_BUILD SMALL_MODEL SCENE SKY [ROUNDS] [THREADS]
#
# OLD_BUILD, NEW_BUILD: build folders holding bench_nets (with --save-alpha) and
# bench_pipeline. Two workloads:
#   matte: `bench_nets --only matte`: a model of the original's full-size
#     architecture (coarse 640, refine 1280) with the same random weights in both
#     builds, the mask of a 1600x1200 picture; the whole process (model build
#     included) and the mask inference it reports, peak RSS, and the largest
#     difference between the two builds' mattes (when both bench_nets can save
#     it: builds before --save-alpha, such as b4372fb's, are timed only).
#   pair: `bench_pipeline --size 2560x1600` with SMALL_MODEL: decode, both
#     mattes, blend, PNG encode of one pair; its "total" median.
#   CLI pair: the build's `skychange --scene SCENE --sky SKY --model SMALL_MODEL
#     -o out.png`, the whole process as a user runs it (SCENE and SKY as they
#     are, not resized), with its peak RSS.
set -euo pipefail

if [ $# -lt 5 ]; then
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
old=$1 new=$2 small=$3 scene=$4 sky=$5 rounds=${6:-3} threads=${7:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# 1 when BUILD's bench_nets takes --save-alpha.
saves_alpha() {
    local usage
    usage=$("$1/bench_nets" --help 2>&1 || true)
    [[ $usage == *--save-alpha* ]]
}

# run_matte BUILD TAG ROUND: appends "process_s inference_s rss_mb" to $work/TAG.matte
run_matte() {
    local out="$work/$2.$3.out" save=()
    if saves_alpha "$1"; then save=(--save-alpha "$work/$2.alpha"); fi
    /usr/bin/time -f "%e %M" -o "$work/time" \
        "$1/bench_nets" --only matte --threads "$threads" "${save[@]}" >"$out"
    local inference
    inference=$(sed -n 's/^mask inference of a [0-9x]* picture: \([0-9.]*\) s.*/\1/p' "$out")
    read -r wall rss_kb <"$work/time"
    echo "$wall $inference $((rss_kb / 1024))" >>"$work/$2.matte"
}

# run_pair BUILD TAG: appends the pipeline's total median to $work/TAG.pair
run_pair() {
    "$1/bench_pipeline" --scene "$scene" --sky "$sky" --model "$small" --threads "$threads" \
        --reps 1 --size 2560x1600 >"$work/pair.out"
    sed -n "s/^ *total *median *\([0-9.]*\) s/\1/p" "$work/pair.out" | head -1 >>"$work/$2.pair"
}

# run_cli BUILD TAG: appends "process_s rss_mb" of one CLI pair to $work/TAG.cli
run_cli() {
    rm -f "$work/out.png"
    /usr/bin/time -f "%e %M" -o "$work/time" "$1/skychange" --scene "$scene" --sky "$sky" \
        --model "$small" --threads "$threads" -o "$work/out.png"
    read -r wall rss_kb <"$work/time"
    echo "$wall $((rss_kb / 1024))" >>"$work/$2.cli"
}

for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then order="old new"; else order="new old"; fi
    for tag in $order; do
        build=$old
        [ "$tag" = new ] && build=$new
        run_matte "$build" "$tag" "$round"
        run_pair "$build" "$tag"
        run_cli "$build" "$tag"
    done
    echo "round $round of $rounds done" >&2
done

column() { awk -v c="$2" '{print $c}' "$1"; }
report() { # NAME UNIT old_file new_file column
    local o n
    o=$(column "$3" "$5" | median)
    n=$(column "$4" "$5" | median)
    awk -v name="$1" -v unit="$2" -v o="$o" -v n="$n" \
        'BEGIN {printf "%-34s old %9.2f %s   new %9.2f %s   old/new %5.2fx\n", name, o, unit, n, unit, (n > 0 ? o / n : 0)}'
}
echo "threads $threads, $rounds alternated rounds, medians"
report "matte: whole process" s "$work/old.matte" "$work/new.matte" 1
report "matte: mask inference" s "$work/old.matte" "$work/new.matte" 2
report "matte: peak RSS" MB "$work/old.matte" "$work/new.matte" 3
report "pair 2560x1600, small model: total" s "$work/old.pair" "$work/new.pair" 1
report "CLI pair, small model: process" s "$work/old.cli" "$work/new.cli" 1
report "CLI pair, small model: peak RSS" MB "$work/old.cli" "$work/new.cli" 2
if [ ! -f "$work/old.alpha" ] || [ ! -f "$work/new.alpha" ]; then
    echo "matte: alphas not compared (a build's bench_nets cannot save them)"
    exit 0
fi
python3 - "$work/old.alpha" "$work/new.alpha" <<'EOF'
import array, sys
a, b = array.array('f'), array.array('f')
a.frombytes(open(sys.argv[1], 'rb').read())
b.frombytes(open(sys.argv[2], 'rb').read())
worst = max(abs(x - y) for x, y in zip(a, b)) if len(a) == len(b) else float('inf')
print(f"matte: largest difference between the builds' alphas {worst:.3g} ({len(a)} values)")
EOF
