//! Changed facts: numbers, dates, names and list items that differ between
//! two aligned passages or quotes, found in their word edits.

use std::cell::OnceCell;

use crate::compare::{Fact, FactKind, FactValue, Severity};
use crate::diff::{EditOp, WordEdit};
use crate::text::{self, KeySet, Span, Word};

/// Days named relative to today (dates too, for a fact-checker).
fn is_relative_day(norm: &str) -> bool {
    matches!(norm, "yesterday" | "today" | "tomorrow" | "tonight")
}

/// Number words (a match, which is much cheaper than a search of a list).
fn is_number_word(norm: &str) -> bool {
    matches!(
        norm,
        "zero"
            | "one"
            | "two"
            | "three"
            | "four"
            | "five"
            | "six"
            | "seven"
            | "eight"
            | "nine"
            | "ten"
            | "eleven"
            | "twelve"
            | "thirteen"
            | "fourteen"
            | "fifteen"
            | "sixteen"
            | "seventeen"
            | "eighteen"
            | "nineteen"
            | "twenty"
            | "thirty"
            | "forty"
            | "fifty"
            | "sixty"
            | "seventy"
            | "eighty"
            | "ninety"
            | "hundred"
            | "hundreds"
            | "thousand"
            | "thousands"
            | "million"
            | "millions"
            | "billion"
            | "billions"
            | "trillion"
            | "dozen"
            | "dozens"
            | "half"
            | "twice"
            | "double"
            | "triple"
            | "percent"
    )
}

/// Facts found so far, with the ranges they cover so that no change is
/// reported twice.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    taken: Vec<(Option<Span>, Option<Span>)>,
    /// The facts, in the order found.
    pub facts: Vec<Fact>,
}

/// A word in an edit run, seen for classification.
struct Tok<'a> {
    span: Span,
    raw: &'a str,
    norm: &'a str,
    /// Key of its base form (see [`base_key`]).
    base: u64,
}

/// An article's text with its words (as segmented once, with spans into
/// the whole text) and the set of their base forms.
pub(crate) struct Doc<'a> {
    /// The body.
    pub text: &'a str,
    /// Its words, in order.
    pub words: &'a [Word],
    /// Keys of the base forms (without possessive endings) of all its
    /// words, made when first needed.
    forms: OnceCell<KeySet>,
}

impl<'a> Doc<'a> {
    /// A document of a text and its words.
    pub fn new(text: &'a str, words: &'a [Word]) -> Doc<'a> {
        Doc {
            text,
            words,
            forms: OnceCell::new(),
        }
    }

    /// True when some word of the document has the base form with key `base`.
    fn has_form(&self, base: u64) -> bool {
        self.forms
            .get_or_init(|| self.words.iter().map(base_key).collect())
            .contains(&base)
    }
}

/// The key of a word's base form ([`base_form`]): the word's own key when
/// it has no possessive ending, like the key of any word of that form.
fn base_key(w: &Word) -> u64 {
    let base = base_form(&w.norm);
    if base.len() == w.norm.len() {
        w.key
    } else {
        crate::text::word_key(base.as_bytes())
    }
}

/// The words of `doc` that lie inside `span`.
fn words_in<'a>(doc: &Doc<'a>, span: Span) -> &'a [Word] {
    let first = doc.words.partition_point(|w| w.span.start < span.start);
    let n = doc.words[first..]
        .iter()
        .take_while(|w| w.span.end <= span.end)
        .count();
    &doc.words[first..first + n]
}

/// The words of `doc` that lie inside `span`, for classification.
fn tokens<'a>(doc: &Doc<'a>, span: Span) -> Vec<Tok<'a>> {
    let mut out = Vec::new();
    tokens_into(doc, span, &mut out);
    out
}

/// [`tokens`] into `out` (cleared first), to reuse its space.
fn tokens_into<'a>(doc: &Doc<'a>, span: Span, out: &mut Vec<Tok<'a>>) {
    out.clear();
    out.extend(words_in(doc, span).iter().map(|w| Tok {
        span: w.span,
        raw: w.span.slice(doc.text),
        norm: &w.norm,
        base: base_key(w),
    }));
}

fn is_number(t: &Tok) -> bool {
    t.norm.bytes().any(|c| c.is_ascii_digit()) || is_number_word(t.norm)
}

fn is_date(t: &Tok, text: &str) -> bool {
    let n = t.norm;
    if text::is_month(n) && (n != "may" || t.raw.starts_with('M')) {
        return true;
    }
    if text::is_weekday(n) || is_relative_day(n) {
        return true;
    }
    if n.len() == 4
        && n.bytes().all(|b| b.is_ascii_digit())
        && (n.starts_with("19") || n.starts_with("20"))
    {
        return true;
    }
    // A day number next to a month name: "March 3", "3 March".
    if n.bytes().all(|b| b.is_ascii_digit()) && n.len() <= 2 {
        let before = text[..t.span.start]
            .split_whitespace()
            .next_back()
            .unwrap_or("");
        let after = text[t.span.end..].split_whitespace().next().unwrap_or("");
        let month = |w: &str| {
            let w = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            text::is_month(&w)
        };
        return month(before) || month(after);
    }
    false
}

/// True for a capitalised word that does not start a sentence or quote.
fn is_name(t: &Tok, text: &str) -> bool {
    if !t.raw.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let before = text[..t.span.start].trim_end();
    let prev = before.chars().next_back();
    !matches!(
        prev,
        None | Some('.' | '!' | '?' | '"' | '“' | '«' | '„' | ':' | '\n')
    )
}

fn classify(toks: &[Tok], text: &str) -> Option<(FactKind, Vec<Span>)> {
    let pick = |f: &dyn Fn(&Tok) -> bool| -> Vec<Span> {
        toks.iter().filter(|t| f(t)).map(|t| t.span).collect()
    };
    let dates = pick(&|t| is_date(t, text));
    if !dates.is_empty() {
        return Some((FactKind::Date, dates));
    }
    let numbers = pick(&is_number);
    if !numbers.is_empty() {
        return Some((FactKind::Number, numbers));
    }
    let names = pick(&|t| is_name(t, text));
    if !names.is_empty() {
        return Some((FactKind::Name, names));
    }
    None
}

fn severity(kind: FactKind, in_quote: bool) -> Severity {
    match kind {
        _ if in_quote => Severity::High,
        FactKind::Number | FactKind::Date => Severity::High,
        FactKind::Name | FactKind::ListItem => Severity::Medium,
        FactKind::Wording => Severity::Low,
    }
}

fn value(text: &str, span: Span) -> FactValue {
    FactValue {
        text: span.slice(text).to_string(),
        start: span.start,
        end: span.end,
    }
}

/// Shrinks a long run to the words that made it a fact (first to last),
/// keeping short runs whole so the reader sees the context.
fn focus(run: Span, hits: &[Span], words_in_run: usize) -> Span {
    if words_in_run <= 6 || hits.is_empty() {
        run
    } else {
        Span::new(hits[0].start, hits[hits.len() - 1].end)
    }
}

/// Facts found in the word edits of two aligned passages (or quotes).
/// `in_quote` marks edits inside quotation marks: every change there is a
/// finding of high severity, plain wording included. Edits that overlap a
/// range in `taken` (already reported) are skipped, and so are numbers,
/// dates that the other article also has somewhere, and names that the
/// other passage (`a_span` / `b_span`) also has: a rewording or reordering
/// around them does not change them.
pub(crate) fn facts_from_edits<'a>(
    da: &Doc<'a>,
    db: &Doc<'a>,
    (a_span, b_span): (Span, Span),
    edits: &[WordEdit],
    in_quote: &dyn Fn(Span, Span) -> bool,
    wording: bool,
    found: &mut Findings,
) {
    let Findings { taken, facts: out } = found;
    let (a_text, b_text) = (da.text, db.text);
    if edits.iter().all(|e| e.op == EditOp::Equal) {
        return;
    }
    // Base keys of each passage's words, sorted, made when first needed.
    let local = |doc: &Doc<'a>, span: Span| -> Vec<u64> {
        let mut keys: Vec<u64> = words_in(doc, span).iter().map(base_key).collect();
        keys.sort_unstable();
        keys
    };
    let (la, lb) = (OnceCell::new(), OnceCell::new());
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for e in edits.iter().filter(|e| e.op != EditOp::Equal) {
        tokens_into(da, e.a, &mut ta);
        tokens_into(db, e.b, &mut tb);
        let quoted = in_quote(e.a, e.b);
        // Words the other side also has elsewhere are not changed facts.
        let all_a = ta.len();
        let all_b = tb.len();
        let stop_words_only = ta.iter().chain(&tb).all(|t| text::is_stop_word(t.norm));
        // Numbers and dates found anywhere in the other article were moved,
        // not changed; names only count as kept within the passage. Other
        // words are left in: `classify` does not look at them.
        let kept = |t: &Tok, text: &str, other: &Doc<'a>, passage: &OnceCell<Vec<u64>>, span| {
            if is_number(t) || is_date(t, text) {
                other.has_form(t.base)
            } else if is_name(t, text) {
                let keys = passage.get_or_init(|| local(other, span));
                keys.binary_search(&t.base).is_ok()
            } else {
                false
            }
        };
        ta.retain(|t| !kept(t, a_text, db, &lb, b_span));
        tb.retain(|t| !kept(t, b_text, da, &la, a_span));
        let ca = classify(&ta, a_text);
        let cb = classify(&tb, b_text);
        let (ta_len, tb_len) = (all_a, all_b);
        let kind = match (&ca, &cb) {
            (Some((ka, _)), Some((kb, _))) => (*ka).min(*kb),
            (Some((k, _)), None) | (None, Some((k, _))) => *k,
            // Other words changed inside a quote: a substitution of a few
            // words, or one or two words added or cut ("not", "only").
            (None, None)
                if wording
                    && quoted
                    && match e.op {
                        EditOp::Replace => ta_len <= 4 && tb_len <= 4,
                        _ => ta_len + tb_len <= 2,
                    } =>
            {
                FactKind::Wording
            }
            (None, None) => continue,
        };
        let hits_a = ca.map(|c| c.1).unwrap_or_default();
        let hits_b = cb.map(|c| c.1).unwrap_or_default();
        let (a, b) = if kind == FactKind::Name {
            // A name counts when it was replaced by another name, or when a
            // short run that is mostly names came or went.
            let mostly_names = |hits: &[Span], n: usize| n <= 4 && 2 * hits.len() >= n;
            let ok = match e.op {
                EditOp::Replace => {
                    !hits_a.is_empty() && !hits_b.is_empty() && ta_len <= 5 && tb_len <= 5
                }
                EditOp::Insert => mostly_names(&hits_b, tb_len),
                EditOp::Delete => mostly_names(&hits_a, ta_len),
                EditOp::Equal => false,
            };
            if !ok {
                continue;
            }
            let hull =
                |h: &[Span]| (!h.is_empty()).then(|| Span::new(h[0].start, h[h.len() - 1].end));
            (hull(&hits_a), hull(&hits_b))
        } else {
            (
                (!e.a.is_empty()).then(|| focus(e.a, &hits_a, ta_len)),
                (!e.b.is_empty()).then(|| focus(e.b, &hits_b, tb_len)),
            )
        };
        if overlaps_taken(taken, a, b) {
            continue;
        }
        taken.push((a, b));
        // A change of function words only ("is" for "are") matters less.
        let function_words_only = kind == FactKind::Wording && stop_words_only;
        out.push(Fact {
            kind,
            severity: if function_words_only {
                Severity::Low
            } else {
                severity(kind, quoted)
            },
            in_quote: quoted,
            a: a.map(|s| value(a_text, s)),
            b: b.map(|s| value(b_text, s)),
        });
    }
}

/// A word without its possessive ending: `ostvale's` and `ostvale` meet.
fn base_form(norm: &str) -> &str {
    norm.strip_suffix("'s")
        .or_else(|| norm.strip_suffix('\''))
        .unwrap_or(norm)
}

fn overlaps(x: Span, y: Span) -> bool {
    x.start < y.end && y.start < x.end
}

fn overlaps_taken(
    taken: &[(Option<Span>, Option<Span>)],
    a: Option<Span>,
    b: Option<Span>,
) -> bool {
    taken.iter().any(|(ta, tb)| {
        matches!((ta, a), (Some(x), Some(y)) if overlaps(*x, y))
            || matches!((tb, b), (Some(x), Some(y)) if overlaps(*x, y))
    })
}

/// An item of a list in a text: its span and normalised words.
struct Item {
    span: Span,
    words: Vec<String>,
}

/// Lists (three or more items separated by commas, the last after `and` or
/// `or`) inside `span` of `text`.
fn lists(doc: &Doc, span: Span) -> Vec<Vec<Item>> {
    let text = doc.text;
    // Every list has at least two items ended by a comma.
    if span.slice(text).matches([',', '、', '，']).nth(1).is_none() {
        return Vec::new();
    }
    let toks = tokens(doc, span);
    let mut out = Vec::new();
    // Segments of words between separators; a separator is a comma, or the
    // word "and"/"or"; anything else that breaks a clause ends the list.
    let mut segs: Vec<(Vec<usize>, bool)> = Vec::new(); // (token indices, ended by comma)
    let mut cur: Vec<usize> = Vec::new();
    let mut after_conj = false;
    let mut in_aside = false;
    let flush = |segs: &mut Vec<(Vec<usize>, bool)>, out: &mut Vec<Vec<Item>>| {
        if let Some(list) = make_list(segs, &toks) {
            out.push(list);
        }
        segs.clear();
    };
    for (i, t) in toks.iter().enumerate() {
        let gap_start = if i == 0 {
            span.start
        } else {
            toks[i - 1].span.end
        };
        let gap = &text[gap_start..t.span.start];
        // A plain space (most gaps) separates nothing.
        if i > 0 && gap != " " {
            let comma = gap.contains([',', '、', '，']);
            if comma && is_conj(toks[i - 1].norm) && cur.is_empty() {
                // "and, above all, X": a comma right after the conjunction
                // opens an aside; it is not an item.
                in_aside = true;
            } else if comma && in_aside {
                // The aside ends at its closing comma.
                cur.clear();
                in_aside = false;
            } else if comma {
                // A long clause can only open a list (its last word being
                // the first item): whatever came before is a list or not.
                if cur.len() > 3 {
                    flush(&mut segs, &mut out);
                }
                segs.push((std::mem::take(&mut cur), true));
                // The item after "and"/"or" is the last one.
                if after_conj && segs.last().is_some_and(|s| !s.0.is_empty()) {
                    flush(&mut segs, &mut out);
                    after_conj = false;
                }
            } else if gap.contains(['.', ';', ':', '(', ')', '"', '“', '”', '—', '–', '!', '?'])
            {
                segs.push((std::mem::take(&mut cur), false));
                flush(&mut segs, &mut out);
                after_conj = false;
            }
        }
        if is_conj(t.norm) {
            if !cur.is_empty() {
                segs.push((std::mem::take(&mut cur), false));
            }
            after_conj = true;
            continue;
        }
        cur.push(i);
    }
    segs.push((cur, false));
    flush(&mut segs, &mut out);
    out
}

fn is_conj(norm: &str) -> bool {
    norm == "and" || norm == "or"
}

fn make_list(segs: &[(Vec<usize>, bool)], toks: &[Tok]) -> Option<Vec<Item>> {
    let segs: Vec<&(Vec<usize>, bool)> = segs.iter().filter(|s| !s.0.is_empty()).collect();
    if segs.len() < 3 {
        return None;
    }
    let commas = segs.iter().filter(|s| s.1).count();
    // Middle items are short; the first and last are cut to their nearest words.
    let middle_ok = segs[1..segs.len() - 1].iter().all(|s| s.0.len() <= 3);
    if commas < 2 || !middle_ok {
        return None;
    }
    let n = segs.len();
    let items = segs
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let idx: &[usize] = if k == 0 && s.0.len() > 2 {
                &s.0[s.0.len() - 1..]
            } else if k == n - 1 && s.0.len() > 2 {
                &s.0[..2]
            } else {
                &s.0
            };
            let first = &toks[idx[0]];
            let last = &toks[idx[idx.len() - 1]];
            Item {
                span: Span::new(first.span.start, last.span.end),
                words: idx.iter().map(|&i| toks[i].norm.to_string()).collect(),
            }
        })
        .collect();
    Some(items)
}

fn item_matches(x: &Item, y: &Item) -> bool {
    x.words.iter().all(|w| y.words.contains(w)) || y.words.iter().all(|w| x.words.contains(w))
}

/// Items added to or removed from lists that two aligned passages share
/// (a list in A and a list in B with at least two items in common).
pub(crate) fn list_facts(
    da: &Doc,
    a_span: Span,
    db: &Doc,
    b_span: Span,
    in_quote: bool,
    found: &mut Findings,
) {
    let Findings { taken, facts: out } = found;
    let (a_text, b_text) = (da.text, db.text);
    let la = lists(da, a_span);
    if la.is_empty() {
        return;
    }
    let lb = lists(db, b_span);
    for xa in &la {
        for xb in &lb {
            let common = xa
                .iter()
                .filter(|i| xb.iter().any(|j| item_matches(i, j)))
                .count();
            if common < 2 {
                continue;
            }
            for (items, others, is_a) in [(xa, xb, true), (xb, xa, false)] {
                for item in items
                    .iter()
                    .filter(|i| !others.iter().any(|j| item_matches(i, j)))
                {
                    let (a, b) = if is_a {
                        (Some(item.span), None)
                    } else {
                        (None, Some(item.span))
                    };
                    if overlaps_taken(taken, a, b) {
                        continue;
                    }
                    taken.push((a, b));
                    out.push(Fact {
                        kind: FactKind::ListItem,
                        severity: severity(FactKind::ListItem, in_quote),
                        in_quote,
                        a: a.map(|s| value(a_text, s)),
                        b: b.map(|s| value(b_text, s)),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::word_diff;

    fn facts(a: &str, b: &str, quoted: bool) -> Vec<Fact> {
        let (wa, wb) = (text::words(a), text::words(b));
        let d = word_diff(&wa, &wb);
        let mut found = Findings::default();
        let (a_text, b_text) = (a, b);
        let (a, b) = (&Doc::new(a_text, &wa), &Doc::new(b_text, &wb));
        list_facts(
            a,
            Span::new(0, a_text.len()),
            b,
            Span::new(0, b_text.len()),
            quoted,
            &mut found,
        );
        let spans = (Span::new(0, a_text.len()), Span::new(0, b_text.len()));
        facts_from_edits(a, b, spans, &d.edits, &|_, _| quoted, true, &mut found);
        found.facts
    }

    #[test]
    fn number_change() {
        let f = facts(
            "The blast injured 14 people.",
            "The blast injured 41 people.",
            false,
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, FactKind::Number);
        assert_eq!(f[0].severity, Severity::High);
        assert_eq!(f[0].a.as_ref().unwrap().text, "14");
        assert_eq!(f[0].b.as_ref().unwrap().text, "41");
    }

    #[test]
    fn number_kept_elsewhere_in_the_other_article_is_not_a_change() {
        let a = "Crews fought for nine hours and left at 11 a.m.";
        let b = "Crews fought the blaze hard. It took nine hours; they left at 11 a.m.";
        let (wa, wb) = (text::words(a), text::words(b));
        let (da, db) = (Doc::new(a, &wa), Doc::new(b, &wb));
        // Only the first sentence of B is the aligned passage.
        let pb = Span::new(0, 27);
        let d = word_diff(&wa, &text::words(&b[..27]));
        let mut found = Findings::default();
        facts_from_edits(
            &da,
            &db,
            (Span::new(0, a.len()), pb),
            &d.edits,
            &|_, _| false,
            false,
            &mut found,
        );
        assert!(found.facts.is_empty(), "{:?}", found.facts);
    }

    #[test]
    fn date_change() {
        let f = facts(
            "It opened on March 3 at noon.",
            "It opened on March 5 at noon.",
            false,
        );
        assert_eq!(f[0].kind, FactKind::Date);
    }

    #[test]
    fn name_change_but_not_sentence_start() {
        let f = facts(
            "The talks were led by Jones today.",
            "The talks were led by Smith today.",
            false,
        );
        assert_eq!(f[0].kind, FactKind::Name);
        let f = facts("Talks went well.", "Meetings went well.", false);
        assert!(f.is_empty());
        // A name moved within a reworded sentence did not change.
        let f = facts(
            "Jones led the talks today.",
            "The talks today were led by Jones.",
            false,
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn list_item_added() {
        let f = facts(
            "It is an ally in the region, with relations encompassing cooperation in security, trade, technology, and energy sectors.",
            "It is an ally in the region, with bilateral relations spanning security, trade, technology, energy, and agriculture. Over the years, ties deepened.",
            false,
        );
        let items: Vec<_> = f.iter().filter(|f| f.kind == FactKind::ListItem).collect();
        assert_eq!(items.len(), 1, "{f:?}");
        assert_eq!(items[0].b.as_ref().unwrap().text, "agriculture");
        assert!(items[0].a.is_none());
        // The item after "and" ends the list.
        let f = facts(
            "talks between Israel, Azerbaijan, and the US, according to the office.",
            "talks between Israel, Azerbaijan, and the US. These ties matter.",
            false,
        );
        assert!(f.iter().all(|f| f.kind != FactKind::ListItem), "{f:?}");
        // An aside after "and" is not an item.
        let f = facts(
            "an exemplary, active, thriving, and united community",
            "an exemplary, active, thriving, and, above all, united community",
            false,
        );
        assert!(f.iter().all(|f| f.kind != FactKind::ListItem), "{f:?}");
    }

    #[test]
    fn wording_only_in_quotes() {
        assert!(facts("an important ally", "a key ally", false).is_empty());
        let f = facts("an important ally", "a key ally", true);
        assert_eq!(f[0].kind, FactKind::Wording);
        assert_eq!(f[0].severity, Severity::High);
        let f = facts("ties that are strong", "ties that is strong", true);
        assert_eq!(f[0].severity, Severity::Low);
        let f = facts("we will review it", "we will not review it", true);
        assert_eq!(f[0].severity, Severity::High);
        assert_eq!(f[0].b.as_ref().unwrap().text, "not");
    }
}
