"""Word shingles in Python, as close as practical to neardiff's own (src/text,
src/sketch/shingle.rs), for the brute-force ground truth and the baselines.

neardiff's rules:

* words are the UAX #29 word segments of the original text that contain a
  letter or a digit;
* each word is normalised: NFKC, lower case, curly quotes and primes to
  straight ones, Unicode dashes to '-', soft hyphens and zero-width format
  characters dropped;
* a shingle is a run of k consecutive normalised words; a text with fewer
  than k words (but at least one) has a single shingle of all its words;
* Jaccard is computed exactly over the sets of shingles.

The approximation here: UAX #29 word boundaries are replaced by a regular
expression. A word is a run of ``\\w`` characters, joined across

* ``.``, ``'`` and ``’`` between two letters (``U.S``, ``don't``) or two
  digits (``3.5``), and ``:`` between two letters (UAX #29 MidLetter);
* ``,`` and ``;`` between two digits (``1,750``; UAX #29 MidNum).

Soft hyphens and zero-width joiners inside a word are removed before
segmenting (UAX #29 ignores them inside words). Words made only of
underscores are dropped; ideographs and hiragana are split into one word per
character, as UAX #29 does. Known differences from UAX #29: Hebrew letters
with quotes, Thai and other scripts without spaces,
emoji sequences, and a few rare joining characters (``·``, ``״``,
full-width stops). For English news these do not occur; the harness measures
the remaining difference by comparing its exact Jaccard with the one neardiff
reports for the same pairs.
"""

from __future__ import annotations

import re
import unicodedata

_LETTER = r"[^\W\d_]"
# \w plus combining marks (UAX #29 Extend: they stay inside a word).
_W = "[\\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
_WORD_RE = re.compile(
    _W + r"+(?:(?:(?<=" + _LETTER + r")[.'’:](?=" + _LETTER + r")"
    r"|(?<=\d)[.'’,;](?=\d))" + _W + r"+)*"
)
_IDEO = "\u3040-\u309f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAS_IDEO = re.compile("[" + _IDEO + "]")
_IDEO_SPLIT = re.compile("[" + _IDEO + "]|[^" + _IDEO + "]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200c\u200d\u2060\ufeff"), None)
_FOLD = {
    **dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None),
    **dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032\u02bc`\u00b4"), "'"),
    **dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u2039\u203a"), '"'),
    **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-"),
}


def _norm_word(w: str) -> str:
    if w.isascii():
        return w.lower()
    return unicodedata.normalize("NFKC", w).translate(_FOLD).lower()


def words(text: str) -> list[str]:
    """The normalised words of `text`, in order."""
    ideo = False
    if not text.isascii():
        text = text.translate(_INVISIBLE)
        ideo = _HAS_IDEO.search(text) is not None
    out = []
    for m in _WORD_RE.finditer(text):
        w = m.group()
        if ideo and _HAS_IDEO.search(w):
            # UAX #29: every ideograph (and hiragana) is a word of its own.
            out.extend(_norm_word(p) for p in _IDEO_SPLIT.findall(w)
                       if any(c.isalnum() for c in p))
            continue
        if "_" in w and not any(c.isalnum() for c in w):
            continue
        out.append(_norm_word(w))
    return out


def shingle_list(text: str, k: int) -> list[str]:
    """The k-word shingles of `text` as strings (words joined by a space), in
    order, not de-duplicated."""
    ws = words(text)
    if not ws:
        return []
    if len(ws) <= k:
        return [" ".join(ws)]
    return [" ".join(ws[i:i + k]) for i in range(len(ws) - k + 1)]


def shingle_set(text: str, k: int) -> set[str]:
    return set(shingle_list(text, k))


def jaccard(a: set, b: set) -> float:
    if not a and not b:
        return 1.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)
