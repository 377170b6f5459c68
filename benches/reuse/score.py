#!/usr/bin/env python3
"""Score `neardiff compare --format json` on the generated reuse pairs.

Each gold word of B (see generate.py) takes the label of the span the
report gives it: `same` = verbatim, `changed` = rewritten, `added` = new
(the label of most of the word's letters and digits). Figures:

* verbatim words: precision, recall, F1;
* 3-class macro-F1 (verbatim / rewritten / new);
* copied share per article: the share of B's words that are verbatim,
  predicted (`same`) against gold; mean |pred - gold| and the share of
  articles within 0.03;
* the same figures for a naive baseline: a word is verbatim when it lies
  in a word 3-gram (lower case, letters and digits) that A also has, else
  new.

With --set versions, the pairs whose source comes in two versions (a
first take and an update) are scored: `compare` gets both versions
(`compare A1 A2 B`), the baseline's 3-grams come from both, and
--latest-only gives `compare` the update alone (what a user without
several versions would compare).

The held-out part is scored only with --split heldout, which is meant to be
run once, at the end (README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DATA = HERE.parent / "data"
CLASSES = ["verbatim", "rewritten", "new"]
PRED = {"same": "verbatim", "changed": "rewritten", "added": "new", "dropped": "new"}


def predicted(report: dict, gold: list) -> list[str]:
    b = report["b"]["text"].encode()
    per_byte = bytearray(len(b))
    codes = {"same": 0, "changed": 1, "added": 2, "dropped": 2}
    for s in report["b"]["spans"]:
        per_byte[s["start"]:s["end"]] = bytes([codes[s["label"]]]) * (s["end"] - s["start"])
    out = []
    for start, end, _ in gold:
        votes = [0, 0, 0]
        tok = b[start:end]
        for i, c in enumerate(tok):
            if chr(c).isalnum() or c >= 0x80:
                votes[per_byte[start + i]] += 1
        out.append(CLASSES[max(range(3), key=lambda k: (votes[k], -k))])
    return out


def baseline(a: str, b: str, gold: list) -> list[str]:
    norm = lambda t: re.sub(r"[^0-9a-z]", "", t.lower())
    aw = [w for w in (norm(t) for t in a.split()) if w]
    grams = {tuple(aw[i:i + 3]) for i in range(len(aw) - 2)}
    bb = b.encode()
    bw = [norm(bb[s:e].decode()) for s, e, _ in gold]
    idx = [i for i, w in enumerate(bw) if w]
    lab = ["new"] * len(gold)
    for n in range(len(idx) - 2):
        g = tuple(bw[idx[n + d]] for d in range(3))
        if g in grams:
            for d in range(3):
                lab[idx[n + d]] = "verbatim"
    return lab


def figures(pairs):
    """pairs: list of (gold labels, predicted labels) per article."""
    conf = {(g, p): 0 for g in CLASSES for p in CLASSES}
    shares = []
    for gold, pred in pairs:
        for g, p in zip(gold, pred):
            conf[(g, p)] += 1
        n = max(1, len(gold))
        shares.append(abs(sum(p == "verbatim" for p in pred) / n - sum(g == "verbatim" for g in gold) / n))
    f1 = {}
    prf = {}
    for c in CLASSES:
        tp = conf[(c, c)]
        fp = sum(conf[(g, c)] for g in CLASSES if g != c)
        fn = sum(conf[(c, p)] for p in CLASSES if p != c)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1[c] = 2 * p * r / (p + r) if p + r else 0.0
        prf[c] = (p, r, f1[c])
    return {
        "verbatim_p": prf["verbatim"][0],
        "verbatim_r": prf["verbatim"][1],
        "verbatim_f1": f1["verbatim"],
        "f1": f1,
        "macro_f1": sum(f1.values()) / 3,
        "share_mae": sum(shares) / max(1, len(shares)),
        "share_within_003": sum(s <= 0.03 for s in shares) / max(1, len(shares)),
        "share_max": max(shares, default=0.0),
        "confusion": {f"{g}->{p}": n for (g, p), n in conf.items()},
        "articles": len(pairs),
        "words": sum(len(g) for g, _ in pairs),
    }


def sources(pair, latest_only=False):
    """The source texts of a pair: its versions, or its one A."""
    if latest_only or "a_versions" not in pair:
        return [pair["a"]]
    return pair["a_versions"]


def run_one(binary, extra, pair, tmp, latest_only=False):
    paths = []
    for k, text in enumerate(sources(pair, latest_only)):
        pa = Path(tmp) / f"{pair['id']}.a{k}.txt"
        pa.write_text(text, encoding="utf-8")
        paths.append(str(pa))
    pb = Path(tmp) / f"{pair['id']}.b.txt"
    pb.write_text(pair["b"], encoding="utf-8")
    t0 = time.perf_counter()
    out = subprocess.run([binary, "compare", "--format", "json", *extra, *paths, str(pb)],
                         check=True, capture_output=True).stdout
    return json.loads(out), time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--split", choices=["tuning", "heldout"], default="tuning")
    ap.add_argument("--set", choices=["rewrites", "versions"], default="rewrites",
                    help="the rewrites of one source, or of a source in two versions")
    ap.add_argument("--latest-only", action="store_true",
                    help="with --set versions: give compare the update alone")
    ap.add_argument("--binary", default=str(ROOT / "target" / "release" / "neardiff"))
    ap.add_argument("--arg", action="append", default=[], help="extra argument to compare (repeatable)")
    ap.add_argument("--worst", type=int, default=0, help="list the N articles with the worst share error")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    name = args.split if args.set == "rewrites" else f"versions-{args.split}"
    pairs = [json.loads(l) for l in open(args.data / "reuse" / f"{name}.jsonl", encoding="utf-8")]
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(2) as ex:
        results = list(ex.map(lambda p: run_one(args.binary, args.arg, p, tmp, args.latest_only), pairs))
    tool, base = [], []
    per = []
    for pair, (rep, _) in zip(pairs, results):
        gold = [g[2] for g in pair["gold"]]
        pred = predicted(rep, pair["gold"])
        tool.append((gold, pred))
        base.append((gold, baseline("\n\n".join(sources(pair)), pair["b"], pair["gold"])))
        n = max(1, len(gold))
        per.append((abs(sum(p == "verbatim" for p in pred) - sum(g == "verbatim" for g in gold)) / n, pair["id"]))
    ft, fb = figures(tool), figures(base)
    if args.json:
        print(json.dumps({"split": args.split, "set": args.set, "latest_only": args.latest_only,
                          "neardiff": ft, "baseline_3gram": fb}, indent=1))
        return
    what = f"{args.set}{' (update only)' if args.latest_only else ''}"
    print(f"split {args.split}, {what}: {ft['articles']} articles, {ft['words']} gold words of B")
    print(f"{'':24}{'neardiff':>10}{'3-gram':>10}   target")
    rows = [
        ("verbatim precision", "verbatim_p", ""),
        ("verbatim recall", "verbatim_r", ""),
        ("verbatim F1", "verbatim_f1", ">= 0.97"),
        ("macro-F1", "macro_f1", ">= 0.85"),
        ("share |pred-gold| mean", "share_mae", ""),
        ("share within 0.03", "share_within_003", "1.00"),
        ("share |pred-gold| max", "share_max", "<= 0.03"),
    ]
    for name, key, target in rows:
        print(f"{name:24}{ft[key]:>10.3f}{fb[key]:>10.3f}   {target}")
    for c in CLASSES:
        print(f"{'F1 ' + c:24}{ft['f1'][c]:>10.3f}{fb['f1'][c]:>10.3f}")
    print("confusion (gold->pred):", ", ".join(f"{k} {v}" for k, v in ft["confusion"].items()))
    if args.worst:
        for err, pid in sorted(per, reverse=True)[:args.worst]:
            print(f"  {pid}: share error {err:.3f}")


if __name__ == "__main__":
    main()
