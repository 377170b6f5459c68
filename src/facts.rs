//! Changed facts: numbers, dates, names and list items that differ between
//! two aligned passages or quotes, found in their word edits.

use std::cell::OnceCell;

use crate::compare::model::{Fact, FactKind, FactValue, Severity};
use crate::diff::{EditOp, WordEdit};
use crate::text::{self, KeySet, Span, Word};

mod lists;
mod values;
mod wording;

pub(crate) use lists::list_facts;
use lists::overlaps_taken;
use values::{Cat, Item, Reader, Val, same_val};
use wording::*;

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
}

/// An article's text with its words (as segmented once, with spans into
/// the whole text) and the set of their base forms.
pub(crate) struct Doc<'a> {
    /// The body.
    pub text: &'a str,
    /// Its words, in order.
    pub words: &'a [Word],
    /// Keys of the name forms (without possessive endings or dots) of all
    /// its words and of the initials of its names, made when first needed.
    names: OnceCell<KeySet>,
    /// All its values, made when first needed.
    items: OnceCell<Vec<Item>>,
}

impl<'a> Doc<'a> {
    /// A document of a text and its words.
    pub fn new(text: &'a str, words: &'a [Word]) -> Doc<'a> {
        Doc {
            text,
            words,
            names: OnceCell::new(),
            items: OnceCell::new(),
        }
    }

    fn reader(&self) -> Reader<'a> {
        Reader {
            text: self.text,
            words: self.words,
        }
    }

    fn items(&self) -> &[Item] {
        self.items
            .get_or_init(|| self.reader().items(0, self.words.len()))
    }

    /// True when the document has the value of `it` somewhere, in any
    /// notation.
    fn has_value(&self, it: &Item) -> bool {
        self.items().iter().any(|o| same_val(&o.val, &it.val))
    }

    /// True when the document names what the name `it` names: each of its
    /// words (titles aside) is a word of the document, or an abbreviation
    /// of a name there, or is in a run of words whose initials are a word
    /// there.
    fn has_name(&self, it: &Item) -> bool {
        let keys = self.names.get_or_init(|| {
            let mut keys: KeySet = self.words.iter().map(values::name_key).collect();
            for o in self.items() {
                if let Val::Name { initials, .. } = &o.val {
                    keys.extend(initials.iter().map(|x| x.2));
                }
            }
            keys
        });
        name_in(it, |k| keys.contains(&k))
    }
}

/// True when the name `it` is among the keys that `has` holds: each of its
/// words (titles aside), or the initials of a run of them ("EPA" for
/// "Environmental Protection Agency").
fn name_in(it: &Item, has: impl Fn(u64) -> bool) -> bool {
    match &it.val {
        Val::Name { words, initials } => values::name_covered(words, initials, has),
        _ => false,
    }
}

/// The values of `doc` that overlap the words `lo..hi`.
fn items_in<'d>(doc: &'d Doc, (lo, hi): (usize, usize)) -> &'d [Item] {
    let all = doc.items();
    let from = all.partition_point(|it| it.last < lo);
    let n = all[from..].iter().take_while(|it| it.first < hi).count();
    &all[from..from + n]
}

/// The range of indices of the words of `doc` inside `span`.
fn word_range(doc: &Doc, span: Span) -> (usize, usize) {
    let first = doc.words.partition_point(|w| w.span.start < span.start);
    let n = doc.words[first..]
        .iter()
        .take_while(|w| w.span.end <= span.end)
        .count();
    (first, first + n)
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
    }));
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

/// Facts found in the word edits of two aligned passages (or quotes).
///
/// The values of each edit (quantities, dates and times, names, sign words
/// of a figure) are read on both sides, in a form in which the same value
/// in another notation is equal. Values equal on both sides are no change
/// (`1bn` / `1 billion`, `U.S.` / `US`, a value moved inside the edit).
/// In a short replacement, the values left are paired in order by kind:
/// each pair is a change from the aligned value to the other (two figures
/// that swap places are two changes). A value left unpaired is a change
/// unless the other article has it somewhere (a number or date moved, a
/// name mentioned elsewhere). `in_quote` marks edits inside quotation
/// marks: every change there is a finding of high severity, plain wording
/// included, unless it is a spelling variant, an inflection or a change of
/// hyphenation or articles. Edits that overlap a range already reported are
/// skipped. `wording` asks for the wording changes of quotes.
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
    let changed = edits.iter().filter(|e| e.op != EditOp::Equal).count();
    if changed == 0 {
        return;
    }
    let (pa, pb) = (word_range(da, a_span), word_range(db, b_span));
    // The document's values that lie in the passage (read once per
    // document: passages and quotes share them).
    let items_a = items_in(da, pa);
    let items_b = items_in(db, pb);
    // Name keys of each passage (words and initials), for names kept
    // within the passage.
    let passage_names = |doc: &Doc, (lo, hi): (usize, usize), items: &[Item]| -> KeySet {
        let mut keys: KeySet = doc.words[lo..hi].iter().map(values::name_key).collect();
        for it in items {
            if let Val::Name { initials, .. } = &it.val {
                keys.extend(initials.iter().map(|x| x.2));
            }
        }
        keys
    };
    let (na, nb) = (OnceCell::new(), OnceCell::new());
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    let ne: Vec<RangedEdit> = edits
        .iter()
        .filter(|e| e.op != EditOp::Equal)
        .map(|e| (e, word_range(da, e.a), word_range(db, e.b)))
        .collect();
    let overlap = |it: &Item, (lo, hi): (usize, usize)| it.first < hi && it.last >= lo;
    // Edits that one name spans ("Trade Minister [Jonah Pell]" for "Prime
    // Minister [Anneke Soltau]") are read together for names: a name is
    // taken with the first edit of such a run.
    let spans_both = |items: &[Item], r1, r2| {
        items
            .iter()
            .any(|it| it.cat == Cat::Name && overlap(it, r1) && overlap(it, r2))
    };
    let first_of: Vec<bool> = (0..ne.len())
        .map(|k| {
            k == 0
                || !(spans_both(items_a, ne[k - 1].1, ne[k].1)
                    || spans_both(items_b, ne[k - 1].2, ne[k].2))
        })
        .collect();
    for (k, &(e, ea, eb)) in ne.iter().enumerate() {
        let quoted = in_quote(e.a, e.b);
        let end = (k + 1..ne.len()).find(|&j| first_of[j]).unwrap_or(ne.len());
        let touches = |it: &Item, on_a: bool| {
            let range =
                |r: &(&WordEdit, (usize, usize), (usize, usize))| if on_a { r.1 } else { r.2 };
            if it.cat == Cat::Name {
                first_of[k] && ne[k..end].iter().any(|r| overlap(it, range(r)))
            } else {
                overlap(it, if on_a { ea } else { eb })
            }
        };
        let xa: Vec<&Item> = items_a.iter().filter(|it| touches(it, true)).collect();
        let xb: Vec<&Item> = items_b.iter().filter(|it| touches(it, false)).collect();
        let (mut used_a, mut used_b) = (vec![false; xa.len()], vec![false; xb.len()]);
        // The same value on both sides, in any notation or order.
        for (i, x) in xa.iter().enumerate() {
            if let Some(j) = (0..xb.len()).find(|&j| !used_b[j] && same_val(&x.val, &xb[j].val)) {
                used_a[i] = true;
                used_b[j] = true;
            }
        }
        // Names the other passage has are kept (a reordering around them).
        for (xs, used, doc, range, items, cell) in [
            (&xa, &mut used_a, db, pb, items_b, &nb),
            (&xb, &mut used_b, da, pa, items_a, &na),
        ] {
            for (i, x) in xs.iter().enumerate() {
                if !used[i] && x.cat == Cat::Name {
                    let keys = cell.get_or_init(|| passage_names(doc, range, items));
                    if name_in(x, |k| keys.contains(&k)) {
                        used[i] = true;
                    }
                }
            }
        }
        let mut reported = false;
        let emit = |out: &mut Vec<Fact>,
                    taken: &mut Vec<(Option<Span>, Option<Span>)>,
                    kind: FactKind,
                    severity: Severity,
                    a: Option<Span>,
                    b: Option<Span>| {
            if overlaps_taken(taken, a, b) {
                return;
            }
            taken.push((a, b));
            out.push(Fact {
                kind,
                severity,
                in_quote: quoted,
                a: a.map(|s| value(a_text, s)),
                b: b.map(|s| value(b_text, s)),
            });
        };
        // Pairs of values of one kind in a short replacement.
        let short = e.op == EditOp::Replace && ea.1 - ea.0 <= 8 && eb.1 - eb.0 <= 8;
        if short {
            for cat in [Cat::Number, Cat::Date, Cat::Name, Cat::Sign] {
                let left_a: Vec<usize> = (0..xa.len())
                    .filter(|&i| !used_a[i] && xa[i].cat == cat)
                    .collect();
                let left_b: Vec<usize> = (0..xb.len())
                    .filter(|&j| !used_b[j] && xb[j].cat == cat)
                    .collect();
                for (&i, &j) in left_a.iter().zip(&left_b) {
                    used_a[i] = true;
                    used_b[j] = true;
                    let (x, y) = (xa[i], xb[j]);
                    let (kind, sev) = match cat {
                        Cat::Number => (FactKind::Number, Severity::High),
                        Cat::Date => (FactKind::Date, Severity::High),
                        Cat::Name => (FactKind::Name, severity(FactKind::Name, quoted)),
                        Cat::Sign => {
                            let (Val::Sign(_, sx), Val::Sign(_, sy)) = (&x.val, &y.val) else {
                                continue;
                            };
                            if near_figure(items_a, x) || near_figure(items_b, y) {
                                (FactKind::Number, Severity::High)
                            } else if *sx && *sy {
                                (
                                    FactKind::Wording,
                                    severity_wording(quoted, Severity::Medium),
                                )
                            } else {
                                continue;
                            }
                        }
                    };
                    reported = true;
                    emit(out, taken, kind, sev, Some(x.span), Some(y.span));
                }
            }
        }
        // Values only one side has, unless the other article has them.
        for (xs, used, other, is_a) in [(&xa, &used_a, db, true), (&xb, &used_b, da, false)] {
            let mut lone: Vec<&Item> = Vec::new();
            for (i, x) in xs.iter().enumerate() {
                if used[i] || x.weak || x.cat == Cat::Sign {
                    continue;
                }
                let kept = match x.cat {
                    Cat::Name => other.has_name(x),
                    _ => other.has_value(x),
                };
                if !kept {
                    lone.push(x);
                }
            }
            // Dates and names next to each other are one finding
            // ("Monday, March 3", "Hinckley, Leicestershire").
            let mut k = 0;
            while k < lone.len() {
                let x = lone[k];
                let mut span = x.span;
                let mut last = x.last;
                while k + 1 < lone.len()
                    && matches!(x.cat, Cat::Date | Cat::Name)
                    && lone[k + 1].cat == x.cat
                    && lone[k + 1].first <= last + 2
                {
                    k += 1;
                    span.end = lone[k].span.end;
                    last = lone[k].last;
                }
                k += 1;
                let kind = match x.cat {
                    Cat::Number => FactKind::Number,
                    Cat::Date => FactKind::Date,
                    _ => FactKind::Name,
                };
                let (a, b) = if is_a {
                    (Some(span), None)
                } else {
                    (None, Some(span))
                };
                reported = true;
                emit(out, taken, kind, severity(kind, quoted), a, b);
            }
        }
        if reported {
            continue;
        }
        // Other words: those no value covers, links aside.
        tokens_into(da, e.a, &mut ta);
        tokens_into(db, e.b, &mut tb);
        let (ta_len, tb_len) = (ta.len(), tb.len());
        let plain = |t: &Tok, xs: &[&Item], text: &str| {
            !xs.iter()
                .any(|x| x.span.start <= t.span.start && t.span.end <= x.span.end)
                && !values::in_link(text, t.span)
        };
        ta.retain(|t| plain(t, &xa, a_text));
        tb.retain(|t| plain(t, &xb, b_text));
        if ta.is_empty() && tb.is_empty() {
            continue;
        }
        let trivial = trivial_wording(&ta, &tb)
            || bracketed_abbreviation(&ta, a_text)
            || bracketed_abbreviation(&tb, b_text);
        let stop_words_only = ta.iter().chain(&tb).all(|t| text::is_stop_word(t.norm));
        if wording && quoted {
            // A substitution of a few words, or one or two words added or
            // cut ("not", "only").
            let small = match e.op {
                EditOp::Replace => ta_len <= 4 && tb_len <= 4,
                _ => ta_len + tb_len <= 2,
            };
            if !small {
                continue;
            }
            let sev = if trivial || stop_words_only {
                Severity::Low
            } else {
                Severity::High
            };
            let a = (!e.a.is_empty()).then_some(e.a);
            let b = (!e.b.is_empty()).then_some(e.b);
            emit(out, taken, FactKind::Wording, sev, a, b);
        } else if !wording
            && !quoted
            && !trivial
            && e.op == EditOp::Replace
            && changed <= 2
            && ta.len() == 1
            && tb.len() == 1
            && ta_len == 1
            && tb_len == 1
            && !stop_words_only
            && !text::is_stop_word(ta[0].norm)
            && !text::is_stop_word(tb[0].norm)
            && !ta[0].raw.starts_with(char::is_uppercase)
            && !tb[0].raw.starts_with(char::is_uppercase)
            && pa.1 - pa.0 >= 6
        {
            // One word in lower case replaced by another in a sentence
            // otherwise the same: a change of meaning a checker must look
            // at ("imposed" -> "proposed"). Capitalised words are names or
            // start a sentence, where rewrites change words freely.
            emit(
                out,
                taken,
                FactKind::Wording,
                Severity::Medium,
                Some(ta[0].span),
                Some(tb[0].span),
            );
        }
    }
}

/// An edit with the ranges of the words it covers on each side.
type RangedEdit<'e> = (&'e WordEdit, (usize, usize), (usize, usize));

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
        facts_from_edits(a, b, spans, &d.edits, &|_, _| quoted, quoted, &mut found);
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

    /// The facts of high severity, as (a, b) texts.
    fn high(a: &str, b: &str, quoted: bool) -> Vec<(Option<String>, Option<String>)> {
        facts(a, b, quoted)
            .into_iter()
            .filter(|f| f.severity == Severity::High)
            .map(|f| (f.a.map(|v| v.text), f.b.map(|v| v.text)))
            .collect()
    }

    fn pair(a: &str, b: &str) -> (Option<String>, Option<String>) {
        (Some(a.to_string()), Some(b.to_string()))
    }

    #[test]
    fn ordinals_in_words_and_digits() {
        let f = high("It was her eighth album.", "It was her ninth album.", false);
        assert_eq!(f, vec![pair("eighth", "ninth")]);
        let f = high("It was her 8th album.", "It was her eighth album.", false);
        assert!(f.is_empty(), "{f:?}");
        let f = high(
            "the twenty-first lap of the race",
            "the twenty-second lap of the race",
            false,
        );
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn spelled_numbers_equal_their_digits() {
        for (a, b) in [
            (
                "Turnout fell five per cent this year.",
                "Turnout fell 5% this year.",
            ),
            (
                "Turnout fell 5 percent this year.",
                "Turnout fell 5 pct this year.",
            ),
            (
                "Some twenty-five ships were sunk.",
                "Some 25 ships were sunk.",
            ),
            ("It cost two hundred and ten pounds.", "It cost 210 pounds."),
            ("They sold a dozen farms.", "They sold 12 farms."),
        ] {
            assert!(high(a, b, false).is_empty(), "{a} / {b}");
        }
        let f = high(
            "Some twenty-five ships were sunk.",
            "Some 35 ships were sunk.",
            false,
        );
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn same_value_in_another_notation_is_no_change() {
        for (a, b) in [
            (
                "The plan costs $2bn in total.",
                "The plan costs $2 billion in total.",
            ),
            (
                "The plan costs $2 billion.",
                "The plan costs 2,000,000,000 dlrs.",
            ),
            (
                "Net profit was 31.4 mln dlrs.",
                "Net profit was 31,412,000 dlrs.",
            ),
            ("Sales were 7,250,000 dlrs.", "Sales were 7.25 mln dlrs."),
            ("The bag weighs 250 grammes.", "The bag weighs 250g."),
            ("The road is 3 km long.", "The road is 3,000 metres long."),
        ] {
            assert!(high(a, b, false).is_empty(), "{a} / {b}");
        }
        // Written alike, a more precise figure is a change; so is a scale.
        assert_eq!(
            high(
                "Prices rose 3 pct in May.",
                "Prices rose 3.4 pct in May.",
                false
            )
            .len(),
            1
        );
        assert_eq!(
            high(
                "The plan costs $2 million.",
                "The plan costs $2 billion.",
                false
            ),
            vec![pair("$2 million", "$2 billion")]
                .into_iter()
                .map(|(a, b)| (a.map(|s| s[1..].to_string()), b.map(|s| s[1..].to_string())))
                .collect::<Vec<_>>()
        );
        // Another unit is a change.
        assert_eq!(high("A bag of 5 kg.", "A bag of 5 g.", false).len(), 1);
    }

    #[test]
    fn times_in_any_notation() {
        let f = high(
            "The polls closed at 8:30 P.M. on the day.",
            "The polls closed at 2030 hrs on the day.",
            false,
        );
        assert!(f.is_empty(), "{f:?}");
        assert!(
            high(
                "It began at 7am sharp.",
                "It began at 7:00 a.m. sharp.",
                false
            )
            .is_empty()
        );
        let f = facts("It began at 7am sharp.", "It began at 8am sharp.", false);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, FactKind::Date);
    }

    #[test]
    fn aligned_values_that_swap_places_are_changes() {
        let f = high(
            "Exports are put at 4.31 mln tonnes, vs 4.32 mln a year ago.",
            "Exports are put at 4.32 mln tonnes, vs 4.31 mln a year ago.",
            false,
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0], pair("4.31 mln tonnes", "4.32 mln tonnes"));
    }

    #[test]
    fn counterpart_is_the_aligned_value_not_a_neighbouring_phrase() {
        let f = facts(
            "The mayor spoke on Sunday to the crowd.",
            "The mayor answered questions from the crowd.",
            false,
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].a.as_ref().unwrap().text, "Sunday");
        assert!(f[0].b.is_none());
    }

    #[test]
    fn sign_of_a_figure_is_a_high_change() {
        let f = facts(
            "The firm posted a loss of 4 mln dlrs.",
            "The firm posted a profit of 4 mln dlrs.",
            false,
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].kind, f[0].severity),
            (FactKind::Number, Severity::High)
        );
        assert_eq!(f[0].a.as_ref().unwrap().text, "loss");
        let f = high("Output was up 3 pct.", "Output was down 3 pct.", false);
        assert_eq!(f, vec![pair("up", "down")]);
        // Without a figure, a reversal of meaning is still worth a look.
        let f = facts(
            "Share prices rose sharply on the news.",
            "Share prices fell sharply on the news.",
            false,
        );
        assert_eq!(
            (f[0].kind, f[0].severity),
            (FactKind::Wording, Severity::Medium)
        );
        // Words of the same direction are not a change.
        assert!(facts("Output rose 3 pct.", "Output climbed 3 pct.", false).is_empty());
    }

    #[test]
    fn vague_against_precise_is_a_change() {
        let f = high(
            "Police said thousands of people marched.",
            "Police said more than 3,100 people marched.",
            false,
        );
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn abbreviations_and_expansions_are_one_name() {
        for (a, b) in [
            (
                "Talks with U.S. officials ended.",
                "Talks with US officials ended.",
            ),
            (
                "Officials at the Food Standards Agency agreed.",
                "Officials at the FSA agreed.",
            ),
            (
                "Officials at the FSA agreed.",
                "Officials at the Food Standards Agency agreed.",
            ),
            (
                "Ties with the United States grew.",
                "Ties with the U.S. grew.",
            ),
        ] {
            assert!(
                facts(a, b, false).is_empty(),
                "{a} / {b}: {:?}",
                facts(a, b, false)
            );
        }
        // A bracketed abbreviation dropped is not a change, in a quote either.
        let f = facts(
            "\"The National Grid (NG) will pay,\" he said.",
            "\"The National Grid will pay,\" he said.",
            true,
        );
        assert!(f.iter().all(|f| f.severity == Severity::Low), "{f:?}");
    }

    #[test]
    fn names_places_and_dates_inside_inserted_phrases() {
        let f = facts(
            "Protests spread to several towns overnight.",
            "Protests spread to several towns such as Bruges in Belgium overnight.",
            false,
        );
        let names: Vec<_> = f.iter().filter(|f| f.kind == FactKind::Name).collect();
        assert_eq!(names.len(), 1, "{f:?}");
        assert_eq!(names[0].b.as_ref().unwrap().text, "Bruges in Belgium");
        let f = facts(
            "Talks ended without a deal.",
            "Talks ended on Friday, May 12, without a deal.",
            false,
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].b.as_ref().unwrap().text, "Friday, May 12");
        // A name the other article has elsewhere is not a change.
        let a = "Jones spoke first. The board met in the morning.";
        let b = "Jones spoke first. The board met in the morning with Jones.";
        assert!(facts(a, b, false).iter().all(|f| f.kind != FactKind::Name));
    }

    #[test]
    fn opening_capitals_and_paragraph_marks_are_no_names() {
        // A newspaper's opening words in capitals, against the wire's.
        for (a, b) in [
            (
                "An elderly man was rescued on Monday.",
                "AN ELDERLY man was rescued on Monday.",
            ),
            (
                "A man was rescued on Monday.",
                "A MAN was rescued on Monday.",
            ),
            (
                "< An elderly man was rescued on Monday.",
                "An elderly man was rescued on Monday.",
            ),
        ] {
            let f = facts(a, b, false);
            assert!(
                f.iter().all(|f| f.kind != FactKind::Name),
                "{a} / {b}: {f:?}"
            );
        }
        // An abbreviation in capitals at a sentence start is still a name,
        // and so is a name in capitals inside a sentence.
        let f = facts(
            "US officials met on Monday.",
            "UN officials met on Monday.",
            false,
        );
        assert!(f.iter().any(|f| f.kind == FactKind::Name), "{f:?}");
        let f = facts(
            "Officials from the BBC met on Monday.",
            "Officials from the ITV met on Monday.",
            false,
        );
        assert!(f.iter().any(|f| f.kind == FactKind::Name), "{f:?}");
    }

    #[test]
    fn links_are_not_numbers() {
        let f = facts(
            "Fans cheered the news.",
            "Fans cheered the news. pic.twitter.com/x7Ab3Qz9",
            false,
        );
        assert!(f.iter().all(|f| f.kind != FactKind::Number), "{f:?}");
        let f = facts(
            "Fans cheered the news.",
            "Fans cheered the news https://t.co/9Zk2Lm4Q",
            false,
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn spelling_inflection_hyphenation_are_low_even_in_quotes() {
        for (a, b) in [
            ("the tyres were worn", "the tires were worn"),
            ("a colourful programme", "a colorful program"),
            ("we must organise it", "we must organize it"),
            ("we stand firmly together", "we stand firm together"),
            ("a longstanding ally", "a long-standing ally"),
            ("our longstanding ties", "our long-standing ties"),
            ("they travelled far", "they traveled far"),
            ("in the city centre", "in the city center"),
        ] {
            let f = facts(a, b, true);
            assert!(
                f.iter().all(|f| f.severity == Severity::Low),
                "{a} / {b}: {f:?}"
            );
        }
        // A real change of a word in a quote stays high.
        let f = facts(
            "we stand firmly together",
            "we stand loosely together",
            true,
        );
        assert_eq!(f[0].severity, Severity::High);
    }

    #[test]
    fn one_word_changing_the_meaning_of_a_sentence() {
        let f = facts(
            "The council imposed a levy on fuel imports last week.",
            "The council proposed a levy on fuel imports last week.",
            false,
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].kind, f[0].severity),
            (FactKind::Wording, Severity::Medium)
        );
        // Many words reworded: one synonym more is not reported.
        let f = facts(
            "The council imposed a levy on fuel imports last week.",
            "Last week councillors agreed to impose a charge on fuel imports.",
            false,
        );
        assert!(f.iter().all(|f| f.kind != FactKind::Wording), "{f:?}");
    }

    #[test]
    fn odd_input_does_not_panic() {
        for (a, b) in [
            ("x\u{a0}https://a.b/9 12", "x\u{a0}https://a.b/8 13"),
            ("ää 12 Ⅻ 5th", "ää 13 Ⅻ 6th"),
            ("9: 40 a.m.", "9:40 am GMT"),
            ("1,2,3,4 1.2.3 ,5", "1,2,3 1.2 .5"),
            ("\"€€ 5€\"", "\"€€ 6€\""),
        ] {
            let _ = facts(a, b, false);
            let _ = facts(a, b, true);
        }
    }
}
