//! The upload dialog's preview of a CSV file: its first lines as the parser
//! splits them (before any line is skipped, so a description line shows) and
//! what [`import_csv`] decides with the current options — or its error, with
//! the lines still shown so the user can change an option.

use serde::Serialize;

use super::csv_import::{CsvImport, CsvReport};
use super::csv_job::CsvJob;

/// One line of the file as split into cells; `line` is 1-based.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PreviewLine {
    pub line: usize,
    pub cells: Vec<String>,
}

/// `lines`: the first non-blank lines; `report` (the import's decisions) or
/// `error` (the import's message, naming line and column).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CsvPreview {
    pub lines: Vec<PreviewLine>,
    pub report: Option<CsvReport>,
    pub error: Option<String>,
}

/// The preview of `bytes` imported with `opts` (split with `seed`), showing at
/// most `max_lines` lines. Parses the whole file: the report and the errors
/// are exactly those of the import (a large file: [`CsvJob::preview`] in slices).
pub fn preview_csv(name: &str, bytes: &[u8], opts: &CsvImport, seed: u64, max_lines: usize) -> CsvPreview {
    let mut job = CsvJob::new(name, bytes, opts.clone(), seed);
    job.step(bytes, usize::MAX);
    job.preview(max_lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{LabelColumn, Task};

    const TABLE: &str = "150,4,setosa,versicolor\nsl,sw,species\n5.1,3.5,0\n4.9,3.0,1\n6.2,2.9,1\n5.0,3.6,0\n";

    #[test]
    fn the_preview_shows_raw_lines_and_the_decisions() {
        let opts = CsvImport {
            skip_lines: Some(1),
            test_fraction: 0.5,
            ..CsvImport::default()
        };
        let p = preview_csv("t", TABLE.as_bytes(), &opts, 1, 3);
        assert_eq!(p.error, None);
        // The raw lines, the skipped description line included.
        assert_eq!(p.lines.len(), 3);
        assert_eq!((p.lines[0].line, p.lines[0].cells[0].as_str()), (1, "150"));
        assert_eq!(p.lines[1].cells, ["sl", "sw", "species"]);
        let r = p.report.unwrap();
        // Line 2 has text above numbers: a header; no label/target/class/y column: the last.
        assert!(r.header);
        assert_eq!((r.label_column, r.task, r.rows), (2, Task::Classification, 4));
    }

    #[test]
    fn an_error_keeps_the_lines_and_names_line_and_column() {
        let bad = "a,b,label\n1,2,0\n3,x,1\n";
        let p = preview_csv("t", bad.as_bytes(), &CsvImport::default(), 1, 10);
        assert!(p.report.is_none());
        let e = p.error.unwrap();
        // Line 3, column 2 holds "x" in a numeric column.
        assert!(e.contains("line 3") && e.contains("column 2"), "{e}");
        assert_eq!(p.lines.len(), 3);
        let opts = CsvImport {
            label: Some(LabelColumn::Name("nope".into())),
            ..CsvImport::default()
        };
        let p = preview_csv("t", b"a,b\n1,2\n", &opts, 1, 10);
        assert!(p.error.unwrap().contains("nope"));
        // Bytes that are not text: no lines, the parser's message.
        let p = preview_csv("t", &[0xff, 0xfe, 0x00], &CsvImport::default(), 1, 10);
        assert!(p.lines.is_empty() && p.error.unwrap().contains("UTF-8"));
    }
}
