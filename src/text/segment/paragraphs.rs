//! Paragraphs: by blank lines, else indented lines, else paragraph marks,
//! else the wrap width of hard-wrapped text, else single newlines; a
//! headline in capitals is a paragraph of its own.

use super::Span;
use super::words::word_bounds;

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
fn para_mark(line: &str) -> Option<usize> {
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
fn is_headline(line: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::super::sentences;
    use super::*;

    fn sents(t: &str) -> Vec<&str> {
        sentences(t).iter().map(|s| s.slice(t)).collect()
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
}
