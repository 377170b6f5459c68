//! The header and footer of a document: the runs of its outlet's
//! boilerplate at the start and end of its text, the shingles that
//! straddle them and the story, and the short varying fields (slots) an
//! outlet prints after a run of chrome.

use std::collections::HashMap;

use super::{DocSketch, EDGE_SHINGLES, Slots};

/// The longest slot, in words.
const MAX_SLOT: usize = 12;

/// A word position next to a run of chrome is part of a slot when, among
/// the sampled articles with that run, at least this share have a word
/// there that another of them has there too: a date's day, month, year,
/// hour and minute come from a few dozen values each and repeat; the first
/// words of stories mostly do not.
const SLOT_REPEAT: f64 = 0.5;

/// A document's edges as its head and tail: `(fingerprints, first words,
/// starts the text, ends the text)` in text order; the tail is empty when
/// the head is the whole text.
fn edge_parts(edges: &[u32]) -> [(&[u32], &[u32], bool, bool); 2] {
    let m = edges.len() / 2;
    let (fps, words) = edges.split_at(m);
    if m < 2 * EDGE_SHINGLES {
        [(fps, words, true, true), (&[], &[], false, false)]
    } else {
        let (fh, ft) = fps.split_at(EDGE_SHINGLES);
        let (wh, wt) = words.split_at(EDGE_SHINGLES);
        [(fh, wh, true, false), (ft, wt, false, true)]
    }
}

/// The runs of boilerplate shingles in `fps` (text order, shingles of `k`
/// words) that are the text's header or footer, as `(first, last)`
/// positions: from the start of the text (when `at_start`), a run that
/// begins within [`MAX_SLOT`] words of it, then each run that begins fewer
/// than `k` words after the words the one before covers (its own, and
/// `slot(last shingle)` words after it); likewise from the end of the text
/// (when `at_end`). A run in the middle of the text (a phrase of the
/// outlet's house style, or a story the outlet carries many times) loses
/// its own shingles only.
fn edge_runs(
    fps: &[u32],
    k: usize,
    is_in: &impl Fn(u32) -> bool,
    slot: &impl Fn(u32) -> usize,
    (at_start, at_end): (bool, bool),
    mut f: impl FnMut(usize, usize),
) {
    let mut all: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < fps.len() {
        if !is_in(fps[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i + 1 < fps.len() && is_in(fps[i + 1]) {
            i += 1;
        }
        all.push((start, i));
        i += 1;
    }
    let n = fps.len();
    let mut from_start = 0;
    if at_start {
        // Runs may begin before `reach`.
        let mut reach = MAX_SLOT + 1;
        for &(first, last) in &all {
            if first >= reach {
                break;
            }
            f(first, last);
            reach = last + 2 * k + slot(fps[last]);
            from_start += 1;
        }
    }
    if at_end {
        // The first word of the run taken before (from the end).
        let mut next: Option<usize> = None;
        for &(first, last) in all[from_start..].iter().rev() {
            let near = match next {
                None => last + MAX_SLOT + 1 >= n,
                Some(next) => last + 2 * k + slot(fps[last]) > next,
            };
            if !near {
                break;
            }
            f(first, last);
            next = Some(first);
        }
    }
}

/// Into `out` (sorted, distinct), the fingerprints of `edges` (a
/// document's [`DocSketch::edges`]; shingles of `k` words) that are not
/// boilerplate but share a word with a boilerplate shingle or with a slot
/// after one ([`Slots`]): the shingles that straddle the chrome and the
/// story, every shingle of a gap of fewer than `k` words between two runs
/// of chrome, and those of a date printed after the header.
pub(super) fn near_boilerplate(
    edges: &[u32],
    k: usize,
    is_in: &impl Fn(u32) -> bool,
    slots: &Slots,
    out: &mut Vec<u32>,
) {
    let reach = k.saturating_sub(1);
    for (fps, _, at_start, at_end) in edge_parts(edges) {
        let n = fps.len();
        // Words `a..=b` covered: the shingles that hold one go.
        let mut cover = |a: usize, b: usize| {
            let from = a.saturating_sub(reach);
            for &g in &fps[from..(b + 1).min(n)] {
                if !is_in(g) {
                    out.push(g);
                }
            }
        };
        let slot = |f: u32| Slots::len_of(&slots.after, f);
        edge_runs(fps, k, is_in, &slot, (at_start, at_end), |first, last| {
            let after = slot(fps[last]);
            cover(first, last + reach + after);
        });
    }
    out.sort_unstable();
    out.dedup();
}

/// The slots of an outlet next to its boilerplate `set` (sorted), from the
/// edges of its sampled documents; `need` is the fewest of them a run of
/// chrome must be in.
pub(super) fn find_slots(sample: &[&DocSketch], set: &[u32], k: usize, need: usize) -> Slots {
    let is_in = |f: u32| set.binary_search(&f).is_ok();
    // Per run's last shingle: the words at each offset after it, one list
    // per document.
    let mut seen: HashMap<u32, Vec<[u32; MAX_SLOT]>> = HashMap::new();
    // No word there (the text ends); a word's value is kept under it.
    const NONE: u32 = u32::MAX;
    for d in sample {
        let Some(edges) = d.edges.as_deref() else {
            continue;
        };
        for (fps, words, at_start, at_end) in edge_parts(edges) {
            let n = fps.len();
            edge_runs(fps, k, &is_in, &|_| 0, (at_start, at_end), |_, last| {
                // A run cut by the end of the head has no known neighbour.
                if at_end || last + 1 < n {
                    let mut w = [NONE; MAX_SLOT];
                    for (j, x) in w.iter_mut().enumerate() {
                        match words.get(last + k + j) {
                            Some(&v) => *x = v.min(NONE - 1),
                            None => break,
                        }
                    }
                    seen.entry(fps[last]).or_default().push(w);
                }
            });
        }
    }
    let mut slots = Slots::default();
    let mut column: Vec<u32> = Vec::new();
    for (key, lists) in seen {
        if lists.len() < need {
            continue;
        }
        let mut len = 0;
        for j in 0..MAX_SLOT {
            column.clear();
            column.extend(lists.iter().map(|w| w[j]));
            column.sort_unstable();
            // Documents whose word here another document has here too.
            let mut repeated = 0;
            let mut i = 0;
            while i < column.len() {
                let mut e = i + 1;
                while e < column.len() && column[e] == column[i] {
                    e += 1;
                }
                if e - i >= 2 && column[i] != NONE {
                    repeated += e - i;
                }
                i = e;
            }
            if (repeated as f64) < SLOT_REPEAT * lists.len() as f64 {
                break;
            }
            len = j + 1;
        }
        // A field varies as a whole (a date and time): if most documents
        // have the same words there as another, the words are rather a
        // story the outlet carries many times, which must stay.
        while len > 0 {
            let mut tuples: Vec<&[u32]> = lists.iter().map(|w| &w[..len]).collect();
            tuples.sort_unstable();
            let mut shared = 0;
            let mut i = 0;
            while i < tuples.len() {
                let mut e = i + 1;
                while e < tuples.len() && tuples[e] == tuples[i] {
                    e += 1;
                }
                if e - i >= 2 {
                    shared += e - i;
                }
                i = e;
            }
            if 2 * shared <= tuples.len() {
                break;
            }
            len -= 1;
        }
        if len > 0 {
            slots.after.push((key, len as u8));
        }
    }
    slots.after.sort_unstable();
    slots
}
