"""Type stubs of the neardiff package (see neardiff/__init__.py for the docs)."""

import os
from typing import Any, Dict, Iterable, Iterator, List, Literal, Optional, Tuple, Union

import numpy as np
import numpy.typing as npt

__version__: str

PathLike = Union[str, "os.PathLike[str]"]
Article = Union[str, Dict[str, Any], "os.PathLike[str]"]
Records = Any  # iterable of dicts/strs, pandas DataFrame, pyarrow Table/RecordBatch/RecordBatchReader, path

class InputError(ValueError):
    """Bad input: the message names the record or file and position."""

class CorruptIndexError(Exception):
    """A stored index is damaged or of another format version."""

class Report(Dict[str, Any]):
    """The neardiff.compare/4 report (a dict)."""

def compare(
    a: Article,
    b: Article,
    *,
    shingle_size: int = 4,
    num_perm: int = 128,
    seed: int = 0,
    min_run: int = 4,
    max_changed_words: int = 3,
) -> Report: ...
def render(
    report: Dict[str, Any],
    format: Literal["html", "markdown", "text", "json"] = "html",
    *,
    color: bool = False,
    seed: int = 0,
    min_run: int = 4,
    max_changed_words: int = 3,
) -> str: ...
def story(
    source: Article,
    outlets: Iterable[Article],
    *,
    format: Literal["json", "html", "text"] = "json",
    shingle_size: int = 4,
    num_perm: int = 128,
    seed: int = 0,
    threads: Optional[int] = None,
) -> Any: ...

class DedupResult:
    @property
    def clusters(self) -> List[Dict[str, Any]]: ...
    @property
    def labels(self) -> npt.NDArray[np.int64]: ...
    @property
    def summary(self) -> Dict[str, Any]: ...
    @property
    def ids(self) -> List[str]: ...
    @property
    def pairs(self) -> List[Dict[str, Any]]: ...
    @property
    def too_short(self) -> List[Dict[str, Any]]: ...
    @property
    def skipped(self) -> List[str]: ...
    def to_jsonl(self, path: Optional[PathLike] = None) -> str: ...
    def to_csv(self, path: Optional[PathLike] = None) -> str: ...
    def pairs_jsonl(self) -> str: ...
    def __len__(self) -> int: ...

def dedup(
    records: Records,
    *,
    threshold: Optional[float] = None,
    metric: Literal["jaccard", "containment"] = "jaccard",
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
) -> DedupResult: ...

class Index:
    path: str
    def __init__(self, path: PathLike) -> None: ...
    def build(
        self,
        records: Records,
        *,
        force: bool = False,
        shingle_size: int = 4,
        num_perm: int = 128,
        seed: int = 0,
        lsh_threshold: float = 0.3,
        on_duplicate: Literal["error", "skip", "update"] = "error",
        min_words: Optional[int] = None,
        skip_invalid: bool = False,
        threads: Optional[int] = None,
        **cols: str,
    ) -> Dict[str, Any]: ...
    def add(
        self,
        records: Records,
        *,
        on_duplicate: Literal["error", "skip", "update"] = "error",
        min_words: Optional[int] = None,
        skip_invalid: bool = False,
        threads: Optional[int] = None,
        **cols: str,
    ) -> Dict[str, Any]: ...
    def remove(self, ids: Union[str, Iterable[str]], *, ignore_missing: bool = False) -> int: ...
    def check(
        self,
        records: Records,
        *,
        threshold: Optional[float] = None,
        metric: Literal["jaccard", "containment"] = "jaccard",
        top: int = 5,
        min_words: Optional[int] = None,
        skip_invalid: bool = False,
        threads: Optional[int] = None,
        **cols: str,
    ) -> List[Dict[str, Any]]: ...
    def stats(self) -> Dict[str, Any]: ...
    def verify(self) -> int: ...
    def compact(self) -> None: ...
    def close(self) -> None: ...
    def __enter__(self) -> "Index": ...
    def __exit__(self, *exc: Any) -> None: ...

class Sketches:
    signatures: npt.NDArray[np.uint32]
    band_keys: npt.NDArray[np.uint32]
    num_shingles: npt.NDArray[np.uint32]
    words: npt.NDArray[np.uint32]
    bands: int
    rows: int
    def to_arrow(self) -> Any: ...
    def __len__(self) -> int: ...

def sketch(
    texts: Iterable[str],
    *,
    num_perm: int = 128,
    seed: int = 0,
    shingle_size: int = 4,
    threshold: float = 0.5,
    min_words: Optional[int] = None,
    threads: Optional[int] = None,
) -> Sketches: ...

class MinHash:
    def __init__(
        self,
        num_perm: int = 128,
        seed: int = 1,
        hashfunc: Optional[Any] = None,
        hashvalues: Optional[Union[bytes, Iterable[int]]] = None,
    ) -> None: ...
    @property
    def num_perm(self) -> int: ...
    @property
    def seed(self) -> int: ...
    @property
    def hashvalues(self) -> npt.NDArray[np.uint64]: ...
    def update(self, b: Union[bytes, str]) -> None: ...
    def update_batch(self, b: Iterable[Union[bytes, str]]) -> None: ...
    def jaccard(self, other: "MinHash") -> float: ...
    def merge(self, other: "MinHash") -> None: ...
    def count(self) -> float: ...
    def digest(self) -> npt.NDArray[np.uint64]: ...
    def is_empty(self) -> bool: ...
    def clear(self) -> None: ...
    def copy(self) -> "MinHash": ...
    @classmethod
    def bulk(cls, sets: Iterable[Iterable[Any]], num_perm: int = 128, seed: int = 1) -> List["MinHash"]: ...
    def __len__(self) -> int: ...

class MinHashLSH:
    def __init__(
        self,
        threshold: float = 0.9,
        num_perm: int = 128,
        weights: Tuple[float, float] = (0.5, 0.5),
        params: Optional[Tuple[int, int]] = None,
    ) -> None: ...
    @property
    def params(self) -> Tuple[int, int]: ...
    @property
    def threshold(self) -> float: ...
    @property
    def num_perm(self) -> int: ...
    def insert(self, key: Any, minhash: MinHash, check_duplication: bool = True) -> None: ...
    def query(self, minhash: MinHash) -> List[Any]: ...
    def remove(self, key: Any) -> None: ...
    def keys(self) -> List[Any]: ...
    def is_empty(self) -> bool: ...
    def insertion_session(self, buffer_size: int = 50000) -> Any: ...
    def __contains__(self, key: Any) -> bool: ...
    def __len__(self) -> int: ...
