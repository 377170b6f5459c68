"""neardiff.Index against the command-line tool's index and check."""

from __future__ import annotations

import json

import pytest

import neardiff
from conftest import run_cli


def _check_cli(binary, index, path):
    out = run_cli(binary, "check", "-q", "--format", "jsonl", "--index", str(index), str(path))
    return [json.loads(line) for line in out.splitlines()]


def test_round_trip_with_the_cli(tmp_path, corpus_records, neardiff_bin):
    old, new = corpus_records[:200], corpus_records[200:]
    ix_path = tmp_path / "news.ndx"
    with neardiff.Index(ix_path) as ix:
        counts = ix.build(old)
        assert counts["added"] + counts["too_short"] == len(old)
        stats = ix.stats()
        assert stats["articles"] == counts["added"]
        assert stats["params"]["num_perm"] == 128
        got = ix.check(new)
    assert len(got) == len(new)
    # The CLI reads the index the package built, and finds the same matches.
    new_path = tmp_path / "new.jsonl"
    new_path.write_text("".join(json.dumps(r) + "\n" for r in new))
    want = _check_cli(neardiff_bin, ix_path, new_path)
    strip = lambda r: {k: v for k, v in r.items() if k not in ("source", "line")}
    assert [strip(r) for r in got] == [strip(r) for r in want]
    assert got[0]["source"] == "records[0]"
    assert sum(1 for r in got if r["matches"]) >= 5
    stats_cli = json.loads(run_cli(neardiff_bin, "index", "stats", "--format", "json", "--index", str(ix_path)))
    assert stats_cli["articles"] == stats["articles"]


def test_index_built_by_the_cli_is_read(tmp_path, corpus_path, neardiff_bin, corpus_records):
    ix_path = tmp_path / "cli.ndx"
    run_cli(neardiff_bin, "index", "build", "-q", str(corpus_path), "--index", str(ix_path))
    ix = neardiff.Index(ix_path)
    probe = [r for r in corpus_records if len(str(r["text"]).split()) > 40][0]
    hits = ix.check([probe])
    assert hits[0]["matches"][0]["id"] == str(probe["id"])
    assert hits[0]["matches"][0]["jaccard"] == 1.0
    assert hits[0]["verdict"] == "duplicate"
    ix.close()


def test_add_remove_and_duplicates(tmp_path):
    text = "The harbour fire destroyed three warehouses on Tuesday night and firefighters worked until dawn to contain it"
    other = "Parliament passed the budget after a long debate about school funding and the price of electricity this winter"
    ix = neardiff.Index(tmp_path / "i.ndx")
    ix.build([{"id": "a", "text": text}])
    assert ix.add([{"id": "b", "text": other}])["added"] == 1
    with pytest.raises(ValueError, match='"b"'):
        ix.add([{"id": "b", "text": other}])
    assert ix.add([{"id": "b", "text": other}], on_duplicate="skip")["skipped"] == 1
    assert ix.stats()["articles"] == 2
    assert [m["id"] for m in ix.check([text])[0]["matches"]] == ["a"]
    assert ix.remove("a") == 1
    assert ix.check([text])[0]["matches"] == []
    with pytest.raises(ValueError):
        ix.remove(["nope"])
    assert ix.remove(["nope"], ignore_missing=True) == 0
    assert ix.verify() == 1
    with pytest.raises(ValueError, match="already exists"):
        ix.build([{"id": "c", "text": text}])
    assert ix.build([{"id": "c", "text": text}], force=True)["added"] == 1
    assert ix.stats()["articles"] == 1
    ix.close()


def test_dataframe_and_paths(tmp_path, corpus_path, corpus_records):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame([dict(r, id=str(r["id"])) for r in corpus_records[:100]]).rename(columns={"text": "body"})
    with neardiff.Index(tmp_path / "df.ndx") as ix:
        ix.build(df, text_col="body")
        n = ix.stats()["articles"]
        assert n > 80
        ix.add(corpus_path, on_duplicate="skip")
        assert ix.stats()["articles"] > n


def test_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        neardiff.Index(tmp_path / "none.ndx").stats()
    bad = tmp_path / "bad.ndx"
    bad.write_bytes(b"not an index at all" * 100)
    with pytest.raises((neardiff.CorruptIndexError, ValueError, OSError)):
        neardiff.Index(bad).stats()
    ix = neardiff.Index(tmp_path / "p.ndx")
    with pytest.raises(ValueError, match="lsh_threshold"):
        ix.build(["x y z"], lsh_threshold=0.01)
    with pytest.raises(neardiff.InputError, match=r"^records\[1\]: "):
        ix.build([{"text": "fine text"}, {"text": 5}])


def test_remedies_name_the_python_arguments(tmp_path, corpus_records):
    path = tmp_path / "r.ndx"
    ix = neardiff.Index(path)
    ix.build(corpus_records[:5])
    with pytest.raises(ValueError, match=r"add to it with `Index.add`, or replace it with `Index.build\(\.\.\., force=True\)`$"):
        ix.build(corpus_records[:5])
    with pytest.raises(ValueError, match=r'; use on_duplicate="skip" or "update"$'):
        ix.add(corpus_records[:1])
    with pytest.raises(ValueError, match=r"\(use ignore_missing=True to remove the others\)$"):
        ix.remove(["no such id"])
