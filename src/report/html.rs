//! The HTML report: one self-contained page (inline CSS and a little inline
//! JavaScript, no network access, no external fonts or assets).
//!
//! Layout: a header with both articles, the verdict, the scores and the
//! counts; altered quotes at the top, each with its word diff (deleted words
//! struck through, inserted words highlighted), speakers and status; changed
//! facts; warnings; then the two articles side by side (stacked on narrow
//! screens), each rendered from its labelled spans with one colour and one
//! text decoration per label, paragraphs kept.
//!
//! Every piece of article text is a `<span>` with `data-label`,
//! `data-start` and `data-end` (byte offsets into that article's text), and,
//! when it belongs to a passage, `data-passage` (the passage's index in
//! [`Comparison::passages`]) and `data-kind`. Hovering a passage highlights
//! it in both articles; clicking it scrolls the other article to its
//! partner. Text inside a quote carries `data-quote` (`a3` or `b3`, the
//! quote's index in [`Comparison::quotes`]); the first piece of a quote has
//! the id `qa-3` or `qb-3`, which the quote cards link to.
//!
//! All article text and metadata are HTML-escaped.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::markdown::{is_altered, status_name};
use super::{DiffPiece, percent, plural, quote_diff, slice};
use crate::compare::{
    Comparison, FactKind, FactValue, PassageKind, QuoteMatch, QuoteRef, QuoteStatus, Severity,
    Side, SideName, SpanLabel, Verdict,
};
use crate::text::{Span, paragraphs};

/// Writes the HTML report of `c` to `out`.
pub fn render(c: &Comparison, out: &mut dyn Write) -> io::Result<()> {
    let mut h = String::with_capacity(8 * 1024 + 3 * (c.a.text.len() + c.b.text.len()));
    page(c, &mut h);
    out.write_all(h.as_bytes())
}

/// Appends `s` to `h` with `&`, `<`, `>`, `"` and `'` escaped, so it is safe
/// both as element content and inside a quoted attribute.
pub(crate) fn escape_into(h: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '&' => h.push_str("&amp;"),
            '<' => h.push_str("&lt;"),
            '>' => h.push_str("&gt;"),
            '"' => h.push_str("&quot;"),
            '\'' => h.push_str("&#39;"),
            _ => h.push(ch),
        }
    }
}

/// `s` HTML-escaped.
fn esc(s: &str) -> String {
    let mut h = String::with_capacity(s.len());
    escape_into(&mut h, s);
    h
}

/// The name of a label, as in JSON and in `data-label`.
fn label_name(l: Option<SpanLabel>) -> &'static str {
    match l {
        Some(SpanLabel::Same) => "same",
        Some(SpanLabel::Changed) => "changed",
        Some(SpanLabel::Dropped) => "dropped",
        Some(SpanLabel::Added) => "added",
        None => "none",
    }
}

fn kind_name(k: PassageKind) -> &'static str {
    match k {
        PassageKind::Unchanged => "unchanged",
        PassageKind::Reworded => "reworded",
        PassageKind::Moved => "moved",
        PassageKind::Added => "added",
        PassageKind::Dropped => "dropped",
    }
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Duplicate => "v-dup",
        Verdict::NearDuplicate => "v-near",
        Verdict::Partial => "v-partial",
        Verdict::Related => "v-related",
        Verdict::Unrelated => "v-unrelated",
    }
}

fn status_class(s: QuoteStatus) -> &'static str {
    match s {
        QuoteStatus::Altered => "st-altered",
        QuoteStatus::SpeakerChanged => "st-speaker",
        QuoteStatus::Partial => "st-partial",
        QuoteStatus::OnlyA | QuoteStatus::OnlyB => "st-single",
        QuoteStatus::Verbatim => "st-verbatim",
    }
}

const CSS: &str = r#"
:root{--ink:#1d232b;--muted:#5b6573;--line:#dfe3e8;--bg:#f5f6f8;--card:#fff;
--same:transparent;--changed:#fff0b3;--changed-ink:#b26b00;--dropped:#ffe0e0;--dropped-ink:#c92a2a;
--added:#d6f5dc;--added-ink:#2b8a3e;--link:#3b5bdb}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--ink)}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1440px;margin:0 auto;padding:20px 24px 40px}
h1{font-size:20px;margin:0;font-weight:650;letter-spacing:-.01em}
h2{font-size:16px;margin:0 0 10px;font-weight:650;display:flex;align-items:center;gap:8px}
h2 .n{font-size:12px;font-weight:600;color:var(--muted);background:#e9ecef;border-radius:10px;padding:1px 8px}
section,header.top{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin:0 0 16px}
.top-row{display:flex;align-items:center;gap:14px;flex-wrap:wrap;margin-bottom:14px}
.verdict{font-weight:700;font-size:14px;padding:4px 12px;border-radius:999px;color:#fff;text-transform:uppercase;letter-spacing:.04em}
.verdict-desc{color:var(--muted)}
.jump{margin-left:auto;display:flex;gap:14px;font-size:13px}
.v-dup{background:#c92a2a}.v-near{background:#e8590c}.v-partial{background:#d9480f}.v-related{background:#1c7ed6}.v-unrelated{background:#495057}
.meta{display:grid;grid-template-columns:1fr 1fr;gap:12px;margin-bottom:14px}
.meta-card{border:1px solid var(--line);border-radius:8px;padding:10px 12px;min-width:0}
.meta-card .t{font-weight:600;margin:2px 0}
.meta-card .sub{color:var(--muted);font-size:13px;overflow-wrap:anywhere}
.tag{display:inline-block;min-width:22px;text-align:center;font-weight:700;font-size:12px;border-radius:5px;padding:1px 6px;color:#fff;background:#495057;margin-right:6px}
.tag-a{background:#7048e8}.tag-b{background:#0c8599}
.scores{display:grid;grid-template-columns:repeat(6,1fr);gap:10px;margin-bottom:12px}
.score{border:1px solid var(--line);border-radius:8px;padding:8px 10px}
.score .k{font-size:12px;color:var(--muted)}
.score .v{font-size:20px;font-weight:650;font-variant-numeric:tabular-nums}
.bar{height:4px;background:#e9ecef;border-radius:2px;margin-top:4px;overflow:hidden}
.bar i{display:block;height:100%;background:#4c6ef5}
.counts{display:flex;flex-wrap:wrap;gap:6px 14px;color:var(--muted);font-size:13px}
.counts b{color:var(--ink);font-variant-numeric:tabular-nums}
.counts span{white-space:nowrap}
.counts .group{display:inline-flex;flex-wrap:wrap;gap:2px 12px;align-items:baseline;padding-right:14px;border-right:1px solid var(--line)}
.counts .group:last-child{border-right:0}
.counts .gk{font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.05em}
.quote{border:1px solid var(--line);border-left:4px solid #c92a2a;border-radius:8px;padding:10px 14px;margin:0 0 10px}
.quote.st-speaker-card{border-left-color:#e8590c}.quote.st-partial-card{border-left-color:#f59f00}
.quote-head{display:flex;align-items:center;gap:10px;flex-wrap:wrap;font-size:13px;color:var(--muted)}
.badge{font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.05em;border-radius:4px;padding:2px 7px;color:#fff}
.st-altered{background:#c92a2a}.st-speaker{background:#e8590c}.st-partial{background:#f08c00}.st-single{background:#868e96}.st-verbatim{background:#2b8a3e}
.speakers b{color:var(--ink)}
.qdiff{margin:8px 0;font:17px/1.55 Georgia,"Times New Roman",serif}
del{background:var(--dropped);color:#8f1d1d;text-decoration:line-through 2px var(--dropped-ink);border-radius:3px;padding:0 2px}
ins{background:var(--added);color:#1b5e2a;text-decoration:none;border-bottom:2px solid var(--added-ink);border-radius:3px;padding:0 2px}
.quote-sides{display:grid;grid-template-columns:1fr 1fr;gap:10px;font-size:13px;color:var(--muted)}
.quote-sides p{margin:0}
a{color:var(--link)}
.locate{font-size:12px;white-space:nowrap}
ul.single{margin:0;padding-left:18px}ul.single li{margin:4px 0}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.04em}
.sev-high{color:#c92a2a;font-weight:700}.sev-medium{color:#e8590c;font-weight:600}.sev-low{color:var(--muted)}
.none{color:var(--muted);margin:0}
.legend{display:flex;flex-wrap:wrap;gap:8px 18px;font-size:13px;color:var(--muted);margin:0 0 12px}
.legend span[data-label]{padding:1px 6px;border-radius:3px;color:var(--ink)}
.columns{display:grid;grid-template-columns:1fr 1fr;grid-template-rows:auto 1fr;column-gap:18px}
.col{min-width:0;border:1px solid var(--line);border-radius:8px;overflow:hidden;display:grid;grid-row:span 2;grid-template-rows:subgrid}
.col-head{padding:10px 14px;border-bottom:1px solid var(--line);background:#fafbfc}
.col-head .t{font-weight:600}
.col-head .sub{font-size:12px;color:var(--muted)}
.article-text{padding:6px 16px;font:16px/1.65 Georgia,"Times New Roman",serif;max-height:calc(100vh - 80px);overflow-y:auto;overflow-wrap:anywhere}
.article-text p{margin:.7em 0}
.l-same{background:var(--same)}
.l-changed{background:var(--changed);text-decoration:underline dotted 2px var(--changed-ink);text-underline-offset:3px}
.l-dropped{background:var(--dropped);text-decoration:line-through 1px var(--dropped-ink)}
.l-added{background:var(--added);text-decoration:underline solid 2px var(--added-ink);text-underline-offset:3px}
.l-none{background:repeating-linear-gradient(45deg,#f1f3f5 0 4px,#fff 4px 8px)}
.article-text [data-passage]{cursor:pointer}
.p-start[data-kind="moved"]::before{content:"moved";font:700 10px/1 system-ui,sans-serif;text-transform:uppercase;letter-spacing:.05em;color:#5f3dc4;background:#e5dbff;border-radius:3px;padding:2px 5px;margin-right:5px;vertical-align:2px;text-decoration:none;display:inline-block}
.linked{outline:2px solid rgba(59,91,219,.55);outline-offset:0;border-radius:2px}
.l-same.linked{background:#e8edff}
.flash{animation:flash 2.4s ease-out}
@keyframes flash{0%,40%{box-shadow:0 0 0 3px #fab005;background:#fff3bf}}
.warn{margin:0;padding-left:18px}.warn li{margin:3px 0}
footer{color:var(--muted);font-size:12px;text-align:center}
@media (max-width:900px){.columns,.meta,.quote-sides{grid-template-columns:1fr}.columns{row-gap:18px}.col{grid-row:auto;grid-template-rows:auto}.scores{grid-template-columns:repeat(2,1fr)}.article-text{max-height:none}}
@media print{.article-text{max-height:none}html{background:#fff}}
"#;

const JS: &str = r#"
(function(){
  var cur=null;
  function mark(p,on){
    if(p===null)return;
    var els=document.querySelectorAll('.article-text [data-passage="'+p+'"]');
    for(var i=0;i<els.length;i++)els[i].classList.toggle('linked',on);
  }
  document.addEventListener('mouseover',function(e){
    var t=e.target.closest&&e.target.closest('.article-text [data-passage]');
    var p=t?t.getAttribute('data-passage'):null;
    if(p!==cur){mark(cur,false);cur=p;mark(cur,true);}
  });
  function reveal(el){
    var box=el.closest('.article-text');
    if(box&&box.scrollHeight>box.clientHeight){
      box.scrollTop+=el.getBoundingClientRect().top-box.getBoundingClientRect().top-box.clientHeight/3;
    }
    if(el.getBoundingClientRect().top<0||el.getBoundingClientRect().bottom>innerHeight){
      el.scrollIntoView({block:'center'});
    }
  }
  function flash(sel){
    var els=document.querySelectorAll(sel);
    for(var i=0;i<els.length;i++){
      els[i].classList.remove('flash');void els[i].offsetWidth;els[i].classList.add('flash');
    }
    if(els.length)reveal(els[0]);
  }
  document.addEventListener('click',function(e){
    var l=e.target.closest&&e.target.closest('a[data-quote]');
    if(l){e.preventDefault();flash('.article-text [data-quote="'+l.getAttribute('data-quote')+'"]');return;}
    var t=e.target.closest&&e.target.closest('.article-text [data-passage]');
    if(!t)return;
    var mine=t.closest('.article-text').id;
    var other=document.querySelector('.article-text:not(#'+mine+') [data-passage="'+t.getAttribute('data-passage')+'"]');
    if(other)reveal(other);
  });
  document.documentElement.setAttribute('data-js','ready');
})();
"#;

fn page(c: &Comparison, h: &mut String) {
    let title = format!("neardiff: {} vs {}", short_name(&c.a), short_name(&c.b));
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // The page needs nothing from outside; say so to the browser as well.
    h.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n",
    );
    h.push_str("<meta name=\"generator\" content=\"neardiff\">\n<title>");
    escape_into(h, &title);
    h.push_str("</title>\n<style>");
    h.push_str(CSS);
    h.push_str("</style>\n</head>\n<body>\n<main>\n");
    header(c, h);
    quotes(c, h);
    facts(c, h);
    runs(c, h);
    warnings(c, h);
    articles(c, h);
    let _ = writeln!(
        h,
        "<footer>Generated by neardiff · schema {} · byte offsets refer to the article texts as read</footer>",
        esc(&c.schema)
    );
    h.push_str("</main>\n<script>");
    h.push_str(JS);
    h.push_str("</script>\n</body>\n</html>\n");
}

/// The outlet (or id) and title of a side, for titles.
fn short_name(side: &Side) -> &str {
    side.outlet.as_deref().unwrap_or(&side.id)
}

fn meta_card(h: &mut String, side: &Side, tag: &str) {
    let _ = write!(
        h,
        "<div class=\"meta-card\"><div><span class=\"tag tag-{}\">{tag}</span>",
        tag.to_ascii_lowercase()
    );
    let mut first = true;
    for part in [side.outlet.as_deref(), side.date.as_deref()]
        .into_iter()
        .flatten()
    {
        if !first {
            h.push_str(" · ");
        }
        first = false;
        escape_into(h, part);
    }
    h.push_str("</div>");
    if let Some(t) = &side.title {
        h.push_str("<div class=\"t\">");
        escape_into(h, t);
        h.push_str("</div>");
    }
    h.push_str("<div class=\"sub\">id <code>");
    escape_into(h, &side.id);
    h.push_str("</code>");
    if let Some(s) = &side.source {
        h.push_str(" · source ");
        escape_into(h, s);
    }
    let words = side.text.split_whitespace().count();
    let _ = write!(h, " · {}", plural(words, "word", "words"));
    h.push_str("</div>");
    if let Some(u) = &side.url {
        // Shown as text, not as a link: the report makes no requests.
        h.push_str("<div class=\"sub url\">");
        escape_into(h, u);
        h.push_str("</div>");
    }
    h.push_str("</div>\n");
}

fn header(c: &Comparison, h: &mut String) {
    let s = &c.similarity;
    let n = &c.summary;
    h.push_str("<header class=\"top\" id=\"summary\">\n<div class=\"top-row\"><h1>");
    escape_into(h, &format!("{} vs {}", short_name(&c.a), short_name(&c.b)));
    let _ = writeln!(
        h,
        "</h1><span class=\"verdict {}\" data-verdict=\"{}\">{}</span>\
         <span class=\"verdict-desc\">{}</span><nav class=\"jump\">\
         <a href=\"#altered-quotes\">Quotes</a><a href=\"#facts\">Facts</a>\
         <a href=\"#articles\">Articles</a></nav></div>",
        verdict_class(s.verdict),
        s.verdict.as_str(),
        s.verdict.as_str(),
        esc(s.verdict.describe())
    );
    h.push_str("<div class=\"meta\">\n");
    meta_card(h, &c.a, "A");
    meta_card(h, &c.b, "B");
    h.push_str("</div>\n");
    let versions = super::version_lines(c);
    if !versions.is_empty() {
        h.push_str("<ul class=\"versions\">\n");
        for line in versions {
            let _ = writeln!(h, "<li>A {}</li>", esc(&line));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("<div class=\"scores\">\n");
    let tiles = [
        (
            format!("Jaccard ({}-word shingles)", s.shingle_size),
            format!("{:.3}", s.jaccard),
            s.jaccard,
        ),
        (
            format!("MinHash estimate ({} perm.)", s.num_perm),
            format!("{:.3}", s.minhash_jaccard),
            s.minhash_jaccard,
        ),
        (
            "A contained in B".into(),
            percent(s.containment_a_in_b),
            s.containment_a_in_b,
        ),
        (
            "B contained in A".into(),
            percent(s.containment_b_in_a),
            s.containment_b_in_a,
        ),
        ("A aligned with B".into(), percent(s.aligned_a), s.aligned_a),
        ("B aligned with A".into(), percent(s.aligned_b), s.aligned_b),
    ];
    for (k, v, x) in tiles {
        let w = if x.is_finite() {
            (x * 100.0).clamp(0.0, 100.0)
        } else {
            0.0
        };
        let _ = writeln!(
            h,
            "<div class=\"score\"><div class=\"k\">{}</div><div class=\"v\">{}</div>\
             <div class=\"bar\"><i style=\"width:{w:.1}%\"></i></div></div>",
            esc(&k),
            esc(&v)
        );
    }
    h.push_str("</div>\n<div class=\"counts\">");
    let groups = [
        (
            "Passages",
            vec![
                (n.unchanged, "unchanged"),
                (n.reworded, "reworded"),
                (n.moved, "moved"),
                (n.added, "added in B"),
                (n.dropped, "dropped from A"),
            ],
        ),
        (
            "Quotes",
            vec![
                (n.quotes_altered, "altered"),
                (n.quotes_verbatim, "verbatim"),
                (n.quotes_only_a, "only in A"),
                (n.quotes_only_b, "only in B"),
            ],
        ),
        ("Facts", vec![(n.facts_high, "high severity")]),
    ];
    for (group, items) in groups {
        let _ = write!(h, "<span class=\"group\"><span class=\"gk\">{group}</span>");
        for (v, name) in items {
            let _ = write!(h, "<span><b>{v}</b> {name}</span>");
        }
        h.push_str("</span>");
    }
    h.push_str("</div>\n</header>\n");
}

/// Writes an inline word diff with `<del>` and `<ins>`.
fn diff_html(h: &mut String, pieces: &[DiffPiece<'_>]) {
    for p in pieces {
        match p {
            DiffPiece::Same(t) | DiffPiece::Gap(t) => escape_into(h, t),
            DiffPiece::Deleted(t) => {
                h.push_str("<del title=\"only in A\">");
                escape_into(h, t);
                h.push_str("</del>");
            }
            DiffPiece::Inserted(t) => {
                h.push_str("<ins title=\"only in B\">");
                escape_into(h, t);
                h.push_str("</ins>");
            }
        }
    }
}

fn speaker_html(q: Option<&QuoteRef>) -> String {
    match q.map(|q| (q.speaker.as_deref(), q.speaker_description.as_deref())) {
        None => "—".into(),
        Some((Some(s), _)) => format!("<b>{}</b>", esc(s)),
        Some((None, Some(d))) => format!("<i>not named:</i> {}", esc(d)),
        Some((None, None)) => "<i>unknown</i>".into(),
    }
}

fn quote_side(h: &mut String, i: usize, side: &str, r: &QuoteRef) {
    let low = side.to_ascii_lowercase();
    let _ = write!(
        h,
        "<p><span class=\"tag tag-{low}\">{side}</span>“{}” \
         <a class=\"locate\" href=\"#q{low}-{i}\" data-quote=\"{low}{i}\">show in {side}</a></p>",
        esc(r.text.trim())
    );
}

fn quotes(c: &Comparison, h: &mut String) {
    let altered: Vec<(usize, &QuoteMatch)> = c
        .quotes
        .iter()
        .enumerate()
        .filter(|(_, q)| is_altered(q.status))
        .collect();
    let _ = writeln!(
        h,
        "<section id=\"altered-quotes\">\n<h2>Altered quotes <span class=\"n\">{}</span></h2>",
        altered.len()
    );
    if altered.is_empty() {
        h.push_str("<p class=\"none\">No quote was altered.</p>\n");
    }
    for (i, q) in altered {
        let class = status_class(q.status);
        let _ = write!(
            h,
            "<article class=\"quote {class}-card\" data-status=\"{}\">\
             <div class=\"quote-head\"><span class=\"badge {class}\">{}</span>\
             <span class=\"speakers\">Speaker A: {} · B: {}</span>\
             <span>word similarity {:.2}</span></div>",
            esc(status_name(q.status)),
            esc(status_name(q.status)),
            speaker_html(q.a.as_ref()),
            speaker_html(q.b.as_ref()),
            q.score
        );
        if let (Some(qa), Some(qb)) = (&q.a, &q.b)
            && !q.edits.is_empty()
        {
            h.push_str("<blockquote class=\"qdiff\">“");
            let pieces = quote_diff(&c.a.text, qa, &c.b.text, qb, &q.edits);
            diff_html(h, &pieces);
            h.push_str("”</blockquote>");
        }
        h.push_str("<div class=\"quote-sides\">");
        if let Some(r) = &q.a {
            quote_side(h, i, "A", r);
        }
        if let Some(r) = &q.b {
            quote_side(h, i, "B", r);
        }
        h.push_str("</div></article>\n");
    }
    let single: Vec<(usize, &QuoteMatch)> = c
        .quotes
        .iter()
        .enumerate()
        .filter(|(_, q)| matches!(q.status, QuoteStatus::OnlyA | QuoteStatus::OnlyB))
        .collect();
    if !single.is_empty() {
        h.push_str("<h2 style=\"margin-top:14px\">Quotes in one article only</h2>\n<ul class=\"single\">\n");
        for (i, q) in single {
            let (side, r) = match (&q.a, &q.b) {
                (Some(r), _) => ("A", r),
                (None, Some(r)) => ("B", r),
                (None, None) => continue,
            };
            let low = side.to_ascii_lowercase();
            let _ = writeln!(
                h,
                "<li data-status=\"{}\"><span class=\"tag tag-{low}\">{side}</span>“{}” \
                 <span class=\"speakers\">— speaker {}</span> \
                 <a class=\"locate\" href=\"#q{low}-{i}\" data-quote=\"{low}{i}\">show</a></li>",
                esc(status_name(q.status)),
                esc(r.text.trim()),
                speaker_html(Some(r))
            );
        }
        h.push_str("</ul>\n");
    }
    let verbatim = c
        .quotes
        .iter()
        .filter(|q| q.status == QuoteStatus::Verbatim)
        .count();
    if verbatim > 0 {
        let _ = writeln!(
            h,
            "<p class=\"none\" style=\"margin-top:10px\">{} quoted word for word in both.</p>",
            plural(verbatim, "quote", "quotes")
        );
    }
    h.push_str("</section>\n");
}

fn facts(c: &Comparison, h: &mut String) {
    let _ = writeln!(
        h,
        "<section id=\"facts\">\n<h2>Changed facts <span class=\"n\">{}</span></h2>",
        c.facts.len()
    );
    if c.facts.is_empty() {
        h.push_str("<p class=\"none\">No numbers, dates or names changed.</p>\n</section>\n");
        return;
    }
    h.push_str("<table>\n<thead><tr><th>Kind</th><th>Severity</th><th>A</th><th>B</th><th>In quote</th></tr></thead>\n<tbody>\n");
    for f in &c.facts {
        let kind = match f.kind {
            FactKind::Number => "number",
            FactKind::Date => "date",
            FactKind::Name => "name",
            FactKind::ListItem => "list item",
            FactKind::Wording => "wording",
        };
        let sev = match f.severity {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        };
        let value = |v: &Option<FactValue>, tag: &str| match v {
            None => "—".to_string(),
            Some(v) => format!("<{tag}>{}</{tag}>", esc(&v.text)),
        };
        let _ = writeln!(
            h,
            "<tr><td>{kind}</td><td class=\"sev-{sev}\">{sev}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            value(&f.a, "del"),
            value(&f.b, "ins"),
            if f.in_quote { "yes" } else { "no" }
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

/// Copied runs listed at most in the HTML report.
const MAX_RUNS_LISTED: usize = 200;

/// Copied runs the sentence alignment does not show
/// ([`super::runs_to_show`]): B's words and where in A they come from.
fn runs(c: &Comparison, h: &mut String) {
    let outside = super::runs_to_show(c);
    if outside.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<section id=\"runs\">\n<h2>Copied text the aligned passages do not show <span class=\"n\">{}</span></h2>",
        outside.len()
    );
    h.push_str("<table>\n<thead><tr><th>B bytes</th><th>A bytes</th><th>Words</th><th>Text in B</th><th>Text in A</th></tr></thead>\n<tbody>\n");
    for r in outside.iter().take(MAX_RUNS_LISTED) {
        let version = super::version_name(c, r.a_version)
            .map(|v| format!(" ({})", esc(&v)))
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<tr><td>{}..{}</td><td>{}..{}{version}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            r.b.start,
            r.b.end,
            r.a.start,
            r.a.end,
            r.words,
            esc(slice(&c.b.text, r.b.start, r.b.end)),
            esc(slice(&c.a.text, r.a.start, r.a.end))
        );
    }
    h.push_str("</tbody>\n</table>\n");
    if outside.len() > MAX_RUNS_LISTED {
        let _ = writeln!(
            h,
            "<p class=\"none\">… and {} more (all in the JSON report)</p>",
            outside.len() - MAX_RUNS_LISTED
        );
    }
    h.push_str("</section>\n");
}

fn warnings(c: &Comparison, h: &mut String) {
    if c.warnings.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<section id=\"warnings\">\n<h2>Warnings <span class=\"n\">{}</span></h2>\n<ul class=\"warn\">",
        c.warnings.len()
    );
    for w in &c.warnings {
        let side = match w.side {
            SideName::A => "A",
            SideName::B => "B",
        };
        let _ = writeln!(
            h,
            "<li><span class=\"tag tag-{}\">{side}</span>byte {}: {}</li>",
            side.to_ascii_lowercase(),
            w.offset,
            esc(&w.message)
        );
    }
    h.push_str("</ul>\n</section>\n");
}

fn articles(c: &Comparison, h: &mut String) {
    h.push_str("<section id=\"articles\">\n<h2>The articles side by side</h2>\n");
    h.push_str(
        "<div class=\"legend\">\
         <span><span class=\"l-same\" data-label=\"same\">same</span> in both</span>\
         <span><span class=\"l-changed\" data-label=\"changed\">changed</span> reworded (dotted underline)</span>\
         <span><span class=\"l-dropped\" data-label=\"dropped\">dropped</span> only in A (struck through)</span>\
         <span><span class=\"l-added\" data-label=\"added\">added</span> only in B (underlined)</span>\
         <span><span class=\"p-start\" data-kind=\"moved\"></span>out of order in the other article</span>\
         <span>Hover a passage to see its partner; click to scroll to it.</span></div>\n",
    );
    h.push_str("<div class=\"columns\">\n");
    column(c, SideName::A, h);
    column(c, SideName::B, h);
    h.push_str("</div>\n</section>\n");
}

/// One piece of article text with everything that is known about it.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Attrs {
    label: Option<SpanLabel>,
    passage: Option<(usize, PassageKind)>,
    quote: Option<usize>,
}

/// The spans of `side`, made safe: sorted, clipped to the text and to
/// character boundaries, with uncovered gaps as unlabelled ranges.
fn segments(side: &Side) -> Vec<(usize, usize, Option<SpanLabel>)> {
    let text = &side.text;
    let mut spans = side.spans.clone();
    spans.sort_by_key(|s| (s.start, s.end));
    let mut out = Vec::with_capacity(spans.len() + 1);
    let mut at = 0;
    for s in spans {
        let (start, end) = (s.start.max(at), s.end.min(text.len()));
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        if start > at {
            out.push((at, start, None));
        }
        out.push((start, end, Some(s.label)));
        at = end;
    }
    if at < text.len() {
        out.push((at, text.len(), None));
    }
    out
}

fn column(c: &Comparison, which: SideName, h: &mut String) {
    let (side, tag) = match which {
        SideName::A => (&c.a, "a"),
        SideName::B => (&c.b, "b"),
    };
    let text = side.text.as_str();
    let segs = segments(side);
    let passages: Vec<(Span, usize, PassageKind)> = c
        .passages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let s = match which {
                SideName::A => p.a,
                SideName::B => p.b,
            };
            s.map(|s| (s, i, p.kind))
        })
        .collect();
    let quotes: Vec<(Span, usize)> = c
        .quotes
        .iter()
        .enumerate()
        .filter_map(|(i, q)| {
            let r = match which {
                SideName::A => q.a.as_ref(),
                SideName::B => q.b.as_ref(),
            };
            r.map(|r| (Span::new(r.start, r.end), i))
        })
        .collect();

    let (mut passages, mut quotes) = (passages, quotes);
    passages.sort_by_key(|p| p.0);
    quotes.sort_by_key(|q| q.0);

    let mut cuts: BTreeSet<usize> = BTreeSet::new();
    for &(s, e, _) in &segs {
        cuts.insert(s);
        cuts.insert(e);
    }
    for s in passages
        .iter()
        .map(|p| p.0)
        .chain(quotes.iter().map(|q| q.0))
    {
        cuts.insert(s.start);
        cuts.insert(s.end);
    }
    cuts.retain(|&x| x <= text.len() && text.is_char_boundary(x));

    let attrs_at = |x: usize| Attrs {
        label: segs
            .get(segs.partition_point(|s| s.1 <= x))
            .filter(|s| s.0 <= x)
            .and_then(|s| s.2),
        passage: containing(&passages, x, |p| p.0).map(|p| (p.1, p.2)),
        quote: containing(&quotes, x, |q| q.0).map(|q| q.1),
    };
    let mut quote_anchored = vec![false; c.quotes.len()];
    let mut passage_started = vec![false; c.passages.len()];

    let _ = write!(
        h,
        "<div class=\"col\" id=\"col-{tag}\"><div class=\"col-head\"><span class=\"tag tag-{tag}\">{}</span>",
        tag.to_ascii_uppercase()
    );
    escape_into(h, short_name(side));
    if let Some(d) = &side.date {
        h.push_str(" · ");
        escape_into(h, d);
    }
    if let Some(t) = &side.title {
        h.push_str("<div class=\"t\">");
        escape_into(h, t);
        h.push_str("</div>");
    }
    let _ = write!(
        h,
        "<div class=\"sub\">{}</div></div>\n<div class=\"article-text\" id=\"text-{tag}\" lang=\"\">",
        plural(text.len(), "byte", "bytes")
    );

    let mut at = 0;
    for para in paragraphs(text) {
        // Whitespace between paragraphs stays in the page, outside them.
        escape_into(h, slice(text, at, para.start));
        h.push_str("<p>");
        let mut points: Vec<usize> = cuts.range(para.start..para.end).copied().collect();
        if points.first() != Some(&para.start) {
            points.insert(0, para.start);
        }
        points.push(para.end);
        let mut i = 0;
        while i + 1 < points.len() {
            let start = points[i];
            let attrs = attrs_at(start);
            let mut j = i + 1;
            while j + 1 < points.len() && attrs_at(points[j]) == attrs {
                j += 1;
            }
            let end = points[j];
            let first = attrs
                .passage
                .and_then(|(p, _)| passage_started.get_mut(p))
                .is_some_and(|done| !std::mem::replace(done, true));
            piece(
                h,
                tag,
                text,
                (start, end),
                attrs,
                first,
                &mut quote_anchored,
            );
            i = j;
        }
        h.push_str("</p>");
        at = para.end;
    }
    escape_into(h, slice(text, at, text.len()));
    h.push_str("</div></div>\n");
}

/// The item of `items` (sorted by start, not overlapping) whose range holds
/// byte `x`.
fn containing<T>(items: &[T], x: usize, range: impl Fn(&T) -> Span) -> Option<&T> {
    let i = items.partition_point(|t| range(t).start <= x);
    i.checked_sub(1)
        .map(|i| &items[i])
        .filter(|t| x < range(t).end)
}

/// Writes one `<span>` of article text; `first` marks the first piece of
/// its passage (where a moved passage shows its marker).
fn piece(
    h: &mut String,
    tag: &str,
    text: &str,
    (start, end): (usize, usize),
    attrs: Attrs,
    first: bool,
    quote_anchored: &mut [bool],
) {
    let label = label_name(attrs.label);
    h.push_str("<span");
    if let Some(q) = attrs.quote
        && let Some(done @ false) = quote_anchored.get_mut(q)
    {
        *done = true;
        let _ = write!(h, " id=\"q{tag}-{q}\"");
    }
    let _ = write!(
        h,
        " class=\"l-{label}{}\" data-label=\"{label}\" data-start=\"{start}\" data-end=\"{end}\"",
        if first { " p-start" } else { "" }
    );
    if let Some((p, kind)) = attrs.passage {
        let _ = write!(h, " data-passage=\"{p}\" data-kind=\"{}\"", kind_name(kind));
    }
    if let Some(q) = attrs.quote {
        let _ = write!(h, " data-quote=\"{tag}{q}\"");
    }
    h.push('>');
    escape_into(h, slice(text, start, end));
    h.push_str("</span>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::Run;
    use crate::report::fixture;

    fn rendered(c: &Comparison) -> String {
        let mut v = Vec::new();
        render(c, &mut v).unwrap();
        String::from_utf8(v).unwrap()
    }

    /// Undoes [`escape_into`] (and nothing else).
    fn unescape(s: &str) -> String {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    /// The text content of the element that starts at `open`, up to the
    /// next `close`, with tags removed and entities decoded.
    fn text_between(html: &str, open: &str, close: &str) -> String {
        let start = html.find(open).expect("open tag") + open.len();
        let end = start + html[start..].find(close).expect("close tag");
        let mut out = String::new();
        let mut in_tag = false;
        for ch in html[start..end].chars() {
            match ch {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                _ if !in_tag => out.push(ch),
                _ => {}
            }
        }
        unescape(&out)
    }

    #[test]
    fn every_byte_of_each_text_appears_once_in_its_column() {
        let c = fixture::comparison();
        let html = rendered(&c);
        for (side, tag) in [(&c.a, "a"), (&c.b, "b")] {
            let open = format!("<div class=\"article-text\" id=\"text-{tag}\" lang=\"\">");
            assert_eq!(text_between(&html, &open, "</div>"), side.text);
        }
    }

    #[test]
    fn pieces_carry_labels_and_offsets_that_match_the_text() {
        let c = fixture::comparison();
        let html = rendered(&c);
        let mut seen = std::collections::HashSet::new();
        for (side, tag) in [(&c.a, "a"), (&c.b, "b")] {
            let open = format!("id=\"text-{tag}\"");
            let body = &html[html.find(&open).unwrap()..];
            let body = &body[..body.find("</div>").unwrap()];
            let mut count = 0;
            for part in body.split("<span").skip(1) {
                let attr = |name: &str| {
                    let k = format!("{name}=\"");
                    let s = part.find(&k).unwrap() + k.len();
                    part[s..s + part[s..].find('"').unwrap()].to_string()
                };
                let (start, end): (usize, usize) = (
                    attr("data-start").parse().unwrap(),
                    attr("data-end").parse().unwrap(),
                );
                let label = attr("data-label");
                assert!(part.contains(&format!("class=\"l-{label}")));
                let inner = &part[part.find('>').unwrap() + 1..part.find("</span>").unwrap()];
                assert_eq!(unescape(inner), side.text[start..end]);
                // The label is the one of the span that holds the piece.
                let span = side
                    .spans
                    .iter()
                    .find(|s| s.start <= start && end <= s.end)
                    .unwrap();
                assert_eq!(label, label_name(Some(span.label)));
                seen.insert(label);
                count += 1;
            }
            assert!(count >= side.spans.len());
        }
        for l in ["same", "changed", "dropped", "added"] {
            assert!(seen.contains(l), "no piece labelled {l}");
        }
    }

    #[test]
    fn all_text_and_metadata_is_escaped() {
        let html = rendered(&fixture::comparison());
        // The only script element is the report's own.
        assert_eq!(html.matches("<script").count(), 1);
        assert!(
            html.contains("A &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; paragraph only in A.")
        );
        assert!(html.contains("Israel &amp; Azerbaijan: &quot;strategic&quot; &lt;ally&gt;"));
        assert!(html.contains("https://news.example/a?x=1&amp;y=&lt;2&gt;"));
        assert!(html.contains("unpaired quotation mark &#39; &lt;here&gt;"));
        assert!(!html.contains("<ally>") && !html.contains("<my>") && !html.contains("<fast>"));
    }

    #[test]
    fn versions_of_a_source_are_listed_and_named_by_runs() {
        let mut c = fixture::comparison();
        assert!(!rendered(&c).contains("class=\"versions\""));
        let n = c.a.text.len();
        c.a.versions = vec![
            crate::compare::Version {
                id: "take-1".into(),
                date: Some("2025-03-07".into()),
                title: Some("First <take>".into()),
                start: 0,
                end: n / 2,
            },
            crate::compare::Version {
                id: "update".into(),
                date: None,
                title: None,
                start: n / 2 + 2,
                end: n,
            },
        ];
        let (a, b) = (c.a.text.clone(), c.b.text.clone());
        let at = |t: &str, s: &str| {
            let i = t.find(s).unwrap();
            Span::new(i, i + s.len())
        };
        c.runs.push(Run {
            a: at(&a, "paragraph only in A"),
            b: at(&b, "I seek <my> brothers"),
            words: 4,
            aligned: false,
            a_version: Some(1),
        });
        let html = rendered(&c);
        assert!(
            html.contains("<li>A version 1: take-1, 2025-03-07 — First &lt;take&gt;, bytes 0..",)
        );
        assert!(html.contains("<li>A version 2: update, bytes "));
        assert!(html.contains(" (version 2, update)</td>"));
    }

    #[test]
    fn copied_runs_outside_aligned_passages_are_listed_escaped() {
        let mut c = fixture::comparison();
        // Only runs the alignment shows: no section.
        assert!(!rendered(&c).contains("id=\"runs\""));
        let (a, b) = (c.a.text.clone(), c.b.text.clone());
        let at = |t: &str, s: &str| {
            let i = t.find(s).unwrap();
            Span::new(i, i + s.len())
        };
        // A run whose B words the aligned runs already cover: not listed.
        c.runs.push(Run {
            a: at(&a, "Trade grew <fast> & \"steady\""),
            b: at(&b, "Trade grew <fast> & \"steady\""),
            words: 4,
            aligned: false,
            a_version: None,
        });
        assert!(!rendered(&c).contains("id=\"runs\""));
        c.runs.push(Run {
            a: at(&a, "paragraph only in A"),
            b: at(&b, "I seek <my> brothers"),
            words: 4,
            aligned: false,
            a_version: None,
        });
        let html = rendered(&c);
        let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("{s} missing"));
        assert!(at("id=\"facts\"") < at("id=\"runs\""));
        assert!(at("id=\"runs\"") < at("id=\"articles\""));
        assert!(
            html.contains(
                "Copied text the aligned passages do not show <span class=\"n\">1</span>"
            )
        );
        assert!(html.contains("<td>I seek &lt;my&gt; brothers</td><td>paragraph only in A</td>"));
    }

    #[test]
    fn altered_quotes_come_before_facts_and_articles() {
        let html = rendered(&fixture::comparison());
        let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("{s} missing"));
        assert!(at("id=\"summary\"") < at("id=\"altered-quotes\""));
        assert!(at("id=\"altered-quotes\"") < at("id=\"facts\""));
        assert!(at("id=\"facts\"") < at("id=\"articles\""));
        assert!(html.contains(
            "“Azerbaijan is <del title=\"only in A\">an important</del> <ins title=\"only in B\">a key</ins> ally of Israel”"
        ));
        assert!(html.contains("Speaker A: <b>Orit Strock</b> · B: <b>Strock</b>"));
        assert!(html.contains("<span class=\"badge st-altered\">altered</span>"));
        // The quote links point at anchors that exist.
        for id in ["qa-0", "qb-0", "qb-1"] {
            assert!(html.contains(&format!("href=\"#{id}\"")));
            assert_eq!(html.matches(&format!("id=\"{id}\"")).count(), 1, "{id}");
        }
    }

    #[test]
    fn each_label_has_its_own_colour_and_decoration() {
        let rule = |label: &str| {
            let k = format!(".l-{label}{{");
            let s = CSS
                .find(&k)
                .unwrap_or_else(|| panic!("no rule for {label}"))
                + k.len();
            CSS[s..s + CSS[s..].find('}').unwrap()].to_string()
        };
        let changed = rule("changed");
        let dropped = rule("dropped");
        let added = rule("added");
        assert!(changed.contains("var(--changed)") && changed.contains("underline dotted"));
        assert!(dropped.contains("var(--dropped)") && dropped.contains("line-through"));
        assert!(added.contains("var(--added)") && added.contains("underline solid"));
        assert!(rule("same").contains("var(--same)"));
    }

    #[test]
    fn self_contained() {
        let html = rendered(&fixture::comparison());
        for bad in ["src=", "href=\"http", "url(", "@import", "<link"] {
            assert!(!html.contains(bad), "{bad}");
        }
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(html.contains("<title>neardiff: News.Az vs JNS</title>"));
    }

    #[test]
    fn passages_link_both_columns() {
        let html = rendered(&fixture::comparison());
        let a = &html[html.find("id=\"text-a\"").unwrap()..html.find("id=\"text-b\"").unwrap()];
        let b = &html[html.find("id=\"text-b\"").unwrap()..];
        for p in ["0", "1"] {
            let attr = format!("data-passage=\"{p}\"");
            assert!(a.contains(&attr) && b.contains(&attr), "passage {p}");
        }
        assert!(a.contains("data-passage=\"2\" data-kind=\"dropped\""));
        assert!(b.contains("data-passage=\"3\" data-kind=\"added\""));
    }

    #[test]
    fn malformed_spans_do_not_panic_and_keep_all_text() {
        let mut c = fixture::comparison();
        c.a.spans = vec![crate::compare::LabeledSpan {
            start: 1,
            end: 10_000,
            label: SpanLabel::Same,
        }];
        c.b.spans.clear();
        c.b.text = "é\n\nü".into();
        c.b.spans.push(crate::compare::LabeledSpan {
            start: 1,
            end: 2,
            label: SpanLabel::Added,
        });
        let html = rendered(&c);
        let open = "<div class=\"article-text\" id=\"text-b\" lang=\"\">";
        assert_eq!(text_between(&html, open, "</div>"), "é\n\nü");
        assert!(html.contains("data-label=\"none\""));
    }
}
