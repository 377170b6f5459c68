//! Sentences: the UAX #29 pieces of each paragraph merged back where a
//! boundary is no sentence end (after a title, an initial or an
//! abbreviation, before a part in lower case), and sentences longer than
//! [`MAX_SENTENCE_WORDS`] cut at their strongest clause boundaries.

use super::Span;
use super::paragraphs::paragraphs;
use super::pieces::sentence_pieces;
use super::words::word_bounds;

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
                    std::cmp::Reverse(crate::text::word_key(word.as_bytes())),
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
    use super::*;

    fn sents(t: &str) -> Vec<&str> {
        sentences(t).iter().map(|s| s.slice(t)).collect()
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
