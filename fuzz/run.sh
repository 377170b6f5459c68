#!/usr/bin/env bash
# Runs neardiff's fuzz targets one after another, one libFuzzer process
# (one job) each, for FUZZ_SECONDS seconds each, and prints a summary:
# executions, executions per second, the slowest execution and any crash.
#
#   fuzz/run.sh                  # every target, FUZZ_SECONDS (default 60) each
#   FUZZ_SECONDS=600 fuzz/run.sh compare quotes
#
# Environment:
#   FUZZ_SECONDS    seconds per target (default 60)
#   FUZZ_SANITIZER  cargo fuzz sanitizer: none (default) or address
#   FUZZ_ARGS       more libFuzzer flags, e.g. "-seed=1"
#
# Corpora grow in fuzz/corpus/<target> (gitignored), seeded from
# fuzz/seeds/<target> and from samples/; crash and slow inputs are saved
# in fuzz/artifacts/<target>/; each run's libFuzzer log is
# fuzz/runs/<target>.log. Exit status 1 when any target crashed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$here"

seconds=${FUZZ_SECONDS:-60}
sanitizer=${FUZZ_SANITIZER:-none}
all=(article json_article jsonl segment_file quotes sentences compare)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi

cargo +nightly fuzz build -s "$sanitizer" >&2
bin="$here/target/x86_64-unknown-linux-gnu/release"

# The longest input libFuzzer makes, and the dictionary, per target.
max_len() {
    case $1 in
        compare) echo 4096 ;;
        jsonl | segment_file) echo 4096 ;;
        *) echo 8192 ;;
    esac
}
dict() {
    case $1 in
        json_article | jsonl) echo "$here/dicts/json.dict" ;;
        segment_file) echo "" ;;
        *) echo "$here/dicts/text.dict" ;;
    esac
}

# Seeds from samples/, written once into an empty corpus: the sample
# articles for the text readers, pairs of them (each cut to 2,000 bytes,
# after an options byte, split by 0xFF) for quotes and compare.
seed() {
    local t=$1 dir=$2 f a b n=0
    [ -n "$(ls -A "$dir")" ] && return 0
    case $t in
        article | sentences)
            for f in "$root"/samples/*.txt "$root"/samples/story-harbour-fire/*.txt; do
                cp "$f" "$dir/sample-$n"
                n=$((n + 1))
            done
            ;;
        quotes | compare)
            for a in "$root"/samples/*-a.txt; do
                b=${a%-a.txt}-b.txt
                { printf '\003'; head -c 2000 "$a"; printf '\377'; head -c 2000 "$b"; } >"$dir/pair-$n"
                n=$((n + 1))
            done
            ;;
    esac
}

# Scratch files of the targets that read paths: in memory where /dev/shm is.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then scratch=$(mktemp -d -p /dev/shm); else scratch=$(mktemp -d); fi
trap 'rm -rf "$scratch"' EXIT
failed=0
rows=()
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t" runs
    seed "$t" "corpus/$t"
    seeds=()
    [ -d "seeds/$t" ] && seeds=("seeds/$t")
    d=$(dict "$t")
    log="runs/$t.log"
    echo "fuzzing $t for ${seconds}s (log: fuzz/$log)" >&2
    set +e
    TMPDIR="$scratch" "$bin/$t" "corpus/$t" "${seeds[@]}" \
        -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
        -max_len="$(max_len "$t")" ${d:+-dict="$d"} -print_final_stats=1 \
        -artifact_prefix="artifacts/$t/" ${FUZZ_ARGS:-} >"$log" 2>&1
    rc=$?
    set -e
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    execs=${execs:-0}
    slowest=$(sed -n 's/^neardiff-fuzz: slowest \([0-9]*\) us.*/\1/p' "$log" | tail -1)
    slowest_ms=$(awk -v us="${slowest:-0}" 'BEGIN { printf "%.1f", us / 1000 }')
    rate=$(awk -v n="$execs" -v s="$seconds" 'BEGIN { printf "%d", n / s }')
    if [ $rc -eq 0 ]; then
        result=ok
    else
        failed=1
        artifact=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tail -1)
        why=$(grep -m1 -oE "neardiff-fuzz: slow input|panicked at [^ ]*|ERROR: libFuzzer: [a-z-]*" "$log" || true)
        result="FAILED ($rc) ${why:-see log} ${artifact:+-> fuzz/$artifact}"
    fi
    rows+=("$(printf '%-13s %12s %10s %12s  %s' "$t" "$execs" "$rate" "$slowest_ms" "$result")")
done

printf '\n%-13s %12s %10s %12s  %s\n' target executions "execs/s" "slowest ms" result
for r in "${rows[@]}"; do echo "$r"; done
exit $failed
