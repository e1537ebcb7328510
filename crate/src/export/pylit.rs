//! Python literals for generated code: every value written into an export goes
//! through these, so the text always parses (`python3 -m py_compile`).

/// A Python float literal for an f32, as the shortest decimal that reads back
/// to the same f32 ("0.001", "1e-07" is written "0.0000001"); always has a point.
pub fn float(v: f32) -> String {
    if !v.is_finite() {
        // Validation rejects non-finite hyper-parameters; keep the text valid anyway.
        return format!("float(\"{v}\")");
    }
    let s = format!("{v}");
    if s.contains('.') {
        s
    } else {
        format!("{s}.0")
    }
}

/// A Python float literal for an f64 (history values, EarlyStopping deltas).
pub fn float64(v: f64) -> String {
    if !v.is_finite() {
        return format!("float(\"{v}\")");
    }
    let s = format!("{v}");
    if s.contains('.') {
        s
    } else {
        format!("{s}.0")
    }
}

pub fn boolean(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// A Python string literal. JSON string escapes (`\"`, `\\`, `\n`, and `\u`
/// with four hex digits) are valid Python escapes with the same meaning, so
/// serde_json writes it.
pub fn string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A tuple of ints: `(28, 28, 1)`, `(4,)`.
pub fn tuple(v: &[usize]) -> String {
    match v {
        [one] => format!("({one},)"),
        _ => format!("({})", v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", ")),
    }
}

/// A list of strings: `["a", "b"]`.
pub fn string_list(v: &[String]) -> String {
    format!("[{}]", v.iter().map(|s| string(s)).collect::<Vec<_>>().join(", "))
}

/// `name(arg, key=value, …)` wrapped one argument per line when longer than
/// 100 characters; `indent` is the column where the call starts (its closing
/// parenthesis goes there), `lead` the characters before it on its first line.
pub fn call_at(name: &str, args: &[String], indent: usize, lead: usize) -> String {
    let one_line = format!("{name}({})", args.join(", "));
    if one_line.len() + lead <= 100 || args.is_empty() {
        return one_line;
    }
    let pad = " ".repeat(indent + 4);
    let body: String = args.iter().map(|a| format!("{pad}{a},\n")).collect();
    format!("{name}(\n{body}{})", " ".repeat(indent))
}

/// [`call_at`] for a call that starts its line at column `indent`.
pub fn call(name: &str, args: &[String], indent: usize) -> String {
    call_at(name, args, indent, indent)
}
