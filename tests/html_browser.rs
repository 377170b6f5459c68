//! End-to-end check of the HTML report in real headless Chromium (Debian
//! package `chromium`, installed here when missing).
//!
//! The report is rendered from `tests/fixtures/report-comparison.json`, a
//! hand-built comparison whose texts contain `<script>`, `&`, quotes, `|`
//! and `*`. Chromium then
//! - dumps the DOM after scripts ran: the altered quotes come before the
//!   article columns, every span label is there, both article texts are
//!   there byte for byte, nothing refers to an outside resource, and the
//!   report's script ran;
//! - reports the computed colour and text decoration of each label, from a
//!   wrapper page that loads the report in a frame, so the CSS is checked as
//!   rendered and not only as written;
//! - takes a 1400×1000 screenshot, which must be a real PNG of that size
//!   with some content.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::browser::chromium;

use neardiff::compare::{Comparison, QuoteStatus};

fn fixture() -> Comparison {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/report-comparison.json"
    );
    let json = std::fs::read_to_string(path).expect("read fixture");
    serde_json::from_str(&json).expect("fixture is a neardiff.compare/4 comparison")
}

/// Renders the report of `c` into `dir/report.html`.
fn write_report(c: &Comparison, dir: &Path) -> PathBuf {
    let mut html = Vec::new();
    neardiff::report::html::render(c, &mut html).expect("render");
    let path = dir.join("report.html");
    std::fs::write(&path, html).expect("write report");
    path
}

fn file_url(p: &Path) -> String {
    format!("file://{}", p.display())
}

/// Decodes the five entities a serialised DOM or the report may use.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// Text content of the element whose start tag contains `marker`, up to the
/// next `</div>` (article columns hold only `<p>` and `<span>`).
fn column_text(dom: &str, marker: &str) -> String {
    let at = dom
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in DOM"));
    let start = at + dom[at..].find('>').unwrap() + 1;
    let end = start + dom[start..].find("</div>").unwrap();
    let mut out = String::new();
    let mut in_tag = false;
    for ch in dom[start..end].chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    unescape(&out)
}

/// Values of every `name="..."` attribute in `dom`.
fn attribute_values<'a>(dom: &'a str, name: &str) -> Vec<&'a str> {
    let key = format!(" {name}=\"");
    dom.match_indices(&key)
        .map(|(i, _)| {
            let s = i + key.len();
            &dom[s..s + dom[s..].find('"').unwrap()]
        })
        .collect()
}

/// What every report must show, whatever the comparison.
fn check_dom(c: &Comparison, dom: &str) {
    assert!(
        dom.contains("data-js=\"ready\""),
        "the report's script did not run"
    );
    let at = |s: &str| dom.find(s).unwrap_or_else(|| panic!("{s} not in DOM"));
    assert!(at("id=\"altered-quotes\"") < at("id=\"facts\""));
    assert!(at("id=\"facts\"") < at("id=\"articles\""));
    assert!(at("id=\"altered-quotes\"") < at("id=\"text-a\""));
    assert!(at("id=\"text-a\"") < at("id=\"text-b\""));

    // Both articles, byte for byte, in their columns.
    assert_eq!(column_text(dom, "id=\"text-a\""), c.a.text);
    assert_eq!(column_text(dom, "id=\"text-b\""), c.b.text);
    // Every label the comparison uses is shown in its column.
    let a_col = &dom[at("id=\"text-a\"")..at("id=\"text-b\"")];
    let b_col = &dom[at("id=\"text-b\"")..];
    for (side, col, name) in [(&c.a, a_col, "A"), (&c.b, b_col, "B")] {
        for s in &side.spans {
            let label = serde_json::to_value(s.label).unwrap();
            let attr = format!("data-label=\"{}\"", label.as_str().unwrap());
            assert!(col.contains(&attr), "{attr} missing in {name}");
        }
    }
    // One card per altered quote.
    let altered = c
        .quotes
        .iter()
        .filter(|q| {
            matches!(
                q.status,
                QuoteStatus::Altered | QuoteStatus::SpeakerChanged | QuoteStatus::Partial
            )
        })
        .count();
    assert_eq!(dom.matches("<article class=\"quote ").count(), altered);

    // Article text never became markup.
    assert_eq!(
        dom.matches("<script").count(),
        1,
        "only the report's script"
    );

    // Nothing is loaded from outside.
    for name in ["src", "href", "action", "srcset", "poster", "data"] {
        for v in attribute_values(dom, name) {
            let v = v.trim().to_ascii_lowercase();
            assert!(
                !(v.starts_with("http:") || v.starts_with("https:") || v.starts_with("//")),
                "external reference {name}=\"{v}\""
            );
        }
    }
    assert!(!dom.contains("<link") && !dom.contains("@import") && !dom.contains("url("));
}

#[test]
fn html_report_in_headless_chromium() {
    let c = fixture();
    let dir = tempfile::tempdir().expect("temp dir");
    let report = write_report(&c, dir.path());
    let url = file_url(&report);

    // A page that reads the computed style of each label inside the report.
    let probe = dir.path().join("probe.html");
    std::fs::write(&probe, PROBE).unwrap();

    let (dom, styles, png) = std::thread::scope(|s| {
        let d = dir.path();
        let dom = s.spawn(|| {
            chromium(
                d,
                "dom",
                &["--dump-dom", "--virtual-time-budget=2000"],
                &url,
            )
        });
        let styles = s.spawn(|| {
            chromium(
                d,
                "styles",
                &[
                    "--dump-dom",
                    "--virtual-time-budget=2000",
                    "--allow-file-access-from-files",
                ],
                &file_url(&probe),
            )
        });
        let shot = d.join("report.png");
        let shot_flag = format!("--screenshot={}", shot.display());
        chromium(
            d,
            "screenshot",
            &[&shot_flag, "--window-size=1400,1000"],
            &url,
        );
        (
            dom.join().unwrap(),
            styles.join().unwrap(),
            std::fs::read(&shot).expect("screenshot written"),
        )
    });

    check_dom(&c, &dom);
    // The fixture's own content: the quote diff, and its markup-like text
    // shown as text.
    assert!(dom.contains("<del title=\"only in A\">an important</del>"));
    assert!(dom.contains("<ins title=\"only in B\">a key</ins>"));
    assert!(dom.contains("&lt;script&gt;alert('x')&lt;/script&gt;"));
    assert!(!dom.contains("<fast>") && !dom.contains("<my>"));
    check_styles(&styles);
    check_png(&png);
    if let Ok(keep) = std::env::var("NEARDIFF_KEEP_SCREENSHOT") {
        std::fs::write(keep, &png).unwrap();
    }
}

/// Loads `report.html` in a frame and writes, for each label, its computed
/// background colour and text decoration into `<pre id="out">`.
const PROBE: &str = r#"<!DOCTYPE html><html><body><pre id="out">pending</pre>
<iframe id="f" src="report.html" width="1400" height="900"></iframe>
<script>
window.addEventListener('load', function () {
  var out = [];
  try {
    var d = document.getElementById('f').contentDocument;
    ['same', 'changed', 'dropped', 'added'].forEach(function (l) {
      var el = d.querySelector('.article-text [data-label="' + l + '"]');
      if (!el) { out.push(l + '|missing'); return; }
      var cs = d.defaultView.getComputedStyle(el);
      out.push(l + '|' + cs.backgroundColor + '|' + cs.textDecorationLine + '|' + cs.color);
    });
    ['del', 'ins'].forEach(function (t) {
      var el = d.querySelector('#altered-quotes ' + t);
      var cs = d.defaultView.getComputedStyle(el);
      out.push(t + '|' + cs.backgroundColor + '|' + cs.textDecorationLine + '|' + cs.color);
    });
    // Hovering a reworded passage in A highlights its partner in B.
    var a = d.querySelector('#text-a [data-kind="reworded"]');
    var p = a.getAttribute('data-passage');
    a.dispatchEvent(new d.defaultView.MouseEvent('mouseover', {bubbles: true}));
    out.push('hover|' + d.querySelectorAll('#text-b .linked[data-passage="' + p + '"]').length +
      '|' + d.querySelectorAll('.linked:not([data-passage="' + p + '"])').length);
    // Following a quote link flashes the quote in its article.
    var link = d.querySelector('#altered-quotes a[data-quote="b1"]');
    link.dispatchEvent(new d.defaultView.MouseEvent('click', {bubbles: true, cancelable: true}));
    out.push('flash|' + d.querySelectorAll('#text-b .flash[data-quote="b1"]').length + '|');
  } catch (e) { out.push('error|' + e); }
  document.getElementById('out').textContent = out.join('\n');
});
</script></body></html>"#;

fn check_styles(dom: &str) {
    let start = dom.find("<pre id=\"out\">").expect("probe output") + "<pre id=\"out\">".len();
    let text = &dom[start..start + dom[start..].find("</pre>").unwrap()];
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('|').collect()).collect();
    let get = |name: &str| -> (&str, &str) {
        let r = rows
            .iter()
            .find(|r| r[0] == name)
            .unwrap_or_else(|| panic!("no style for {name} in probe output:\n{text}"));
        assert!(r.len() >= 3, "{name}: {r:?}\n{text}");
        (r[1], r[2])
    };
    let (same_bg, same_deco) = get("same");
    let (changed_bg, changed_deco) = get("changed");
    let (dropped_bg, dropped_deco) = get("dropped");
    let (added_bg, added_deco) = get("added");
    // `same` has no colour; the others each have their own.
    assert_eq!(same_bg, "rgba(0, 0, 0, 0)", "{text}");
    let coloured = [changed_bg, dropped_bg, added_bg];
    for (i, bg) in coloured.iter().enumerate() {
        assert!(
            bg.starts_with("rgb(") && *bg != "rgb(255, 255, 255)",
            "{text}"
        );
        assert!(
            !coloured[i + 1..].contains(bg),
            "two labels share {bg}:\n{text}"
        );
    }
    // And a decoration each, so colour is not the only cue.
    assert_eq!(same_deco, "none", "{text}");
    assert_eq!(changed_deco, "underline", "{text}");
    assert_eq!(dropped_deco, "line-through", "{text}");
    assert_eq!(added_deco, "underline", "{text}");
    // The report's script links passages and quotes to the text.
    let (hover_partner, hover_other) = get("hover");
    assert!(hover_partner.parse::<usize>().unwrap() >= 1, "{text}");
    assert_eq!(hover_other, "0", "{text}");
    assert!(get("flash").0.parse::<usize>().unwrap() >= 1, "{text}");
    // In the quote diff, deleted words are struck and inserted ones are not.
    assert_eq!(get("del"), (dropped_bg, "line-through"), "{text}");
    assert_eq!(get("ins").0, added_bg, "{text}");
}

fn check_png(png: &[u8]) {
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "screenshot is not a PNG"
    );
    // IHDR: width and height, big-endian, right after the chunk header.
    let be = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
    assert_eq!(&png[12..16], b"IHDR");
    assert_eq!((be(16), be(20)), (1400, 1000), "screenshot size");
    // A blank or nearly blank page compresses to a few KB.
    assert!(
        png.len() > 40_000,
        "screenshot is only {} bytes: the page looks empty",
        png.len()
    );
}

/// The real binary on the bundled Knesset pair, as a user would run it.
#[test]
fn html_report_of_the_knesset_samples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |format: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_neardiff"))
            .current_dir(root)
            .args([
                "compare",
                "--format",
                format,
                "samples/knesset-azerbaijan-newsaz.txt",
                "samples/knesset-azerbaijan-jns.txt",
            ])
            .output()
            .expect("run neardiff");
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "neardiff compare --format {format} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let c: Comparison = serde_json::from_slice(&run("json")).expect("JSON report");
    let dir = tempfile::tempdir().expect("temp dir");
    let report = dir.path().join("report.html");
    std::fs::write(&report, run("html")).unwrap();
    let url = file_url(&report);
    let dom = chromium(
        dir.path(),
        "dom",
        &["--dump-dom", "--virtual-time-budget=2000"],
        &url,
    );
    check_dom(&c, &dom);
    // What the issue asks a reader to see first: the Prime Minister's Office
    // quote as altered, with its word changes, and 'I seek my brothers' as a
    // quote only B has.
    let quotes =
        &dom[dom.find("id=\"altered-quotes\"").unwrap()..dom.find("id=\"facts\"").unwrap()];
    assert!(quotes.contains("an important</del>"), "{quotes}");
    assert!(quotes.contains("a key</ins>"), "{quotes}");
    assert!(quotes.contains("I seek my brothers"), "{quotes}");
    let shot = dir.path().join("report.png");
    let flag = format!("--screenshot={}", shot.display());
    chromium(
        dir.path(),
        "screenshot",
        &[&flag, "--window-size=1400,1000"],
        &url,
    );
    check_png(&std::fs::read(&shot).expect("screenshot written"));
}
