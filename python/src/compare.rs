//! `compare` and `story`: the crate's comparison of two articles and its
//! story across outlets, with the reports rendered by the crate's own
//! renderers (so the JSON is the CLI's, byte for byte).

use neardiff::compare::{CompareOptions, Comparison};
use neardiff::report;
use neardiff::story::{StoryOptions, build_story};
use neardiff::{Article, Error, ErrorKind};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::records::side;
use crate::{run_detached, run_here, to_py_err};

/// The result of `compare`, kept so that it can be rendered in any format
/// without comparing again.
#[pyclass(module = "neardiff._native", frozen)]
pub struct NativeComparison {
    c: Comparison,
}

/// Renders `c` in `format`; UTF-8 text.
fn render(c: &Comparison, format: &str, color: bool) -> PyResult<String> {
    let mut out = Vec::new();
    let r = match format {
        "json" => report::json::render(c, &mut out),
        "html" => report::html::render(c, &mut out),
        "markdown" | "md" => report::markdown::render(c, &mut out),
        "text" => report::text::render(c, &mut out, report::text::TextOptions { color }),
        other => {
            return Err(PyValueError::new_err(format!(
                "format must be \"json\", \"html\", \"markdown\" or \"text\", got {other:?}"
            )));
        }
    };
    r.map_err(|e| PyValueError::new_err(e.to_string()))?;
    String::from_utf8(out).map_err(|e| PyValueError::new_err(e.to_string()))
}

#[pymethods]
impl NativeComparison {
    /// The `neardiff.compare/4` report as Python objects (dicts, lists,
    /// strs, numbers), made from the comparison directly rather than
    /// through JSON text.
    fn report<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pythonize::pythonize(py, &self.c).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The report in `format` (`json`, `html`, `markdown`, `text`).
    #[pyo3(signature = (format, color=false))]
    fn render(&self, py: Python<'_>, format: &str, color: bool) -> PyResult<String> {
        run_here(py, || render(&self.c, format, color))?
    }
}

fn nonempty(a: Article, name: &str) -> PyResult<Article> {
    if a.text.trim().is_empty() {
        return Err(to_py_err(
            Error::new(ErrorKind::EmptyText).with_source(name.to_string()),
        ));
    }
    Ok(a)
}

fn options(
    shingle_size: usize,
    num_perm: usize,
    seed: u64,
    min_run: usize,
    max_changed_words: usize,
) -> PyResult<CompareOptions> {
    let opts = CompareOptions {
        shingle_size,
        num_perm,
        seed,
        min_run_words: min_run,
        max_changed_words,
        ..CompareOptions::default()
    };
    opts.validate().map_err(to_py_err)?;
    Ok(opts)
}

#[pyfunction]
#[pyo3(signature = (a, b, shingle_size, num_perm, seed, min_run, max_changed_words))]
#[allow(clippy::too_many_arguments)]
fn compare(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    shingle_size: usize,
    num_perm: usize,
    seed: u64,
    min_run: usize,
    max_changed_words: usize,
) -> PyResult<NativeComparison> {
    let a = nonempty(side(a, "a")?, "a")?;
    let b = nonempty(side(b, "b")?, "b")?;
    let opts = options(shingle_size, num_perm, seed, min_run, max_changed_words)?;
    let c = run_here(py, || neardiff::compare::compare(&a, &b, &opts))?;
    Ok(NativeComparison { c })
}

/// `neardiff.story`: the story of `source` across `outlets`, rendered.
#[pyfunction]
#[pyo3(signature = (source, outlets, format, shingle_size, num_perm, seed, threads))]
#[allow(clippy::too_many_arguments)]
fn story(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    outlets: &Bound<'_, PyAny>,
    format: &str,
    shingle_size: usize,
    num_perm: usize,
    seed: u64,
    threads: Option<usize>,
) -> PyResult<String> {
    let src = nonempty(side(source, "source")?, "source")?;
    let mut articles = vec![];
    let source_id = src.id.clone();
    articles.push(src);
    for (i, item) in outlets.try_iter()?.enumerate() {
        let name = format!("outlets[{i}]");
        articles.push(nonempty(side(&item?, &name)?, &name)?);
    }
    let opts = StoryOptions {
        source: Some(source_id),
        compare: options(
            shingle_size,
            num_perm,
            seed,
            CompareOptions::default().min_run_words,
            CompareOptions::default().max_changed_words,
        )?,
    };
    let format = format.to_string();
    run_detached(py, threads, move || -> PyResult<String> {
        let story = build_story(articles, &opts).map_err(to_py_err)?;
        let mut out = Vec::new();
        match format.as_str() {
            "json" => report::story::json::render(&story, &mut out),
            "html" => report::story::html::render(&story, &mut out),
            "text" => report::story::text::render(
                &story,
                &mut out,
                report::text::TextOptions { color: false },
            ),
            other => {
                return Err(PyValueError::new_err(format!(
                    "format must be \"json\", \"html\" or \"text\", got {other:?}"
                )));
            }
        }
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
        String::from_utf8(out).map_err(|e| PyValueError::new_err(e.to_string()))
    })?
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let d = CompareOptions::default();
    m.add("DEFAULT_MIN_RUN", d.min_run_words)?;
    m.add("DEFAULT_MAX_CHANGED_WORDS", d.max_changed_words)?;
    m.add_class::<NativeComparison>()?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(story, m)?)?;
    Ok(())
}
