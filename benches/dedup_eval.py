#!/usr/bin/env python3
"""Speed and accuracy of `neardiff dedup`, with datasketch and rensa as
baselines.

Three parts, all in one run (each can be skipped):

1. speed: `neardiff dedup` on the whole corpus (JSONL in, clusters out):
   wall time, articles/s, MB/s, peak resident memory (from
   `/usr/bin/time -v`), and the stage times neardiff prints on stderr;
   plus agreement of its clusters with the corpus builder's ground truth;
2. accuracy: on a sample of the corpus, all pairs with exact Jaccard at or
   above the lowest threshold are found by an exact similarity join in
   Python (prefix filtering, which is lossless, then exact Jaccard over
   shingle sets); per threshold, `neardiff dedup --pairs` is run on the same
   sample and scored: recall for pairs with Jaccard >= threshold + 0.05 and
   precision of the pairs it reports;
3. baselines: the first --baseline-size articles of the corpus go through
   neardiff, datasketch (MinHash + MinHashLSH) and rensa (RMinHash +
   RMinHashLSH) with the same shingles, number of permutations, threshold
   and LSH bands; each baseline runs end to end in its own process (read
   JSONL, shingle, sketch, insert, query, verify candidates with the MinHash
   estimate, union-find, write clusters) under `/usr/bin/time -v`; the
   speed ratio is baseline wall time / neardiff wall time.

Writes a Markdown report to stdout and all figures to --json-out.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import neartext  # noqa: E402


def log(msg: str) -> None:
    print(f"[eval] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Small helpers.

class UnionFind:
    def __init__(self):
        self.parent: dict = {}

    def find(self, x):
        p = self.parent
        if x not in p:
            p[x] = x
            return x
        root = x
        while p[root] != root:
            root = p[root]
        while p[x] != root:
            p[x], x = root, p[x]
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def read_jsonl(path: Path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def parse_time_v(path: Path) -> dict:
    """Peak RSS and wall time from GNU time's -v report."""
    out = {}
    try:
        text = path.read_text()
    except FileNotFoundError:
        return out
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        out["peak_rss_mb"] = int(m.group(1)) / 1024
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text)
    if m:
        secs = 0.0
        for part in m.group(1).split(":"):
            secs = secs * 60 + float(part)
        out["time_wall_s"] = secs
    m = re.search(r"User time \(seconds\): ([\d.]+)", text)
    if m:
        out["user_s"] = float(m.group(1))
    m = re.search(r"System time \(seconds\): ([\d.]+)", text)
    if m:
        out["sys_s"] = float(m.group(1))
    m = re.search(r"Exit status: (\d+)", text)
    if m:
        out["exit_status"] = int(m.group(1))
    return out


_STAGE_RE = re.compile(
    r"\b(read|parse|input|shingle|sketch|sketching|bucket|bucketing|lsh|candidates|verify|"
    r"verification|cluster|clustering|union|output|write|total)\b[^\n\d]{0,30}?"
    r"(\d+(?:\.\d+)?)\s*(ms|s|µs|us)\b", re.IGNORECASE)


def parse_stages(stderr: str) -> dict:
    """Stage times from neardiff's stderr summary: either a JSON object with
    a "stages" map, or lines such as `sketch: 1.23 s` / `verify 120 ms`."""
    for line in stderr.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            st = obj.get("stages") or obj.get("timings")
            if isinstance(st, dict):
                return {k: float(v) for k, v in st.items() if isinstance(v, (int, float))}
    stages = {}
    m = re.search(r"([\d.]+) s \([\d.]+ docs/s, [\d.]+ MB/s\)", stderr)
    if m:
        stages["total (reported)"] = float(m.group(1))
    for m in _STAGE_RE.finditer(stderr):
        name, val, unit = m.group(1).lower(), float(m.group(2)), m.group(3).lower()
        scale = {"ms": 1e-3, "s": 1.0, "µs": 1e-6, "us": 1e-6}[unit]
        stages.setdefault(name, val * scale)
    return stages


def parse_counts(stderr: str) -> dict:
    """Counters from neardiff's stderr summary, when it prints them."""
    out = {}
    for name in ("documents", "clusters", "duplicates", "candidate pairs", "verified pairs"):
        m = re.search(r"(\d+) " + name + r"\b", stderr)
        if m:
            out[name.replace(" ", "_")] = int(m.group(1))
    return out


def timed_run(cmd: list[str], work: Path, name: str, stdout_path: Path | None = None,
              warm_path: Path | None = None) -> dict:
    """Runs cmd under /usr/bin/time -v; returns wall time, peak RSS, stderr.
    With warm_path, that file is read just before the clock starts: the page
    cache of this machine is evicted within seconds, and every run of every
    tool should start with its input in memory alike."""
    if warm_path is not None:
        warm(warm_path)
    tv = work / f"{name}.time-v.txt"
    err = work / f"{name}.stderr.txt"
    full = ["/usr/bin/time", "-v", "-o", str(tv)] + cmd
    log("running: " + " ".join(cmd))
    out_f = open(stdout_path, "w") if stdout_path else subprocess.DEVNULL
    t0 = time.perf_counter()
    with open(err, "w") as ef:
        proc = subprocess.run(full, stdout=out_f, stderr=ef)
    wall = time.perf_counter() - t0
    if stdout_path:
        out_f.close()
    res = {"cmd": cmd, "wall_s": wall, "exit_code": proc.returncode,
           "stderr": err.read_text(errors="replace")[-4000:]}
    res.update(parse_time_v(tv))
    res["reported"] = parse_counts(res["stderr"])
    if proc.returncode not in (0, 1):
        log(f"{name} exited with {proc.returncode}; stderr:\n{res['stderr']}")
    return res


def warm(path: Path) -> None:
    """Reads a file once so that every tool starts with it in the page cache."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def file_stats(path: Path) -> tuple[int, int]:
    n = 0
    with open(path, "rb") as f:
        for _ in f:
            n += 1
    return n, path.stat().st_size


def cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


# --------------------------------------------------------------------------
# neardiff runs.

def neardiff_cmd(args, inputs: list[Path], threshold: float, extra: list[str]) -> list[str]:
    return [str(args.neardiff), "dedup", *map(str, inputs), "--threshold", str(threshold),
            "--shingle-size", str(args.shingle_size), "--num-perm", str(args.num_perm), *extra]


def read_clusters(path: Path) -> list[list[str]]:
    clusters = []
    for c in read_jsonl(path):
        ids = [m["id"] for m in c.get("members", [])]
        rep = c.get("representative")
        if rep is not None and rep not in ids:
            ids.insert(0, rep)
        clusters.append(ids)
    return clusters


def cluster_summary(clusters: list[list[str]]) -> dict:
    multi = [c for c in clusters if len(c) > 1]
    return {"clusters": len(multi),
            "clustered_articles": sum(len(c) for c in multi),
            "duplicates": sum(len(c) - 1 for c in multi),
            "largest": max((len(c) for c in multi), default=0)}


def truth_agreement(clusters: list[list[str]], truth_path: Path) -> dict | None:
    """How neardiff's clusters line up with the builder's seeds: the share of
    clustered articles whose seed is their cluster's most common seed
    (purity), and the share of copies that share a cluster with their seed
    story's original."""
    if not truth_path.exists():
        return None
    seed_of = {}
    copies = []
    for t in read_jsonl(truth_path):
        seed_of[t["id"]] = t["seed"]
        if t["kind"] == "copy":
            copies.append((t["id"], t["seed"], t["intensity"]))
    cluster_of = {}
    pure = total = 0
    for ci, c in enumerate(clusters):
        if len(c) < 2:
            continue
        counts = Counter(seed_of.get(x) for x in c)
        pure += counts.most_common(1)[0][1]
        total += len(c)
        for x in c:
            cluster_of[x] = ci
    by_int = defaultdict(lambda: [0, 0])
    for cid, sid, inten in copies:
        ok = cid in cluster_of and cluster_of.get(cid) == cluster_of.get(sid)
        by_int[inten][0] += ok
        by_int[inten][1] += 1
    return {"purity": pure / total if total else None,
            "copies_with_their_seed": {k: v[0] / v[1] for k, v in sorted(by_int.items()) if v[1]}}


# --------------------------------------------------------------------------
# Sample and exact all-pairs Jaccard.

def make_sample(corpus: Path, truth: Path, size: int, seed: int, cap: int, out: Path) -> dict:
    """A sample with whole near-duplicate groups: about 70% of it from groups
    of copies of randomly drawn seed stories (at most `cap` articles per
    group), the rest drawn uniformly from the other articles. Without a truth
    file, the first `size` lines."""
    if not truth.exists():
        with open(corpus, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as o:
            for i, line in enumerate(f):
                if i >= size:
                    break
                o.write(line)
        return {"mode": "prefix", "articles": min(size, i + 1)}
    rng = random.Random(f"{seed}/sample")
    groups = defaultdict(list)
    ids = []
    for t in read_jsonl(truth):
        ids.append(t["id"])
        if t["kind"] != "original":
            groups[t["seed"]].append(t["id"])
    seeds = sorted(groups)
    rng.shuffle(seeds)
    chosen = set()
    n_groups = 0
    for s in seeds:
        if len(chosen) >= 0.7 * size:
            break
        members = groups[s]
        if len(members) < 2:
            continue
        take = members if len(members) <= cap else rng.sample(members, cap)
        chosen.update(take)
        n_groups += 1
    rest = [i for i in ids if i not in chosen]
    chosen.update(rng.sample(rest, min(len(rest), max(0, size - len(chosen)))))
    n = 0
    with open(corpus, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as o:
        for line in f:
            # ids are the first field written by build.py; parse only when needed
            m = re.match(r'\{"id": "([^"]+)"', line)
            aid = m.group(1) if m else json.loads(line)["id"]
            if aid in chosen:
                o.write(line)
                n += 1
    return {"mode": "groups", "articles": n, "groups": n_groups, "cap_per_group": cap}


def all_pairs(docs: list[tuple[str, str]], k: int, tmin: float) -> tuple[dict, dict]:
    """Every pair with exact Jaccard >= tmin (prefix-filtering similarity
    join: candidates share a token in their prefixes of length
    |x| - ceil(tmin * |x|) + 1 under a global rare-first token order, which
    loses no pair at or above tmin), and the shingle sets."""
    vocab: dict[str, int] = {}
    sets = {}
    freq: Counter = Counter()
    for aid, text in docs:
        s = frozenset(vocab.setdefault(x, len(vocab)) for x in neartext.shingle_set(text, k))
        sets[aid] = s
        freq.update(s)
    order = sorted(sets, key=lambda a: (len(sets[a]), a))
    index: dict[int, list[str]] = defaultdict(list)
    pairs = {}
    for aid in order:
        s = sets[aid]
        n = len(s)
        toks = sorted(s, key=lambda t: (freq[t], t))
        plen = n - math.ceil(tmin * n - 1e-9) + 1 if n else 0
        prefix = toks[:max(plen, 1)] if n else []
        cands = set()
        for t in prefix:
            cands.update(index[t])
        for other in cands:
            o = sets[other]
            if len(o) < tmin * n - 1e-9:
                continue
            inter = len(s & o)
            j = inter / (n + len(o) - inter)
            if j >= tmin - 1e-12:
                key = (other, aid) if other < aid else (aid, other)
                pairs[key] = j
        for t in prefix:
            index[t].append(aid)
    # Empty texts: neardiff scores two empty sets as 1.0; they are rare and
    # are paired here too for consistency.
    empties = sorted(a for a, s in sets.items() if not s)
    for i in range(len(empties)):
        for j in range(i + 1, len(empties)):
            pairs[(empties[i], empties[j])] = 1.0
    return pairs, sets


def naive_pairs(sets: dict, tmin: float) -> dict:
    ids = sorted(sets)
    out = {}
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            j = neartext.jaccard(sets[a], sets[b])
            if j >= tmin - 1e-12:
                out[(a, b)] = j
    return out


def score_pairs(reported: list[dict], truth: dict, sets: dict, t: float) -> dict:
    found = {}
    nd_j = {}
    for p in reported:
        a, b = p["a"], p["b"]
        key = (a, b) if a < b else (b, a)
        found[key] = p
        nd_j[key] = p.get("jaccard")
    uf = UnionFind()
    for a, b in found:
        uf.union(a, b)
    target = [k for k, j in truth.items() if j >= t + 0.05 - 1e-12]
    at_t = [k for k, j in truth.items() if j >= t - 1e-12]
    rec_pair = sum(1 for k in target if k in found)
    rec_clu = sum(1 for k in target if uf.find(k[0]) == uf.find(k[1]))
    rec_t = sum(1 for k in at_t if k in found)
    # Precision: exact Jaccard computed here, and the score neardiff reports.
    ok_py = ok_nd = 0
    diffs = []
    missing_sets = 0
    for key, p in found.items():
        a, b = key
        if a in sets and b in sets:
            j = neartext.jaccard(sets[a], sets[b])
            ok_py += j >= t - 1e-9
            if nd_j[key] is not None:
                diffs.append(abs(j - nd_j[key]))
        else:
            missing_sets += 1
        if nd_j[key] is not None:
            ok_nd += nd_j[key] >= t - 1e-9
    n = len(found)
    diffs.sort()
    return {
        "threshold": t,
        "truth_pairs_at_t_plus_0.05": len(target),
        "truth_pairs_at_t": len(at_t),
        "reported_pairs": n,
        "recall_pairs": rec_pair / len(target) if target else None,
        "recall_co_clustered": rec_clu / len(target) if target else None,
        "recall_pairs_at_t": rec_t / len(at_t) if at_t else None,
        "precision_exact_python": ok_py / n if n else None,
        "precision_reported_jaccard": ok_nd / n if n else None,
        "jaccard_abs_diff_max": diffs[-1] if diffs else None,
        "jaccard_abs_diff_p99": diffs[int(0.99 * (len(diffs) - 1))] if diffs else None,
        "pairs_with_unknown_ids": missing_sets,
    }


# --------------------------------------------------------------------------
# Baselines (each run in a child process of this script).

def lsh_params(threshold: float, num_perm: int, fp_w=0.5, fn_w=0.5) -> tuple[int, int]:
    """Bands and rows with bands * rows == num_perm that minimise the
    weighted false-positive and false-negative probability mass (the same
    criterion as datasketch's MinHashLSH, restricted to exact divisors so
    that rensa can use the same plan)."""
    def integrate(f, a, b, steps=2000):
        if b <= a:
            return 0.0
        h = (b - a) / steps
        return h * (0.5 * f(a) + sum(f(a + i * h) for i in range(1, steps)) + 0.5 * f(b))
    best, best_err = None, float("inf")
    for b in range(1, num_perm + 1):
        if num_perm % b:
            continue
        r = num_perm // b
        fp = integrate(lambda s: 1 - (1 - s ** r) ** b, 0.0, threshold)
        fn = integrate(lambda s: 1 - (1 - (1 - s ** r) ** b), threshold, 1.0)
        err = fp_w * fp + fn_w * fn
        if err < best_err:
            best, best_err = (b, r), err
    return best


def neardiff_plan(args, threshold: float, sample_file: Path, work: Path):
    """The LSH bands and rows neardiff picks for this threshold (from
    `--explain`), or None when it does not print them."""
    tiny = work / "plan-probe.jsonl"
    with open(sample_file, encoding="utf-8") as f:
        tiny.write_text(f.readline())
    cmd = neardiff_cmd(args, [tiny], threshold, ["--explain", "--output", str(work / "plan-probe.out")])
    p = subprocess.run(cmd, capture_output=True, text=True)
    m = re.search(r"(\d+) bands? x (\d+) rows?", p.stderr)
    if not m:
        return None, p.stderr
    return (int(m.group(1)), int(m.group(2))), p.stderr


def baseline_main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("tool", choices=["datasketch", "rensa"])
    ap.add_argument("input", type=Path)
    ap.add_argument("--threshold", type=float, required=True)
    ap.add_argument("--shingle-size", type=int, required=True)
    ap.add_argument("--num-perm", type=int, required=True)
    ap.add_argument("--bands", type=int, required=True)
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--output", type=Path, required=True)
    a = ap.parse_args(argv)
    t_all = time.perf_counter()
    rows = a.rows
    stages = {}

    t0 = time.perf_counter()
    ids, shingles = [], []
    with open(a.input, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            ids.append(d["id"])
            shingles.append(neartext.shingle_set(d["text"], a.shingle_size))
    stages["read_shingle"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    if a.tool == "datasketch":
        from datasketch import MinHash, MinHashLSH
        sigs = []
        for s in shingles:
            m = MinHash(num_perm=a.num_perm, seed=1)
            m.update_batch([x.encode("utf-8") for x in s])
            sigs.append(m)
        stages["sketch"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        # datasketch bands the first bands * rows positions of the signature,
        # as neardiff does when bands * rows < num_perm.
        lsh = MinHashLSH(threshold=a.threshold, num_perm=a.num_perm, params=(a.bands, rows))
        with lsh.insertion_session() as sess:
            for i, m in enumerate(sigs):
                sess.insert(i, m, check_duplication=False)
    else:
        from rensa import RMinHash, RMinHashLSH
        # rensa needs bands * rows == num_perm: when neardiff's plan leaves
        # signature positions out of the bands, rensa's signature is made
        # that much shorter (same bands and rows, slightly less work).
        perm = a.num_perm if a.num_perm == a.bands * rows else a.bands * rows
        sigs = []
        for s in shingles:
            m = RMinHash(num_perm=perm, seed=1)
            m.update(list(s))
            sigs.append(m)
        stages["sketch"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        lsh = RMinHashLSH(threshold=a.threshold, num_perm=perm, num_bands=a.bands)
        for i, m in enumerate(sigs):
            lsh.insert(i, m)
    del shingles
    stages["index"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    uf = UnionFind()
    candidates = verified = 0
    for i, m in enumerate(sigs):
        for j in lsh.query(m):
            if j <= i:
                continue
            candidates += 1
            if m.jaccard(sigs[j]) >= a.threshold:
                verified += 1
                uf.union(i, j)
    stages["query_verify_cluster"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    groups = defaultdict(list)
    for i in range(len(ids)):
        groups[uf.find(i)].append(i)
    n_clusters = 0
    with open(a.output, "w", encoding="utf-8") as o:
        for members in groups.values():
            if len(members) < 2:
                continue
            n_clusters += 1
            members.sort()
            o.write(json.dumps({"representative": ids[members[0]], "size": len(members),
                                "members": [{"id": ids[x]} for x in members]}) + "\n")
    stages["write"] = time.perf_counter() - t0
    print(json.dumps({"tool": a.tool, "articles": len(ids), "bands": a.bands, "rows": rows,
                      "candidates": candidates, "verified_pairs": verified,
                      "clusters": n_clusters, "stages": stages,
                      "internal_total_s": time.perf_counter() - t_all}))


WARMUP = 1


def repeated(fn, n: int, before=None) -> dict:
    """Runs fn() WARMUP times untimed (the memory a run touches first costs
    more on a machine that has just run something else: each tool gets the
    same start), then n times; keeps the run with the median wall time and
    lists all wall times. `before()`, when given, runs before each timed
    run."""
    for _ in range(WARMUP):
        fn()
    runs = []
    for _ in range(max(1, n)):
        if before is not None:
            before()
        runs.append(fn())
    runs.sort(key=lambda r: r["wall_s"])
    best = dict(runs[len(runs) // 2])
    best["all_wall_s"] = [r["wall_s"] for r in runs]
    return best


def run_baseline(args, tool: str, inp: Path, threshold: float, bands: int, rows: int,
                 work: Path) -> dict:
    out_json = work / f"baseline-{tool}.result.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--baseline", tool, str(inp),
           "--threshold", str(threshold), "--shingle-size", str(args.shingle_size),
           "--num-perm", str(args.num_perm), "--bands", str(bands), "--rows", str(rows),
           "--output", str(work / f"baseline-{tool}.clusters.jsonl")]
    res = timed_run(cmd, work, f"baseline-{tool}", stdout_path=out_json, warm_path=inp)
    try:
        res["result"] = json.loads(out_json.read_text().strip().splitlines()[-1])
    except (ValueError, IndexError):
        res["result"] = None
    return res


def package_version(name: str) -> str | None:
    try:
        from importlib.metadata import version
        return version(name)
    except Exception:
        return None


# --------------------------------------------------------------------------
# Report.

def fmt(x, nd=3):
    if x is None:
        return "n/a"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def report(res: dict) -> str:
    L = []
    p = res["params"]
    L.append(f"# neardiff dedup benchmark\n")
    m = res["machine"]
    L.append(f"Machine: {m['cpu']} ({m['cores']} cores, load average at start "
             f"{m['load_average_at_start'][0]:.2f}"
             + (f", after waiting {m['quiet_wait_s']:.0f} s from {m['load_average_before_wait'][0]:.2f}"
                if m.get("quiet_wait_s") else "")
             + f"), Python {m['python']}; "
             f"{m.get('neardiff', 'neardiff ?')}; shingle size {p['shingle_size']}, "
             f"num_perm {p['num_perm']}; timed runs repeated {p.get('repeat', 1)}x (median) after {p.get('warmup', 0)} untimed.\n")
    sp = res.get("speed")
    if sp:
        L.append(f"## Speed: neardiff on the whole corpus ({sp['articles']:,} articles, "
                 f"{sp['mb']:.0f} MB, threshold {sp['threshold']})\n")
        L.append("| wall (s) | articles/s | MB/s | peak RSS (MB) | clusters | duplicates | largest | exit |")
        L.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
        s = sp.get("summary", {})
        L.append(f"| {sp['wall_s']:.2f} | {sp['articles'] / sp['wall_s']:,.0f} | "
                 f"{sp['mb'] / sp['wall_s']:.1f} | {fmt(sp.get('peak_rss_mb'), 0)} | "
                 f"{fmt(s.get('clusters'))} | {fmt(s.get('duplicates'))} | {fmt(s.get('largest'))} | "
                 f"{sp['exit_code']} |\n")
        if sp.get("stages"):
            L.append("Stages (from neardiff's stderr): " + ", ".join(
                f"{k} {v:.2f} s" for k, v in sp["stages"].items()) + "\n")
        ta = sp.get("truth_agreement")
        if ta:
            L.append(f"Against the builder's ground truth: cluster purity {fmt(ta['purity'])}; "
                     "share of copies clustered with their seed's original, by edit intensity: "
                     + ", ".join(f"{k} {v:.3f}" for k, v in ta["copies_with_their_seed"].items())
                     + "\n")
    acc = res.get("accuracy")
    if acc:
        L.append(f"## Accuracy on a sample ({acc['sample']['articles']:,} articles, "
                 f"{acc['sample']['mode']}; {acc['truth_pairs_min']:,} pairs with exact Jaccard "
                 f">= {acc['tmin']}, found in {acc['brute_force_s']:.1f} s)\n")
        L.append("| threshold | truth pairs (J >= t+0.05) | recall (pairs) | recall (same cluster) "
                 "| recall at J >= t | reported pairs | precision (exact J here) "
                 "| precision (J neardiff reports) | max \\|ΔJ\\| | wall (s) |")
        L.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in acc["per_threshold"]:
            L.append(f"| {r['threshold']} | {r['truth_pairs_at_t_plus_0.05']:,} | "
                     f"{fmt(r['recall_pairs'], 4)} | {fmt(r['recall_co_clustered'], 4)} | "
                     f"{fmt(r['recall_pairs_at_t'], 4)} | {r['reported_pairs']:,} | "
                     f"{fmt(r['precision_exact_python'], 4)} | "
                     f"{fmt(r['precision_reported_jaccard'], 4)} | "
                     f"{fmt(r['jaccard_abs_diff_max'], 4)} | {fmt(r.get('wall_s'), 2)} |")
        L.append("")
    bl = res.get("baselines")
    if bl:
        L.append(f"## Baselines ({bl['articles']:,} articles, {bl['mb']:.1f} MB, threshold "
                 f"{bl['threshold']}, {bl['bands']} bands x {bl['rows']} rows from {bl['plan_source']})\n")
        L.append("| tool | wall (s) | articles/s | MB/s | peak RSS (MB) | clusters "
                 "| speed-up of neardiff (exact verification, default) "
                 "| speed-up of neardiff --no-verify (estimate, as the baselines) |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        nd = bl["runs"].get("neardiff")
        nv = bl["runs"].get("neardiff --no-verify")

        def ratio(r, base):
            return f"{r['wall_s'] / base['wall_s']:.1f}x" if base else "-"

        for name, r in bl["runs"].items():
            clusters = r.get("clusters")
            own = name.startswith("neardiff")
            L.append(f"| {name} {r.get('version') or ''} | {r['wall_s']:.2f} | "
                     f"{bl['articles'] / r['wall_s']:,.0f} | {bl['mb'] / r['wall_s']:.2f} | "
                     f"{fmt(r.get('peak_rss_mb'), 0)} | {fmt(clusters)} | "
                     f"{'-' if own else ratio(r, nd)} | {'-' if own else ratio(r, nv)} |")
        L.append("")
        for name, r in bl["runs"].items():
            between = r.get("between_baselines_wall_s")
            if between:
                n = len(r["all_wall_s"]) + len(between)
                L.append(f"- {name}: wall time is the median of {n} timed runs, "
                         f"{len(r['all_wall_s'])} back to back (median {r['back_to_back_wall_s']:.3f} s: "
                         + ", ".join(f"{w:.3f}" for w in r["all_wall_s"])
                         + ") and one before each timed baseline run ("
                         + ", ".join(f"{w:.3f}" for w in between) + ")")
        for name, r in bl["runs"].items():
            st = r.get("stages") or (r.get("result") or {}).get("stages")
            if st:
                L.append(f"- {name} stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in st.items()))
        L.append("")
    return "\n".join(L)


# --------------------------------------------------------------------------

def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--baseline":
        baseline_main(sys.argv[2:])
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path, help="JSONL corpus (from corpus/build.py)")
    ap.add_argument("--neardiff", type=Path, default=Path("target/release/neardiff"))
    ap.add_argument("--thresholds", default="0.5,0.6,0.7,0.8,0.9")
    ap.add_argument("--threshold", type=float, default=0.8,
                    help="threshold for the speed and baseline runs (default 0.8)")
    ap.add_argument("--shingle-size", type=int, default=4)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--sample-size", type=int, default=10000)
    ap.add_argument("--sample-cap", type=int, default=150,
                    help="most articles of one near-duplicate group in the sample")
    ap.add_argument("--baseline-size", type=int, default=50000)
    ap.add_argument("--baselines", default="datasketch,rensa")
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: speed,accuracy,baselines")
    ap.add_argument("--naive-check", action="store_true",
                    help="also check the similarity join against an O(n^2) loop (small samples)")
    ap.add_argument("--extra-args", default="",
                    help="extra arguments for every neardiff dedup run (space-separated)")
    ap.add_argument("--warmup", type=int, default=1,
                    help="untimed runs of each timed command before its timed runs (default 1)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run each timed command this many times and keep the median")
    ap.add_argument("--quiet-wait", type=float, default=180,
                    help="before timing anything, wait up to this many seconds for the "
                         "1-minute load average to fall below 1 (default 180; 0: no wait)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work-dir", type=Path, default=HERE / "data" / "work")
    ap.add_argument("--json-out", type=Path, default=None)
    args = ap.parse_args()
    global WARMUP
    WARMUP = max(0, args.warmup)

    skip = {x for x in args.skip.split(",") if x}
    work = args.work_dir
    work.mkdir(parents=True, exist_ok=True)
    corpus = args.corpus
    truth = corpus.with_name(corpus.name[:-len(".jsonl")] + ".truth.jsonl") \
        if corpus.name.endswith(".jsonl") else corpus.with_name(corpus.name + ".truth.jsonl")
    thresholds = [float(x) for x in args.thresholds.split(",") if x]
    extra = args.extra_args.split()
    needs_nd = not {"speed", "accuracy", "baselines"} <= skip
    if needs_nd and not args.neardiff.exists():
        raise SystemExit(f"[eval] error: no neardiff binary at {args.neardiff} (build it with "
                         "cargo build --release, or pass --neardiff)")

    # A run started right after other work (a build, a test run) times the
    # machine's leftover state as much as the tools: wait for it to settle.
    load_before_wait = os.getloadavg()
    waited = 0.0
    while os.getloadavg()[0] >= 1.0 and waited < args.quiet_wait:
        if waited == 0.0:
            log(f"load average {os.getloadavg()[0]:.2f}: waiting up to {args.quiet_wait:.0f} s "
                "for it to fall below 1")
        time.sleep(5)
        waited += 5
    res = {
        "params": {"corpus": str(corpus), "shingle_size": args.shingle_size,
                   "num_perm": args.num_perm, "thresholds": thresholds,
                   "threshold": args.threshold, "extra_args": extra, "repeat": args.repeat,
                   "warmup": args.warmup},
        "machine": {"cpu": cpu_model(), "cores": os.cpu_count(), "python": platform.python_version(),
                    "load_average_at_start": os.getloadavg(),
                    "load_average_before_wait": load_before_wait, "quiet_wait_s": waited,
                    "datasketch": package_version("datasketch"), "rensa": package_version("rensa")},
    }
    if needs_nd:
        h = subprocess.run([str(args.neardiff), "dedup", "--help"], capture_output=True, text=True)
        if h.returncode != 0:
            raise SystemExit(f"[eval] error: {args.neardiff} has no working `dedup` subcommand:\n"
                             f"{h.stderr.strip()}")
    if args.neardiff.exists():
        v = subprocess.run([str(args.neardiff), "--version"], capture_output=True, text=True)
        res["machine"]["neardiff"] = v.stdout.strip()

    # 1. Speed on the whole corpus.
    if "speed" not in skip:
        n, nbytes = file_stats(corpus)
        warm(corpus)
        out = work / "full.clusters.jsonl"
        r = repeated(lambda: timed_run(
            neardiff_cmd(args, [corpus], args.threshold,
                         ["--format", "jsonl", "--output", str(out)] + extra),
            work, "neardiff-full", warm_path=corpus), args.repeat)
        r.update({"articles": n, "bytes": nbytes, "mb": nbytes / 1e6, "threshold": args.threshold,
                  "stages": parse_stages(r["stderr"])})
        if out.exists() and r["exit_code"] in (0, 1):
            clusters = read_clusters(out)
            r["summary"] = cluster_summary(clusters)
            r["truth_agreement"] = truth_agreement(clusters, truth)
            del clusters
        res["speed"] = r
        log(f"speed: {n} articles in {r['wall_s']:.2f}s, peak RSS {r.get('peak_rss_mb')}")

    # 2. Accuracy against exact Jaccard on a sample.
    if "accuracy" not in skip:
        sample = work / f"sample-{args.sample_size}.jsonl"
        info = make_sample(corpus, truth, args.sample_size, args.seed, args.sample_cap, sample)
        docs = [(d["id"], d["text"]) for d in read_jsonl(sample)]
        warm(sample)
        tmin = min(thresholds)
        t0 = time.perf_counter()
        pairs, sets = all_pairs(docs, args.shingle_size, tmin)
        bf_s = time.perf_counter() - t0
        log(f"sample: {len(docs)} articles, {len(pairs)} pairs with J >= {tmin} ({bf_s:.1f}s)")
        acc = {"sample": info, "tmin": tmin, "truth_pairs_min": len(pairs),
               "brute_force_s": bf_s, "per_threshold": []}
        if args.naive_check:
            t0 = time.perf_counter()
            naive = naive_pairs(sets, tmin)
            acc["naive_check"] = {"equal": naive.keys() == pairs.keys(),
                                  "seconds": time.perf_counter() - t0}
            log(f"naive check: {acc['naive_check']}")
        for t in thresholds:
            out = work / f"sample-pairs-{t}.jsonl"
            # The truth here is plain exact Jaccard of whole shingle sets,
            # so neardiff keeps outlet boilerplate in this part; its default
            # (boilerplate set aside) is judged by the truth agreement of
            # part 1.
            r = timed_run(neardiff_cmd(args, [sample], t,
                                       ["--pairs", "--keep-boilerplate", "--output", str(out)]
                                       + extra),
                          work, f"neardiff-sample-{t}")
            reported = list(read_jsonl(out)) if out.exists() else []
            sc = score_pairs(reported, pairs, sets, t)
            sc.update({"wall_s": r["wall_s"], "exit_code": r["exit_code"]})
            acc["per_threshold"].append(sc)
            log(f"t={t}: recall {sc['recall_pairs']} precision {sc['precision_exact_python']}")
        res["accuracy"] = acc
        del pairs, sets, docs

    # 3. Baselines on the same subset.
    if "baselines" not in skip:
        subset = work / f"baseline-{args.baseline_size}.jsonl"
        with open(corpus, encoding="utf-8") as f, open(subset, "w", encoding="utf-8") as o:
            for i, line in enumerate(f):
                if i >= args.baseline_size:
                    break
                o.write(line)
        n, nbytes = file_stats(subset)
        plan, _ = neardiff_plan(args, args.threshold, subset, work)
        plan_source = "neardiff --explain"
        if plan is None:
            plan, plan_source = lsh_params(args.threshold, args.num_perm), "divisors of num_perm"
        bands, rows = plan
        bl = {"plan_source": plan_source, "articles": n, "bytes": nbytes, "mb": nbytes / 1e6, "threshold": args.threshold,
              "bands": bands, "rows": rows, "runs": {}}
        warm(subset)
        # neardiff as users run it, and with `--no-verify`: the baselines
        # keep candidates by their MinHash estimate, and so does that, the
        # like-for-like pipeline timed beside the default. Each: (tag of its
        # files, output, command).
        own = {}
        for name, flags in (("neardiff", []), ("neardiff --no-verify", ["--no-verify"])):
            tag = "baseline-" + name.replace(" --", "-")
            path = work / f"{tag}.clusters.jsonl"
            own[name] = (tag, path, neardiff_cmd(args, [subset], args.threshold,
                                                 flags + ["--format", "jsonl", "--output", str(path)]
                                                 + extra))
        for name, (tag, path, cmd) in own.items():
            r = repeated(lambda: timed_run(cmd, work, tag, warm_path=subset), args.repeat)
            if path.exists():
                r["clusters"] = cluster_summary(read_clusters(path))["clusters"]
            r["stages"] = parse_stages(r["stderr"])
            bl["runs"][name] = r
        # A baseline run takes seconds to minutes, neardiff's a fraction of
        # a second: its runs above are taken within a second or two, and a
        # slow spell of the machine then moves all of them at once. So
        # neardiff also runs before each timed baseline run (after a run of
        # its own that is not timed, as every timed series starts), and its
        # wall time is the median of all its timed runs: sampled over the
        # same minutes as the baselines' runs.
        spread = {name: [] for name in own}

        def neardiff_between():
            for name, (tag, _, cmd) in own.items():
                for _ in range(WARMUP):
                    timed_run(cmd, work, tag, warm_path=subset)
                spread[name].append(timed_run(cmd, work, tag, warm_path=subset)["wall_s"])

        for tool in [x for x in args.baselines.split(",") if x]:
            r = repeated(lambda: run_baseline(args, tool, subset, args.threshold, bands, rows, work),
                         args.repeat, before=neardiff_between)
            r["version"] = package_version(tool)
            if r.get("result"):
                r["clusters"] = r["result"]["clusters"]
            bl["runs"][tool] = r
            log(f"{tool}: {r['wall_s']:.2f}s")
        for name, walls in spread.items():
            r = bl["runs"][name]
            if walls:
                r["back_to_back_wall_s"] = r["wall_s"]
                r["between_baselines_wall_s"] = walls
                r["wall_s"] = statistics.median(r["all_wall_s"] + walls)
        res["baselines"] = bl

    text = report(res)
    print(text)
    json_out = args.json_out or (work / "results.json")
    json_out.write_text(json.dumps(res, indent=2, default=str) + "\n")
    (json_out.with_suffix(".md")).write_text(text + "\n")
    log(f"results in {json_out} and {json_out.with_suffix('.md')}")


if __name__ == "__main__":
    main()
