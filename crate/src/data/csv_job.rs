//! Reading a CSV file in slices, so a large upload's progress is real and it
//! can be stopped: the page's worker calls [`CsvJob::step`] with a byte
//! budget, reports `done_bytes / total_bytes` and yields between slices
//! (Cancel), then [`CsvJob::finish`] (the import) or [`CsvJob::preview`].
//! Reading all at once ([`super::csv::read_rows`], [`import_csv`]) is the same
//! reader with an unlimited budget, so the slices cannot change the result.
//!
//! The budget counts the bytes of whole lines: a slice ends at the first line
//! end after `max_bytes`, never inside a line (a line end is one byte in
//! UTF-8, never part of another character).

use crate::error::data_err;
use crate::Result;

use super::csv::{detect_delimiter, split_fields, Delim, Row};
use super::csv_import::{check_options, import_rows, CsvImport, ImportedCsv};
use super::csv_preview::{CsvPreview, PreviewLine};
use super::idx::reject_gzip;

#[cfg(doc)]
use super::csv_import::import_csv;

/// The non-blank lines of a CSV file split into fields, read a slice at a time.
#[derive(Debug)]
pub struct RowReader {
    /// Next byte to read (after a BOM at the start).
    pos: usize,
    /// 1-based number of the line at `pos`.
    line: usize,
    delim: Delim,
    rows: Vec<Row>,
}

/// The lines of `text` without their `\n` / `\r\n` ends.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l))
}

impl RowReader {
    /// Checks the bytes are UTF-8 text (not gzip, not empty) and chooses the
    /// delimiter: `delimiter`, else detected from non-blank line `detect_at`
    /// (0-based), else from the last one.
    pub fn new(bytes: &[u8], delimiter: Option<u8>, detect_at: usize) -> Result<RowReader> {
        reject_gzip(bytes, "CSV file")?;
        let text = std::str::from_utf8(bytes).map_err(|e| {
            crate::Error::Data(format!(
                "the CSV file is not UTF-8 text (invalid byte at offset {})",
                e.valid_up_to()
            ))
        })?;
        let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut non_blank = lines(&text[start..]).filter(|l| !l.trim().is_empty());
        let Some(first) = non_blank.next() else {
            return data_err("the CSV file is empty: it needs at least one data row");
        };
        let delim = match delimiter {
            Some(d) => Delim::from_byte(d),
            None if detect_at == 0 => detect_delimiter(first),
            None => {
                let mut at = first;
                for (i, l) in non_blank.enumerate() {
                    at = l;
                    if i + 1 == detect_at {
                        break;
                    }
                }
                detect_delimiter(at)
            }
        };
        Ok(RowReader {
            pos: start,
            line: 1,
            delim,
            rows: Vec::new(),
        })
    }

    /// Reads whole lines of `bytes` (the same bytes as `new`) until at least
    /// `max_bytes` more are read or the file ends; true when it has ended.
    /// Errors name the line.
    pub fn step(&mut self, bytes: &[u8], max_bytes: usize) -> Result<bool> {
        let goal = self.pos.saturating_add(max_bytes);
        while self.pos < bytes.len() && self.pos < goal {
            let rest = &bytes[self.pos..];
            let (line, next) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => (&rest[..i], self.pos + i + 1),
                None => (rest, bytes.len()),
            };
            let ln = self.line;
            let text =
                std::str::from_utf8(line).map_err(|_| crate::Error::Data(format!("line {ln} is not UTF-8 text")))?;
            let text = text.strip_suffix('\r').unwrap_or(text);
            if !text.trim().is_empty() {
                let fields =
                    split_fields(text, self.delim).map_err(|m| crate::Error::Data(format!("line {ln}: {m}")))?;
                self.rows.push((ln, fields));
            }
            self.line += 1;
            self.pos = next;
        }
        Ok(self.pos >= bytes.len())
    }

    /// Bytes read so far (whole lines).
    pub fn done_bytes(&self) -> usize {
        self.pos
    }

    /// The rows read and the delimiter used (`' '` for runs of spaces).
    pub fn finish(self) -> (Vec<Row>, char) {
        let used = match self.delim {
            Delim::Byte(d) => d,
            Delim::Whitespace => ' ',
        };
        (self.rows, used)
    }
}

/// A CSV import read in slices. The first error (an option, the bytes, a
/// line) is kept and reported by `finish` / `preview`; steps after it do nothing.
#[derive(Debug)]
pub struct CsvJob {
    name: String,
    opts: CsvImport,
    seed: u64,
    total: usize,
    reader: Option<RowReader>,
    error: Option<crate::Error>,
}

impl CsvJob {
    /// A job importing `bytes` as dataset `name` with `opts`, split with `seed`.
    pub fn new(name: &str, bytes: &[u8], opts: CsvImport, seed: u64) -> CsvJob {
        let option_error = check_options(&opts).err();
        // The lines are read even when an option is wrong, so the preview shows them.
        let delimiter = opts.delimiter.filter(char::is_ascii).map(|c| c as u8);
        let (reader, read_error) = match RowReader::new(bytes, delimiter, opts.skip_lines.unwrap_or(0)) {
            Ok(r) => (Some(r), None),
            Err(e) => (None, Some(e)),
        };
        CsvJob {
            name: name.to_string(),
            opts,
            seed,
            total: bytes.len(),
            reader,
            error: option_error.or(read_error),
        }
    }

    /// Reads about `max_bytes` more of `bytes` (the same bytes as `new`); true
    /// when the whole file is read (or reading stopped at an error).
    pub fn step(&mut self, bytes: &[u8], max_bytes: usize) -> bool {
        let Some(reader) = self.reader.as_mut() else {
            return true;
        };
        match reader.step(bytes, max_bytes) {
            Ok(done) => done,
            Err(e) => {
                self.error.get_or_insert(e);
                true
            }
        }
    }

    /// Bytes read so far; `total_bytes` when done.
    pub fn done_bytes(&self) -> usize {
        self.reader.as_ref().map_or(self.total, RowReader::done_bytes)
    }

    pub fn total_bytes(&self) -> usize {
        self.total
    }

    /// The import of the rows read (call after the last step).
    pub fn finish(self) -> Result<ImportedCsv> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let Some(reader) = self.reader else {
            return data_err("the CSV file is empty: it needs at least one data row");
        };
        let (rows, delimiter) = reader.finish();
        import_rows(&self.name, rows, delimiter, &self.opts, self.seed)
    }

    /// The first `max_lines` rows read (before any is skipped) and the import's
    /// report or error (call after the last step).
    pub fn preview(self, max_lines: usize) -> CsvPreview {
        let lines = self.reader.as_ref().map_or_else(Vec::new, |r| {
            r.rows
                .iter()
                .take(max_lines)
                .map(|(line, cells)| PreviewLine {
                    line: *line,
                    cells: cells.clone(),
                })
                .collect()
        });
        match self.finish() {
            Ok(imported) => CsvPreview {
                lines,
                report: Some(imported.report),
                error: None,
            },
            Err(e) => CsvPreview {
                lines,
                report: None,
                error: Some(e.to_string()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::csv_import::import_csv;

    fn table() -> String {
        let mut t = "# made by a test\nx,colour,label\n".to_string();
        for i in 0..40 {
            t += &format!("{}.{i},{},{}\r\n\n", i % 7, ["red", "\"dark, blue\""][i % 2], i % 3);
        }
        t
    }

    fn in_slices(bytes: &[u8], opts: &CsvImport, slice: usize) -> (Result<ImportedCsv>, Vec<usize>) {
        let mut job = CsvJob::new("t", bytes, opts.clone(), 3);
        let mut seen = vec![job.done_bytes()];
        while !job.step(bytes, slice) {
            seen.push(job.done_bytes());
        }
        seen.push(job.done_bytes());
        (job.finish(), seen)
    }

    #[test]
    fn slices_give_the_import_of_the_whole_file() {
        let t = table();
        let opts = CsvImport {
            skip_lines: Some(1),
            ..CsvImport::default()
        };
        let whole = import_csv("t", t.as_bytes(), &opts, 3).unwrap();
        for slice in [1, 7, 100, 1 << 20] {
            let (r, seen) = in_slices(t.as_bytes(), &opts, slice);
            let r = r.unwrap();
            assert_eq!(
                (&r.train, &r.test, &r.report),
                (&whole.train, &whole.test, &whole.report)
            );
            // The count of bytes read only grows, in whole lines, and ends at the file's size.
            assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
            assert_eq!(*seen.last().unwrap(), t.len());
            if slice == 100 {
                // Each slice ends at the first line end after 100 bytes: one step per 100-odd bytes.
                assert!(
                    seen.len() > t.len() / 110,
                    "{} bytes in 100-byte slices: {seen:?}",
                    t.len()
                );
            }
        }
    }

    #[test]
    fn errors_in_slices_are_those_of_the_whole_file() {
        let broken = format!("{}1.0,\"open,2\n3,4,5\n", table());
        let opts = CsvImport {
            skip_lines: Some(1),
            ..CsvImport::default()
        };
        let whole = import_csv("t", broken.as_bytes(), &opts, 3).unwrap_err();
        // 2 + 80 lines of the table, then the unclosed quote on line 83.
        assert!(
            whole.to_string().contains("line 83: a quoted field is not closed"),
            "{whole}"
        );
        let (r, _) = in_slices(broken.as_bytes(), &opts, 64);
        assert_eq!(r.unwrap_err(), whole);
        // A preview keeps the lines read before the error.
        let mut job = CsvJob::new("t", broken.as_bytes(), opts, 3);
        while !job.step(broken.as_bytes(), 64) {}
        let p = job.preview(5);
        assert_eq!(p.lines.len(), 5);
        assert!(p.error.unwrap().contains("line 83"));
        // A bad option is reported first, with the lines still read.
        let bad = CsvImport {
            test_fraction: 1.5,
            ..CsvImport::default()
        };
        let (r, _) = in_slices(broken.as_bytes(), &bad, 64);
        assert!(r.unwrap_err().to_string().contains("test_fraction is 1.5"));
    }
}
