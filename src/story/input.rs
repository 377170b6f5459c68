//! Reading the articles of a story from files, directories and JSON Lines.
//!
//! * A **file** is one article (plain text or a JSON object, see
//!   [`read_article`]), unless its name ends in `.jsonl` or `.ndjson`:
//!   then every non-blank line is one JSON article. An article of a JSON
//!   Lines file without an `id` field gets `NAME:LINE` (file name without
//!   extension, 1-based line).
//! * A **directory** is read one level deep (not recursively): every
//!   regular file whose name does not start with `.`, in byte order of the
//!   file names, each read as above.
//! * `-` is one article from standard input.

use std::path::{Path, PathBuf};

use crate::article::{
    Article, FieldMap, decode_text, default_id, parse_json_article, read_article, read_input,
};
use crate::error::{Error, ErrorKind, IoOp, Result};

/// Reads every article named by `paths`, in order.
pub fn read_articles(paths: &[PathBuf]) -> Result<Vec<Article>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() != "-" && p.is_dir() {
            for f in directory_files(p)? {
                read_file(&f, &mut out)?;
            }
        } else {
            read_file(p, &mut out)?;
        }
    }
    Ok(out)
}

/// The files of a directory, one level deep, sorted by name.
fn directory_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io_at(IoOp::Read, dir, e))?;
    let mut files = Vec::new();
    for entry in rd {
        let entry = entry.map_err(|e| Error::io_at(IoOp::Read, dir, e))?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        // Follows symbolic links: a link to a file is read.
        if path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn is_jsonl(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"))
}

fn read_file(p: &Path, out: &mut Vec<Article>) -> Result<()> {
    if is_jsonl(p) {
        let (bytes, name) = read_input(p)?;
        let n = out.len();
        parse_jsonl(&bytes, &default_id(p), out).map_err(|e| e.with_source(name.clone()))?;
        if out.len() == n {
            return Err(Error::new(ErrorKind::EmptyText).with_source(name));
        }
        Ok(())
    } else {
        out.push(read_article(p)?);
        Ok(())
    }
}

/// Parses JSON Lines: one article object per non-blank line. Errors carry
/// the 1-based line.
pub fn parse_jsonl(bytes: &[u8], stem: &str, out: &mut Vec<Article>) -> Result<()> {
    let text = decode_text(bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let id = format!("{stem}:{line_no}");
        let article = parse_json_article(line, &id, &FieldMap::default()).map_err(|e| {
            // The line is one line of the file: its column says where.
            let e = match e.kind() {
                ErrorKind::Json {
                    column, message, ..
                } => Error::new(ErrorKind::Field(format!(
                    "malformed JSON at column {column}: {message}"
                ))),
                _ => e,
            };
            e.with_line(line_no)
        })?;
        if article.text.trim().is_empty() {
            return Err(Error::new(ErrorKind::EmptyText).with_line(line_no));
        }
        out.push(article);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_lines_and_ids() {
        let mut out = Vec::new();
        let src = b"{\"id\":\"a\",\"text\":\"One.\"}\n\n{\"text\":\"Two.\",\"outlet\":\"O\"}\n";
        parse_jsonl(src, "feed", &mut out).unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].id, "a");
        assert_eq!(out[1].id, "feed:3");
        assert_eq!(out[1].outlet.as_deref(), Some("O"));
    }

    #[test]
    fn jsonl_errors_name_the_line() {
        let mut out = Vec::new();
        let e = parse_jsonl(b"{\"text\":\"ok\"}\n{\"text\": 1,,}\n", "f", &mut out).unwrap_err();
        let msg = e.with_source("f.jsonl").to_string();
        assert!(
            msg.starts_with("f.jsonl:2: malformed JSON at column"),
            "{msg}"
        );
        let e = parse_jsonl(b"{\"title\":\"x\"}\n", "f", &mut Vec::new()).unwrap_err();
        assert!(
            e.with_source("f.jsonl")
                .to_string()
                .starts_with("f.jsonl:1: missing")
        );
        let e = parse_jsonl(b"\n\n{\"text\":\"  \"}\n", "f", &mut Vec::new()).unwrap_err();
        assert!(
            e.with_source("f.jsonl")
                .to_string()
                .starts_with("f.jsonl:3: the article has no text")
        );
    }

    #[test]
    fn directory_is_sorted_and_skips_hidden_files_and_subdirectories() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("b.txt"), "Bee.").unwrap();
        std::fs::write(d.path().join("a.txt"), "Ay.").unwrap();
        std::fs::write(d.path().join(".hidden"), "x").unwrap();
        std::fs::create_dir(d.path().join("sub")).unwrap();
        std::fs::write(d.path().join("sub/c.txt"), "Sea.").unwrap();
        std::fs::write(d.path().join("feed.jsonl"), "{\"text\":\"Feed.\"}\n").unwrap();
        let a = read_articles(&[d.path().to_path_buf()]).unwrap();
        let ids: Vec<&str> = a.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "feed:1"]);
    }
}
