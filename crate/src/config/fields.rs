//! Checking a JSON value against the [`Arg`]s that describe it, with messages
//! in Gradient Lab's words ("batch_size must be a whole number ≥ 1, got -5",
//! "'swish' is not an activation; use one of …"). The parser runs these before
//! serde, so no parser wording reaches users; the same `Arg`s are the schema.

use serde_json::{Map, Value};

use crate::problem::{group_thousands, Problem};
use crate::spec::{accepts, choices_of, noun_of, Arg, ArgType};

/// Levenshtein distance, for "did you mean" hints.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// ` (did you mean "units"?)` when a name is close to `word`.
pub(crate) fn did_you_mean<'a>(word: &str, names: impl IntoIterator<Item = &'a str>) -> String {
    let lower = word.to_ascii_lowercase();
    match names
        .into_iter()
        .map(|n| (edit_distance(&lower, &n.to_ascii_lowercase()), n))
        .min()
    {
        Some((d, n)) if d <= 3 && d < word.len().max(2) => format!(" (did you mean \"{n}\"?)"),
        _ => String::new(),
    }
}

/// How a value is shown in a message: strings quoted, long values cut.
pub(crate) fn shown(v: &Value) -> String {
    let text = match v {
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    };
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn whole_range(arg: &Arg) -> String {
    let min = arg.min.unwrap_or(0.0);
    match arg.max {
        Some(max) if min < 0.0 => format!("a whole number from {} to {}", min as i64, max as i64),
        Some(max) => format!(
            "a whole number from {} to {}",
            group_thousands(min as u64),
            group_thousands(max as u64)
        ),
        None => format!("a whole number ≥ {}", min as u64),
    }
}

/// The problem with `v` as the value of `arg`, if any (message only).
pub(crate) fn value_problem(arg: &Arg, v: &Value) -> Option<String> {
    let name = arg.name;
    if v.is_null() {
        return (arg.required || !(arg.nullable || arg.default.is_null()))
            .then(|| format!("{name} needs a value, got null"));
    }
    match arg.ty {
        ArgType::Int => {
            let min = arg.min.unwrap_or(0.0);
            // Negative minimums (BatchNormalization's axis -1) read the value as i64.
            let x = if min < 0.0 {
                v.as_i64().map(|i| i as f64)
            } else {
                v.as_u64().map(|u| u as f64)
            };
            let ok = x.is_some_and(|x| x >= min && arg.max.is_none_or(|m| x <= m));
            (!ok).then(|| format!("{name} must be {}, got {}", whole_range(arg), shown(v)))
        }
        ArgType::Float => match v.as_f64() {
            Some(x) if x.is_finite() && (x as f32).is_finite() => None,
            Some(_) => Some(format!("{name} must be a finite number, got {}", shown(v))),
            None => Some(format!("{name} must be a number, got {}", shown(v))),
        },
        ArgType::Bool => (!v.is_boolean()).then(|| format!("{name} must be true or false, got {}", shown(v))),
        ArgType::String => (!v.is_string()).then(|| format!("{name} must be a text in quotes, got {}", shown(v))),
        ArgType::Enum => {
            if let (Value::Object(obj), Some(list)) = (v, arg.choices_from) {
                if let Some(m) = named_object_problem(arg, list, obj) {
                    return m;
                }
            }
            let Some(s) = v.as_str() else {
                return Some(format!("{name} must be a name in quotes, got {}", shown(v)));
            };
            if let Some(list) = arg.choices_from {
                if accepts(list, s) {
                    return None;
                }
                let names = choices_of(list);
                return Some(format!(
                    "\"{s}\" is not {}{}; use one of {}",
                    noun_of(list),
                    did_you_mean(s, names.iter().copied()),
                    names.join(", ")
                ));
            }
            let choices: Vec<&str> = arg.choices.iter().flatten().filter_map(|c| c.as_str()).collect();
            (!choices.contains(&s)).then(|| {
                format!(
                    "{name} \"{s}\" is not one of {}{}",
                    choices.join(", "),
                    did_you_mean(s, choices.iter().copied())
                )
            })
        }
        // Keras sizes (kernel_size, pool_size, strides) also take one whole number for both axes.
        ArgType::IntList => (!(v.is_array() || v.is_u64())).then(|| {
            format!(
                "{name} must be a whole number or a list like [3, 3], got {}",
                kind_of(v)
            )
        }),
        ArgType::List => (!v.is_array()).then(|| format!("{name} must be a list, got {}", kind_of(v))),
        ArgType::Object => (!v.is_object()).then(|| format!("{name} must be an object, got {}", kind_of(v))),
    }
}

/// An object form `{"name": …, <arguments>}` of a choice that takes arguments
/// (initializers, regularizers): `Some(problem or None)`, or `None` when the list
/// has no object form (then the value must be a plain name).
fn named_object_problem(arg: &Arg, list: &str, obj: &Map<String, Value>) -> Option<Option<String>> {
    let name = obj.get("name").and_then(Value::as_str);
    let args = name.and_then(|n| crate::spec::args_of(list, n));
    if !crate::spec::has_object_form(list) {
        return None;
    }
    let Some(name) = name else {
        return Some(Some(format!(
            "{} needs a \"name\", e.g. {{\"name\": \"{}\"}}",
            arg.name,
            choices_of(list).first().copied().unwrap_or("")
        )));
    };
    if let Some(m) = value_problem(arg, &Value::String(name.to_string())) {
        return Some(Some(m));
    }
    let mut p = Vec::new();
    check_object(
        "",
        &format!("the {name} {}", arg.name),
        obj,
        &args.unwrap_or_default(),
        &["name"],
        &mut p,
    );
    Some(p.into_iter().next().map(|p| {
        if p.path.is_empty() {
            p.message
        } else {
            format!("{}.{}: {}", arg.name, p.path, p.message)
        }
    }))
}

/// Check every field of `obj` against `args`: unknown fields (with a hint),
/// missing required ones, wrong values. `what` names the object in
/// messages ("Dense", "the adam optimizer"); `skip` lists fields checked
/// elsewhere (e.g. "type", "name"). Paths are `path.field` (or `field`).
pub(crate) fn check_object(
    path: &str,
    what: &str,
    obj: &Map<String, Value>,
    args: &[Arg],
    skip: &[&str],
    p: &mut Vec<Problem>,
) {
    let at = |field: &str| {
        if path.is_empty() {
            field.to_string()
        } else {
            format!("{path}.{field}")
        }
    };
    let names: Vec<&str> = args.iter().map(|a| a.name).collect();
    for key in obj.keys().filter(|k| !skip.contains(&k.as_str())) {
        if !names.contains(&key.as_str()) {
            let takes = if names.is_empty() {
                "it takes no arguments".to_string()
            } else {
                format!("it takes {}", names.join(", "))
            };
            p.push(Problem::new(
                path,
                format!(
                    "{what} has no argument \"{key}\"{}; {takes}",
                    did_you_mean(key, names.iter().copied())
                ),
            ));
        }
    }
    for arg in args {
        match obj.get(arg.name) {
            None if arg.required => p.push(Problem::new(
                at(arg.name),
                format!("{what} needs {}: add \"{}\"", arg.name, arg.name),
            )),
            None => {}
            Some(v) => {
                if let Some(m) = value_problem(arg, v) {
                    p.push(Problem::new(at(arg.name), m));
                }
            }
        }
    }
}
