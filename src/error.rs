//! The one error type of the library.

use std::fmt;

/// What went wrong, in a form a caller can match on.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file or stdin could not be opened or read.
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
    /// An invalid option or argument value.
    Usage(String),
    /// A stored index or intermediate file is damaged or of the wrong version.
    Corrupt(String),
}

/// An error with the file (and, where known, the line) it is about.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    source_name: Option<String>,
    line: Option<usize>,
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
        }
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

    pub(crate) fn io(path: &std::path::Path, err: std::io::Error) -> Error {
        Error::new(ErrorKind::Io(err)).with_source(path.display().to_string())
    }

    pub(crate) fn usage(msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::Usage(msg.into()))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(name) = &self.source_name {
            write!(f, "{name}")?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
            }
            write!(f, ": ")?;
        }
        match &self.kind {
            ErrorKind::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
                write!(f, "no such file; check the path")
            }
            ErrorKind::Io(e) => write!(f, "cannot read: {e}"),
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
            ErrorKind::Usage(msg) => write!(f, "{msg}"),
            ErrorKind::Corrupt(msg) => write!(f, "corrupt or unreadable: {msg}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}
