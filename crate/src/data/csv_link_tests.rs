//! The link form of the CSV import options: round trips, the written form,
//! messages for bad values, and resolved options re-reading the same data.

use super::*;
use crate::data::csv_import::import_csv;
use crate::data::upload_name::{csv_upload_name, missing_upload_message, parse_upload_name, upload_options};

fn bad(text: &str) -> String {
    match parse_options_text(text) {
        Err(crate::Error::Data(m)) => m,
        other => panic!("{text}: expected a data error, got {other:?}"),
    }
}

#[test]
fn every_option_round_trips_through_its_text() {
    let names = [
        "species",
        "sepal length (cm)",
        "a,b=c",
        "say \"hi\"",
        "3",
        "true",
        "été",
        "x)y",
    ];
    for (i, name) in names.iter().enumerate() {
        let o = CsvImport {
            skip_lines: Some(i),
            header: Some(i % 2 == 0),
            label: Some(LabelColumn::Name(name.to_string())),
            task: Some(if i % 2 == 0 {
                Task::Classification
            } else {
                Task::Regression
            }),
            scaling: [Scaling::Standardize, Scaling::MinMax, Scaling::None][i % 3],
            text_columns: [TextColumns::OneHot, TextColumns::Refuse][i % 2],
            test_fraction: 0.05 + i as f32 / 10.0,
            delimiter: [None, Some(';'), Some('\t'), Some(' ')][i % 4],
        };
        let t = options_text(&o);
        assert_eq!(parse_options_text(&t).unwrap(), o, "{t}");
    }
    let by_index = CsvImport {
        label: Some(LabelColumn::Index(4)),
        ..CsvImport::default()
    };
    assert_eq!(parse_options_text(&options_text(&by_index)).unwrap(), by_index);
    // All defaults ("detect", standardise, one-hot, 0.2): nothing written.
    assert_eq!(options_text(&CsvImport::default()), "");
    assert_eq!(parse_options_text("").unwrap(), CsvImport::default());
}

#[test]
fn the_written_form_is_readable() {
    // Written by hand from the module doc: the options in order, plain words bare,
    // other text as JSON strings, defaults (one_hot, 0.2 here) left out.
    let o = CsvImport {
        skip_lines: Some(1),
        header: Some(true),
        label: Some(LabelColumn::Name("sepal length (cm)".into())),
        task: Some(Task::Regression),
        scaling: Scaling::MinMax,
        text_columns: TextColumns::OneHot,
        test_fraction: 0.2,
        delimiter: Some(';'),
    };
    assert_eq!(
        options_text(&o),
        r#"skip_lines=1,header=true,label="sepal length (cm)",task=regression,scaling=min_max,delimiter=";""#
    );
    let o = CsvImport {
        label: Some(LabelColumn::Name("species".into())),
        text_columns: TextColumns::Refuse,
        test_fraction: 0.25,
        ..CsvImport::default()
    };
    assert_eq!(options_text(&o), "label=species,text_columns=refuse,test_fraction=0.25");
    // A number is an index unless quoted.
    assert_eq!(
        parse_options_text("label=2").unwrap().label,
        Some(LabelColumn::Index(2))
    );
    assert_eq!(
        parse_options_text("label=\"2\"").unwrap().label,
        Some(LabelColumn::Name("2".into()))
    );
}

#[test]
fn bad_values_say_which_and_what_to_write() {
    assert!(bad("colour=red").starts_with("unknown option 'colour' (known: skip_lines, header, label"));
    assert_eq!(bad("header=yes"), "header=yes is not true or false");
    assert_eq!(bad("header=true,header=false"), "the option header is given twice");
    assert_eq!(
        bad("skip_lines=-1"),
        "skip_lines=-1 is not a whole number of lines (e.g. skip_lines=1)"
    );
    assert_eq!(
        bad("task=classify"),
        "task=classify is not one of classification, regression"
    );
    assert_eq!(
        bad("scaling=max"),
        "scaling=max is not one of standardize, min_max, none"
    );
    assert_eq!(
        bad("text_columns=drop"),
        "text_columns=drop is not one of one_hot, refuse"
    );
    assert_eq!(
        bad("test_fraction=1"),
        "test_fraction=1 is not a fraction between 0 and 1 (e.g. 0.2)"
    );
    assert_eq!(
        bad("test_fraction=abc"),
        "test_fraction=abc is not a fraction between 0 and 1 (e.g. 0.2)"
    );
    assert!(bad("delimiter=\"ab\"").starts_with("delimiter=\"ab\" is not one of"));
    assert!(bad("delimiter=x").starts_with("delimiter=x is not one of"));
    assert_eq!(bad("header"), "'header' is not like key=value (e.g. header=true)");
    assert!(bad("label=\"open").contains("is not closed"));
    assert!(bad("label=").contains("is empty"));
}

/// Tables whose reading involves every detection: a scikit-learn description
/// line, no header, text labels and a text feature, semicolons, a regression guess.
fn tables() -> Vec<String> {
    let mut sk = "8,2,setosa,versicolor\n".to_string();
    let mut plain = String::new();
    let mut colours = "size;colour;kind\n".to_string();
    let mut prices = "rooms,area,price\n".to_string();
    for i in 0..8 {
        sk += &format!("{i}.5,{},{}\n", i * 2, i % 2);
        plain += &format!("{},{},{}\n", i, 10 - i, i % 2);
        colours += &format!("{}.{i};{};{}\n", i % 3, ["red", "blue"][i % 2], ["big", "small"][i / 4]);
        prices += &format!("{},{},{}.{}\n", i + 1, 30 + 7 * i, 100 + 13 * i, i * 3 % 10);
    }
    vec![sk, plain, colours, prices]
}

#[test]
fn resolved_options_read_the_same_data_bit_for_bit() {
    for (t, scaling) in tables().iter().zip([
        Scaling::Standardize,
        Scaling::MinMax,
        Scaling::None,
        Scaling::Standardize,
    ]) {
        let detected = CsvImport {
            scaling,
            test_fraction: 0.25,
            ..CsvImport::default()
        };
        let a = import_csv("t", t.as_bytes(), &detected, 5).unwrap();
        let resolved = a.report.resolved_options();
        assert!(
            resolved.skip_lines.is_some() && resolved.header.is_some() && resolved.task.is_some(),
            "{t}"
        );
        let again = parse_options_text(&options_text(&resolved)).unwrap();
        assert_eq!(again, resolved);
        let b = import_csv("t", t.as_bytes(), &again, 5).unwrap();
        assert_eq!((&a.train, &a.test), (&b.train, &b.test), "{t}");
        assert_eq!(
            (&a.report.class_names, &a.report.features),
            (&b.report.class_names, &b.report.features)
        );
    }
    // The semicolon table's text: its delimiter is written, the comma's is not.
    let r = import_csv("t", tables()[2].as_bytes(), &CsvImport::default(), 5).unwrap();
    assert_eq!(
        options_text(&r.report.resolved_options()),
        r#"skip_lines=0,header=true,label=kind,task=classification,delimiter=";""#
    );
    let r = import_csv("t", tables()[1].as_bytes(), &CsvImport::default(), 5).unwrap();
    assert_eq!(
        options_text(&r.report.resolved_options()),
        "skip_lines=0,header=false,label=2,task=classification"
    );
}

#[test]
fn an_upload_name_carries_its_options() {
    let base = "upload:flowers.csv@ba7816bf8f01";
    let o = CsvImport {
        header: Some(true),
        label: Some(LabelColumn::Name("petal (cm)".into())),
        scaling: Scaling::MinMax,
        ..CsvImport::default()
    };
    let name = csv_upload_name(base, &o).unwrap();
    assert_eq!(
        name,
        r#"upload:flowers.csv@ba7816bf8f01(header=true,label="petal (cm)",scaling=min_max)"#
    );
    assert_eq!(parse_upload_name(&name), Some(("flowers.csv", "ba7816bf8f01")));
    assert_eq!(upload_options(&name).unwrap(), o);
    // Another reading of the same file replaces the options; defaults give the bare name.
    assert_eq!(csv_upload_name(&name, &CsvImport::default()).unwrap(), base);
    assert_eq!(upload_options(base).unwrap(), CsvImport::default());
    // A wrong option: the link's check says which.
    let wrong = format!("{base}(scaling=max)");
    let m = missing_upload_message(&wrong).unwrap();
    assert!(
        m.contains("scaling=max is not one of standardize, min_max, none"),
        "{m}"
    );
    let json = format!(
        r#"{{"dataset":{},"layers":[{{"type":"Dense","units":2}}],"loss":"categorical_crossentropy","optimizer":"adam"}}"#,
        serde_json::to_string(&wrong).unwrap()
    );
    let i = crate::inspect::inspect(&json);
    assert_eq!(i.problems[0].path, "dataset");
    assert!(i.problems[0].message.contains("scaling=max"), "{:?}", i.problems);
}
