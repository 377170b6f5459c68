#!/usr/bin/env python3
"""The Python package against the command-line tool, datasketch and rensa,
all in one run on one machine (ratios are what to read: the machine may be
busy).

Parts (``--parts``, default all):

* ``dedup``: ``neardiff.dedup`` given a list of dicts and given a pyarrow
  Table, against ``neardiff dedup`` on the same corpus file (and its output
  checked byte for byte), and against datasketch's and rensa's pipelines
  written as their users write them (shingles made in Python with the same
  rules, ``benches/neartext.py``; MinHash per article, an LSH index, a
  query per article, the MinHash estimate checked against the threshold,
  union-find), all starting from the same list of dicts in memory;
* ``minhash``: ``MinHash``/``MinHashLSH`` used one document at a time, as
  datasketch users do (a MinHash per article updated shingle by shingle,
  or with ``update_batch``; insert; query), against datasketch (and rensa,
  whose MinHash takes a list per call);
* ``compare``: ``neardiff.compare`` per pair of 1,000-word articles, report
  (a dict) included.

The corpus is the benchmark corpus of ``benches/run-dedup-bench.sh``
(``benches/corpus/fetch.py`` and ``build.py``; never committed)::

    python benches/corpus/fetch.py --data benches/data
    python benches/corpus/build.py --size 50000 --seed 42 \
        --out benches/data/corpus/news-50000-s42.jsonl
    python benches/python/bench.py --corpus benches/data/corpus/news-50000-s42.jsonl \
        --neardiff target/release/neardiff

Needs the package installed (``pip install ./python``) and
``pip install pyarrow datasketch rensa``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # benches/: neartext

import neartext  # noqa: E402

import neardiff  # noqa: E402


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def timed(fn, repeat: int):
    """(median wall seconds, all wall seconds, last result)."""
    walls, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        walls.append(time.perf_counter() - t)
    return statistics.median(walls), walls, out


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        p = self.parent.setdefault(x, x)
        while p != self.parent[p]:
            self.parent[p] = self.parent[self.parent[p]]
            p = self.parent[p]
        self.parent[x] = p
        return p

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def clusters_of(uf: UnionFind, n: int) -> int:
    groups = defaultdict(int)
    for i in range(n):
        groups[uf.find(i)] += 1
    return sum(1 for s in groups.values() if s > 1)


def divisor_plan(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands x rows == num_perm minimising the equal-weighted error masses
    (rensa needs bands * rows == num_perm)."""

    def integrate(f, a, b, steps=400):
        h = (b - a) / steps
        return h * (0.5 * f(a) + sum(f(a + i * h) for i in range(1, steps)) + 0.5 * f(b))

    best, err = (1, num_perm), float("inf")
    for b in range(1, num_perm + 1):
        if num_perm % b:
            continue
        r = num_perm // b
        fp = integrate(lambda s: 1 - (1 - s**r) ** b, 0.0, threshold)
        fn = integrate(lambda s: (1 - s**r) ** b, threshold, 1.0)
        if fp + fn < err:
            best, err = (b, r), fp + fn
    return best


# --------------------------------------------------------------------------
# dedup


def datasketch_pipeline(records, threshold, k, num_perm):
    from datasketch import MinHash, MinHashLSH

    sigs = []
    for r in records:
        m = MinHash(num_perm=num_perm)
        m.update_batch([s.encode("utf-8") for s in neartext.shingle_set(r["text"], k)])
        sigs.append(m)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    with lsh.insertion_session() as session:
        for i, m in enumerate(sigs):
            session.insert(i, m, check_duplication=False)
    uf = UnionFind()
    for i, m in enumerate(sigs):
        for j in lsh.query(m):
            if j > i and m.jaccard(sigs[j]) >= threshold:
                uf.union(i, j)
    return clusters_of(uf, len(records))


def rensa_pipeline(records, threshold, k, num_perm):
    from rensa import RMinHash, RMinHashLSH

    bands, _ = divisor_plan(threshold, num_perm)
    sigs = []
    for r in records:
        m = RMinHash(num_perm=num_perm, seed=1)
        m.update(list(neartext.shingle_set(r["text"], k)))
        sigs.append(m)
    lsh = RMinHashLSH(threshold=threshold, num_perm=num_perm, num_bands=bands)
    for i, m in enumerate(sigs):
        lsh.insert(i, m)
    uf = UnionFind()
    for i, m in enumerate(sigs):
        for j in lsh.query(m):
            if j > i and m.jaccard(sigs[j]) >= threshold:
                uf.union(i, j)
    return clusters_of(uf, len(records))


def part_dedup(args, res):
    import pyarrow as pa

    corpus = Path(args.corpus)
    with open(corpus, encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    if args.dedup_size and args.dedup_size < len(records):
        records = records[: args.dedup_size]
        corpus = Path(tempfile.mkdtemp()) / "corpus.jsonl"
        with open(corpus, "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    table = pa.Table.from_pylist(records)
    n = len(records)
    log(f"dedup: {n} articles")
    out = Path(tempfile.mkdtemp()) / "cli.jsonl"
    cmd = [args.neardiff, "dedup", "-q", "--threshold", str(args.threshold), str(corpus), "-o", str(out)]
    t = {}
    # Taken in turn, so that a slower stretch of the machine hits each alike.
    walls = defaultdict(list)
    for _ in range(args.repeat):
        s = time.perf_counter()
        subprocess.run(cmd, check=True)
        walls["cli"].append(time.perf_counter() - s)
        for name, data in [("dicts", records), ("arrow", table), ("path", corpus)]:
            s = time.perf_counter()
            r = neardiff.dedup(data, threshold=args.threshold)
            walls[name].append(time.perf_counter() - s)
            assert r.to_jsonl() == out.read_text(encoding="utf-8"), f"{name}: not the CLI's output"
    for k, v in walls.items():
        t[k] = statistics.median(v)
    clusters = len(out.read_text().splitlines())
    res["dedup"] = {"articles": n, "clusters": clusters, "walls": dict(walls), "median": t}
    for tool, fn in [("rensa", rensa_pipeline), ("datasketch", datasketch_pipeline)]:
        if tool in args.skip:
            continue
        log(f"dedup: {tool} pipeline")
        s = time.perf_counter()
        c = fn(records, args.threshold, 4, 128)
        res["dedup"]["median"][tool] = time.perf_counter() - s
        res["dedup"][f"{tool}_clusters"] = c


# --------------------------------------------------------------------------
# MinHash one document at a time


def part_minhash(args, res):
    with open(args.corpus, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for _, line in zip(range(args.minhash_docs), f)]
    sets = [sorted(neartext.shingle_set(t, 4)) for t in texts]
    enc = [[s.encode("utf-8") for s in x] for x in sets]
    shingles = sum(len(x) for x in sets)
    log(f"minhash: {len(texts)} documents, {shingles} shingles")
    out = {"documents": len(texts), "shingles": shingles}

    def run(MinHash, MinHashLSH, per_element):
        t0 = time.perf_counter()
        sigs = []
        for e in enc:
            m = MinHash(num_perm=128)
            if per_element:
                for x in e:
                    m.update(x)
            else:
                m.update_batch(e)
            sigs.append(m)
        t1 = time.perf_counter()
        lsh = MinHashLSH(threshold=0.5, num_perm=128)
        for i, m in enumerate(sigs):
            lsh.insert(i, m)
        t2 = time.perf_counter()
        found = sum(len(lsh.query(m)) for m in sigs)
        t3 = time.perf_counter()
        return {"sketch": t1 - t0, "insert": t2 - t1, "query": t3 - t2, "total": t3 - t0, "found": found}

    import datasketch

    for label, per in [("update", True), ("update_batch", False)]:
        for _ in range(args.repeat):
            for tool, (mh, lsh) in [
                ("neardiff", (neardiff.MinHash, neardiff.MinHashLSH)),
                ("datasketch", (datasketch.MinHash, datasketch.MinHashLSH)),
            ]:
                r = run(mh, lsh, per)
                out.setdefault(f"{tool}/{label}", []).append(r)
    if "rensa" not in args.skip:
        from rensa import RMinHash, RMinHashLSH

        bands, _ = divisor_plan(0.5, 128)
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            sigs = []
            for x in sets:
                m = RMinHash(num_perm=128, seed=1)
                m.update(x)
                sigs.append(m)
            t1 = time.perf_counter()
            lsh = RMinHashLSH(threshold=0.5, num_perm=128, num_bands=bands)
            for i, m in enumerate(sigs):
                lsh.insert(i, m)
            t2 = time.perf_counter()
            found = sum(len(lsh.query(m)) for m in sigs)
            t3 = time.perf_counter()
            out.setdefault("rensa/update(list)", []).append(
                {"sketch": t1 - t0, "insert": t2 - t1, "query": t3 - t2, "total": t3 - t0, "found": found}
            )
    res["minhash"] = out


# --------------------------------------------------------------------------
# compare


def thousand_word_pairs(corpus, n, seed=1):
    """Pairs of 1,000-word articles: A is consecutive corpus articles joined
    and cut to 1,000 words (at a sentence end where possible); B is A with
    every tenth sentence dropped, a word changed in every fourth, two
    sentences swapped and a sentence of another article added."""
    rng = random.Random(seed)
    with open(corpus, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for _, line in zip(range(20 * n + 200), f)]
    pairs, i = [], 0
    while len(pairs) < n:
        words = []
        while len(words) < 1000:
            words += texts[i % len(texts)].split()
            i += 1
        a = " ".join(words[:1000])
        sents = [s for s in a.split(". ") if s]
        b = []
        for j, s in enumerate(sents):
            if j % 10 == 9:
                continue
            w = s.split()
            if j % 4 == 1 and len(w) > 3:
                w[rng.randrange(len(w))] = rng.choice(["seven", "Monday", "officials", "2019"])
            b.append(" ".join(w))
        if len(b) > 6:
            b[2], b[5] = b[5], b[2]
        b.insert(len(b) // 2, texts[(i + 7) % len(texts)].split(". ")[0])
        pairs.append((a, ". ".join(b)))
    return pairs


def part_compare(args, res):
    pairs = thousand_word_pairs(args.corpus, args.compare_pairs)
    words = statistics.mean(len(a.split()) + len(b.split()) for a, b in pairs) / 2
    for a, b in pairs[:5]:
        neardiff.compare(a, b)
    full, native = [], []
    for _ in range(args.repeat):
        for a, b in pairs:
            s = time.perf_counter()
            neardiff.compare(a, b)
            full.append(time.perf_counter() - s)
            s = time.perf_counter()
            neardiff._native.compare(a, b, 4, 128, 0, 4, 3)
            native.append(time.perf_counter() - s)
    res["compare"] = {
        "pairs": len(pairs),
        "mean_words": words,
        "median_ms": statistics.median(full) * 1e3,
        "mean_ms": statistics.mean(full) * 1e3,
        "median_ms_without_report": statistics.median(native) * 1e3,
    }


# --------------------------------------------------------------------------


def report(res) -> str:
    lines = [f"load average at start: {res['load']}", ""]
    if "dedup" in res:
        d = res["dedup"]
        m = d["median"]
        lines += [
            f"dedup, {d['articles']} articles, {d['clusters']} clusters (median of {len(d['walls']['cli'])} runs taken in turn; output byte-identical to the CLI's):",
            "",
            "| run | wall (s) | vs CLI | CLI's speed-up over it |",
            "|---|---|---|---|",
        ]
        for k in ["cli", "path", "dicts", "arrow", "rensa", "datasketch"]:
            if k in m:
                lines.append(f"| {k} | {m[k]:.2f} | {m[k] / m['cli']:.2f}x | |")
        for base in ["rensa", "datasketch"]:
            if base in m:
                for k in ["dicts", "arrow"]:
                    lines.append(f"| {base} / neardiff.dedup({k}) | | | {m[base] / m[k]:.1f}x |")
        lines.append("")
    if "minhash" in res:
        mh = res["minhash"]
        lines += [
            f"MinHash/MinHashLSH one document at a time, {mh['documents']} documents, {mh['shingles']} shingles (median total of the runs):",
            "",
            "| run | sketch (s) | insert (s) | query (s) | total (s) |",
            "|---|---|---|---|---|",
        ]
        med = {}
        for k, runs in mh.items():
            if not isinstance(runs, list):
                continue
            r = sorted(runs, key=lambda x: x["total"])[len(runs) // 2]
            med[k] = r["total"]
            lines.append(f"| {k} | {r['sketch']:.3f} | {r['insert']:.3f} | {r['query']:.3f} | {r['total']:.3f} |")
        for label in ["update", "update_batch"]:
            lines.append(f"\ndatasketch / neardiff ({label}): {med[f'datasketch/{label}'] / med[f'neardiff/{label}']:.1f}x")
        if "rensa/update(list)" in med:
            lines.append(f"rensa (update(list)) / neardiff (update_batch): {med['rensa/update(list)'] / med['neardiff/update_batch']:.2f}x")
        lines.append("")
    if "compare" in res:
        c = res["compare"]
        lines.append(
            f"compare: {c['pairs']} pairs of {c['mean_words']:.0f}-word articles: median {c['median_ms']:.3f} ms per pair "
            f"with the report as a dict (mean {c['mean_ms']:.3f} ms; {c['median_ms_without_report']:.3f} ms without the report)"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="benches/data/corpus/news-50000-s42.jsonl")
    ap.add_argument("--neardiff", default="target/release/neardiff")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dedup-size", type=int, default=0, help="first N articles only (0: all)")
    ap.add_argument("--minhash-docs", type=int, default=2000)
    ap.add_argument("--compare-pairs", type=int, default=50)
    ap.add_argument("--parts", default="dedup,minhash,compare")
    ap.add_argument("--skip", default="", help="datasketch,rensa: leave out of the dedup part")
    ap.add_argument("--json-out")
    args = ap.parse_args()
    args.skip = set(filter(None, args.skip.split(",")))
    res = {"load": os.getloadavg(), "cores": os.cpu_count(), "versions": {}}
    for p in ["neardiff", "datasketch", "rensa", "numpy", "pyarrow"]:
        try:
            from importlib.metadata import version

            res["versions"][p] = version(p)
        except Exception:
            pass
    parts = args.parts.split(",")
    if "compare" in parts:
        part_compare(args, res)
    if "minhash" in parts:
        part_minhash(args, res)
    if "dedup" in parts:
        part_dedup(args, res)
    text = report(res)
    print(text)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
