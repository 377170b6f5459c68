"""neardiff: near-duplicate news detection and a diff of two versions of a story.

The work is done by the Rust library ``neardiff`` (the same code as the
``neardiff`` command-line tool), with the GIL released and on the library's
own threads (``threads=``; default: all cores).

* :func:`compare` -- the ``neardiff.compare/4`` report of two articles, as a
  dict; :func:`render` turns it into HTML, Markdown, text or JSON.
* :func:`dedup` -- clusters of near-duplicates in a corpus (an iterable of
  dicts or strings, a pandas DataFrame, a pyarrow Table or
  RecordBatchReader, or a path to JSON Lines / Parquet / a directory).
* :class:`Index` -- the command-line tool's persistent index: build, add,
  remove, check new articles, stats.
* :func:`story` -- one source story across many outlets (``neardiff.story/1``).
* :func:`sketch` -- MinHash signatures and LSH band keys as numpy arrays.
* :class:`MinHash`, :class:`MinHashLSH` -- for code written against
  datasketch (see docs/python-migration.md).

Bad input raises :class:`InputError` (a ``ValueError``) with the one-line
message the command-line tool prints, naming the record (``records[3]``) or
the file and line; bad parameters raise ``ValueError``.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Union

import numpy as np

from . import _native
from ._native import CorruptIndexError, InputError

__version__ = _native.__version__

__all__ = [
    "compare",
    "render",
    "Report",
    "dedup",
    "DedupResult",
    "Index",
    "story",
    "sketch",
    "Sketches",
    "MinHash",
    "MinHashLSH",
    "InputError",
    "CorruptIndexError",
]


# --------------------------------------------------------------------------
# compare


class Report(dict):
    """The ``neardiff.compare/4`` report of :func:`compare` (a plain ``dict``
    in every respect), which also keeps the comparison it was made from, so
    that :func:`render` needs not compare again."""

    __slots__ = ("_comparison",)


def compare(
    a: Any,
    b: Any,
    *,
    shingle_size: int = 4,
    num_perm: int = 128,
    seed: int = 0,
    min_run: int = _native.DEFAULT_MIN_RUN,
    max_changed_words: int = _native.DEFAULT_MAX_CHANGED_WORDS,
) -> Report:
    """Compare two articles; return the ``neardiff.compare/4`` report as a dict.

    ``a`` and ``b`` are each a ``str`` (the body; ids ``"a"`` and ``"b"``), a
    ``dict`` with ``text`` and optionally ``id``, ``outlet``, ``url``,
    ``date``, ``title``, ``source`` (as a JSON article for the command-line
    tool), or an ``os.PathLike`` naming an article file (read exactly as
    ``neardiff compare FILE`` reads it). The report is the one
    ``neardiff compare --format json`` writes (docs/json-schema.md): verdict
    and scores, aligned passages, copied runs, quotes and changed facts.
    """
    native = _native.compare(a, b, shingle_size, num_perm, seed, min_run, max_changed_words)
    report = Report(native.report())
    report._comparison = native
    return report


def render(
    report: Dict[str, Any],
    format: str = "html",
    *,
    color: bool = False,
    seed: int = 0,
    min_run: int = _native.DEFAULT_MIN_RUN,
    max_changed_words: int = _native.DEFAULT_MAX_CHANGED_WORDS,
) -> str:
    """Render a :func:`compare` report as ``"html"``, ``"markdown"``,
    ``"text"`` or ``"json"`` (the command-line tool's output, byte for byte).

    A :class:`Report` is rendered from the comparison it keeps. A plain
    dict (a report loaded back from JSON, say) is compared again from the
    two articles it holds (their text and metadata), with its
    ``shingle_size`` and ``num_perm``; the seed, ``min_run`` and
    ``max_changed_words`` are not in the report, so give them here if the
    report was made with other values than the defaults.
    """
    native = getattr(report, "_comparison", None)
    if native is None:
        sim = report["similarity"]

        def side(s: Dict[str, Any]) -> Dict[str, Any]:
            keys = ("id", "outlet", "url", "date", "title", "source", "text")
            return {k: s.get(k) for k in keys}

        native = _native.compare(
            side(report["a"]),
            side(report["b"]),
            sim["shingle_size"],
            sim["num_perm"],
            seed,
            min_run,
            max_changed_words,
        )
    return native.render(format, color)


# --------------------------------------------------------------------------
# story


def story(
    source: Any,
    outlets: Iterable[Any],
    *,
    format: str = "json",
    shingle_size: int = 4,
    num_perm: int = 128,
    seed: int = 0,
    threads: Optional[int] = None,
) -> Any:
    """One source story across outlets: the ``neardiff.story/1`` report.

    ``source`` and each of ``outlets`` are articles as :func:`compare` takes
    them (str, dict or path); ids must be distinct (give dicts with ``id``
    and ``outlet``). Returns a dict for ``format="json"``, else the
    ``"html"`` or ``"text"`` report as a str.
    """
    out = _native.story(source, outlets, format, shingle_size, num_perm, seed, threads)
    return json.loads(out) if format == "json" else out


# --------------------------------------------------------------------------
# inputs


def _is_path(x: Any) -> bool:
    return isinstance(x, (str, bytes)) or hasattr(x, "__fspath__")


def _paths(records: Any) -> Optional[List[str]]:
    """The paths ``records`` names: one path, or a list of ``os.PathLike``."""
    if _is_path(records):
        return [os.fsdecode(records)]
    if isinstance(records, (list, tuple)) and records and all(
        hasattr(r, "__fspath__") for r in records
    ):
        return [os.fsdecode(r) for r in records]
    return None


def _is_parquet(paths: List[str]) -> bool:
    return all(p.lower().endswith((".parquet", ".pq")) for p in paths)


def _is_dataframe(x: Any) -> bool:
    t = type(x)
    return t.__name__ == "DataFrame" and t.__module__.split(".")[0] == "pandas"


def _arrow_stream(obj: Any, wanted: Sequence[str]) -> Any:
    """An ``arrow_array_stream`` capsule of ``obj`` with the ``wanted``
    columns it has, each cast to a string type when it is not one."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if _is_dataframe(obj):
        cols = [c for c in wanted if c in obj.columns]
        obj = pa.Table.from_pandas(obj[cols], preserve_index=False)
    elif isinstance(obj, pa.RecordBatch):
        obj = pa.Table.from_batches([obj])
    elif not isinstance(obj, (pa.Table, pa.RecordBatchReader)):
        obj = pa.RecordBatchReader.from_stream(obj)
    schema = obj.schema
    cols = [c for c in wanted if c in schema.names]

    def stringlike(t: Any) -> bool:
        if pa.types.is_dictionary(t):
            t = t.value_type
        return (
            pa.types.is_string(t)
            or pa.types.is_large_string(t)
            or getattr(pa.types, "is_string_view", lambda _: False)(t)
        )

    def target(c: str) -> Any:
        t = schema.field(c).type
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            return None
        # As in a JSON record: the id may be an integer (or anything that
        # reads as text, a date too); the text, outlet and URL must be text.
        if c not in strict or stringlike(t) or pa.types.is_null(t):
            return pa.large_string()
        raise InputError(f'column "{c}" must hold strings, not {t}')

    strict = set(wanted[:1]) | set(wanted[3:5])
    casts = {c: target(c) for c in cols}
    if isinstance(obj, pa.Table):
        table = obj.select(cols)
        for c, t in casts.items():
            if t is not None:
                i = table.schema.get_field_index(c)
                table = table.set_column(i, c, pc.cast(table.column(c), t))
        return table.__arrow_c_stream__()
    # A stream: columns chosen and cast batch by batch, as they are read.
    fields = [pa.field(c, casts[c] or schema.field(c).type) for c in cols]
    out_schema = pa.schema(fields)

    def batches() -> Iterator[Any]:
        for b in obj:
            arrays = [
                pc.cast(b.column(c), casts[c]) if casts[c] is not None else b.column(c)
                for c in cols
            ]
            yield pa.RecordBatch.from_arrays(arrays, schema=out_schema)

    return pa.RecordBatchReader.from_batches(out_schema, batches()).__arrow_c_stream__()


def _is_arrow(x: Any) -> bool:
    return hasattr(x, "__arrow_c_stream__") or type(x).__module__.startswith("pyarrow")


def _rows(records: Any, wanted: Sequence[str]) -> Iterable[Any]:
    """Records as an iterable of dicts or strs (for :class:`Index`)."""
    if _is_dataframe(records):
        cols = [c for c in wanted if c in records.columns]
        return records[cols].to_dict("records")
    if _is_arrow(records):
        import pyarrow as pa

        if isinstance(records, pa.RecordBatchReader):
            return (row for b in records for row in b.to_pylist())
        if not isinstance(records, (pa.Table, pa.RecordBatch)):
            records = pa.table(records)
        return records.select([c for c in wanted if c in records.schema.names]).to_pylist()
    return records


# --------------------------------------------------------------------------
# dedup


class DedupResult:
    """The result of :func:`dedup`.

    * ``clusters``: one dict per cluster of two or more articles,
      ``{"representative", "size", "members": [{"id", "score", "metric"}]}``,
      largest first (the command-line tool's JSON Lines, parsed);
    * ``labels``: numpy ``int64`` array, the cluster (index into
      ``clusters``) of every input row, ``-1`` for a row in no cluster;
    * ``summary``: figures of the run (documents, clusters, duplicates,
      candidates, pairs, times in seconds, LSH bands and rows);
    * ``pairs``: the verified pairs with all scores (with ``pairs=True``);
    * ``too_short``: the articles too short to compare;
    * :meth:`to_jsonl` / :meth:`to_csv`: the command-line tool's output,
      byte for byte.
    """

    def __init__(self, native: Any, want_pairs: bool) -> None:
        self._native = native
        self._want_pairs = want_pairs
        self._clusters: Optional[List[Dict[str, Any]]] = None

    @property
    def clusters(self) -> List[Dict[str, Any]]:
        if self._clusters is None:
            self._clusters = [json.loads(line) for line in self.to_jsonl().splitlines()]
        return self._clusters

    @property
    def labels(self) -> "np.ndarray":
        return np.frombuffer(self._native.labels(), dtype="<i8").copy()

    @property
    def summary(self) -> Dict[str, Any]:
        return self._native.summary()

    @property
    def ids(self) -> List[str]:
        """The id of every article read, in input order."""
        return self._native.ids()

    @property
    def pairs(self) -> List[Dict[str, Any]]:
        if not self._want_pairs:
            raise ValueError("pairs were not kept: call dedup(..., pairs=True)")
        return [json.loads(line) for line in self._native.pairs().splitlines()]

    @property
    def too_short(self) -> List[Dict[str, Any]]:
        return [json.loads(line) for line in self._native.too_short().splitlines()]

    @property
    def skipped(self) -> List[str]:
        """Messages of the first malformed records skipped (``skip_invalid=True``)."""
        return self._native.skipped()

    def to_jsonl(self, path: Union[str, "os.PathLike[str]", None] = None) -> str:
        """The clusters as ``neardiff dedup --format jsonl`` writes them;
        also written to ``path`` when given."""
        return self._write(self._native.clusters("jsonl"), path)

    def to_csv(self, path: Union[str, "os.PathLike[str]", None] = None) -> str:
        """The clusters as ``neardiff dedup --format csv`` writes them."""
        return self._write(self._native.clusters("csv"), path)

    def pairs_jsonl(self) -> str:
        """The verified pairs as ``neardiff dedup --pairs`` writes them."""
        if not self._want_pairs:
            raise ValueError("pairs were not kept: call dedup(..., pairs=True)")
        return self._native.pairs()

    @staticmethod
    def _write(text: str, path: Any) -> str:
        if path is not None:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        return text

    def __len__(self) -> int:
        return len(self.clusters)

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"<neardiff.DedupResult: {s['documents']} documents, {s['clusters']} clusters, "
            f"{s['duplicates']} duplicates>"
        )


def dedup(
    records: Any,
    *,
    threshold: Optional[float] = None,
    metric: str = "jaccard",
    num_perm: int = 128,
    seed: int = 0,
    shingle_size: int = 4,
    min_words: Optional[int] = None,
    verify: bool = True,
    keep_boilerplate: bool = False,
    pairs: bool = False,
    via: bool = False,
    skip_invalid: bool = False,
    min_size_ratio: float = 0.3,
    threads: Optional[int] = None,
    text_col: str = "text",
    id_col: str = "id",
    date_col: str = "date",
    outlet_col: str = "outlet",
    url_col: str = "url",
    title_col: str = "title",
) -> DedupResult:
    """Find clusters of near-duplicate articles, as ``neardiff dedup`` does.

    ``records`` is one of:

    * a path (``str`` or ``os.PathLike``) or a list of ``os.PathLike``: JSON
      Lines (``.jsonl``, ``.ndjson``, ``.jsonl.gz``), text or JSON files,
      directories -- read by the command-line tool's own reader; a
      ``.parquet`` file is read with pyarrow;
    * a pandas DataFrame, a pyarrow Table, RecordBatch or RecordBatchReader
      (or any object with ``__arrow_c_stream__``): the columns named by
      ``text_col``, ``id_col``, ``date_col``, ``outlet_col``, ``url_col``
      are read through the Arrow C data interface without a copy per row
      (non-string columns are cast to strings first);
    * an iterable of dicts (fields named as above) or of strs (the text).

    An article without an id takes its row position (``"0"``, ``"1"``,
    ...). ``threshold`` defaults to 0.5 for ``metric="jaccard"`` and 0.8 for
    ``"containment"``; the other options are the command-line tool's
    (``verify=False`` is ``--no-verify``, ``keep_boilerplate=True`` is
    ``--keep-boilerplate``, ``pairs=True`` keeps the verified pairs as
    ``--pairs`` prints them, ``via=True`` is ``--via``: each member but the
    representative gets ``"via": {"id": ..., "score": ...}``, the verified
    pair that brought it into the cluster; ``min_size_ratio`` is
    ``--min-size-ratio``). The result is the same whatever ``threads``.
    """
    opts = _native.Options(
        threshold,
        metric,
        num_perm,
        seed,
        shingle_size,
        min_words,
        verify,
        keep_boilerplate,
        pairs,
        skip_invalid,
        min_size_ratio,
        via=via,
        text_col=text_col,
        id_col=id_col,
        date_col=date_col,
        outlet_col=outlet_col,
        url_col=url_col,
        title_col=title_col,
    )
    wanted = [text_col, id_col, date_col, outlet_col, url_col]
    paths = _paths(records)
    if paths is not None:
        if _is_parquet(paths):
            import pyarrow.parquet as pq

            tables = [pq.read_table(p) for p in paths]
            import pyarrow as pa

            records = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
        else:
            return DedupResult(_native.dedup_paths(paths, opts, threads), pairs)
    if _is_dataframe(records) or _is_arrow(records):
        try:
            stream = _arrow_stream(records, wanted)
        except ImportError:
            stream = None
        except Exception as e:
            # A DataFrame column pyarrow cannot type (ints and strs mixed
            # in one object column, say) is read row by row instead.
            if not (_is_dataframe(records) and type(e).__module__.startswith("pyarrow")):
                raise
            stream = None
        if stream is not None:
            return DedupResult(_native.dedup_arrow(stream, opts, threads), pairs)
        records = _rows(records, wanted)
    return DedupResult(_native.dedup_records(records, opts, threads), pairs)


# --------------------------------------------------------------------------
# Index


class Index:
    """The command-line tool's persistent index (``neardiff index`` /
    ``neardiff check``): the same files, readable by both.

    ``Index(path)`` names the index; :meth:`build` creates it, the other
    methods open it on first use. Use it as a context manager (or call
    :meth:`close`) to close it::

        with neardiff.Index("news.ndx") as ix:
            ix.build(df)
            hits = ix.check(new_articles)

    Articles are given as :func:`dedup` takes them (paths, DataFrame,
    Arrow, iterable of dicts or strs, with ``text_col=`` etc.).
    """

    def __init__(self, path: Union[str, "os.PathLike[str]"]) -> None:
        self.path = os.fspath(path)
        self._native: Any = None

    def _ix(self) -> Any:
        if self._native is None:
            if not os.path.exists(self.path):
                raise FileNotFoundError(
                    f"{self.path}: no index here; create one with Index({self.path!r}).build(...)"
                )
            self._native = _native.NativeIndex(self.path)
        return self._native

    @staticmethod
    def _source(records: Any, cols: Dict[str, Any]) -> Dict[str, Any]:
        paths = _paths(records)
        if paths is not None:
            return {"paths": paths}
        wanted = [cols.get(k) or d for k, d in _COLS.items()]
        return {"records": _rows(records, wanted)}

    def build(
        self,
        records: Any,
        *,
        force: bool = False,
        shingle_size: int = 4,
        num_perm: int = 128,
        seed: int = 0,
        lsh_threshold: float = 0.3,
        on_duplicate: str = "error",
        min_words: Optional[int] = None,
        skip_invalid: bool = False,
        threads: Optional[int] = None,
        **cols: Any,
    ) -> Dict[str, Any]:
        """Create the index from ``records`` (``neardiff index build``);
        ``force=True`` replaces an existing one. Returns the counts
        (added, updated, skipped, too_short, invalid, batches)."""
        self.close()
        src = self._source(records, cols)
        return _native.index_build(
            self.path,
            **src,
            force=force,
            shingle_size=shingle_size,
            num_perm=num_perm,
            seed=seed,
            lsh_threshold=lsh_threshold,
            on_duplicate=on_duplicate,
            min_words=min_words,
            skip_invalid=skip_invalid,
            threads=threads,
            **cols,
        )

    def add(
        self,
        records: Any,
        *,
        on_duplicate: str = "error",
        min_words: Optional[int] = None,
        skip_invalid: bool = False,
        threads: Optional[int] = None,
        **cols: Any,
    ) -> Dict[str, Any]:
        """Add articles (``neardiff index add``); ``on_duplicate`` is
        ``"error"``, ``"skip"`` or ``"update"``. Returns the counts."""
        src = self._source(records, cols)
        return self._ix().add(
            **src,
            on_duplicate=on_duplicate,
            min_words=min_words,
            skip_invalid=skip_invalid,
            threads=threads,
            **cols,
        )

    def remove(self, ids: Union[str, Iterable[str]], *, ignore_missing: bool = False) -> int:
        """Remove articles by id; an unknown id is an error (nothing is
        removed) unless ``ignore_missing``. Returns how many were removed."""
        if isinstance(ids, str):
            ids = [ids]
        return self._ix().remove(list(ids), ignore_missing=ignore_missing)

    def check(
        self,
        records: Any,
        *,
        threshold: Optional[float] = None,
        metric: str = "jaccard",
        top: int = 5,
        min_words: Optional[int] = None,
        skip_invalid: bool = False,
        threads: Optional[int] = None,
        **cols: Any,
    ) -> List[Dict[str, Any]]:
        """Check new articles against the index (``neardiff check``): one
        ``neardiff.check/2`` record per article, in input order, with its
        ``verdict`` and its best ``matches`` (id, date, outlet, title,
        verdict, score, jaccard, containment both ways, minhash_jaccard,
        band_hits). ``threshold`` defaults to 0.5 for Jaccard and 0.7 for
        containment."""
        src = self._source(records, cols)
        text, _ = self._ix().check(
            **src,
            threshold=threshold,
            metric=metric,
            top=top,
            min_words=min_words,
            skip_invalid=skip_invalid,
            threads=threads,
            **cols,
        )
        return [json.loads(line) for line in text.splitlines()]

    def stats(self) -> Dict[str, Any]:
        """Articles, segments, size on disk and parameters
        (``neardiff index stats --format json``)."""
        return json.loads(self._ix().stats())

    def verify(self) -> int:
        """Full integrity check (``neardiff index verify``); raises
        :class:`CorruptIndexError` on damage. Returns the articles checked."""
        return self._ix().verify()

    def compact(self) -> None:
        """Merge all segment files (``neardiff index compact``)."""
        self._ix().compact()

    def close(self) -> None:
        """Close the index (it is opened again on the next call)."""
        if self._native is not None:
            self._native.close()
            self._native = None

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"neardiff.Index({self.path!r})"


_COLS = {
    "text_col": "text",
    "id_col": "id",
    "date_col": "date",
    "outlet_col": "outlet",
    "url_col": "url",
    "title_col": "title",
}


# --------------------------------------------------------------------------
# sketch


class Sketches:
    """MinHash sketches of a batch of texts, as :func:`dedup` makes them.

    * ``signatures``: ``uint32`` array (n, num_perm), each value the low 32
      bits of a one-permutation MinHash value;
    * ``band_keys``: ``uint32`` array (n, bands), the LSH bucket key of
      each band for the layout :func:`dedup` uses at ``threshold``;
    * ``num_shingles``, ``words``: ``uint32`` arrays (n,); a text with
      fewer than ``min_words`` words has 0 shingles and must not be
      bucketed (its signature and keys are placeholders);
    * ``bands``, ``rows``: the LSH layout.
    """

    def __init__(self, raw: Any, n: int, num_perm: int) -> None:
        sigs, keys, shingles, words, bands, rows = raw
        self.signatures = np.frombuffer(sigs, dtype="<u4").reshape(n, num_perm).copy()
        self.band_keys = np.frombuffer(keys, dtype="<u4").reshape(n, bands).copy()
        self.num_shingles = np.frombuffer(shingles, dtype="<u4").copy()
        self.words = np.frombuffer(words, dtype="<u4").copy()
        self.bands = bands
        self.rows = rows

    def to_arrow(self) -> Any:
        """The sketches as a pyarrow Table (fixed-size list columns)."""
        import pyarrow as pa

        n = len(self.num_shingles)

        def fixed(a: "np.ndarray") -> Any:
            return pa.FixedSizeListArray.from_arrays(pa.array(a.reshape(-1)), a.shape[1] if n else 0)

        return pa.table(
            {
                "signature": fixed(self.signatures),
                "band_keys": fixed(self.band_keys),
                "num_shingles": self.num_shingles,
                "words": self.words,
            }
        )

    def __len__(self) -> int:
        return len(self.num_shingles)


def sketch(
    texts: Iterable[str],
    *,
    num_perm: int = 128,
    seed: int = 0,
    shingle_size: int = 4,
    threshold: float = 0.5,
    min_words: Optional[int] = None,
    threads: Optional[int] = None,
) -> Sketches:
    """MinHash signatures and LSH band keys of ``texts`` (strs), for users
    who keep their own index. Two texts whose signatures agree in a share
    ``s`` of positions have an estimated Jaccard similarity ``s`` of their
    shingle sets; texts sharing a band key are candidates at
    ``threshold``."""
    texts = list(texts)
    raw = _native.sketch(texts, num_perm, seed, shingle_size, threshold, min_words, threads)
    return Sketches(raw, len(texts), num_perm)


# --------------------------------------------------------------------------
# datasketch-style classes


class MinHash(_native.MinHash):
    """A MinHash sketch of one set, updated one element at a time, with the
    methods of datasketch's ``MinHash`` (``update``, ``update_batch``,
    ``jaccard``, ``merge``, ``count``, ``digest``, ``hashvalues``,
    ``copy``, pickling).

    Elements are ``bytes`` or ``str`` (UTF-8), hashed with XXH3-64; each
    of the ``num_perm`` positions keeps the minimum of its own hash
    function (classic MinHash, computed in Rust), so that sketches made
    apart can be merged. Signatures are comparable only with the same
    ``num_perm`` and ``seed``; they are not datasketch's values.
    """

    def digest(self) -> "np.ndarray":
        """The signature as a ``uint64`` numpy array (a copy)."""
        return np.frombuffer(self._digest_bytes(), dtype="<u8").copy()

    @property
    def hashvalues(self) -> "np.ndarray":
        return self.digest()

    @classmethod
    def bulk(cls, sets: Iterable[Iterable[Any]], num_perm: int = 128, seed: int = 1) -> List["MinHash"]:
        """One MinHash per set of elements."""
        out = []
        for s in sets:
            m = cls(num_perm=num_perm, seed=seed)
            m.update_batch(list(s))
            out.append(m)
        return out


class MinHashLSH(_native.MinHashLSH):
    """An LSH index of :class:`MinHash` sketches for a Jaccard threshold,
    with the methods of datasketch's ``MinHashLSH`` (``insert``, ``query``,
    ``remove``, ``in``, ``is_empty``, ``insertion_session``).

    The layout (bands x rows) minimises the weighted false positive and
    false negative probability masses around ``threshold`` (``weights``),
    or is given as ``params=(bands, rows)``. ``query`` returns the keys in
    insertion order.
    """

    def insertion_session(self, buffer_size: int = 50000) -> "_Session":
        """A context manager whose ``insert`` inserts into this index."""
        return _Session(self)


class _Session:
    def __init__(self, lsh: MinHashLSH) -> None:
        self._lsh = lsh

    def insert(self, key: Any, minhash: MinHash, check_duplication: bool = True) -> None:
        self._lsh.insert(key, minhash, check_duplication)

    def __enter__(self) -> "_Session":
        return self

    def __exit__(self, *exc: Any) -> None:
        pass
