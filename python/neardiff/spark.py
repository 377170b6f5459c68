"""neardiff on Apache Spark: the clusters of ``neardiff dedup``, computed on
a cluster of machines, byte for byte the same.

Two entry points:

* :func:`dedup` -- a DataFrame (columns named by ``text_col``, ``id_col``,
  ``order_col``, ...) or files (``paths=``: JSON Lines, read line by line
  by the command-line tool's own parser) in, a :class:`SparkDedup` out: the
  members as a DataFrame (``cluster, id, representative, score, metric``,
  the rows of ``neardiff dedup --format csv``), the run's figures, and with
  ``jsonl_path=`` the command's JSON Lines written.
* ``spark-submit .../neardiff/spark.py INPUT... -o clusters.jsonl`` (or
  ``python -m neardiff.spark``): the same over files, as a job.

The Rust code runs inside the Python workers (``mapInArrow``); no JAR is
needed. The stages, each written as Parquet under the work directory so
that a failed run can be resumed (``resume=True``):

1. ``input``: rows with their place in the input order (``doc``): from
   ``order_col`` (then ``id_col``) for a DataFrame, from the file's place in
   the list and the line's number for files; never from Spark's own ids.
2. ``sketch``: each article becomes its sketch (shingle fingerprints, band
   keys); the text leaves the job here.
3. ``boilerplate``: each outlet's sample (the documents ``dedup`` samples,
   chosen by place) gives its boilerplate; ``applied``: it is set aside
   from every sketch of the outlet.
4. ``groups``: the band groups (documents sharing a band key, two or
   more); ``links``: the groups with one first document (a *unit*, at
   most one group per band) verified together on one task with their
   documents' sketches, as the command verifies them (the ``connect``
   logic for Jaccard; every candidate pair and each contained document's
   best container for containment); ``edges``: the verified links (for
   containment, each document's best container over all its units);
   ``components``: their connected components, which are the clusters
   (on the driver with union-find, or on the cluster by
   large-star/small-star rounds).
5. ``clusters``: each cluster on one task: its representative, member
   scores and line, by the library; ``lines``, ``members``: the clusters
   numbered in the command's output order.

See ``docs/spark.md`` for how to run it and how it scales.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence

import numpy as np

__all__ = ["dedup", "SparkDedup", "main"]

#: Version of the work directory's layout; a work directory of another
#: version is never resumed.
WORK_VERSION = 2

#: Candidate edges up to which ``components="auto"`` finishes on the
#: driver: 16 bytes per edge, so at most about 800 MB there.
DRIVER_EDGES = 50_000_000

_SKETCH_SCHEMA = (
    "doc long, id string, date string, outlet long, num_shingles int, words int, "
    "fps binary, edges binary, sig binary, keys binary, message string"
)
_APPLIED_SCHEMA = (
    "doc long, id string, date string, num_shingles int, words int, fps binary, "
    "sig binary, keys binary, state byte"
)
_BOILERPLATE_SCHEMA = "outlet long, fps binary, slots binary"
_ENTRY_SCHEMA = "bk long, doc long"
_EDGE_SCHEMA = "a long, b long"
_CLUSTER_SCHEMA = (
    "doc long, id string, rep long, rep_id string, rep_date string, score double, "
    "size long, line string"
)


# --------------------------------------------------------------------------
# Arrow <-> the native functions' buffers


def _np_var(arr: Any) -> tuple:
    """(int64 offsets from 0, data bytes) of a binary or string array."""
    import pyarrow as pa

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    n = len(arr)
    if n == 0:
        return np.zeros(1, np.int64).tobytes(), b""
    large = pa.types.is_large_binary(arr.type) or pa.types.is_large_string(arr.type)
    bufs = arr.buffers()
    off = np.frombuffer(bufs[1], dtype=np.int64 if large else np.int32)
    off = off[arr.offset : arr.offset + n + 1].astype(np.int64)
    start = int(off[0])
    data = bufs[2]
    body = b"" if data is None else memoryview(data)[start : int(off[-1])].tobytes()
    return (off - start).tobytes(), body


def _np_fixed(arr: Any, dtype: Any) -> bytes:
    """Little-endian bytes of a numeric column (nulls as 0)."""
    import pyarrow as pa

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return np.asarray(arr.fill_null(0).to_numpy(zero_copy_only=False), dtype=dtype).tobytes()


def _arrow_var(d: Dict[str, Any], name: str, n: int, string: bool = False) -> Any:
    """An Arrow binary (or string) array from a native ``*_offsets``,
    ``*_data``, ``*_valid`` triple."""
    import pyarrow as pa

    valid = np.frombuffer(d[name + "_valid"], np.uint8).astype(bool)
    nulls = int(n - valid.sum())
    bitmap = None if nulls == 0 else pa.array(valid).buffers()[1]
    return pa.Array.from_buffers(
        pa.string() if string else pa.binary(),
        n,
        [bitmap, pa.py_buffer(d[name + "_offsets"]), pa.py_buffer(d[name + "_data"])],
        null_count=nulls,
    )


def _stream(table: Any) -> Any:
    return table.__arrow_c_stream__()


# --------------------------------------------------------------------------
# Stage functions (run in the Python workers)


_OPTIONS_CACHE: Dict[str, Any] = {}


def _options(kw: Dict[str, Any]) -> Any:
    from neardiff import _native

    key = json.dumps(kw, sort_keys=True)
    o = _OPTIONS_CACHE.get(key)
    if o is None:
        o = _OPTIONS_CACHE[key] = _native.Options(**kw)
    return o


def _sketch_batch(doc: Any, d: Dict[str, Any]) -> Any:
    import pyarrow as pa

    n = len(doc)
    ok = np.frombuffer(d["ok"], np.uint8).astype(bool)
    messages: List[Optional[str]] = [None] * n
    bad = iter(d["messages"])
    for i in np.flatnonzero(~ok):
        messages[i] = next(bad)
    return pa.RecordBatch.from_arrays(
        [
            doc,
            _arrow_var(d, "id", n, string=True),
            _arrow_var(d, "date", n, string=True),
            pa.array(np.frombuffer(d["outlet"], np.int64)),
            pa.array(np.frombuffer(d["num_shingles"], np.int32)),
            pa.array(np.frombuffer(d["words"], np.int32)),
            _arrow_var(d, "fps", n),
            _arrow_var(d, "edges", n),
            _arrow_var(d, "sig", n),
            _arrow_var(d, "keys", n),
            pa.array(messages, pa.string()),
        ],
        names=[
            "doc", "id", "date", "outlet", "num_shingles", "words", "fps", "edges", "sig",
            "keys", "message",
        ],
    )


def _sketch_records(kw: Dict[str, Any], cols: List[str]):
    def run(batches: Iterable[Any]) -> Iterator[Any]:
        import pyarrow as pa
        from neardiff import _native

        opts = _options(kw)
        for b in batches:
            if b.num_rows == 0:
                continue
            doc = b.column("doc")
            table = pa.Table.from_batches([b.select([c for c in cols if c in b.schema.names])])
            d = _native.spark_sketch_records(
                _stream(table), _np_fixed(doc, np.int64), opts, threads=1
            )
            yield _sketch_batch(doc, d)

    return run


def _sketch_lines(kw: Dict[str, Any]):
    def run(batches: Iterable[Any]) -> Iterator[Any]:
        import pyarrow as pa
        from neardiff import _native

        opts = _options(kw)
        for b in batches:
            if b.num_rows == 0:
                continue
            table = pa.Table.from_batches([b.select(["value", "path"])])
            d = _native.spark_sketch_lines(
                _stream(table), _np_fixed(b.column("line"), np.int64), opts, threads=1
            )
            yield _sketch_batch(b.column("doc"), d)

    return run


def _groups(batches: Iterable[Any], key: str) -> Iterator[Any]:
    """The rows of batches sorted by ``key`` as one pyarrow Table per key
    value (a group may span batches; only one group is held at a time)."""
    import pyarrow as pa

    held: List[Any] = []
    held_key = None
    for b in batches:
        if b.num_rows == 0:
            continue
        keys = b.column(key).to_numpy(zero_copy_only=False)
        cuts = np.flatnonzero(keys[1:] != keys[:-1]) + 1
        starts = np.concatenate([[0], cuts])
        ends = np.concatenate([cuts, [b.num_rows]])
        for s, e in zip(starts, ends):
            k = keys[s]
            part = b.slice(int(s), int(e - s))
            if held and k != held_key:
                yield pa.Table.from_batches(held)
                held = []
            held.append(part)
            held_key = k
    if held:
        yield pa.Table.from_batches(held)


def _boilerplate_of(kw: Dict[str, Any]):
    def run(batches: Iterable[Any]) -> Iterator[Any]:
        import pyarrow as pa
        from neardiff import _native

        opts = _options(kw)
        for g in _groups(batches, "outlet"):
            fo, fd = _np_var(g.column("fps"))
            eo, ed = _np_var(g.column("edges"))
            found = _native.spark_boilerplate(
                opts,
                _np_fixed(g.column("doc"), np.int64),
                _np_fixed(g.column("outlet"), np.int64),
                _np_fixed(g.column("num_shingles"), np.int32),
                _np_fixed(g.column("words"), np.int32),
                fo, fd, eo, ed,
            )
            if found:
                yield pa.RecordBatch.from_arrays(
                    [
                        pa.array([o for o, _, _ in found], pa.int64()),
                        pa.array([s for _, s, _ in found], pa.binary()),
                        pa.array([sl for _, _, sl in found], pa.binary()),
                    ],
                    names=["outlet", "fps", "slots"],
                )

    return run


def _apply(kw: Dict[str, Any], token: str, sets: Any):
    def run(batches: Iterable[Any]) -> Iterator[Any]:
        import pyarrow as pa
        from neardiff import _native

        opts = _options(kw)
        value = sets.value if hasattr(sets, "value") else sets
        for b in batches:
            if b.num_rows == 0:
                continue
            n = b.num_rows
            parts = [_np_var(b.column(c)) for c in ("fps", "edges", "sig", "keys")]
            d = _native.spark_apply(
                opts,
                token,
                value,
                _np_fixed(b.column("outlet"), np.int64),
                _np_fixed(b.column("num_shingles"), np.int32),
                _np_fixed(b.column("words"), np.int32),
                *[x for p in parts for x in p],
            )
            yield pa.RecordBatch.from_arrays(
                [
                    b.column("doc"),
                    b.column("id"),
                    b.column("date"),
                    pa.array(np.frombuffer(d["num_shingles"], np.int32)),
                    b.column("words"),
                    _arrow_var(d, "fps", n),
                    _arrow_var(d, "sig", n),
                    _arrow_var(d, "keys", n),
                    pa.array(np.frombuffer(d["state"], np.int8)),
                ],
                names=[
                    "doc", "id", "date", "num_shingles", "words", "fps", "sig", "keys", "state",
                ],
            )

    return run


def _unchanged(batches: Iterable[Any]) -> Iterator[Any]:
    """The sketches as ``applied`` without boilerplate set aside."""
    import pyarrow as pa

    for b in batches:
        if b.num_rows == 0:
            continue
        yield pa.RecordBatch.from_arrays(
            [b.column(c) for c in ("doc", "id", "date", "num_shingles", "words", "fps", "sig", "keys")]
            + [pa.array(np.zeros(b.num_rows, np.int8))],
            names=["doc", "id", "date", "num_shingles", "words", "fps", "sig", "keys", "state"],
        )


def _entries(bands: int):
    """Band entries: (band << 32 | key, doc) per band of every document
    with words."""

    def run(batches: Iterable[Any]) -> Iterator[Any]:
        import pyarrow as pa

        for b in batches:
            keys = b.column("keys")
            has = np.asarray(keys.is_valid().to_numpy(zero_copy_only=False), bool)
            if not has.any():
                continue
            off, data = _np_var(keys.filter(pa.array(has)))
            k = np.frombuffer(data, np.uint32).reshape(-1, bands).astype(np.int64)
            k |= np.arange(bands, dtype=np.int64) << 32
            docs = b.column("doc").to_numpy(zero_copy_only=False)[has]
            yield pa.RecordBatch.from_arrays(
                [pa.array(k.reshape(-1)), pa.array(np.repeat(docs, bands))],
                names=["bk", "doc"],
            )

    return run


def _group_lists(batches: Iterable[Any]) -> Iterator[Any]:
    """From band entries sorted by (bk, doc): every group of two or more
    (``bk`` and its members in input order, as a list). A batch's last
    group may go on in the next batch: it is carried over."""
    import pyarrow as pa

    def lists(bk: np.ndarray, doc: np.ndarray) -> Any:
        starts = np.flatnonzero(np.r_[True, bk[1:] != bk[:-1]])
        sizes = np.diff(np.r_[starts, len(bk)])
        keep = sizes >= 2
        offsets = np.r_[0, np.cumsum(sizes[keep])].astype(np.int32)
        return pa.RecordBatch.from_arrays(
            [
                pa.array(bk[starts[keep]], pa.int64()),
                pa.ListArray.from_arrays(
                    pa.array(offsets), pa.array(doc[np.repeat(keep, sizes)], pa.int64())
                ),
            ],
            names=["bk", "members"],
        )

    carry_bk = carry_doc = np.zeros(0, np.int64)
    for b in batches:
        if b.num_rows == 0:
            continue
        bk = np.concatenate([carry_bk, b.column("bk").to_numpy(zero_copy_only=False)])
        doc = np.concatenate([carry_doc, b.column("doc").to_numpy(zero_copy_only=False)])
        last = int(np.flatnonzero(np.r_[True, bk[1:] != bk[:-1]])[-1])
        if last > 0:
            yield lists(bk[:last], doc[:last])
        carry_bk, carry_doc = bk[last:], doc[last:]
    if len(carry_bk):
        yield lists(carry_bk, carry_doc)


def _whole_groups(batches: Iterable[Any], key: str) -> Iterator[Any]:
    """The rows of batches sorted by ``key`` as pyarrow Tables that each
    hold whole groups (rows of one ``key``): a batch is cut after its last
    complete group and the rest is carried to the next one, so at most a
    batch and one group are held."""
    import pyarrow as pa

    held: List[Any] = []
    for b in batches:
        if b.num_rows == 0:
            continue
        keys = b.column(key).to_numpy(zero_copy_only=False)
        cuts = np.flatnonzero(keys[1:] != keys[:-1]) + 1
        if len(cuts) == 0:
            held.append(b)
            continue
        last = int(cuts[-1])
        yield pa.Table.from_batches(held + [b.slice(0, last)])
        held = [b.slice(last)]
    if held:
        yield pa.Table.from_batches(held)


def _doc_columns(g: Any, verify: bool) -> List[Any]:
    """The columns of a table of sketches as the native verification and
    cluster functions take them (signatures only without verification)."""
    n = g.num_rows
    io, idata = _np_var(g.column("id"))
    do, ddata = _np_var(g.column("date"))
    dvalid = np.asarray(
        g.column("date").is_valid().to_numpy(zero_copy_only=False), np.uint8
    ).tobytes()
    fo, fd = _np_var(g.column("fps"))
    if verify:
        so, sd = np.zeros(n + 1, np.int64).tobytes(), b""
    else:
        so, sd = _np_var(g.column("sig"))
    return [
        _np_fixed(g.column("doc"), np.int64),
        io, idata, do, ddata, dvalid,
        _np_fixed(g.column("num_shingles"), np.int32),
        _np_fixed(g.column("words"), np.int32),
        fo, fd, so, sd,
    ]


def _links_of(kw: Dict[str, Any]):
    """Per unit (the band groups whose first document is ``f``, with the
    documents of those groups; rows sorted by ``f``, ``kind``: documents
    (0) by ``doc``, then groups (1) by ``bk``), the verified links:
    Jaccard, (a, b) edges joining each unit's verified components;
    containment, each contained document's best container in the unit
    with the pair's scores and the container's date and id (the keys the
    command breaks ties by)."""

    def run(batches: Iterable[Any]) -> Iterator[Any]:
        import pyarrow as pa
        import pyarrow.compute as pc
        from neardiff import _native

        opts = _options(kw)
        verify = kw["verify"]
        for t in _whole_groups(batches, "f"):
            kind = t.column("kind")
            g = t.filter(pc.equal(kind, 0))
            groups = t.filter(pc.equal(kind, 1))
            members = groups.column("members").combine_chunks()
            offsets = np.asarray(members.offsets.to_numpy(), np.int64)
            offsets = offsets - offsets[0]
            d = _native.spark_unit_links(
                opts,
                _np_fixed(g.column("f"), np.int64),
                _np_fixed(groups.column("f"), np.int64),
                offsets.tobytes(),
                _np_fixed(members.flatten(), np.int64),
                *_doc_columns(g, verify),
            )
            a = np.frombuffer(d["a"], np.int64)
            if len(a) == 0:
                continue
            b = np.frombuffer(d["b"], np.int64)
            docs = g.column("doc").to_numpy(zero_copy_only=False)
            if kw["metric"] != "containment":
                yield pa.RecordBatch.from_arrays(
                    [pa.array(docs[a]), pa.array(docs[b])], names=["a", "b"]
                )
                continue
            at = pa.array(b)
            yield pa.RecordBatch.from_arrays(
                [
                    pa.array(docs[a]),
                    pa.array(docs[b]),
                    pa.array(np.frombuffer(d["containment"], np.float64)),
                    pa.array(np.frombuffer(d["jaccard"], np.float64)),
                    g.column("date").take(at).combine_chunks(),
                    g.column("id").take(at).combine_chunks(),
                ],
                names=["doc", "container", "containment", "jaccard", "c_date", "c_id"],
            )

    return run


def _clusters_of(kw: Dict[str, Any]):
    """Per cluster (rows sorted by ``comp``, then ``doc``): its members with
    their representative, scores and, on the representative's row, the
    cluster's line."""

    def run(batches: Iterable[Any]) -> Iterator[Any]:
        import pyarrow as pa
        from neardiff import _native

        opts = _options(kw)
        for g in _whole_groups(batches, "comp"):
            d = _native.spark_cluster_lines(
                opts, _np_fixed(g.column("comp"), np.int64), *_doc_columns(g, kw["verify"])
            )
            m = len(d["doc"]) // 8
            if m == 0:
                continue
            rows = pa.array(np.frombuffer(d["doc"], np.int64))
            reps = pa.array(np.frombuffer(d["rep"], np.int64))
            yield pa.RecordBatch.from_arrays(
                [
                    g.column("doc").take(rows).combine_chunks(),
                    g.column("id").take(rows).combine_chunks(),
                    g.column("doc").take(reps).combine_chunks(),
                    g.column("id").take(reps).combine_chunks(),
                    g.column("date").take(reps).combine_chunks(),
                    pa.array(np.frombuffer(d["score"], np.float64)),
                    pa.array(np.frombuffer(d["size"], np.int64)),
                    _arrow_var(d, "line", m, string=True),
                ],
                names=["doc", "id", "rep", "rep_id", "rep_date", "score", "size", "line"],
            )

    return run


# --------------------------------------------------------------------------
# The driver


class SparkDedup:
    """The result of :func:`dedup`.

    * ``members``: a DataFrame with one row per cluster member, the rows of
      ``neardiff dedup --format csv``: ``cluster`` (numbered from 1 in the
      command's output order), ``id``, ``representative``, ``score``,
      ``metric``, and ``doc`` (the member's place in the input order);
    * ``summary``: the run's figures (a dict);
    * ``work_dir``: where the stages are kept.
    """

    def __init__(self, spark: Any, work_dir: str, summary: Dict[str, Any]):
        self._spark = spark
        self.work_dir = work_dir
        self.summary = summary

    @property
    def members(self) -> Any:
        return self._spark.read.parquet(_join(self.work_dir, "members"))

    def lines(self) -> Iterator[str]:
        """The clusters as ``neardiff dedup`` writes them (JSON Lines, in
        the command's order), one line at a time without its end."""
        df = self._spark.read.parquet(_join(self.work_dir, "lines")).orderBy("cluster")
        for row in df.select("line").toLocalIterator():
            yield row[0]

    def to_jsonl(self, path: str) -> None:
        """Writes :meth:`lines` to ``path`` (a local file), through a file
        next to it renamed into place, so a failed write leaves no partial
        file."""
        _write_atomic(path, (line + "\n" for line in self.lines()))

    def to_csv(self, path: str) -> None:
        """Writes the members as ``neardiff dedup --format csv`` does."""
        df = self.members.orderBy("cluster", "rank")

        def rows() -> Iterator[str]:
            yield "cluster,id,representative,score,metric\n"
            for r in df.select("cluster", "id", "representative", "score", "metric").toLocalIterator():
                yield f"{r[0]},{_csv(r[1])},{_csv(r[2])},{_num(r[3])},{r[4]}\n"

        _write_atomic(path, rows())


def _csv(s: str) -> str:
    if any(c in s for c in ',"\n\r'):
        return '"' + s.replace('"', '""') + '"'
    return s


def _num(x: float) -> str:
    """A score as Rust's ``Display`` of an ``f64`` writes it: the shortest
    digits that read back as the same number, never an exponent."""
    return np.format_float_positional(x, trim="-")


def _write_atomic(path: str, chunks: Iterable[str]) -> None:
    path = os.fspath(path)
    tmp = f"{path}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            for c in chunks:
                f.write(c)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _join(base: str, name: str) -> str:
    return base.rstrip("/") + "/" + name


def _fs(spark: Any, path: str) -> Any:
    jvm = spark._jvm
    p = jvm.org.apache.hadoop.fs.Path(path)
    return p.getFileSystem(spark._jsc.hadoopConfiguration()), p


def _exists(spark: Any, path: str) -> bool:
    fs, p = _fs(spark, path)
    return bool(fs.exists(p))


def _done(spark: Any, path: str) -> bool:
    return _exists(spark, _join(path, "_SUCCESS"))


def _read_text(spark: Any, path: str) -> Optional[str]:
    if not _exists(spark, path):
        return None
    return "\n".join(r[0] for r in spark.read.text(path, wholetext=True).collect())


def _write_text(spark: Any, path: str, text: str) -> None:
    fs, p = _fs(spark, path)
    out = fs.create(p, True)
    out.write(bytearray(text.encode("utf-8")))
    out.close()


def _delete(spark: Any, path: str) -> None:
    fs, p = _fs(spark, path)
    if fs.exists(p):
        fs.delete(p, True)


_CORPUS_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".parquet")


def _expand(spark: Any, paths: Sequence[str]) -> List[str]:
    """The files of ``paths`` in the command-line tool's order: paths as
    given, directories walked depth first with entries sorted by path,
    hidden entries skipped, only JSON Lines files (``.jsonl``,
    ``.ndjson``, optionally gzipped) and Parquet files taken from
    directories."""
    out: List[str] = []

    def walk(fs: Any, p: Any) -> None:
        entries = sorted(fs.listStatus(p), key=lambda s: s.getPath().toString())
        for st in entries:
            name = st.getPath().getName()
            if name.startswith("."):
                continue
            if st.isDirectory():
                walk(fs, st.getPath())
            elif name.endswith(_CORPUS_SUFFIXES):
                out.append(st.getPath().toString())

    for path in paths:
        path = os.fspath(path)
        fs, p = _fs(spark, path)
        if not fs.exists(p):
            raise FileNotFoundError(f"{path}: no such file or directory")
        st = fs.getFileStatus(p)
        if st.isDirectory():
            walk(fs, p)
        else:
            out.append(st.getPath().toString())
    return out


def _display(uri: str) -> str:
    """A file's name as the command-line tool would print it: a local
    path without its ``file:`` scheme."""
    for prefix in ("file://", "file:"):
        if uri.startswith(prefix):
            return uri[len(prefix) :]
    return uri


def _dense(spark: Any, sorted_df: Any, out: str, name: str) -> Any:
    """Writes a sorted DataFrame with its rows numbered from 0 in column
    ``name``, without funnelling the rows through one task: each row's
    partition and place in it are written with it, then the partitions'
    counts give the offsets."""
    from pyspark.sql import functions as F

    tmp = out + "-unnumbered"
    _delete(spark, tmp)
    (
        sorted_df.withColumn("_pid", F.spark_partition_id())
        .withColumn("_mono", F.monotonically_increasing_id())
        .write.mode("overwrite")
        .parquet(tmp)
    )
    raw = spark.read.parquet(tmp)
    counts = sorted(
        (r[0], r[1])
        for r in raw.groupBy("_pid").agg(F.count(F.lit(1))).collect()
    )
    offsets, total = [], 0
    for pid, n in counts:
        offsets.append((pid, total))
        total += n
    table = spark.createDataFrame(offsets, "_pid int, _off long")
    numbered = raw.join(F.broadcast(table), "_pid").withColumn(
        name,
        F.col("_off") + (F.col("_mono") - F.shiftleft(F.col("_pid").cast("long"), 33)),
    )
    numbered.drop("_pid", "_mono", "_off").write.mode("overwrite").parquet(out)
    _delete(spark, tmp)
    return spark.read.parquet(out)


def _components_on_driver(spark: Any, edges: Any, out: str) -> None:
    import pyarrow as pa
    from neardiff import _native

    table = _to_arrow(edges.select("a", "b"))
    a = _np_fixed(table.column("a"), np.int64)
    b = _np_fixed(table.column("b"), np.int64)
    nodes, labels = _native.spark_components(a, b)
    table = pa.table(
        {
            "doc": np.frombuffer(nodes, np.int64),
            "comp": np.frombuffer(labels, np.int64),
        }
    )
    _from_arrow(spark, table, "doc long, comp long").write.mode("overwrite").parquet(out)


def _from_arrow(spark: Any, table: Any, schema: str) -> Any:
    """A DataFrame of a pyarrow Table (Spark 4 takes one; Spark 3.5 takes
    it through pandas with Arrow on)."""
    try:
        return spark.createDataFrame(table, schema)
    except (TypeError, ValueError):
        key = "spark.sql.execution.arrow.pyspark.enabled"
        before = spark.conf.get(key, "false")
        spark.conf.set(key, "true")
        try:
            return spark.createDataFrame(table.to_pandas(), schema)
        finally:
            spark.conf.set(key, before)


def _to_arrow(df: Any) -> Any:
    if hasattr(df, "toArrow"):
        return df.toArrow()
    import pyarrow as pa

    batches = df._collect_as_arrow()
    if not batches:
        return pa.table({c: pa.array([], pa.int64()) for c in df.columns})
    return pa.Table.from_batches(batches)


def _components_on_cluster(spark: Any, edges: Any, out: str, work: str) -> int:
    """Connected components by alternating large-star and small-star rounds
    (Kiveris et al., "Connected Components in MapReduce and Beyond", 2014),
    each round's edges written as Parquet (a checkpoint). Returns the
    number of rounds."""
    from pyspark.sql import functions as F

    # Edges (a, b) with b < a: a points at a smaller node.
    e = edges.select(
        F.greatest("a", "b").alias("a"), F.least("a", "b").alias("b")
    ).distinct()
    rounds = 0
    prev = _join(work, "cc-0")
    e.write.mode("overwrite").parquet(prev)
    e = spark.read.parquet(prev)
    while True:
        rounds += 1
        both = e.select(F.col("a").alias("u"), F.col("b").alias("v")).union(
            e.select(F.col("b").alias("u"), F.col("a").alias("v"))
        )
        # Large star: every neighbour larger than u points at the least of
        # u's neighbourhood (u included).
        m = both.groupBy("u").agg(F.min("v").alias("m")).withColumn("m", F.least("u", "m"))
        large = (
            both.filter(F.col("v") > F.col("u"))
            .join(m, "u")
            .select(F.col("v").alias("a"), F.col("m").alias("b"))
            .filter(F.col("a") != F.col("b"))
            .distinct()
        )
        # Small star: u and its smaller neighbours point at the least of them.
        both = large.select(F.col("a").alias("u"), F.col("b").alias("v")).union(
            large.select(F.col("b").alias("u"), F.col("a").alias("v"))
        )
        smaller = both.filter(F.col("v") < F.col("u"))
        m = smaller.groupBy("u").agg(F.min("v").alias("m"))
        small = (
            smaller.join(m, "u")
            .select(F.col("v").alias("a"), F.col("m").alias("b"))
            .union(m.select(F.col("u").alias("a"), F.col("m").alias("b")))
            .filter(F.col("a") != F.col("b"))
            .distinct()
        )
        path = _join(work, f"cc-{rounds}")
        small.write.mode("overwrite").parquet(path)
        new = spark.read.parquet(path)
        same = new.count() == e.count() and new.exceptAll(e).isEmpty()
        _delete(spark, prev)
        prev, e = path, new
        if same:
            break
    # A star per component: every node but the least points at the least.
    roots = e.select(F.col("b").alias("doc"), F.col("b").alias("comp")).distinct()
    e.select(F.col("a").alias("doc"), F.col("b").alias("comp")).union(roots).write.mode(
        "overwrite"
    ).parquet(out)
    _delete(spark, prev)
    return rounds


def _set_aside_boilerplate(
    spark: Any,
    sk: Any,
    kw: Dict[str, Any],
    keep_boilerplate: bool,
    nparts: int,
    boilerplate_path: str,
    applied_path: str,
) -> None:
    """Stages ``boilerplate`` and ``applied``: each outlet's sample (the
    documents ``dedup`` samples, picked by place with a window per outlet)
    gives its boilerplate on one task; the sets are broadcast and set
    aside from every sketch (or, with ``keep_boilerplate``, the sketches
    are kept as they are)."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    good = sk.filter(F.col("message").isNull())
    if keep_boilerplate:
        good.drop("message").mapInArrow(_unchanged, _APPLIED_SCHEMA).write.mode(
            "overwrite"
        ).parquet(applied_path)
        return
    members = good.filter((F.col("outlet") != 0) & (F.col("num_shingles") > 0))
    w = Window.partitionBy("outlet").orderBy("doc")
    counted = members.select(
        "doc", "outlet", "num_shingles", "words", "fps", "edges",
        (F.row_number().over(w) - 1).alias("p"),
        F.count(F.lit(1)).over(Window.partitionBy("outlet")).alias("n"),
    )
    take = F.least(F.col("n"), F.lit(256))
    i = F.floor((F.col("p") * take + F.col("n") - 1) / F.col("n"))
    sample = counted.filter(
        (F.col("n") >= 5) & (i < take) & (F.floor(i * F.col("n") / take) == F.col("p"))
    )
    (
        sample.repartition(nparts, "outlet")
        .sortWithinPartitions("outlet", "doc")
        .mapInArrow(_boilerplate_of(kw), _BOILERPLATE_SCHEMA)
        .write.mode("overwrite")
        .parquet(boilerplate_path)
    )
    sets = [
        (r["outlet"], bytes(r["fps"]), bytes(r["slots"]))
        for r in spark.read.parquet(boilerplate_path).orderBy("outlet").collect()
    ]
    shared = spark.sparkContext.broadcast(sets)
    token = uuid.uuid4().hex
    good.drop("message").mapInArrow(_apply(kw, token, shared), _APPLIED_SCHEMA).write.mode(
        "overwrite"
    ).parquet(applied_path)
    shared.unpersist()


def _band_groups(ap: Any, bands: int, nparts: int) -> Any:
    """The band groups of two or more documents: ``bk`` (band and key),
    ``f`` (the group's first document, its unit) and ``members`` (in input
    order)."""
    from pyspark.sql import functions as F

    return (
        ap.select("doc", "keys")
        .mapInArrow(_entries(bands), _ENTRY_SCHEMA)
        .repartition(nparts, "bk")
        .sortWithinPartitions("bk", "doc")
        .mapInArrow(_group_lists, "bk long, members array<long>")
        .withColumn("f", F.element_at("members", 1))
    )


def _group_links(spark: Any, ap: Any, groups_path: str, kw: Dict[str, Any], nparts: int) -> Any:
    """Every unit (the groups with one first document ``f``, at most one
    per band) on one task with its documents' sketches, verified there
    (:func:`_links_of`): a document's fingerprints travel once per unit it
    is in, and a task holds one unit at a time besides its batch."""
    from pyspark.sql import functions as F

    cols = ["id", "date", "num_shingles", "words", "fps"] + ([] if kw["verify"] else ["sig"])
    types = dict(ap.dtypes)
    groups = spark.read.parquet(groups_path)
    docs = (
        groups.select("f", F.explode("members").alias("doc"))
        .distinct()
        .join(ap.select("doc", *cols), "doc")
        .select(
            "f",
            F.lit(0).alias("kind"),
            F.lit(None).cast("long").alias("bk"),
            F.lit(None).cast("array<long>").alias("members"),
            "doc",
            *cols,
        )
    )
    lists = groups.select(
        "f",
        F.lit(1).alias("kind"),
        "bk",
        "members",
        F.lit(None).cast("long").alias("doc"),
        *[F.lit(None).cast(types[c]).alias(c) for c in cols],
    )
    schema = (
        "doc long, container long, containment double, jaccard double, c_date string, c_id string"
        if kw["metric"] == "containment"
        else _EDGE_SCHEMA
    )
    return (
        docs.unionByName(lists)
        .repartition(nparts, "f")
        .sortWithinPartitions("f", "kind", "bk", "doc")
        .mapInArrow(_links_of(kw), schema)
    )


def _verified_edges(links: Any, metric: str) -> Any:
    """The edges whose connected components are the clusters. Jaccard: the
    units' links. Containment: each contained document joined to its best
    container over all its units, chosen as the command chooses it
    (highest containment, then Jaccard, then the container first in the
    representative order: dated first, earliest date, smallest id,
    earliest place)."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    if metric != "containment":
        return links.distinct()
    best = Window.partitionBy("doc").orderBy(
        F.col("containment").desc(),
        F.col("jaccard").desc(),
        F.col("c_date").isNull(),
        "c_date",
        "c_id",
        "container",
    )
    return (
        links.withColumn("_r", F.row_number().over(best))
        .filter(F.col("_r") == 1)
        .select(F.col("doc").alias("a"), F.col("container").alias("b"))
    )


def _cluster_rows(ap: Any, comps: Any, kw: Dict[str, Any], nparts: int) -> Any:
    """Each cluster's members on one task, with its representative, the
    members' scores against it and its line (:func:`_clusters_of`)."""
    from pyspark.sql import functions as F

    small = comps.count() <= 5_000_000
    cols = ["doc", "id", "date", "num_shingles", "words", "fps"]
    if not kw["verify"]:
        cols.append("sig")
    return (
        ap.select(*cols)
        .join(F.broadcast(comps) if small else comps, "doc")
        .repartition(nparts, "comp")
        .sortWithinPartitions("comp", "doc")
        .mapInArrow(_clusters_of(kw), _CLUSTER_SCHEMA)
    )


def dedup(
    df: Any = None,
    *,
    paths: Optional[Sequence[str]] = None,
    spark: Any = None,
    text_col: str = "text",
    id_col: str = "id",
    order_col: Optional[str] = None,
    date_col: str = "date",
    outlet_col: str = "outlet",
    url_col: str = "url",
    threshold: Optional[float] = None,
    metric: str = "jaccard",
    num_perm: int = 128,
    seed: int = 0,
    shingle_size: int = 4,
    min_words: Optional[int] = None,
    verify: bool = True,
    keep_boilerplate: bool = False,
    min_size_ratio: float = 0.3,
    skip_invalid: bool = False,
    components: str = "auto",
    partitions: Optional[int] = None,
    work_dir: Optional[str] = None,
    resume: bool = False,
    jsonl_path: Optional[str] = None,
) -> SparkDedup:
    """Clusters of near-duplicate articles, computed on Spark: the same
    clusters as ``neardiff dedup`` over the same articles in the same
    order, whatever the number of partitions, executors or input files.

    Input: a DataFrame ``df`` with the columns named by ``text_col``,
    ``id_col``, ``date_col``, ``outlet_col``, ``url_col`` (missing ones are
    null), ordered by ``order_col`` (then ``id_col``; without
    ``order_col``, by ``id_col``); or ``paths``: JSON Lines files or
    directories, read line by line and parsed by the command-line tool's
    parser, in the order given (directories walked in sorted order).

    Options are the command's (``threshold`` defaults to 0.5 for
    ``metric="jaccard"``, 0.8 for ``"containment"``). ``components``:
    ``"driver"`` (union-find on the driver: 16 bytes per candidate edge
    there), ``"spark"`` (large-star/small-star rounds on the cluster), or
    ``"auto"`` (the driver up to :data:`DRIVER_EDGES` edges).
    ``partitions``: shuffle partitions of the job's own stages (default:
    ``spark.sql.shuffle.partitions``). ``work_dir``: where the stages are
    kept (default: a new directory under ``spark.local.dir`` or /tmp);
    with ``resume=True`` the stages already finished there for the same
    input and options are not run again. ``jsonl_path``: also write the
    clusters as ``neardiff dedup`` does (a local file, replaced
    atomically).
    """
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    if (df is None) == (paths is None):
        raise ValueError("give either a DataFrame or paths=")
    if components not in ("auto", "driver", "spark"):
        raise ValueError(f'components must be "auto", "driver" or "spark", got {components!r}')
    if partitions is not None and partitions < 1:
        raise ValueError("partitions must be at least 1")
    spark = spark or (df.sparkSession if df is not None else SparkSession.builder.getOrCreate())
    kw = dict(
        threshold=threshold,
        metric=metric,
        num_perm=num_perm,
        seed=seed,
        shingle_size=shingle_size,
        min_words=min_words,
        verify=verify,
        keep_boilerplate=keep_boilerplate,
        skip_invalid=skip_invalid,
        min_size_ratio=min_size_ratio,
        text_col=text_col,
        id_col=id_col,
        date_col=date_col,
        outlet_col=outlet_col,
        url_col=url_col,
    )
    opts = _options(kw)  # checks the options on the driver first
    bands, _rows = opts.plan()
    if partitions:
        spark.conf.set("spark.sql.shuffle.partitions", str(partitions))
    nparts = int(spark.conf.get("spark.sql.shuffle.partitions"))

    files = _expand(spark, paths) if paths is not None else None
    if files is not None and not files:
        raise FileNotFoundError("no JSON Lines or Parquet files in " + ", ".join(map(str, paths)))
    # Parquet files are read as a DataFrame ordered by the file's place in
    # the list, then the row's place in the file.
    order_keys: List[Any] = []
    if files is not None and any(f.endswith(".parquet") for f in files):
        if not all(f.endswith(".parquet") for f in files):
            raise ValueError("the inputs mix Parquet and JSON Lines files: give one kind")
        listed = spark.createDataFrame(
            [(_display(f), i) for i, f in enumerate(files)], "_name string, _file long"
        )
        df = (
            spark.read.parquet(*files)
            .select(
                "*",
                F.regexp_replace("_metadata.file_path", "^file:(//)?", "").alias("_name"),
                F.col("_metadata.row_index").alias("_row"),
            )
            .join(F.broadcast(listed), "_name")
        )
        order_keys = ["_file", "_row"]
        parquet_files, files = files, None
    else:
        parquet_files = None
    work = work_dir or _join(
        "file://" + os.path.abspath(os.environ.get("TMPDIR", "/tmp")),
        "neardiff-spark-" + uuid.uuid4().hex[:12],
    )
    params = json.dumps(
        {
            "version": WORK_VERSION,
            "options": kw,
            "files": files or parquet_files,
            "order": [order_col, id_col] if files is None else None,
        },
        sort_keys=True,
    )
    params_path = _join(work, "params.json")
    if resume and _exists(spark, params_path):
        if _read_text(spark, params_path) != params:
            raise ValueError(
                f"{work}: holds the stages of another input or other options; "
                "give another work_dir or resume=False"
            )
    else:
        _delete(spark, work)
        _write_text(spark, params_path, params)

    def stage(name: str) -> str:
        return _join(work, name)

    seconds: Dict[str, float] = {}
    clock = {"name": None, "t": time.perf_counter()}

    def lap(name: Optional[str]) -> None:
        now = time.perf_counter()
        if clock["name"] is not None:
            seconds[clock["name"]] = round(now - clock["t"], 3)
        clock["name"], clock["t"] = name, now
        # Names the stage's Spark jobs (the UI, event logs).
        spark.sparkContext.setJobDescription(None if name is None else f"neardiff {name}")

    def fresh(name: str) -> bool:
        """True when stage ``name`` must run (a later stage depends on it,
        so everything after a stage that runs runs too); times it."""
        lap(None)
        if resume and _done(spark, stage(name)) and not fresh.ran:
            return False
        fresh.ran = True
        lap(name)
        return True

    fresh.ran = False  # type: ignore[attr-defined]

    # 1. input: every row with its place in the input order. For files,
    # the lines are numbered from the blocks Spark splits each file into:
    # a scan gives every block's first row id and line count (a small
    # table, kept as this stage), and the sketch stage scans again and
    # numbers each line from its block's row. The two scans split and
    # number the rows alike (the same files, the same splits), and
    # writing the texts once more would cost more than reading them again.
    def scan_lines() -> Any:
        return (
            spark.read.option("lineSep", "\n")
            .text(files)
            .select(
                "value",
                F.col("_metadata.file_path").alias("path"),
                F.col("_metadata.file_block_start").alias("block"),
                F.monotonically_increasing_id().alias("mono"),
            )
        )

    if fresh("input"):
        if files is not None:
            blocks = (
                scan_lines()
                .groupBy("path", "block")
                .agg(F.min("mono").alias("m0"), F.count(F.lit(1)).alias("n"))
                .collect()
            )
            rows = _block_offsets(blocks, files)
            spark.createDataFrame(
                rows, "path string, block long, m0 long, before long, file_before long, name string"
            ).coalesce(1).write.mode("overwrite").parquet(stage("input"))
        else:
            cols = df.columns
            keys = order_keys or [k for k in (order_col, id_col) if k and k in cols]
            if order_col and order_col not in cols:
                raise ValueError(f'no column "{order_col}" (order_col) to order the rows by')
            if not keys:
                raise ValueError(
                    f'no column to order the rows by: name one with order_col= (no "{id_col}" either)'
                )
            if text_col not in cols:
                raise ValueError(f'no column "{text_col}" (the article body); name it with text_col=')
            keep = [c for c in (text_col, id_col, date_col, outlet_col, url_col) if c in cols]
            sel = [F.col(c).cast("string").alias(c) if c != text_col else F.col(c) for c in keep]
            keyed = df.select(*sel, *[F.col(k).alias(f"_k{i}") for i, k in enumerate(keys)])
            _dense(
                spark,
                keyed.orderBy(*[f"_k{i}" for i in range(len(keys))]),
                stage("input"),
                "doc",
            )
    inp = spark.read.parquet(stage("input"))

    # 2. sketch.
    if fresh("sketch"):
        if files is not None:
            lines = scan_lines().join(F.broadcast(inp), ["path", "block"]).select(
                "value",
                F.col("name").alias("path"),
                (F.col("before") + F.col("mono") - F.col("m0") + 1).alias("line"),
                (F.col("file_before") + F.col("before") + F.col("mono") - F.col("m0")).alias("doc"),
            )
            # Blank lines are no records (their numbers still count).
            records = lines.filter(~F.col("value").rlike(r"^[ \t\n\f\r]*$"))
            fn = _sketch_lines(kw)
        else:
            records = inp
            fn = _sketch_records(kw, [text_col, id_col, date_col, outlet_col, url_col])
        records.mapInArrow(fn, _SKETCH_SCHEMA).write.mode("overwrite").parquet(stage("sketch"))
    sk = spark.read.parquet(stage("sketch"))

    # 3. boilerplate, per outlet from its sample, then set aside.
    if fresh("applied"):
        _set_aside_boilerplate(
            spark, sk, kw, keep_boilerplate, nparts, stage("boilerplate"), stage("applied")
        )
    ap = spark.read.parquet(stage("applied"))

    # 4. band groups, verified where they are formed; the components of
    # the verified links are the clusters.
    if fresh("groups"):
        _band_groups(ap, bands, nparts).write.mode("overwrite").parquet(stage("groups"))
    if fresh("links"):
        _group_links(spark, ap, stage("groups"), kw, nparts).write.mode("overwrite").parquet(
            stage("links")
        )
    if fresh("edges"):
        _verified_edges(spark.read.parquet(stage("links")), metric).write.mode(
            "overwrite"
        ).parquet(stage("edges"))
    edges = spark.read.parquet(stage("edges"))
    cc_rounds = None
    cc_how = None
    if fresh("components"):
        how = components
        if how == "auto":
            how = "driver" if edges.count() <= DRIVER_EDGES else "spark"
        cc_how = how
        if how == "driver":
            _components_on_driver(spark, edges, stage("components"))
        else:
            cc_rounds = _components_on_cluster(spark, edges, stage("components"), work)
    comps = spark.read.parquet(stage("components"))

    # 5. per cluster: representative, member scores, line; numbered in the
    # output order.
    if fresh("clusters"):
        _cluster_rows(ap, comps, kw, nparts).write.mode("overwrite").parquet(stage("clusters"))
    cl = spark.read.parquet(stage("clusters"))
    if fresh("lines"):
        reps = cl.filter(F.col("line").isNotNull())
        _dense(
            spark,
            reps.orderBy(
                F.col("size").desc(),
                F.col("rep_date").isNull(),
                F.col("rep_date"),
                F.col("rep_id"),
                F.col("rep"),
            ).select("rep", "line"),
            stage("lines"),
            "cluster",
        )
    ln = spark.read.parquet(stage("lines"))
    if fresh("members"):
        numbers = ln.select("rep", (F.col("cluster") + 1).alias("cluster"))
        within = Window.partitionBy("rep").orderBy(F.col("doc") != F.col("rep"), "id", "doc")
        (
            cl.join(numbers, "rep")
            .select(
                "cluster",
                "id",
                F.col("rep_id").alias("representative"),
                "score",
                F.lit(metric).alias("metric"),
                "doc",
                F.row_number().over(within).alias("rank"),
            )
            .write.mode("overwrite")
            .parquet(stage("members"))
        )
    lap(None)
    ln = spark.read.parquet(stage("lines"))
    summary = _summary(spark, work, sk, ap, ln, cl, keep_boilerplate)
    if cc_rounds is not None:
        summary["components_rounds"] = cc_rounds
    if cc_how is not None:
        summary["components"] = cc_how
    summary["seconds"] = seconds
    result = SparkDedup(spark, work, summary)
    if jsonl_path is not None:
        result.to_jsonl(jsonl_path)
    return result


def _block_offsets(blocks: Sequence[Any], files: Sequence[str]) -> List[tuple]:
    """Per file block read by Spark (rows with ``path``, ``block``, ``m0``:
    its first row id, ``n``: its lines): (path, block, m0, lines before
    the block in its file, lines in the files before its file, the file's
    name as the command prints it)."""
    by_file: Dict[str, List[Any]] = {}
    for r in blocks:
        by_file.setdefault(r["path"], []).append(r)
    order = {f: i for i, f in enumerate(files)}
    norm = {p: _match_file(p, order) for p in by_file}
    file_lines = {f: 0 for f in files}
    for p, rs in by_file.items():
        file_lines[norm[p]] += sum(r["n"] for r in rs)
    before_file, total = {}, 0
    for f in files:
        before_file[f] = total
        total += file_lines[f]
    rows = []
    for p, rs in by_file.items():
        acc = 0
        for r in sorted(rs, key=lambda r: r["block"]):
            rows.append((p, r["block"], r["m0"], acc, before_file[norm[p]], _display(norm[p])))
            acc += r["n"]
    return rows


def _match_file(path: str, order: Dict[str, int]) -> str:
    """The listed file a path read by Spark names (Spark may spell a local
    path ``file:/x`` where the listing said ``file:///x``)."""
    if path in order:
        return path
    stripped = _display(path)
    for f in order:
        if _display(f) == stripped:
            return f
    raise RuntimeError(f"Spark read a file that was not listed: {path}")


def _summary(
    spark: Any, work: str, sk: Any, ap: Any, ln: Any, cl: Any, keep_boilerplate: bool
) -> Dict[str, Any]:
    from pyspark.sql import functions as F

    s = sk.agg(
        F.count(F.lit(1)).alias("rows"),
        F.sum(F.col("message").isNotNull().cast("long")).alias("invalid"),
    ).collect()[0]
    a = ap.agg(
        F.sum((F.col("num_shingles") == 0).cast("long")).alias("too_short"),
        F.sum((F.col("state") > 0).cast("long")).alias("bp_articles"),
        F.sum((F.col("state") == 2).cast("long")).alias("bp_only"),
    ).collect()[0]
    clusters = ln.count()
    members = cl.count()
    out = {
        "documents": int(s["rows"] or 0) - int(s["invalid"] or 0),
        "invalid": int(s["invalid"] or 0),
        "too_short": int(a["too_short"] or 0),
        "clusters": clusters,
        "duplicates": members - clusters,
        "boilerplate_articles": int(a["bp_articles"] or 0),
        "boilerplate_only": int(a["bp_only"] or 0),
    }
    if not keep_boilerplate and _done(spark, _join(work, "boilerplate")):
        bp = spark.read.parquet(_join(work, "boilerplate"))
        out["boilerplate_outlets"] = bp.count()
        out["boilerplate_shingles"] = int(
            bp.agg(F.sum(F.length("fps") / 4)).collect()[0][0] or 0
        )
    messages = [r[0] for r in sk.filter(F.col("message").isNotNull()).orderBy("doc").select("message").limit(20).collect()]
    out["skipped"] = messages
    return out


# --------------------------------------------------------------------------
# The job


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``spark-submit neardiff/spark.py INPUT... -o clusters.jsonl``."""
    import argparse

    ap = argparse.ArgumentParser(
        prog="neardiff.spark",
        description="neardiff dedup on Spark: the command's clusters as JSON Lines.",
    )
    ap.add_argument("inputs", nargs="+", help="JSON Lines files or directories (any Hadoop path)")
    ap.add_argument("-o", "--output", required=True, help="clusters as JSON Lines (a local file)")
    ap.add_argument("--work-dir", help="where the stages are kept (a Hadoop path)")
    ap.add_argument("--resume", action="store_true", help="reuse finished stages in --work-dir")
    ap.add_argument("--threshold", type=float)
    ap.add_argument("--metric", choices=["jaccard", "containment"], default="jaccard")
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--shingle-size", type=int, default=4)
    ap.add_argument("--min-words", type=int)
    ap.add_argument("--min-size-ratio", type=float, default=0.3)
    ap.add_argument("--no-verify", action="store_true")
    ap.add_argument("--keep-boilerplate", action="store_true")
    ap.add_argument("--skip-invalid", action="store_true")
    ap.add_argument("--components", choices=["auto", "driver", "spark"], default="auto")
    ap.add_argument("--partitions", type=int)
    ap.add_argument("--master", help="Spark master when not run by spark-submit (default local[*])")
    ap.add_argument("--summary", help="also write the run's figures here (JSON)")
    args = ap.parse_args(argv)
    from pyspark.sql import SparkSession

    # Workers run the Python that runs this (the one neardiff is installed
    # in), unless told otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("neardiff dedup")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    try:
        r = dedup(
            paths=args.inputs,
            spark=spark,
            threshold=args.threshold,
            metric=args.metric,
            num_perm=args.num_perm,
            seed=args.seed,
            shingle_size=args.shingle_size,
            min_words=args.min_words,
            min_size_ratio=args.min_size_ratio,
            verify=not args.no_verify,
            keep_boilerplate=args.keep_boilerplate,
            skip_invalid=args.skip_invalid,
            components=args.components,
            partitions=args.partitions,
            work_dir=args.work_dir,
            resume=args.resume,
            jsonl_path=args.output,
        )
    except Exception as e:  # one line, as the command-line tool prints
        print(f"error: {_one_line(e)}", file=sys.stderr)
        return 2
    if args.summary:
        _write_atomic(args.summary, [json.dumps(r.summary, indent=1) + "\n"])
    if args.work_dir is None:
        # Nothing can resume from a directory the user was not told of.
        _delete(spark, r.work_dir)
    s = r.summary
    print(
        f"{s['documents']} documents, {s['too_short']} too short, {s['clusters']} clusters, "
        f"{s['duplicates']} duplicates -> {args.output} (stages in {r.work_dir})",
        file=sys.stderr,
    )
    return 0


def _one_line(e: BaseException) -> str:
    """The message of a neardiff error raised in a Spark worker, without
    the Java and Python stack traces around it."""
    text = str(e)
    for marker in ("InputError: ", "ValueError: ", "FileNotFoundError: "):
        at = text.rfind(marker)
        if at >= 0:
            return text[at + len(marker) :].splitlines()[0].strip()
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[0] if lines else type(e).__name__


if __name__ == "__main__":
    # Run as a file (spark-submit): the stage functions must come from the
    # installed module, which the workers import, not from this script.
    from neardiff.spark import main as _main

    sys.exit(_main())
