//! Finding direct quotes: quotation marks of every common style paired into
//! quotes, including quotes continued into the next paragraph.
//!
//! Marks are found in two steps. First every quote character gets a *role*
//! from the character itself and its neighbours (an opening mark follows a
//! space, a bracket, a dash or another mark and precedes text; a closing mark
//! follows text). Then the marks of a paragraph are matched with a stack, so
//! nested quotes pair up inside out.
//!
//! A quote continued over paragraphs whose breaks were lost reads `... the
//! end. "Next part ...` with no closing mark before the re-opening one: an
//! opening double mark of the same kind right after a sentence end inside
//! an open quote (with no other double mark in between) ends that quote at
//! its last word and opens the next, so each part is a quote of its own and
//! takes its speaker from the one before.
//!
//! Single marks double as apostrophes, so they are treated cautiously: a
//! `'` or `’` between two letters or digits is always an apostrophe, an
//! opening single mark only counts when a closing one follows in the same
//! paragraph, and an unmatched single closing mark is an apostrophe
//! (`the players' union`), never reported.

use super::speaker::attribute_in;
use super::{Quote, QuoteScan};
use crate::text::{Span, paragraphs, word_bounds};

/// Quotes of at most this many words are marked [`Quote::short`].
pub const SHORT_QUOTE_WORDS: usize = 3;

/// Finds the direct quotes of `text` and attributes them to speakers.
///
/// Returns the outermost quotes in [`QuoteScan::quotes`] (in order, never
/// overlapping), quotes nested inside them in [`QuoteScan::nested`], and
/// marks that could not be paired in [`QuoteScan::unbalanced`]. Never
/// panics, whatever the input.
///
/// ```
/// let text = "“We will stand firm,” Strock added.";
/// let scan = neardiff::quotes::extract(text);
/// let q = &scan.quotes[0];
/// assert_eq!(q.span.slice(text), "We will stand firm");
/// assert_eq!(q.speaker.as_deref(), Some("Strock"));
/// ```
pub fn extract(text: &str) -> QuoteScan {
    extract_in(text, &paragraphs(text))
}

/// [`extract`] for a text whose [`paragraphs`] are known.
pub(crate) fn extract_in(text: &str, paras: &[Span]) -> QuoteScan {
    let pairs = find_pairs(text, paras);
    let mut all: Vec<Quote> = pairs
        .pairs
        .iter()
        .filter_map(|p| make_quote(text, p))
        .collect();
    all.sort_by(|a, b| {
        a.outer
            .start
            .cmp(&b.outer.start)
            .then(b.outer.end.cmp(&a.outer.end))
    });
    let mut quotes: Vec<Quote> = Vec::new();
    let mut nested = Vec::new();
    for q in all {
        match quotes.last() {
            Some(top) if q.outer.start < top.outer.end => nested.push(q),
            _ => quotes.push(q),
        }
    }
    attribute_in(text, paras, &mut quotes);
    let mut unbalanced = pairs.unbalanced;
    unbalanced.sort();
    unbalanced.dedup();
    QuoteScan {
        quotes,
        nested,
        unbalanced,
    }
}

/// Builds a quote from a matched pair of marks, or `None` when there are no
/// words between them.
fn make_quote(text: &str, p: &Pair) -> Option<Quote> {
    let outer = Span::new(p.open_at, p.close_at + p.close_len);
    let inner_start = p.open_at + p.open_len;
    let inner = &text[inner_start..p.close_at];
    // Trim whitespace, then a trailing comma (the comma of `"...," she
    // said` belongs to the surrounding sentence), then whitespace again.
    let lead = inner.len() - inner.trim_start().len();
    let trimmed = inner.trim();
    let trimmed = trimmed.strip_suffix(',').unwrap_or(trimmed).trim_end();
    if !trimmed.chars().any(char::is_alphanumeric) {
        return None;
    }
    let start = inner_start + lead;
    let span = Span::new(start, start + trimmed.len());
    let mut n = 0;
    word_bounds(trimmed, |_, _| n += 1);
    let short = n <= SHORT_QUOTE_WORDS;
    Some(Quote {
        span,
        outer,
        speaker: None,
        description: None,
        short,
    })
}

/// How far down the stack of open quotes a closing mark looks.
const MAX_DEPTH: usize = 32;

/// Whether a mark belongs to the double or the single family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    Double,
    Single,
}

fn family(ch: char) -> Family {
    match ch {
        '\'' | '‘' | '’' | '‚' | '‹' | '›' => Family::Single,
        _ => Family::Double,
    }
}

/// What a mark does, decided from its character and neighbours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Always opens a quote.
    Open,
    /// Closes an open quote it can close; reported when there is none.
    Close,
    /// Closes an open quote it can close; opens one otherwise.
    Either,
    /// Closes an open quote it can close; otherwise it is an apostrophe or
    /// an inch mark and ignored. A `weak` one (`s'` before a space) only
    /// closes when no other closing mark for the same quote follows in the
    /// paragraph.
    CloseOrIgnore { weak: bool },
}

/// A quote character at a byte offset, with its role.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Mark {
    at: usize,
    ch: char,
    /// Its length in bytes: that of `ch`, or 2 for the TeX marks
    /// ``` `` ``` and `''`, which count as `“` and `”`.
    len: usize,
    role: Role,
}

/// An opening mark waiting for its closing mark.
#[derive(Clone, Copy, Debug)]
struct Opener {
    at: usize,
    ch: char,
    len: usize,
}

/// A matched opening and closing mark.
#[derive(Clone, Copy, Debug)]
struct Pair {
    open_at: usize,
    open_len: usize,
    close_at: usize,
    close_len: usize,
}

/// Every matched pair of marks and the unbalanced ones.
#[derive(Default)]
struct Pairs {
    pairs: Vec<Pair>,
    unbalanced: Vec<(usize, String)>,
}

/// True when `closer` can close a quote opened by `opener`.
fn closes(opener: char, closer: char) -> bool {
    match opener {
        '"' => closer == '"',
        '“' => matches!(closer, '”' | '“'),
        '„' => matches!(closer, '“' | '”'),
        '”' => closer == '”',
        '«' => closer == '»',
        '»' => closer == '«',
        '\'' => closer == '\'',
        '‘' => closer == '’',
        '‚' => matches!(closer, '‘' | '’'),
        '‹' => closer == '›',
        '›' => closer == '‹',
        _ => false,
    }
}

fn is_quote_char(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '„' | '«' | '»' | '‘' | '’' | '‚' | '‹' | '›'
    )
}

/// Characters after which a mark may open a quote.
fn opens_after(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '(' | '['
                | '{'
                | '<'
                | '—'
                | '–'
                | '-'
                | '/'
                | '"'
                | '\''
                | '“'
                | '‘'
                | '„'
                | '‚'
                | '«'
                | '»'
                | '‹'
                | '›'
        )
}

/// Characters before which a mark may close a quote.
fn closes_before(c: char) -> bool {
    c.is_whitespace()
        || is_quote_char(c)
        || matches!(
            c,
            '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '>' | '…' | '—' | '–' | '-' | '/'
        )
}

/// Words that follow an eliding apostrophe (`'em`, `'tis`), not a quote.
const ELISIONS: &[&str] = &["em", "tis", "twas", "cause", "til", "n"];

/// The role of the quote character `ch` between `prev` and `next`, or
/// `None` when it is an apostrophe.
fn role(ch: char, prev: Option<char>, next: Option<char>, rest: &str) -> Option<Role> {
    let prev_alnum = prev.is_some_and(char::is_alphanumeric);
    let next_alnum = next.is_some_and(char::is_alphanumeric);
    let open_ctx = prev.is_none_or(opens_after);
    let left = open_ctx && next.is_some_and(|c| !c.is_whitespace());
    let right = !open_ctx && next.is_none_or(closes_before);
    let only_left = left && !right;
    let only_right = right && !left;
    let weak = prev.is_some_and(|c| c == 's' || c == 'S') && next.is_none_or(char::is_whitespace);
    match ch {
        // Text whose curly marks and dashes were lost in a broken export:
        // a straight mark between two Latin letters stands for an apostrophe
        // (`doesn"t`, `O"Leary`); after a space, `"?` and `"\u{FFFD}` before
        // a space stand for a dash (`people "\u{FFFD} a demographic`,
        // `crime and if "?ships take risks`, the `"?` before an embedded
        // tweet's author), not a mark: a closing mark never follows a space.
        '"' if prev.is_some_and(|c| c.is_ascii_alphabetic())
            && next.is_some_and(|c| c.is_ascii_alphabetic()) =>
        {
            None
        }
        '"' if prev.is_none_or(char::is_whitespace)
            && (next == Some('?')
                || (next == Some('\u{FFFD}')
                    && rest.chars().nth(1).is_none_or(char::is_whitespace))) =>
        {
            None
        }
        '"' => Some(if only_left {
            Role::Open
        } else if only_right && prev.is_some_and(|c| c.is_ascii_digit()) {
            // 5'10" is an inch mark unless it can close a quote.
            Role::CloseOrIgnore { weak: false }
        } else if only_right {
            Role::Close
        } else {
            Role::Either
        }),
        '\'' | '’' if prev_alnum && next_alnum => None,
        '\'' if only_left => {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            let elided = next.is_some_and(|c| c.is_ascii_digit()) || ELISIONS.contains(&&*word);
            (!elided).then_some(Role::Open)
        }
        '\'' | '’' if only_left => None,
        '\'' | '’' => {
            (!prev.is_none_or(char::is_whitespace)).then_some(Role::CloseOrIgnore { weak })
        }
        '‘' if prev_alnum && next_alnum => None,
        '‘' if only_left => (!next.is_some_and(|c| c.is_ascii_digit())).then_some(Role::Open),
        '‘' => Some(Role::CloseOrIgnore { weak: false }),
        '‚' => only_left.then_some(Role::Open),
        '„' => Some(Role::Open),
        '“' if only_left => Some(Role::Open),
        '“' => Some(Role::Either),
        '”' if only_left => Some(Role::Either),
        '”' => Some(Role::Close),
        '«' | '‹' => Some(Role::Either),
        '»' | '›' if only_right => Some(Role::Close),
        '»' | '›' => Some(Role::Either),
        _ => None,
    }
}

/// The quote marks of one paragraph with their roles.
///
/// In a text that uses TeX quotes (`tex`: it has a ``` `` ```), ``` `` ```
/// is an opening `“` and `''` a `”` (wire copy writes ``` ``like this'' ```).
fn marks_of(text: &str, para: Span, tex: bool) -> Vec<Mark> {
    let ptext = para.slice(text);
    let mut out = Vec::new();
    // Every quote character is `"`, `'`, or starts with byte 0xC2 (`«`
    // and `»`) or 0xE2 (the others, U+2018 to U+203A); these bytes only
    // ever start a character. TeX marks start with ` or '.
    let bytes = ptext.as_bytes();
    let mut i = 0;
    while let Some(k) = bytes[i..]
        .iter()
        .position(|&b| matches!(b, b'"' | b'\'' | 0xC2 | 0xE2) || (tex && b == b'`'))
    {
        let at = i + k;
        let Some(ch) = ptext[at..].chars().next() else {
            break;
        };
        let (ch, len) = match tex_mark(&bytes[at..], tex) {
            Some(logical) => (logical, 2),
            None => (ch, ch.len_utf8()),
        };
        i = at + len;
        if is_quote_char(ch) {
            let prev = ptext[..at].chars().next_back();
            let rest = &ptext[i..];
            if let Some(role) = role(ch, prev, rest.chars().next(), rest) {
                out.push(Mark {
                    at: para.start + at,
                    ch,
                    len,
                    role,
                });
            }
        }
    }
    out
}

/// The quote a TeX mark at the start of `b` stands for, in a text that
/// uses them: ``` `` ``` opens (`“`), `''` closes (`”`).
fn tex_mark(b: &[u8], tex: bool) -> Option<char> {
    match b {
        [b'`', b'`', ..] if tex => Some('“'),
        [b'\'', b'\'', ..] if tex => Some('”'),
        _ => None,
    }
}

fn opening_without_close(o: &Opener) -> (usize, String) {
    (o.at, format!("opening {} without a closing mark", o.ch))
}

/// Matches the marks of one paragraph, starting from `stack` (a quote
/// carried over from the previous paragraph, or nothing). Openers left
/// inside a closed quote are dropped, double ones reported.
fn match_paragraph(text: &str, marks: &[Mark], stack: &mut Vec<Opener>, out: &mut Pairs) {
    // The last strong closing mark of each kind that can be weak, so that a
    // weak one can tell whether a better one follows.
    let strong = |m: &&Mark| {
        matches!(
            m.role,
            Role::CloseOrIgnore { weak: false } | Role::Close | Role::Either
        )
    };
    let last_strong = |ch: char| marks.iter().rposition(|m| m.ch == ch && strong(&m));
    let (last_straight, last_curly) = (last_strong('\''), last_strong('’'));
    for (k, m) in marks.iter().enumerate() {
        let singles_only = family(m.ch) == Family::Single;
        let found = |stack: &[Opener]| -> Option<usize> {
            // Nesting deeper than this is not text; the bound keeps
            // pathological input linear.
            for (idx, o) in stack.iter().enumerate().rev().take(MAX_DEPTH) {
                if closes(o.ch, m.ch) {
                    return Some(idx);
                }
                if singles_only && family(o.ch) == Family::Double {
                    return None;
                }
            }
            None
        };
        let target = match m.role {
            Role::Open => None,
            Role::CloseOrIgnore { weak: true } => {
                // A later closing mark for the same quote is the better one.
                let last = if m.ch == '\'' {
                    last_straight
                } else {
                    last_curly
                };
                if last.is_some_and(|l| l > k) {
                    continue;
                }
                found(stack)
            }
            _ => found(stack),
        };
        match (target, m.role) {
            (Some(idx), _) => {
                for o in stack.drain(idx + 1..) {
                    if family(o.ch) == Family::Double {
                        out.unbalanced.push(opening_without_close(&o));
                    }
                }
                if let Some(o) = stack.pop() {
                    out.pairs.push(Pair {
                        open_at: o.at,
                        open_len: o.len,
                        close_at: m.at,
                        close_len: m.len,
                    });
                }
            }
            (None, Role::Open) if continues(text, stack.last(), m) => {
                // `... the end. "Next part`: the paragraph breaks of a long
                // quote were lost and only its re-opening marks remain. The
                // part before ends at its last word; the next opens here.
                let Some(o) = stack.pop() else { continue };
                let end = text[..m.at].trim_end().len();
                out.pairs.push(Pair {
                    open_at: o.at,
                    open_len: o.len,
                    close_at: end,
                    close_len: 0,
                });
                stack.push(Opener {
                    at: m.at,
                    ch: m.ch,
                    len: m.len,
                });
            }
            (None, Role::Open | Role::Either) => stack.push(Opener {
                at: m.at,
                ch: m.ch,
                len: m.len,
            }),
            (None, Role::Close) => out
                .unbalanced
                .push((m.at, format!("closing {} without an opening mark", m.ch))),
            (None, Role::CloseOrIgnore { .. }) => {}
        }
    }
}

/// Whether the opening mark `m` re-opens the quote `top` (a double one of
/// the same kind, alone on the stack) after a sentence end, as a quote
/// continued over a lost paragraph break does (`... to achieve. "It was
/// never ...`), rather than opening a quote nested in it.
fn continues(text: &str, top: Option<&Opener>, m: &Mark) -> bool {
    let Some(o) = top else {
        return false;
    };
    if family(o.ch) != Family::Double || o.ch != m.ch {
        return false;
    }
    let between = &text[o.at + o.len..m.at];
    let before = between.trim_end();
    before.len() < between.len()
        && before.ends_with(['.', '!', '?'])
        && before.chars().filter(|c| c.is_alphanumeric()).count() > 0
        && !between.contains(|c| is_quote_char(c) && family(c) == Family::Double)
}

/// Deals with the openers left at a paragraph's end: single ones are
/// dropped (straight `'` silently, as it may be an apostrophe), double ones
/// reported, except the outermost double one, which is returned so the next
/// paragraph may continue it.
fn leftovers(stack: Vec<Opener>, out: &mut Pairs) -> Option<Opener> {
    let mut carried = None;
    for o in stack {
        match family(o.ch) {
            Family::Double if carried.is_none() => carried = Some(o),
            Family::Single if o.ch == '\'' => {}
            _ => out.unbalanced.push(opening_without_close(&o)),
        }
    }
    carried
}

/// Finds all matched pairs of marks in `text`, paragraph by paragraph.
fn find_pairs(text: &str, paras: &[Span]) -> Pairs {
    let mut out = Pairs::default();
    let mut carried: Option<Opener> = None;
    let tex = text.contains("``");
    for &para in paras {
        let marks = marks_of(text, para, tex);
        let mut stack = Vec::new();
        let mut from = 0;
        if let Some(c) = carried.take() {
            let reopens = marks.first().is_some_and(|m| {
                m.at == para.start
                    && family(m.ch) == Family::Double
                    && matches!(m.role, Role::Open | Role::Either)
            });
            if reopens {
                // Convention: each paragraph of a long quote opens again.
                stack.push(c);
                from = 1;
            } else {
                // Looser style: the closing mark comes in the next paragraph
                // with no opening mark there. Accept only if it really closes.
                let mut trial = Pairs::default();
                let mut trial_stack = vec![c];
                match_paragraph(text, &marks, &mut trial_stack, &mut trial);
                if trial.pairs.iter().any(|p| p.open_at == c.at) {
                    out.pairs.append(&mut trial.pairs);
                    out.unbalanced.append(&mut trial.unbalanced);
                    carried = leftovers(trial_stack, &mut out);
                    continue;
                }
                out.unbalanced.push(opening_without_close(&c));
            }
        }
        match_paragraph(text, &marks[from..], &mut stack, &mut out);
        carried = leftovers(stack, &mut out);
    }
    if let Some(c) = carried {
        out.unbalanced.push(opening_without_close(&c));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quoted words of each outermost quote.
    fn spans(text: &str) -> Vec<&str> {
        extract(text)
            .quotes
            .iter()
            .map(|q| q.span.slice(text))
            .collect()
    }

    #[test]
    fn straight_double_quotes() {
        let t = r#"He said "we will win" and "we will stay." Then left."#;
        assert_eq!(spans(t), ["we will win", "we will stay."]);
        let s = extract(t);
        assert_eq!(s.quotes[0].outer.slice(t), r#""we will win""#);
        assert!(s.unbalanced.is_empty());
    }

    #[test]
    fn tex_quotes_in_wire_copy() {
        let t = "``We were lucky,'' the fire chief said. ``It could have\nbeen worse.''";
        assert_eq!(spans(t), ["We were lucky", "It could have\nbeen worse."]);
        let s = extract(t);
        assert_eq!(s.quotes[0].outer.slice(t), "``We were lucky,''");
        assert!(s.unbalanced.is_empty(), "{:?}", s.unbalanced);
        // The same quotes and speakers as with straight marks.
        let t = "``We were lucky,'' Chief Officer Ann Reid said. ``It could have\nbeen worse.''";
        let straight = t.replace("``", "\"").replace("''", "\"");
        let (s, q) = (extract(t), extract(&straight));
        assert_eq!(s.quotes.len(), 2);
        assert!(
            s.quotes[0]
                .speaker
                .as_deref()
                .is_some_and(|w| w.ends_with("Ann Reid"))
        );
        for (x, y) in s.quotes.iter().zip(&q.quotes) {
            assert_eq!(x.span.slice(t), y.span.slice(&straight));
            assert_eq!((&x.speaker, &x.description), (&y.speaker, &y.description));
        }
        // Without an opening TeX mark, '' stays two apostrophes.
        let t = "The players'' union met today.";
        assert!(extract(t).quotes.is_empty() && extract(t).unbalanced.is_empty());
    }

    #[test]
    fn curly_double_and_single_quotes() {
        let t = "She said “yes, of course” and ‘never again’ today.";
        assert_eq!(spans(t), ["yes, of course", "never again"]);
    }

    #[test]
    fn straight_single_quotes() {
        let t = "He called it 'a historic day for all of us' on Monday.";
        assert_eq!(spans(t), ["a historic day for all of us"]);
    }

    #[test]
    fn guillemets_both_ways_and_low_high() {
        assert_eq!(
            spans("Il a dit « nous restons ici » hier."),
            ["nous restons ici"]
        );
        assert_eq!(
            spans("Er sagte »wir bleiben hier« gestern."),
            ["wir bleiben hier"]
        );
        assert_eq!(
            spans("Er sagte „wir bleiben hier“ gestern."),
            ["wir bleiben hier"]
        );
        assert_eq!(
            spans("Er sagte ‚wir bleiben hier‘ gestern."),
            ["wir bleiben hier"]
        );
        assert_eq!(spans("On a dit «non» et ‹oui›."), ["non", "oui"]);
    }

    #[test]
    fn trailing_comma_is_trimmed_but_outer_keeps_marks() {
        let t = "\"I seek my brothers,\" he added.";
        let s = extract(t);
        assert_eq!(s.quotes[0].span.slice(t), "I seek my brothers");
        assert_eq!(s.quotes[0].outer.slice(t), "\"I seek my brothers,\"");
        assert!(!s.quotes[0].short);
    }

    #[test]
    fn nested_quotes_report_the_outer_one() {
        let t = "“He told me ‘go home now’ and I went,” she said.";
        let s = extract(t);
        assert_eq!(spans(t), ["He told me ‘go home now’ and I went"]);
        assert_eq!(s.nested.len(), 1);
        assert_eq!(s.nested[0].span.slice(t), "go home now");
        let t = r#""They call it "absurd" here," he said."#;
        assert_eq!(spans(t), [r#"They call it "absurd" here"#]);
        assert_eq!(extract(t).nested[0].span.slice(t), "absurd");
        assert!(extract(t).nested[0].short);
    }

    #[test]
    fn continued_quote_without_its_paragraph_breaks() {
        // The breaks of a quote over three paragraphs were lost: one
        // segment per paragraph, each ending at its last word.
        let t =
            "Rusk said: \"We came to talk. \"We stayed to listen. \"We leave as friends.\" After.";
        let s = extract(t);
        let got: Vec<&str> = s.quotes.iter().map(|q| q.span.slice(t)).collect();
        assert_eq!(
            got,
            [
                "We came to talk.",
                "We stayed to listen.",
                "We leave as friends."
            ]
        );
        assert!(s.unbalanced.is_empty());
        let speakers: Vec<_> = s.quotes.iter().map(|q| q.speaker.as_deref()).collect();
        assert_eq!(speakers, [Some("Rusk"); 3]);
        // A quote nested after a word, not after a sentence end, stays nested.
        let t = "Rusk said: \"We call it \"home\" now.\"";
        let s = extract(t);
        assert_eq!(s.quotes.len(), 1);
        assert_eq!(s.nested.len(), 1);
    }

    #[test]
    fn continued_quote_with_reopening_mark() {
        let t = "He said: “First part of it.\n\n“Second part of it,” he added.\n\nAfter.";
        let s = extract(t);
        assert_eq!(s.quotes.len(), 1);
        assert_eq!(
            s.quotes[0].span.slice(t),
            "First part of it.\n\n“Second part of it"
        );
        assert!(s.unbalanced.is_empty());
    }

    #[test]
    fn continued_quote_closed_in_next_paragraph() {
        let t = "He said \"countries that were at war.\n\nMeanwhile, others suffer.\"\n\nEnd.";
        let s = extract(t);
        assert_eq!(s.quotes.len(), 1);
        assert_eq!(
            s.quotes[0].span.slice(t),
            "countries that were at war.\n\nMeanwhile, others suffer."
        );
        assert!(s.unbalanced.is_empty());
    }

    #[test]
    fn unclosed_quote_is_not_continued_into_unrelated_paragraph() {
        let t = "He said “we won.\n\nThe next “day” came.";
        let s = extract(t);
        assert_eq!(spans(t), ["day"]);
        assert_eq!(
            s.unbalanced,
            [(8, "opening “ without a closing mark".to_string())]
        );
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        for t in [
            "I don't know what the PM’s plan is.",
            "Back in the '90s it was different.",
            "Moshiashvili's motion and the players' union.",
            "The Jews’ community. Rock 'n' roll, 'em all.",
            "It is 5'10\" tall.",
        ] {
            let s = extract(t);
            assert!(s.quotes.is_empty(), "{t}: {:?}", s.quotes);
            assert!(s.unbalanced.is_empty(), "{t}: {:?}", s.unbalanced);
        }
    }

    #[test]
    fn broken_export_apostrophes_and_dashes_are_not_marks() {
        // `"` between letters is an apostrophe, inside a quote or not.
        let t = "\"It doesn\"t matter,\" he said. People don\"t care.";
        assert_eq!(spans(t), ["It doesn\"t matter"]);
        // ` "?` is a dash inside a quote, and before a tweet's author.
        let t = "\"They never went away and if \"?ships take risks, they strike,\" Steed said.";
        assert_eq!(
            spans(t),
            ["They never went away and if \"?ships take risks, they strike"]
        );
        let t = "A NEW LOW! \"?Donald J. Trump (@realDonaldTrump) March 4, 2017 How low.";
        assert!(spans(t).is_empty());
        // ` "\u{FFFD}` is a dash; `"?` and `"\u{FFFD}` after a word still close.
        let t = "young people \"\u{FFFD} a group \"\u{FFFD} came. \"We won,\"?Ann said.";
        assert_eq!(spans(t), ["We won"]);
        let t = "\"It is vile.\"\u{FFFD}\u{FFFD}?\"We act,\" he said.";
        assert_eq!(spans(t), ["It is vile.", "We act"]);
        let t = "\"He played rock \"\u{FFFD}n\"?roll well,\" Ann said.";
        assert_eq!(spans(t), ["He played rock \"\u{FFFD}n\"?roll well"]);
        let t = "\"Sesame Street\"?just grew.";
        assert_eq!(spans(t), ["Sesame Street"]);
    }

    #[test]
    fn single_quote_with_apostrophes_inside() {
        let t = "He said 'it isn't the players' fault' today.";
        assert_eq!(spans(t), ["it isn't the players' fault"]);
        let t = "He said ‘the Jews’ fate is sealed’ today.";
        assert_eq!(spans(t), ["the Jews’ fate is sealed"]);
        // With only `s’` candidates, the first one closes.
        let t = "He said ‘the Jews’ fate is ours’ today.";
        assert_eq!(spans(t), ["the Jews"]);
    }

    #[test]
    fn single_quote_needs_a_close_in_the_paragraph() {
        let t = "He said 'maybe later.\n\nAnd then' he left.";
        assert!(spans(t).is_empty());
    }

    #[test]
    fn unbalanced_marks_are_reported() {
        let t = "He said “yes. Then ” no.";
        let s = extract(t);
        assert!(s.quotes.len() <= 1);
        let t = "Closing ” first, then “open.";
        let s = extract(t);
        assert!(s.quotes.is_empty());
        assert_eq!(
            s.unbalanced,
            [
                (8, "closing ” without an opening mark".to_string()),
                (24, "opening “ without a closing mark".to_string()),
            ]
        );
    }

    #[test]
    fn short_quotes_are_flagged() {
        let t = "an \"absurd situation\" where \"countries that were at war\"";
        let s = extract(t);
        assert!(s.quotes[0].short);
        assert!(!s.quotes[1].short);
    }

    #[test]
    fn pathological_input_is_fast() {
        let t = "« ".repeat(50_000) + &"s' x ".repeat(50_000);
        let start = std::time::Instant::now();
        let s = extract(&t);
        assert!(s.quotes.is_empty());
        assert!(start.elapsed().as_secs() < 5);
    }

    #[test]
    fn empty_quotes_are_skipped() {
        assert!(extract("He said \"\" and “ ” then.").quotes.is_empty());
    }

    #[test]
    fn sample_a_loose_continuation() {
        let raw = include_str!("../../samples/knesset-azerbaijan-newsaz.txt");
        let text = crate::parse_plain_text(raw, "a").text;
        let s = extract(&text);
        let q = s
            .quotes
            .iter()
            .find(|q| {
                q.span
                    .slice(&text)
                    .starts_with("countries that were at war")
            })
            .expect("quote found");
        assert!(
            q.span
                .slice(&text)
                .ends_with("suffers from American sanctions.")
        );
        assert!(q.span.slice(&text).contains("\n\nMeanwhile"));
        assert!(s.unbalanced.is_empty(), "{:?}", s.unbalanced);
        assert_eq!(s.quotes.len(), 9);
        assert!(s.nested.is_empty());
        let raw = include_str!("../../samples/knesset-azerbaijan-jns.txt");
        let text = crate::parse_plain_text(raw, "b").text;
        let s = extract(&text);
        assert!(s.unbalanced.is_empty(), "{:?}", s.unbalanced);
        assert_eq!(s.quotes.len(), 10);
        assert_eq!(s.quotes[4].span.slice(&text), "I seek my brothers");
    }

    #[test]
    fn continued_quote_speaker_comes_from_its_last_paragraph() {
        let t = "“First part of it.\n\n“Second part,” Strock said.";
        assert_eq!(extract(t).quotes[0].speaker.as_deref(), Some("Strock"));
        let t = "Strock said: “First part of it.\n\n“Second part,” he added.";
        assert_eq!(extract(t).quotes[0].speaker.as_deref(), Some("Strock"));
    }

    #[test]
    fn mixed_nesting_and_mark_combinations() {
        assert_eq!(
            spans("He said: \"It's 'fine' by me.\" Then left."),
            ["It's 'fine' by me."]
        );
        assert_eq!(
            spans("‘We won’t go,’ she said. ‘It’s fine.’"),
            ["We won’t go", "It’s fine."]
        );
        assert_eq!(
            spans("(\"quoted\") and said,\"next one\""),
            ["quoted", "next one"]
        );
        assert_eq!(
            spans("„Er sagte »nein« dazu“, hieß es."),
            ["Er sagte »nein« dazu"]
        );
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn piece() -> impl Strategy<Value = String> {
            prop_oneof![
                Just("\"".to_string()),
                Just("'".to_string()),
                Just("“".to_string()),
                Just("”".to_string()),
                Just("‘".to_string()),
                Just("’".to_string()),
                Just("„".to_string()),
                Just("‚".to_string()),
                Just("«".to_string()),
                Just("»".to_string()),
                Just("‹".to_string()),
                Just("›".to_string()),
                Just("``".to_string()),
                Just("''".to_string()),
                Just(" ".to_string()),
                Just("\n\n".to_string()),
                Just("\n".to_string()),
                Just(", ".to_string()),
                Just(". ".to_string()),
                Just(": ".to_string()),
                Just(" said ".to_string()),
                Just(" Strock added".to_string()),
                Just("he".to_string()),
                "[a-zA-Z]{1,6}",
                "[éßж漢🙂]{1,3}",
                "\\PC{0,4}",
            ]
        }

        fn check(text: &str) {
            let s = extract(text);
            for q in s.quotes.iter().chain(&s.nested) {
                for sp in [q.span, q.outer] {
                    assert!(sp.start <= sp.end && sp.end <= text.len());
                    assert!(text.is_char_boundary(sp.start));
                    assert!(text.is_char_boundary(sp.end));
                }
                assert!(q.outer.start <= q.span.start && q.span.end <= q.outer.end);
            }
            for w in s.quotes.windows(2) {
                assert!(w[0].outer.end <= w[1].outer.start);
            }
            for (at, _) in &s.unbalanced {
                assert!(*at < text.len() && text.is_char_boundary(*at));
            }
        }

        /// The marks of a paragraph found character by character, the
        /// plain way: the reference for `marks_of`.
        fn reference_marks(text: &str, para: Span) -> Vec<Mark> {
            let tex = text.contains("``");
            let ptext = para.slice(text);
            let mut out = Vec::new();
            let mut prev = None;
            let mut iter = ptext.char_indices().peekable();
            while let Some((i, raw)) = iter.next() {
                let mut next = iter.peek().map(|&(_, c)| c);
                let (ch, len, pair) = match (tex, raw, next) {
                    (true, '`', Some('`')) => ('“', 2, true),
                    (true, '\'', Some('\'')) => ('”', 2, true),
                    _ => (raw, raw.len_utf8(), false),
                };
                if pair {
                    iter.next();
                    next = iter.peek().map(|&(_, c)| c);
                }
                if is_quote_char(ch) {
                    let rest = &ptext[i + len..];
                    if let Some(role) = role(ch, prev, next, rest) {
                        out.push(Mark {
                            at: para.start + i,
                            ch,
                            len,
                            role,
                        });
                    }
                }
                prev = Some(raw);
            }
            out
        }

        proptest! {
            #[test]
            fn never_panics_on_mixed_marks(parts in proptest::collection::vec(piece(), 0..40)) {
                check(&parts.concat());
            }

            #[test]
            fn marks_agree_with_a_scan_of_every_character(
                parts in proptest::collection::vec(piece(), 0..40)
            ) {
                let text = parts.concat();
                for para in paragraphs(&text) {
                    prop_assert_eq!(marks_of(&text, para, text.contains("``")), reference_marks(&text, para));
                }
            }

            #[test]
            fn never_panics_on_any_string(text in "\\PC{0,200}") {
                check(&text);
            }
        }
    }
}
