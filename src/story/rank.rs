//! How far an outlet moved from the source: one number, **drift**, used to
//! rank the outlets (highest first).
//!
//! ```text
//! drift = (1 − kept)               share of source words not kept word for word
//!       + 0.25 · moved             share of source words carried out of order
//!       + 0.25 · min(1, added)     the outlet's added words per source word
//!       + 0.10 · changed quotes    source quotes altered, truncated or re-attributed
//!       + 0.05 · changed facts     numbers, dates, names and list items changed
//! ```
//!
//! `kept`, `moved` and `added` are shares of the source's word count. A
//! verbatim copy scores 0; an outlet that dropped or rewrote everything
//! scores at least 1. Wording changes inside quotes are counted once, as a
//! changed quote, not again as facts. Rounded to three decimals.

/// Weight of words carried out of the source's order.
pub const MOVED_WEIGHT: f64 = 0.25;
/// Weight of added words (per source word, at most 1).
pub const ADDED_WEIGHT: f64 = 0.25;
/// Weight of each altered, truncated or re-attributed source quote.
pub const QUOTE_WEIGHT: f64 = 0.10;
/// Weight of each changed number, date, name or list item.
pub const FACT_WEIGHT: f64 = 0.05;

/// What drift is computed from.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DriftInput {
    /// Words of the source.
    pub source_words: usize,
    /// Source words in passages kept word for word.
    pub kept_words: usize,
    /// Source words in passages carried out of order.
    pub moved_words: usize,
    /// Words of the outlet's added passages.
    pub added_words: usize,
    /// Source quotes altered, truncated or given another speaker.
    pub changed_quotes: usize,
    /// Changed numbers, dates, names and list items.
    pub changed_facts: usize,
}

/// The drift score (see the module documentation).
pub fn drift(d: &DriftInput) -> f64 {
    let share = |n: usize| {
        if d.source_words == 0 {
            0.0
        } else {
            n as f64 / d.source_words as f64
        }
    };
    let x = (1.0 - share(d.kept_words)).max(0.0)
        + MOVED_WEIGHT * share(d.moved_words)
        + ADDED_WEIGHT * share(d.added_words).min(1.0)
        + QUOTE_WEIGHT * d.changed_quotes as f64
        + FACT_WEIGHT * d.changed_facts as f64;
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_is_zero_and_changes_add_up() {
        let base = DriftInput {
            source_words: 100,
            kept_words: 100,
            ..DriftInput::default()
        };
        assert_eq!(drift(&base), 0.0);
        let trimmed = DriftInput {
            kept_words: 50,
            ..base
        };
        assert_eq!(drift(&trimmed), 0.5);
        let altered = DriftInput {
            kept_words: 90,
            changed_quotes: 1,
            changed_facts: 1,
            ..base
        };
        assert_eq!(drift(&altered), 0.25);
        let reordered = DriftInput {
            moved_words: 40,
            added_words: 400,
            ..base
        };
        assert_eq!(drift(&reordered), 0.35);
        assert_eq!(drift(&DriftInput::default()), 1.0);
    }
}
