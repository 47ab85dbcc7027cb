//! Byte offsets to 1-based lines and columns, for findings shown in editors and CI.

/// Where each line of a text starts, so that many offsets turn into lines and columns without
/// scanning the text again for each (a file with thousands of findings stays linear).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text` (one pass).
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { text, starts }
    }

    /// The 1-based line and column of byte `at` (clamped to the text). Columns count
    /// characters (Unicode scalar values), as SARIF's `unicodeCodePoints` and most editors do.
    pub fn line_column(&self, at: usize) -> (usize, usize) {
        let mut at = at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= at);
        let start = self.starts[line - 1];
        let column = self.text[start..at].chars().count() + 1;
        (line, column)
    }

    /// The text of 1-based line `line`, without its line end; empty past the last line.
    pub fn line_text(&self, line: usize) -> &'a str {
        let Some(&start) = line.checked_sub(1).and_then(|i| self.starts.get(i)) else {
            return "";
        };
        let end = self
            .starts
            .get(line)
            .map_or(self.text.len(), |&next| next - 1);
        self.text[start..end].trim_end_matches('\r')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_characters() {
        let text = "ab\ncé d\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_column(0), (1, 1));
        assert_eq!(index.line_column(2), (1, 3));
        assert_eq!(index.line_column(3), (2, 1));
        assert_eq!(index.line_column(text.find('d').unwrap()), (2, 4));
        // Inside a character: its start. Past the end: the end.
        assert_eq!(index.line_column(text.find('é').unwrap() + 1), (2, 2));
        assert_eq!(index.line_column(100), (3, 1));
        assert_eq!(index.line_text(2), "cé d");
        assert_eq!(index.line_text(3), "");
        assert_eq!(LineIndex::new("a\r\nb").line_text(1), "a");
    }
}
