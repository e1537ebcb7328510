//! JSON that does not parse, explained in Gradient Lab's words: where (the
//! field path at the error, e.g. `optimizer.learning_rate`) and what to do.
//! `NaN` and `Infinity` (not JSON, but what JavaScript prints for a bad
//! number) get "… must be a finite number".

use crate::problem::Problem;

enum Frame {
    Object { key: Option<String>, expect_key: bool },
    Array { index: usize },
}

/// The field path at byte `offset` of `text` (as far as it was read).
pub(crate) fn path_at(text: &str, offset: usize) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    // serde_json's offset may fall inside a multi-byte character: back off to its start.
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut chars = text[..end].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let mut s = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        c => s.push(c),
                    }
                }
                if let Some(Frame::Object { key, expect_key }) = stack.last_mut() {
                    if *expect_key {
                        *key = Some(s);
                        *expect_key = false;
                    }
                }
            }
            '{' => stack.push(Frame::Object {
                key: None,
                expect_key: true,
            }),
            '[' => stack.push(Frame::Array { index: 0 }),
            '}' | ']' => {
                stack.pop();
            }
            ',' => match stack.last_mut() {
                Some(Frame::Object { key, expect_key }) => {
                    *key = None;
                    *expect_key = true;
                }
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            _ => {}
        }
    }
    let mut path = String::new();
    for f in &stack {
        match f {
            Frame::Object { key: Some(k), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Object { key: None, .. } => break,
            Frame::Array { index } => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

/// Byte offset of a 1-based (line, column) as serde_json reports them.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset + column.saturating_sub(1).min(l.len());
        }
        offset += l.len();
    }
    text.len()
}

/// The problem for JSON that did not parse.
pub(crate) fn problem_of(bytes: &[u8], e: &serde_json::Error) -> Problem {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Problem::new("", "the config is not text (UTF-8): paste or upload the JSON config");
    };
    if text.trim().is_empty() {
        return Problem::new(
            "",
            "the config is empty: write a JSON object like {\"dataset\": \"mnist\", …}",
        );
    }
    let offset = offset_of(text, e.line(), e.column());
    let path = path_at(text, offset);
    let rest = text.get(offset..).unwrap_or("").trim_start();
    let field = path
        .rsplit(['.', ']'])
        .next()
        .filter(|f| !f.is_empty())
        .unwrap_or("the value")
        .to_string();
    for bad in ["NaN", "Infinity", "-Infinity", "-NaN", "inf", "-inf"] {
        if rest.starts_with(bad) {
            return Problem::new(path, format!("{field} must be a finite number, got {bad}"));
        }
    }
    let hint = if e.is_eof() {
        "the text ends too early: a closing bracket, brace or quote is missing"
    } else {
        "check the commas, quotes and brackets there"
    };
    let near = if path.is_empty() {
        String::new()
    } else {
        format!(" (in {path})")
    };
    Problem::new(
        "",
        format!(
            "the config is not valid JSON at line {}, column {}{near}: {hint}",
            e.line(),
            e.column()
        ),
    )
}

#[cfg(test)]
mod char_boundary_tests {
    /// Found by the `config` fuzz target: `{"` followed by a 2-byte character,
    /// with the error offset inside that character.
    #[test]
    fn an_offset_inside_a_multibyte_character_does_not_panic() {
        let text = "{\"\u{120}";
        for offset in 0..=text.len() + 1 {
            let _ = super::path_at(text, offset);
        }
        assert!(crate::config::ExperimentConfig::from_json(&[b'{', b'"', 0xc4, 0xa0]).is_err());
    }
}
