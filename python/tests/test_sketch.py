"""neardiff.sketch: signatures and band keys."""

from __future__ import annotations

import numpy as np
import pytest

import neardiff
from conftest import WORDS


def shingles(text, k=4):
    w = text.lower().split()
    return {tuple(w[i : i + k]) for i in range(len(w) - k + 1)}


def test_shapes_and_estimates():
    import random

    rng = random.Random(1)
    base = [rng.choice(WORDS) + str(rng.randint(0, 50)) for _ in range(300)]
    texts = []
    for cut in (0, 20, 60, 120, 200):
        texts.append(" ".join(base[cut:] + base[:cut][: cut // 2]))
    s = neardiff.sketch(texts, num_perm=256, threshold=0.5)
    assert s.signatures.shape == (5, 256) and s.signatures.dtype == np.uint32
    assert s.band_keys.shape == (5, s.bands)
    assert s.bands * s.rows <= 256
    for i in range(1, 5):
        exact = len(shingles(texts[0]) & shingles(texts[i])) / len(shingles(texts[0]) | shingles(texts[i]))
        est = float(np.mean(s.signatures[0] == s.signatures[i]))
        assert abs(est - exact) < 0.12, (i, est, exact)
    assert list(s.words) == [len(t.split()) for t in texts]


def test_identical_texts_share_every_band_and_stubs_have_no_shingles():
    t = " ".join(WORDS)
    s = neardiff.sketch([t, t, "too short"], threshold=0.7, seed=9)
    assert (s.band_keys[0] == s.band_keys[1]).all()
    assert s.num_shingles[2] == 0 and s.num_shingles[0] > 0
    other = neardiff.sketch([t], seed=10)
    assert not (other.signatures[0] == s.signatures[0]).all()


def test_to_arrow_and_errors():
    pytest.importorskip("pyarrow")
    s = neardiff.sketch([" ".join(WORDS)] * 3)
    t = s.to_arrow()
    assert t.num_rows == 3 and t.column_names == ["signature", "band_keys", "num_shingles", "words"]
    with pytest.raises(TypeError, match=r"texts\[1\] must be a str"):
        neardiff.sketch(["a", 3])
    with pytest.raises(ValueError, match="num_perm"):
        neardiff.sketch(["a"], num_perm=0)
