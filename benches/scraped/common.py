"""Shared helpers of the issue-25 evaluation scripts (benches/scraped/).

Corpus loading, running ``neardiff dedup``, the judgement files and the
held-out rule live here so that every script reads them the same way.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))
import neartext  # noqa: E402  (benches/neartext.py: neardiff's words in Python)

CORPUS = HERE.parent / "data" / "scraped" / "newsarticles.jsonl"
JUDGEMENTS = HERE / "judgements.tsv"
JUNK = HERE / "junk.tsv"
DEFAULT_BINARY = ROOT / "target" / "release" / "neardiff"

LABELS = ("duplicate", "same_story", "different", "junk")
POSITIVE = {"duplicate", "same_story"}
# Articles with fewer words than this count as stubs whatever their label.
STUB_WORDS = 10
# The two settings the targets are stated for.
SETTINGS = {"jaccard": 0.5, "containment": 0.8}


def load_corpus(path: Path = CORPUS) -> dict[str, dict]:
    if not path.exists():
        raise SystemExit(f"{path}: missing; run benches/scraped/fetch.py first")
    docs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            docs[d["id"]] = d
    return docs


def word_count(text: str) -> int:
    return len(neartext.words(text))


def pair_key(a: str, b: str) -> tuple[str, str]:
    """A pair's ids in a fixed order: numerically when both are numbers."""
    def k(x: str):
        return (0, int(x), x) if x.isdigit() else (1, 0, x)
    return (a, b) if k(a) <= k(b) else (b, a)


def is_held_out(a: str, b: str) -> bool:
    """The held-out rule: sha256 of "A<TAB>B" (pair_key order) modulo 4 == 0.

    About a quarter of all pairs, fixed by the ids alone, so that a pair added
    to the judgements later falls on the same side whoever adds it."""
    a, b = pair_key(a, b)
    h = hashlib.sha256(f"{a}\t{b}".encode()).digest()
    return int.from_bytes(h[:8], "big") % 4 == 0


@dataclass
class Judgement:
    a: str
    b: str
    label: str
    source: str
    note: str

    @property
    def held_out(self) -> bool:
        return is_held_out(self.a, self.b)


def load_judgements(path: Path = JUDGEMENTS) -> dict[tuple[str, str], Judgement]:
    """judgements.tsv: id_a, id_b, label, source, note (tab-separated; '#' comments)."""
    out: dict[tuple[str, str], Judgement] = {}
    if not path.exists():
        return out
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 4:
            raise SystemExit(f"{path}:{n}: expected id_a, id_b, label, source[, note]")
        a, b, label, source = (c.strip() for c in cols[:4])
        note = cols[4].strip() if len(cols) > 4 else ""
        if label not in LABELS:
            raise SystemExit(f"{path}:{n}: unknown label {label!r} (one of {', '.join(LABELS)})")
        key = pair_key(a, b)
        if key in out and out[key].label != label:
            raise SystemExit(f"{path}:{n}: pair {key} judged twice with different labels")
        out[key] = Judgement(key[0], key[1], label, source, note)
    return out


def load_junk(path: Path = JUNK) -> dict[str, str]:
    """junk.tsv: id, kind (stub | boilerplate | fragment), note."""
    out = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cols = line.split("\t")
            out[cols[0].strip()] = cols[1].strip()
    return out


def needs_skip_invalid(binary: Path, corpus: Path = CORPUS) -> bool:
    """True when the binary stops on the corpus's empty texts without --skip-invalid."""
    r = subprocess.run([str(binary), "dedup", "-q", str(corpus), "--threshold", "0.99"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode == 0:
        return False
    if r.returncode == 2:
        r2 = subprocess.run([str(binary), "dedup", "-q", "--skip-invalid", str(corpus),
                             "--threshold", "0.99"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r2.returncode == 0:
            return True
    raise SystemExit(f"{binary} dedup failed on {corpus}: {r.stderr.strip()}")


def run_dedup(binary: Path, corpus: Path, metric: str, threshold: float,
              extra: list[str] = (), pairs: bool = False) -> tuple[list[dict], float, str]:
    """Run neardiff dedup; return (records, wall seconds, stderr summary)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        cmd = [str(binary), "dedup", str(corpus), "--metric", metric,
               "--threshold", str(threshold), "--output", str(out), *extra]
        if pairs:
            cmd.append("--pairs")
        t0 = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t0
        if r.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)}: exit {r.returncode}: {r.stderr.strip()[-2000:]}")
        recs = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines() if l.strip()]
    summary = "\n".join(l for l in r.stderr.splitlines() if l.startswith("neardiff dedup:"))
    return recs, wall, summary


def cluster_pairs(clusters: list[dict]) -> set[tuple[str, str]]:
    out = set()
    for c in clusters:
        ids = [m["id"] for m in c["members"]]
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                out.add(pair_key(ids[i], ids[j]))
    return out


def pair_score(p: dict, metric: str) -> float:
    if metric == "jaccard":
        return p["jaccard"]
    return max(p["containment_a_in_b"], p["containment_b_in_a"])
