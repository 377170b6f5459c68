#!/usr/bin/env python3
"""Annotator's helper: draft the annotation lines of a pair, and show
annotated quotes in context for reading.

    benches/quotes/draft.py draft A B ["note"]   # print draft lines for a new pair
    benches/quotes/draft.py show [A B]           # annotated quotes with context
    benches/quotes/draft.py candidates [N]       # unannotated pairs likely on the same event

The draft is a first guess (quote marks, the nearest 'said' name, the
closest quote of the other side) to be read and corrected by hand; it is
never scored as it stands. Nothing of the texts is written but the short
head snippets.
"""

from __future__ import annotations

import re
import os
import sys
from pathlib import Path
from difflib import SequenceMatcher

import common

SAY = r"(?:said|says|told|added|stated|wrote|tweeted|asked|explained|noted|insisted|warned|declared|stressed|according to)"
NAME = r"((?:[A-Z][\w'.-]+\s){0,3}[A-Z][\w'.-]+)"


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Character ranges of the words inside double quotation marks. '"?' is
    the broken export of a closing curly quote (or, outside a quote, of a
    dash); a '"' between two letters is a broken apostrophe."""
    out, i, open_at = [], 0, None
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"':
            q = i + 1 < n and text[i + 1] == "?"
            apos = 0 < i < n - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()
            if open_at is None:
                if not q and not apos:
                    open_at = i + 1
            elif not apos:
                out.append((open_at, i))
                open_at = None
            i += 2 if q else 1
            continue
        i += 1
    return [(s, e) for s, e in out if text[s:e].strip()]


def sentence_around(text: str, s: int, e: int) -> tuple[int, int]:
    a = max(text.rfind(". ", 0, s - 1), text.rfind('." ', 0, s - 1), 0)
    b = text.find(". ", e + 1)
    return a, (b if b > 0 else len(text))


def guess_speaker(text: str, s: int, e: int, last: str | None):
    a, b = sentence_around(text, s, e)
    outside = text[a:s] + " " + text[e:b]
    for pat in (NAME + r",?\s+(?:\w+\s)?" + SAY, SAY + r"\s+(?:the\s)?(?:[a-z]+\s){0,3}" + NAME):
        m = re.search(pat, outside)
        if m and m.group(1) not in ("The", "He", "She", "It", "They", "But", "In", "A"):
            return m.group(1), "same_sentence"
    if re.search(r"\b(he|she|they)\s+" + SAY, outside) or re.search(SAY + r"\s+(he|she)\b", outside):
        return last, "same_paragraph"
    return last, "carried"


def words(s: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", s.lower())


def draft(a: str, b: str, note: str, docs) -> list[str]:
    lines = [f"pair\t{a}\t{b}\t{note}"]
    sides = {}
    for side, i in (("a", a), ("b", b)):
        t = docs[i]["text"]
        qs, last = [], None
        for k, (s, e) in enumerate(find_quotes(t), 1):
            sp, named = guess_speaker(t, s, e, last)
            last = sp or last
            qs.append((f"{side}{k}", s, e, t[s:e], sp, named, t))
        sides[side] = qs
    pairs = {}
    for qa in sides["a"]:
        best, bq = 0.0, None
        for qb in sides["b"]:
            wa, wb = words(qa[3]), words(qb[3])
            if not wa or not wb:
                continue
            m = sum(x.size for x in SequenceMatcher(None, wa, wb, autojunk=False).get_matching_blocks())
            r = m / min(len(wa), len(wb))
            if r > best:
                best, bq = r, qb[0]
        if best >= 0.6:
            pairs[qa[0]] = bq
            pairs.setdefault(bq, qa[0])
    for side in ("a", "b"):
        for qid, s, e, qt, sp, named, t in sides[side]:
            bs = len(t[:s].encode("utf-8"))
            be = bs + len(qt.encode("utf-8"))
            head = " ".join(qt.split()[:5])
            head = qt[: qt.find(head) + len(head)] if head else qt
            kind = "speech" if len(qt.split()) > 3 else "other"
            if kind == "other":
                sp = None
            lines.append("\t".join([qid, str(bs), str(be), head, kind, sp or "-",
                                    named if sp else "none", pairs.get(qid, "-"), ""]))
    return lines


def show(pairs, docs, only=None):
    for p in pairs:
        if only and (p.a, p.b) != only:
            continue
        print(f"=== pair {p.a} {p.b} {'HELD-OUT' if p.held_out else ''} {p.note}")
        for q in p.quotes:
            t = docs[p.a if q.side == "a" else p.b]["text"].encode("utf-8")
            ctx = lambda x, y: t[max(x, 0):y].decode("utf-8", "replace").replace("\n", " ")
            print(f"{q.qid:4} {'S' if q.speech else 'o'} {'|'.join(q.speakers) or '-':28.28} {q.named:14} "
                  f"{','.join(q.pair) or '-':6} ..{ctx(q.start - 110, q.start)}[[{ctx(q.start, q.end)}]]{ctx(q.end, q.end + 90)}..")


def candidates(docs, n: int = 60) -> list[str]:
    """Pairs of articles in no annotation file, from different outlets, dated
    at most three days apart, each with at least four quotation marks and
    1,200 characters, ranked by the rare capitalised words they share (words
    in at most 30 such articles, each weighted 1 / ln(1 + its count)). A
    list to read, not a judgement: a pair is kept only when both articles
    report the same event."""
    import datetime
    import math
    from collections import Counter, defaultdict
    used = {x for f in (common.ANNOTATIONS, common.HELD_OUT_2, common.HELD_OUT_3, common.HELD_OUT_4,
                                      common.HELD_OUT_5) if f.exists()
            for p in common.load_annotations(f) for x in (p.a, p.b)}
    elig = {i: d for i, d in docs.items() if i not in used and d["date"]
            and len(d["text"]) >= 1200 and d["text"].count('"') >= 4}
    caps = {i: set(re.findall(r"\b[A-Z][a-z]{2,}\b", d["text"])) for i, d in elig.items()}
    df = Counter(w for s in caps.values() for w in s)
    inv = defaultdict(set)
    for i, s in caps.items():
        for w in s:
            if df[w] <= 30:
                inv[w].add(i)
    day = lambda i: datetime.date.fromisoformat(elig[i]["date"])
    scores = Counter()
    for w, ids in inv.items():
        ids = sorted(ids)
        for x, a in enumerate(ids):
            for b in ids[x + 1:]:
                if elig[a]["outlet"] != elig[b]["outlet"] and abs((day(a) - day(b)).days) <= 3:
                    scores[(a, b)] += 1 / math.log(1 + df[w])
    return [f"{a}\t{b}\t{s:.1f}\t{elig[a]['outlet']} / {elig[b]['outlet']}\t{elig[a]['title'][:50]} || {elig[b]['title'][:50]}"
            for (a, b), s in scores.most_common(n)]


def main():
    docs = common.load_corpus()
    if sys.argv[1] == "draft":
        print("\n".join(draft(sys.argv[2], sys.argv[3], " ".join(sys.argv[4:]), docs)))
    elif sys.argv[1] == "candidates":
        print("\n".join(candidates(docs, int(sys.argv[2]) if len(sys.argv) > 2 else 60)))
    elif sys.argv[1] == "show":
        pairs = common.load_annotations(Path(os.environ.get("QUOTES_FILE", common.ANNOTATIONS)))
        show(pairs, docs, tuple(sys.argv[2:4]) if len(sys.argv) > 3 else None)


if __name__ == "__main__":
    main()
