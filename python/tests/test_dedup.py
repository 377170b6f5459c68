"""dedup from Python against the command-line tool on the same input."""

from __future__ import annotations

import json
import threading
import time

import numpy as np
import pytest

import neardiff
from conftest import make_corpus, run_cli


@pytest.fixture(scope="module")
def cli_jsonl(neardiff_bin, corpus_path):
    return run_cli(neardiff_bin, "dedup", "-q", str(corpus_path))


def test_corpus_has_clusters(cli_jsonl):
    # The comparisons below mean something only if there is something to find.
    assert len(cli_jsonl.splitlines()) >= 40


def test_path_input_is_byte_identical(corpus_path, cli_jsonl):
    assert neardiff.dedup(corpus_path).to_jsonl() == cli_jsonl
    assert neardiff.dedup(str(corpus_path)).to_jsonl() == cli_jsonl


def test_dicts_are_byte_identical(corpus_records, cli_jsonl):
    r = neardiff.dedup(iter(corpus_records))
    assert r.to_jsonl() == cli_jsonl
    assert r.summary["documents"] == len(corpus_records)


def test_dicts_over_many_chunks_are_byte_identical(neardiff_bin, tmp_path):
    # Records are read a chunk of 2,048 at a time while the pool sketches
    # the chunk before: several chunks, a bad record late in the input.
    recs = make_corpus(n_stories=3000, seed=11)
    assert len(recs) > 3 * 2048
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in recs))
    want = run_cli(neardiff_bin, "dedup", "-q", str(path))
    assert neardiff.dedup(recs, threads=2).to_jsonl() == want
    bad = list(recs)
    bad.insert(5000, {"text": 5})
    with pytest.raises(neardiff.InputError, match=r"^records\[5000\]: "):
        neardiff.dedup(bad)
    r = neardiff.dedup(bad, skip_invalid=True)
    assert r.to_jsonl() == want
    labels = list(r.labels)
    assert labels[5000] == -1 and len(labels) == len(bad)
    assert labels[:5000] + labels[5001:] == list(neardiff.dedup(recs).labels)


def test_borrowed_bodies_of_every_kind(neardiff_bin, tmp_path):
    # Bodies are read straight from the Python strings: ASCII, Latin-1,
    # BMP and astral characters (each a different internal form), plain
    # str records and dict records, str subclasses, over several chunks;
    # the strings may be dropped by the caller while the run goes on.
    class Text(str):
        pass

    recs = make_corpus(n_stories=1500, seed=5)
    marks = ["", " café", " “quoted” — dash", " 😀 emoji"]
    recs = [dict(r, text=r["text"] + marks[i % 4]) for i, r in enumerate(recs)]
    path = tmp_path / "kinds.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    want = run_cli(neardiff_bin, "dedup", "-q", str(path))

    def fresh():
        # New string objects each time, referenced only by the generator.
        for i, r in enumerate(recs):
            text = "".join([r["text"][:1], r["text"][1:]])
            yield dict(r, text=Text(text) if i % 7 == 0 else text)

    assert neardiff.dedup(fresh(), threads=2).to_jsonl() == want
    # Plain strings: ids are positions.
    texts = [r["text"] for r in recs]
    plain = neardiff.dedup(iter(texts)).to_jsonl()
    by_pos = neardiff.dedup([{"id": i, "text": t} for i, t in enumerate(texts)]).to_jsonl()
    assert plain == by_pos


def test_body_that_is_not_valid_unicode_raises():
    recs = [{"id": "a", "text": "a lone surrogate \ud800 here"}]
    with pytest.raises(UnicodeEncodeError):
        neardiff.dedup(recs)
    with pytest.raises(UnicodeEncodeError):
        neardiff.dedup(["plain \udfff"])


def test_dataframe_is_byte_identical(corpus_records, cli_jsonl):
    pd = pytest.importorskip("pandas")
    # Mixed int and str ids: pyarrow cannot type the column, rows are read.
    assert neardiff.dedup(pd.DataFrame(corpus_records)).to_jsonl() == cli_jsonl
    # All-string columns go through Arrow.
    recs = [dict(r, id=str(r["id"])) for r in corpus_records]
    df = pd.DataFrame(recs).rename(columns={"text": "body", "id": "key"})
    r = neardiff.dedup(df, text_col="body", id_col="key")
    assert r.to_jsonl() == cli_jsonl


def test_arrow_forms_are_byte_identical(corpus_records, cli_jsonl, tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    recs = [dict(r, id=str(r["id"])) for r in corpus_records]
    table = pa.Table.from_pylist(recs)
    assert neardiff.dedup(table).to_jsonl() == cli_jsonl
    # Many small batches, large strings, a dictionary-encoded column.
    big = table.cast(pa.schema([pa.field(f.name, pa.large_string()) for f in table.schema]))
    reader = pa.RecordBatchReader.from_batches(big.schema, big.to_batches(max_chunksize=37))
    assert neardiff.dedup(reader).to_jsonl() == cli_jsonl
    enc = table.set_column(
        table.schema.get_field_index("outlet"), "outlet", table.column("outlet").dictionary_encode()
    )
    assert neardiff.dedup(enc).to_jsonl() == cli_jsonl
    # A stream whose columns need a cast is cast batch by batch as read.
    ints = pa.Table.from_pylist([dict(r, id=i) for i, r in enumerate(recs)])
    want_ids = [str(i) for i in range(len(recs))]
    r = neardiff.dedup(pa.RecordBatchReader.from_batches(ints.schema, ints.to_batches(max_chunksize=50)))
    assert r.ids == want_ids
    assert r.to_jsonl() == neardiff.dedup(ints).to_jsonl()
    # A sliced table (offsets into shared buffers).
    assert neardiff.dedup(pa.concat_tables([table.slice(0, 50), table.slice(50)])).to_jsonl() == cli_jsonl
    pq.write_table(table, tmp_path / "c.parquet", row_group_size=100)
    assert neardiff.dedup(tmp_path / "c.parquet").to_jsonl() == cli_jsonl


def test_arrow_text_must_be_strings():
    pa = pytest.importorskip("pyarrow")
    with pytest.raises(neardiff.InputError, match='column "text" must hold strings'):
        neardiff.dedup(pa.table({"text": [1, 2]}))
    with pytest.raises(neardiff.InputError, match='no column "text"'):
        neardiff.dedup(pa.table({"body": ["x"]}))


def test_integer_ids_in_arrow(corpus_records, neardiff_bin, tmp_path):
    pa = pytest.importorskip("pyarrow")
    recs = [dict(r, id=i) for i, r in enumerate(corpus_records)]
    path = tmp_path / "int.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in recs))
    want = run_cli(neardiff_bin, "dedup", "-q", str(path))
    assert neardiff.dedup(pa.Table.from_pylist(recs)).to_jsonl() == want


def test_csv_pairs_and_containment_match_cli(corpus_path, corpus_records, neardiff_bin):
    assert neardiff.dedup(corpus_records).to_csv() == run_cli(
        neardiff_bin, "dedup", "-q", "--format", "csv", str(corpus_path)
    )
    r = neardiff.dedup(corpus_records, pairs=True)
    assert r.pairs_jsonl() == run_cli(neardiff_bin, "dedup", "-q", "--pairs", str(corpus_path))
    assert r.pairs and set(r.pairs[0]) >= {"a", "b", "jaccard", "minhash_jaccard"}
    for args, kw in [
        (["--metric", "containment"], dict(metric="containment")),
        (["--threshold", "0.8", "--keep-boilerplate"], dict(threshold=0.8, keep_boilerplate=True)),
        (["--no-verify", "--num-perm", "64", "--seed", "3"], dict(verify=False, num_perm=64, seed=3)),
        (["--shingle-size", "3", "--min-words", "20"], dict(shingle_size=3, min_words=20)),
    ]:
        want = run_cli(neardiff_bin, "dedup", "-q", *args, str(corpus_path))
        assert neardiff.dedup(corpus_records, **kw).to_jsonl() == want, args


def test_samples_directory_matches_cli(neardiff_bin):
    from conftest import SAMPLES

    for args, kw in [([], {}), (["--metric", "containment", "--min-size-ratio", "0.2"], dict(metric="containment", min_size_ratio=0.2))]:
        want = run_cli(neardiff_bin, "dedup", "-q", *args, str(SAMPLES))
        assert want.strip(), "the samples hold near-duplicates"
        assert neardiff.dedup(SAMPLES, **kw).to_jsonl() == want


def test_labels_follow_clusters(corpus_records):
    r = neardiff.dedup(corpus_records)
    labels = r.labels
    assert labels.dtype == np.int64 and len(labels) == len(corpus_records)
    ids = [str(x["id"]) for x in corpus_records]
    for k, c in enumerate(r.clusters):
        members = {m["id"] for m in c["members"]}
        assert {ids[i] for i in np.flatnonzero(labels == k)} == members
    assert (labels == -1).sum() == len(ids) - sum(c["size"] for c in r.clusters)


def test_too_short_and_summary(corpus_records):
    r = neardiff.dedup(corpus_records)
    short = {x["id"] for x in r.too_short}
    assert {"empty", "stub"} <= short
    s = r.summary
    assert s["too_short"] == len(short)
    assert s["clusters"] == len(r.clusters)
    assert s["duplicates"] == sum(c["size"] - 1 for c in r.clusters)


def test_same_result_whatever_the_threads(corpus_records):
    one = neardiff.dedup(corpus_records, threads=1).to_jsonl()
    assert neardiff.dedup(corpus_records, threads=3).to_jsonl() == one


def test_strings_take_their_position_as_id():
    text = "The central bank raised its main interest rate by a quarter point on Thursday citing inflation"
    r = neardiff.dedup([text, "Something else entirely that shares no words with it at all today", text])
    assert r.clusters[0]["representative"] == "0"
    assert list(r.labels) == [0, -1, 0]


def test_bad_records_raise_input_error_naming_the_record():
    with pytest.raises(neardiff.InputError, match=r'^records\[1\]: field "text" must be a string$'):
        neardiff.dedup([{"text": "fine"}, {"text": 17}])
    with pytest.raises(neardiff.InputError, match=r'records\[0\]: missing string field "text"'):
        neardiff.dedup([{"body": "x"}])
    with pytest.raises(neardiff.InputError, match=r'field "id" must be a string or an integer'):
        neardiff.dedup([{"text": "x", "id": [1]}])
    assert issubclass(neardiff.InputError, ValueError)


def test_skip_invalid_keeps_rows_aligned():
    text = "The central bank raised its main interest rate by a quarter point on Thursday citing inflation"
    r = neardiff.dedup([{"text": 1}, text, {"text": None}, text], skip_invalid=True)
    assert r.summary["invalid"] == 2
    assert len(r.skipped) == 2 and r.skipped[0].startswith("records[0]:")
    assert list(r.labels) == [-1, 0, -1, 0]


def test_bad_file_error_is_the_cli_line(tmp_path, neardiff_bin):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "ok"}\n{"id": "b", "text": 3}\n')
    with pytest.raises(neardiff.InputError) as e:
        neardiff.dedup(bad)
    import subprocess

    cli = subprocess.run([str(neardiff_bin), "dedup", str(bad)], capture_output=True, text=True)
    assert cli.returncode == 2
    assert cli.stderr.strip() == f"neardiff: error: {e.value}"
    with pytest.raises(FileNotFoundError):
        neardiff.dedup(tmp_path / "missing.jsonl")


@pytest.mark.parametrize(
    "kw, msg",
    [
        (dict(threshold=1.5), "threshold must be in"),
        (dict(num_perm=0), "num_perm must be between"),
        (dict(shingle_size=0), "shingle_size must be at least 1"),
        (dict(metric="cosine"), "metric must be"),
        (dict(threads=0), "threads must be at least 1"),
        (dict(min_words=2), "min_words must be at least the shingle size"),
    ],
)
def test_bad_parameters_raise_value_error(kw, msg):
    with pytest.raises(ValueError, match=msg) as e:
        neardiff.dedup(["some text here"], **kw)
    # A bad parameter is not bad input.
    assert not isinstance(e.value, neardiff.InputError)


def test_gil_is_released_during_dedup(tmp_path):
    path = tmp_path / "big.jsonl"
    with open(path, "w") as f:
        for r in make_corpus(n_stories=3000, seed=3):
            f.write(json.dumps(r) + "\n")
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    try:
        start = time.perf_counter()
        for _ in range(3):
            neardiff.dedup(path, threads=1)
        end = time.perf_counter()
    finally:
        stop.set()
        t.join()
    during = sum(start <= x <= end for x in ticks)
    # A run holding the GIL would stall the ticker for its whole length;
    # released, it ticks about once per millisecond (a quarter of that is
    # asked for, the machine may be busy).
    assert end - start > 0.05
    assert during >= 0.25 * (end - start) / 0.001, (during, end - start)


def test_via_is_the_clis(neardiff_bin, tmp_path):
    recs = make_corpus(n_stories=40, seed=3)
    path = tmp_path / "via.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in recs))
    want = run_cli(neardiff_bin, "dedup", "-q", "--via", str(path))
    r = neardiff.dedup(recs, via=True)
    assert r.to_jsonl() == want
    assert "via" not in neardiff.dedup(recs).to_jsonl()
    for c in r.clusters:
        assert "via" not in c["members"][0]
        assert all(m["via"]["score"] >= 0.5 for m in c["members"][1:])
