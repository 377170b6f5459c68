//! Segmentation into paragraphs, sentences and words (UAX #29 boundaries
//! from `unicode-segmentation`, with fixes for news text).

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use super::normalize::Norm;

/// A byte range `[start, end)` of the original text.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The text the span covers.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True for an empty span.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// A word of the original text with its matching form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Where the word stands in the original text.
    pub span: Span,
    /// Its normalised (matching) form.
    pub norm: Norm,
    /// 64-bit hash of `norm` (equal forms, equal keys), for fast matching.
    pub key: u64,
}

/// True for a UAX #29 word segment that is a word (has a letter or digit).
#[inline]
pub(super) fn is_word(seg: &str) -> bool {
    seg.chars().any(char::is_alphanumeric)
}

/// Finds the words of `text` (UAX #29 word segments with a letter or
/// digit), in order, pushing `emit(start, end)` for each to `out`.
///
/// UAX #29 always breaks on both sides of ASCII whitespace, so the text is
/// read in whitespace-separated chunks, in one pass over the bytes with a
/// table of byte flags: letters, digits and `_` join; `:` `.` `'` join two
/// letters; `,` `;` `.` `'` join two digits (the ASCII subset of the word
/// rules), and the curly single quotes join like `.`. When a chunk turns
/// out to hold a non-ASCII character other than the typographic ones of
/// [`typographic`], what it pushed is taken back and the chunk goes
/// through `unicode-segmentation`. Property tests check the words against
/// `unicode-segmentation` alone.
#[inline(always)]
fn scan_words<T>(text: &str, out: &mut Vec<T>, mut emit: impl FnMut(usize, usize) -> T) {
    let b = text.as_bytes();
    let n = b.len();
    let mut chunk_start = 0;
    let mut chunk_out = out.len();
    let mut i = 0;
    while i < n {
        let f = B_FLAGS[b[i] as usize];
        if f & B_WORD == 0 {
            if f & B_SPACE != 0 {
                chunk_start = i + 1;
                chunk_out = out.len();
            } else if f & B_NON_ASCII != 0 {
                if typographic(b, i).is_some() {
                    // Outside a word these are punctuation.
                    i += 3;
                    continue;
                }
                out.truncate(chunk_out);
                let mut end = i;
                while end < n && B_FLAGS[b[end] as usize] & B_SPACE == 0 {
                    end += 1;
                }
                // Both ends are next to ASCII whitespace (or the text's
                // ends), so they are character boundaries.
                for (k, w) in text[chunk_start..end].split_word_bound_indices() {
                    if is_word(w) {
                        let start = chunk_start + k;
                        out.push(emit(start, start + w.len()));
                    }
                }
                chunk_start = end;
                chunk_out = out.len();
                i = end;
                continue;
            }
            i += 1;
            continue;
        }
        let start = i;
        let mut seen = f;
        let mut prev = f;
        i += 1;
        while i < n {
            let g = B_FLAGS[b[i] as usize];
            if g & B_WORD != 0 {
                seen |= g;
                prev = g;
                i += 1;
                continue;
            }
            if g & B_JOIN != 0 && i + 1 < n {
                let next = B_FLAGS[b[i + 1] as usize];
                let joins = (prev & next & B_LETTER != 0 && g & B_JOIN_LETTERS != 0)
                    || (prev & next & B_DIGIT != 0 && g & B_JOIN_DIGITS != 0);
                if joins {
                    seen |= next;
                    prev = next;
                    i += 2;
                    continue;
                }
            } else if g & B_NON_ASCII != 0
                && typographic(b, i) == Some(Typographic::SingleQuote)
                && i + 3 < n
            {
                let next = B_FLAGS[b[i + 3] as usize];
                if prev & next & (B_LETTER | B_DIGIT) != 0 {
                    seen |= next;
                    prev = next;
                    i += 4;
                    continue;
                }
            }
            break;
        }
        if seen & B_ALNUM != 0 {
            out.push(emit(start, i));
        }
    }
}

/// Calls `f(start, end)` for every word of `text` (a UAX #29 word segment
/// with a letter or digit), in order, by the same scanner as [`words`].
pub fn word_bounds(text: &str, mut f: impl FnMut(usize, usize)) {
    let mut spans = Vec::new();
    scan_words(text, &mut spans, |start, end| (start, end));
    for (start, end) in spans {
        f(start, end);
    }
}

/// The words of `text` (letters or digits; punctuation and spaces skipped),
/// with spans into `text` and normalised forms.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut scratch = String::new();
    scan_words(text, &mut out, |start, end| {
        let norm = Norm::of_word(&text[start..end], &mut scratch);
        Word {
            span: Span::new(start, end),
            key: super::word_key(norm.as_bytes()),
            norm,
        }
    });
    out
}

/// The typographic characters [`scan_words`] reads without
/// `unicode-segmentation` (UAX #29 class in brackets): the curly single
/// quotes ‘ ’ (MidNumLet, like `.`), and the curly double quotes “ ”, the en
/// and em dashes – — and the replacement character � (Other, like `!`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Typographic {
    SingleQuote,
    Other,
}

/// The typographic character starting at `b[i]`, if any.
#[inline]
pub(super) fn typographic(b: &[u8], i: usize) -> Option<Typographic> {
    match b.get(i..i + 3)? {
        [0xE2, 0x80, 0x98 | 0x99] => Some(Typographic::SingleQuote),
        [0xE2, 0x80, 0x93 | 0x94 | 0x9C | 0x9D] | [0xEF, 0xBF, 0xBD] => Some(Typographic::Other),
        _ => None,
    }
}

/// Byte flags for [`scan_words`].
pub(super) const B_LETTER: u8 = 1;
pub(super) const B_DIGIT: u8 = 2;
pub(super) const B_UNDER: u8 = 4;
pub(super) const B_SPACE: u8 = 16;
const B_NON_ASCII: u8 = 32;
pub(super) const B_JOIN_LETTERS: u8 = 64;
pub(super) const B_JOIN_DIGITS: u8 = 128;
const B_WORD: u8 = B_LETTER | B_DIGIT | B_UNDER;
const B_ALNUM: u8 = B_LETTER | B_DIGIT;
const B_JOIN: u8 = B_JOIN_LETTERS | B_JOIN_DIGITS;
pub(super) const B_FLAGS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = match c {
            b'a'..=b'z' => B_LETTER,
            b'A'..=b'Z' => B_LETTER,
            b'0'..=b'9' => B_DIGIT,
            b'_' => B_UNDER,
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => B_SPACE,
            b':' => B_JOIN_LETTERS,
            b'.' | b'\'' => B_JOIN_LETTERS | B_JOIN_DIGITS,
            b',' | b';' => B_JOIN_DIGITS,
            0x80..=0xff => B_NON_ASCII,
            _ => 0,
        };
        b += 1;
    }
    t
};

/// Paragraphs: separated by blank lines when the text has any (single
/// newlines inside are line wrapping); else, in hard-wrapped text whose
/// paragraphs start with an indented line (wire copy), at indented lines;
/// else, in text whose lines start with a paragraph mark (`<` or `>`
/// followed by white space, or `¶`), at the marked lines; else, in
/// hard-wrapped text without such cues (most line breaks between lines of
/// four or more words fall inside a sentence), after a line that ends
/// like a sentence and stops well short of the wrap width; else by single
/// newlines. In every case a line with a paragraph mark
/// starts a paragraph, and a headline in capitals at the start of a
/// paragraph (a line of at least two words and no lower-case letter, such
/// as `BLAZE AT HARBOUR DEPOT`) is a paragraph of its own.
///
/// Spans are trimmed of surrounding whitespace and of the paragraph mark
/// that opens them; empty paragraphs are skipped.
pub fn paragraphs(text: &str) -> Vec<Span> {
    // A blank line between two lines of text (not just a trailing one).
    let lines: Vec<&str> = text.split('\n').collect();
    let has_blank_line = lines.len() > 2
        && lines[1..lines.len() - 1]
            .iter()
            .any(|l| l.trim().is_empty());
    let indented = |l: &str| l.starts_with("  ") || l.starts_with('\t');
    let indent_paragraphs = !has_blank_line && lines.iter().skip(1).any(|l| indented(l));
    let mark_paragraphs = !has_blank_line
        && !indent_paragraphs
        && lines.iter().skip(1).any(|l| para_mark(l).is_some());
    let wrap_width = if has_blank_line || indent_paragraphs || mark_paragraphs {
        None
    } else {
        hard_wrapped(&lines)
    };
    let mut out = Vec::new();
    let mut para_start: Option<usize> = None;
    let mut para_end = 0;
    let mut offset = 0;
    // The previous line of the current paragraph: its trimmed text, and
    // whether it is a headline that opened the paragraph.
    let mut prev_line = "";
    let mut prev_headline = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        let line_start = offset;
        offset += line.len();
        if trimmed.is_empty() {
            if let Some(s) = para_start.take() {
                out.push(Span::new(s, para_end));
            }
            prev_headline = false;
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let mark = para_mark(line);
        let content_start = line_start + lead + mark.unwrap_or(0);
        let content_end = line_start + line.trim_end().len();
        if content_start >= content_end {
            // A paragraph mark alone on its line: ends the paragraph.
            if let Some(s) = para_start.take() {
                out.push(Span::new(s, para_end));
            }
            prev_headline = false;
            continue;
        }
        let breaks = match para_start {
            None => false,
            Some(_) if mark.is_some() || prev_headline => true,
            Some(_) if has_blank_line => false,
            Some(_) if indent_paragraphs => indented(line),
            Some(_) if mark_paragraphs => false,
            Some(_) => match wrap_width {
                Some(width) => ends_paragraph(prev_line, width),
                None => true,
            },
        };
        if breaks && let Some(s) = para_start.take() {
            out.push(Span::new(s, para_end));
        }
        let opens = para_start.is_none();
        if opens {
            para_start = Some(content_start);
        }
        let content = &text[content_start..content_end];
        prev_headline = opens && is_headline(content);
        prev_line = content;
        para_end = content_end;
    }
    if let Some(s) = para_start {
        out.push(Span::new(s, para_end));
    }
    out
}

/// The length in bytes of the paragraph mark that opens `line` after its
/// indentation (with the white space after the mark), if any: a `<` or `>`
/// followed by white space or the end of the line, or a `¶` (pilcrow).
/// A `<` that starts a tag such as `<Harbour Fuel Co>` is no mark.
pub(crate) fn para_mark(line: &str) -> Option<usize> {
    let body = line.trim_start();
    let mark_len = if body.starts_with('¶') {
        '¶'.len_utf8()
    } else if body.starts_with(['<', '>'])
        && body[1..].chars().next().is_none_or(char::is_whitespace)
    {
        1
    } else {
        return None;
    };
    let rest = &body[mark_len..];
    let space = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    Some(mark_len + space)
}

/// True for a line in capitals: at least two words, a letter, and no
/// lower-case letter (a headline such as `BLAZE AT HARBOUR DEPOT`).
pub(crate) fn is_headline(line: &str) -> bool {
    // Most lines have a lower-case letter near their start: looked for
    // first.
    if line.chars().any(char::is_lowercase) || !line.chars().any(char::is_alphabetic) {
        return false;
    }
    let mut words = 0;
    word_bounds(line, |_, _| words += 1);
    words >= 2
}

/// Whether text without blank lines or indented paragraphs is hard-wrapped
/// (lines cut at a fixed width, inside sentences): of the line breaks
/// between two lines of at least four words, at least half come after a
/// line that does not end like a sentence and fills at least 70% of the
/// widest line (a cut made by the width, not a list item or a headline),
/// and there are at least three such breaks. Returns the wrap width (the
/// widest line, in characters) when it is.
fn hard_wrapped(lines: &[&str]) -> Option<usize> {
    let width = lines
        .iter()
        .map(|l| l.trim().chars().count())
        .max()
        .unwrap_or(0);
    let (mut breaks, mut inside) = (0, 0);
    let long = |l: &str| l.split_whitespace().nth(3).is_some();
    for w in lines.windows(2) {
        let (l, next) = (w[0].trim(), w[1].trim());
        if !long(l) || !long(next) {
            continue;
        }
        breaks += 1;
        if !ends_like_sentence(l) && l.chars().count() * 10 >= width * 7 {
            inside += 1;
        }
    }
    (inside >= 3 && 2 * inside >= breaks).then_some(width)
}

/// True when `line` ends with sentence punctuation, possibly followed by
/// closing quotes or brackets.
fn ends_like_sentence(line: &str) -> bool {
    line.trim_end()
        .trim_end_matches(['"', '\'', '”', '’', '»', ')', ']'])
        .ends_with(['.', '!', '?', '…'])
}

/// In hard-wrapped text of wrap width `width`, whether the line `prev`
/// ends its paragraph: it ends like a sentence and stops short of the
/// width by more than the longest word could explain (under 80% of it).
fn ends_paragraph(prev: &str, width: usize) -> bool {
    ends_like_sentence(prev) && prev.chars().count() * 5 < width * 4
}

/// Abbreviations after which a full stop does not end a sentence, when the
/// next word is not a typical sentence opener (lower case, matched without
/// the final dot).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt",
    "cmdr", "adm", "maj", "st", "jr", "sr", "rev", "hon", "pres", "supt", "insp", "det", "fr",
    "messrs", "mme", "mlle", "inc", "ltd", "co", "corp", "bros", "vs", "etc", "e.g", "i.e",
    "approx", "no", "nos", "vol", "fig", "mt", "ft", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.u", "u.s.a", "a.m", "p.m",
    "d.c", "ph.d",
];

/// Titles that always precede a name: never a sentence end.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt",
    "cmdr", "adm", "maj", "rev", "hon", "pres", "supt", "insp", "det", "fr", "messrs", "mme",
    "mlle", "st",
];

/// Words that usually open a new sentence; after an ambiguous abbreviation
/// such as `U.S.` they mean the sentence did end.
const OPENERS: &[&str] = &[
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "this",
    "that",
    "these",
    "those",
    "there",
    "but",
    "and",
    "in",
    "on",
    "at",
    "for",
    "his",
    "her",
    "its",
    "their",
    "our",
    "as",
    "if",
    "when",
    "while",
    "after",
    "before",
    "some",
    "many",
    "most",
    "no",
    "yet",
    "so",
    "however",
    "meanwhile",
    "officials",
    "according",
];

/// Sentences of `text`, as trimmed spans, in order. Paragraph breaks always
/// end a sentence. Within a paragraph the UAX #29 boundaries are merged back
/// after titles (`Mr.`), initials (`J. R.`), abbreviations (`U.S.`, `Feb.`)
/// unless a typical sentence opener follows, and before a part that starts
/// in lower case (`"Why?" he asked.`).
pub fn sentences(text: &str) -> Vec<Span> {
    sentences_in(text, &paragraphs(text))
}

/// [`sentences`] of `text` given its [`paragraphs`].
pub fn sentences_in(text: &str, paragraphs: &[Span]) -> Vec<Span> {
    sentences_cut(text, paragraphs).0
}

/// [`sentences_in`], and the start of every sentence that was longer than
/// [`MAX_SENTENCE_WORDS`] and cut into units.
pub(crate) fn sentences_cut(text: &str, paragraphs: &[Span]) -> (Vec<Span>, Vec<usize>) {
    let mut out = Vec::new();
    for &para in paragraphs {
        let ptext = para.slice(text);
        let mut current: Option<Span> = None;
        for (i, seg) in sentence_pieces(ptext) {
            let trimmed = seg.trim();
            if trimmed.is_empty() {
                continue;
            }
            let lead = seg.len() - seg.trim_start().len();
            let span = Span::new(para.start + i + lead, para.start + i + lead + trimmed.len());
            current = match current {
                Some(prev) if !ends_sentence(prev.slice(text), trimmed) => {
                    Some(Span::new(prev.start, span.end))
                }
                Some(prev) => {
                    out.push(prev);
                    Some(span)
                }
                None => Some(span),
            };
        }
        if let Some(prev) = current {
            out.push(prev);
        }
    }
    let mut cut = Vec::new();
    let out = cap_sentences(text, out, &mut cut);
    (out, cut)
}

/// The most words a sentence may have. Longer runs (text without sentence
/// punctuation, clauses joined by commas, lists) are cut into units of at
/// most this many words, so that every later stage (alignment, word
/// diffs, quote pairing) works on units of bounded size. News sentences
/// stay far below it: the longest sentence of the bundled samples has 68
/// words.
pub const MAX_SENTENCE_WORDS: usize = 150;

/// Cuts every sentence of more than [`MAX_SENTENCE_WORDS`] words into
/// units of at most that many and more than half as many (but the last):
/// at the strongest clause boundary of the allowed window (`;` or `:`
/// first, then a dash or bracket, then `,`, then any space between
/// words), and among equals before the word whose hash is least (cut
/// points chosen by content, so that the same run of words is cut alike
/// wherever it stands). Punctuation before the cut stays with the unit
/// before it; the white space at the cut belongs to neither, as between
/// two sentences.
fn cap_sentences(text: &str, sentences: Vec<Span>, cut: &mut Vec<usize>) -> Vec<Span> {
    // Cheap test first: a sentence of at most MAX words has at most that
    // many words, and a word needs at least one byte and a separator.
    if sentences.iter().all(|s| s.len() < 2 * MAX_SENTENCE_WORDS) {
        return sentences;
    }
    let mut out = Vec::with_capacity(sentences.len());
    let mut bounds = Vec::new();
    for s in sentences {
        if s.len() < 2 * MAX_SENTENCE_WORDS {
            out.push(s);
            continue;
        }
        bounds.clear();
        word_bounds(s.slice(text), |a, b| {
            bounds.push((s.start + a, s.start + b))
        });
        if bounds.len() <= MAX_SENTENCE_WORDS {
            out.push(s);
            continue;
        }
        cut.push(s.start);
        let mut unit_start = s.start;
        let mut first = 0; // first word of the unit
        while bounds.len() - first > MAX_SENTENCE_WORDS {
            // Cut before word k, for k in (first + MAX/2, first + MAX].
            let lo = first + MAX_SENTENCE_WORDS / 2 + 1;
            let hi = first + MAX_SENTENCE_WORDS;
            // The strongest boundary; among equals the one before the
            // word of least hash, so that cuts depend on the words around
            // them and not on where the sentence started: a copy of the
            // run inside other text is cut at the same places once both
            // have had a cut in common.
            let rank = |k: usize| {
                let gap = &text[bounds[k - 1].1..bounds[k].0];
                let word = &text[bounds[k].0..bounds[k].1];
                (
                    clause_strength(gap),
                    std::cmp::Reverse(super::word_key(word.as_bytes())),
                )
            };
            let k = (lo..=hi).max_by_key(|&k| rank(k)).unwrap_or(hi);
            let gap = &text[bounds[k - 1].1..bounds[k].0];
            // The unit keeps the punctuation up to the first white space;
            // the next starts after the white space.
            let keep = gap.find(char::is_whitespace).unwrap_or(gap.len());
            let rest = gap[keep..].trim_start();
            let unit_end = bounds[k - 1].1 + keep;
            let next_start = bounds[k].0 - rest.len();
            out.push(Span::new(unit_start, unit_end));
            unit_start = next_start;
            first = k;
        }
        out.push(Span::new(unit_start, s.end));
    }
    out
}

/// How good a place to cut a long sentence the text between two words is:
/// 3 after `;` or `:`, 2 at a dash or bracket, 1 after a comma, else 0. A
/// hyphen counts as a dash only with white space beside it (not inside
/// `well-known`).
fn clause_strength(gap: &str) -> u8 {
    let spaced = gap.contains(char::is_whitespace);
    let mut best = 0;
    for c in gap.chars() {
        best = best.max(match c {
            ';' | ':' => 3,
            '\u{2013}' | '\u{2014}' | '(' | ')' => 2,
            '-' if spaced => 2,
            ',' => 1,
            _ => 0,
        });
    }
    best
}

/// Sentence classes (UAX #29's Sentence_Break property) of ASCII bytes and
/// of the other characters news text is made of ([`sb_char`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sb {
    Sep,
    Sp,
    Lower,
    Upper,
    Numeric,
    ATerm,
    STerm,
    Close,
    SContinue,
    Other,
}

fn sb(b: u8) -> Sb {
    match b {
        b'\n' | b'\r' => Sb::Sep,
        b' ' | b'\t' | 0x0b | 0x0c => Sb::Sp,
        b'a'..=b'z' => Sb::Lower,
        b'A'..=b'Z' => Sb::Upper,
        b'0'..=b'9' => Sb::Numeric,
        b'.' => Sb::ATerm,
        b'!' | b'?' => Sb::STerm,
        b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Sb::Close,
        b',' | b'-' | b':' | b';' => Sb::SContinue,
        _ => Sb::Other,
    }
}

/// The class of a character, for ASCII and for the non-ASCII characters
/// of news text whose class is known here: spaces, typographic quotes and
/// guillemets, the en and em dash, the upper- and lower-case letters of
/// the Latin, Greek and Cyrillic blocks up to U+052F, and common signs
/// (`…`, `€`, `£`, `°`, `©`, `•`, `×`, and U+FFFD, which marks bytes a
/// scraper could not decode).
/// `None` for any other character (a combining mark, say, which the rules
/// treat apart): the text is then left to `unicode-segmentation`. A
/// property test checks these classes against it.
fn sb_char(c: char) -> Option<Sb> {
    if c.is_ascii() {
        return Some(sb(c as u8));
    }
    Some(match c {
        '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => Sb::Sp,
        '\u{ab}' | '\u{bb}' | '\u{2018}'..='\u{201f}' | '\u{2039}' | '\u{203a}' => Sb::Close,
        '\u{2013}' | '\u{2014}' => Sb::SContinue,
        // Combining marks (some of them are lower case) are not letters.
        '\u{300}'..='\u{36f}' | '\u{483}'..='\u{489}' => return None,
        '\u{c0}'..='\u{52f}' if c.is_lowercase() => Sb::Lower,
        '\u{c0}'..='\u{52f}' if c.is_uppercase() => Sb::Upper,
        '\u{2026}' | '\u{20ac}' | '\u{a3}' | '\u{b0}' | '\u{a9}' | '\u{2022}' | '\u{d7}'
        | '\u{fffd}' => Sb::Other,
        _ => return None,
    })
}

/// UAX #29 sentence pieces of `text` (offset, piece): the rules applied
/// directly to the characters' classes ([`sb_char`]), `unicode-segmentation`
/// for a text with a character whose class is not known here. Property
/// tests check that the two agree.
fn sentence_pieces<'t>(text: &'t str) -> Vec<(usize, &'t str)> {
    // Per character: its class and where it starts (and the text's end).
    let (cls, at): (Vec<Sb>, Vec<usize>) = if text.is_ascii() {
        (text.bytes().map(sb).collect(), (0..=text.len()).collect())
    } else {
        let mut cls = Vec::with_capacity(text.len());
        let mut at = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            let Some(k) = sb_char(c) else {
                return text.split_sentence_bound_indices().collect();
            };
            cls.push(k);
            at.push(i);
        }
        at.push(text.len());
        (cls, at)
    };
    let b = text.as_bytes();
    let n = cls.len();
    // SB3: CR × LF; a paragraph separator is one character, or CR LF.
    let sep_len = |i: usize| {
        if b[at[i]] == b'\r' && i + 1 < n && b[at[i + 1]] == b'\n' {
            2
        } else {
            1
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let cut = |out: &mut Vec<(usize, &'t str)>, start: &mut usize, to: usize| {
        let to = at[to];
        if to > *start {
            out.push((*start, &text[*start..to]));
            *start = to;
        }
    };
    while i < n {
        // Only separators and terminators can end a piece.
        match cls[i..]
            .iter()
            .position(|&k| matches!(k, Sb::Sep | Sb::ATerm | Sb::STerm))
        {
            Some(k) => i += k,
            None => break,
        }
        let c = cls[i];
        match c {
            Sb::Sep => {
                // SB4: break after a paragraph separator.
                i += sep_len(i);
                cut(&mut out, &mut start, i);
            }
            Sb::ATerm | Sb::STerm => {
                let j = i + 1;
                if c == Sb::ATerm && j < n {
                    // SB6: ATerm × Numeric; SB7: (Upper|Lower) ATerm × Upper.
                    let next = cls[j];
                    let before = if i > 0 { cls[i - 1] } else { Sb::Other };
                    if next == Sb::Numeric
                        || (next == Sb::Upper && matches!(before, Sb::Upper | Sb::Lower))
                    {
                        i = j;
                        continue;
                    }
                }
                // SATerm Close* Sp* ParaSep?
                let mut m = j;
                while m < n && cls[m] == Sb::Close {
                    m += 1;
                }
                while m < n && cls[m] == Sb::Sp {
                    m += 1;
                }
                if m < n && cls[m] == Sb::Sep {
                    m += sep_len(m);
                    cut(&mut out, &mut start, m);
                    i = m;
                    continue;
                }
                if m < n {
                    let next = cls[m];
                    // SB8a: SATerm Close* Sp* × (SContinue | SATerm).
                    if matches!(next, Sb::SContinue | Sb::ATerm | Sb::STerm) {
                        i = m;
                        continue;
                    }
                    // SB8: ATerm Close* Sp* × (¬(OLetter|Upper|Lower|ParaSep|SATerm))* Lower.
                    if c == Sb::ATerm {
                        let mut k = m;
                        while k < n
                            && !matches!(
                                cls[k],
                                Sb::Upper | Sb::Lower | Sb::Sep | Sb::ATerm | Sb::STerm
                            )
                        {
                            k += 1;
                        }
                        if k < n && cls[k] == Sb::Lower {
                            i = m;
                            continue;
                        }
                    }
                }
                // SB11: break after the terminator, its closers and spaces.
                cut(&mut out, &mut start, m);
                i = m;
            }
            _ => i += 1,
        }
    }
    cut(&mut out, &mut start, n);
    out
}

/// Decides whether a UAX #29 boundary between `prev` and `next` is a real
/// sentence end.
fn ends_sentence(prev: &str, next: &str) -> bool {
    let next_first = next.chars().find(|c| c.is_alphanumeric());
    // A part starting in lower case continues the sentence.
    if next_first.is_some_and(|c| c.is_lowercase()) {
        let starts_plain = next.chars().next().is_some_and(|c| c.is_alphanumeric());
        if starts_plain {
            return false;
        }
    }
    let prev = prev.trim_end();
    // UAX #29 also breaks at every line break; inside a paragraph (wrapped
    // text) a line that does not end like a sentence goes on.
    let closed = prev.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']']);
    if !closed.ends_with(['.', '!', '?', '…', ';', ':']) {
        return false;
    }
    if !prev.ends_with('.') {
        return true;
    }
    let last_word = prev[..prev.len() - 1]
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    let lw = last_word.to_lowercase();
    // Initials: a single letter ("J.") or letters joined by dots ("J.R").
    let is_initial = {
        let mut chars = last_word.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
    };
    if is_initial || TITLES.contains(&lw.as_str()) {
        return false;
    }
    if ABBREVIATIONS.contains(&lw.as_str()) {
        let next_word: String = next
            .split(|c: char| !c.is_alphanumeric())
            .find(|w| !w.is_empty())
            .unwrap_or("")
            .to_lowercase();
        let numeric = next_word.chars().next().is_some_and(|c| c.is_ascii_digit());
        return !numeric && OPENERS.contains(&next_word.as_str());
    }
    true
}

#[cfg(test)]
mod tests {
    use super::super::normalize::normalize_word_into;
    use super::super::word_hash::word_hashes;
    use super::*;

    fn sents(t: &str) -> Vec<&str> {
        sentences(t).iter().map(|s| s.slice(t)).collect()
    }

    #[test]
    fn words_have_offsets_and_norms() {
        let t = "The PM’s “key” ally, 3.5 per cent.";
        let w = words(t);
        let norms: Vec<&str> = w.iter().map(|w| w.norm.as_str()).collect();
        assert_eq!(norms, ["the", "pm's", "key", "ally", "3.5", "per", "cent"]);
        assert_eq!(w[1].span.slice(t), "PM’s");
    }

    /// Words as `unicode-segmentation` alone gives them.
    fn reference_words(t: &str) -> Vec<(usize, usize)> {
        t.split_word_bound_indices()
            .filter(|(_, w)| is_word(w))
            .map(|(i, w)| (i, i + w.len()))
            .collect()
    }

    fn fast_words(t: &str) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        word_bounds(t, |s, e| v.push((s, e)));
        v
    }

    #[test]
    fn word_bounds_agree_with_uax29() {
        for t in [
            "Don't stop: e.g. 3,000.50 or 3.5; a:b a_b _ __ x_1 1_x a.1 1.a a..b",
            "The PM’s “key” ally, Straße and ÉCOLE — co\u{00AD}op ﬁle",
            "tab\tsep\r\nlines\x0bhere \u{0301}a b\u{0301} \u{200d}x 👍🏽 a’b 1’000",
            "",
            "   ",
            "'quoted' \"double\" (paren) [b] {c} a-b a/b a&b #tag @user http://x.y/z?q=1",
        ] {
            assert_eq!(fast_words(t), reference_words(t), "{t:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        #[test]
        fn word_bounds_agree_with_uax29_on_any_text(
            t in "[a-zA-Z0-9_ .,;:'\"\t\n\r\u{0b}\u{0c}!?()\\-é’“”\u{0301}\u{200d}\u{00AD}ß漢0-9]{0,60}"
        ) {
            proptest::prop_assert_eq!(fast_words(&t), reference_words(&t));
        }

        #[test]
        fn word_bounds_agree_on_ascii(t in "[ -~\t\n]{0,80}") {
            proptest::prop_assert_eq!(fast_words(&t), reference_words(&t));
        }
    }

    fn uax29_sentences(t: &str) -> Vec<(usize, &str)> {
        t.split_sentence_bound_indices().collect()
    }

    #[test]
    fn sentence_pieces_agree_with_uax29() {
        for t in [
            "Mr. Smith went. He said \"Why?\" and left!  Then (again.) it rained... a lot. U.S. Army 3.5 e.g. this.",
            "One.\r\nTwo.\n\nThree? 'Yes.' No!? ok: fine; end.",
            "",
            ".",
            "a.\"b",
            "x!\"B y.) z",
        ] {
            assert_eq!(sentence_pieces(t), uax29_sentences(t), "{t:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]

        #[test]
        fn sentence_pieces_agree_on_ascii(t in "[aAbZ09 .!?\"'()\\[\\]{},:;\\-\t\n\r\u{0b}\u{0c}#_]{0,40}") {
            proptest::prop_assert_eq!(sentence_pieces(&t), uax29_sentences(&t));
        }

        #[test]
        fn sentence_pieces_agree_on_any_ascii(t in "[ -~\t\n\r]{0,60}") {
            proptest::prop_assert_eq!(sentence_pieces(&t), uax29_sentences(&t));
        }

        /// Every non-ASCII character [`sb_char`] knows, among the ASCII
        /// ones that decide sentence ends.
        #[test]
        fn sentence_pieces_agree_on_news_unicode(
            t in "[aAzZ09 .!?\"'(),:;\\-\n\r\u{a0}\u{2000}-\u{200a}\u{202f}\u{205f}\u{3000}«»\u{2018}-\u{201f}‹›–—\u{c0}-\u{52f}…€£°©•×\u{fffd}]{0,40}"
        ) {
            proptest::prop_assert_eq!(sentence_pieces(&t), uax29_sentences(&t));
        }

        /// The same, with as many sentence-deciding ASCII characters as
        /// letters of the Latin, Greek and Cyrillic blocks.
        #[test]
        fn sentence_pieces_agree_on_letters_of_three_scripts(
            t in "([aA0 .!?\"”\n—]|[\u{c0}-\u{52f}]){0,40}"
        ) {
            proptest::prop_assert_eq!(sentence_pieces(&t), uax29_sentences(&t));
        }

        /// Characters it does not know (a combining accent, a zero-width
        /// joiner, a soft hyphen, separators, CJK, a titlecase letter).
        #[test]
        fn sentence_pieces_agree_with_unknown_characters(
            t in "[aA .!?\"’”—é\u{301}\u{200d}\u{ad}\u{2028}\u{85}漢ǅ]{0,30}"
        ) {
            proptest::prop_assert_eq!(sentence_pieces(&t), uax29_sentences(&t));
        }
    }

    /// Word hashes from `unicode-segmentation` alone.
    fn reference_hashes(t: &str) -> Vec<u64> {
        t.split_word_bounds()
            .filter(|w| is_word(w))
            .map(|w| {
                let mut n = String::new();
                normalize_word_into(w, &mut n);
                crate::text::word_key(n.as_bytes())
            })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        #[test]
        fn word_hashes_agree_with_uax29_words(
            s in proptest::collection::vec(
                proptest::prop_oneof![
                    5 => proptest::sample::select(vec![
                        "a", "B", "z", "0", "7", "_", ".", ",", ";", ":", "'", "\"", " ", " ",
                        "\n", "\t", "\r", "-", "`", "(", "/", "&",
                    ]),
                    1 => proptest::sample::select(vec![
                        "é", "’", "“", "”", "\u{0301}", "\u{200d}", "\u{00AD}", "ß", "ﬁ", "Ａ",
                        "٣", "א", "\u{05F3}", "カ", "中", "👍", "\u{00A0}", "\u{2019}", "·",
                        "‘", "—", "–", "\u{FFFD}", "\u{2018}9",
                    ]),
                ],
                0..40,
            )
        ) {
            let text: String = s.concat();
            let mut fast = Vec::new();
            word_hashes(&text, &mut fast);
            proptest::prop_assert_eq!(&fast, &reference_hashes(&text), "{:?}", text);
            let keys: Vec<u64> = words(&text).iter().map(|w| w.key).collect();
            proptest::prop_assert_eq!(fast, keys);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// Long texts, so that words, joins and non-ASCII chunks fall on
        /// every position of the block scanner's 64-byte blocks.
        #[test]
        fn word_hashes_agree_on_long_texts(
            s in proptest::collection::vec(
                proptest::prop_oneof![
                    20 => proptest::sample::select(vec![
                        "a", "Bc", "word", "0", "75", "_", ".", ",", ";", ":", "'", " ", " ",
                        "  ", "\n", "-", "(", "Quick", "brown",
                    ]),
                    1 => proptest::sample::select(vec![
                        "é", "’", "“", "”", "\u{0301}", "ß", "Ａ", "中", "\u{00A0}", "‘", "—",
                        "\u{FFFD}",
                    ]),
                ],
                0..400,
            )
        ) {
            let text: String = s.concat();
            let mut fast = Vec::new();
            word_hashes(&text, &mut fast);
            proptest::prop_assert_eq!(&fast, &reference_hashes(&text), "{:?}", text);
        }
    }

    #[test]
    fn hashes_match_words() {
        let t = "Hello, World! ÉCOLE école";
        let mut h = Vec::new();
        word_hashes(t, &mut h);
        assert_eq!(h.len(), 4);
        assert_eq!(h[2], h[3]);
    }

    #[test]
    fn abbreviations_and_initials() {
        assert_eq!(
            sents("Mr. Smith met Dr. J. R. Jones in the U.S. Senate on Feb. 3. The talks ended."),
            [
                "Mr. Smith met Dr. J. R. Jones in the U.S. Senate on Feb. 3.",
                "The talks ended."
            ]
        );
        assert_eq!(
            sents("Aid came from the U.S. The minister said so."),
            ["Aid came from the U.S.", "The minister said so."]
        );
        assert_eq!(
            sents("It grew 3.5 per cent. Then fell."),
            ["It grew 3.5 per cent.", "Then fell."]
        );
    }

    #[test]
    fn question_in_quote_then_lower_case() {
        assert_eq!(
            sents("\"Why now?\" he asked. Nobody knew."),
            ["\"Why now?\" he asked.", "Nobody knew."]
        );
    }

    #[test]
    fn paragraphs_split_sentences() {
        let t = "One line\nwrapped here.\n\nSecond para.";
        assert_eq!(sents(t), ["One line\nwrapped here.", "Second para."]);
        let t = "Line one\nLine two";
        assert_eq!(sents(t), ["Line one", "Line two"]);
        // Wire copy: hard-wrapped, paragraphs start indented.
        let t = "Shares rose in\nearly trade on Monday.\n    The index gained\n2 pct.\n Reuter";
        assert_eq!(
            sents(t),
            [
                "Shares rose in\nearly trade on Monday.",
                "The index gained\n2 pct.",
                "Reuter"
            ]
        );
    }

    fn paras(t: &str) -> Vec<&str> {
        paragraphs(t).iter().map(|s| s.slice(t)).collect()
    }

    #[test]
    fn paragraph_marks_start_paragraphs_and_stay_outside_them() {
        // Hard-wrapped lines, each paragraph opened by `<`.
        let t = "< Shares rose in early\ntrade on Monday, dealers\nsaid.\n<   The index gained\n2 pct.\n";
        assert_eq!(
            paras(t),
            [
                "Shares rose in early\ntrade on Monday, dealers\nsaid.",
                "The index gained\n2 pct."
            ]
        );
        assert_eq!(
            sents(t),
            [
                "Shares rose in early\ntrade on Monday, dealers\nsaid.",
                "The index gained\n2 pct."
            ]
        );
        // A pilcrow, and a mark in text with blank lines.
        let t = "One para\nwraps here.\n¶ Two starts.\n\nThree.";
        assert_eq!(paras(t), ["One para\nwraps here.", "Two starts.", "Three."]);
        // A company tag at a line start is no mark; a mark alone on its
        // line ends the paragraph.
        let t = "<Harbour Fuel Co> said\nprofits rose.\n<\nNext one.";
        assert_eq!(para_mark("<Harbour Fuel Co> said"), None);
        assert_eq!(para_mark("  <  x"), Some(3));
        assert_eq!(para_mark("¶x"), Some(2));
        assert_eq!(
            paras(t),
            ["<Harbour Fuel Co> said\nprofits rose.", "Next one."]
        );
    }

    #[test]
    fn hard_wrapped_text_without_cues_keeps_its_sentences() {
        // Lines cut at a width inside sentences; a short line ending a
        // sentence ends its paragraph.
        let t = "An elderly man was taken to hospital after a fire\n\
                 broke out at the harbour fuel depot on Monday\n\
                 night, the fire brigade said.\n\
                 Crews from three stations fought the blaze for\n\
                 four hours before it was brought under control.\n\
                 The cause is not yet known.";
        assert_eq!(
            sents(t),
            [
                "An elderly man was taken to hospital after a fire\n\
                 broke out at the harbour fuel depot on Monday\n\
                 night, the fire brigade said.",
                "Crews from three stations fought the blaze for\n\
                 four hours before it was brought under control.",
                "The cause is not yet known."
            ]
        );
        assert_eq!(paras(t).len(), 2, "{:?}", paras(t));
        // A list of items without full stops, one a line, of uneven
        // lengths: no wrapping, one paragraph per line.
        let t = "Items on the council agenda tonight include these\n\
                 a new bus depot for the town\n\
                 the harbour wall repairs and their cost\n\
                 two planning appeals from residents of the old quarter\n\
                 any other business";
        assert_eq!(paras(t).len(), 5, "{:?}", paras(t));
        // One paragraph per line (lines end like sentences): unchanged.
        let t = "The first line is a paragraph.\nThe second one is too, and long.\n\
                 The third one also stands alone here.\nAnd the fourth one ends it.";
        assert_eq!(paras(t).len(), 4);
    }

    #[test]
    fn a_headline_in_capitals_is_a_paragraph_of_its_own() {
        let t = "BLAZE AT HARBOUR DEPOT\nAN ELDERLY man was taken to\nhospital.\n\nCrews came.";
        assert_eq!(
            sents(t),
            [
                "BLAZE AT HARBOUR DEPOT",
                "AN ELDERLY man was taken to\nhospital.",
                "Crews came."
            ]
        );
        // Capitals inside a paragraph, or one word alone, are no headline.
        assert!(!is_headline("AN ELDERLY man"));
        assert!(!is_headline("REUTER"));
        assert!(is_headline("U.S. FED RAISES RATES 0.25 PCT"));
        let t = "Intro.\n\nThe charity\nUNICEF SAID IT WOULD\nhelp.";
        assert_eq!(
            sents(t),
            ["Intro.", "The charity\nUNICEF SAID IT WOULD\nhelp."]
        );
    }

    fn word_count(t: &str) -> usize {
        let mut n = 0;
        word_bounds(t, |_, _| n += 1);
        n
    }

    fn units_of(t: &str) -> Vec<&str> {
        sentences(t).iter().map(|u| u.slice(t)).collect()
    }

    #[test]
    fn long_runs_are_cut_into_bounded_units() {
        // 1,000 words without punctuation.
        let t: String = (0..1000).map(|i| format!("w{i} ")).collect();
        let units = units_of(&t);
        for (n, u) in units.iter().enumerate() {
            let words = word_count(u);
            assert!(words <= MAX_SENTENCE_WORDS, "{words}");
            assert!(
                n + 1 == units.len() || words > MAX_SENTENCE_WORDS / 2,
                "{words}"
            );
            assert_eq!(*u, u.trim());
        }
        // Every word is in exactly one unit, in order.
        let joined: Vec<&str> = units.iter().flat_map(|u| u.split(' ')).collect();
        let all: Vec<&str> = t.split_whitespace().collect();
        assert_eq!(joined, all);
    }

    #[test]
    fn a_copied_run_is_cut_at_the_same_words() {
        // The same 3,000 words, alone and after 97 other words: after the
        // first few units, the units are the same words.
        let run: String = (0..3000)
            .map(|i| format!("w{} ", i * 7919 % 10007))
            .collect();
        let prefixed = (0..97).map(|i| format!("x{i} ")).collect::<String>() + &run;
        let (a, b) = (units_of(&run), units_of(&prefixed));
        let shared = a.iter().filter(|u| b.contains(u)).count();
        assert!(
            shared + 3 >= a.len(),
            "{shared} of {} units shared",
            a.len()
        );
    }

    #[test]
    fn long_sentences_are_cut_at_clause_boundaries() {
        // Clauses of 10 words joined by commas, one of them by a semicolon.
        let clause = |i: usize| {
            (0..10)
                .map(|k| format!("c{i}x{k}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut t = String::new();
        for i in 0..40 {
            t += &clause(i);
            t += if i == 11 { "; " } else { ", " };
        }
        t.pop();
        t.pop();
        t.push('.');
        let units = sentences(&t);
        // The semicolon after clause 11 (word 120) is the strongest cut in
        // the first window (words 76-150); later windows cut at commas.
        assert!(
            units[0].slice(&t).ends_with("c11x9;"),
            "{:?}",
            units[0].slice(&t)
        );
        assert!(units[1].slice(&t).starts_with("c12x0"));
        for u in &units {
            let n = word_count(u.slice(&t));
            assert!(n <= MAX_SENTENCE_WORDS, "{n}");
            assert!(u.slice(&t).ends_with([',', ';', '.']), "{:?}", u.slice(&t));
        }
        assert_eq!(
            units.iter().map(|u| word_count(u.slice(&t))).sum::<usize>(),
            400
        );
    }

    #[test]
    fn hyphens_inside_words_are_no_clause_boundary() {
        assert_eq!(clause_strength("-"), 0);
        assert_eq!(clause_strength(" - "), 2);
        assert_eq!(clause_strength("; "), 3);
        assert_eq!(clause_strength(", "), 1);
        assert_eq!(clause_strength(" "), 0);
    }
}
