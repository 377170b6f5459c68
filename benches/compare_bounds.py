#!/usr/bin/env python3
"""Time and memory of `neardiff compare` on hostile and very long inputs.

Generates the inputs of issue 20's targets (deterministically, from a fixed
seed), runs the release binary on each under `/usr/bin/time -v`, and prints
one table row per case: words on each side, wall seconds, peak RSS in MB,
the exit code and the warnings neardiff reported.

Usage:
    cargo build --release
    python3 benches/compare_bounds.py [--bin target/release/neardiff]
        [--dir /tmp/neardiff-bounds] [--cases growth,line,quotes,commas]

Cases:
  growth  two articles of N words each (100k, 200k, 400k, 1M), B a rewrite
          of A (10% of sentences reworded, 5% dropped, 5% new, paragraphs
          moved): the growth of time and memory with length.
  line    one 200,000-word line without punctuation against a 1,000-word
          article.
  commas  one 2.2 MB sentence of clauses joined by commas against a
          1,000-word article.
  quotes  20,000 unbalanced quotation marks in 200,000 words, against a
          rewrite of itself.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys

STOP = ("the a an of to in and for on with at by from that is was said "
        "it as he she they have has had be been will would this which").split()


def vocabulary(rng, n):
    """Synthetic content words with a Zipf-like frequency profile."""
    letters = "abcdefghijklmnoprstuvwy"
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(3, 10))))
    words = sorted(words)
    weights = [1.0 / (i + 1) for i in range(n)]
    return words, weights


class Writer:
    def __init__(self, seed, vocab_size=20000):
        self.rng = random.Random(seed)
        self.words, self.weights = vocabulary(self.rng, vocab_size)

    def sentence(self, n=None):
        rng = self.rng
        n = n or rng.randint(8, 40)
        content = rng.choices(self.words, self.weights, k=n)
        out = []
        for w in content:
            if rng.random() < 0.45:
                out.append(rng.choice(STOP))
            out.append(w)
            if rng.random() < 0.05:
                out.append(str(rng.randint(2, 5000)))
        out[0] = out[0].capitalize()
        return " ".join(out) + "."

    def article(self, words):
        sentences, count = [], 0
        while count < words:
            s = self.sentence()
            if self.rng.random() < 0.08:
                s = '"' + s + '" ' + self.rng.choice(["he said.", "she said.", "said Mr Vale."])
            sentences.append(s)
            count += len(s.split())
        return sentences


def paragraphs(rng, sentences):
    paras, i = [], 0
    while i < len(sentences):
        k = rng.randint(2, 5)
        paras.append(" ".join(sentences[i:i + k]))
        i += k
    return paras


def rewrite(w, sentences):
    rng = w.rng
    out = []
    for s in sentences:
        r = rng.random()
        if r < 0.05:
            continue  # dropped
        if r < 0.15:
            toks = s.split()
            for _ in range(max(1, len(toks) // 5)):
                k = rng.randrange(len(toks))
                toks[k] = rng.choice(w.words[:2000])
            s = " ".join(toks)
        out.append(s)
        if rng.random() < 0.05:
            out.append(w.sentence())  # added
    return out


def move_paragraphs(rng, paras):
    paras = list(paras)
    for _ in range(max(1, len(paras) // 50)):
        i, j = rng.randrange(len(paras)), rng.randrange(len(paras))
        paras.insert(j, paras.pop(i))
    return paras


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def make_growth(d, n):
    w = Writer(1000 + n)
    a = w.article(n)
    b = rewrite(w, a)
    pa = paragraphs(w.rng, a)
    pb = move_paragraphs(w.rng, paragraphs(w.rng, b))
    fa, fb = f"{d}/growth-{n}-a.txt", f"{d}/growth-{n}-b.txt"
    write(fa, "\n\n".join(pa) + "\n")
    write(fb, "\n\n".join(pb) + "\n")
    return fa, fb


def make_line(d):
    w = Writer(7)
    toks = []
    while len(toks) < 200_000:
        toks.extend(w.sentence().rstrip(".").lower().split())
    fa = f"{d}/line-200k.txt"
    write(fa, " ".join(toks[:200_000]) + "\n")
    fb = f"{d}/line-other-1k.txt"
    write(fb, "\n\n".join(paragraphs(w.rng, w.article(1000))) + "\n")
    return fa, fb


def make_commas(d):
    w = Writer(8)
    parts, size = [], 0
    while size < 2_200_000:
        p = w.sentence().rstrip(".").lower()
        parts.append(p)
        size += len(p) + 2
    fa = f"{d}/commas-2mb.txt"
    write(fa, ", ".join(parts) + ".\n")
    fb = f"{d}/commas-other-1k.txt"
    write(fb, "\n\n".join(paragraphs(w.rng, w.article(1000))) + "\n")
    return fa, fb


def make_quotes(d):
    w = Writer(9)
    toks = []
    marks = 0
    rng = w.rng
    while len(toks) < 200_000:
        s = w.sentence().split()
        # One quotation mark in every sentence, never closed where a reader
        # would expect: opening and closing marks of several styles at
        # random places.
        if marks < 20_000:
            k = rng.randrange(len(s))
            s[k] = rng.choice(['"', "\u201c", "\u201d", "\u00ab"]) + s[k]
            marks += 1
        toks.extend(s)
    text = " ".join(toks)
    fa = f"{d}/quotes-20k-a.txt"
    write(fa, text + "\n")
    sentences = re.split(r"(?<=\.) ", text)
    fb = f"{d}/quotes-20k-b.txt"
    write(fb, " ".join(rewrite(w, sentences)) + "\n")
    return fa, fb


def run(bin_path, fa, fb):
    cmd = ["/usr/bin/time", "-v", bin_path, "compare", "--format", "json",
           "-o", os.devnull, fa, fb]
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = rss = None
    for line in p.stderr.splitlines():
        line = line.strip()
        if line.startswith("Elapsed (wall clock) time"):
            t = line.rsplit(" ", 1)[1]
            parts = [float(x) for x in t.split(":")]
            wall = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) > 2 else 0)
        elif line.startswith("Maximum resident set size"):
            rss = int(line.rsplit(" ", 1)[1]) / 1024
    return p.returncode, wall, rss


def warnings(bin_path, fa, fb):
    p = subprocess.run([bin_path, "compare", "--format", "json", fa, fb],
                       capture_output=True, text=True)
    try:
        report = json.loads(p.stdout)
    except ValueError:
        return "no report"
    seen = {}
    for w in report.get("warnings", []):
        key = re.sub(r"\d+", "N", w["message"])
        seen[key] = seen.get(key, 0) + 1
    return "; ".join(f"{k} (x{v})" for k, v in sorted(seen.items())) or "-"


def count_words(path):
    with open(path, encoding="utf-8") as f:
        return len(f.read().split())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/neardiff")
    ap.add_argument("--dir", default="/tmp/neardiff-bounds")
    ap.add_argument("--cases", default="growth,line,commas,quotes")
    ap.add_argument("--sizes", default="100000,200000,400000,1000000")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    cases = []
    wanted = args.cases.split(",")
    if "growth" in wanted:
        for n in [int(x) for x in args.sizes.split(",")]:
            cases.append((f"growth {n:,} words", make_growth(args.dir, n)))
    if "line" in wanted:
        cases.append(("200k-word line vs 1k", make_line(args.dir)))
    if "commas" in wanted:
        cases.append(("2.2 MB comma sentence vs 1k", make_commas(args.dir)))
    if "quotes" in wanted:
        cases.append(("20k unbalanced quotes, 200k words", make_quotes(args.dir)))
    print("| case | words A | words B | wall s | peak MB | exit | warnings |")
    print("|---|---|---|---|---|---|---|")
    for name, (fa, fb) in cases:
        code, wall, rss = run(args.bin, fa, fb)
        warn = warnings(args.bin, fa, fb) if code in (0, 1) else "-"
        print(f"| {name} | {count_words(fa):,} | {count_words(fb):,} | "
              f"{wall:.2f} | {rss:.0f} | {code} | {warn} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
