//! The HTML story report (placeholder).

use std::io::{self, Write};

use crate::story::Story;

/// Writes the HTML report of `story` to `out`.
pub fn render(story: &Story, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", story.source)
}
