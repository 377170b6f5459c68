#!/usr/bin/env python3
"""Score `neardiff compare --format json` quotes against the annotations.

    benches/quotes/score.py                 # tuning part
    benches/quotes/score.py --held-out      # held-out part: only at the end of a round
    benches/quotes/score.py --held-out-2    # second held-out part (heldout-2.tsv): the same
    benches/quotes/score.py --held-out-3    # third held-out part (heldout-3.tsv): the same
    benches/quotes/score.py --held-out-4    # fourth held-out part (heldout-4.tsv): the same
    benches/quotes/score.py --held-out-5    # fifth held-out part (heldout-5.tsv): the same
    benches/quotes/score.py --seen          # every part scored before round 5: annotations.tsv, heldout-2/3/4.tsv
    benches/quotes/score.py --errors        # also list every error, for developers

Fetches the corpus if needed (benches/scraped/fetch.py), writes each article
of a pair as a small JSON file (id, outlet, date, title, text) in a temporary
directory, runs the binary on the pair and compares its `quotes` with the
annotations. Definitions are in README.md ("Scoring").
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import common


def norm(s: str | None) -> str:
    """Lower case, punctuation dropped, and a leading article (`a
    spokesman`, `the organizers`) dropped."""
    words = re.findall(r"[a-z0-9]+", (s or "").lower())
    if len(words) > 1 and words[0] in ("a", "an", "the"):
        words = words[1:]
    return " ".join(words)


def run(binary: Path, a: dict, b: dict, tmp: Path) -> dict:
    paths = []
    for d in (a, b):
        p = tmp / f"{d['id']}.json"
        p.write_text(json.dumps({k: d[k] for k in ("id", "outlet", "date", "title", "text")}), encoding="utf-8")
        paths.append(str(p))
    r = subprocess.run([str(binary), "compare", *paths, "--format", "json"], capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise SystemExit(f"neardiff failed on {a['id']} {b['id']}: {r.stderr.strip()}")
    return json.loads(r.stdout)


def predicted(report: dict) -> list[dict]:
    """Quotes of the report, one per side and quote, each with its partner."""
    out = []
    for m in report["quotes"]:
        ends = {}
        for s in ("a", "b"):
            if m[s] is not None:
                ends[s] = {"side": s, "start": m[s]["start"], "end": m[s]["end"], "text": m[s]["text"],
                           # a speaker described but not named counts as the tool's answer
                           "speaker": m[s]["speaker"] or m[s].get("speaker_description"),
                           "status": m["status"]}
        for s, q in ends.items():
            q["partner"] = ends.get("b" if s == "a" else "a")
            out.append(q)
    return out


def overlap(x0, x1, y0, y1) -> int:
    return max(0, min(x1, y1) - max(x0, y0))


def match(annot: list, preds: list) -> dict:
    """One-to-one, largest overlaps first: a predicted quote matches an
    annotated one on the same side when their byte ranges share at least
    half of each one's length."""
    cands = []
    for qa in annot:
        for i, p in enumerate(preds):
            if p["side"] != qa.side:
                continue
            o = overlap(qa.start, qa.end, p["start"], p["end"])
            if o * 2 >= (qa.end - qa.start) and o * 2 >= (p["end"] - p["start"]) and o > 0:
                cands.append((o, qa.qid, i))
    cands.sort(reverse=True)
    a2p, used = {}, set()
    for o, qid, i in cands:
        if qid not in a2p and i not in used:
            a2p[qid] = i
            used.add(i)
    return a2p


def speaker_right(q, pred_speaker) -> bool:
    if not q.speakers:
        return pred_speaker is None
    if pred_speaker is None:
        return False
    got, full = norm(pred_speaker), norm(q.speakers[0])
    # a variant, or the canonical full name after a title ("Attorney General Douglas Chin")
    return got in {norm(s) for s in q.speakers} or (" " in full and got.endswith(" " + full))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--held-out", action="store_true", help="score the held-out pairs instead of the tuning ones")
    ap.add_argument("--held-out-2", action="store_true",
                    help="score the second held-out part (heldout-2.tsv, every pair held out)")
    ap.add_argument("--held-out-3", action="store_true",
                    help="score the third held-out part (heldout-3.tsv, every pair held out)")
    ap.add_argument("--held-out-4", action="store_true",
                    help="score the fourth held-out part (heldout-4.tsv, every pair held out)")
    ap.add_argument("--held-out-5", action="store_true",
                    help="score the fifth held-out part (heldout-5.tsv, every pair held out)")
    ap.add_argument("--seen", action="store_true",
                    help="score every part seen before round 5 (annotations.tsv, both parts, heldout-2.tsv, "
                         "heldout-3.tsv and heldout-4.tsv): the tuning data from round 5 on")
    ap.add_argument("--errors", action="store_true", help="list each error")
    ap.add_argument("--bin", type=Path, default=common.ROOT / "target" / "release" / "neardiff")
    ap.add_argument("--annotations", type=Path, default=common.ANNOTATIONS)
    args = ap.parse_args()

    docs = common.load_corpus()
    if args.held_out_2 or args.held_out_3 or args.held_out_4 or args.held_out_5:
        parts = [common.HELD_OUT_2, common.HELD_OUT_3, common.HELD_OUT_4, common.HELD_OUT_5]
        k = 3 if args.held_out_5 else 2 if args.held_out_4 else 1 if args.held_out_3 else 0
        path = parts[k]
        pairs = common.load_annotations(path, all_held_out=True)
        # No article of a later held-out part may be read in an earlier file.
        earlier = [args.annotations] + parts[:k]
        for f in earlier:
            seen = {x for p in common.load_annotations(f) for x in (p.a, p.b)}
            shared = sorted({x for p in pairs for x in (p.a, p.b)} & seen)
            if shared:
                raise SystemExit(f"articles of {path.name} also in {f.name}: {shared}")
    elif args.seen:
        pairs = common.load_annotations(args.annotations) + [
            p for f in (common.HELD_OUT_2, common.HELD_OUT_3, common.HELD_OUT_4) for p in common.load_annotations(f, all_held_out=True)]
    else:
        pairs = [p for p in common.load_annotations(args.annotations) if p.held_out == args.held_out]
    errs = common.check(pairs, docs)
    if errs:
        raise SystemExit("annotation errors:\n  " + "\n  ".join(errs))

    c = defaultdict(int)
    by_named = defaultdict(lambda: [0, 0])
    errors = []
    with tempfile.TemporaryDirectory() as tmp:
        for p in pairs:
            preds = predicted(run(args.bin, docs[p.a], docs[p.b], Path(tmp)))
            a2p = match(p.quotes, preds)
            p2a = {i: qid for qid, i in a2p.items()}
            byid = {q.qid: q for q in p.quotes}
            tag = f"{p.a}/{p.b}"
            c["annotated"] += len(p.quotes)
            c["predicted"] += len(preds)
            c["matched"] += len(a2p)
            for i, pr in enumerate(preds):
                if i not in p2a:
                    errors.append(f"{tag} extra    {pr['side']} @{pr['start']}: {pr['text'][:50]!r}")
            for q in p.quotes:
                c["speech"] += q.speech
                i = a2p.get(q.qid)
                pr = preds[i] if i is not None else None
                if pr is None:
                    errors.append(f"{tag} missed   {q.qid} @{q.start}: {q.head!r} ({'speech' if q.speech else 'other'})")
                else:
                    c["matched_speech"] += q.speech
                # speaker: over real speech; a missed quote has no speaker
                if q.speech:
                    ok = pr is not None and speaker_right(q, pr["speaker"])
                    by_named[q.named][0] += ok
                    by_named[q.named][1] += 1
                    c["speaker_ok"] += ok
                    if pr is not None and pr["speaker"] is not None:
                        c["tool_named"] += 1
                        c["tool_named_ok"] += ok
                    if pr is not None and not ok:
                        errors.append(f"{tag} speaker  {q.qid} @{q.start} {q.head!r}: got {pr['speaker']!r}, "
                                      f"want {q.speakers[0] if q.speakers else None!r} ({q.named})")
                # pairing: every annotated quote, missed ones count as wrong
                if pr is None:
                    continue
                partner = pr["partner"]
                if not q.pair:
                    ok = partner is None
                else:
                    j = next((k for k, x in enumerate(preds) if x is partner), None)
                    ok = (j is not None and p2a.get(j) in q.pair) or (partner is None and "none" in q.pair)
                c["pair_ok"] += ok
                if not ok:
                    got = "none" if partner is None else (p2a.get(next(k for k, x in enumerate(preds) if x is partner)) or f"unannotated @{partner['start']}")
                    errors.append(f"{tag} pairing  {q.qid} {q.head!r}: got {got} ({pr['status']}), want {','.join(q.pair) or 'none'}")

    part = "seen (tuning from round 5)" if args.seen else "held-out 5" if args.held_out_5 else "held-out 4" if args.held_out_4 else "held-out 3" if args.held_out_3 else "held-out 2" if args.held_out_2 else "held-out" if args.held_out else "tuning"
    n = c["annotated"]
    f = lambda x, y: f"{x / y:.3f} ({x}/{y})" if y else "n/a"
    print(f"part: {part}; {len(pairs)} pairs, {n} annotated quotes ({c['speech']} real speech), {c['predicted']} predicted")
    print(f"extraction recall     {f(c['matched'], n)}")
    print(f"extraction precision  {f(c['matched'], c['predicted'])}")
    print(f"recall, real speech   {f(c['matched_speech'], c['speech'])}")
    print(f"speaker accuracy      {f(c['speaker_ok'], c['speech'])}  (real speech; missed or unknown = wrong)")
    for k in common.NAMED:
        if by_named[k][1]:
            print(f"  named {k:15} {f(*by_named[k])}")
    print(f"speakers the tool names, right  {f(c['tool_named_ok'], c['tool_named'])}")
    print(f"pairing accuracy      {f(c['pair_ok'], n)}  (annotated counterpart or none reproduced; missed = wrong)")
    if args.errors:
        print("\nerrors:")
        for e in errors:
            print("  " + e)


if __name__ == "__main__":
    main()
