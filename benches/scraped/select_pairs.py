#!/usr/bin/env python3
"""List the article pairs to judge, with where each comes from.

Sources (a pair may have several, comma-separated):

* ``a:jaccard``, ``a:containment``: every pair of articles inside a cluster
  that the given binary reports with ``--metric jaccard --threshold 0.5`` or
  ``--metric containment --threshold 0.8`` (all pairs, also in the largest
  clusters).
* ``b:jaccard``: every verified pair of ``--pairs --threshold 0.2`` (Jaccard)
  with 0.2 <= Jaccard < 0.5, i.e. just under the threshold (recall).
* ``b:containment``: pairs of ``--pairs --metric containment --threshold 0.2``
  with 0.2 <= containment < 0.8: all of those with containment >= 0.4, and of
  those under 0.4 the ones whose sha256 of ``"A<TAB>B"`` modulo 5 is 0 (a
  deterministic fifth).

Pairs already in judgements.tsv are skipped unless ``--all``. Output: TSV
``id_a id_b sources jaccard containment`` on stdout, sorted by source then
ids.

    benches/scraped/select_pairs.py [--neardiff BIN] [--all] > pairs.tsv
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import common


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--neardiff", type=Path, default=common.DEFAULT_BINARY)
    ap.add_argument("--corpus", type=Path, default=common.CORPUS)
    ap.add_argument("--all", action="store_true", help="also list pairs already judged")
    args = ap.parse_args()

    extra = ["--skip-invalid"] if common.needs_skip_invalid(args.neardiff, args.corpus) else []
    sources: dict[tuple[str, str], list[str]] = {}
    scores: dict[tuple[str, str], tuple[float, float]] = {}

    def add(key, src):
        sources.setdefault(key, [])
        if src not in sources[key]:
            sources[key].append(src)

    for metric, thr in common.SETTINGS.items():
        clusters, _, _ = common.run_dedup(args.neardiff, args.corpus, metric, thr, extra)
        for key in sorted(common.cluster_pairs(clusters)):
            add(key, f"a:{metric}")

    for metric, thr in common.SETTINGS.items():
        pairs, _, _ = common.run_dedup(args.neardiff, args.corpus, metric, 0.2, extra, pairs=True)
        for p in pairs:
            key = common.pair_key(p["a"], p["b"])
            s = common.pair_score(p, metric)
            scores[key] = (p["jaccard"], max(p["containment_a_in_b"], p["containment_b_in_a"]))
            if not 0.2 <= s < thr:
                continue
            if metric == "containment" and s < 0.4:
                h = hashlib.sha256(f"{key[0]}\t{key[1]}".encode()).digest()
                if int.from_bytes(h[:8], "big") % 5 != 0:
                    continue
            add(key, f"b:{metric}")

    judged = common.load_judgements()
    rows = []
    for key, srcs in sources.items():
        if key in judged and not args.all:
            continue
        j, c = scores.get(key, (float("nan"), float("nan")))
        rows.append((",".join(srcs), key, j, c))
    rows.sort(key=lambda r: (r[0], common.pair_key(*r[1])))
    for srcs, (a, b), j, c in rows:
        print(f"{a}\t{b}\t{srcs}\t{j:.3f}\t{c:.3f}")


if __name__ == "__main__":
    main()
