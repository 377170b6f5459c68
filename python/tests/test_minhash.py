"""MinHash / MinHashLSH: estimates against exact Jaccard, and answers
against datasketch's on small inputs."""

from __future__ import annotations

import pickle
import random

import numpy as np
import pytest

import neardiff


def _sets(seed=1, n_groups=40):
    """Groups of overlapping sets: within a group Jaccard is high, across
    groups it is zero."""
    rng = random.Random(seed)
    out = []
    for g in range(n_groups):
        base = {f"g{g}-w{i}" for i in range(rng.randint(30, 80))}
        for k in range(rng.randint(1, 4)):
            s = set(base)
            for w in rng.sample(sorted(s), k=rng.randint(0, 3)):
                s.discard(w)
                s.add(f"g{g}-x{k}-{w}")
            out.append((f"g{g}-{k}", s))
    return out


def jaccard(a, b):
    return len(a & b) / len(a | b)


def test_estimate_is_close_to_exact_jaccard():
    rng = random.Random(5)
    errors = []
    for _ in range(60):
        universe = [f"w{i}" for i in range(400)]
        a = set(rng.sample(universe, 150))
        b = set(rng.sample(sorted(a), rng.randint(20, 150))) | set(rng.sample(universe, rng.randint(0, 100)))
        ma, mb = neardiff.MinHash(num_perm=256), neardiff.MinHash(num_perm=256)
        for w in a:
            ma.update(w.encode())
        mb.update_batch([w.encode() for w in b])
        errors.append(abs(ma.jaccard(mb) - jaccard(a, b)))
    # Standard error at 256 positions is at most 1/32 ~ 0.031.
    assert np.mean(errors) < 0.03
    assert max(errors) < 0.13


def test_agrees_with_datasketch_on_small_inputs():
    ds = pytest.importorskip("datasketch")
    sets = _sets()
    rng = random.Random(2)
    for _ in range(100):
        (_, a), (_, b) = rng.sample(sets, 2)
        b = b | set(rng.sample(sorted(a), len(a) // 2))
        ours = [neardiff.MinHash(num_perm=128) for _ in range(2)]
        theirs = [ds.MinHash(num_perm=128) for _ in range(2)]
        for s, m, d in zip((a, b), ours, theirs):
            m.update_batch([w.encode() for w in s])
            d.update_batch([w.encode() for w in s])
        exact = jaccard(a, b)
        assert abs(ours[0].jaccard(ours[1]) - theirs[0].jaccard(theirs[1])) < 0.25
        assert abs(ours[0].jaccard(ours[1]) - exact) < 0.2


@pytest.mark.parametrize("threshold", [0.5, 0.8])
def test_lsh_answers_as_datasketch(threshold):
    ds = pytest.importorskip("datasketch")
    sets = _sets(seed=3)
    ours = neardiff.MinHashLSH(threshold=threshold, num_perm=128)
    theirs = ds.MinHashLSH(threshold=threshold, num_perm=128)
    assert ours.params == (theirs.b, theirs.r)
    mh = {}
    for key, s in sets:
        m = neardiff.MinHash(num_perm=128)
        d = ds.MinHash(num_perm=128)
        m.update_batch([w.encode() for w in s])
        d.update_batch([w.encode() for w in s])
        ours.insert(key, m)
        theirs.insert(key, d)
        mh[key] = (m, d, s)
    for key, (m, d, s) in mh.items():
        got = set(ours.query(m))
        assert key in got
        # Everything found shares the group (sets of other groups share nothing).
        assert {k.split("-")[0] for k in got} == {key.split("-")[0]}
        # Pairs well above the threshold are found by both.
        sure = {k for k, (_, _, t) in mh.items() if jaccard(s, t) >= threshold + 0.15}
        assert sure <= got
        # Both answer alike wherever the answer is clear (well above the
        # threshold or far below it); near it both are probabilistic.
        clear = {
            k for k, (_, _, t) in mh.items()
            if not threshold - 0.3 < jaccard(s, t) < threshold + 0.15
        }
        assert got & clear == set(theirs.query(d)) & clear


def test_lsh_insert_remove_contains():
    lsh = neardiff.MinHashLSH(threshold=0.5, num_perm=64)
    m = neardiff.MinHash(num_perm=64)
    m.update_batch([b"a", b"b", b"c", b"d"])
    assert lsh.is_empty()
    with lsh.insertion_session() as s:
        s.insert("k1", m)
        s.insert(("tuple", 2), m.copy())
    assert "k1" in lsh and len(lsh) == 2
    assert lsh.query(m) == ["k1", ("tuple", 2)]
    with pytest.raises(ValueError, match="already"):
        lsh.insert("k1", m)
    lsh.remove("k1")
    assert "k1" not in lsh and lsh.query(m) == [("tuple", 2)]
    with pytest.raises(KeyError):
        lsh.remove("k1")
    with pytest.raises(ValueError, match="num_perm"):
        lsh.query(neardiff.MinHash(num_perm=128))
    with pytest.raises(ValueError):
        neardiff.MinHashLSH(threshold=0.5, num_perm=64, params=(10, 10))


def test_minhash_merge_copy_pickle_digest():
    a, b, u = (neardiff.MinHash(num_perm=32, seed=4) for _ in range(3))
    a.update_batch(["x", "y"])
    b.update_batch(["y", "z"])
    u.update_batch(["x", "y", "z"])
    a2 = a.copy()
    a2.merge(b)
    assert a2 == u and a2.jaccard(u) == 1.0
    assert a != a2
    back = pickle.loads(pickle.dumps(a))
    assert isinstance(back, neardiff.MinHash) and back == a
    d = a.digest()
    assert d.dtype == np.uint64 and d.shape == (32,)
    assert neardiff.MinHash(num_perm=32, seed=4, hashvalues=d) == a
    assert neardiff.MinHash().is_empty() and not a.is_empty()
    assert 1 <= u.count() <= 8
    with pytest.raises(ValueError):
        a.jaccard(neardiff.MinHash(num_perm=32, seed=5))
    with pytest.raises(TypeError):
        a.update(3)
    seen = []
    m = neardiff.MinHash(num_perm=16, hashfunc=lambda b: seen.append(b) or len(b))
    m.update(b"abc")
    assert seen == [b"abc"]
