#!/usr/bin/env python3
"""Score a neardiff binary's clusters on the NewsArticles corpus against the judgements.

    benches/scraped/score.py [--neardiff BIN] [--held-out] [--json FILE] [--list-unjudged FILE]

Runs ``BIN dedup`` on the corpus (``benches/scraped/fetch.py`` writes it) with
``--metric jaccard --threshold 0.5`` and ``--metric containment --threshold
0.8``, adding ``--skip-invalid`` only when the binary stops on the corpus's
empty texts without it, and prints per metric:

* **cluster precision**: of the article pairs inside reported clusters that
  are judged, the share labelled ``duplicate`` or ``same_story``
  (``different`` and ``junk`` are errors). Unjudged pairs inside clusters are
  counted separately (``--list-unjudged`` writes them for judging); the
  precision is not defined over them.
* **stubs in clusters**: clustered articles with fewer than ``--stub-words``
  words (default 10, in neardiff's word segmentation as ``benches/neartext.py``
  reproduces it) or listed in ``junk.tsv``.
* **recall**: of the judged positive pairs, the share whose two articles are
  in one cluster; also per label.
* the wall time of the run and neardiff's own summary line.

Only the tuning part of the judgements is scored unless ``--held-out``, which
scores the held-out part instead (see README.md: about a quarter of the pairs,
chosen by a hash of their ids). The held-out errors are counted, never listed.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import common


def score_metric(binary, corpus, metric, threshold, extra, judged, junk, docs, part_held_out,
                 stub_words, show_errors):
    clusters, wall, summary = common.run_dedup(binary, corpus, metric, threshold, extra)
    in_part = {k: j for k, j in judged.items() if j.held_out == part_held_out}
    pairs = {p for p in common.cluster_pairs(clusters) if common.is_held_out(*p) == part_held_out}
    labels = Counter()
    errors = []
    unjudged = []
    for p in sorted(pairs, key=lambda k: common.pair_key(*k)):
        j = in_part.get(p)
        if j is None:
            unjudged.append(p)
            continue
        labels[j.label] += 1
        if j.label not in common.POSITIVE:
            errors.append(j)
    judged_in = sum(labels.values())
    correct = sum(labels[l] for l in common.POSITIVE)
    precision = correct / judged_in if judged_in else None

    cluster_of = {}
    for n, c in enumerate(clusters):
        for m in c["members"]:
            cluster_of[m["id"]] = n
    stubs = []
    for c in clusters:
        for m in c["members"]:
            i = m["id"]
            words = common.word_count(docs[i]["text"]) if i in docs else 0
            if words < stub_words or i in junk:
                stubs.append((i, words, junk.get(i, "stub")))
    recall = {}
    for label in ("duplicate", "same_story"):
        pos = [k for k, j in in_part.items() if j.label == label]
        hit = sum(1 for a, b in pos if a in cluster_of and cluster_of.get(a) == cluster_of.get(b))
        recall[label] = (hit, len(pos))
    hit = sum(h for h, _ in recall.values())
    tot = sum(t for _, t in recall.values())
    missed = [j for k, j in in_part.items() if j.label in common.POSITIVE
              and not (k[0] in cluster_of and cluster_of.get(k[0]) == cluster_of.get(k[1]))]

    return {
        "metric": metric, "threshold": threshold, "wall_s": round(wall, 3), "summary": summary,
        "clusters": len(clusters), "sizes": [c["size"] for c in clusters],
        "pairs_in_clusters": len(pairs), "judged_in_clusters": judged_in,
        "labels_in_clusters": dict(labels), "unjudged_in_clusters": len(unjudged),
        "precision": precision,
        "stubs_in_clusters": len(stubs), "stub_ids": [s[0] for s in stubs],
        "recall": (hit / tot) if tot else None, "recall_hits": hit, "recall_pairs": tot,
        "recall_by_label": {l: {"hit": h, "pairs": t} for l, (h, t) in recall.items()},
        "_errors": errors if show_errors else [], "_missed": missed if show_errors else [],
        "_unjudged": unjudged, "_stubs": stubs,
    }


def fmt(x):
    return "n/a" if x is None else f"{x:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--neardiff", type=Path, default=common.DEFAULT_BINARY)
    ap.add_argument("--corpus", type=Path, default=common.CORPUS)
    ap.add_argument("--held-out", action="store_true",
                    help="score the held-out part (only at the end of a round)")
    ap.add_argument("--stub-words", type=int, default=common.STUB_WORDS)
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    ap.add_argument("--list-unjudged", type=Path,
                    help="write the unjudged pairs inside clusters (TSV: id_a, id_b, source)")
    ap.add_argument("--errors", type=int, default=15,
                    help="list at most this many wrong and missed pairs per metric (tuning part only)")
    args = ap.parse_args()

    if not args.neardiff.exists():
        raise SystemExit(f"{args.neardiff}: no such binary (cargo build --release, or --neardiff)")
    docs = common.load_corpus(args.corpus)
    judged = common.load_judgements()
    junk = common.load_junk()
    extra = ["--skip-invalid"] if common.needs_skip_invalid(args.neardiff, args.corpus) else []
    part = "held-out" if args.held_out else "tuning"
    n_part = sum(1 for j in judged.values() if j.held_out == args.held_out)
    print(f"neardiff: {args.neardiff}")
    print(f"corpus: {args.corpus} ({len(docs)} articles); extra arguments: {' '.join(extra) or '(none)'}")
    print(f"judgements: {len(judged)} pairs, {n_part} in the {part} part; junk.tsv: {len(junk)} articles; "
          f"stub = under {args.stub_words} words or listed in junk.tsv")
    results = []
    for metric, thr in common.SETTINGS.items():
        r = score_metric(args.neardiff, args.corpus, metric, thr, extra, judged, junk, docs,
                         args.held_out, args.stub_words, not args.held_out)
        results.append(r)
        lab = ", ".join(f"{l} {r['labels_in_clusters'].get(l, 0)}" for l in common.LABELS)
        print()
        print(f"## {metric} {thr}  ({part} part)")
        print(f"  clusters {r['clusters']} (sizes {r['sizes'][:12]}{' ...' if len(r['sizes']) > 12 else ''}); "
              f"run {r['wall_s']:.2f} s wall")
        for line in r["summary"].splitlines():
            print(f"  | {line}")
        print(f"  pairs inside clusters ({part} part): {r['pairs_in_clusters']}, judged {r['judged_in_clusters']} "
              f"({lab}), unjudged {r['unjudged_in_clusters']}")
        print(f"  cluster precision: {fmt(r['precision'])} "
              f"({sum(r['labels_in_clusters'].get(l, 0) for l in common.POSITIVE)}/{r['judged_in_clusters']})")
        print(f"  stubs/junk articles in clusters: {r['stubs_in_clusters']} {r['stub_ids'][:20]}")
        rb = r["recall_by_label"]
        print(f"  recall on judged positive pairs: {fmt(r['recall'])} ({r['recall_hits']}/{r['recall_pairs']}; "
              f"duplicate {rb['duplicate']['hit']}/{rb['duplicate']['pairs']}, "
              f"same_story {rb['same_story']['hit']}/{rb['same_story']['pairs']})")
        if r["_errors"]:
            print(f"  wrong pairs in clusters (first {args.errors} of {len(r['_errors'])}):")
            for j in r["_errors"][:args.errors]:
                print(f"    {j.a} {j.b} {j.label}: {j.note}")
        if r["_missed"]:
            print(f"  positive pairs not co-clustered (first {args.errors} of {len(r['_missed'])}):")
            for j in sorted(r["_missed"], key=lambda j: common.pair_key(j.a, j.b))[:args.errors]:
                print(f"    {j.a} {j.b} {j.label}: {j.note}")

    if args.list_unjudged:
        with open(args.list_unjudged, "w") as f:
            seen = {}
            for r in results:
                for p in r["_unjudged"]:
                    seen.setdefault(p, []).append(f"a:{r['metric']}")
            for (a, b), srcs in sorted(seen.items(), key=lambda kv: common.pair_key(*kv[0])):
                f.write(f"{a}\t{b}\t{','.join(srcs)}\n")
        print(f"\nwrote {len(seen)} unjudged pairs to {args.list_unjudged}")
    if args.json:
        out = {"neardiff": str(args.neardiff), "part": part, "extra_args": extra,
               "judged_pairs": len(judged), "part_pairs": n_part,
               "results": [{k: v for k, v in r.items() if not k.startswith("_")} for r in results]}
        args.json.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
