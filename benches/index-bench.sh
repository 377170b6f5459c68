#!/usr/bin/env bash
# The index/check benchmark from one command: build the corpus (or reuse
# it), build an index of all but the last 10,000 articles, then time
#   1. `neardiff index build` of N-10,000 articles,
#   2. `neardiff index add` of 100,000 articles into an index of the
#      N-110,000 before them,
#   3. `neardiff index add` of all N articles into an empty index (SKIP_ADD_ALL=1
#      skips it: it is the longest step),
#   4. `neardiff check` of one article per process (21 different articles,
#      median of the wall times and of the CPU times),
#   5. `neardiff check` of the 10,000 held-out articles in one process.
# The checks run with the index file in the operating system's page cache
# (it is read once before them), as in a pipeline that checks every
# ingest; the single-article loop runs ROUNDS times.
# Every step prints the load average, for the machine may be shared.
# Settings: SIZE [1000000], SEED [42], CORPUS (an existing JSONL corpus;
# else benches/corpus/build.py writes one), NEARDIFF (binary; else cargo
# build --release), WORK [benches/data/index], ROUNDS [5], ONLY_CHECK=1
# (steps 4 and 5 only, on the index and articles an earlier run left in
# WORK), COMPARE_WITH (a second binary: the single-article checks run
# both in turn, article by article, and print the wall-time ratio).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZE="${SIZE:-1000000}"
SEED="${SEED:-42}"
WORK="${WORK:-$ROOT/benches/data/index}"
CORPUS="${CORPUS:-$ROOT/benches/data/corpus/news-${SIZE}-s${SEED}.jsonl}"
mkdir -p "$WORK"
if [ -z "${ONLY_CHECK:-}" ] && [ ! -s "$CORPUS" ]; then
    python3 "$ROOT/benches/corpus/fetch.py" --data "$ROOT/benches/data"
    python3 "$ROOT/benches/corpus/build.py" --size "$SIZE" --seed "$SEED" --out "$CORPUS"
fi
if [ -z "${NEARDIFF:-}" ]; then
    (cd "$ROOT" && cargo build --release)
    NEARDIFF="${CARGO_TARGET_DIR:-$ROOT/target}/release/neardiff"
fi
load() { echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }
if [ -z "${ONLY_CHECK:-}" ]; then
N=$(wc -l < "$CORPUS")
head -n $((N - 10000)) "$CORPUS" > "$WORK/base.jsonl"
tail -n 10000 "$CORPUS" > "$WORK/new.jsonl"
tail -n 100000 "$WORK/base.jsonl" > "$WORK/add.jsonl"
head -n $((N - 110000)) "$WORK/base.jsonl" > "$WORK/base-minus-add.jsonl"
rm -f "$WORK"/news.ndx* "$WORK"/part.ndx* "$WORK"/all.ndx*
cat "$WORK/base.jsonl" > /dev/null  # warm the page cache
echo "== index build ($((N - 10000)) articles)"
/usr/bin/time -v "$NEARDIFF" index build "$WORK/base.jsonl" --index "$WORK/news.ndx" 2> "$WORK/build.time"
grep -E "neardiff index|User time|System time|Elapsed|Maximum resident" "$WORK/build.time"
load
"$NEARDIFF" index stats --index "$WORK/news.ndx"
echo "== index add (100000 articles into $((N - 110000)))"
"$NEARDIFF" index build "$WORK/base-minus-add.jsonl" --index "$WORK/part.ndx" -q
/usr/bin/time -v "$NEARDIFF" index add "$WORK/add.jsonl" --index "$WORK/part.ndx" 2> "$WORK/add.time"
grep -E "neardiff index|User time|System time|Elapsed|Maximum resident" "$WORK/add.time"
load
rm -f "$WORK"/part.ndx*
if [ -z "${SKIP_ADD_ALL:-}" ]; then
    echo "== index add ($N articles into an empty index)"
    : > "$WORK/empty.jsonl"
    "$NEARDIFF" index build "$WORK/empty.jsonl" --index "$WORK/all.ndx" -q
    /usr/bin/time -v "$NEARDIFF" index add "$CORPUS" --index "$WORK/all.ndx" 2> "$WORK/add-all.time"
    grep -E "neardiff index|User time|System time|Elapsed|Maximum resident" "$WORK/add-all.time"
    load
    "$NEARDIFF" index stats --index "$WORK/all.ndx" | grep -E "articles|entries|segment|size|per article"
    rm -f "$WORK"/all.ndx*
fi
fi
echo "== warm the page cache with the index files"
cat "$WORK"/news.ndx* > /dev/null
echo "== check: one article per process (21 articles, ${ROUNDS:-5} rounds)"
python3 - "$NEARDIFF" "$WORK" "${ROUNDS:-5}" "${COMPARE_WITH:-}" <<'PY'
import resource, statistics, subprocess, sys, time
neardiff, work, rounds, other = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
lines = open(f"{work}/new.jsonl").read().splitlines()
# With COMPARE_WITH, every article is checked by both binaries in turn
# (this one first, then the other), so that both see the same machine.
binaries = [neardiff] + ([other] if other else [])
all_wall = {b: [] for b in binaries}
all_cpu = {b: [] for b in binaries}
def run(binary, p):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([binary, "check", p, "--index", f"{work}/news.ndx", "-q"], stdout=subprocess.DEVNULL)
    wall = (time.perf_counter() - t) * 1000
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime) * 1000
for r in range(rounds):
    wall = {b: [] for b in binaries}
    cpu = {b: [] for b in binaries}
    for i in range(21):
        p = f"{work}/one.jsonl"
        open(p, "w").write(lines[i * 450] + "\n")
        for b in binaries:
            w, c = run(b, p)
            wall[b].append(w)
            cpu[b].append(c)
    for b in binaries:
        name = "" if not other else f" [{b}]"
        print(f"round {r + 1}{name}: wall median {statistics.median(wall[b]):.2f} ms "
              f"(min {min(wall[b]):.2f}, max {max(wall[b]):.2f}); CPU median {statistics.median(cpu[b]):.2f} ms")
        all_wall[b] += wall[b]
        all_cpu[b] += cpu[b]
for b in binaries:
    name = "" if not other else f" [{b}]"
    w, c = all_wall[b], all_cpu[b]
    print(f"single-article check{name}, {len(w)} runs: wall median {statistics.median(w):.2f} ms "
          f"(min {min(w):.2f}, max {max(w):.2f}); CPU median {statistics.median(c):.2f} ms")
if other:
    ratios = [a / b for a, b in zip(all_wall[neardiff], all_wall[other])]
    print(f"wall time ratio {neardiff} / {other}, pair by pair: median {statistics.median(ratios):.3f} "
          f"(min {min(ratios):.3f}, max {max(ratios):.3f})")
PY
load
echo "== check: 10000 articles in one process"
/usr/bin/time -v "$NEARDIFF" check "$WORK/new.jsonl" --index "$WORK/news.ndx" --format jsonl > "$WORK/check.jsonl" 2> "$WORK/check.time"
grep -E "neardiff check|User time|System time|Elapsed|Maximum resident" "$WORK/check.time"
load
