//! CSV tables: the first byte chooses the options (header, label column,
//! task, delimiter), the rest is the file.
#![no_main]
use gradlab::data::{dataset_from_csv, CsvOptions, LabelColumn, Task};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&opt, text)) = data.split_first() else { return };
    let label_column = match (opt >> 2) & 3 {
        0 => LabelColumn::Last,
        1 => LabelColumn::First,
        2 => LabelColumn::Index(usize::from(opt >> 4)),
        _ => LabelColumn::Name("label".to_string()),
    };
    let opts = CsvOptions {
        has_header: opt & 1 == 1,
        label_column,
        task: if opt & 2 == 2 {
            Task::Regression
        } else {
            Task::Classification
        },
        delimiter: [None, Some(b','), Some(b';'), Some(b'\t')][usize::from(opt >> 6)],
    };
    if let Ok(ds) = dataset_from_csv("fuzz", text, &opts) {
        ds.check().expect("a parsed CSV dataset passes its own check");
    }
});
