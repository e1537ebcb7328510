//! [`inspect`]: the cheap check the page runs on every edit. It parses the
//! config, validates it against the dataset's catalogue facts and summarises
//! the model from the configs alone: no dataset bytes, no weights.

use serde::Serialize;

use crate::config::ExperimentConfig;
use crate::data::catalogue;
use crate::model::Summary;
use crate::problem::Problem;

/// `{ok, problems, summary}` as the facade returns it.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Inspection {
    pub ok: bool,
    pub problems: Vec<Problem>,
    /// The model summary whenever every layer's shape could be worked out
    /// (also when other settings have problems), else `None`.
    pub summary: Option<Summary>,
}

fn failed(problems: Vec<Problem>) -> Inspection {
    Inspection {
        ok: false,
        problems,
        summary: None,
    }
}

/// Parse, validate against the catalogue's facts and summarise `config_json`.
pub fn inspect(config_json: &str) -> Inspection {
    let config = match ExperimentConfig::from_json(config_json.as_bytes()) {
        Ok(c) => c,
        Err(e) => return failed(e.into_problems("")),
    };
    if let Some(message) = crate::data::missing_upload_message(&config.dataset) {
        return failed(vec![Problem::new("dataset", message)]);
    }
    let facts = match catalogue::info(&config.dataset) {
        Ok(info) => info.facts(),
        Err(e) => return failed(e.into_problems("dataset")),
    };
    inspect_config(&config, &facts)
}

/// [`inspect`] for a parsed config and its dataset's facts.
pub fn inspect_config(config: &ExperimentConfig, facts: &crate::data::DatasetFacts) -> Inspection {
    let (plan, problems) = config.check(facts);
    let summary = plan.complete.then(|| Summary::from_plan(&plan, &config.layers));
    Inspection {
        ok: problems.is_empty(),
        problems,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{gunzip, load};

    const MNIST: &str = r#"{"dataset":"mnist","layers":[{"type":"Flatten"},
        {"type":"Dense","units":128,"activation":"relu"},{"type":"Dense","units":10,"activation":"softmax"}],
        "loss":"categorical_crossentropy","optimizer":"adam"}"#;

    #[test]
    fn a_good_config_is_summarised_from_facts_alone() {
        let i = inspect(MNIST);
        assert!(i.ok && i.problems.is_empty(), "{i:?}");
        let s = i.summary.unwrap();
        // 784·128 + 128 = 100,480; 128·10 + 10 = 1,290.
        assert_eq!(s.total_params, 101_770);
        assert_eq!(s.rows[1].output_shape, "(None, 128)");
        // The same summary as the model built from the loaded data.
        let files: Vec<Vec<u8>> = catalogue::info("mnist")
            .unwrap()
            .files
            .iter()
            .map(|f| {
                gunzip(&std::fs::read(format!("{}/../datasets/{f}", env!("CARGO_MANIFEST_DIR"))).unwrap()).unwrap()
            })
            .collect();
        let refs: Vec<&[u8]> = files.iter().map(|f| f.as_slice()).collect();
        let (train, _) = load("mnist", &refs, 42).unwrap();
        let cfg = ExperimentConfig::from_json(MNIST.as_bytes()).unwrap();
        let model = crate::model::Sequential::new(&train.sample_shape, &cfg.layers, 42).unwrap();
        assert_eq!(model.summary(), s);
        assert_eq!(model.param_count() as u64, s.total_params);
    }

    #[test]
    fn problems_come_with_paths_and_the_summary_when_shapes_are_known() {
        let i = inspect(&MNIST.replace(r#""units":10"#, r#""units":5"#));
        assert!(!i.ok);
        assert_eq!(i.problems.len(), 1, "{:?}", i.problems);
        assert_eq!(i.problems[0].path, "layers[2].units");
        assert_eq!(i.summary.unwrap().rows.len(), 3);
        let i = inspect(&MNIST.replace(r#"{"type":"Flatten"},"#, ""));
        assert_eq!(i.problems[0].path, "layers[0]");
        assert!(i.summary.is_none());
        let i = inspect(&MNIST.replace("\"adam\"", "\"adamw\""));
        assert_eq!((i.problems[0].path.as_str(), i.summary), ("optimizer", None));
        let i = inspect("{");
        assert_eq!(i.problems[0].path, "");
        // Issue 15.14: 1e9 units never print as 4,294,967,295 parameters.
        let i = inspect(&MNIST.replace(r#""units":128"#, r#""units":1000000000"#));
        assert!(
            i.problems[0].message.contains("from 1 to 1,000,000"),
            "{:?}",
            i.problems
        );
    }

    #[test]
    fn every_catalogue_dataset_can_be_inspected() {
        for d in catalogue::catalogue() {
            let out = d.num_classes().unwrap_or(1);
            let (act, loss) = if d.num_classes().is_some() {
                ("softmax", "categorical_crossentropy")
            } else {
                ("linear", "mse")
            };
            let json = format!(
                r#"{{"dataset":"{}","layers":[{{"type":"Flatten"}},{{"type":"Dense","units":{out},"activation":"{act}"}}],
                "loss":"{loss}","optimizer":"sgd"}}"#,
                d.name
            );
            let i = inspect(&json);
            assert!(i.ok, "{}: {:?}", d.name, i.problems);
        }
    }
}
