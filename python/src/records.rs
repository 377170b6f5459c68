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
    Ok(parts(rec, default_id, fields, names, false, where_)?.0)
}

/// A record as [`article_named`] reads it, its body borrowed from the
/// Python `str` that holds it where it can be: the article comes with its
/// `text` left empty and a [`Body`] (the body is the article's `text`
/// when the value could not be borrowed: it is not a `str`, or one that
/// is not valid Unicode, whose error the owned path then reports).
pub(crate) fn article_borrowed<'py>(
    rec: &Bound<'py, PyAny>,
    default_id: &str,
    fields: &FieldMap,
    names: &FieldNames<'_>,
    where_: impl FnOnce() -> String,
) -> PyResult<(Article, Option<Body>)> {
    parts(rec, default_id, fields, names, true, where_)
}

/// The body of a record, borrowed from the Python `str` that holds it:
/// the string's UTF-8 form, which CPython keeps in the object for as long
/// as the object lives (for an ASCII string it is the string's own data).
/// The `str` itself comes along ([`Body::owner`]); whoever reads the bytes
/// must keep it (or another reference to it) alive meanwhile.
pub(crate) struct Body {
    ptr: *const u8,
    len: usize,
    owner: Py<PyAny>,
}

// SAFETY: the bytes belong to an immutable `str` object and are never
// written after `PyUnicode_AsUTF8AndSize` made them; the pointer is only
// read (`Body::text`) while the reference in `owner` keeps them alive, so
// a `Body` may move to and be read from any thread.
unsafe impl Send for Body {}
// SAFETY: as for `Send`: `&Body` only reads.
unsafe impl Sync for Body {}

impl Body {
    /// The UTF-8 bytes of `s`, or `None` (with no Python error pending)
    /// when it is not valid Unicode (lone surrogates).
    fn of(s: &Bound<'_, PyString>) -> Option<Body> {
        let mut len: pyo3::ffi::Py_ssize_t = 0;
        // SAFETY: `s` is a live `str` and the GIL is held.
        let ptr = unsafe { PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut len) };
        if ptr.is_null() {
            // Clear the UnicodeEncodeError: the owned path raises it again.
            drop(PyErr::take(s.py()));
            return None;
        }
        Some(Body {
            ptr: ptr.cast(),
            len: usize::try_from(len).ok()?,
            owner: s.clone().into_any().unbind(),
        })
    }

    /// The text.
    pub(crate) fn text(&self) -> &str {
        // SAFETY: `owner` keeps the object, and so its UTF-8 form, alive
        // for the life of `self`; CPython made the bytes as valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(self.ptr, self.len)) }
    }

    /// The `str` that holds the bytes; [`Body::text`] may be read no
    /// longer than it lives.
    pub(crate) fn into_owner(self) -> Py<PyAny> {
        self.owner
    }
}

// `PyUnicode_AsUTF8AndSize` is in the stable ABI from Python 3.10; CPython
// has exported it, with the same signature, since 3.3, so the abi3 wheel
// (built for 3.9 and later, where pyo3 leaves it out) declares it itself.
unsafe extern "C" {
    fn PyUnicode_AsUTF8AndSize(
        unicode: *mut pyo3::ffi::PyObject,
        size: *mut pyo3::ffi::Py_ssize_t,
    ) -> *const std::os::raw::c_char;
}

fn parts(
    rec: &Bound<'_, PyAny>,
    default_id: &str,
    fields: &FieldMap,
    names: &FieldNames<'_>,
    borrow: bool,
    where_: impl FnOnce() -> String,
) -> PyResult<(Article, Option<Body>)> {
    if let Ok(s) = rec.cast::<PyString>() {
        let body = if borrow { Body::of(s) } else { None };
        let text = match body {
            Some(_) => String::new(),
            None => s.to_cow()?.into_owned(),
        };
        let a = Article {
            id: default_id.to_string(),
            text,
            ..Article::default()
        };
        return Ok((a, body));
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
    let mut body = None;
    for (k, (name, field)) in names.names.iter().zip(field_names(fields)).enumerate() {
        if let Some(v) = dict.get_item(name)? {
            // The body (field 0) borrowed stands in the record as an empty
            // string, which passes the same checks as the text would.
            if k == 0 && borrow {
                body = v.cast::<PyString>().ok().and_then(Body::of);
                if body.is_some() {
                    map.insert(field.to_string(), Value::String(String::new()));
                    continue;
                }
            }
            map.insert(field.to_string(), json_value(&v)?);
        }
    }
    let a = neardiff::article_from_json(Value::Object(map), default_id, fields)
        .map_err(|e| to_py_err(e.with_source(where_())))?;
    Ok((a, body))
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
