//! The HTML story report: one self-contained page (inline CSS and a little
//! inline JavaScript, no network access).
//!
//! Layout, top to bottom: the source and why it was chosen; the outlets
//! ranked by drift with their counts; the **passage matrix** (source
//! sentences × outlets, each cell kept / reworded / dropped, told apart by
//! colour, symbol and text style, with a legend); the **quote table**
//! (quotes × articles: verbatim / altered / partial / absent, a mark for a
//! changed speaker) followed by the word diff of every altered or truncated
//! version; changed facts; added passages; and one **side-by-side view**
//! per outlet.
//!
//! The side-by-side views are the pairwise reports of
//! [`report::html`](crate::report::html), each kept HTML-escaped in the
//! `data-srcdoc` attribute of an `<iframe>` in a hidden
//! `<section class="pair" id="pair-N">` (N counts the non-source articles
//! from 1, in input order). Following a link to `#pair-N` (an outlet's name,
//! a matrix cell) shows that section and loads its frame from the
//! attribute, so a story of many outlets does not lay out every pairwise
//! page at once.
//!
//! Matrix cells carry `data-article` (the outlet's id) and `data-status`;
//! quote cells carry `data-article` and `data-state`. All article text and
//! metadata are HTML-escaped.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{clip, columns, describe, fact_kind_name};
use crate::compare::{FactValue, Severity};
use crate::report::html::escape_into;
use crate::story::{
    DiffOp, DiffPart, PassageStatus, QuoteState, SpeakerAgreement, Story, StoryArticle,
};

/// Writes the HTML report of `story` to `out`.
pub fn render(story: &Story, out: &mut dyn Write) -> io::Result<()> {
    let mut h = String::with_capacity(64 * 1024);
    page(story, &mut h)?;
    out.write_all(h.as_bytes())
}

fn esc(s: &str) -> String {
    let mut h = String::with_capacity(s.len());
    escape_into(&mut h, s);
    h
}

const CSS: &str = r#"
:root{--ink:#1d232b;--muted:#5b6573;--line:#dfe3e8;--bg:#f5f6f8;--card:#fff;
--kept:#d6f5dc;--kept-ink:#2b8a3e;--reworded:#fff0b3;--reworded-ink:#b26b00;--dropped:#ffe0e0;--dropped-ink:#c92a2a;
--link:#3b5bdb}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--ink)}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1440px;margin:0 auto;padding:20px 24px 40px}
h1{font-size:20px;margin:0 0 4px;font-weight:650;letter-spacing:-.01em}
h2{font-size:16px;margin:0 0 10px;font-weight:650;display:flex;align-items:center;gap:8px}
h2 .n{font-size:12px;font-weight:600;color:var(--muted);background:#e9ecef;border-radius:10px;padding:1px 8px}
section,header.top{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin:0 0 16px}
.sub{color:var(--muted);font-size:13px}
.why{margin:8px 0 0;font-size:14px}
nav.jump{display:flex;gap:14px;font-size:13px;margin-top:10px}
a{color:var(--link)}
table{border-collapse:collapse;font-size:14px}
th,td{text-align:left;padding:5px 9px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.wide{width:100%}
.bar{display:inline-block;width:70px;height:6px;background:#e9ecef;border-radius:3px;vertical-align:middle;margin-left:6px;overflow:hidden}
.bar i{display:block;height:100%;background:#e8590c}
.legend{display:flex;flex-wrap:wrap;gap:8px 18px;font-size:13px;color:var(--muted);margin:0 0 12px;align-items:center}
.scroll{overflow:auto;max-height:80vh;border:1px solid var(--line);border-radius:8px}
table.matrix{font-size:13px}
table.matrix thead th{position:sticky;top:0;background:#fafbfc;z-index:1;text-align:center;vertical-align:bottom;min-width:44px;max-width:120px;white-space:normal;line-height:1.25}
table.matrix th.rowh{text-align:left;position:sticky;left:0;background:#fafbfc;z-index:2}
table.matrix td.txt{min-width:320px;max-width:560px;color:var(--ink)}
table.matrix td.pn{color:var(--muted);font-variant-numeric:tabular-nums;white-space:nowrap}
td.c{text-align:center;padding:0;border-left:1px solid #fff;min-width:44px}
td.c a{display:block;padding:5px 4px;color:inherit;text-decoration:inherit;font-weight:700}
.s-kept,.sw-kept{background:var(--kept);color:#1b5e2a}
.s-reworded,.sw-reworded{background:var(--reworded);color:#7a4a00;font-style:italic;text-decoration:underline dotted 2px var(--reworded-ink)}
.s-dropped,.sw-dropped{background:var(--dropped);color:#8f1d1d;text-decoration:line-through 2px var(--dropped-ink)}
.q-verbatim,.sw-verbatim{background:var(--kept);color:#1b5e2a}
.q-altered,.sw-altered{background:#c92a2a;color:#fff;text-decoration:underline wavy 1px #fff}
.q-partial,.sw-partial{background:#ffd8a8;color:#7a3a00;font-style:italic}
.q-absent,.sw-absent{background:#f1f3f5;color:#868e96}
.sw{display:inline-block;min-width:26px;text-align:center;border-radius:4px;padding:1px 6px;font-weight:700;margin-right:4px}
td.c.moved a::after{content:"↕";font-size:10px;margin-left:1px}
td.c.spk a::after{content:"≠";margin-left:2px}
tr:hover td.txt{background:#f8f9fa}
.quote{border:1px solid var(--line);border-left:4px solid #c92a2a;border-radius:8px;padding:10px 14px;margin:10px 0 0}
.quote .who{font-size:13px;color:var(--muted)}
.qtext{font:16px/1.5 Georgia,"Times New Roman",serif;margin:4px 0}
.version{margin:6px 0 0 12px;font-size:14px}
.version .qdiff{font:15px/1.5 Georgia,"Times New Roman",serif}
del{background:var(--dropped);color:#8f1d1d;text-decoration:line-through 2px var(--dropped-ink);border-radius:3px;padding:0 2px}
ins{background:var(--kept);color:#1b5e2a;text-decoration:none;border-bottom:2px solid var(--kept-ink);border-radius:3px;padding:0 2px}
.sev-high{color:#c92a2a;font-weight:700}.sev-medium{color:#e8590c;font-weight:600}.sev-low{color:var(--muted)}
.none{color:var(--muted);margin:0}
details{margin:4px 0}summary{cursor:pointer}
ul.added{margin:4px 0 8px;padding-left:20px;font:15px/1.5 Georgia,"Times New Roman",serif}
section.pair{display:none}section.pair.shown{display:block}
section.pair:target{display:block}
section.pair iframe{width:100%;height:80vh;border:1px solid var(--line);border-radius:8px;background:var(--bg)}
.pair-head{display:flex;gap:14px;align-items:baseline;flex-wrap:wrap}
.pair-head .back{margin-left:auto;font-size:13px}
footer{color:var(--muted);font-size:12px;text-align:center}
"#;

const JS: &str = r#"
(function(){
  var pairs=document.querySelectorAll('section.pair');
  function fit(f){
    try{var d=f.contentDocument;if(d&&d.documentElement){f.style.height=(d.documentElement.scrollHeight+4)+'px';}}catch(e){}
  }
  function show(){
    var id=location.hash.slice(1),hit=null;
    for(var i=0;i<pairs.length;i++){
      var p=pairs[i],on=p.id===id;
      p.classList.toggle('shown',on);
      if(on){
        hit=p;
        var f=p.querySelector('iframe');
        if(f&&!f.hasAttribute('srcdoc')){
          f.addEventListener('load',function(){fit(this);});
          f.setAttribute('srcdoc',f.getAttribute('data-srcdoc'));
        }
      }
    }
    if(hit)hit.scrollIntoView({block:'start'});
  }
  window.addEventListener('hashchange',show);
  show();
  document.documentElement.setAttribute('data-js','ready');
})();
"#;

fn page(story: &Story, h: &mut String) -> io::Result<()> {
    let src = story.source_article();
    let title = format!(
        "neardiff story: {}",
        src.title.as_deref().unwrap_or(&story.source)
    );
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // Nothing from outside; the side-by-side frames are inline documents.
    h.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; frame-src 'self'\">\n",
    );
    h.push_str("<meta name=\"generator\" content=\"neardiff\">\n<title>");
    escape_into(h, &title);
    h.push_str("</title>\n<style>");
    h.push_str(CSS);
    h.push_str("</style>\n</head>\n<body>\n<main>\n");
    header(story, h);
    outlets(story, h);
    matrix(story, h);
    quotes(story, h);
    facts(story, h);
    added(story, h);
    pairs(story, h)?;
    let _ = writeln!(
        h,
        "<footer>Generated by neardiff · schema {} · byte offsets refer to the article texts as read</footer>",
        esc(&story.schema)
    );
    h.push_str("</main>\n<script>");
    h.push_str(JS);
    h.push_str("</script>\n</body>\n</html>\n");
    Ok(())
}

/// `pair-N` for the article `id`: N counts non-source articles from 1.
fn pair_anchor(story: &Story, id: &str) -> String {
    let n = story.articles[1..]
        .iter()
        .position(|a| a.id == id)
        .map(|i| i + 1)
        .unwrap_or(0);
    format!("pair-{n}")
}

fn short(a: &StoryArticle) -> &str {
    a.outlet.as_deref().unwrap_or(&a.id)
}

fn header(story: &Story, h: &mut String) {
    let src = story.source_article();
    h.push_str("<header class=\"top\" id=\"summary\">\n<h1>");
    escape_into(
        h,
        &format!(
            "Story: {}",
            src.title.as_deref().unwrap_or(story.source.as_str())
        ),
    );
    h.push_str("</h1>\n<div class=\"sub\">Source <code>");
    escape_into(h, &src.id);
    h.push_str("</code>");
    for v in [src.outlet.as_deref(), src.date.as_deref()]
        .into_iter()
        .flatten()
    {
        h.push_str(" · ");
        escape_into(h, v);
    }
    let related = story.ranked_outlets().len();
    let unrelated = story.unrelated().count();
    let _ = write!(
        h,
        " · {} passages · {} words · {} related outlets",
        story.passages.len(),
        src.words,
        related
    );
    if unrelated > 0 {
        let _ = write!(h, " · {unrelated} unrelated");
    }
    h.push_str("</div>\n<p class=\"why\" id=\"source-reason\">");
    escape_into(h, &story.source_reason);
    h.push_str(
        "</p>\n<nav class=\"jump\"><a href=\"#outlets\">Outlets</a><a href=\"#matrix\">Passages</a>\
         <a href=\"#quotes\">Quotes</a><a href=\"#facts\">Facts</a><a href=\"#added\">Added</a></nav>\n</header>\n",
    );
}

fn outlets(story: &Story, h: &mut String) {
    let ranked = story.ranked_outlets();
    let _ = writeln!(
        h,
        "<section id=\"outlets\"><h2>Outlets, most changed first <span class=\"n\">{}</span></h2>",
        ranked.len()
    );
    h.push_str(
        "<table class=\"wide\"><thead><tr><th class=\"num\">Rank</th><th>Outlet</th><th>Date</th>\
         <th class=\"num\">Drift</th><th class=\"num\">Kept</th><th class=\"num\">Reworded</th>\
         <th class=\"num\">Dropped</th><th class=\"num\">Added</th><th class=\"num\">Quotes changed</th>\
         <th class=\"num\">Facts changed</th><th>Verdict</th><th></th></tr></thead><tbody>\n",
    );
    for a in &ranked {
        let quotes = a.quotes_altered + a.quotes_partial + a.speakers_changed;
        let _ = writeln!(
            h,
            "<tr data-article=\"{id}\"><td class=\"num\">{rank}</td><td><b>{outlet}</b><div class=\"sub\"><code>{id}</code></div></td>\
             <td>{date}</td><td class=\"num\">{drift:.3}<span class=\"bar\"><i style=\"width:{w:.0}%\"></i></span></td>\
             <td class=\"num\">{kept}</td><td class=\"num\">{rew}</td><td class=\"num\">{drop}</td><td class=\"num\">{add}</td>\
             <td class=\"num\">{quotes}</td><td class=\"num\">{facts}</td><td>{verdict}</td>\
             <td><a href=\"#{anchor}\">side by side</a></td></tr>",
            id = esc(&a.id),
            rank = a.rank.unwrap_or(0),
            outlet = esc(short(a)),
            date = esc(a.date.as_deref().unwrap_or("")),
            drift = a.drift,
            w = (a.drift.min(1.0) * 100.0),
            kept = a.kept,
            rew = a.reworded,
            drop = a.dropped,
            add = a.added,
            facts = a.facts_changed,
            verdict = esc(a.verdict.as_deref().unwrap_or("")),
            anchor = pair_anchor(story, &a.id),
        );
    }
    h.push_str("</tbody></table>\n");
    h.push_str(
        "<p class=\"sub\">Drift = share of source words not kept verbatim, plus ¼ of the share moved, \
         ¼ of the added words per source word (at most 1), 0.1 per changed quote and 0.05 per changed \
         number, date, name or list item. 0 is a verbatim copy.</p>\n",
    );
    let unrelated: Vec<&StoryArticle> = story.unrelated().collect();
    if !unrelated.is_empty() {
        h.push_str("<p id=\"unrelated\">Not about this story (left out of the tables): ");
        for (i, a) in unrelated.iter().enumerate() {
            if i > 0 {
                h.push_str(", ");
            }
            let _ = write!(
                h,
                "<a href=\"#{}\" data-article=\"{}\">{}</a>",
                pair_anchor(story, &a.id),
                esc(&a.id),
                esc(&describe(a))
            );
        }
        h.push_str("</p>\n");
    }
    h.push_str("</section>\n");
}

fn status_glyph(s: PassageStatus) -> &'static str {
    match s {
        PassageStatus::Kept => "=",
        PassageStatus::Reworded => "~",
        PassageStatus::Dropped => "×",
    }
}

fn column_heads(h: &mut String, cols: &[&StoryArticle], story: &Story) {
    for a in cols {
        let _ = write!(
            h,
            "<th data-article=\"{}\" title=\"{}\"><a href=\"#{}\">{}</a></th>",
            esc(&a.id),
            esc(&describe(a)),
            pair_anchor(story, &a.id),
            esc(&clip(short(a), 28))
        );
    }
}

fn matrix(story: &Story, h: &mut String) {
    let cols = columns(story);
    let outlets = &cols[1..];
    let _ = writeln!(
        h,
        "<section id=\"matrix\"><h2>Source passages by outlet <span class=\"n\">{}</span></h2>",
        story.passages.len()
    );
    h.push_str(
        "<div class=\"legend\"><span><span class=\"sw sw-kept\">=</span>kept verbatim</span>\
         <span><span class=\"sw sw-reworded\">~</span>reworded (hover for the outlet's wording)</span>\
         <span><span class=\"sw sw-dropped\">×</span>dropped</span><span>↕ moved</span>\
         <span>Columns: outlets, most changed first; click a cell or a name for the side-by-side view</span></div>\n",
    );
    h.push_str(
        "<div class=\"scroll\"><table class=\"matrix\"><thead><tr><th class=\"rowh\">#</th><th>Source passage</th>",
    );
    column_heads(h, outlets, story);
    h.push_str("</tr></thead><tbody>\n");
    for p in &story.passages {
        let _ = write!(
            h,
            "<tr data-passage=\"{}\"><td class=\"pn\">P{}</td><td class=\"txt\" title=\"{}\">{}</td>",
            p.number,
            p.number,
            esc(&p.text),
            esc(&clip(&p.text, 110))
        );
        for a in outlets {
            let Some(c) = p.by_article.get(&a.id) else {
                h.push_str("<td></td>");
                continue;
            };
            let mut tip = format!("{}: {}", a.id, c.status.as_str());
            if c.moved {
                tip.push_str(", moved");
            }
            if let Some(w) = &c.wording {
                tip.push_str(" — ");
                tip.push_str(&clip(&w.text, 400));
            }
            let _ = write!(
                h,
                "<td class=\"c s-{st}{mv}\" data-article=\"{id}\" data-status=\"{st}\" title=\"{tip}\">\
                 <a href=\"#{anchor}\">{g}</a></td>",
                st = c.status.as_str(),
                mv = if c.moved { " moved" } else { "" },
                id = esc(&a.id),
                tip = esc(&tip),
                anchor = pair_anchor(story, &a.id),
                g = status_glyph(c.status),
            );
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table></div>\n</section>\n");
}

fn state_glyph(s: QuoteState) -> &'static str {
    match s {
        QuoteState::Verbatim => "V",
        QuoteState::Altered => "A",
        QuoteState::Partial => "P",
        QuoteState::Absent => "–",
    }
}

fn diff_html(h: &mut String, parts: &[DiffPart]) {
    for p in parts {
        match p.op {
            DiffOp::Same => escape_into(h, &p.text),
            DiffOp::Deleted => {
                h.push_str("<del title=\"only in the reference\">");
                escape_into(h, &p.text);
                h.push_str("</del>");
            }
            DiffOp::Inserted => {
                h.push_str("<ins title=\"only in this version\">");
                escape_into(h, &p.text);
                h.push_str("</ins>");
            }
        }
    }
}

fn quotes(story: &Story, h: &mut String) {
    let cols = columns(story);
    let _ = writeln!(
        h,
        "<section id=\"quotes\"><h2>Quotes by article <span class=\"n\">{}</span></h2>",
        story.quotes.len()
    );
    if story.quotes.is_empty() {
        h.push_str("<p class=\"none\">No quotes.</p></section>\n");
        return;
    }
    h.push_str(
        "<div class=\"legend\"><span><span class=\"sw sw-verbatim\">V</span>verbatim</span>\
         <span><span class=\"sw sw-altered\">A</span>altered</span>\
         <span><span class=\"sw sw-partial\">P</span>partial (truncated)</span>\
         <span><span class=\"sw sw-absent\">–</span>absent</span><span>≠ another speaker</span>\
         <span>First column: the source</span></div>\n",
    );
    h.push_str(
        "<div class=\"scroll\"><table class=\"matrix\" id=\"quote-table\"><thead><tr><th class=\"rowh\">#</th><th>Quote</th>",
    );
    column_heads(h, &cols, story);
    h.push_str("</tr></thead><tbody>\n");
    for (i, q) in story.quotes.iter().enumerate() {
        let _ = write!(
            h,
            "<tr data-quote=\"{n}\"><td class=\"pn\">Q{n}</td><td class=\"txt\" title=\"{full}\">“{text}”\
             <div class=\"sub\">{who}</div></td>",
            n = i + 1,
            full = esc(&q.text),
            text = esc(&clip(&q.text, 100)),
            who = esc(q.speaker.as_deref().unwrap_or("speaker unknown")),
        );
        for a in &cols {
            let Some(&state) = q.by_article.get(&a.id) else {
                h.push_str("<td></td>");
                continue;
            };
            let v = q.versions.get(&a.id);
            let spk = v.is_some_and(|v| v.speaker_agreement == SpeakerAgreement::Different);
            let mut tip = format!("{}: {}", a.id, state.as_str());
            if let Some(v) = v {
                if let Some(s) = &v.speaker {
                    tip.push_str(&format!(" — speaker {s}"));
                }
                if v.inside_longer_quote {
                    tip.push_str(" (inside a longer quote)");
                }
            }
            let _ = write!(
                h,
                "<td class=\"c q-{st}{spk}\" data-article=\"{id}\" data-state=\"{st}\" title=\"{tip}\">\
                 <a href=\"#{anchor}\">{g}</a></td>",
                st = state.as_str(),
                spk = if spk { " spk" } else { "" },
                id = esc(&a.id),
                tip = esc(&tip),
                anchor = pair_anchor(story, &a.id),
                g = state_glyph(state),
            );
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table></div>\n");

    // The changed versions, with their diffs.
    let changed: Vec<(usize, &crate::story::StoryQuote)> = story
        .quotes
        .iter()
        .enumerate()
        .filter(|(_, q)| q.is_changed())
        .collect();
    for (i, q) in changed {
        let _ = write!(
            h,
            "<article class=\"quote\" id=\"quote-{n}\"><div class=\"who\">Q{n} · {who} · reference: <code>{origin}</code></div>\
             <div class=\"qtext\">“{text}”</div>",
            n = i + 1,
            who = esc(q.speaker.as_deref().unwrap_or("speaker unknown")),
            origin = esc(&q.origin),
            text = esc(&q.text)
        );
        for a in &cols {
            let (Some(state), Some(v)) = (q.by_article.get(&a.id), q.versions.get(&a.id)) else {
                continue;
            };
            let spk = v.speaker_agreement == SpeakerAgreement::Different;
            if !matches!(state, QuoteState::Altered | QuoteState::Partial) && !spk {
                continue;
            }
            let _ = write!(
                h,
                "<div class=\"version\" data-article=\"{id}\" data-state=\"{st}\"><span class=\"sw sw-{st}\">{g}</span>\
                 <a href=\"#{anchor}\">{name}</a> ",
                id = esc(&a.id),
                st = state.as_str(),
                g = state_glyph(*state),
                anchor = pair_anchor(story, &a.id),
                name = esc(short(a)),
            );
            if spk {
                h.push_str("gives it to <b>");
                escape_into(h, v.speaker.as_deref().unwrap_or(""));
                h.push_str("</b> ");
            }
            if !v.diff.is_empty() {
                h.push_str("<div class=\"qdiff\">“");
                diff_html(h, &v.diff);
                h.push_str("”</div>");
            }
            h.push_str("</div>");
        }
        h.push_str("</article>\n");
    }
    h.push_str("</section>\n");
}

fn facts(story: &Story, h: &mut String) {
    let _ = writeln!(
        h,
        "<section id=\"facts\"><h2>Changed facts <span class=\"n\">{}</span></h2>",
        story.facts.len()
    );
    if story.facts.is_empty() {
        h.push_str(
            "<p class=\"none\">No changed numbers, dates, names or list items.</p></section>\n",
        );
        return;
    }
    h.push_str(
        "<table class=\"wide\"><thead><tr><th>Outlet</th><th>Severity</th><th>Kind</th>\
         <th>Source</th><th>Outlet</th><th>Where</th></tr></thead><tbody>\n",
    );
    let val = |v: &Option<FactValue>| match v {
        Some(v) => format!("“{}”", esc(&clip(&v.text, 120))),
        None => "—".to_string(),
    };
    for a in story.ranked_outlets() {
        for f in story.facts.iter().filter(|f| f.id == a.id) {
            let (class, name) = match f.severity {
                Severity::High => ("sev-high", "high"),
                Severity::Medium => ("sev-medium", "medium"),
                Severity::Low => ("sev-low", "low"),
            };
            let _ = writeln!(
                h,
                "<tr data-article=\"{id}\"><td><a href=\"#{anchor}\">{name_o}</a></td><td class=\"{class}\">{name}</td>\
                 <td>{kind}</td><td>{a}</td><td>{b}</td><td>{where_}</td></tr>",
                id = esc(&a.id),
                anchor = pair_anchor(story, &a.id),
                name_o = esc(short(a)),
                kind = fact_kind_name(f.kind),
                a = val(&f.source_value),
                b = val(&f.article_value),
                where_ = if f.in_quote { "inside a quote" } else { "" },
            );
        }
    }
    h.push_str("</tbody></table>\n</section>\n");
}

fn added(story: &Story, h: &mut String) {
    let ranked = story.ranked_outlets();
    let total: usize = ranked.iter().map(|a| a.added).sum();
    let _ = writeln!(
        h,
        "<section id=\"added\"><h2>Added by outlets <span class=\"n\">{total}</span></h2>"
    );
    if total == 0 {
        h.push_str("<p class=\"none\">No outlet added passages.</p></section>\n");
        return;
    }
    for a in ranked.iter().filter(|a| a.added > 0) {
        let _ = write!(
            h,
            "<details open data-article=\"{}\"><summary><b>{}</b> · {} passages</summary><ul class=\"added\">",
            esc(&a.id),
            esc(&describe(a)),
            a.added
        );
        for p in &a.added_passages {
            h.push_str("<li>");
            escape_into(h, &p.text);
            h.push_str("</li>");
        }
        h.push_str("</ul></details>\n");
    }
    h.push_str("</section>\n");
}

fn pairs(story: &Story, h: &mut String) -> io::Result<()> {
    for (i, a) in story.articles[1..].iter().enumerate() {
        let Some(c) = &a.comparison else { continue };
        let mut page = Vec::new();
        crate::report::html::render(c, &mut page)?;
        let page = String::from_utf8_lossy(&page);
        let _ = write!(
            h,
            "<section class=\"pair\" id=\"pair-{n}\" data-article=\"{id}\"><div class=\"pair-head\">\
             <h2>{name} vs the source, side by side</h2><span class=\"sub\">A = source <code>{src}</code>, \
             B = <code>{id}</code></span><a class=\"back\" href=\"#matrix\">back to the matrix</a></div>\
             <iframe title=\"{name} vs the source\" data-srcdoc=\"",
            n = i + 1,
            id = esc(&a.id),
            name = esc(&describe(a)),
            src = esc(&story.source),
        );
        escape_into(h, &page);
        h.push_str("\"></iframe></section>\n");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::Article;
    use crate::story::{StoryOptions, build_story};

    #[test]
    fn article_text_never_becomes_markup() {
        let text = "The <b>council</b> & the \"board\" met on Monday to approve the harbour plan. \
                    \"We will <script>alert('x')</script> rebuild the wall,\" Mayor Ana Ruiz said.";
        let art = |id: &str, date: &str, t: &str| Article {
            id: id.into(),
            outlet: Some(format!("<i>{id}</i>")),
            date: Some(date.into()),
            text: t.into(),
            ..Article::default()
        };
        let story = build_story(
            vec![
                art("src", "2024-01-01", text),
                art("o\"1", "2024-01-02", &text.replace("rebuild", "repair")),
            ],
            &StoryOptions::default(),
        )
        .unwrap();
        let mut out = Vec::new();
        super::render(&story, &mut out).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert_eq!(
            html.matches("<script").count(),
            1,
            "only the report's script"
        );
        assert!(!html.contains("<b>council") && !html.contains("<i>src"));
        assert!(html.contains("&lt;b&gt;council&lt;/b&gt; &amp; the &quot;board&quot;"));
        assert!(html.contains("data-article=\"o&quot;1\""));
        // The side-by-side page is escaped once more inside its attribute.
        assert!(html.contains("data-srcdoc=\"&lt;!DOCTYPE html&gt;"));
        assert!(html.contains("<del title=\"only in the reference\">rebuild</del>"));
    }
}
