#!/usr/bin/env bash
# The index/check benchmark from one command: build the corpus (or reuse
# it), build an index of all but the last 10,000 articles, then time
#   1. `neardiff index build` of N-10,000 articles,
#   2. `neardiff index add` of 100,000 articles into that index,
#   3. `neardiff check` of one article per process (21 different articles,
#      median of the wall times),
#   4. `neardiff check` of the 10,000 held-out articles in one process.
# Settings: SIZE [1000000], SEED [42], CORPUS (an existing JSONL corpus;
# else benches/corpus/build.py writes one), NEARDIFF (binary; else cargo
# build --release), WORK [benches/data/index].
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZE="${SIZE:-1000000}"
SEED="${SEED:-42}"
WORK="${WORK:-$ROOT/benches/data/index}"
CORPUS="${CORPUS:-$ROOT/benches/data/corpus/news-${SIZE}-s${SEED}.jsonl}"
mkdir -p "$WORK"
if [ ! -s "$CORPUS" ]; then
    python3 "$ROOT/benches/corpus/fetch.py" --data "$ROOT/benches/data"
    python3 "$ROOT/benches/corpus/build.py" --size "$SIZE" --seed "$SEED" --out "$CORPUS"
fi
if [ -z "${NEARDIFF:-}" ]; then
    (cd "$ROOT" && cargo build --release)
    NEARDIFF="${CARGO_TARGET_DIR:-$ROOT/target}/release/neardiff"
fi
N=$(wc -l < "$CORPUS")
head -n $((N - 10000)) "$CORPUS" > "$WORK/base.jsonl"
tail -n 10000 "$CORPUS" > "$WORK/new.jsonl"
tail -n 100000 "$WORK/base.jsonl" > "$WORK/add.jsonl"
head -n $((N - 110000)) "$WORK/base.jsonl" > "$WORK/base-minus-add.jsonl"
rm -f "$WORK"/news.ndx* "$WORK"/part.ndx*
cat "$WORK/base.jsonl" > /dev/null  # warm the page cache
echo "== index build ($((N - 10000)) articles)"
/usr/bin/time -v "$NEARDIFF" index build "$WORK/base.jsonl" --index "$WORK/news.ndx" 2> "$WORK/build.time"
grep -E "neardiff index|Elapsed|Maximum resident" "$WORK/build.time"
"$NEARDIFF" index stats --index "$WORK/news.ndx"
echo "== index add (100000 articles into $((N - 110000)))"
"$NEARDIFF" index build "$WORK/base-minus-add.jsonl" --index "$WORK/part.ndx" -q
/usr/bin/time -v "$NEARDIFF" index add "$WORK/add.jsonl" --index "$WORK/part.ndx" 2> "$WORK/add.time"
grep -E "neardiff index|Elapsed|Maximum resident" "$WORK/add.time"
rm -f "$WORK"/part.ndx*
echo "== check: one article per process (21 articles)"
python3 - "$NEARDIFF" "$WORK" <<'PY'
import subprocess, sys, time
neardiff, work = sys.argv[1], sys.argv[2]
lines = open(f"{work}/new.jsonl").read().splitlines()
times = []
for i in range(21):
    p = f"{work}/one.jsonl"
    open(p, "w").write(lines[i * 450] + "\n")
    t = time.perf_counter()
    subprocess.run([neardiff, "check", p, "--index", f"{work}/news.ndx", "-q"], stdout=subprocess.DEVNULL)
    times.append((time.perf_counter() - t) * 1000)
times.sort()
print(f"single-article check: median {times[10]:.2f} ms (min {times[0]:.2f}, max {times[-1]:.2f})")
PY
echo "== check: 10000 articles in one process"
/usr/bin/time -v "$NEARDIFF" check "$WORK/new.jsonl" --index "$WORK/news.ndx" --format jsonl > "$WORK/check.jsonl" 2> "$WORK/check.time"
grep -E "neardiff check|Elapsed|Maximum resident" "$WORK/check.time"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
