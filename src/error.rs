//! The one error type of the library.

use std::fmt;

/// What went wrong, in a form a caller can match on.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An I/O operation failed: opening, reading or writing a file, stdin
    /// or stdout. [`Error::io_op`] says which operation, when known.
    Io(std::io::Error),
    /// A path names a directory where a file was expected.
    IsDirectory,
    /// The input is not UTF-8; the byte offset of the first bad byte.
    InvalidUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The input looks like binary data (a NUL byte at this offset).
    Binary {
        /// Byte offset of the first NUL byte.
        offset: usize,
    },
    /// The article has no body text (empty or whitespace only).
    EmptyText,
    /// JSON could not be parsed.
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// A JSON value parsed but does not have the expected shape.
    Field(String),
    /// A parameter of the library out of its range: its name as the
    /// options struct spells it (`num_perm`), and what it must be. The
    /// command names the flag instead (`--num-perm`).
    InvalidParam {
        /// The parameter's name.
        name: &'static str,
        /// What is wrong: "must be between 1 and 4096".
        reason: String,
    },
    /// An invalid option or argument value, or a request the input cannot
    /// meet.
    Usage(String),
    /// A stored index or intermediate file is damaged or of the wrong version.
    Corrupt(String),
}

/// What was being done when an I/O error happened; it is the verb of the
/// message (`out.json: cannot write: No space left on device`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum IoOp {
    /// Opening an existing file.
    Open,
    /// Reading a file, a directory listing or stdin.
    Read,
    /// Looking a path up (its type, its size).
    Access,
    /// Creating a file.
    Create,
    /// Writing a file or stdout.
    Write,
    /// Flushing a written file to the disk.
    Sync,
    /// Renaming a finished file into place.
    Rename,
    /// Deleting a file.
    Remove,
    /// Taking a lock.
    Lock,
}

impl IoOp {
    /// The verb of the message: `cannot <verb>`.
    pub fn verb(self) -> &'static str {
        match self {
            IoOp::Open => "open",
            IoOp::Read => "read",
            IoOp::Access => "access",
            IoOp::Create => "create",
            IoOp::Write => "write",
            IoOp::Sync => "sync to disk",
            IoOp::Rename => "rename into place",
            IoOp::Remove => "remove",
            IoOp::Lock => "lock",
        }
    }
}

/// What a user can do about an error. The message ends where the remedy
/// begins, and the remedy is said in the words of the interface in use:
/// [`Remedy::text`] (the library's, which names no command) by
/// [`Display`](fmt::Display), another through [`Error::display_with`] (the
/// command names its flags, the Python package its arguments).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Remedy {
    /// The index is damaged or of another version: build it again. The
    /// message ends "rebuild the index" (or "rebuild it").
    RebuildIndex,
    /// An index is to be made where one exists: add to it, or replace it.
    AddOrReplaceIndex,
    /// Ids to remove are not in the index: the others can be removed by
    /// ignoring the missing ones.
    IgnoreMissing,
    /// An article's id is already in the index: skip or update such
    /// articles.
    SkipOrUpdateDuplicates,
}

impl Remedy {
    /// The remedy in the library's words, appended to the message.
    pub fn text(self) -> &'static str {
        match self {
            Remedy::RebuildIndex => "",
            Remedy::AddOrReplaceIndex => "; add to it, or build it with force to replace it",
            Remedy::IgnoreMissing => " (ignore missing ids to remove the others)",
            Remedy::SkipOrUpdateDuplicates => "; skip or update duplicates",
        }
    }
}

/// An error with the file (and, where known, the line) it is about.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    source_name: Option<String>,
    line: Option<usize>,
    op: Option<IoOp>,
    remedy: Option<Remedy>,
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A new error of this kind, not yet tied to a file.
    pub fn new(kind: ErrorKind) -> Error {
        Error {
            kind,
            source_name: None,
            line: None,
            op: None,
            remedy: None,
        }
    }

    /// Says what the user can do about it ([`Remedy`]).
    pub fn with_remedy(mut self, remedy: Remedy) -> Error {
        self.remedy = Some(remedy);
        self
    }

    /// What the user can do about it, if the library knows.
    pub fn remedy(&self) -> Option<Remedy> {
        self.remedy
    }

    /// The one-line message with the remedy in other words than the
    /// library's: `remedy` gives the text appended to the message.
    pub fn display_with(&self, remedy: fn(Remedy) -> &'static str) -> impl fmt::Display + '_ {
        WithRemedy(self, remedy)
    }

    /// Ties the error to a file name (or `<stdin>`), keeping an existing one.
    pub fn with_source(mut self, name: impl Into<String>) -> Error {
        if self.source_name.is_none() {
            self.source_name = Some(name.into());
        }
        self
    }

    /// Ties the error to a 1-based line of its file (JSON Lines input).
    pub fn with_line(mut self, line: usize) -> Error {
        if self.line.is_none() {
            self.line = Some(line);
        }
        self
    }

    /// The kind of error.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The file the error is about, if known.
    pub fn source_name(&self) -> Option<&str> {
        self.source_name.as_deref()
    }

    /// What was being done when the I/O error happened, if known.
    pub fn io_op(&self) -> Option<IoOp> {
        self.op
    }

    /// An I/O error about `path`, without saying what was being done
    /// (prefer [`Error::io_at`]).
    pub(crate) fn io(path: &std::path::Path, err: std::io::Error) -> Error {
        Error::new(ErrorKind::Io(err)).with_source(path.display().to_string())
    }

    /// An I/O error of operation `op` on `path` (the path as the user gave
    /// it, not a temporary file beside it).
    pub fn io_at(op: IoOp, path: &std::path::Path, err: std::io::Error) -> Error {
        Error::io(path, err).with_io_op(op)
    }

    /// An I/O error of operation `op` on something that is not a path
    /// (`<stdin>`, `<stdout>`).
    pub fn io_named(op: IoOp, name: impl Into<String>, err: std::io::Error) -> Error {
        Error::new(ErrorKind::Io(err))
            .with_source(name)
            .with_io_op(op)
    }

    /// Says what was being done, keeping an operation already set.
    pub fn with_io_op(mut self, op: IoOp) -> Error {
        if self.op.is_none() {
            self.op = Some(op);
        }
        self
    }

    /// For an I/O error only: the operation and the file it is about, where
    /// not set yet (a writer's errors, tied to the file it writes). Other
    /// errors are returned as they are.
    pub fn or_io_context(self, op: IoOp, name: impl Into<String>) -> Error {
        match self.kind {
            ErrorKind::Io(_) => self.with_io_op(op).with_source(name),
            _ => self,
        }
    }

    /// A parameter out of range ([`ErrorKind::InvalidParam`]).
    pub(crate) fn invalid_param(name: &'static str, reason: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidParam {
            name,
            reason: reason.into(),
        })
    }

    pub(crate) fn usage(msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::Usage(msg.into()))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        WithRemedy(self, Remedy::text).fmt(f)
    }
}

/// An error shown with its remedy in chosen words.
struct WithRemedy<'a>(&'a Error, fn(Remedy) -> &'static str);

impl fmt::Display for WithRemedy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.message(f)?;
        match self.0.remedy {
            Some(r) => f.write_str((self.1)(r)),
            None => Ok(()),
        }
    }
}

impl Error {
    fn message(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(name) = &self.source_name {
            write!(f, "{name}")?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
            }
            write!(f, ": ")?;
        }
        match &self.kind {
            ErrorKind::Io(e)
                if e.kind() == std::io::ErrorKind::NotFound
                    && matches!(self.op, None | Some(IoOp::Open | IoOp::Read | IoOp::Access)) =>
            {
                write!(f, "no such file; check the path")
            }
            ErrorKind::Io(e) => {
                if let Some(op) = self.op {
                    write!(f, "cannot {}: ", op.verb())?;
                }
                write_io_message(f, e)
            }
            ErrorKind::IsDirectory => write!(
                f,
                "is a directory; give a file (directories are read by `neardiff dedup`)"
            ),
            ErrorKind::InvalidUtf8 { offset } => write!(
                f,
                "invalid UTF-8 at byte {offset}; convert the file to UTF-8 (e.g. with iconv)"
            ),
            ErrorKind::Binary { offset } => write!(
                f,
                "looks like binary data (NUL byte at byte {offset}); give a text or JSON article"
            ),
            ErrorKind::EmptyText => write!(f, "the article has no text (empty or whitespace only)"),
            ErrorKind::Json {
                line,
                column,
                message,
            } => write!(
                f,
                "malformed JSON at line {line}, column {column}: {message}"
            ),
            ErrorKind::Field(msg) => write!(f, "{msg}"),
            ErrorKind::InvalidParam { name, reason } => write!(f, "{name} {reason}"),
            ErrorKind::Usage(msg) => write!(f, "{msg}"),
            ErrorKind::Corrupt(msg) => write!(f, "corrupt or unreadable: {msg}"),
        }
    }
}

/// The system's message without the ` (os error N)` that `std` appends:
/// the line is for people, and the code adds nothing to the message.
fn write_io_message(f: &mut fmt::Formatter<'_>, e: &std::io::Error) -> fmt::Result {
    let text = e.to_string();
    if let Some(code) = e.raw_os_error()
        && let Some(message) = text.strip_suffix(&format!(" (os error {code})"))
    {
        return write!(f, "{message}");
    }
    write!(f, "{text}")
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn io_error_names_the_path_and_the_operation() {
        let e = Error::io_at(
            IoOp::Write,
            Path::new("out/report.json"),
            std::io::Error::from_raw_os_error(28),
        );
        assert_eq!(
            e.to_string(),
            "out/report.json: cannot write: No space left on device"
        );
        assert_eq!(e.io_op(), Some(IoOp::Write));
        let source = std::error::Error::source(&e).expect("the io error is the source");
        assert!(source.to_string().contains("No space left"));
    }

    #[test]
    fn missing_file_to_read_keeps_its_message_but_not_for_a_create() {
        let gone = || std::io::Error::from(std::io::ErrorKind::NotFound);
        let read = Error::io_at(IoOp::Open, Path::new("a.txt"), gone());
        assert_eq!(read.to_string(), "a.txt: no such file; check the path");
        let create = Error::io_at(
            IoOp::Create,
            Path::new("no/dir/out.txt"),
            std::io::Error::from_raw_os_error(2),
        );
        assert_eq!(
            create.to_string(),
            "no/dir/out.txt: cannot create: No such file or directory"
        );
    }

    #[test]
    fn the_remedy_is_said_in_the_words_of_the_interface() {
        let e = Error::new(ErrorKind::Corrupt(
            "the segment is damaged: rebuild the index".into(),
        ))
        .with_source("i.ndx")
        .with_remedy(Remedy::RebuildIndex);
        let plain = "i.ndx: corrupt or unreadable: the segment is damaged: rebuild the index";
        assert_eq!(e.to_string(), plain);
        assert_eq!(e.remedy(), Some(Remedy::RebuildIndex));
        let cli = e.display_with(|_| " with `tool rebuild`").to_string();
        assert_eq!(cli, format!("{plain} with `tool rebuild`"));
        let dup = Error::usage("a.jsonl:3 (id x): id \"x\" is already in the index i.ndx")
            .with_remedy(Remedy::SkipOrUpdateDuplicates);
        assert_eq!(
            dup.to_string(),
            "a.jsonl:3 (id x): id \"x\" is already in the index i.ndx; skip or update duplicates"
        );
        // Without a remedy the words chosen do not matter.
        let bare = Error::usage("bad flag");
        assert_eq!(bare.display_with(|_| "never").to_string(), "bad flag");
    }

    #[test]
    fn context_is_added_to_io_errors_only_and_never_replaced() {
        let e = Error::new(ErrorKind::Io(std::io::Error::other("disk gone")))
            .or_io_context(IoOp::Write, "<stdout>");
        assert_eq!(e.to_string(), "<stdout>: cannot write: disk gone");
        let e = e.or_io_context(IoOp::Read, "other");
        assert_eq!(e.to_string(), "<stdout>: cannot write: disk gone");
        let usage = Error::usage("bad flag").or_io_context(IoOp::Write, "x");
        assert_eq!(usage.to_string(), "bad flag");
    }
}
