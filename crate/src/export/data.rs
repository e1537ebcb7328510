//! The Python that loads the experiment's data into `x_train, y_train, x_test,
//! y_test` (labels as class indices or target values) with the SAME
//! preprocessing as `data::bundled::load` and `data::csv_import`:
//! - `mnist-full`: `keras.datasets.mnist` (the same 60,000 / 10,000 images);
//!   `mnist`: the first 1,000 training and 200 test images of each digit, in file
//!   order — exactly the bundled `mnist-small` files. Pixels `· float32(1/255)`.
//! - `fashion-mnist-full` / `fashion-mnist`: the same with
//!   `keras.datasets.fashion_mnist` (the bundled `fashion-mnist-small` files are
//!   the first 1,000 / 200 of each class too).
//! - `iris`, `digits`, `diabetes`: scikit-learn's copies (the values of our
//!   CSV files), split with Gradient Lab's rules (stratified 20 % per class,
//!   or a random 20 % for diabetes) and standardised with the train statistics
//!   (digits: `· 1/16`). The rule is the same, the random choice is numpy's:
//!   the Keras run uses other test rows.
//! - Toy sets: the same generators and parameters in numpy (other random numbers);
//!   gates: the truth table, train = test.
//! - An uploaded CSV: pandas with the import's decisions (skipped lines, header,
//!   label column, one-hot categories, class names, split, scaling).
//! - An IDX pair: read (gzip or not) with numpy, `· float32(1/255)`.

use crate::data::bundled::{ToyParams, TEST_FRACTION};
use crate::data::{CsvReport, Gate, Scaling, Task};
use crate::{Error, Result};

use super::pyhelpers::{helpers, random, split_and_scale, stratified, FIRST_PER_CLASS, READ_IDX};
use super::pylit::{string, string_list, tuple};
use super::toy_data::{gate_code, toy_code};

/// Where the data of the exported experiment comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum DataSource {
    /// The bundled dataset named by the config's `dataset`.
    Bundled,
    /// A CSV file (`file_name` beside the notebook) imported with these decisions.
    Csv { file_name: String, report: CsvReport },
    /// IDX files (gzip or not): train images and labels, and the test pair;
    /// without a test pair, 20 % of each class is held out (stratified).
    Idx {
        train: [String; 2],
        test: Option<[String; 2]>,
        sample_shape: Vec<usize>,
        num_classes: usize,
    },
}

/// The data cell and the facts the rest of the export needs.
pub struct DataCode {
    pub title: String,
    pub code: String,
    pub input_shape: Vec<usize>,
    pub task: Task,
    pub num_classes: Option<usize>,
}

/// The data cell for a bundled dataset.
fn bundled(name: &str) -> Result<DataCode> {
    let info = crate::data::info(name).map_err(|e| Error::Config(e.to_string()))?;
    let mnist = |module: &str, small: bool| {
        let mut s = format!("(x_train, y_train), (x_test, y_test) = keras.datasets.{module}.load_data()\n");
        if small {
            s = format!(
                "{FIRST_PER_CLASS}\n\n{s}\
                 train_idx, test_idx = first_per_class(y_train, 1000), first_per_class(y_test, 200)\n\
                 x_train, y_train, x_test, y_test = x_train[train_idx], y_train[train_idx], x_test[test_idx], y_test[test_idx]\n"
            );
        }
        s + "x_train = x_train.reshape(-1, 28, 28, 1).astype(\"float32\") * np.float32(1 / 255)\n\
             x_test = x_test.reshape(-1, 28, 28, 1).astype(\"float32\") * np.float32(1 / 255)\n"
    };
    let table = |loader: &str, shape: &str, scaling: Scaling, split: String| {
        format!(
            "{}from sklearn.datasets import {loader}\n\n{}{shape}{}",
            helpers(scaling),
            if loader == "load_diabetes" {
                "x, y = load_diabetes(return_X_y=True, scaled=False)  # raw values, as datasets/diabetes.csv\n"
                    .to_string()
            } else {
                format!("x, y = {loader}(return_X_y=True)\n")
            },
            split
        )
    };
    let fraction = TEST_FRACTION;
    let (code, input_shape, classes): (String, Vec<usize>, Option<usize>) = match name {
        "mnist" => (mnist("mnist", true), vec![28, 28, 1], Some(10)),
        "mnist-full" => (mnist("mnist", false), vec![28, 28, 1], Some(10)),
        "fashion-mnist" => (mnist("fashion_mnist", true), vec![28, 28, 1], Some(10)),
        "fashion-mnist-full" => (mnist("fashion_mnist", false), vec![28, 28, 1], Some(10)),
        "iris" => (
            table(
                "load_iris",
                "x = x.astype(\"float32\")\nclass_names = [\"setosa\", \"versicolor\", \"virginica\"]\n",
                Scaling::Standardize,
                split_and_scale(&stratified(fraction), Scaling::Standardize),
            ),
            vec![4],
            Some(3),
        ),
        "digits" => (
            table(
                "load_digits",
                "x = x.reshape(-1, 8, 8, 1).astype(\"float32\") * np.float32(1 / 16)  # pixels 0..16\n",
                Scaling::None,
                split_and_scale(&stratified(fraction), Scaling::None),
            ),
            vec![8, 8, 1],
            Some(10),
        ),
        "diabetes" => (
            table(
                "load_diabetes",
                "x, y = x.astype(\"float32\"), y.astype(\"float32\")\n",
                Scaling::Standardize,
                split_and_scale(&random(fraction), Scaling::Standardize),
            ),
            vec![10],
            None,
        ),
        "or" => (gate_code(Gate::Or), vec![2], Some(2)),
        "and" => (gate_code(Gate::And), vec![2], Some(2)),
        "xor" => (gate_code(Gate::Xor), vec![2], Some(2)),
        "sine" => {
            let p = ToyParams::defaults(name).ok_or_else(|| Error::Config("the sine set has no parameters".into()))?;
            (toy_code(name, &p)?, vec![1], None)
        }
        _ => {
            let p = ToyParams::defaults(name)
                .ok_or_else(|| Error::Config(format!("the dataset '{name}' has no Python loader")))?;
            (toy_code(name, &p)?, vec![2], Some(p.classes))
        }
    };
    Ok(DataCode {
        title: info.title.to_string(),
        code,
        input_shape,
        task: info.task,
        num_classes: classes,
    })
}

fn csv(file_name: &str, r: &CsvReport) -> DataCode {
    let sep = match r.delimiter {
        ' ' => "r\"\\s+\"".to_string(),
        d => string(&d.to_string()),
    };
    let header = if r.header { "0" } else { "None" };
    let one_hot: Vec<String> = r
        .one_hot
        .iter()
        .map(|o| format!("{}: {}", o.column, string_list(&o.categories)))
        .collect();
    let mut s = format!(
        "{}import pandas as pd\n\n\
         CSV_FILE = {}  # the file given to Gradient Lab: put it beside this notebook\n\
         # Every cell as text, stripped, as Gradient Lab reads it ({} line(s) skipped at the top).\n\
         table = pd.read_csv(CSV_FILE, sep={sep}, header={header}, skiprows={}, dtype=str, keep_default_na=False)\n\
         table = table.apply(lambda col: col.str.strip())\n\
         LABEL_COLUMN = {}  # {}\n\
         ONE_HOT = {{{}}}  # text columns: one 0/1 feature per category\n\
         features = []\n\
         for i, name in enumerate(table.columns):\n    \
             if i == LABEL_COLUMN:\n        continue\n    \
             if i in ONE_HOT:\n        features += [(table[name] == c).astype(\"float32\") for c in ONE_HOT[i]]\n    \
             else:\n        features.append(table[name].astype(\"float32\"))\n\
         x = np.stack([np.asarray(f, dtype=\"float32\") for f in features], axis=1)\n\
         labels = table.iloc[:, LABEL_COLUMN]\n",
        helpers(r.scaling),
        string(file_name),
        r.skipped_lines,
        r.skipped_lines,
        r.label_column,
        r.columns.get(r.label_column).map_or("", |c| c.as_str()),
        one_hot.join(", "),
    );
    let split = match r.task {
        Task::Regression => {
            s += "y = labels.astype(\"float32\").to_numpy()\n";
            random(r.test_fraction)
        }
        Task::Classification => {
            s += &format!("class_names = {}\n", string_list(&r.class_names));
            if r.labels_are_indices {
                s += "y = labels.astype(float).astype(int).to_numpy()  # the label is the class index\n";
            } else {
                s += "y = labels.map({name: i for i, name in enumerate(class_names)}).to_numpy()\n";
            }
            stratified(r.test_fraction)
        }
    };
    s += &split_and_scale(&split, r.scaling);
    DataCode {
        title: format!("{file_name} ({} rows, {} features)", r.rows, r.features.len()),
        code: s,
        input_shape: vec![r.features.len()],
        task: r.task,
        num_classes: (r.task == Task::Classification).then_some(r.class_names.len()),
    }
}

fn idx(train: &[String; 2], test: Option<&[String; 2]>, shape: &[usize], num_classes: usize) -> DataCode {
    let scale = |x: &str| {
        format!(
            "{x} = {x}.reshape((-1,) + {}).astype(\"float32\") * np.float32(1 / 255)\n",
            tuple(shape)
        )
    };
    let mut code = format!("{READ_IDX}\n\n");
    match test {
        Some([ti, tl]) => {
            code += &format!(
                "x_train, y_train = read_idx({}), read_idx({})\nx_test, y_test = read_idx({}), read_idx({})\n",
                string(&train[0]),
                string(&train[1]),
                string(ti),
                string(tl)
            );
            code += &scale("x_train");
            code += &scale("x_test");
        }
        None => {
            code = format!(
                "{}{code}x, y = read_idx({}), read_idx({})\n{}{}",
                helpers(Scaling::None),
                string(&train[0]),
                string(&train[1]),
                scale("x"),
                split_and_scale(&stratified(TEST_FRACTION), Scaling::None)
            );
        }
    }
    DataCode {
        title: format!("IDX files {} and {}", train[0], train[1]),
        code,
        input_shape: shape.to_vec(),
        task: Task::Classification,
        num_classes: Some(num_classes),
    }
}

/// The data cell for `source` (`dataset` is the config's dataset name).
pub fn data_code(dataset: &str, source: &DataSource) -> Result<DataCode> {
    match source {
        DataSource::Bundled => bundled(dataset),
        DataSource::Csv { file_name, report } => Ok(csv(file_name, report)),
        DataSource::Idx {
            train,
            test,
            sample_shape,
            num_classes,
        } => Ok(idx(train, test.as_ref(), sample_shape, *num_classes)),
    }
}
