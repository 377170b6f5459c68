//! JSON output: the `neardiff.compare/4` contract (see `docs/json-schema.md`).

use std::io::Write;

use crate::compare::Comparison;

/// Writes the comparison as pretty-printed JSON followed by a newline.
pub fn render(c: &Comparison, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, c)?;
    out.write_all(b"\n")
}
