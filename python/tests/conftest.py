"""Shared fixtures: the command-line binary the package is compared with,
and a generated corpus with the cases that matter (exact and near copies,
trimmed copies, empty and stub articles, integer ids, outlets from URLs,
outlet boilerplate, date ties)."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


def _binary() -> Path:
    env = os.environ.get("NEARDIFF_BIN")
    if env:
        return Path(env)
    for profile in ("release", "debug"):
        p = ROOT / "target" / profile / "neardiff"
        if p.exists():
            return p
    found = shutil.which("neardiff")
    if found:
        return Path(found)
    raise RuntimeError("no neardiff binary: build it (cargo build) or set NEARDIFF_BIN")


@pytest.fixture(scope="session")
def neardiff_bin() -> Path:
    return _binary()


def run_cli(binary: Path, *args: str) -> str:
    """stdout of the CLI; fails the test on a non-zero exit."""
    r = subprocess.run([str(binary), *args], capture_output=True, text=True)
    assert r.returncode in (0, 1), r.stderr
    return r.stdout


WORDS = (
    "the council said on monday that a new budget would fund schools roads and "
    "hospitals while officials warned of rising costs in the coming year after "
    "the storm damaged bridges ports and power lines across three regions where "
    "residents waited for help as ministers promised more money for repairs and "
    "the opposition called for an inquiry into delays at the agency responsible"
).split()


def make_corpus(n_stories: int = 150, seed: int = 7) -> list[dict]:
    """Records as JSON Lines would hold them."""
    rng = random.Random(seed)
    outlets = ["wire.example", "daily.example", "herald.example", None]
    footer = {
        "daily.example": "Sign up for the Daily newsletter to get the top stories every morning in your inbox today",
        "herald.example": "Copyright Herald Media all rights reserved reproduction without permission is prohibited here",
    }
    recs: list[dict] = []
    for s in range(n_stories):
        base = [rng.choice(WORDS) for _ in range(rng.randint(40, 160))]
        copies = rng.choice([1, 1, 1, 2, 3, 5])
        for c in range(copies):
            words = list(base)
            kind = rng.random()
            if c > 0 and kind < 0.5:
                for _ in range(rng.randint(0, 4)):
                    words[rng.randrange(len(words))] = rng.choice(WORDS)
            elif c > 0 and kind < 0.75:
                words = words[: max(10, int(len(words) * rng.uniform(0.5, 0.9)))]
            outlet = rng.choice(outlets)
            text = " ".join(words).capitalize() + "."
            if outlet in footer:
                text += "\n\n" + footer[outlet]
            rec: dict = {"id": f"s{s}-{c}", "text": text}
            if rng.random() < 0.2:
                rec["id"] = 100000 + len(recs)  # an integer id
            if outlet is None:
                rec["url"] = f"https://www.site{rng.randint(0, 3)}.example/news/{s}"
            else:
                rec["outlet"] = outlet
            rec["date"] = f"2025-03-{rng.randint(1, 3):02d}"
            recs.append(rec)
    # Empty and stub articles, a blank outlet, a null field.
    recs.append({"id": "empty", "text": ""})
    recs.append({"id": "stub", "text": "-1"})
    recs.append({"id": "blank-outlet", "text": " ".join(WORDS[:30]), "outlet": " ", "url": "https://x.example/a"})
    recs.append({"id": "null-date", "text": " ".join(WORDS[:30]), "date": None})
    rng.shuffle(recs)
    return recs


@pytest.fixture(scope="session")
def corpus_records() -> list[dict]:
    return make_corpus()


@pytest.fixture(scope="session")
def corpus_path(tmp_path_factory, corpus_records) -> Path:
    p = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    with open(p, "w", encoding="utf-8") as f:
        for r in corpus_records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return p
