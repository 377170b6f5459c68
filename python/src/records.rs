//! Python values as articles: a `str` is a body, a `dict` a JSON article
//! (read by the crate's own JSON-article rules, so the fields, their types,
//! the id that may be an integer and the outlet taken from the URL are as
//! the command-line tool reads a JSON Lines record), an `os.PathLike` a
//! file read as `neardiff compare` reads it.

use neardiff::{Article, FieldMap};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString};
use serde_json::Value;

use crate::to_py_err;

/// Field names given by keyword arguments (`text_col=...`); `None` keeps
/// the default name.
pub(crate) fn field_map(
    text: Option<String>,
    id: Option<String>,
    date: Option<String>,
    outlet: Option<String>,
    url: Option<String>,
    title: Option<String>,
) -> FieldMap {
    let d = FieldMap::default();
    FieldMap {
        text: text.unwrap_or(d.text),
        id: id.unwrap_or(d.id),
        date: date.unwrap_or(d.date),
        outlet: outlet.unwrap_or(d.outlet),
        url: url.unwrap_or(d.url),
        title: title.unwrap_or(d.title),
        source: d.source,
    }
}

/// The JSON value of one Python field value: what a JSON Lines record
/// holding it would hold, so that the crate's checks apply unchanged.
fn json_value(v: &Bound<'_, PyAny>) -> PyResult<Value> {
    Ok(if v.is_none() {
        Value::Null
    } else if let Ok(s) = v.cast::<PyString>() {
        Value::String(s.to_cow()?.into_owned())
    } else if v.is_instance_of::<PyBool>() {
        Value::Bool(v.extract()?)
    } else if v.is_instance_of::<PyInt>() {
        match v.extract::<i64>() {
            Ok(i) => Value::from(i),
            Err(_) => Value::from(v.extract::<u64>().unwrap_or(u64::MAX)),
        }
    } else if v.is_instance_of::<PyFloat>() {
        serde_json::Number::from_f64(v.extract()?).map_or(Value::Null, Value::Number)
    } else {
        // Anything else is not a string: the crate says which field.
        Value::Array(Vec::new())
    })
}

/// The field names of a [`FieldMap`] as Python strings, made once for a
/// run (a lookup by a Rust `&str` makes a new Python string each time).
pub(crate) struct FieldNames<'py> {
    names: Vec<Bound<'py, PyString>>,
}

impl<'py> FieldNames<'py> {
    pub(crate) fn new(py: Python<'py>, fields: &FieldMap) -> Self {
        FieldNames {
            names: field_names(fields)
                .into_iter()
                .map(|name| PyString::intern(py, name))
                .collect(),
        }
    }
}

/// A record: a `str` (the body; id `default_id`) or a mapping with the
/// fields of `fields`. Errors name `where_` (`records[3]`).
pub(crate) fn article(
    rec: &Bound<'_, PyAny>,
    default_id: &str,
    fields: &FieldMap,
    where_: impl FnOnce() -> String,
) -> PyResult<Article> {
    article_named(
        rec,
        default_id,
        fields,
        &FieldNames::new(rec.py(), fields),
        where_,
    )
}

/// [`article`] with the field names made beforehand.
pub(crate) fn article_named(
    rec: &Bound<'_, PyAny>,
    default_id: &str,
    fields: &FieldMap,
    names: &FieldNames<'_>,
    where_: impl FnOnce() -> String,
) -> PyResult<Article> {
    if let Ok(s) = rec.cast::<PyString>() {
        return Ok(Article {
            id: default_id.to_string(),
            text: s.to_cow()?.into_owned(),
            ..Article::default()
        });
    }
    let dict = match rec.cast::<PyDict>() {
        Ok(d) => d.clone(),
        Err(_) => {
            // Any other mapping (a pandas row as a Series, say).
            if rec.hasattr("keys")? && rec.hasattr("__getitem__")? {
                let d = PyDict::new(rec.py());
                for name in &names.names {
                    if rec.call_method1("__contains__", (name,))?.is_truthy()? {
                        d.set_item(name, rec.get_item(name)?)?;
                    }
                }
                d
            } else {
                return Err(PyTypeError::new_err(format!(
                    "{}: a record must be a str or a dict with a \"{}\" field, not {}",
                    where_(),
                    fields.text,
                    rec.get_type().name()?
                )));
            }
        }
    };
    let mut map = serde_json::Map::new();
    for (name, field) in names.names.iter().zip(field_names(fields)) {
        if let Some(v) = dict.get_item(name)? {
            map.insert(field.to_string(), json_value(&v)?);
        }
    }
    neardiff::article_from_json(Value::Object(map), default_id, fields)
        .map_err(|e| to_py_err(e.with_source(where_())))
}

fn field_names(f: &FieldMap) -> [&str; 7] {
    [
        &f.text, &f.id, &f.date, &f.outlet, &f.url, &f.title, &f.source,
    ]
}

/// One side of `compare`/`story`: a `str`, a `dict`, or a path (read as
/// the command-line tool reads an article file).
pub(crate) fn side(v: &Bound<'_, PyAny>, default_id: &str) -> PyResult<Article> {
    if !v.is_instance_of::<PyString>()
        && !v.is_instance_of::<PyDict>()
        && v.hasattr("__fspath__")?
    {
        let path: std::path::PathBuf = v.extract()?;
        return neardiff::read_article(&path).map_err(to_py_err);
    }
    article(v, default_id, &FieldMap::default(), || {
        default_id.to_string()
    })
}
