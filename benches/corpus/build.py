#!/usr/bin/env python3
"""Build a reproducible large news corpus for the dedup benchmark from the
real articles fetched by fetch.py.

Structure of the output (``--size N`` articles, shuffled):

* untouched originals: real articles as they are (all 22,831 of them at
  1,000,000 articles; 10% of N for small N);
* copies: rewrites of a few thousand *seed* articles (a random subset of the
  originals). Cluster sizes follow a clipped log-normal distribution, so a
  few stories are copied thousands of times and many only a handful of
  times. Each copy gets an edit intensity and a seeded list of realistic
  edits:

  - ``exact``: layout only (re-wrapped lines, curly quotes and dashes,
    changed case) plus, often, outlet boilerplate (byline, dateline,
    "Reporting by ...; Editing by ...", newsletter or copyright footer);
  - ``light``: boilerplate plus one or two small edits (drop, insert or move
    one sentence, substitute a few words, trim the end);
  - ``medium``: two or three larger edits (drop 10-25% of the sentences,
    substitute 3-8% of the words, insert sentences from other articles,
    truncate to 60-85%, append part of another story);
  - ``heavy``: three or four strong edits (drop 30-50%, substitute 10-25%,
    truncate to 30-60%, combine with a large part of another story). Many of
    these fall below any useful Jaccard threshold on purpose.

Ground truth goes to ``FILE.truth.jsonl`` (one line per output article, in
the same order: id, kind, seed id, intensity, list of edits with their
parameters) and a summary to ``FILE.meta.json``.

Deterministic for a given ``--seed`` and input, whatever ``--workers``: every
output article is generated from its own RNG, seeded with the corpus seed and
the article's position.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import random
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAW = HERE.parent / "data" / "raw"

# --------------------------------------------------------------------------
# Vocabulary for edits (written for this benchmark).

OUTLETS = [
    "Riverside Gazette", "The Morning Ledger", "Harbor City Times", "Northern Courier",
    "Valley Tribune", "Metro Daily", "The Evening Standard-Post", "Coastal Herald",
    "Capital Observer", "Plains Chronicle", "Lakeshore News", "The Daily Signal Fire",
    "Summit Register", "Eastbridge Journal", "Global Wire Digest", "Market Watchtower",
    "The Continental", "Westfield Examiner", "Bay Area Dispatch", "Highland Sentinel",
    "The Commerce Bulletin", "Midland Post", "Union Press", "Southern Monitor",
    "The Weekly Review", "Newsroom 24", "Finance Today", "World Briefing",
    "The Independent Record", "Citywire Online", "Pacific Mail", "Atlantic Reporter",
]
FIRST = ["Anna", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "James",
         "Kofi", "Laura", "Marek", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tomas",
         "Uma", "Victor", "Wen", "Yusuf", "Zoe", "Peter", "Maria", "Chen", "Sofia", "Luca"]
LAST = ["Adams", "Brandt", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Hughes", "Ivanov",
        "Jensen", "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Patel", "Quinlan",
        "Rossi", "Schmidt", "Tanaka", "Usman", "Varga", "Walsh", "Xu", "Yilmaz", "Zimmer",
        "O'Brien", "Novak", "Silva", "Berg"]
CITIES = ["LONDON", "NEW YORK", "WASHINGTON", "TOKYO", "FRANKFURT", "PARIS", "SYDNEY",
          "HONG KONG", "CHICAGO", "BRUSSELS", "SINGAPORE", "TORONTO", "MOSCOW", "DUBAI"]
BYLINES = [
    "By {name}, {outlet}",
    "By {name}",
    "{name} | {outlet}",
    "{outlet} staff and agencies",
    "By {name} and {name2}",
    "Written by {name}. Edited by {name2}.",
]
DATELINES = ["{city} ({outlet}) -", "{city}, {month} {day} -", "{city} -"]
SIGNOFFS = [
    "Reporting by {name}; Editing by {name2}",
    "Reporting by {name} in {city}; Additional reporting by {name2}; Editing by {name3}",
    "({outlet} reporting by {name}; writing by {name2})",
    "Compiled by {name} for {outlet}.",
]
FOOTERS = [
    "Sign up for the {outlet} morning newsletter to get the day's top stories delivered "
    "to your inbox. You can unsubscribe at any time.",
    "Copyright {year} {outlet}. All rights reserved. This material may not be published, "
    "broadcast, rewritten or redistributed.",
    "Follow {outlet} on social media for the latest updates. Have a news tip? Contact our "
    "newsroom.",
    "Related coverage: read more from our business desk and market analysis section on "
    "{outlet}.",
    "This article was produced with the help of wire services. {outlet} is not responsible "
    "for the content of external sites.",
    "Our standards: the {outlet} trust principles. Subscribe now for unlimited access to "
    "award-winning journalism.",
]
MONTH_NAMES = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct",
               "Nov", "Dec"]

SYNONYMS = {
    "said": ["stated", "told reporters", "added", "noted", "announced"],
    "says": ["states", "notes", "claims"],
    "rose": ["increased", "climbed", "gained", "advanced"],
    "fell": ["dropped", "declined", "slipped", "decreased"],
    "rise": ["increase", "gain", "climb"],
    "fall": ["drop", "decline", "slide"],
    "big": ["large", "major", "significant"],
    "large": ["big", "sizeable", "substantial"],
    "small": ["minor", "modest", "slight"],
    "company": ["firm", "group", "business"],
    "companies": ["firms", "groups", "businesses"],
    "government": ["administration", "authorities", "cabinet"],
    "officials": ["authorities", "representatives", "sources"],
    "official": ["spokesman", "representative", "source"],
    "expected": ["forecast", "anticipated", "projected"],
    "agreed": ["consented", "decided"],
    "buy": ["purchase", "acquire"],
    "bought": ["purchased", "acquired"],
    "sell": ["divest", "offload"],
    "sold": ["divested", "offloaded"],
    "plans": ["intends", "aims"],
    "plan": ["proposal", "scheme", "programme"],
    "increase": ["rise", "hike", "boost"],
    "decrease": ["cut", "reduction", "drop"],
    "shares": ["stock", "stocks", "equity"],
    "profit": ["earnings", "income", "net"],
    "loss": ["deficit", "shortfall"],
    "talks": ["negotiations", "discussions"],
    "meeting": ["session", "gathering", "summit"],
    "president": ["head", "leader", "chief"],
    "minister": ["secretary", "official"],
    "country": ["nation", "state"],
    "people": ["citizens", "residents", "individuals"],
    "week": ["seven days"],
    "month": ["four weeks"],
    "today": ["on the day", "this morning"],
    "yesterday": ["the previous day", "a day earlier"],
    "about": ["around", "roughly", "approximately"],
    "also": ["additionally", "further", "as well"],
    "but": ["however", "yet", "though"],
    "because": ["as", "since", "given that"],
    "however": ["but", "nonetheless", "still"],
    "important": ["key", "crucial", "significant"],
    "new": ["fresh", "latest", "recent"],
    "market": ["sector", "exchange", "trading"],
    "prices": ["costs", "rates", "quotes"],
    "price": ["cost", "rate", "quote"],
    "help": ["assist", "support", "aid"],
    "show": ["indicate", "demonstrate", "reveal"],
    "showed": ["indicated", "demonstrated", "revealed"],
    "begin": ["start", "commence"],
    "began": ["started", "commenced"],
    "end": ["close", "conclusion", "finish"],
    "ended": ["closed", "concluded", "finished"],
    "total": ["overall", "combined", "aggregate"],
    "major": ["leading", "main", "principal"],
    "strong": ["robust", "solid", "firm"],
    "weak": ["soft", "poor", "sluggish"],
    "high": ["elevated", "steep", "lofty"],
    "low": ["depressed", "modest", "reduced"],
    "year": ["twelve months"],
    "killed": ["slain", "left dead"],
    "attack": ["assault", "strike", "raid"],
    "police": ["officers", "authorities", "law enforcement"],
    "city": ["town", "municipality"],
    "group": ["organisation", "body", "faction"],
    "support": ["backing", "endorsement"],
    "warned": ["cautioned", "alerted"],
    "told": ["informed", "said to"],
    "reported": ["disclosed", "posted", "recorded"],
    "announced": ["unveiled", "declared", "revealed"],
    "during": ["in the course of", "amid", "throughout"],
    "after": ["following", "in the wake of"],
    "before": ["ahead of", "prior to"],
    "many": ["numerous", "several", "a number of"],
    "most": ["the majority of", "nearly all"],
    "some": ["certain", "several", "a few"],
    "very": ["highly", "extremely", "quite"],
    "million": ["mln"],
    "mln": ["million"],
    "billion": ["bln"],
    "bln": ["billion"],
    "pct": ["percent", "per cent"],
    "percent": ["pct", "per cent"],
    "dlrs": ["dollars"],
    "vs": ["versus", "against"],
}

_ABBREV = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "inc", "co", "corp", "ltd", "u.s", "u.k",
           "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
           "no", "gen", "gov", "sen", "rep", "prof", "vs", "e.g", "i.e", "mt", "ft", "bros"}
_SENT_SPLIT = re.compile(r"([.!?][\"'”’)]?)\s+(?=[\"“'(]?[A-Z0-9])")
_WS = re.compile(r"\s+")
_TOKEN_CORE = re.compile(r"^([^\w]*)([A-Za-z]+)([^\w]*)$")


def split_paragraphs(text: str) -> list[str]:
    # Blank lines, or Reuters-style indented first lines, start a paragraph.
    parts = re.split(r"\n\s*\n|\n(?=[ \t]{2,}\S)", text)
    return [p for p in (_WS.sub(" ", x).strip() for x in parts) if p]


def split_sentences(par: str) -> list[str]:
    pieces = []
    start = 0
    for m in _SENT_SPLIT.finditer(par):
        pieces.append(par[start:m.end(1)].strip())
        start = m.end()
    pieces.append(par[start:].strip())
    out: list[str] = []
    for p in pieces:
        if not p:
            continue
        if out:
            last = out[-1].rsplit(" ", 1)[-1].rstrip(".").lower()
            if last in _ABBREV or (len(last) == 1 and last.isalpha()):
                out[-1] = out[-1] + " " + p
                continue
        out.append(p)
    return out


def structure(text: str) -> list[list[str]]:
    """An article as paragraphs of sentences."""
    return [s for s in (split_sentences(p) for p in split_paragraphs(text)) if s]


# --------------------------------------------------------------------------
# State shared with worker processes (inherited on fork).

POOL: list[dict] = []          # real articles
STRUCT: list[list[list[str]]] = []  # their paragraphs of sentences
VOCAB: list[str] = []          # corpus words for random substitutions
ALL_SENTENCES: list[tuple[int, int, int]] = []  # (doc, par, sent) for insertions
CONF: dict = {}


def load_pool(raw: Path) -> None:
    global POOL, STRUCT, VOCAB, ALL_SENTENCES
    pool = []
    for name in ("reuters.jsonl", "newsarticles.jsonl"):
        with open(raw / name, encoding="utf-8") as f:
            pool.extend(json.loads(line) for line in f)
    POOL = pool
    STRUCT = [structure(d["text"]) for d in pool]
    vocab = []
    for d in pool[::7]:
        vocab.extend(w for w in d["text"].split() if w.isalpha() and w.islower() and len(w) >= 3)
    VOCAB = vocab
    ALL_SENTENCES = [(i, pi, si) for i, st in enumerate(STRUCT) for pi, p in enumerate(st)
                     for si, s in enumerate(p) if len(s.split()) >= 6]


def n_words(doc: list[list[str]]) -> int:
    return sum(len(s.split()) for p in doc for s in p)


def n_sents(doc: list[list[str]]) -> int:
    return sum(len(p) for p in doc)


def flat(doc):
    return [(pi, si) for pi, p in enumerate(doc) for si in range(len(p))]


# --------------------------------------------------------------------------
# Edits: each takes (rng, doc, ctx) and returns (doc, record).

def person(rng):
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def fill(rng, template, ctx):
    return template.format(name=person(rng), name2=person(rng), name3=person(rng),
                           outlet=ctx["outlet"], city=rng.choice(CITIES).title(),
                           month=rng.choice(MONTH_NAMES), day=rng.randint(1, 28),
                           year=rng.randint(1987, 2024))


def e_byline(rng, doc, ctx):
    line = fill(rng, rng.choice(BYLINES), ctx)
    return [[line]] + doc, {"op": "byline", "text": line}


def e_dateline(rng, doc, ctx):
    t = rng.choice(DATELINES).format(city=rng.choice(CITIES), outlet=ctx["outlet"],
                                     month=rng.choice(MONTH_NAMES), day=rng.randint(1, 28))
    doc = [list(p) for p in doc]
    doc[0][0] = f"{t} {doc[0][0]}"
    return doc, {"op": "dateline", "text": t}


def e_signoff(rng, doc, ctx):
    line = fill(rng, rng.choice(SIGNOFFS), ctx)
    return doc + [[line]], {"op": "signoff", "text": line}


def e_footer(rng, doc, ctx):
    line = fill(rng, rng.choice(FOOTERS), ctx)
    return doc + [[line]], {"op": "footer", "text": line}


def e_drop(rng, doc, ctx, frac):
    idx = flat(doc)
    k = min(len(idx) - 1, max(1, round(len(idx) * frac)))
    if k <= 0:
        return doc, None
    gone = set(rng.sample(range(len(idx)), k))
    keep = {idx[i] for i in range(len(idx)) if i not in gone}
    out = [[s for si, s in enumerate(p) if (pi, si) in keep] for pi, p in enumerate(doc)]
    return [p for p in out if p], {"op": "drop_sentences", "n": k, "of": len(idx)}


def e_insert(rng, doc, ctx, n):
    doc = [list(p) for p in doc]
    srcs = []
    for _ in range(n):
        di, pi, si = rng.choice(ALL_SENTENCES)
        s = STRUCT[di][pi][si]
        p = rng.randrange(len(doc))
        doc[p].insert(rng.randint(0, len(doc[p])), s)
        srcs.append(POOL[di]["id"])
    return doc, {"op": "insert_sentences", "n": n, "from": srcs}


def e_reorder(rng, doc, ctx, n):
    doc = [list(p) for p in doc]
    moved = 0
    for _ in range(n):
        idx = flat(doc)
        if len(idx) < 2:
            break
        pi, si = rng.choice(idx)
        s = doc[pi].pop(si)
        doc = [p for p in doc if p] or [[]]
        q = rng.randrange(len(doc))
        doc[q].insert(rng.randint(0, len(doc[q])), s)
        moved += 1
    if len(doc) > 2 and rng.random() < 0.3:
        i = rng.randrange(len(doc) - 1)
        doc[i], doc[i + 1] = doc[i + 1], doc[i]
        return doc, {"op": "reorder", "moved_sentences": moved, "swapped_paragraphs": 1}
    return doc, {"op": "reorder", "moved_sentences": moved}


def _sub_token(rng, tok, use_syn):
    m = _TOKEN_CORE.match(tok)
    if not m:
        return None
    pre, core, post = m.groups()
    low = core.lower()
    if use_syn:
        alts = SYNONYMS.get(low)
        if not alts:
            return None
        new = rng.choice(alts)
    else:
        new = rng.choice(VOCAB)
    if core[0].isupper():
        new = new[0].upper() + new[1:]
    return pre + new + post


def e_substitute(rng, doc, ctx, frac):
    doc = [list(p) for p in doc]
    toks = [(pi, si, s.split(" ")) for pi, p in enumerate(doc) for si, s in enumerate(p)]
    positions = [(t, j) for t, (_, _, ws) in enumerate(toks) for j in range(len(ws))]
    if not positions:
        return doc, None
    want = max(1, round(len(positions) * frac))
    rng.shuffle(positions)
    done_syn = done_rand = 0
    for t, j in positions:
        if done_syn + done_rand >= want:
            break
        ws = toks[t][2]
        use_syn = rng.random() < 0.6
        new = _sub_token(rng, ws[j], use_syn)
        if new is None and use_syn:
            new = _sub_token(rng, ws[j], False)
            use_syn = False
        if new is None:
            continue
        ws[j] = new
        if use_syn:
            done_syn += 1
        else:
            done_rand += 1
    for pi, si, ws in toks:
        doc[pi][si] = " ".join(ws)
    return doc, {"op": "substitute_words", "synonyms": done_syn, "random_words": done_rand,
                 "of": len(positions)}


def e_truncate(rng, doc, ctx, keep):
    idx = flat(doc)
    k = max(1, math.ceil(len(idx) * keep))
    if k >= len(idx):
        return doc, None
    keep_set = set(idx[:k])
    out = [[s for si, s in enumerate(p) if (pi, si) in keep_set] for pi, p in enumerate(doc)]
    return [p for p in out if p], {"op": "truncate", "kept_sentences": k, "of": len(idx)}


def e_combine(rng, doc, ctx, frac):
    other = rng.randrange(len(POOL))
    src = STRUCT[other]
    sents = [s for p in src for s in p]
    if not sents:
        return doc, None
    k = max(1, round(len(sents) * frac))
    start = rng.randrange(0, len(sents) - k + 1)
    chunk = sents[start:start + k]
    where = "append" if rng.random() < 0.75 else "prepend"
    doc = doc + [chunk] if where == "append" else [chunk] + doc
    return doc, {"op": "combine", "with": POOL[other]["id"], "sentences": k, "where": where}


_CURLY = str.maketrans({"'": "’"})


def e_typography(rng, doc, ctx):
    out = []
    for p in doc:
        q = []
        for s in p:
            s = s.translate(_CURLY)
            s = re.sub(r'"([^"]*)"', "“\\1”", s)
            s = s.replace(" - ", " — ").replace("--", "–")
            q.append(s)
        out.append(q)
    if rng.random() < 0.3 and out and out[0]:
        out[0][0] = out[0][0].upper()
    return out, {"op": "typography"}


BOILERPLATE = [(e_byline, 0.35), (e_dateline, 0.25), (e_signoff, 0.3), (e_footer, 0.3)]


def choose_edits(rng, intensity):
    """The list of (function, kwargs) for one copy."""
    eds = []
    if intensity == "exact":
        pass
    elif intensity == "light":
        menu = [(e_drop, {"frac": rng.uniform(0.02, 0.08)}),
                (e_substitute, {"frac": rng.uniform(0.005, 0.03)}),
                (e_reorder, {"n": 1}),
                (e_insert, {"n": 1}),
                (e_truncate, {"keep": rng.uniform(0.85, 0.97)})]
        eds += rng.sample(menu, rng.randint(1, 2))
    elif intensity == "medium":
        menu = [(e_drop, {"frac": rng.uniform(0.1, 0.25)}),
                (e_substitute, {"frac": rng.uniform(0.03, 0.08)}),
                (e_reorder, {"n": rng.randint(2, 3)}),
                (e_insert, {"n": rng.randint(1, 3)}),
                (e_truncate, {"keep": rng.uniform(0.6, 0.85)}),
                (e_combine, {"frac": rng.uniform(0.1, 0.3)})]
        eds += rng.sample(menu, rng.randint(2, 3))
    else:
        menu = [(e_drop, {"frac": rng.uniform(0.3, 0.5)}),
                (e_substitute, {"frac": rng.uniform(0.1, 0.25)}),
                (e_reorder, {"n": rng.randint(3, 6)}),
                (e_insert, {"n": rng.randint(3, 6)}),
                (e_truncate, {"keep": rng.uniform(0.3, 0.6)}),
                (e_combine, {"frac": rng.uniform(0.4, 0.9)})]
        eds += rng.sample(menu, rng.randint(3, 4))
    rng.shuffle(eds)
    for fn, p in BOILERPLATE:
        if rng.random() < p:
            eds.append((fn, {}))
    if rng.random() < 0.3:
        eds.append((e_typography, {}))
    return eds


def render(rng, doc, original_text, edited):
    if not edited and rng.random() < 0.5:
        return original_text, False
    sep = "\n\n" if rng.random() < 0.7 else "\n"
    return sep.join(" ".join(p) for p in doc), True


def shift_date(date: str, hours: float) -> str:
    import datetime as dt
    try:
        d = dt.datetime.fromisoformat(date)
    except ValueError:
        d = dt.datetime(2000, 1, 1)
    return (d + dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%S")


def title_variant(rng, title, outlet):
    r = rng.random()
    if r < 0.5:
        return title
    if r < 0.65:
        return f"UPDATE {rng.randint(1, 3)}-{title}"
    if r < 0.8:
        return f"{title} | {outlet}"
    return title.title() if title.isupper() else title.upper()


def make_copy(i: int, seed_idx: int, intensity: str) -> tuple[dict, dict]:
    rng = random.Random(f"{CONF['seed']}/{i}")
    src = POOL[seed_idx]
    outlet = rng.choice(OUTLETS)
    ctx = {"outlet": outlet}
    doc = STRUCT[seed_idx]
    records = []
    structural = False
    for fn, kw in choose_edits(rng, intensity):
        new, rec = fn(rng, doc, ctx, **kw)
        if rec is None:
            continue
        doc = new
        records.append(rec)
        structural = True
    text, reflowed = render(rng, doc, src["text"], structural)
    if reflowed and not structural:
        records.insert(0, {"op": "reflow"})
    aid = f"a{i:07d}"
    art = {"id": aid, "outlet": outlet, "date": shift_date(src["date"], rng.uniform(0.25, 96)),
           "title": title_variant(rng, src["title"], outlet), "text": text}
    truth = {"id": aid, "kind": "copy", "seed": src["id"], "intensity": intensity,
             "edits": records}
    return art, truth


def make_chunk(items):
    arts, truths = [], []
    for i, kind, idx, intensity in items:
        if kind == "copy":
            art, tr = make_copy(i, idx, intensity)
        else:
            src = POOL[idx]
            art = {"id": src["id"], "outlet": src["outlet"], "date": src["date"],
                   "title": src["title"], "text": src["text"]}
            tr = {"id": src["id"], "kind": kind, "seed": src["id"], "intensity": None, "edits": []}
        arts.append(json.dumps(art, ensure_ascii=False))
        truths.append(json.dumps(tr, ensure_ascii=False))
    return "\n".join(arts) + "\n", "\n".join(truths) + "\n"


# --------------------------------------------------------------------------
# Planning.

INTENSITIES = [("exact", 0.2), ("light", 0.35), ("medium", 0.25), ("heavy", 0.2)]


def plan(size: int, seed: int, n_seeds: int | None, n_orig: int | None, sigma: float,
         clip: float):
    rng = random.Random(f"{seed}/plan")
    n = len(POOL)
    if n_orig is None:
        n_orig = min(n, max(1, round(size * 0.1)))
    n_orig = min(n_orig, n, size)
    originals = rng.sample(range(n), n_orig)
    eligible = [i for i in originals if n_words(STRUCT[i]) >= 40 and n_sents(STRUCT[i]) >= 3]
    if n_seeds is None:
        n_seeds = min(5000, max(1, size // 200))
    n_seeds = min(n_seeds, len(eligible))
    seeds = rng.sample(eligible, n_seeds)
    n_copies = size - n_orig
    w = [min(rng.lognormvariate(0.0, sigma), clip * math.exp(sigma * sigma / 2))
         for _ in seeds]
    tot = sum(w)
    raw = [n_copies * x / tot for x in w]
    counts = [int(x) for x in raw]
    rest = n_copies - sum(counts)
    for j in sorted(range(len(seeds)), key=lambda j: raw[j] - counts[j], reverse=True)[:rest]:
        counts[j] += 1
    seed_set = set(seeds)
    entries = [("seed" if i in seed_set else "original", i, None) for i in originals]
    names = [x for x, _ in INTENSITIES]
    weights = [p for _, p in INTENSITIES]
    for s, c in zip(seeds, counts):
        for _ in range(c):
            entries.append(("copy", s, rng.choices(names, weights)[0]))
    rng.shuffle(entries)
    return entries, {"originals": n_orig, "seeds": n_seeds, "copies": n_copies,
                     "cluster_sizes": sorted((c + 1 for c in counts), reverse=True)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=1_000_000, help="articles to write (default 1,000,000)")
    ap.add_argument("--seed", type=int, default=42, help="corpus seed (default 42)")
    ap.add_argument("--out", type=Path, required=True, help="output JSONL file")
    ap.add_argument("--raw", type=Path, default=RAW, help="directory with fetch.py's output")
    ap.add_argument("--seeds", type=int, default=None,
                    help="number of seed stories (default min(5000, size/200))")
    ap.add_argument("--originals", type=int, default=None,
                    help="untouched real articles (default min(all, 10%% of size))")
    ap.add_argument("--sigma", type=float, default=1.0, help="log-normal sigma of cluster sizes")
    ap.add_argument("--clip", type=float, default=10.0,
                    help="largest cluster weight, as a multiple of the mean")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--chunk", type=int, default=2000, help="articles per work item")
    args = ap.parse_args()

    t0 = time.perf_counter()
    load_pool(args.raw)
    CONF["seed"] = args.seed
    entries, info = plan(args.size, args.seed, args.seeds, args.originals, args.sigma, args.clip)
    t_plan = time.perf_counter() - t0
    print(f"[build] {len(POOL)} real articles; {info['originals']} originals, {info['seeds']} seeds, "
          f"{info['copies']} copies; largest clusters {info['cluster_sizes'][:5]} "
          f"(setup {t_plan:.1f}s)", file=sys.stderr, flush=True)

    items = [(i, kind, idx, inten) for i, (kind, idx, inten) in enumerate(entries)]
    chunks = [items[j:j + args.chunk] for j in range(0, len(items), args.chunk)]
    out = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    truth_path = out.with_name(out.name + ".truth.jsonl") if not out.name.endswith(".jsonl") \
        else out.with_name(out.name[:-len(".jsonl")] + ".truth.jsonl")
    meta_path = truth_path.with_name(truth_path.name.replace(".truth.jsonl", ".meta.json"))
    tmp_out = out.with_name(out.name + ".tmp")
    tmp_truth = truth_path.with_name(truth_path.name + ".tmp")
    nbytes = 0
    done = 0
    last = time.perf_counter()
    with open(tmp_out, "w", encoding="utf-8") as fo, open(tmp_truth, "w", encoding="utf-8") as ft:
        if args.workers > 1:
            ctx = mp.get_context("fork")
            with ctx.Pool(args.workers) as pool:
                results = pool.imap(make_chunk, chunks)
                for (a, t), ch in zip(results, chunks):
                    fo.write(a)
                    ft.write(t)
                    nbytes += len(a.encode("utf-8"))
                    done += len(ch)
                    if time.perf_counter() - last > 10:
                        last = time.perf_counter()
                        print(f"[build] {done}/{len(items)} articles", file=sys.stderr, flush=True)
        else:
            for ch in chunks:
                a, t = make_chunk(ch)
                fo.write(a)
                ft.write(t)
                nbytes += len(a.encode("utf-8"))
    tmp_out.replace(out)
    tmp_truth.replace(truth_path)
    elapsed = time.perf_counter() - t0
    sizes = info["cluster_sizes"]
    meta = {
        "size": args.size, "seed": args.seed, "bytes": nbytes, "build_seconds": round(elapsed, 1),
        "real_articles": len(POOL), "originals": info["originals"], "seeds": info["seeds"],
        "copies": info["copies"], "sigma": args.sigma, "clip": args.clip,
        "intensities": dict(INTENSITIES),
        "cluster_size": {"max": sizes[0] if sizes else 0,
                         "median": sizes[len(sizes) // 2] if sizes else 0,
                         "mean": round(sum(sizes) / len(sizes), 1) if sizes else 0,
                         "top10": sizes[:10]},
        "truth": truth_path.name,
    }
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    print(f"[build] wrote {out} ({args.size} articles, {nbytes / 1e6:.0f} MB) and {truth_path.name} "
          f"in {elapsed:.1f}s", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
