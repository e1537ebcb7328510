//! CSV import options: detection, overrides and every error message.

use super::*;

fn import(text: &str, o: &CsvImport) -> crate::Result<ImportedCsv> {
    import_csv("t", text.as_bytes(), o, 7)
}

fn err(text: &str, o: &CsvImport) -> String {
    match import(text, o) {
        Err(crate::Error::Data(m)) => m,
        Err(e) => panic!("expected a data error, got {e}"),
        Ok(_) => panic!("expected a data error, got a dataset"),
    }
}

/// Rows of the train and test parts as raw feature values (before scaling), sorted.
fn raw_rows(r: &ImportedCsv) -> Vec<Vec<f32>> {
    let mut out = Vec::new();
    for ds in [&r.train, &r.test] {
        let Features::F32 { data } = &ds.features else {
            panic!("csv gives f32 features")
        };
        out.extend(data.chunks(ds.input_size()).map(|c| c.to_vec()));
    }
    out.sort_by(|a, b| a.partial_cmp(b).unwrap());
    out
}

/// 10 rows, 2 classes (5 each): x = 0..9, label "a" (x < 5) or "b".
fn ab_table(header: &str) -> String {
    let mut t = header.to_string();
    for i in 0..10 {
        t += &format!("{i},{}\n", if i < 5 { "a" } else { "b" });
    }
    t
}

#[test]
fn header_is_detected_and_overridable() {
    let none = CsvImport {
        scaling: Scaling::None,
        ..CsvImport::default()
    };
    let r = import(&ab_table("x,kind\n"), &none).unwrap();
    assert!(r.report.header);
    assert_eq!(r.report.columns, vec!["x", "kind"]);
    assert_eq!(r.report.rows, 10);
    let r = import(&ab_table(""), &none).unwrap();
    assert!(!r.report.header);
    assert_eq!(r.report.columns, vec!["column 1", "column 2"]);
    // Forced header on a headerless file: the first row becomes the names.
    let forced = CsvImport {
        header: Some(true),
        ..none.clone()
    };
    let r = import(&ab_table(""), &forced).unwrap();
    assert_eq!(
        (r.report.rows, r.report.columns.clone()),
        (9, vec!["0".into(), "a".into()])
    );
    // Forced "no header" on a file with one: the names are data, and not numbers.
    let no = CsvImport {
        header: Some(false),
        ..none
    };
    assert_eq!(err(&ab_table("x,kind\n"), &no), "line 1: column 1 is 'x', not a number");
}

#[test]
fn sklearn_description_line_is_skipped_and_names_the_classes() {
    // scikit-learn's iris.csv layout: "n_samples,n_features,class names", no header.
    let mut t = "6,2,setosa,versicolor\n".to_string();
    for i in 0..6 {
        t += &format!("{i}.5,{},{}\n", i * 2, i % 2);
    }
    let r = import(&t, &CsvImport::default()).unwrap();
    assert_eq!(r.report.skipped_lines, 1);
    assert!(!r.report.header);
    assert_eq!(r.report.class_names, vec!["setosa", "versicolor"]);
    assert_eq!(r.train.class_names, vec!["setosa", "versicolor"]);
    assert!(r.report.notes[0].contains("line 1 is a scikit-learn description line"));
    assert_eq!(r.train.len() + r.test.len(), 6);
    // Without detection (skip_lines 0) the line is data and has the wrong width.
    let keep = CsvImport {
        skip_lines: Some(0),
        ..CsvImport::default()
    };
    assert_eq!(
        err(&t, &keep),
        "line 2 has 3 columns but line 1 has 4: every row needs the same number of columns"
    );
}

#[test]
fn skip_lines_drops_a_preamble() {
    let t = format!("# exported by a lab machine\nrun 12\n{}", ab_table("x,kind\n"));
    let o = CsvImport {
        skip_lines: Some(2),
        ..CsvImport::default()
    };
    let r = import(&t, &o).unwrap();
    assert_eq!((r.report.skipped_lines, r.report.rows), (2, 10));
    assert_eq!(r.report.class_names, vec!["a", "b"]);
    let too_many = CsvImport {
        skip_lines: Some(13),
        ..CsvImport::default()
    };
    assert_eq!(
        err(&t, &too_many),
        "skip_lines is 13 but the file has only 13 non-blank lines"
    );
}

#[test]
fn label_column_by_default_name_index_and_name() {
    let t = "a,Target,b\n1,0,2\n3,1,4\n5,0,6\n7,1,8\n9,0,10\n11,1,12\n";
    let none = CsvImport {
        scaling: Scaling::None,
        test_fraction: 0.34,
        ..CsvImport::default()
    };
    // Default: the column named target (any case), not the last.
    let r = import(t, &none).unwrap();
    assert_eq!(r.report.label_column, 1);
    assert_eq!(r.report.features, vec!["a", "b"]);
    assert_eq!(raw_rows(&r)[0], vec![1.0, 2.0]);
    let by_index = CsvImport {
        label: Some(LabelColumn::Index(2)),
        task: Some(Task::Regression),
        ..none.clone()
    };
    let r = import(t, &by_index).unwrap();
    assert_eq!(
        (r.report.label_column, r.report.features.clone()),
        (2, vec!["a".into(), "Target".into()])
    );
    let by_name = CsvImport {
        label: Some(LabelColumn::Name("a".into())),
        task: Some(Task::Regression),
        ..none.clone()
    };
    assert_eq!(import(t, &by_name).unwrap().report.label_column, 0);
    let missing = CsvImport {
        label: Some(LabelColumn::Name("species".into())),
        ..none.clone()
    };
    assert_eq!(
        err(t, &missing),
        "no column is named 'species'; the columns are: a, Target, b"
    );
    // No column with a label-like name: the last one.
    let r = import("p,q\n1,0\n2,1\n3,0\n4,1\n5,0\n6,1\n", &none).unwrap();
    assert_eq!(r.report.label_column, 1);
}

#[test]
fn task_is_guessed_from_the_labels_and_overridable() {
    let o = CsvImport::default();
    // Few whole numbers: classes.
    let r = import(&ab_table("x,kind\n").replace(",a", ",0").replace(",b", ",1"), &o).unwrap();
    assert_eq!((r.report.task, r.report.task_guessed), (Task::Classification, true));
    assert!(r.report.labels_are_indices);
    // Fractional values: regression.
    let t: String = (0..20).fold("x,y\n".into(), |t, i| t + &format!("{i},{}.25\n", i * 3));
    let r = import(&t, &o).unwrap();
    assert_eq!(r.report.task, Task::Regression);
    assert!(r.report.notes.iter().any(|n| n.contains("regression")));
    // Many distinct whole numbers (diabetes' target): regression.
    let t: String = (0..150).fold("x,target\n".into(), |t, i| t + &format!("{i},{}\n", 25 + i * 2));
    assert_eq!(import(&t, &o).unwrap().report.task, Task::Regression);
    // Forced classification of those whole numbers is taken as asked (one row per class here,
    // so a stratified 20 % sends none to test) ...
    let cls = CsvImport {
        task: Some(Task::Classification),
        ..CsvImport::default()
    };
    assert_eq!(
        err(&t, &cls),
        "150 rows with test_fraction 0.2 leave the test part empty; add rows or change test_fraction"
    );
    // ... but hundreds of decimal numbers as classes are flagged.
    let t: String = (0..150).fold("x,y\n".into(), |t, i| t + &format!("{i},{}.5\n", i));
    assert_eq!(
        err(&t, &cls),
        "the label column 'y' holds 150 different decimal numbers: did you mean regression? \
         Set the task to regression to predict the value"
    );
    let reg = CsvImport {
        task: Some(Task::Regression),
        ..CsvImport::default()
    };
    let r = import(&ab_table("x,kind\n"), &reg);
    assert_eq!(
        r.err().map(|e| e.to_string()),
        Some("data error: line 2: column 2 is 'a', not a number".to_string())
    );
}

#[test]
fn string_class_names_are_kept() {
    let r = import(&ab_table("x,kind\n").replace(",b", ",beta"), &CsvImport::default()).unwrap();
    assert_eq!(r.report.class_names, vec!["a", "beta"]);
    assert!(!r.report.labels_are_indices);
    assert_eq!(r.train.num_classes(), Some(2));
}

#[test]
fn text_columns_are_one_hot_encoded_or_refused() {
    let t = "size,color,label\n1,red,0\n2,blue,1\n3,red,0\n4,green,1\n5,blue,0\n6,red,1\n";
    let o = CsvImport {
        scaling: Scaling::None,
        test_fraction: 0.34,
        ..CsvImport::default()
    };
    let r = import(t, &o).unwrap();
    assert_eq!(
        r.report.features,
        vec!["size", "color=blue", "color=green", "color=red"]
    );
    assert_eq!(r.report.one_hot[0].categories, vec!["blue", "green", "red"]);
    // Row "2,blue" → [2, 1, 0, 0]; "4,green" → [4, 0, 1, 0].
    let rows = raw_rows(&r);
    assert_eq!(rows[1], vec![2.0, 1.0, 0.0, 0.0]);
    assert_eq!(rows[3], vec![4.0, 0.0, 1.0, 0.0]);
    let refuse = CsvImport {
        text_columns: TextColumns::Refuse,
        ..o.clone()
    };
    assert_eq!(
        err(t, &refuse),
        "line 2: column 2 ('color') holds text ('red'), not numbers; remove the column or choose one-hot \
         encoding for text columns"
    );
    // A number column with one text cell is a typo, not a category.
    let typo = t.replace("5,blue", "5x,blue");
    assert_eq!(err(&typo, &o), "line 6: column 1 is '5x', not a number");
    let empty = t.replace("4,green", "4,");
    assert_eq!(
        err(&empty, &o),
        "line 5: column 2 ('color') is empty; fill in the missing category or remove the row"
    );
}

#[test]
fn scaling_uses_train_statistics() {
    // Two classes of 5; feature x = 0..9 (class by x < 5), test fraction 0.2 → 1 per class.
    let t = ab_table("x,kind\n");
    let std = import(&t, &CsvImport::default()).unwrap();
    let Normalization::Standardize { mean, std: sd } = &std.train.normalization else {
        panic!("standardize by default")
    };
    let Features::F32 { data } = &std.train.features else {
        panic!()
    };
    let m = data.iter().sum::<f32>() / data.len() as f32;
    let var = data.iter().map(|v| (v - m) * (v - m)).sum::<f32>() / data.len() as f32;
    assert!((mean[0] - m).abs() < 1e-5 && (sd[0] - var.sqrt()).abs() < 1e-5);
    assert_eq!(std.test.normalization, std.train.normalization);

    let mm = import(
        &t,
        &CsvImport {
            scaling: Scaling::MinMax,
            ..CsvImport::default()
        },
    )
    .unwrap();
    let lo = data.iter().copied().fold(f32::INFINITY, f32::min);
    let hi = data.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    assert_eq!(
        mm.train.normalization,
        Normalization::Standardize {
            mean: vec![lo],
            std: vec![hi - lo]
        }
    );
    let none = import(
        &t,
        &CsvImport {
            scaling: Scaling::None,
            ..CsvImport::default()
        },
    )
    .unwrap();
    assert_eq!(none.train.normalization, Normalization::None);
}

#[test]
fn split_is_stratified_with_the_fraction() {
    let t: String = (0..40).fold("x,label\n".into(), |t, i| t + &format!("{i},{}\n", u8::from(i < 10)));
    let o = CsvImport {
        test_fraction: 0.25,
        ..CsvImport::default()
    };
    let r = import(&t, &o).unwrap();
    // 10 of class 1 and 30 of class 0: round(2.5) = 3 and round(7.5) = 8 to test.
    assert_eq!((r.report.train, r.report.test), (29, 11));
    let ones = (0..r.test.len()).filter(|&i| r.test.label(i) == Some(1)).count();
    assert_eq!(ones, 3);
    for f in [0.0, 1.0, -0.5] {
        let bad = CsvImport {
            test_fraction: f,
            ..CsvImport::default()
        };
        assert_eq!(
            err(&t, &bad),
            format!("test_fraction is {f}; set it between 0 and 1, e.g. 0.2")
        );
    }
    let tiny = CsvImport {
        test_fraction: 0.1,
        ..CsvImport::default()
    };
    assert_eq!(
        err("x,label\n1,0\n2,1\n3,0\n", &tiny),
        "3 rows with test_fraction 0.1 leave the test part empty; add rows or change test_fraction"
    );
}

#[test]
fn delimiter_option_and_report() {
    let t = ab_table("x;kind\n").replace(',', ";");
    assert_eq!(import(&t, &CsvImport::default()).unwrap().report.delimiter, ';');
    let bad = CsvImport {
        delimiter: Some('x'),
        ..CsvImport::default()
    };
    assert_eq!(err(&t, &bad), "the delimiter 'x' cannot be used; use , ; tab or space");
}

#[test]
fn options_read_from_json_reject_unknown_fields() {
    let o: CsvImport = serde_json::from_str(r#"{"label":{"name":"y"},"scaling":"min_max","header":true}"#).unwrap();
    assert_eq!(o.label, Some(LabelColumn::Name("y".into())));
    assert_eq!(
        (o.scaling, o.header, o.test_fraction),
        (Scaling::MinMax, Some(true), 0.2)
    );
    assert!(serde_json::from_str::<CsvImport>(r#"{"scale":"none"}"#).is_err());
}
