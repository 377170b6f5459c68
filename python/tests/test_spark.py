"""neardiff.spark against the command-line tool: the same clusters, byte for
byte, with 1 and 7 shuffle partitions, the input as one file or three, a
DataFrame in shuffled row order, both metrics, and both ways of finding
connected components; bad input named by file and line; a resumed run.

PySpark runs in ``local[2]``. Without pyspark the module is skipped, unless
``NEARDIFF_REQUIRE_SPARK=1`` (as ``.ci/run`` sets it), which makes a
missing pyspark a failure."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import WORDS, make_corpus, run_cli

if os.environ.get("NEARDIFF_REQUIRE_SPARK") == "1":
    import pyspark  # noqa: F401
else:
    pytest.importorskip("pyspark")

import neardiff.spark as nspark  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    s = (
        SparkSession.builder.master("local[2]")
        .appName("neardiff tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


def _records() -> list[dict]:
    """A few thousand articles: copies, trims, outlets with boilerplate,
    integer ids, date ties, empty and stub texts (the package's test
    corpus), and one story in 150 versions, so that band groups of more
    than 100 documents occur."""
    recs = make_corpus(1300, seed=11)
    rng = random.Random(5)
    base = [rng.choice(WORDS) for _ in range(120)]
    for c in range(150):
        words = list(base)
        for _ in range(rng.randint(0, 3)):
            words[rng.randrange(len(words))] = rng.choice(WORDS)
        recs.insert(
            rng.randrange(len(recs)),
            {
                "id": f"big-{c}",
                "text": " ".join(words).capitalize() + ".",
                "date": f"2025-03-{rng.randint(1, 2):02d}",
                "outlet": rng.choice(["wire.example", "daily.example"]),
            },
        )
    return recs


def _write_lines(path: Path, recs: list[dict], blank_at: int = -1) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        for i, r in enumerate(recs):
            if i == blank_at:
                f.write("  \n")
            # A Windows line end now and then: the tool reads it as one.
            f.write(json.dumps(r, ensure_ascii=False) + ("\r\n" if i % 97 == 5 else "\n"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    recs = _records()
    d = tmp_path_factory.mktemp("spark-corpus")
    one = d / "news.jsonl"
    _write_lines(one, recs, blank_at=10)
    parts = d / "parts"
    parts.mkdir()
    k = len(recs) // 3
    for name, chunk in zip("abc", [recs[:k], recs[k : 2 * k], recs[2 * k :]]):
        _write_lines(parts / f"{name}.jsonl", chunk)
    return {"records": recs, "one": one, "parts": parts, "dir": d}


def _spark_lines(result) -> str:
    return "".join(line + "\n" for line in result.lines())


def test_one_file_one_partition_then_resumed(spark, corpus, neardiff_bin, tmp_path):
    out = tmp_path / "clusters.jsonl"
    work = "file://" + str(tmp_path / "work")
    r = nspark.dedup(
        paths=[str(corpus["one"])],
        spark=spark,
        partitions=1,
        components="driver",
        work_dir=work,
        jsonl_path=str(out),
    )
    cli = run_cli(neardiff_bin, "dedup", str(corpus["one"]))
    assert out.read_text(encoding="utf-8") == cli
    assert r.summary["clusters"] == cli.count("\n") > 100
    assert r.summary["too_short"] >= 2
    assert max(json.loads(x)["size"] for x in cli.splitlines()) >= 100
    # A run that failed after the components: its later stages are gone,
    # and a resumed run redoes only those.
    sketch_mark = tmp_path / "work" / "sketch" / "_SUCCESS"
    before = sketch_mark.stat().st_mtime_ns
    for stage in ("clusters", "lines", "members"):
        for f in (tmp_path / "work" / stage).glob("*"):
            f.unlink()
    again = nspark.dedup(
        paths=[str(corpus["one"])], spark=spark, partitions=1, work_dir=work, resume=True
    )
    assert sketch_mark.stat().st_mtime_ns == before
    assert _spark_lines(again) == cli
    with pytest.raises(ValueError, match="another input or other options"):
        nspark.dedup(paths=[str(corpus["one"])], spark=spark, work_dir=work, resume=True, seed=3)


def test_three_files_seven_partitions_components_on_cluster(spark, corpus, neardiff_bin):
    r = nspark.dedup(paths=[str(corpus["parts"])], spark=spark, partitions=7, components="spark")
    cli = run_cli(neardiff_bin, "dedup", str(corpus["parts"]))
    assert _spark_lines(r) == cli
    # The same articles in one file give the same clusters.
    assert cli == run_cli(neardiff_bin, "dedup", str(corpus["one"]))
    assert r.summary["components_rounds"] >= 1


def test_dataframe_in_shuffled_order_containment(spark, corpus, neardiff_bin, tmp_path):
    recs = corpus["records"]
    rows = [
        (
            i,
            None if r.get("id") is None else str(r["id"]),
            r.get("text"),
            r.get("date"),
            r.get("outlet"),
            r.get("url"),
        )
        for i, r in enumerate(recs)
    ]
    random.Random(3).shuffle(rows)
    df = spark.createDataFrame(
        rows, "ord long, id string, text string, date string, outlet string, url string"
    ).repartition(5)
    r = nspark.dedup(df, order_col="ord", partitions=3, metric="containment")
    cli = run_cli(neardiff_bin, "dedup", "--metric", "containment", str(corpus["one"]))
    assert _spark_lines(r) == cli
    assert cli != run_cli(neardiff_bin, "dedup", str(corpus["one"]))
    csv = tmp_path / "members.csv"
    r.to_csv(str(csv))
    assert csv.read_text(encoding="utf-8") == run_cli(
        neardiff_bin, "dedup", "--metric", "containment", "--format", "csv", str(corpus["one"])
    )
    members = r.members
    assert members.count() == r.summary["clusters"] + r.summary["duplicates"]
    assert set(members.columns) >= {"cluster", "id", "representative", "score", "metric"}


def test_bad_line_is_named_and_skip_invalid_counts_it(spark, tmp_path, neardiff_bin):
    recs = make_corpus(20, seed=2)
    p = tmp_path / "bad.jsonl"
    lines = [json.dumps(r) for r in recs]
    lines.insert(4, '{"id": "x", "text": "unterminated')
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(Exception) as e:
        nspark.dedup(paths=[str(p)], spark=spark)
    msg = nspark._one_line(e.value)
    assert "bad.jsonl:5" in msg, msg
    assert "\n" not in msg
    r = nspark.dedup(paths=[str(p)], spark=spark, skip_invalid=True)
    assert r.summary["invalid"] == 1
    assert "bad.jsonl:5" in r.summary["skipped"][0]
    assert _spark_lines(r) == run_cli(neardiff_bin, "dedup", "--skip-invalid", str(p))
    # The job's command: one line, exit code 2.
    code = nspark.main([str(p), "-o", str(tmp_path / "out.jsonl")])
    assert code == 2
    assert not (tmp_path / "out.jsonl").exists()


def test_spark_submit(neardiff_bin, tmp_path):
    """The documented job: spark-submit of the module's file, on a
    directory of JSON Lines files."""
    import pyspark

    parts = tmp_path / "in"
    parts.mkdir()
    recs = make_corpus(60, seed=4)
    _write_lines(parts / "one.jsonl", recs[:50])
    _write_lines(parts / "two.jsonl", recs[50:])

    submit = Path(pyspark.__file__).parent / "bin" / "spark-submit"
    out = tmp_path / "job.jsonl"
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    r = subprocess.run(
        [
            str(submit),
            "--master",
            "local[2]",
            "--conf",
            "spark.ui.enabled=false",
            nspark.__file__,
            str(parts),
            "-o",
            str(out),
            "--partitions",
            "4",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert out.read_text(encoding="utf-8") == run_cli(neardiff_bin, "dedup", str(parts))


def test_parquet_files_in_order(spark, tmp_path):
    """Parquet files are read in the listed order, rows in file order: the
    clusters are those of ``neardiff.dedup`` over the same files."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    import neardiff

    recs = make_corpus(80, seed=9)
    cols = ["id", "text", "date", "outlet", "url"]

    def table(rs):
        return pa.table(
            {c: pa.array([None if r.get(c) is None else str(r[c]) for r in rs], pa.string()) for c in cols}
        )

    d = tmp_path / "pq"
    d.mkdir()
    half = len(recs) // 2
    pq.write_table(table(recs[:half]), d / "a.parquet", row_group_size=17)
    pq.write_table(table(recs[half:]), d / "b.parquet", row_group_size=17)
    r = nspark.dedup(paths=[str(d)], spark=spark, partitions=3)
    local = neardiff.dedup([d / "a.parquet", d / "b.parquet"])
    assert _spark_lines(r) == local.to_jsonl()
    assert r.summary["clusters"] > 5


def _bridged_records() -> list[dict]:
    """Story families joined by false candidates: six stories in eight
    lightly edited copies and two trims each, and between two neighbouring
    stories three copies of a text made of the first half of one and the
    second half of the other (LSH pairs it with both families; it is below
    both thresholds with each). So one candidate component holds several
    clusters."""
    rng = random.Random(21)
    stories = [[rng.choice(WORDS) for _ in range(90)] for _ in range(6)]
    recs = []
    for s, words in enumerate(stories):
        for c in range(8):
            w = list(words)
            for _ in range(rng.randint(0, 3)):
                w[rng.randrange(len(w))] = rng.choice(WORDS)
            recs.append({"id": f"s{s}-{c}", "text": " ".join(w) + ".", "date": f"2025-04-0{rng.randint(1, 3)}"})
        for c in range(2):
            recs.append({"id": f"s{s}-trim{c}", "text": " ".join(words[: 55 + 5 * c]) + "."})
    for s in range(5):
        for c in range(3):
            text = stories[s][:45] + stories[s + 1][45:]
            recs.append({"id": f"bridge{s}-{c}", "text": " ".join(text) + ".", "date": "2025-04-02"})
    rng.shuffle(recs)
    return recs


def _candidate_components(work: Path) -> list[set]:
    """The connected components of the band groups a run wrote."""
    import pyarrow.parquet as pq

    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for members in pq.read_table(work / "groups").column("members").to_pylist():
        for m in members[1:]:
            parent[find(m)] = find(members[0])
    comps: dict = {}
    for x in list(parent):
        comps.setdefault(find(x), set()).add(x)
    return list(comps.values())


@pytest.mark.parametrize(
    "metric,partitions", [("jaccard", 1), ("jaccard", 4), ("containment", 2), ("containment", 5)]
)
def test_candidate_component_of_several_clusters(spark, neardiff_bin, tmp_path, metric, partitions):
    """Clusters are verified before components are formed: a candidate
    component holding several clusters gives the command's clusters, and
    no task holds the whole candidate component."""
    import pyarrow.parquet as pq

    p = tmp_path / "bridged.jsonl"
    _write_lines(p, _bridged_records())
    work = tmp_path / "work"
    r = nspark.dedup(
        paths=[str(p)], spark=spark, metric=metric, partitions=partitions, work_dir="file://" + str(work)
    )
    cli = run_cli(neardiff_bin, "dedup", "--metric", metric, str(p))
    assert _spark_lines(r) == cli
    members = pq.read_table(work / "members").select(["cluster", "doc"]).to_pylist()
    cluster_of = {m["doc"]: m["cluster"] for m in members}
    comps = _candidate_components(work)
    clusters_in = [len({cluster_of[d] for d in c if d in cluster_of}) for c in comps]
    assert max(clusters_in) >= 3, clusters_in
    assert max(len(c) for c in comps) > max(json.loads(x)["size"] for x in cli.splitlines())


@pytest.mark.parametrize("rows_per_batch", [1, 7, 100, 5000])
def test_group_lists_and_whole_groups_across_batches(rows_per_batch):
    """Band groups and units cut from sorted rows are the same whatever
    the batches the rows come in."""
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(1)
    bk = np.sort(rng.integers(0, 300, 2000))
    doc = np.arange(2000)
    order = np.lexsort((doc, bk))
    bk, doc = bk[order], doc[order]
    want: dict = {}
    for k, d in zip(bk.tolist(), doc.tolist()):
        want.setdefault(k, []).append(d)
    batches = [
        pa.RecordBatch.from_arrays(
            [pa.array(bk[i : i + rows_per_batch]), pa.array(doc[i : i + rows_per_batch])],
            names=["bk", "doc"],
        )
        for i in range(0, len(bk), rows_per_batch)
    ]
    got: dict = {}
    for b in nspark._group_lists(batches):
        for k, m in zip(b.column("bk").to_pylist(), b.column("members").to_pylist()):
            assert k not in got
            got[k] = m
    assert got == {k: v for k, v in want.items() if len(v) >= 2}
    held = [t.column("doc").to_pylist() for t in nspark._whole_groups(batches, "bk")]
    keys = [set(t) for t in ([bk[doc == d][0] for d in part] for part in held)]
    assert sum(len(h) for h in held) == len(doc)
    for i, ks in enumerate(keys):
        for other in keys[i + 1 :]:
            assert not ks & other
