"""Shared by the quote evaluation scripts: the corpus, the annotation file and
the held-out rule. Standard library only."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ANNOTATIONS = HERE / "annotations.tsv"
# The second held-out part (round 2 of issue 21): every pair of it is held
# out, and none of its articles is in ANNOTATIONS.
HELD_OUT_2 = HERE / "heldout-2.tsv"
# The third held-out part (round 3): none of its articles is in ANNOTATIONS
# or HELD_OUT_2.
HELD_OUT_3 = HERE / "heldout-3.tsv"
# The fourth held-out part (round 4): none of its articles is in ANNOTATIONS,
# HELD_OUT_2 or HELD_OUT_3.
HELD_OUT_4 = HERE / "heldout-4.tsv"
# The fifth held-out part (round 5): none of its articles is in ANNOTATIONS,
# HELD_OUT_2, HELD_OUT_3 or HELD_OUT_4.
HELD_OUT_5 = HERE / "heldout-5.tsv"
CORPUS = ROOT / "benches" / "data" / "scraped" / "newsarticles.jsonl"
NAMED = ("same_sentence", "same_paragraph", "earlier", "carried", "none")


def load_corpus(fetch: bool = True) -> dict[str, dict]:
    """id -> article, fetching the corpus first if it is not there."""
    if not CORPUS.exists() and fetch:
        # benches/scraped/fetch.py, loaded under its own name: it imports
        # benches/corpus/fetch.py as `fetch`, which a plain `import fetch`
        # here would shadow.
        import importlib.util
        spec = importlib.util.spec_from_file_location(
            "scraped_fetch", ROOT / "benches" / "scraped" / "fetch.py")
        scraped_fetch = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(scraped_fetch)
        scraped_fetch.ensure_corpus(CORPUS)
    docs = {}
    with CORPUS.open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            docs[d["id"]] = d
    return docs


def is_held_out(a: str, b: str) -> bool:
    """sha256 of "A<TAB>B" (ids as numbers, smaller first) modulo 4 == 0: about
    a quarter of the pairs, fixed by the ids alone (the rule of
    benches/scraped/common.py)."""
    a, b = sorted((a, b), key=lambda s: (int(s) if s.isdigit() else 0, s))
    h = hashlib.sha256(f"{a}\t{b}".encode()).digest()
    return int.from_bytes(h[:8], "big") % 4 == 0


@dataclass
class Quote:
    qid: str            # a1, b3, ...: a or b, then the number on that side
    start: int          # byte offsets of the words inside the marks
    end: int
    head: str           # the quote's first words, to check the offsets
    speech: bool        # real speech (False: scare quotes, titles, terms)
    speakers: list      # canonical name first, then acceptable variants; [] = the text does not say
    named: str          # one of NAMED
    pair: list          # acceptable counterpart qids on the other side, "none" among them if
                        # no counterpart is acceptable too; [] = no counterpart

    @property
    def side(self) -> str:
        return self.qid[0]


@dataclass
class Pair:
    a: str
    b: str
    note: str = ""
    quotes: list = field(default_factory=list)

    def side(self, s: str) -> list:
        return [q for q in self.quotes if q.side == s]

    held_out: bool = False  # set by load_annotations (mark_held_out)


def _list(s: str) -> list:
    return [] if s == "-" else [x.strip() for x in s.split("|") if x.strip()]


def load_annotations(path: Path = ANNOTATIONS, all_held_out: bool = False) -> list[Pair]:
    """The TSV described in README.md: '#' comments, 'pair A B note' lines,
    then one line per quote. `all_held_out`: every pair is held out (a file
    that is a held-out part as a whole), instead of the hash rule."""
    pairs: list[Pair] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split("\t")
        if f[0] == "pair":
            pairs.append(Pair(f[1], f[2], f[3] if len(f) > 3 else ""))
            continue
        if len(f) != 9 or not pairs:
            raise SystemExit(f"{path}:{n}: expected 9 tab-separated fields after a 'pair' line")
        qid, start, end, head, kind, speakers, named, pair = f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]
        if kind not in ("speech", "other") or named not in NAMED:
            raise SystemExit(f"{path}:{n}: kind must be speech|other and named one of {NAMED}")
        pairs[-1].quotes.append(Quote(qid, int(start), int(end), head, kind == "speech",
                                      _list(speakers), named, _list(pair.replace(",", "|"))))
        # f[8]: free note
    if all_held_out:
        for p in pairs:
            p.held_out = True
    else:
        mark_held_out(pairs)
    return pairs


def mark_held_out(pairs: list[Pair]) -> None:
    """A pair is held out when it and every pair that shares an article with it
    (directly or through other pairs) are held out by is_held_out: so that no
    article of the held-out part is also read in the tuning part. A pair added
    later can only move held-out pairs to the tuning part, never tuned pairs
    into the held-out part."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for p in pairs:
        parent[find(p.a)] = find(p.b)
    tuned = {find(p.a) for p in pairs if not is_held_out(p.a, p.b)}
    for p in pairs:
        p.held_out = find(p.a) not in tuned


def check(pairs: list[Pair], docs: dict[str, dict]) -> list[str]:
    """Annotation errors: offsets that do not start with the head snippet,
    unknown counterparts, one-sided pairings."""
    errs = []
    for p in pairs:
        ids = {q.qid for q in p.quotes}
        for q in p.quotes:
            text = docs[p.a if q.side == "a" else p.b]["text"].encode("utf-8")
            got = text[q.start:q.end].decode("utf-8", "replace")
            if not got.startswith(q.head):
                errs.append(f"{p.a}/{p.b} {q.qid}: text at {q.start} is {got[:40]!r}, not {q.head!r}")
            for c in q.pair:
                if c != "none" and (c not in ids or c[0] == q.side):
                    errs.append(f"{p.a}/{p.b} {q.qid}: counterpart {c} unknown")
                elif c != "none" and q.qid not in next(x for x in p.quotes if x.qid == c).pair:
                    errs.append(f"{p.a}/{p.b} {q.qid}: counterpart {c} does not name {q.qid} back")
    return errs
