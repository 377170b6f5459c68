#!/usr/bin/env python3
"""Print article pairs for reading, one after the other.

    benches/scraped/show.py ID_A ID_B                # one pair
    benches/scraped/show.py --file pairs.tsv [--from N --count K]
    benches/scraped/show.py --file pairs.tsv --words 0   # whole texts

For each pair: the scores, then per article its outlet, date, title, word
count and text (the first ``--words`` words and the last ``--tail`` words;
0 = all), then the longest runs of words the two texts share (in neardiff's
matching form), which is where boilerplate shows. The texts are printed for
a human to judge; nothing is written.
"""

from __future__ import annotations

import argparse
import textwrap
from difflib import SequenceMatcher
from pathlib import Path

import common
import neartext


def shared_runs(wa: list[str], wb: list[str], min_len: int = 4, top: int = 4):
    sm = SequenceMatcher(None, wa, wb, autojunk=False)
    blocks = [m for m in sm.get_matching_blocks() if m.size >= min_len]
    blocks.sort(key=lambda m: -m.size)
    return blocks[:top], sum(m.size for m in sm.get_matching_blocks())


def excerpt(text: str, head: int, tail: int) -> str:
    toks = text.split()
    if head == 0 or len(toks) <= head + tail + 10:
        return " ".join(toks)
    return " ".join(toks[:head]) + f"  [... {len(toks) - head - tail} words ...]  " + " ".join(toks[-tail:])


def show_brief(docs, a, b, extra=""):
    """Two lines per article and the longest shared run: for pairs that are
    plainly about different things (titles and openings), to be read fast."""
    held = " HELD-OUT" if common.is_held_out(a, b) else ""
    print(f"## {a} {b} {extra}{held}")
    for i in (a, b):
        d = docs[i]
        print(f"   {i} | {d['outlet']} | {d['date']} | {common.word_count(d['text'])}w | {d['title']}")
        print("      " + textwrap.shorten(d["text"], 220))
    runs, total = shared_runs(neartext.words(docs[a]["text"]), neartext.words(docs[b]["text"]), top=2)
    wa = neartext.words(docs[a]["text"])
    for m in runs:
        print(f"   [{m.size} w] " + textwrap.shorten(" ".join(wa[m.a:m.a + m.size]), 160))


def show(docs, a, b, extra="", head=90, tail=30):
    print("=" * 100)
    j = neartext.jaccard(neartext.shingle_set(docs[a]["text"], 4), neartext.shingle_set(docs[b]["text"], 4))
    sa, sb = neartext.shingle_set(docs[a]["text"], 4), neartext.shingle_set(docs[b]["text"], 4)
    inter = len(sa & sb)
    cont = inter / min(len(sa), len(sb)) if sa and sb else 0.0
    held = " HELD-OUT" if common.is_held_out(a, b) else ""
    print(f"PAIR {a} {b}  J={j:.3f} C={cont:.3f} {extra}{held}")
    for i in (a, b):
        d = docs[i]
        n = common.word_count(d["text"])
        print(f"--- {i} | {d['outlet']} | {d['date']} | {n} words | {d['title']}")
        print(textwrap.fill(excerpt(d["text"], head, tail), 100))
    wa, wb = neartext.words(docs[a]["text"]), neartext.words(docs[b]["text"])
    runs, total = shared_runs(wa, wb)
    print(f"--- shared: {total} words in common runs; longest:")
    for m in runs:
        print(f"  [{m.size} w @A{m.a}/B{m.b}] " + textwrap.shorten(" ".join(wa[m.a:m.a + m.size]), 300))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ids", nargs="*")
    ap.add_argument("--file", type=Path)
    ap.add_argument("--from", dest="start", type=int, default=0)
    ap.add_argument("--count", type=int, default=10**9)
    ap.add_argument("--words", type=int, default=90)
    ap.add_argument("--tail", type=int, default=30)
    ap.add_argument("--brief", action="store_true", help="titles, openings and the longest shared runs only")
    args = ap.parse_args()
    docs = common.load_corpus()
    if args.file:
        lines = [l.split("\t") for l in args.file.read_text().splitlines() if l.strip()]
        for n, cols in enumerate(lines[args.start:args.start + args.count], args.start):
            extra = f"#{n} {cols[2] if len(cols) > 2 else ''}"
            if args.brief:
                show_brief(docs, cols[0], cols[1], extra)
            else:
                show(docs, cols[0], cols[1], extra, args.words, args.tail)
    else:
        for i in range(0, len(args.ids) - 1, 2):
            show(docs, args.ids[i], args.ids[i + 1], "", args.words, args.tail)


if __name__ == "__main__":
    main()
