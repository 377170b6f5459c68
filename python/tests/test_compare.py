"""compare, render and story against the command-line tool."""

from __future__ import annotations

import json

import pytest

import neardiff
from conftest import SAMPLES, run_cli

PAIRS = sorted({p.name[: -len("-a.txt")] for p in SAMPLES.glob("*-a.txt")})


@pytest.mark.parametrize("pair", PAIRS)
def test_report_is_the_cli_json(pair, neardiff_bin):
    a, b = SAMPLES / f"{pair}-a.txt", SAMPLES / f"{pair}-b.txt"
    want = run_cli(neardiff_bin, "compare", "--format", "json", str(a), str(b))
    report = neardiff.compare(a, b)
    assert isinstance(report, dict)
    assert report == json.loads(want)
    assert neardiff.render(report, "json") == want


@pytest.mark.parametrize("fmt", ["html", "markdown", "text"])
def test_render_formats_are_the_cli_output(fmt, neardiff_bin):
    a, b = SAMPLES / "quote-word-changed-a.txt", SAMPLES / "quote-word-changed-b.txt"
    args = ["compare", "--format", fmt, str(a), str(b)]
    if fmt == "text":
        args += ["--color", "never"]
    want = run_cli(neardiff_bin, *args)
    report = neardiff.compare(a, b)
    assert neardiff.render(report, fmt) == want
    # A plain dict (e.g. loaded back from JSON) is compared again from the
    # articles it holds: same output.
    plain = json.loads(json.dumps(report))
    assert not isinstance(plain, neardiff.Report)
    assert neardiff.render(plain, fmt) == want


def test_dict_and_str_inputs():
    a = {
        "id": "wire-1",
        "url": "https://www.bbc.co.uk/news/x",
        "date": "2025-03-07",
        "text": 'The council approved the budget on Monday. "We will review the contract," Mayor Ana Ruiz said.',
    }
    b = 'The council approved the budget on Monday. "We will cancel the contract," Mayor Ana Ruiz said.'
    r = neardiff.compare(a, b)
    assert r["schema"] == "neardiff.compare/4"
    assert r["a"]["id"] == "wire-1" and r["a"]["outlet"] == "bbc.co.uk"
    assert r["b"]["id"] == "b" and r["b"]["text"] == b
    assert r["quotes"][0]["status"] == "altered"
    assert r["facts"][0]["a"]["text"] == "review" and r["facts"][0]["b"]["text"] == "cancel"
    assert r["similarity"]["num_perm"] == 128
    assert neardiff.compare(a, b, num_perm=64, shingle_size=3)["similarity"]["num_perm"] == 64


def test_compare_errors():
    with pytest.raises(neardiff.InputError, match=r"^a: the article has no text"):
        neardiff.compare("  ", "text")
    with pytest.raises(neardiff.InputError, match=r'^b: field "title" must be a string$'):
        neardiff.compare("text", {"text": "x", "title": 3})
    with pytest.raises(ValueError, match="num_perm must be between 1 and 4096"):
        neardiff.compare("a b", "a b", num_perm=5000)
    with pytest.raises(ValueError, match="format must be"):
        neardiff.render(neardiff.compare("a b c", "a b d"), "pdf")
    with pytest.raises(FileNotFoundError):
        from pathlib import Path

        neardiff.compare(Path("/nonexistent/x.txt"), "b")


def test_story_is_the_cli_json(neardiff_bin):
    d = SAMPLES / "story-harbour-fire"
    files = sorted(d.iterdir())
    want = run_cli(neardiff_bin, "story", "--format", "json", "--source", "wire", str(d))
    source = d / "wire.txt"
    outlets = [p for p in files if p.name != "wire.txt"]
    got = neardiff.story(source, outlets)
    assert got == json.loads(want)
    assert got["schema"] == "neardiff.story/1"
    html = neardiff.story(source, outlets, format="html")
    assert html.startswith("<!DOCTYPE html>") or html.lower().startswith("<!doctype html>")


def test_story_needs_distinct_ids():
    with pytest.raises(ValueError, match='two articles have the id "x"'):
        neardiff.story({"id": "x", "text": "one two three four"}, [{"id": "x", "text": "one two three five"}])
