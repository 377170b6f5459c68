//! Names in a run of words: runs of capitalised words that do not start a
//! sentence or stand in opening capitals, read as word keys (titles left
//! out) with the initials of their runs, and when one name covers another.

use super::words::*;
use super::{Cat, Item, Reader, Val};
use crate::text::{self, Word};

/// A word's form for names: lower case, without dots and a possessive.
fn name_form(norm: &str) -> std::borrow::Cow<'_, str> {
    if !norm.contains(['.', '\'']) {
        return std::borrow::Cow::Borrowed(norm);
    }
    let base = norm
        .strip_suffix("'s")
        .or_else(|| norm.strip_suffix('\''))
        .unwrap_or(norm);
    std::borrow::Cow::Owned(base.chars().filter(|&c| c != '.').collect())
}

pub(in crate::facts) fn name_key(w: &Word) -> u64 {
    let n: &str = &w.norm;
    if n.contains(['.', '\'']) {
        text::word_key(name_form(n).as_bytes())
    } else {
        w.key
    }
}

impl<'a> Reader<'a> {
    /// True for a capitalised word that does not start a sentence or quote
    /// (an abbreviation in capitals may), nor stands in opening capitals.
    pub fn is_name_word(&self, i: usize) -> bool {
        let raw = self.raw(i);
        if !raw.chars().next().is_some_and(char::is_uppercase) || self.in_opening_capitals(i) {
            return false;
        }
        !self.starts_sentence(i)
            || (raw.len() > 1
                && raw.chars().all(|c| !c.is_lowercase())
                && (raw.len() <= 3 || raw.contains('.')))
    }

    /// True when word `i` starts the text, a sentence, a quote or a
    /// paragraph (after a paragraph mark such as `<`).
    fn starts_sentence(&self, i: usize) -> bool {
        let before = self.text[..self.words[i].span.start].trim_end();
        matches!(
            before.chars().next_back(),
            None | Some(
                '.' | '!'
                    | '?'
                    | '"'
                    | '“'
                    | '«'
                    | '„'
                    | ':'
                    | '\n'
                    | '\''
                    | '‘'
                    | '`'
                    | '<'
                    | '>'
                    | '¶'
            )
        )
    }

    /// True for a word in capitals (no lower-case letter) in a run of at
    /// least two such words that starts a sentence: the opening words a
    /// newspaper sets in capitals (`AN ELDERLY man was ...`, `A MAN ...`)
    /// or a headline in capitals, where a name cannot be told from other
    /// words. The run is followed back at most [`CAPS_LOOKBACK`] words; a
    /// longer one (text all in capitals) counts as such a run too.
    fn in_opening_capitals(&self, i: usize) -> bool {
        let caps = |k: usize| {
            let r = self.raw(k);
            r.chars().any(char::is_alphabetic) && !r.chars().any(char::is_lowercase)
        };
        let joined = |k: usize| matches!(self.gap(k), " " | "-" | "\n");
        if !caps(i) {
            return false;
        }
        let mut j = i;
        while j > 0 && caps(j - 1) && joined(j) {
            if i - j >= CAPS_LOOKBACK {
                return true;
            }
            j -= 1;
        }
        let two = j < i || (i + 1 < self.words.len() && caps(i + 1) && joined(i + 1));
        two && self.starts_sentence(j)
    }

    pub(super) fn name_at(&self, i: usize, hi: usize, out: &mut Vec<Item>) -> Option<usize> {
        if !self.is_name_word(i) || self.norm(i) == "i" {
            return None;
        }
        let mut last = i;
        let mut j = i + 1;
        while j < hi {
            let gap = self.gap(j);
            if !matches!(gap, " " | "-" | "\n" | ". ") {
                break;
            }
            if gap == ". " && self.raw(j - 1).len() > 1 {
                break;
            }
            let w = self.norm(j);
            if self.raw(j).starts_with(char::is_uppercase)
                && self.is_month_at(j).is_none()
                && self.weekday_at(j).is_none()
            {
                last = j;
                j += 1;
            } else if is_connector(w)
                && j + 1 < hi
                && self.gap(j + 1) == " "
                && self.raw(j + 1).starts_with(char::is_uppercase)
            {
                j += 1;
            } else {
                break;
            }
        }
        // Titles are left out of the words but not of the initials
        // ("Prime Minister's Office", "PMO").
        let mut words = Vec::new();
        let mut firsts = Vec::new();
        let mut spans = Vec::new();
        for k in i..=last {
            let raw = self.raw(k);
            if !raw.starts_with(char::is_uppercase) {
                continue;
            }
            let f = name_form(self.norm(k));
            firsts.push(f.chars().next().unwrap_or(' '));
            spans.push(words.len());
            if !is_title(&f) {
                words.push(name_key(&self.words[k]));
            }
        }
        if words.is_empty() {
            return Some(last + 1);
        }
        spans.push(words.len());
        // Initials of every run of two or more of its words: "Former
        // Environmental Protection Agency" holds "EPA".
        let mut initials = Vec::new();
        let n = firsts.len().min(8);
        let mut key = String::new();
        for from in 0..n {
            key.clear();
            key.push(firsts[from]);
            for to in from + 2..=n {
                key.push(firsts[to - 1]);
                // The run covers the words (titles aside) from its first to
                // its last capitalised word.
                let (w0, w1) = (spans[from], spans[to]);
                initials.push((w0 as u8, w1 as u8, text::word_key(key.as_bytes())));
            }
        }
        Some(self.push(out, Cat::Name, i, last, Val::Name { words, initials }))
    }
}

/// How far back [`Reader::in_opening_capitals`] follows a run of words in
/// capitals.
const CAPS_LOOKBACK: usize = 16;

/// True when every word of the name `words` (with the `initials` of its
/// runs) is among the keys that `has` holds, or in a run whose initials
/// are.
pub(in crate::facts) fn name_covered(
    words: &[u64],
    initials: &[(u8, u8, u64)],
    has: impl Fn(u64) -> bool,
) -> bool {
    let mut covered: Vec<bool> = words.iter().map(|&k| has(k)).collect();
    if covered.iter().all(|&c| c) {
        return true;
    }
    for &(from, to, key) in initials {
        if has(key) {
            covered[from as usize..to as usize].fill(true);
        }
    }
    covered.iter().all(|&c| c)
}

#[cfg(test)]
mod tests {
    use super::super::same_val;
    use super::super::tests::items;
    use super::*;

    fn names(s: &str) -> Vec<Val> {
        items(s)
            .into_iter()
            .filter(|i| i.cat == Cat::Name)
            .map(|i| i.val)
            .collect()
    }

    #[test]
    fn names_skip_sentence_starts_and_titles() {
        let found = names("The council thanked Mayor Ana Ruiz. Then it rose.");
        let [Val::Name { words, initials }] = found.as_slice() else {
            panic!("{found:?}");
        };
        // "Mayor" is a title: left out of the words, kept in the initials.
        assert_eq!(words.len(), 2);
        assert!(initials.contains(&(0, 2, text::word_key(b"mar"))));
        assert!(names("AN ELDERLY man was hurt").is_empty());
    }

    #[test]
    fn a_name_covers_another_by_words_or_initials() {
        let (a, b) = (names("said U.S. officials"), names("said US officials"));
        assert!(same_val(&a[0], &b[0]));
        let long = names("the Environmental Protection Agency said");
        let short = names("the EPA said");
        assert!(same_val(&long[0], &short[0]));
        assert!(!same_val(&long[0], &names("the FBI said")[0]));
        assert!(name_covered(&[1, 2, 3], &[(0, 3, 9)], |k| k == 9));
        assert!(!name_covered(&[1, 2, 3], &[(0, 2, 9)], |k| k == 9 || k == 1));
        assert!(name_covered(&[1, 2, 3], &[(0, 2, 9)], |k| k == 9 || k == 3));
    }
}
