//! A reader of string columns from an Arrow C stream (the Arrow C data
//! interface: `ArrowArrayStream`, handed over in a PyCapsule named
//! `arrow_array_stream` by `__arrow_c_stream__`). Only what `dedup` and
//! `Index` need: record batches (struct arrays) whose columns of interest
//! are `utf8` (`u`) or `large_utf8` (`U`) arrays; `neardiff/__init__.py`
//! casts other column types before export. The values are read in place
//! from the producer's buffers, never copied per row. No Arrow crate is
//! used: the structs are the specification's, a few dozen lines, where the
//! arrow-rs crates would add minutes of compile time on a small machine.

use std::ffi::{CStr, c_char, c_int, c_void};

/// `struct ArrowSchema` of the C data interface.
#[repr(C)]
pub struct ArrowSchema {
    format: *const c_char,
    name: *const c_char,
    metadata: *const c_char,
    flags: i64,
    n_children: i64,
    children: *mut *mut ArrowSchema,
    dictionary: *mut ArrowSchema,
    release: Option<unsafe extern "C" fn(*mut ArrowSchema)>,
    private_data: *mut c_void,
}

/// `struct ArrowArray` of the C data interface.
#[repr(C)]
pub struct ArrowArray {
    length: i64,
    null_count: i64,
    offset: i64,
    n_buffers: i64,
    n_children: i64,
    buffers: *mut *const c_void,
    children: *mut *mut ArrowArray,
    dictionary: *mut ArrowArray,
    release: Option<unsafe extern "C" fn(*mut ArrowArray)>,
    private_data: *mut c_void,
}

/// `struct ArrowArrayStream` of the C stream interface.
#[repr(C)]
pub struct ArrowArrayStream {
    get_schema: Option<unsafe extern "C" fn(*mut ArrowArrayStream, *mut ArrowSchema) -> c_int>,
    get_next: Option<unsafe extern "C" fn(*mut ArrowArrayStream, *mut ArrowArray) -> c_int>,
    get_last_error: Option<unsafe extern "C" fn(*mut ArrowArrayStream) -> *const c_char>,
    release: Option<unsafe extern "C" fn(*mut ArrowArrayStream)>,
    private_data: *mut c_void,
}

impl ArrowSchema {
    fn empty() -> ArrowSchema {
        ArrowSchema {
            format: std::ptr::null(),
            name: std::ptr::null(),
            metadata: std::ptr::null(),
            flags: 0,
            n_children: 0,
            children: std::ptr::null_mut(),
            dictionary: std::ptr::null_mut(),
            release: None,
            private_data: std::ptr::null_mut(),
        }
    }
}

impl Drop for ArrowSchema {
    fn drop(&mut self) {
        if let Some(release) = self.release {
            // SAFETY: a schema with a release callback was filled in by its
            // producer and not released yet; the callback frees it once.
            unsafe { release(self) };
        }
    }
}

impl ArrowArray {
    fn empty() -> ArrowArray {
        ArrowArray {
            length: 0,
            null_count: 0,
            offset: 0,
            n_buffers: 0,
            n_children: 0,
            buffers: std::ptr::null_mut(),
            children: std::ptr::null_mut(),
            dictionary: std::ptr::null_mut(),
            release: None,
            private_data: std::ptr::null_mut(),
        }
    }
}

impl Drop for ArrowArray {
    fn drop(&mut self) {
        if let Some(release) = self.release {
            // SAFETY: as for `ArrowSchema`: filled in, not yet released.
            unsafe { release(self) };
        }
    }
}

/// An owned stream, released when dropped.
pub struct Stream(ArrowArrayStream);

// SAFETY: the C stream interface lets a consumer call a stream from any
// thread, one call at a time; `Stream` is used by one thread at a time.
unsafe impl Send for Stream {}

impl Drop for Stream {
    fn drop(&mut self) {
        if let Some(release) = self.0.release {
            // SAFETY: the stream was moved out of its capsule and is
            // released here once.
            unsafe { release(&mut self.0) };
        }
    }
}

impl Stream {
    /// Takes the stream out of a capsule's pointer, leaving the capsule's
    /// copy marked released (as the interface prescribes for a consumer
    /// that moves a stream).
    ///
    /// # Safety
    /// `ptr` must point to a valid, unreleased `ArrowArrayStream`.
    pub unsafe fn take(ptr: *mut ArrowArrayStream) -> Stream {
        // SAFETY: the caller guarantees `ptr` is valid; the copy owns the
        // stream once the original's release is cleared.
        unsafe {
            let s = std::ptr::read(ptr);
            (*ptr).release = None;
            Stream(s)
        }
    }

    fn error(&mut self, what: &str, code: c_int) -> String {
        let detail = self.0.get_last_error.and_then(|f| {
            // SAFETY: the stream is live; the message, when not null, is a
            // NUL-terminated string valid until the next call.
            let p = unsafe { f(&mut self.0) };
            (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
        });
        format!(
            "Arrow stream: {what} failed (error {code}){}",
            detail.map(|d| format!(": {d}")).unwrap_or_default()
        )
    }

    /// The column names and formats of the stream's record batches.
    pub fn columns(&mut self) -> Result<Vec<(String, String)>, String> {
        let get = self.0.get_schema.ok_or("Arrow stream without get_schema")?;
        let mut schema = ArrowSchema::empty();
        // SAFETY: the stream is live; `schema` is an empty struct for the
        // producer to fill in.
        let code = unsafe { get(&mut self.0, &mut schema) };
        if code != 0 {
            return Err(self.error("get_schema", code));
        }
        let text = |p: *const c_char| {
            if p.is_null() {
                String::new()
            } else {
                // SAFETY: format and name are NUL-terminated strings owned
                // by the schema, which outlives this call.
                unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
            }
        };
        if text(schema.format) != "+s" {
            return Err("Arrow stream: expected record batches (a struct type)".into());
        }
        let mut out = Vec::new();
        for i in 0..schema.n_children.max(0) as usize {
            // SAFETY: a struct schema has `n_children` valid child pointers.
            let child = unsafe { &**schema.children.add(i) };
            out.push((text(child.name), text(child.format)));
        }
        Ok(out)
    }

    /// The next record batch, or `None` at the end.
    pub fn next_batch(&mut self) -> Result<Option<Batch>, String> {
        let get = self.0.get_next.ok_or("Arrow stream without get_next")?;
        let mut array = ArrowArray::empty();
        // SAFETY: the stream is live; `array` is empty for the producer.
        let code = unsafe { get(&mut self.0, &mut array) };
        if code != 0 {
            return Err(self.error("get_next", code));
        }
        if array.release.is_none() {
            return Ok(None);
        }
        Ok(Some(Batch(array)))
    }
}

/// One record batch (a struct array), released when dropped.
pub struct Batch(ArrowArray);

// SAFETY: a released-on-drop array owned by one thread; its buffers are
// only read.
unsafe impl Send for Batch {}
unsafe impl Sync for Batch {}

/// A string column of a batch, read in place.
pub struct Strings<'a> {
    len: usize,
    offset: usize,
    validity: Option<&'a [u8]>,
    offsets: Offsets<'a>,
    data: &'a [u8],
}

enum Offsets<'a> {
    Small(&'a [i32]),
    Large(&'a [i64]),
}

impl Batch {
    /// Rows of the batch.
    pub fn len(&self) -> usize {
        self.0.length.max(0) as usize
    }

    /// Column `i`, a string column (`large` for `U`, else `u`).
    pub fn strings(&self, i: usize, large: bool) -> Result<Strings<'_>, String> {
        let a = &self.0;
        if i >= a.n_children.max(0) as usize {
            return Err(format!("Arrow batch has no column {i}"));
        }
        // SAFETY: a struct array has `n_children` valid child pointers,
        // living as long as the batch.
        let c = unsafe { &**a.children.add(i) };
        if c.n_buffers != 3 {
            return Err("Arrow string column without its three buffers".into());
        }
        // The struct's own offset shifts every child.
        let offset = (c.offset.max(0) + a.offset.max(0)) as usize;
        let len = self.len();
        if (c.length.max(0) as usize) < a.offset.max(0) as usize + len {
            return Err("Arrow string column shorter than its batch".into());
        }
        let n_offsets = offset + len + 1;
        // SAFETY: buffers 0..3 of a string array are the validity bitmap
        // (may be null when there are no nulls), the offsets (at least
        // offset + length + 1 of them) and the data (at least the last
        // offset's bytes), valid while the batch lives.
        unsafe {
            let bufs = std::slice::from_raw_parts(c.buffers, 3);
            let validity = (!bufs[0].is_null() && c.null_count != 0)
                .then(|| std::slice::from_raw_parts(bufs[0] as *const u8, n_offsets.div_ceil(8)));
            let (offsets, end) = if large {
                let o = std::slice::from_raw_parts(bufs[1] as *const i64, n_offsets);
                (Offsets::Large(o), o[n_offsets - 1].max(0) as usize)
            } else {
                let o = std::slice::from_raw_parts(bufs[1] as *const i32, n_offsets);
                (Offsets::Small(o), o[n_offsets - 1].max(0) as usize)
            };
            let data = if end == 0 {
                &[][..]
            } else {
                std::slice::from_raw_parts(bufs[2] as *const u8, end)
            };
            Ok(Strings {
                len,
                offset,
                validity,
                offsets,
                data,
            })
        }
    }
}

impl<'a> Strings<'a> {
    /// Value `row`: `Ok(None)` for a null, an error for invalid UTF-8 or
    /// offsets out of range.
    pub fn get(&self, row: usize) -> Result<Option<&'a str>, String> {
        debug_assert!(row < self.len);
        let i = self.offset + row;
        if let Some(v) = self.validity
            && v[i / 8] >> (i % 8) & 1 == 0
        {
            return Ok(None);
        }
        let (s, e) = match self.offsets {
            Offsets::Small(o) => (o[i] as i64, o[i + 1] as i64),
            Offsets::Large(o) => (o[i], o[i + 1]),
        };
        let bytes = usize::try_from(s)
            .ok()
            .zip(usize::try_from(e).ok())
            .and_then(|(s, e)| self.data.get(s..e))
            .ok_or("Arrow string offsets out of range")?;
        std::str::from_utf8(bytes)
            .map(Some)
            .map_err(|e| format!("invalid UTF-8 at byte {} of the value", e.valid_up_to()))
    }
}
