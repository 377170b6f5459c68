//! Corpus input for an index: articles read in batches on one thread and
//! sketched in parallel ([`for_each_batch`]), as [`NewDoc`]s, with the
//! malformed records skipped on request ([`Skipped`]).

use std::sync::Arc;

use rayon::prelude::*;

use super::DEFAULT_BATCH_SIZE;
use super::params::IndexParams;
use crate::article::{Article, FieldMap};
use crate::corpus::{BatchLimits, BatchReader, Input};
use crate::dedup::{DocSketch, Scratch, SketchParams, sketch_article};
use crate::error::{Error, Result};
use crate::sketch::default_min_words;

/// An article ready for the index: its sketch, the metadata shown in
/// reports, and where it was read from.
#[derive(Clone, Debug)]
pub struct NewDoc {
    /// Id, date, signature and shingle fingerprints.
    pub sketch: DocSketch,
    /// The outlet, if known.
    pub outlet: Option<String>,
    /// The headline, if known.
    pub title: Option<String>,
    /// The file it came from (`<stdin>` for stdin).
    pub source: Arc<str>,
    /// Its line, for JSON Lines input.
    pub line: Option<usize>,
}

impl NewDoc {
    /// Sketches an article held in memory.
    pub fn sketch(article: Article, params: &IndexParams) -> NewDoc {
        let source: Arc<str> = article.id.as_str().into();
        let (outlet, title) = (article.outlet.clone(), article.title.clone());
        let sketch = sketch_article(article, &params.sketch_params(), &mut Scratch::default());
        NewDoc {
            sketch,
            outlet,
            title,
            source,
            line: None,
        }
    }

    /// How the article is named in messages: the file, and for JSON Lines
    /// its line and id.
    pub fn display_name(&self) -> String {
        match self.line {
            Some(l) => format!("{}:{} (id {})", self.source, l, self.sketch.id),
            None => self.source.to_string(),
        }
    }
}

/// How corpus input is read.
#[derive(Clone, Debug)]
pub struct InputOptions {
    /// JSON field names.
    pub fields: FieldMap,
    /// Count and skip malformed records instead of failing.
    pub skip_invalid: bool,
    /// Articles per batch (and per write transaction).
    pub batch_size: usize,
    /// The least number of words an article needs to be indexed or
    /// checked (`--min-words`); `None`: [`default_min_words`] of the
    /// index's shingle size. A shorter article (empty text, a scrape stub)
    /// is too short: sketched without shingles, never indexed
    /// ([`WriteCounts::too_short`](super::WriteCounts::too_short)), and checked as too short
    /// ([`CheckResult::too_short`](super::CheckResult::too_short)).
    pub min_words: Option<usize>,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            fields: FieldMap::default(),
            skip_invalid: false,
            batch_size: DEFAULT_BATCH_SIZE,
            min_words: None,
        }
    }
}

impl InputOptions {
    /// The least number of words for an index of `params`: the option or
    /// the default; an error when it is below the shingle size.
    pub fn min_words(&self, params: &IndexParams) -> Result<usize> {
        crate::dedup::check_min_words(self.min_words, params.shingle_size)?;
        Ok(self
            .min_words
            .unwrap_or_else(|| default_min_words(params.shingle_size)))
    }
}

/// Malformed records skipped with `skip_invalid`.
#[derive(Clone, Debug, Default)]
pub struct Skipped {
    /// How many.
    pub count: usize,
    /// Messages for the first [`crate::dedup::MAX_SKIP_MESSAGES`].
    pub messages: Vec<String>,
}

/// Reads `inputs` in batches on one thread while the previous batch is
/// parsed and sketched in parallel; calls `f` with each batch, in input
/// order.
pub fn for_each_batch(
    inputs: Vec<Input>,
    params: &IndexParams,
    opts: &InputOptions,
    skipped: &mut Skipped,
    mut f: impl FnMut(Vec<NewDoc>) -> Result<()>,
) -> Result<()> {
    let sketch_params = SketchParams {
        min_words: opts.min_words(params)?,
        ..params.sketch_params()
    };
    let limits = BatchLimits {
        records: opts.batch_size.max(1),
        ..BatchLimits::default()
    };
    let mut reader = BatchReader::new(inputs, limits);
    let mut handle = |batch: Vec<crate::corpus::RawRecord>| -> Result<()> {
        let sketch = |scratch: &mut Scratch, rec: crate::corpus::RawRecord| {
            let article = rec.parse(&opts.fields)?;
            let (outlet, title) = (article.outlet.clone(), article.title.clone());
            Ok(NewDoc {
                sketch: sketch_article(article, &sketch_params, scratch),
                outlet,
                title,
                source: rec.source.clone(),
                line: rec.line,
            })
        };
        // A few articles (a check of one new article) are not worth
        // starting the thread pool for.
        let results: Vec<Result<NewDoc>> = if batch.len() < 16 {
            let mut scratch = Scratch::default();
            batch.into_iter().map(|r| sketch(&mut scratch, r)).collect()
        } else {
            batch
                .into_par_iter()
                .map_init(Scratch::default, sketch)
                .collect()
        };
        let mut docs = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(d) => docs.push(d),
                Err(e) if opts.skip_invalid => {
                    skipped.count += 1;
                    if skipped.messages.len() < crate::dedup::MAX_SKIP_MESSAGES {
                        skipped.messages.push(e.to_string());
                    }
                }
                Err(e) => return Err(e),
            }
        }
        f(docs)
    };
    // The first two batches are read here: input of one batch (a check of
    // a few articles) needs no reader thread.
    let Some(first) = reader.next_batch()? else {
        return Ok(());
    };
    let Some(second) = reader.next_batch()? else {
        return handle(first);
    };
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        s.spawn(move || {
            loop {
                let msg = reader.next_batch();
                let stop = !matches!(msg, Ok(Some(_)));
                if tx.send(msg).is_err() || stop {
                    break;
                }
            }
        });
        handle(first)?;
        handle(second)?;
        for msg in rx {
            let Some(batch) = msg? else { break };
            handle(batch)?;
        }
        Ok(())
    })
}

/// Like [`for_each_batch`], but `write` runs on a thread of its own, so
/// that writing one batch (one thread: SQLite has one writer) overlaps
/// reading and sketching the next. Batches are written in input order; an
/// error of `write` stops the reading.
pub(super) fn for_each_batch_overlapped(
    inputs: Vec<Input>,
    params: &IndexParams,
    opts: &InputOptions,
    skipped: &mut Skipped,
    mut write: impl FnMut(Vec<NewDoc>) -> Result<()> + Send,
) -> Result<()> {
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<NewDoc>>(1);
        let writer = s.spawn(move || -> Result<()> {
            for docs in rx {
                write(docs)?;
            }
            Ok(())
        });
        // Sending fails only once the writer has stopped with an error,
        // which is the one reported.
        let read = for_each_batch(inputs, params, opts, skipped, |docs| {
            tx.send(docs)
                .map_err(|_| Error::usage("the index writer stopped"))
        });
        drop(tx);
        let written = writer
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        written.and(read)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::InputFormat;

    #[test]
    fn batches_come_in_input_order_and_bad_records_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.jsonl");
        let mut lines = String::new();
        for i in 0..40 {
            if i == 5 {
                lines.push_str("{not json\n");
            }
            lines.push_str(&format!(
                "{{\"id\": \"a{i}\", \"text\": \"word{i} one two three four five six\"}}\n"
            ));
        }
        std::fs::write(&path, lines).unwrap();
        let params = IndexParams::new(2, 16, 0, 0.3).unwrap();
        let opts = InputOptions {
            skip_invalid: true,
            batch_size: 7,
            ..InputOptions::default()
        };
        let input = || vec![Input::new(path.clone(), InputFormat::JsonLines)];
        let mut skipped = Skipped::default();
        let mut ids = Vec::new();
        let mut sizes = Vec::new();
        for_each_batch(input(), &params, &opts, &mut skipped, |docs| {
            sizes.push(docs.len());
            ids.extend(docs.into_iter().map(|d| {
                assert!(d.line.is_some());
                assert_eq!(d.sketch.signature.len(), 16);
                d.sketch.id
            }));
            Ok(())
        })
        .unwrap();
        let want: Vec<String> = (0..40).map(|i| format!("a{i}")).collect();
        assert_eq!(ids, want);
        assert_eq!(sizes.iter().sum::<usize>(), 40);
        assert!(sizes.len() >= 5, "{sizes:?}");
        assert_eq!(skipped.count, 1);
        assert_eq!(skipped.messages.len(), 1);

        // Without `skip_invalid` the bad record is an error.
        let strict = InputOptions {
            skip_invalid: false,
            ..opts.clone()
        };
        let mut skipped = Skipped::default();
        let err = for_each_batch(input(), &params, &strict, &mut skipped, |_| Ok(()));
        assert!(err.is_err());
    }

    #[test]
    fn min_words_below_the_shingle_size_is_refused() {
        let params = IndexParams::new(4, 16, 0, 0.3).unwrap();
        let mut opts = InputOptions::default();
        assert_eq!(opts.min_words(&params).unwrap(), default_min_words(4));
        opts.min_words = Some(2);
        assert!(opts.min_words(&params).is_err());
        opts.min_words = Some(9);
        assert_eq!(opts.min_words(&params).unwrap(), 9);
    }

    #[test]
    fn a_doc_is_named_by_its_file_line_and_id() {
        let params = IndexParams::new(4, 16, 0, 0.3).unwrap();
        let article = Article {
            id: "x1".into(),
            text: "a b c d e".into(),
            ..Default::default()
        };
        let mut doc = NewDoc::sketch(article, &params);
        assert_eq!(doc.display_name(), "x1");
        doc.source = "news.jsonl".into();
        doc.line = Some(12);
        assert_eq!(doc.display_name(), "news.jsonl:12 (id x1)");
    }
}
