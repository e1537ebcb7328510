//! CSV parsing: options, delimiter detection, label handling and messages.

use super::*;

fn opts(has_header: bool, label_column: LabelColumn, task: CsvTask) -> CsvOptions {
    CsvOptions {
        has_header,
        label_column,
        task,
        delimiter: None,
    }
}

fn parse(text: &str, o: &CsvOptions) -> crate::Result<Dataset> {
    dataset_from_csv("t", text.as_bytes(), o)
}

fn err(text: &str, o: &CsvOptions) -> String {
    match parse(text, o) {
        Err(crate::Error::Data(m)) => m,
        other => panic!("expected a data error, got {other:?}"),
    }
}

fn floats(d: &Dataset) -> Vec<f32> {
    match &d.features {
        Features::F32 { data } => data.clone(),
        Features::U8 { .. } => panic!("csv gives f32 features"),
    }
}

fn labels(d: &Dataset) -> Vec<u32> {
    (0..d.len()).map(|i| d.label(i).unwrap()).collect()
}

#[test]
fn header_and_label_column_options() {
    let text = "a,b,label\n1,2,0\n3,4.5,1\n-5,6e1,2\n";
    let d = parse(text, &CsvOptions::default()).unwrap();
    assert_eq!(
        (d.len(), d.sample_shape.clone(), d.num_classes()),
        (3, vec![2], Some(3))
    );
    assert_eq!(floats(&d), vec![1.0, 2.0, 3.0, 4.5, -5.0, 60.0]);
    assert_eq!(labels(&d), vec![0, 1, 2]);
    assert_eq!(d.class_names, vec!["0", "1", "2"]);
    assert_eq!(d.normalization, Normalization::None);

    let by_name = parse(text, &opts(true, LabelColumn::Name("b".into()), Task::Regression)).unwrap();
    assert_eq!(floats(&by_name), vec![1.0, 0.0, 3.0, 1.0, -5.0, 2.0]);
    assert_eq!(
        by_name.targets,
        Targets::Values {
            data: vec![2.0, 4.5, 60.0],
            dim: 1
        }
    );
    // Names match case-insensitively when there is no exact match.
    assert!(parse(
        text,
        &opts(true, LabelColumn::Name("LABEL".into()), Task::Classification)
    )
    .is_ok());

    let first = parse("0,1,2\n1,3,4\n", &opts(false, LabelColumn::First, Task::Classification)).unwrap();
    assert_eq!(
        (first.len(), labels(&first), floats(&first)),
        (2, vec![0, 1], vec![1.0, 2.0, 3.0, 4.0])
    );
    let mid = parse(
        "5,1,7\n6,0,8\n",
        &opts(false, LabelColumn::Index(1), Task::Classification),
    )
    .unwrap();
    assert_eq!((labels(&mid), floats(&mid)), (vec![1, 0], vec![5.0, 7.0, 6.0, 8.0]));

    let m = err(text, &opts(true, LabelColumn::Index(3), Task::Classification));
    assert!(m.contains("index 3 is out of range") && m.contains("0 to 2"), "{m}");
    let m = err(text, &opts(true, LabelColumn::Name("y".into()), Task::Classification));
    assert!(
        m.contains("no column is named 'y'; the columns are: a, b, label"),
        "{m}"
    );
    let m = err(
        "1,2\n",
        &opts(false, LabelColumn::Name("y".into()), Task::Classification),
    );
    assert!(m.contains("no header row"), "{m}");
}

#[test]
fn delimiters_are_detected() {
    let want = vec![1.0, 2.0, 3.0, 4.0];
    for text in [
        "x;y;l\n1;2;0\n3;4;1\n",
        "x\ty\tl\n1\t2\t0\n3\t4\t1\n",
        "x  y l\n 1 2   0\n3 4 1\n",
        "x,y,l\r\n1,2,0\r\n3,4,1\r\n",
    ] {
        let d = parse(text, &CsvOptions::default()).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(floats(&d), want, "{text:?}");
    }
    // ';' outnumbers ',' in the first line, so "2,5" stays one (non-numeric) cell.
    assert_eq!(
        err("a;b;l\n1;2,5;0\n", &CsvOptions::default()),
        "line 2: column 2 is '2,5', not a number"
    );
    // Explicit delimiter wins over detection.
    let o = CsvOptions {
        delimiter: Some(b'|'),
        ..CsvOptions::default()
    };
    assert_eq!(floats(&parse("a|b\n1.5|1\n", &o).unwrap()), vec![1.5]);
    // BOM and quotes.
    let d = parse(
        "\u{feff}\"a\",\"b, c\",\"label\"\n\"1\",\" 2 \",\"x\"\n",
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (floats(&d), d.class_names.clone()),
        (vec![1.0, 2.0], vec!["x".to_string()])
    );
    assert!(err("a,b\n\"1,0\n", &CsvOptions::default()).contains("line 2: a quoted field is not closed"));
}

#[test]
fn messages_name_line_and_column() {
    // Blank lines still count for line numbers.
    let text = "a,b,c,label\n1,2,3,0\n\n4,5,abc,1\n";
    assert_eq!(
        err(text, &CsvOptions::default()),
        "line 4: column 3 is 'abc', not a number"
    );
    assert_eq!(
        err("a,b\n1,0\n2,\n", &CsvOptions::default()),
        "line 3: the label (column 2) is empty; give every row a label"
    );
    assert_eq!(
        err("a,b,l\n1,,0\n", &CsvOptions::default()),
        "line 2: column 2 is empty; fill in the missing value or remove the row"
    );
    assert_eq!(
        err("a,l\nnan,0\n", &CsvOptions::default()),
        "line 2: column 1 is 'nan', not a finite number"
    );
    assert_eq!(
        err("a,l\ninf,0\n", &CsvOptions::default()),
        "line 2: column 1 is 'inf', not a finite number"
    );
    let m = err("a,b,l\n1,2,0\n1,2\n", &CsvOptions::default());
    assert_eq!(
        m,
        "line 3 has 2 columns but line 1 has 3: every row needs the same number of columns"
    );
    let m = err(
        "1,2,0\n1,2,3,4\n",
        &opts(false, LabelColumn::Last, Task::Classification),
    );
    assert!(m.starts_with("line 2 has 4 columns but line 1 has 3"), "{m}");
    let reg = opts(true, LabelColumn::Last, Task::Regression);
    assert_eq!(err("a,y\n1,high\n", &reg), "line 2: column 2 is 'high', not a number");
}

#[test]
fn empty_and_degenerate_files() {
    let d = CsvOptions::default();
    assert!(err("", &d).contains("the CSV file is empty"));
    assert!(err(" \n\r\n\n", &d).contains("the CSV file is empty"));
    assert!(err("a,b,label\n", &d).contains("header (line 1) but no data rows"));
    assert!(err("a\n1\n", &d).contains("at least 2"));
    let gz = dataset_from_csv("t", &[0x1f, 0x8b, 8, 0], &d).unwrap_err().to_string();
    assert!(gz.contains("gzip-compressed; decompress it first"), "{gz}");
    assert!(dataset_from_csv("t", &[0x61, 0xff, 0x0a], &d).is_err());
}

#[test]
fn text_and_signed_labels_become_sorted_classes() {
    let d = parse(
        "x,species\n1,virginica\n2,setosa\n3,versicolor\n4,setosa\n",
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(d.class_names, vec!["setosa", "versicolor", "virginica"]);
    assert_eq!(labels(&d), vec![2, 0, 1, 0]);
    // -1 / +1 (perceptron style) sort numerically: -1 → class 0, 1 → class 1.
    let d = parse("x,y\n1,1\n2,-1\n3,1\n", &CsvOptions::default()).unwrap();
    assert_eq!(
        (d.class_names.clone(), labels(&d)),
        (vec!["-1".to_string(), "1".to_string()], vec![1, 0, 1])
    );
    // Numeric sort, not text sort: "10" after "9".
    let d = parse("x,y\n1,10\n2,9\n3,-2.5\n", &CsvOptions::default()).unwrap();
    assert_eq!(d.class_names, vec!["-2.5", "9", "10"]);
    // Integers ≥ 0 are class indices, gaps included ("1.0" counts as 1).
    let d = parse("x,y\n1,3\n2,1.0\n", &CsvOptions::default()).unwrap();
    assert_eq!((d.num_classes(), labels(&d)), (Some(4), vec![3, 1]));
    let many: String = std::iter::once("x,y\n".to_string())
        .chain((0..1001).map(|i| format!("{i},v{i}\n")))
        .collect();
    assert!(err(&many, &CsvOptions::default()).contains("set the task to regression"));
    assert!(err("x,y\n1,5000\n", &CsvOptions::default()).contains("5001 classes"));
}

#[test]
fn options_serialize_as_snake_case() {
    let o = CsvOptions {
        label_column: LabelColumn::Name("label".into()),
        ..CsvOptions::default()
    };
    let j = serde_json::to_string(&o).unwrap();
    assert_eq!(
        j,
        r#"{"has_header":true,"label_column":{"name":"label"},"task":"classification","delimiter":null}"#
    );
    assert_eq!(serde_json::from_str::<CsvOptions>(&j).unwrap(), o);
}
