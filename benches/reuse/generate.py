#!/usr/bin/env python3
"""Generate rewritten versions of real wire stories, with a gold label for
every word of the rewrite, for scoring `neardiff compare`.

Input: Reuters-21578 bodies in ``benches/data/raw/reuters.jsonl`` (written
by ``benches/corpus/fetch.py``). Output (git-ignored, never committed):
``benches/data/reuse/tuning.jsonl`` and ``benches/data/reuse/heldout.jsonl``,
and the same articles as sources in two versions in
``versions-tuning.jsonl`` and ``versions-heldout.jsonl`` (with
``"a_versions": [first take, update]`` and ``"a"`` the update), one pair a
line::

    {"id": "reuters-123", "a": "<wire text as sent>", "b": "<rewrite>",
     "ops": {"verbatim": 3, ...},
     "gold": [[start, end, "verbatim" | "rewritten" | "new"], ...]}

``gold`` gives every whitespace-separated token of ``b`` that has a letter
or digit, as UTF-8 byte offsets into ``b``.

A (the source) is the wire story exactly as Reuters sent it: hard-wrapped
lines, indented paragraphs, ``<Company>`` marks. B is written the way a
journalist rewrites wire copy, sentence by sentence (see README.md for the
operations and what each word's label means). Everything is drawn from one
``random.Random`` per article seeded with ``--seed`` and the article id, so
the output is the same on every run and does not depend on which other
articles were chosen. Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data"

# Word substitutions of the kind sub-editors make to wire copy (spelled-out
# abbreviations, synonyms, tense and register). Keys are lower case; the
# first letter's case is carried over.
SUBSTITUTES = {
    "said": ["stated", "added", "noted", "told reporters"],
    "says": ["states", "notes"],
    "mln": ["million"],
    "dlrs": ["dollars", "U.S. dollars"],
    "pct": ["percent", "per cent"],
    "billion": ["bln"],
    "rose": ["climbed", "increased", "went up"],
    "fell": ["dropped", "declined", "slipped"],
    "increase": ["rise", "gain"],
    "increased": ["raised", "lifted"],
    "decrease": ["decline", "drop"],
    "company": ["firm", "group"],
    "companies": ["firms"],
    "shares": ["stock"],
    "share": ["stock"],
    "would": ["will", "could"],
    "will": ["would", "is set to"],
    "expected": ["forecast", "predicted"],
    "expects": ["forecasts", "anticipates"],
    "reported": ["posted", "announced"],
    "profit": ["earnings", "profits"],
    "profits": ["earnings"],
    "also": ["in addition"],
    "about": ["around", "roughly", "some"],
    "approximately": ["about", "around"],
    "government": ["administration", "authorities"],
    "officials": ["sources", "representatives"],
    "official": ["source", "spokesman"],
    "spokesman": ["representative", "official"],
    "agreed": ["consented", "decided"],
    "agreement": ["deal", "accord"],
    "plans": ["intends", "aims"],
    "plan": ["proposal", "scheme"],
    "buy": ["acquire", "purchase"],
    "bought": ["acquired", "purchased"],
    "sell": ["dispose of", "offload"],
    "sold": ["disposed of", "offloaded"],
    "year": ["twelve months"],
    "quarter": ["three months"],
    "since": ["from"],
    "because": ["as", "since"],
    "however": ["but", "nevertheless"],
    "but": ["however", "though"],
    "large": ["big", "sizeable"],
    "small": ["modest", "minor"],
    "major": ["big", "leading"],
    "total": ["overall", "combined"],
    "new": ["fresh"],
    "told": ["informed"],
    "week": ["seven days"],
    "month": ["four weeks"],
    "tonnes": ["metric tons", "tons"],
    "production": ["output"],
    "prices": ["rates", "levels"],
    "price": ["cost", "rate"],
    "market": ["sector"],
    "trade": ["commerce"],
    "loss": ["deficit", "shortfall"],
    "vs": ["against", "compared with"],
    "inc": ["incorporated"],
    "corp": ["corporation"],
    "co": ["company"],
    "ltd": ["limited"],
    "announced": ["revealed", "disclosed"],
    "help": ["assist", "aid"],
    "due": ["expected", "scheduled"],
    "under": ["below"],
    "more": ["further"],
    "first": ["opening", "initial"],
    "last": ["previous", "past"],
    "higher": ["greater", "increased"],
    "lower": ["reduced", "smaller"],
    "told": ["informed"],
}

# Frames a journalist builds around a copied clause.
FRAMES = [
    ("According to people familiar with the matter,", ""),
    ("Analysts noted that", ""),
    ("It emerged on Tuesday that", ""),
    ("In a move welcomed by traders,", ""),
    ("Observers point out that", ""),
    ("As one banker put it,", ""),
    ("Not everyone agrees:", ""),
    ("", "- a point stressed repeatedly in recent days."),
    ("", ", sources close to the talks suggested."),
    ("Industry watchers believe", ""),
    ("The figures suggest", ""),
    ("What is clear is that", ""),
]

LOWER_AFTER_FRAME = {"the", "he", "she", "it", "they", "a", "an", "this", "in", "its", "their"}

CONNECTIVES = [", and", "; meanwhile", ", while", "- and", ", as"]

WORD_RE = re.compile(r"\w", re.UNICODE)


def has_word(tok: str) -> bool:
    return bool(WORD_RE.search(tok))


def sentences_of(text: str) -> list[list[str]]:
    """Sentences of a wire story as token lists: paragraphs are indented
    lines, lines inside a paragraph are hard-wrapped."""
    paras = re.split(r"\n\s*\n|\n(?=[ \t]+)", text)
    out = []
    for p in paras:
        flat = " ".join(p.split())
        if not flat:
            continue
        for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"(<])", flat):
            toks = s.split()
            if sum(has_word(t) for t in toks) >= 3:
                out.append(toks)
    return out


def clauses_of(toks: list[str]) -> list[list[str]]:
    """Clauses: token runs ended by a comma, semicolon or colon."""
    out, cur = [], []
    for t in toks:
        cur.append(t)
        if t.endswith((",", ";", ":")):
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def strip_end(tok: str) -> str:
    return tok.rstrip(",;:.")


def capitalise(tok: str) -> str:
    for i, c in enumerate(tok):
        if c.isalpha():
            return tok[:i] + c.upper() + tok[i + 1:]
        if c.isdigit():
            return tok
    return tok


def same_case(src: str, word: str) -> str:
    core = src.lstrip("<\"(+")
    if core[:1].isupper():
        return word[0].upper() + word[1:]
    return word


class Writer:
    """Builds B as labelled tokens."""

    def __init__(self):
        self.sentences: list[list[tuple[str, str]]] = []

    def add(self, toks: list[tuple[str, str]]):
        toks = [t for t in toks if t[0]]
        if not toks:
            return
        # Capitalise the first word and end with one full stop.
        first, lab = toks[0]
        toks[0] = (capitalise(first), lab)
        last, lab = toks[-1]
        core = strip_end(last) if has_word(strip_end(last)) else last
        toks[-1] = (core + ".", lab)
        self.sentences.append(toks)


def labelled(toks, label):
    return [(t, label) for t in toks]


def paraphrase(toks, rng):
    out = []
    changed = 0
    for i, t in enumerate(toks):
        m = re.fullmatch(r"([<\"(+]*)([A-Za-z]+)([^A-Za-z]*)", t)
        if m and m.group(2).lower() in SUBSTITUTES and rng.random() < 0.7:
            pre, core, post = m.groups()
            sub = rng.choice(SUBSTITUTES[core.lower()])
            sub = same_case(core, sub)
            words = sub.split()
            words[0] = pre + words[0]
            words[-1] = words[-1] + post
            out.extend((w, "rewritten") for w in words)
            changed += 1
        elif has_word(t) and len(toks) > 8 and rng.random() < 0.04 and 0 < i < len(toks) - 1:
            changed += 1  # trimmed word
        else:
            out.append((t, "verbatim"))
    # The attribution moved to the front: "X, he said." -> "He said X."
    if out and len(out) > 6:
        tail = [t for t, _ in out[-2:]]
        if strip_end(tail[-1]).lower() in ("said", "stated", "added") and out[-3][0].endswith(","):
            speaker = out[-2:]
            body = out[:-2]
            body[-1] = (strip_end(body[-1][0]), body[-1][1])
            sp = [(strip_end(w), lab) for w, lab in speaker]
            out = sp + [("that", "rewritten")] + [(body[0][0][:1].lower() + body[0][0][1:] if body[0][0][1:2].islower() else body[0][0], body[0][1])] + body[1:]
            changed += 1
    return out, changed > 0


def fragment(toks, cl, rng):
    """A clause of at least five words, or a window of five to fourteen
    words of a longer sentence; None when the sentence is too short."""
    long_cl = [c for c in cl if sum(has_word(t) for t in c) >= 5]
    if long_cl and len(cl) > 1 and rng.random() < 0.5:
        c = list(rng.choice(long_cl))
    elif len(toks) >= 8:
        n = rng.randint(5, min(14, len(toks) - 2))
        at = rng.randint(0, len(toks) - n)
        c = list(toks[at:at + n])
    else:
        return None
    c[-1] = strip_end(c[-1])
    c = [t for t in c if t]
    return c if sum(has_word(t) for t in c) >= 5 else None


def rewrite(doc, others, rng):
    """One rewrite of a wire story: labelled tokens by sentence, and counts
    of the operations used."""
    return rewrite_sents(sentences_of(doc["text"]), others, rng)


def rewrite_sents(sents, others, rng):
    """One rewrite of the source sentences `sents` (token lists)."""
    ops = {}
    w = Writer()

    def count(op):
        ops[op] = ops.get(op, 0) + 1

    i = 0
    while i < len(sents):
        s = sents[i]
        cl = clauses_of(s)
        r = rng.random()
        if i == 0 and r < 0.12:
            r = 0.5  # keep the lead
        if r < 0.10:
            count("dropped")
        elif r < 0.28:
            w.add(labelled(s, "verbatim"))
            count("verbatim")
        elif r < 0.50:
            toks, ok = paraphrase(s, rng)
            w.add(toks)
            count("paraphrased" if ok else "verbatim")
        elif r < 0.58 and len(cl) >= 2:
            # Trimmed: the first or last clause left out.
            keep = cl[1:] if rng.random() < 0.5 else cl[:-1]
            w.add(labelled([t for c in keep for t in c], "verbatim"))
            count("trimmed")
        elif r < 0.66 and len(cl) >= 2:
            # Split at a clause boundary into two sentences.
            cut = rng.randrange(1, len(cl))
            first = [t for c in cl[:cut] for t in c]
            second = [t for c in cl[cut:] for t in c]
            if second and strip_end(second[0]).lower() in ("and", "but", "while", "which"):
                second = second[1:]
            w.add(labelled(first, "verbatim"))
            w.add(labelled(second, "verbatim"))
            count("split")
        elif r < 0.73 and i + 1 < len(sents):
            # Merged with the next sentence.
            nxt = sents[i + 1]
            first = list(s)
            first[-1] = strip_end(first[-1])
            conn = rng.choice(CONNECTIVES)
            con = [(c, "rewritten") for c in conn.lstrip(",; ").split()]
            if conn.startswith((",", ";")):
                first[-1] += conn[0]
            second = list(nxt)
            if second[0][:1].isupper() and second[0][1:2].islower() and second[0].lower() in ("the", "it", "this", "he", "she", "they", "in", "a", "but", "however,"):
                second[0] = second[0].lower()
            w.add(labelled(first, "verbatim") + con + labelled(second, "verbatim"))
            count("merged")
            i += 1
        else:
            # Copied words inside a new sentence: a clause or a phrase of
            # five to fourteen words, sometimes with a phrase of the next
            # sentence too (one new sentence drawing on two).
            frag = fragment(s, cl, rng)
            if frag is None:
                w.add(labelled(s, "verbatim"))
                count("verbatim")
            else:
                parts = [frag]
                if i + 1 < len(sents) and rng.random() < 0.35:
                    nxt = sents[i + 1]
                    frag2 = fragment(nxt, clauses_of(nxt), rng)
                    if frag2 is not None:
                        parts.append(frag2)
                        i += 1
                if rng.random() < 0.5:
                    pre, post = rng.choice(FRAMES)
                    pre_t = pre.split()
                    post_t = post.split()
                else:
                    # A fragment of another story's sentence.
                    o = rng.choice(others)
                    n = rng.randint(3, 7)
                    pre_t = [strip_end(t) for t in o[:n]] if len(o) > n else []
                    if pre_t:
                        pre_t[-1] += ","
                    post_t = []
                c = parts[0]
                if pre_t and c[0].lower() in LOWER_AFTER_FRAME:
                    c[0] = c[0].lower()
                toks = labelled(pre_t, "new") + labelled(c, "verbatim")
                for extra in parts[1:]:
                    toks += labelled([rng.choice(["and", "while", "as", "with"])], "new")
                    if extra[0].lower() in LOWER_AFTER_FRAME:
                        extra[0] = extra[0].lower()
                    toks += labelled(extra, "verbatim")
                toks += labelled(post_t, "new")
                w.add(toks)
                count("embedded")
        i += 1
    # New sentences from other stories.
    for _ in range(rng.randint(1, 3)):
        o = rng.choice(others)
        at = rng.randint(1, max(1, len(w.sentences)))
        w2 = Writer()
        w2.add(labelled(o, "new"))
        w.sentences[at:at] = w2.sentences
        count("new")
    # Reordering: a sentence or two moved elsewhere (never the lead).
    if len(w.sentences) > 3 and rng.random() < 0.5:
        for _ in range(rng.randint(1, 2)):
            src = rng.randrange(1, len(w.sentences))
            s = w.sentences.pop(src)
            w.sentences.insert(rng.randrange(1, len(w.sentences) + 1), s)
            count("moved")
    return w.sentences, ops


def render(sentences, rng):
    """B text (paragraphs of one to three sentences) and the gold labels as
    byte offsets."""
    out = bytearray()
    gold = []
    k = 0
    while k < len(sentences):
        if out:
            out += b"\n\n"
        n = rng.randint(1, 3)
        for si, s in enumerate(sentences[k:k + n]):
            if si:
                out += b" "
            for ti, (tok, lab) in enumerate(s):
                if ti:
                    out += b" "
                bt = tok.encode()
                if has_word(tok):
                    gold.append([len(out), len(out) + len(bt), lab])
                out += bt
        k += n
    return out.decode(), gold


def wire_text(sents, rng):
    """Sentences as wire copy: paragraphs of one or two sentences, each
    opened by an indented line, hard-wrapped at 60 to 72 characters."""
    width = rng.randint(60, 72)
    paras = []
    k = 0
    while k < len(sents):
        n = rng.randint(1, 2)
        lines, cur = [], "    "
        for t in (t for s in sents[k:k + n] for t in s):
            if cur.strip() and len(cur) + 1 + len(t) > width:
                lines.append(cur)
                cur = t
            else:
                cur += (" " if cur.strip() else "") + t
        lines.append(cur)
        paras.append("\n".join(lines))
        k += n
    return "\n".join(paras) + "\n"


def versions(doc, new_material, others, rng):
    """A source in two versions and a rewrite drawing on both.

    Version 1 is the first take: the first 45-70% of the story's sentences.
    Version 2 is the update: the lead reworded (as `paraphrase` rewords),
    one or two sentences of new material after it, the rest of the story,
    and one sentence of the first take (not its lead) left out. B is
    written, as `rewrite` writes it, from one of the two leads, the new
    material, and every other sentence of the story, the left-out one
    included: so B has words that only version 1 has and words that only
    version 2 has. Both versions are wire copy (`wire_text`)."""
    sents = sentences_of(doc["text"])
    k = max(3, round(len(sents) * rng.uniform(0.45, 0.7)))
    v1 = sents[:k]
    lead2 = [t for t, _ in paraphrase(sents[0], rng)[0]]
    gone = rng.randrange(1, k)
    new = [new_material[rng.randrange(len(new_material))] for _ in range(rng.randint(1, 2))]
    v2 = [lead2] + new + [x for i, x in enumerate(sents) if i and i != gone]
    lead = sents[0] if rng.random() < 0.5 else lead2
    sents_b, ops = rewrite_sents([lead] + new + sents[1:], others, rng)
    ops["lead from version 1" if lead is sents[0] else "lead from version 2"] = 1
    return [wire_text(v1, rng), wire_text(v2, rng)], sents_b, ops


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--seed", type=int, default=24)
    ap.add_argument("--articles", type=int, default=240)
    ap.add_argument("--min-words", type=int, default=150)
    ap.add_argument("--max-words", type=int, default=900)
    args = ap.parse_args()

    docs = [json.loads(l) for l in open(args.data / "raw" / "reuters.jsonl", encoding="utf-8")]
    seen = set()
    pool = []
    for d in docs:
        n = len(d["text"].split())
        key = " ".join(d["text"].split()[:40])
        if args.min_words <= n <= args.max_words and key not in seen and len(sentences_of(d["text"])) >= 5:
            seen.add(key)
            pool.append(d)

    def h(s):
        return hashlib.sha256(f"{args.seed}:{s}".encode()).hexdigest()

    pool.sort(key=lambda d: h(d["id"]))
    chosen = pool[:args.articles]
    # Donors of new sentences: stories that were not chosen.
    donors = [s for d in pool[args.articles:args.articles + 2000] for s in sentences_of(d["text"])]
    out_dir = args.data / "reuse"
    out_dir.mkdir(parents=True, exist_ok=True)
    n_held = len(chosen) // 4
    splits = {"heldout": chosen[:n_held], "tuning": chosen[n_held:]}
    for name, part in splits.items():
        with open(out_dir / f"{name}.jsonl", "w", encoding="utf-8") as f:
            for d in sorted(part, key=lambda d: d["id"]):
                rng = random.Random(h(d["id"]))
                others = [donors[rng.randrange(len(donors))] for _ in range(20)]
                sents, ops = rewrite(d, others, rng)
                b, gold = render(sents, rng)
                f.write(json.dumps({"id": d["id"], "a": d["text"], "b": b, "ops": ops, "gold": gold}) + "\n")
        print(f"[generate] {name}: {len(part)} pairs -> {out_dir / (name + '.jsonl')}")
    # The same articles, split alike, as sources in two versions. Their
    # own random stream per article (so the pairs above are unchanged);
    # new material and new sentences come from two halves of the donors,
    # so that B's new sentences are never in an update.
    half = len(donors) // 2
    for name, part in splits.items():
        path = out_dir / f"versions-{name}.jsonl"
        with open(path, "w", encoding="utf-8") as f:
            for d in sorted(part, key=lambda d: d["id"]):
                rng = random.Random(h("versions:" + d["id"]))
                others = [donors[rng.randrange(half)] for _ in range(20)]
                vs, sents, ops = versions(d, donors[half:], others, rng)
                b, gold = render(sents, rng)
                f.write(json.dumps({"id": d["id"], "a": vs[-1], "a_versions": vs, "b": b,
                                    "ops": ops, "gold": gold}) + "\n")
        print(f"[generate] versions-{name}: {len(part)} pairs -> {path}")


if __name__ == "__main__":
    main()
