//! Whole-corpus writes: [`build`] (a new index in temporary files renamed
//! into place when complete, leftovers of killed builds removed) and
//! [`add`] (batches to an open index, each written while the next is
//! read).

use std::path::Path;

use rayon::prelude::*;
use rusqlite::{Connection, OptionalExtension, params};

use super::catalog::{self, SegmentRow};
use super::filetype::{self, Role};
use super::ingest::{InputOptions, Skipped, for_each_batch_overlapped};
use super::params::{IndexParams, new_index_id, write_meta};
use super::segment::{SegmentEntry, SegmentWriter};
use super::store::{self, row_checksum, sql_error};
use super::write::{OnDuplicate, WriteCounts, doc_meta, duplicate, entries_of};
use super::{CATALOGUE_JOURNAL, Index, publish};
use crate::corpus::Input;
use crate::error::{Error, IoOp, Result};

/// Figures of a build or add run.
#[derive(Clone, Debug, Default)]
pub struct WriteSummary {
    /// What was written.
    pub counts: WriteCounts,
    /// Malformed records skipped.
    pub skipped: Skipped,
    /// Batches committed.
    pub batches: u64,
}

/// Builds a new index at `path` from `inputs`: the catalogue is written to
/// a temporary file beside `path` and the articles to one segment file;
/// when both are complete the segment is renamed into place, then the
/// catalogue (the index appears only then, whole), and the segment files
/// of an index it replaced are deleted. An existing index is replaced
/// only with `force`.
pub fn build(
    path: &Path,
    params: &IndexParams,
    inputs: Vec<Input>,
    opts: &InputOptions,
    on_dup: OnDuplicate,
    force: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<WriteSummary> {
    // `--force` replaces an index, never a FIFO, device or directory.
    let exists = filetype::check(path, Role::Catalogue)?;
    // The index replaced is opened (to roll back its journal) first.
    for p in [store::journal_path(path), store::wal_path(path)] {
        filetype::check(&p, Role::Journal)?;
    }
    if exists && !force {
        return Err(
            Error::usage(format!("{}: an index already exists", path.display()))
                .with_remedy(crate::Remedy::AddOrReplaceIndex),
        );
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    filetype::check(&tmp, Role::Temporary)?;
    remove_dead_builds(dir, &name);
    let index_id = new_index_id();
    let seg_path = catalog::segment_path(path, &index_id, 1);
    let seg_tmp = catalog::temporary(&seg_path);
    let result = build_into(
        &tmp, &seg_tmp, index_id, params, inputs, opts, on_dup, progress,
    )
    .and_then(|(summary, has_segment)| {
        if has_segment {
            publish(&seg_tmp, &seg_path)?;
        }
        replace(&tmp, path)?;
        catalog::remove_foreign(path, &index_id);
        Ok(summary)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
        let _ = std::fs::remove_file(store::wal_path(&tmp));
        let _ = std::fs::remove_file(store::shm_path(&tmp));
        let _ = std::fs::remove_file(&seg_tmp);
        // Renamed, but the index that lists it never was.
        if std::fs::metadata(path).is_err() || !path_lists(path, &index_id) {
            let _ = std::fs::remove_file(&seg_path);
        }
    }
    result
}

/// Deletes the temporary catalogues (and their log files) of earlier
/// builds of the index `name` whose process no longer runs (killed
/// builds); their segment files go with the other index's files once
/// this build is in place. Where processes cannot be looked up
/// ([`crate::sys::process_running`]), nothing is deleted.
fn remove_dead_builds(dir: &Path, name: &str) {
    if crate::sys::process_running(std::process::id()).is_none() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.");
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let Some((pid, tail)) = rest.split_once('.') else {
            continue;
        };
        let leftover = ["tmp", "tmp-wal", "tmp-shm", "tmp-journal"].contains(&tail);
        let dead = pid
            .parse::<u32>()
            .is_ok_and(|pid| crate::sys::process_running(pid) == Some(false));
        if leftover && dead {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// True when the index at `path` has the id `index_id`.
fn path_lists(path: &Path, index_id: &[u8; 16]) -> bool {
    Index::open(path).is_ok_and(|ix| ix.index_id == *index_id)
}

#[allow(clippy::too_many_arguments)]
fn build_into(
    tmp: &Path,
    seg_tmp: &Path,
    index_id: [u8; 16],
    params: &IndexParams,
    inputs: Vec<Input>,
    opts: &InputOptions,
    on_dup: OnDuplicate,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(WriteSummary, bool)> {
    let err = |e| sql_error(tmp, e);
    let mut conn = store::create_fresh(tmp)?;
    write_meta(&conn, tmp, params, &index_id)?;
    let plan = params.plan();
    let mut summary = WriteSummary::default();
    let mut entries: Vec<SegmentEntry> = Vec::new();
    let mut writer = SegmentWriter::create(seg_tmp, 1, index_id)?;
    let mut next: u64 = 0;
    // One transaction for the whole build (the file is not in place until
    // it is complete), opened here so that the writer thread needs only
    // the connection.
    conn.execute_batch("BEGIN").map_err(err)?;
    let mut skipped = Skipped::default();
    {
        let (conn, summary, entries, writer, next) = (
            &mut conn,
            &mut summary,
            &mut entries,
            &mut writer,
            &mut next,
        );
        let plan = &plan;
        for_each_batch_overlapped(inputs, params, opts, &mut skipped, move |docs| {
            let mut find = conn
                .prepare_cached("SELECT doc FROM docs WHERE id = ?1")
                .map_err(err)?;
            let mut del = conn
                .prepare_cached("DELETE FROM docs WHERE doc = ?1")
                .map_err(err)?;
            let mut ins = conn
                .prepare_cached("INSERT INTO docs(doc, id, checksum) VALUES (?1, ?2, ?3)")
                .map_err(err)?;
            for d in docs {
                if d.sketch.is_empty() {
                    summary.counts.too_short += 1;
                    continue;
                }
                if d.sketch.signature.len() != params.num_perm {
                    return Err(Error::usage(format!(
                        "{}: sketched with other parameters than the index",
                        d.display_name()
                    )));
                }
                let old: Option<i64> = find
                    .query_row([&d.sketch.id], |r| r.get(0))
                    .optional()
                    .map_err(err)?;
                if let Some(old) = old {
                    match on_dup {
                        OnDuplicate::Error => return Err(duplicate(&d, tmp)),
                        OnDuplicate::Skip => {
                            summary.counts.skipped += 1;
                            continue;
                        }
                        OnDuplicate::Update => {
                            del.execute([old]).map_err(err)?;
                            catalog::add_tombstone(conn, tmp, old as u32)?;
                            summary.counts.updated += 1;
                        }
                    }
                } else {
                    summary.counts.added += 1;
                }
                if *next > u32::MAX as u64 {
                    return Err(Error::usage(
                        "an index holds at most 4,294,967,295 articles",
                    ));
                }
                let article = *next as u32;
                *next += 1;
                ins.execute(params![
                    article,
                    d.sketch.id,
                    row_checksum(article, &d.sketch.id)
                ])
                .map_err(err)?;
                let fps = d.sketch.shingles.as_deref().unwrap_or(&[]);
                writer.add_article(article, fps, doc_meta(&d))?;
                entries_of(
                    plan,
                    article,
                    &d.sketch.signature,
                    fps.len() as u32,
                    entries,
                );
            }
            summary.batches += 1;
            progress(summary.counts.added + summary.counts.updated);
            Ok(())
        })?;
    }
    summary.skipped = skipped;
    let has_segment = next > 0;
    if has_segment {
        entries.par_sort_unstable();
        let info = writer.finish(&mut entries)?;
        drop(entries);
        catalog::insert(
            &conn,
            tmp,
            &SegmentRow {
                seg: 1,
                first: 0,
                last: (next - 1) as u32,
                articles: info.articles,
                entries: info.entries,
                file_size: info.file_size,
                header_checksum: info.header_checksum,
            },
        )?;
    } else {
        drop(writer);
    }
    conn.execute_batch("COMMIT").map_err(err)?;
    conn.execute_batch(CATALOGUE_JOURNAL).map_err(err)?;
    conn.close().map_err(|(_, e)| err(e))?;
    let f = std::fs::File::open(tmp).map_err(|e| Error::io_at(IoOp::Open, tmp, e))?;
    f.sync_all().map_err(|e| Error::io_at(IoOp::Sync, tmp, e))?;
    Ok((summary, has_segment))
}

/// Moves a complete index file into place. An old index there is
/// checkpointed first and its log files removed, so that they can never be
/// applied to the new file.
fn replace(tmp: &Path, path: &Path) -> Result<()> {
    if path.exists() {
        if let Ok(conn) = Connection::open(path) {
            let _ = conn.busy_timeout(std::time::Duration::from_secs(30));
            let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
        }
        for p in [store::wal_path(path), store::shm_path(path)] {
            match std::fs::remove_file(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io_at(IoOp::Remove, &p, e)),
            }
        }
    }
    std::fs::rename(tmp, path).map_err(|e| Error::io_at(IoOp::Rename, path, e))?;
    catalog::sync_dir(path);
    Ok(())
}

/// Adds `inputs` to the index in batches of `opts.batch_size` articles,
/// one segment and one transaction each: a crash loses at most the batch
/// in flight.
pub fn add(
    index: &mut Index,
    inputs: Vec<Input>,
    opts: &InputOptions,
    on_dup: OnDuplicate,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<WriteSummary> {
    let params = index.params().clone();
    store::map_file(&index.conn, &index.path)?;
    let mut summary = WriteSummary::default();
    let mut skipped = Skipped::default();
    let r = {
        let counts = &mut summary;
        for_each_batch_overlapped(inputs, &params, opts, &mut skipped, |docs| {
            let c = index.add_batch(docs, on_dup)?;
            counts.counts.merge(c);
            counts.batches += 1;
            progress(counts.counts.added + counts.counts.updated);
            Ok(())
        })
    };
    summary.skipped = skipped;
    r.map(|_| summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::InputFormat;

    #[test]
    fn a_build_replaces_an_index_only_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.jsonl");
        std::fs::write(
            &input,
            "{\"id\": \"a\", \"text\": \"one two three four five six seven eight nine ten eleven twelve\"}\n\
             {\"id\": \"b\", \"text\": \"six seven eight nine ten eleven twelve thirteen fourteen fifteen\"}\n",
        )
        .unwrap();
        let inputs = || vec![Input::new(input.clone(), InputFormat::JsonLines)];
        let path = dir.path().join("ix");
        let params = IndexParams::new(2, 16, 0, 0.3).unwrap();
        let opts = InputOptions::default();
        let progress = |_| {};
        let run = |force| {
            build(
                &path,
                &params,
                inputs(),
                &opts,
                OnDuplicate::Error,
                force,
                &progress,
            )
        };
        let summary = run(false).unwrap();
        assert_eq!((summary.counts.added, summary.batches), (2, 1));
        let first = Index::open(&path).unwrap().index_id;
        assert!(path_lists(&path, &first));
        let err = run(false).unwrap_err();
        assert!(err.to_string().contains("an index already exists"), "{err}");
        run(true).unwrap();
        let second = Index::open(&path).unwrap();
        assert_ne!(second.index_id, first);
        assert_eq!(second.len().unwrap(), 2);
        // Only the catalogue and the new index's segment are left.
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("ix"))
            .collect();
        names.sort();
        assert_eq!(names.len(), 2, "{names:?}");
        assert_eq!(names[0], "ix");
    }

    #[test]
    fn add_writes_batches_and_counts_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.jsonl");
        let line = |id: &str| {
            format!(
                "{{\"id\": \"{id}\", \"text\": \"{id} one two three four five six seven eight nine ten eleven\"}}\n"
            )
        };
        std::fs::write(
            &input,
            [line("a"), line("b"), line("a"), line("c")].concat(),
        )
        .unwrap();
        let path = dir.path().join("ix");
        let params = IndexParams::new(2, 16, 0, 0.3).unwrap();
        let mut ix = Index::create(&path, &params).unwrap();
        let opts = InputOptions {
            batch_size: 2,
            ..InputOptions::default()
        };
        let inputs = vec![Input::new(input.clone(), InputFormat::JsonLines)];
        let s = add(&mut ix, inputs, &opts, OnDuplicate::Skip, &|_| {}).unwrap();
        assert_eq!((s.counts.added, s.counts.skipped, s.batches), (3, 1, 2));
        assert_eq!(ix.len().unwrap(), 3);
    }
}
