//! Wording findings: which changed words are only spelling, an article or
//! a bracketed abbreviation (not reported), and how severe the others are.

use super::*;

/// The severity of a wording finding: high inside a quote.
pub(super) fn severity_wording(quoted: bool, otherwise: Severity) -> Severity {
    if quoted { Severity::High } else { otherwise }
}

/// True when a number of the passage stands within three words of `it`
/// (a sign word of that figure: "loss 336,000", "rose 5 pct").
pub(super) fn near_figure(items: &[Item], it: &Item) -> bool {
    items.iter().any(|o| {
        o.cat == Cat::Number
            && o.first <= it.last + 3
            && it.first <= o.last + 3
            && !matches!(o.val, Val::Code(_))
    })
}

/// Articles: "longstanding" and "a long-standing" say the same.
pub(super) fn is_article(norm: &str) -> bool {
    matches!(norm, "a" | "an" | "the")
}

/// True when two runs of words differ only in spelling (British and
/// American), inflection, hyphenation or articles.
pub(super) fn trivial_wording(a: &[Tok], b: &[Tok]) -> bool {
    let xa: Vec<&str> = a
        .iter()
        .map(|t| t.norm)
        .filter(|w| !is_article(w))
        .collect();
    let xb: Vec<&str> = b
        .iter()
        .map(|t| t.norm)
        .filter(|w| !is_article(w))
        .collect();
    if xa.is_empty() && xb.is_empty() {
        return true;
    }
    let joined = |xs: &[&str]| -> String {
        xs.iter()
            .flat_map(|w| w.chars())
            .filter(|c| c.is_alphanumeric())
            .collect()
    };
    if !xa.is_empty() && !xb.is_empty() && joined(&xa) == joined(&xb) {
        return true;
    }
    xa.len() == xb.len()
        && xa
            .iter()
            .zip(&xb)
            .all(|(x, y)| x == y || stem(&spelling(x)) == stem(&spelling(y)))
}

/// True for one word in capitals between brackets: an abbreviation of the
/// name before it, "(EPA)", which a rewrite may drop.
pub(super) fn bracketed_abbreviation(toks: &[Tok], text: &str) -> bool {
    let [t] = toks else {
        return false;
    };
    text[..t.span.start].trim_end().ends_with('(')
        && text[t.span.end..].trim_start().starts_with(')')
        && t.raw.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && t.raw.chars().all(|c| !c.is_lowercase())
}

/// A word with British spellings made American (`tyres` -> `tires`,
/// `colour` -> `color`, `organise` -> `organize`, `centre` -> `center`,
/// `travelled` -> `traveled`), for comparing two words only.
pub(super) fn spelling(w: &str) -> String {
    let whole = match w {
        "tyre" => "tire",
        "tyres" => "tires",
        "grey" => "gray",
        "kerb" => "curb",
        "cheque" => "check",
        "cheques" => "checks",
        "programme" => "program",
        "programmes" => "programs",
        "aluminium" => "aluminum",
        "plough" => "plow",
        "storey" => "story",
        "storeys" => "stories",
        "draught" => "draft",
        "jewellery" => "jewelry",
        "judgement" => "judgment",
        "ageing" => "aging",
        "sceptic" | "skeptic" => "skeptic",
        "sceptical" => "skeptical",
        "mould" => "mold",
        "moustache" => "mustache",
        "pyjamas" => "pajamas",
        "whisky" => "whiskey",
        "aeroplane" => "airplane",
        "gaol" => "jail",
        _ => "",
    };
    if !whole.is_empty() {
        return whole.to_string();
    }
    let mut s = w.to_string();
    // -our -> -or after two letters or more (colour, favour; not four, hour).
    if let Some(k) = s.find("our")
        && k >= 2
        && s[..k].chars().all(char::is_alphabetic)
    {
        s.replace_range(k..k + 3, "or");
    }
    for (from, to) in [
        ("isation", "ization"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("ises", "izes"),
        ("yse", "yze"),
        ("ysed", "yzed"),
        ("ogue", "og"),
        ("ogues", "ogs"),
        ("ence", "ense"),
        ("tre", "ter"),
        ("tres", "ters"),
        ("bre", "ber"),
        ("bres", "bers"),
        ("lled", "led"),
        ("lling", "ling"),
        ("ller", "ler"),
        ("llers", "lers"),
    ] {
        if s.len() > from.len() + 2 && s.ends_with(from) {
            s.truncate(s.len() - from.len());
            s.push_str(to);
            break;
        }
    }
    if s.len() > 4 && s.ends_with("ise") {
        s.truncate(s.len() - 3);
        s.push_str("ize");
    }
    // ae / oe after a consonant, inside a word (paediatric, manoeuvre).
    for pat in ["ae", "oe"] {
        if let Some(k) = s.find(pat) {
            let before = s[..k].chars().next_back();
            if k > 0 && k + 2 < s.len() && before.is_some_and(|c| !"aeiou".contains(c)) {
                s.replace_range(k..k + 2, "e");
            }
        }
    }
    s
}

/// A rough stem for comparing two words: inflectional endings and `-ly`
/// cut, a final `e` and a doubled last consonant dropped (`firmly` and
/// `firm`, `stopped` and `stop`, `agreed` and `agree`).
pub(super) fn stem(w: &str) -> String {
    let mut s = w.strip_suffix("'s").unwrap_or(w);
    for suffix in ["ingly", "edly", "ing", "ed", "ly", "es", "s", "er", "est"] {
        if let Some(rest) = s.strip_suffix(suffix)
            && rest.chars().count() >= 3
        {
            s = rest;
            break;
        }
    }
    let s = s.strip_suffix('e').filter(|r| r.len() >= 3).unwrap_or(s);
    let b = s.as_bytes();
    if b.len() >= 4
        && b[b.len() - 1] == b[b.len() - 2]
        && b[b.len() - 1].is_ascii_alphabetic()
        && !b"aeiouls".contains(&b[b.len() - 1])
    {
        return s[..s.len() - 1].to_string();
    }
    s.to_string()
}
