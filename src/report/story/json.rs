//! JSON output: the `neardiff.story/1` contract (see `docs/story-schema.md`).

use std::io::Write;

use crate::story::Story;

/// Writes the story as pretty-printed JSON followed by a newline.
pub fn render(story: &Story, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, story)?;
    out.write_all(b"\n")
}
