//! Input flags shared by `dedup`, `index` and `check`.

use clap::{Args, ValueEnum};
use neardiff::FieldMap;
use neardiff::index::{InputOptions, OnDuplicate};

/// The JSON field names of a corpus (shared by `dedup`, `index`, `check`).
#[derive(Args, Debug, Clone)]
pub struct FieldArgs {
    /// JSON field holding the id.
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// JSON field holding the body text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// JSON field holding the date.
    #[arg(long, default_value = "date")]
    pub date_field: String,
    /// JSON field holding the outlet.
    #[arg(long, default_value = "outlet")]
    pub outlet_field: String,
    /// JSON field holding the headline.
    #[arg(long, default_value = "title")]
    pub title_field: String,
    /// JSON field holding the URL (its host is the outlet of an article
    /// without one).
    #[arg(long, default_value = "url")]
    pub url_field: String,
}

impl FieldArgs {
    /// The field map of the library.
    pub fn field_map(&self) -> FieldMap {
        FieldMap {
            id: self.id_field.clone(),
            text: self.text_field.clone(),
            date: self.date_field.clone(),
            outlet: self.outlet_field.clone(),
            title: self.title_field.clone(),
            url: self.url_field.clone(),
            ..FieldMap::default()
        }
    }
}

/// How corpus records are read.
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Skip malformed records (counted in the summary) instead of failing.
    #[arg(long)]
    pub skip_invalid: bool,
    #[command(flatten)]
    pub fields: FieldArgs,
    /// Articles per batch (one write transaction each).
    #[arg(long, default_value_t = neardiff::index::DEFAULT_BATCH_SIZE)]
    pub batch_size: usize,
    /// Worker threads [default: all cores].
    #[arg(long)]
    pub threads: Option<usize>,
    /// Articles with fewer words are too short to compare: counted, not
    /// indexed, answered "too short to check" [default: 4 x shingle size
    /// - 1, i.e. 15]; at least the shingle size.
    #[arg(long, value_name = "N")]
    pub min_words: Option<usize>,
}

impl InputArgs {
    /// The library options.
    pub fn options(&self) -> neardiff::Result<InputOptions> {
        if self.batch_size == 0 {
            return Err(neardiff::Error::new(neardiff::ErrorKind::Usage(
                "--batch-size must be at least 1".into(),
            )));
        }
        super::set_threads(self.threads);
        Ok(InputOptions {
            fields: self.fields.field_map(),
            skip_invalid: self.skip_invalid,
            batch_size: self.batch_size,
            min_words: self.min_words,
        })
    }
}

/// What to do with an id that is already indexed.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum OnDuplicateArg {
    /// Stop with exit code 2; the batch in flight is not written.
    Error,
    /// Keep the indexed article, drop the new one (counted).
    Skip,
    /// Replace the indexed article with the new one.
    Update,
}

impl From<OnDuplicateArg> for OnDuplicate {
    fn from(a: OnDuplicateArg) -> OnDuplicate {
        match a {
            OnDuplicateArg::Error => OnDuplicate::Error,
            OnDuplicateArg::Skip => OnDuplicate::Skip,
            OnDuplicateArg::Update => OnDuplicate::Update,
        }
    }
}

/// Prints the skipped-record messages.
pub fn report_skipped(s: &neardiff::index::Skipped, quiet: bool) {
    if quiet {
        return;
    }
    for msg in &s.messages {
        note!("neardiff: skipped: {msg}");
    }
    if s.count > s.messages.len() {
        note!(
            "neardiff: skipped {} more malformed records",
            s.count - s.messages.len()
        );
    }
}

/// The inputs of `paths` (directories walked), plain JSON Lines files
/// allowed to be memory-mapped.
pub fn corpus_inputs(
    paths: &[std::path::PathBuf],
) -> neardiff::Result<Vec<neardiff::corpus::Input>> {
    Ok(neardiff::corpus::expand_inputs(paths)?
        .into_iter()
        // SAFETY: the command's documentation (README, `neardiff dedup`)
        // asks that input files are not cut short while it reads them; a
        // file replaced by a rename or appended to is read safely.
        .map(|i| unsafe { i.allow_mapping() })
        .collect())
}
