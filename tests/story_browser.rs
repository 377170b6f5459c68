//! End-to-end check of the HTML story report in real headless Chromium
//! (Debian package `chromium`, installed here when missing).
//!
//! The real binary writes the report of `samples/story-harbour-fire/`;
//! Chromium then
//! - dumps the DOM after scripts ran: the passage matrix and the quote
//!   table show the planted statuses for specific outlets, the unrelated
//!   article is listed but not in the tables, and nothing refers to an
//!   outside resource;
//! - from a wrapper page that loads the report in a frame, clicks an
//!   outlet's matrix cell and checks that the outlet's side-by-side view is
//!   shown with both articles, and reads the computed style of each matrix
//!   status (distinct colours and text styles);
//! - takes a screenshot, which must be a real PNG with content.

use std::path::Path;
use std::process::Command;

mod common;
use common::browser::chromium;

fn tag_with<'a>(dom: &'a str, attrs: &[&str]) -> &'a str {
    let mut from = 0;
    while let Some(i) = dom[from..].find('<') {
        let start = from + i;
        let end = start + dom[start..].find('>').unwrap();
        let tag = &dom[start..=end];
        if attrs.iter().all(|a| tag.contains(a)) {
            return tag;
        }
        from = end;
    }
    panic!("no element with {attrs:?}");
}

fn section<'a>(dom: &'a str, id: &str) -> &'a str {
    let start = dom
        .find(&format!("<section id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = start + dom[start..].find("</section>").unwrap();
    &dom[start..end]
}

/// The `data-status` (or `data-state`) of every cell of `article` in the
/// table of `sec`, in row order.
fn cells(sec: &str, article: &str, attr: &str) -> Vec<String> {
    let key = format!("data-article=\"{article}\" {attr}=\"");
    sec.match_indices(&key)
        .map(|(i, _)| {
            let s = i + key.len();
            sec[s..s + sec[s..].find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn story_report_in_headless_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temp dir");
    let report = dir.path().join("story.html");
    let o = Command::new(env!("CARGO_BIN_EXE_neardiff"))
        .current_dir(root)
        .args(["story", "--format", "html", "-o"])
        .arg(&report)
        .arg("samples/story-harbour-fire")
        .output()
        .expect("run neardiff");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let url = format!("file://{}", report.display());
    let probe = dir.path().join("probe.html");
    std::fs::write(&probe, PROBE).unwrap();

    let (dom, probed, png) = std::thread::scope(|s| {
        let d = dir.path();
        let dom = s.spawn(|| {
            chromium(
                d,
                "dom",
                &["--dump-dom", "--virtual-time-budget=2000"],
                &url,
            )
        });
        let probed = s.spawn(|| {
            chromium(
                d,
                "probe",
                &[
                    "--dump-dom",
                    "--virtual-time-budget=5000",
                    "--allow-file-access-from-files",
                ],
                &format!("file://{}", probe.display()),
            )
        });
        let shot = d.join("story.png");
        let flag = format!("--screenshot={}", shot.display());
        chromium(d, "shot", &[&flag, "--window-size=1400,1000"], &url);
        (
            dom.join().unwrap(),
            probed.join().unwrap(),
            std::fs::read(&shot).expect("screenshot written"),
        )
    });

    assert!(
        dom.contains("data-js=\"ready\""),
        "the report's script did not run"
    );
    // The source and why.
    assert!(dom.contains("Source <code>wire</code>"));
    assert!(dom.contains("id=\"source-reason\""));

    // The matrix: 27 source passages; outlet-copy all kept; outlet-trimmed
    // kept then dropped; outlet-altered's quote and number passages
    // reworded; the unrelated article not in it.
    let matrix = section(&dom, "matrix");
    let copy = cells(matrix, "outlet-copy", "data-status");
    assert!(
        copy.len() >= 16 && copy.iter().all(|s| s == "kept"),
        "{copy:?}"
    );
    let trimmed = cells(matrix, "outlet-trimmed", "data-status");
    assert_eq!(trimmed.len(), copy.len());
    let first_drop = trimmed.iter().position(|s| s == "dropped").unwrap();
    assert!(first_drop > 5);
    assert!(trimmed[..first_drop].iter().all(|s| s == "kept"));
    assert!(trimmed[first_drop..].iter().all(|s| s == "dropped"));
    let altered = cells(matrix, "outlet-altered", "data-status");
    assert_eq!(altered.iter().filter(|s| *s == "reworded").count(), 2);
    assert!(
        cells(matrix, "outlet-reworded", "data-status")
            .iter()
            .any(|s| s == "reworded")
    );
    assert!(!matrix.contains("data-article=\"outlet-unrelated\""));
    assert!(matrix.contains("class=\"legend\""));

    // The quote table: Adeyemi's first quote altered by outlet-altered; her
    // second truncated by outlet-expanded, which drops Marr's "We will
    // rebuild" quote.
    let quotes = section(&dom, "quotes");
    let row = |start: &str| -> &str {
        let i = quotes
            .find(start)
            .unwrap_or_else(|| panic!("no quote row {start}"));
        let s = quotes[..i].rfind("<tr ").unwrap();
        &quotes[s..s + quotes[s..].find("</tr>").unwrap()]
    };
    let difficult = row("“This was one of the most difficult fires");
    assert_eq!(
        cells(difficult, "outlet-altered", "data-state"),
        ["altered"]
    );
    assert_eq!(cells(difficult, "outlet-copy", "data-state"), ["verbatim"]);
    assert_eq!(cells(difficult, "wire", "data-state"), ["verbatim"]);
    let panels = row("“The buildings were full of insulation panels");
    assert_eq!(cells(panels, "outlet-expanded", "data-state"), ["partial"]);
    let rebuild = row("“We will rebuild on Hallam Quay");
    assert_eq!(cells(rebuild, "outlet-expanded", "data-state"), ["absent"]);
    assert_eq!(cells(rebuild, "outlet-copy", "data-state"), ["verbatim"]);
    // The altered version's word diff.
    assert!(quotes.contains("<del title=\"only in the reference\">difficult</del>"));
    assert!(quotes.contains("<ins title=\"only in this version\">dangerous</ins>"));
    // The unrelated article is listed, with a link to its view.
    tag_with(
        &dom,
        &["data-article=\"outlet-unrelated\"", "href=\"#pair-"],
    );

    // Nothing is loaded from outside (the side-by-side pages are escaped
    // inside attributes and checked as text too).
    let lower = dom.to_ascii_lowercase();
    for bad in [
        "src=\"http",
        "href=\"http",
        "src=&quot;http",
        "@import",
        "url(",
        "<link",
    ] {
        assert!(!lower.contains(bad), "external reference {bad}");
    }

    check_probe(&probed);
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "screenshot is not a PNG"
    );
    assert!(png.len() > 40_000, "screenshot is only {} bytes", png.len());
    if let Ok(keep) = std::env::var("NEARDIFF_KEEP_SCREENSHOT") {
        std::fs::write(keep, &png).unwrap();
    }
}

/// Loads the report in a frame, reads the style of each matrix status,
/// then clicks outlet-altered's first matrix cell and reports what the
/// side-by-side view shows.
const PROBE: &str = r#"<!DOCTYPE html><html><body><pre id="out">pending</pre>
<iframe id="f" src="story.html" width="1400" height="900"></iframe>
<script>
window.addEventListener('load', function () {
  var out = [];
  function done() { document.getElementById('out').textContent = out.join('\n'); }
  try {
    var d = document.getElementById('f').contentDocument;
    var w = d.defaultView;
    ['kept', 'reworded', 'dropped'].forEach(function (s) {
      var el = d.querySelector('#matrix td.c[data-status="' + s + '"]');
      var cs = w.getComputedStyle(el);
      out.push('style|' + s + '|' + cs.backgroundColor + '|' + cs.textDecorationLine + '|' + cs.fontStyle + '|' + el.textContent);
    });
    var before = d.querySelectorAll('section.pair.shown').length;
    var link = d.querySelector('#matrix td.c[data-article="outlet-altered"] a');
    link.click();
    setTimeout(function () {
      try {
        var sec = d.querySelector('section.pair.shown');
        out.push('shown|' + before + '|' + (sec ? sec.getAttribute('data-article') : 'none') + '|' + (sec ? sec.offsetHeight : 0));
        var f = sec.querySelector('iframe');
        var inner = f.contentDocument;
        out.push('frame|' + inner.querySelectorAll('#text-a, #text-b').length + '|' + f.offsetHeight + '|' +
          (inner.querySelector('#altered-quotes') ? inner.querySelector('#altered-quotes').textContent.indexOf('dangerous') >= 0 : false));
      } catch (e) { out.push('error|' + e); }
      done();
    }, 800);
  } catch (e) { out.push('error|' + e); done(); }
});
</script></body></html>"#;

fn check_probe(dom: &str) {
    let start = dom.find("<pre id=\"out\">").expect("probe output") + "<pre id=\"out\">".len();
    let text = &dom[start..start + dom[start..].find("</pre>").unwrap()];
    assert!(!text.contains("error|") && text != "pending", "{text}");
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('|').collect()).collect();
    let style = |s: &str| {
        rows.iter()
            .find(|r| r[0] == "style" && r[1] == s)
            .unwrap_or_else(|| panic!("no style for {s}:\n{text}"))
            .clone()
    };
    let (kept, rew, drop) = (style("kept"), style("reworded"), style("dropped"));
    // Three different colours...
    assert!(
        kept[2] != rew[2] && rew[2] != drop[2] && kept[2] != drop[2],
        "{text}"
    );
    // ...and not colour alone: symbol and text style differ too.
    assert_eq!((kept[3], kept[5]), ("none", "="), "{text}");
    assert_eq!(
        (rew[3], rew[4], rew[5]),
        ("underline", "italic", "~"),
        "{text}"
    );
    assert_eq!((drop[3], drop[5]), ("line-through", "×"), "{text}");
    // Clicking the cell shows outlet-altered's side-by-side view, which
    // loaded the pairwise report with both articles and the altered quote.
    let shown = rows.iter().find(|r| r[0] == "shown").expect("shown row");
    assert_eq!(shown[1], "0", "no pair view before the click: {text}");
    assert_eq!(shown[2], "outlet-altered", "{text}");
    assert!(shown[3].parse::<u32>().unwrap() > 300, "{text}");
    let frame = rows.iter().find(|r| r[0] == "frame").expect("frame row");
    assert_eq!(frame[1], "2", "{text}");
    assert!(frame[2].parse::<u32>().unwrap() > 300, "{text}");
    assert_eq!(frame[3], "true", "{text}");
}
