//! Streaming corpus input: files, directories and JSON Lines read in
//! batches of raw records, so that a corpus is never held in memory whole.
//!
//! * A directory is walked recursively in sorted order (by file name
//!   bytes), taking `.jsonl`, `.ndjson`, `.json` and `.txt` files and
//!   skipping hidden entries; symbolic links to directories are not
//!   followed.
//! * `.jsonl` / `.ndjson` files and `-` (stdin) are JSON Lines: one article
//!   object per line, blank lines skipped. An article without an id gets
//!   `<file stem>:<line>` (`stdin:<line>` for stdin).
//! * Any other file is one article: a JSON object, or plain text with
//!   optional metadata (see [`crate::parse_article`]); its id defaults to
//!   the file stem.
//!
//! Records are parsed by [`RawRecord::parse`], typically in parallel by the
//! caller; an error there names the file and line.
//!
//! Inputs are read into buffers. A caller that can promise the files stay
//! whole may instead let a plain JSON Lines file be memory-mapped a window
//! at a time (up to 4 MiB, the pages populated when the window is mapped):
//! `Input::allow_mapping`, an `unsafe` call, available with the `mmap`
//! feature; the `neardiff` command does so. The pages of a mapped file are
//! already in the page cache, so this saves a copy of the input and a
//! buffer of fresh memory per window. A window is unmapped when the last
//! record in it is dropped, so at most a few windows are resident. The
//! contract: the file must not be cut short while it is read, since a page
//! past its new end could not be read and the system would stop the
//! process (`SIGBUS`). Appending to it is harmless (the run reads the
//! length it had when opened). Stdin, gzip streams, pipes and devices are
//! always read into buffers.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::article::{
    Article, FieldMap, Keep, decode_text, decode_utf8, parse_json_article_into,
    parse_json_article_with, parse_plain_text,
};
use crate::error::{Error, IoOp, Result};

/// How one input file is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// One JSON object per line.
    JsonLines,
    /// The whole file is one article (JSON object or plain text).
    Single,
}

/// One input: a path (or `-`) and how to read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// The path, or `-` for stdin.
    pub path: PathBuf,
    /// How it is read.
    pub format: InputFormat,
    /// Whether a plain JSON Lines file may be memory-mapped
    /// (`Input::allow_mapping`).
    map: bool,
}

impl Input {
    /// An input read into buffers.
    pub fn new(path: PathBuf, format: InputFormat) -> Input {
        Input {
            path,
            format,
            map: false,
        }
    }

    /// Lets a plain JSON Lines file be memory-mapped a window at a time
    /// instead of read into buffers (stdin, gzip streams and other files
    /// are read into buffers still).
    ///
    /// # Safety
    ///
    /// The file must not be cut short (truncated, or replaced in place by a
    /// shorter one) while it is read: reading a mapped page past the file's
    /// new end stops the process with `SIGBUS`. Appending to it, or
    /// replacing it by a rename, is harmless.
    #[cfg(feature = "mmap")]
    pub unsafe fn allow_mapping(mut self) -> Input {
        self.map = true;
        self
    }
}

/// True for a gzip-compressed file (`.gz`), read through a decoder.
fn is_gzip(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()) == Some("gz")
}

/// The path without a `.gz` extension (`news.jsonl.gz` is `news.jsonl`).
fn without_gz(path: &Path) -> &Path {
    if is_gzip(path) {
        path.file_stem().map(Path::new).unwrap_or(path)
    } else {
        path
    }
}

fn is_jsonl(path: &Path) -> bool {
    matches!(
        without_gz(path).extension().and_then(|e| e.to_str()),
        Some("jsonl" | "ndjson")
    )
}

fn is_corpus_file(path: &Path) -> bool {
    matches!(
        without_gz(path).extension().and_then(|e| e.to_str()),
        Some("jsonl" | "ndjson" | "json" | "txt")
    )
}

/// The bytes the inputs will give when read, when every input is a plain
/// file (not stdin, not compressed); else `None`.
pub fn expected_bytes(inputs: &[Input]) -> Option<u64> {
    inputs
        .iter()
        .map(|i| {
            if i.path.as_os_str() == "-" || is_gzip(&i.path) {
                None
            } else {
                std::fs::metadata(&i.path).ok().map(|m| m.len())
            }
        })
        .sum()
}

/// Expands command-line paths into inputs: directories are walked
/// recursively in sorted order; files keep the order given.
pub fn expand_inputs(paths: &[PathBuf]) -> Result<Vec<Input>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::new(p.clone(), InputFormat::JsonLines));
            continue;
        }
        let meta = std::fs::metadata(p).map_err(|e| Error::io_at(IoOp::Access, p, e))?;
        if meta.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push(input_for(p.clone()));
        }
    }
    Ok(out)
}

fn input_for(path: PathBuf) -> Input {
    let format = if is_jsonl(&path) {
        InputFormat::JsonLines
    } else {
        InputFormat::Single
    };
    Input::new(path, format)
}

fn walk(dir: &Path, out: &mut Vec<Input>) -> Result<()> {
    let mut entries: Vec<(PathBuf, std::fs::FileType)> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io_at(IoOp::Read, dir, e))? {
        let entry = entry.map_err(|e| Error::io_at(IoOp::Read, dir, e))?;
        if entry.file_name().as_encoded_bytes().starts_with(b".") {
            continue;
        }
        let ty = entry
            .file_type()
            .map_err(|e| Error::io_at(IoOp::Access, &entry.path(), e))?;
        entries.push((entry.path(), ty));
    }
    entries.sort_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
    for (path, ty) in entries {
        if ty.is_dir() {
            walk(&path, out)?;
        } else if (ty.is_file() || (ty.is_symlink() && path.is_file())) && is_corpus_file(&path) {
            out.push(input_for(path));
        }
    }
    Ok(())
}

/// One unparsed article: its bytes and where they came from.
#[derive(Clone, Debug)]
pub struct RawRecord {
    /// Display name of the file (`<stdin>` for stdin).
    pub source: Arc<str>,
    /// 1-based line for JSON Lines records.
    pub line: Option<usize>,
    /// Whether the bytes are one JSON Lines line.
    pub format: InputFormat,
    /// What [`RawRecord::default_id`] is made of: the file stem (the whole
    /// id for a single-article file).
    stem: Arc<str>,
    /// The block of input holding the bytes, shared by the records read
    /// from it.
    data: Arc<Block>,
    range: std::ops::Range<usize>,
}

impl RawRecord {
    /// A record of the given bytes (tests, library use).
    pub fn new(
        source: &str,
        line: Option<usize>,
        stem: &str,
        format: InputFormat,
        bytes: Vec<u8>,
    ) -> RawRecord {
        let range = 0..bytes.len();
        RawRecord {
            source: source.into(),
            line,
            format,
            stem: stem.into(),
            data: Arc::new(Block::Read(bytes)),
            range,
        }
    }

    /// The bytes (one line without its end, or a whole file).
    pub fn bytes(&self) -> &[u8] {
        &self.data[self.range.clone()]
    }

    /// The id used when the article has none: `<file stem>:<line>` for a
    /// JSON Lines record, the file stem for a single-article file.
    pub fn default_id(&self) -> String {
        match self.line {
            Some(l) => format!("{}:{l}", self.stem),
            None => self.stem.to_string(),
        }
    }

    /// Parses the record into an article; errors name the file and line.
    /// An empty text is not an error (the commands count such an article
    /// as too short to compare).
    pub fn parse(&self, fields: &FieldMap) -> Result<Article> {
        self.parse_keep(fields, Keep::ALL)
    }

    /// [`RawRecord::parse`] keeping only the JSON fields of `keep` (the
    /// others are skipped unchecked); plain text keeps all its metadata.
    pub fn parse_keep(&self, fields: &FieldMap, keep: Keep) -> Result<Article> {
        self.located(self.parse_inner(fields, keep, None))
    }

    /// [`RawRecord::parse_keep`] with the article's body written into
    /// `body` (cleared first) and its `text` left empty, for a reader that
    /// only scans the body: one buffer serves every record instead of a
    /// new string each. Same articles, same errors.
    pub fn parse_keep_into(
        &self,
        fields: &FieldMap,
        keep: Keep,
        body: &mut String,
    ) -> Result<Article> {
        self.located(self.parse_inner(fields, keep, Some(body)))
    }

    /// Names the file and line in an error.
    fn located<T>(&self, r: Result<T>) -> Result<T> {
        r.map_err(|e| {
            let e = e.with_source(self.source.to_string());
            match self.line {
                Some(l) => e.with_line(l),
                None => e,
            }
        })
    }

    fn parse_inner(
        &self,
        fields: &FieldMap,
        keep: Keep,
        body: Option<&mut String>,
    ) -> Result<Article> {
        let text = match (self.format, self.line) {
            // A binary file shows on its first line; a NUL byte in a later
            // JSON Lines record is a JSON error there (the grammar has no
            // place for a raw one), so the records after the first are
            // not searched for one.
            (InputFormat::JsonLines, Some(line)) if line > 1 => decode_utf8(self.bytes())?,
            _ => decode_text(self.bytes())?,
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let json = match self.format {
            InputFormat::JsonLines => true,
            InputFormat::Single => crate::article::is_json_article(&self.source, text),
        };
        let id = || self.default_id();
        // An empty text is not malformed: the article is read, and the
        // commands count it as too short to compare.
        Ok(match (json, body) {
            (true, None) => parse_json_article_with(text, id, fields, keep)?,
            (true, Some(body)) => parse_json_article_into(text, id, fields, keep, body)?,
            (false, body) => {
                let mut article = parse_plain_text(text, &id());
                if let Some(body) = body {
                    *body = std::mem::take(&mut article.text);
                }
                article
            }
        })
    }
}

/// Limits of one batch.
#[derive(Clone, Copy, Debug)]
pub struct BatchLimits {
    /// At most this many records.
    pub records: usize,
    /// Stop adding records once this many bytes are in the batch.
    pub bytes: usize,
}

impl Default for BatchLimits {
    fn default() -> Self {
        BatchLimits {
            records: 10_000,
            bytes: 64 << 20,
        }
    }
}

/// Bytes read from a JSON Lines input at a time (a line longer than this
/// makes its block longer).
const BLOCK: usize = 4 << 20;

/// The first block of an input: small, so that a file of one article
/// (`neardiff check`) costs no 4 MB buffer; each later block doubles up to
/// [`BLOCK`].
const FIRST_BLOCK: usize = 64 << 10;

/// A block of input bytes: read into a buffer, or mapped from a file.
///
/// A plain JSON Lines file is mapped a window at a time (its pages are
/// the page cache's own, so reading it costs no copy and no fresh memory);
/// stdin, gzip streams and other files are read into buffers. A window is
/// unmapped when the last record in it is dropped.
#[derive(Debug)]
enum Block {
    Read(Vec<u8>),
    #[cfg(feature = "mmap")]
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for Block {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Block::Read(v) => v,
            #[cfg(feature = "mmap")]
            Block::Mapped(m) => m,
        }
    }
}

/// Reads inputs one after another and yields batches of raw records.
/// Only I/O errors are reported here; a malformed record is an error of
/// [`RawRecord::parse`].
pub struct BatchReader {
    inputs: std::vec::IntoIter<Input>,
    current: Option<Open>,
    limits: BatchLimits,
    /// Records in the next batch, at most the limit (see
    /// [`BatchReader::ramp_up`]).
    ramp: usize,
    /// Bytes read so far (for throughput figures).
    bytes_read: u64,
}

struct Open {
    /// Where the bytes come from.
    source_of: Source,
    source: Arc<str>,
    stem: Arc<str>,
    /// Lines split off so far.
    line: usize,
    /// The block being split into lines, and where its unsplit rest
    /// starts.
    block: Arc<Block>,
    pos: usize,
    /// The input has no more bytes.
    done: bool,
    /// Bytes the next block reads.
    next_size: usize,
    /// Blocks split before, some still shared by records in flight: one
    /// that no record holds any more is read into again (a fresh 4 MB
    /// block faults in every one of its pages).
    spare: Vec<Arc<Block>>,
}

/// Where an open JSON Lines input's bytes come from.
enum Source {
    /// A stream read into buffers (stdin, gzip, a pipe or device).
    Stream(Box<dyn Read + Send>),
    /// A regular file mapped a window at a time: the file, its length when
    /// it was opened, and the offset in it where the current block starts.
    #[cfg(feature = "mmap")]
    Mapped {
        file: std::fs::File,
        len: u64,
        start: u64,
    },
}

/// Blocks [`Open`] keeps for reuse (the ones of the batch being sketched
/// and of the batch being read are usually all).
const SPARE_BLOCKS: usize = 4;

impl Open {
    /// The next line (without its end, blank lines included) as a range of
    /// `self.block`, reading a new block when needed; `None` at the end.
    fn next_line(&mut self) -> Result<Option<std::ops::Range<usize>>> {
        loop {
            let rest = &self.block[self.pos..];
            if let Some(k) = memchr::memchr(b'\n', rest) {
                let range = self.pos..self.pos + k;
                self.pos += k + 1;
                return Ok(Some(range));
            }
            if self.done {
                if rest.is_empty() {
                    return Ok(None);
                }
                let range = self.pos..self.block.len();
                self.pos = self.block.len();
                return Ok(Some(range));
            }
            self.refill()?;
        }
    }

    /// Starts a new block with the unsplit rest of the old one, then reads
    /// until the block holds `next_size` more bytes (or twice the rest, when
    /// that is more) or the input ends. Reads of a pipe or a gzip stream
    /// are short; the block is zeroed once, not once per read.
    fn refill(&mut self) -> Result<()> {
        let rest = &self.block[self.pos..];
        // A line longer than a block doubles it, so that reading it costs
        // linear time.
        let want = rest.len() + self.next_size.max(rest.len());
        self.next_size = (self.next_size * 2).min(BLOCK);
        // (One arm only without the `mmap` feature.)
        #[allow(clippy::infallible_destructuring_match)]
        let reader = match &mut self.source_of {
            Source::Stream(r) => r,
            #[cfg(feature = "mmap")]
            Source::Mapped { .. } => return self.map_next(want),
        };
        let mut next = take_spare(&mut self.spare, want);
        // A reused block keeps its old bytes as they are: `resize` zeroes
        // only bytes it never held (zeroing the whole block before every
        // read was as much work as copying the input).
        next.resize(want, 0);
        next[..rest.len()].copy_from_slice(rest);
        let mut filled = rest.len();
        while filled < want {
            match reader.read(&mut next[filled..]) {
                Ok(0) => {
                    self.done = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io_error(&self.source, self.line, e)),
            }
        }
        next.truncate(filled);
        let old = std::mem::replace(&mut self.block, Arc::new(Block::Read(next)));
        if matches!(&*old, Block::Read(v) if v.capacity() > 0) {
            if self.spare.len() == SPARE_BLOCKS {
                self.spare.remove(0);
            }
            self.spare.push(old);
        }
        self.pos = 0;
        Ok(())
    }

    /// [`Open::refill`] for a mapped file: the next window of `want` bytes
    /// (or the rest of the file) starts at the unsplit rest, so the pages
    /// before it may be mapped twice, by this window and the one before.
    #[cfg(feature = "mmap")]
    fn map_next(&mut self, want: usize) -> Result<()> {
        let Source::Mapped { file, len, start } = &mut self.source_of else {
            unreachable!("map_next reads mapped files only")
        };
        let from = *start + self.pos as u64;
        let size = (want as u64).min(*len - from) as usize;
        let block = if size == 0 {
            Block::Read(Vec::new())
        } else {
            // SAFETY: the mapping is read only; nothing here writes the
            // file. Another process cutting it short while it is mapped is
            // ruled out by the caller of `Input::allow_mapping`.
            let map = unsafe {
                memmap2::MmapOptions::new()
                    .offset(from)
                    .len(size)
                    .populate()
                    .map(&*file)
            };
            Block::Mapped(map.map_err(|e| io_error(&self.source, self.line, e))?)
        };
        *start = from;
        self.done = from + size as u64 == *len;
        self.block = Arc::new(block);
        self.pos = 0;
        Ok(())
    }
}

/// A read error of `source`, at the line after `line`.
fn io_error(source: &str, line: usize, e: std::io::Error) -> Error {
    Error::io_named(IoOp::Read, source.to_string(), e).with_line(line + 1)
}

/// A buffer of at least `want` bytes of capacity: a spare block no record
/// holds any more (with its old bytes), or a new, empty one.
fn take_spare(spare: &mut Vec<Arc<Block>>, want: usize) -> Vec<u8> {
    let free = spare.iter_mut().position(|b| {
        Arc::get_mut(b).is_some_and(|b| matches!(b, Block::Read(v) if v.capacity() >= want))
    });
    if let Some(i) = free
        && let Ok(Block::Read(v)) = Arc::try_unwrap(spare.swap_remove(i))
    {
        return v;
    }
    // Room for the unsplit rest of a later block, so that it fits too.
    let block = Vec::with_capacity(want + want / 16);
    crate::cache::huge_pages(&block);
    block
}

impl BatchReader {
    /// A reader over `inputs` with the given batch limits.
    pub fn new(inputs: Vec<Input>, limits: BatchLimits) -> BatchReader {
        BatchReader {
            inputs: inputs.into_iter(),
            current: None,
            limits,
            ramp: limits.records,
            bytes_read: 0,
        }
    }

    /// Makes the first batch an eighth of the limit (at least one record)
    /// and each next one twice as big up to the limit, so that the work on
    /// the first batch starts soon after the input is opened (the batches
    /// are then of different sizes: not for a reader whose batches are
    /// units of their own, such as the commits of `index add`).
    pub fn ramp_up(mut self) -> BatchReader {
        self.ramp = (self.limits.records / 8).max(1);
        self
    }

    /// Total bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// The next batch, or `None` at the end of the inputs.
    pub fn next_batch(&mut self) -> Result<Option<Vec<RawRecord>>> {
        let mut batch = Vec::new();
        let mut bytes = 0;
        let records = self.ramp.min(self.limits.records);
        self.ramp = records.saturating_mul(2);
        while batch.len() < records && bytes < self.limits.bytes {
            if let Some(open) = &mut self.current {
                let Some(range) = open.next_line()? else {
                    self.current = None;
                    continue;
                };
                // The line and its end, as read.
                self.bytes_read += (range.len() + 1).min(open.block.len() - range.start) as u64;
                open.line += 1;
                let line = &open.block[range.clone()];
                let end = line.len() - line.iter().rev().take_while(|&&c| c == b'\r').count();
                if line[..end].iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                bytes += end;
                batch.push(RawRecord {
                    source: open.source.clone(),
                    line: Some(open.line),
                    format: InputFormat::JsonLines,
                    stem: open.stem.clone(),
                    data: open.block.clone(),
                    range: range.start..range.start + end,
                });
                continue;
            }
            let Some(input) = self.inputs.next() else {
                break;
            };
            match input.format {
                InputFormat::JsonLines => self.current = Some(open_lines(&input.path, input.map)?),
                InputFormat::Single => {
                    let name = input.path.display().to_string();
                    let mut bytes_of = Vec::new();
                    std::fs::File::open(&input.path)
                        .and_then(|f| {
                            if is_gzip(&input.path) {
                                flate2::read::MultiGzDecoder::new(f).read_to_end(&mut bytes_of)
                            } else {
                                let mut f = f;
                                f.read_to_end(&mut bytes_of)
                            }
                        })
                        .map_err(|e| Error::io_at(IoOp::Read, &input.path, e))?;
                    self.bytes_read += bytes_of.len() as u64;
                    bytes += bytes_of.len();
                    batch.push(RawRecord::new(
                        &name,
                        None,
                        &crate::article::default_id(without_gz(&input.path)),
                        InputFormat::Single,
                        bytes_of,
                    ));
                }
            }
        }
        Ok(if batch.is_empty() { None } else { Some(batch) })
    }
}

fn open_lines(path: &Path, map: bool) -> Result<Open> {
    let (source_of, source, stem): (Source, Arc<str>, Arc<str>) = if path.as_os_str() == "-" {
        (
            Source::Stream(Box::new(std::io::stdin())),
            "<stdin>".into(),
            "stdin".into(),
        )
    } else {
        let file = std::fs::File::open(path).map_err(|e| Error::io_at(IoOp::Open, path, e))?;
        let source_of = if is_gzip(path) {
            // Several gzip members one after another (as `cat a.gz b.gz`
            // makes) are one stream.
            Source::Stream(Box::new(flate2::read::MultiGzDecoder::new(
                BufReader::with_capacity(1 << 16, file),
            )))
        } else {
            mapped_or_stream(file, map)
        };
        (
            source_of,
            path.display().to_string().into(),
            crate::article::default_id(without_gz(path)).into(),
        )
    };
    Ok(Open {
        source_of,
        source,
        stem,
        line: 0,
        block: Arc::new(Block::Read(Vec::new())),
        pos: 0,
        done: false,
        next_size: FIRST_BLOCK,
        spare: Vec::new(),
    })
}

/// A plain file's source: mapped when the caller allowed it and the file
/// has a length (a file of length 0 may still have bytes to read, as those
/// of /proc do), else read as a stream.
#[cfg(feature = "mmap")]
fn mapped_or_stream(file: std::fs::File, map: bool) -> Source {
    match file.metadata() {
        Ok(m) if map && m.is_file() && m.len() > 0 => Source::Mapped {
            file,
            len: m.len(),
            start: 0,
        },
        _ => Source::Stream(Box::new(file)),
    }
}

#[cfg(not(feature = "mmap"))]
fn mapped_or_stream(file: std::fs::File, _map: bool) -> Source {
    Source::Stream(Box::new(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
        let p = dir.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, body).unwrap();
        p
    }

    #[test]
    fn walks_directories_sorted_and_reads_lines() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "b/x.txt", "Title: X\n\nHello there.");
        write(
            dir.path(),
            "a.jsonl",
            "{\"text\":\"one\"}\n\n{\"id\":\"k\",\"text\":\"two\"}\r\n",
        );
        write(dir.path(), ".hidden.jsonl", "{\"text\":\"no\"}\n");
        write(dir.path(), "notes.md", "ignored");
        let inputs = expand_inputs(&[dir.path().to_path_buf()]).unwrap();
        let names: Vec<_> = inputs
            .iter()
            .map(|i| i.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.jsonl", "x.txt"]);
        let mut r = BatchReader::new(
            inputs,
            BatchLimits {
                records: 2,
                bytes: 1 << 20,
            },
        )
        .ramp_up();
        // The first batch is an eighth of the limit (at least one record),
        // the next ones twice as big up to the limit.
        let b1 = r.next_batch().unwrap().unwrap();
        assert_eq!(b1.len(), 1);
        let fields = FieldMap::default();
        let a = b1[0].parse(&fields).unwrap();
        assert_eq!((a.id.as_str(), a.text.as_str()), ("a:1", "one"));
        let b2 = r.next_batch().unwrap().unwrap();
        assert_eq!(b2.len(), 2);
        assert_eq!(b2[0].line, Some(3));
        assert_eq!(b2[0].parse(&fields).unwrap().id, "k");
        let x = b2[1].parse(&fields).unwrap();
        assert_eq!((x.id.as_str(), x.title.as_deref()), ("x", Some("X")));
        assert!(r.next_batch().unwrap().is_none());
    }

    /// Lines on both sides of block ends, a line longer than a block, CRLF
    /// and blank lines, and a last line without its end.
    #[test]
    fn lines_across_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let mut body = String::new();
        let mut want = Vec::new();
        let mut line = 0;
        for k in 0..6000 {
            line += 1;
            if k % 997 == 0 {
                body.push_str(" \t\r\n");
                continue;
            }
            let text = "w".repeat(k % 1700);
            let eol = if k % 3 == 0 { "\r\n" } else { "\n" };
            body.push_str(&format!("{{\"text\":\"{k} {text}\"}}{eol}"));
            want.push((line, format!("{k} {text}")));
            if k == 3000 {
                line += 1;
                let long = "x".repeat(BLOCK + 12345);
                body.push_str(&format!("{{\"text\":\"{long}\"}}\n"));
                want.push((line, long));
            }
        }
        line += 1;
        body.push_str("{\"text\":\"last\"}");
        want.push((line, "last".to_string()));
        let plain = write(dir.path(), "big.jsonl", &body);
        // The same lines gzipped: read into buffers instead of mapped.
        let packed = dir.path().join("big.jsonl.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, body.as_bytes()).unwrap();
        std::fs::write(&packed, gz.finish().unwrap()).unwrap();
        // Batches parsed as they come (their blocks are free for reuse at
        // once), or every other one held to the end (a block that records
        // still hold must never be read into again).
        // Each file read into buffers and, where allowed, mapped.
        let mut cases = Vec::new();
        for p in [&plain, &packed] {
            for hold in [false, true] {
                cases.push((p, hold, false));
                if cfg!(feature = "mmap") {
                    cases.push((p, hold, true));
                }
            }
        }
        for (p, hold, map) in cases {
            let mut inputs = expand_inputs(std::slice::from_ref(p)).unwrap();
            #[cfg(feature = "mmap")]
            if map {
                // SAFETY: nothing cuts the test's file short.
                inputs = inputs
                    .into_iter()
                    .map(|i| unsafe { i.allow_mapping() })
                    .collect();
            }
            let mut r = BatchReader::new(
                inputs,
                BatchLimits {
                    records: 500,
                    bytes: 1 << 20,
                },
            );
            let (mut got, mut held) = (Vec::new(), Vec::new());
            let parse = |b: Vec<RawRecord>, got: &mut Vec<(usize, String)>| {
                for rec in b {
                    let a = rec.parse(&FieldMap::default()).unwrap();
                    assert_eq!(a.id, format!("big:{}", rec.line.unwrap()));
                    got.push((rec.line.unwrap(), a.text));
                }
            };
            let mut n = 0;
            while let Some(b) = r.next_batch().unwrap() {
                if hold && n % 2 == 0 {
                    held.push((got.len(), b));
                    got.push((0, String::new()));
                } else {
                    parse(b, &mut got);
                }
                n += 1;
            }
            assert!(n > 2, "the batches span several blocks");
            // Put each held batch's lines where it came.
            for (at, b) in held.into_iter().rev() {
                let mut lines = Vec::new();
                parse(b, &mut lines);
                got.splice(at..at + 1, lines);
            }
            assert_eq!(got, want, "{} hold {hold} map {map}", p.display());
            assert_eq!(r.bytes_read(), body.len() as u64);
        }
    }

    #[test]
    fn malformed_line_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "c.jsonl",
            "{\"text\":\"ok\"}\n{\"text\": oops}\n",
        );
        let mut r = BatchReader::new(expand_inputs(&[p]).unwrap(), BatchLimits::default());
        let b = r.next_batch().unwrap().unwrap();
        let e = b[1].parse(&FieldMap::default()).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("c.jsonl:2: "), "{msg}");
        let e = RawRecord::new(
            "c.jsonl",
            Some(1),
            "c",
            InputFormat::JsonLines,
            b"{\"title\":\"t\"}".to_vec(),
        )
        .parse(&FieldMap::default())
        .unwrap_err();
        assert!(e.to_string().contains("missing string field"), "{e}");
    }

    /// Fields left out of a [`Keep`] are neither copied nor checked; the
    /// kept ones are read as by `parse`, and JSON syntax is still checked
    /// everywhere.
    #[test]
    fn parse_keep_skips_other_fields() {
        let rec = |line: &str| {
            RawRecord::new("k.jsonl", Some(3), "k", InputFormat::JsonLines, line.into())
        };
        let fields = FieldMap::default();
        let r = rec(r#"{"id":"x","date":"2025-01-02","title":[1],"outlet":"O","text":"a b"}"#);
        let e = r.parse(&fields).unwrap_err();
        assert!(e.to_string().contains("\"title\" must be a string"), "{e}");
        let a = r.parse_keep(&fields, Keep::TEXT_ID_DATE).unwrap();
        assert_eq!(
            (a.id.as_str(), a.date.as_deref(), a.text.as_str()),
            ("x", Some("2025-01-02"), "a b")
        );
        assert_eq!((a.title, a.outlet), (None, None));
        let e = rec(r#"{"text":"a b","date":7.5,"id":false}"#)
            .parse_keep(&fields, Keep::TEXT_ID_DATE)
            .unwrap_err();
        assert!(e.to_string().contains("\"id\" must be a string"), "{e}");
        let e = rec(r#"{"text":"a b","title":[1,}"#)
            .parse_keep(&fields, Keep::TEXT_ID_DATE)
            .unwrap_err();
        assert!(e.to_string().starts_with("k.jsonl:3: "), "{e}");
    }

    #[test]
    fn missing_path_is_an_error() {
        let e = expand_inputs(&[PathBuf::from("/no/such/dir/x.jsonl")]).unwrap_err();
        assert!(e.to_string().contains("no such file"), "{e}");
    }
}
