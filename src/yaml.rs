//! The only module that names the YAML crate, so that it can be swapped in one place.

use serde::de::DeserializeOwned;

/// A YAML value in a form the rest of the engine can use without the YAML crate.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
}

impl Value {
    /// A short name of the type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::List(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// The value as text to translate: scalars as written, lists and mappings flattened.
    pub fn to_text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) | Value::String(n) => n.clone(),
            Value::List(items) => items
                .iter()
                .map(Value::to_text)
                .collect::<Vec<_>>()
                .join("\n"),
            Value::Map(entries) => entries
                .iter()
                .map(|(k, v)| format!("{k}: {}", v.to_text()))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// A YAML syntax or type error; the line and column are 1-based within the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl YamlError {
    fn from_yaml(err: serde_yaml::Error) -> Self {
        let location = err.location();
        let mut message = err.to_string();
        // The crate appends " at line L column C"; the location is reported on its own.
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        let message = crate::error::cut_quoted(&message, 60);
        YamlError {
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
            message,
        }
    }
}

/// Parses front matter: a mapping with string keys (empty text is an empty mapping).
pub fn parse_mapping(text: &str) -> Result<Vec<(String, Value)>, YamlError> {
    if let Some(entries) = parse_simple(text) {
        return Ok(entries);
    }
    parse_full(text)
}

/// A fast path for the front matter most files have: `key: value` lines whose values are plain
/// words, dates, or quoted strings without escapes, plus blank and comment lines. For such text
/// the result is exactly what the YAML parser gives (a property test checks it); anything else
/// (lists, nesting, numbers, escapes, comments after values, repeated keys) returns `None` and
/// goes to the parser.
fn parse_simple(text: &str) -> Option<Vec<(String, Value)>> {
    let mut entries: Vec<(String, Value)> = Vec::new();
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let trimmed = line.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if trimmed.len() != line.len() {
            return None;
        }
        let (key, rest) = line.split_once(':')?;
        let mut chars = key.chars();
        let first_ok = chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return None;
        }
        if matches!(
            key,
            "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
        ) {
            return None;
        }
        let value = rest.strip_prefix(' ')?.trim_matches(' ');
        let value = simple_value(value)?;
        if entries.iter().any(|(k, _)| k == key) {
            return None;
        }
        entries.push((key.to_string(), value));
    }
    Some(entries)
}

fn simple_value(value: &str) -> Option<Value> {
    if value.contains(['\t', '\\']) || value.chars().any(char::is_control) {
        return None;
    }
    // A list of plain words on one line (`tags: [a, b]`, `translate_to: [es, fr]`): each item
    // as it would be on its own, with nothing that is not plain in a list (quotes, brackets,
    // braces, colons, comments) and no empty item.
    if let Some(inner) = value.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        if inner.contains(['[', ']', '{', '}', '"', '\'', ':', '#']) {
            return None;
        }
        if inner.trim_matches(' ').is_empty() {
            return Some(Value::List(Vec::new()));
        }
        return inner
            .split(',')
            .map(|item| match item.trim_matches(' ') {
                "" => None,
                item => simple_value(item),
            })
            .collect::<Option<Vec<Value>>>()
            .map(Value::List);
    }
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote) {
            let inner = inner.strip_suffix(quote)?;
            return (!inner.contains(quote)).then(|| Value::String(inner.to_string()));
        }
    }
    if value.contains('#') || value.contains(": ") || value.ends_with(':') {
        return None;
    }
    let first = value.chars().next()?;
    if first.is_ascii_digit() {
        // A date (`2026-03-21`) and a word of digits and letters that cannot be a number
        // (a fingerprint such as `0772d92…`) are strings; anything else goes to the parser.
        let b = value.as_bytes();
        let date = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        let prefixed = b.len() > 1 && b[0] == b'0' && b"xXoObB".contains(&b[1]);
        let word = !prefixed
            && b.iter().all(u8::is_ascii_alphanumeric)
            && b.iter()
                .any(|c| c.is_ascii_alphabetic() && !b"eExXoObB".contains(c));
        return (date || word).then(|| Value::String(value.to_string()));
    }
    if !first.is_alphabetic() {
        return None;
    }
    Some(match value {
        "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => Value::String(value.to_string()),
    })
}

fn parse_full(text: &str) -> Result<Vec<(String, Value)>, YamlError> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let mut err = YamlError::from_yaml(e);
        if let Some((at, key)) = at_repeated_key(&mut err, text) {
            err.message = format!("{}duplicate key `{key}`", &err.message[..at]);
        }
        err
    })?;
    match convert(value) {
        Value::Null => Ok(Vec::new()),
        Value::Map(entries) => Ok(entries),
        other => Err(YamlError {
            line: Some(1),
            column: Some(1),
            message: format!(
                "front matter must be a mapping of `key: value` lines, found {}",
                other.type_name()
            ),
        }),
    }
}

/// The crate points a repeated key ("duplicate entry with key" in a mapping, "duplicate
/// field" in a typed document, after where it is when nested: `fields: …`) at the start of its
/// mapping: point at the key's second line instead (the first line after the first that
/// starts with the key and a colon, indented or not). Gives where the crate's words start in
/// the message, and the key.
fn at_repeated_key(err: &mut YamlError, text: &str) -> Option<(usize, String)> {
    let (at, key) = [
        ("duplicate entry with key ", '"'),
        ("duplicate field ", '`'),
    ]
    .iter()
    .find_map(|(words, quote)| {
        let at = err.message.find(words)?;
        let rest = &err.message[at + words.len()..];
        let key = match rest.strip_prefix(*quote) {
            Some(quoted) => quoted.split(*quote).next()?,
            None => rest,
        };
        Some((at, key.to_string()))
    })?;
    let mut lines = text.lines().enumerate().filter(|(_, l)| {
        l.trim_start()
            .strip_prefix(key.as_str())
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    });
    if let Some((n, l)) = lines.nth(1) {
        err.line = Some(n + 1);
        err.column = Some(1 + l.len() - l.trim_start().len());
    }
    Some((at, key))
}

/// Deserialises a typed document, such as tandem.yaml.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| {
        let mut err = YamlError::from_yaml(e);
        at_repeated_key(&mut err, text);
        err
    })
}

/// Quotes a string for a YAML line only when it needs quoting.
pub fn scalar(text: &str) -> String {
    let needs_quotes = text.is_empty()
        || text.trim() != text
        || text.contains(['\n', '\r', '\t', '#', ':', '"', '\''])
        || text.starts_with(['-', '[', '{', '&', '*', '!', '|', '>', '%', '@', '`', '?', ','])
        // Words that older YAML readers take for booleans.
        || matches!(
            text.to_ascii_lowercase().as_str(),
            "yes" | "no" | "on" | "off" | "y" | "n" | "true" | "false" | "null" | "~"
        )
        || serde_yaml::from_str::<serde_yaml::Value>(text)
            .map(|v| !matches!(v, serde_yaml::Value::String(_)))
            .unwrap_or(true);
    if needs_quotes {
        serde_json::to_string(text).unwrap_or_else(|_| format!("{text:?}"))
    } else {
        text.to_string()
    }
}

fn convert(value: serde_yaml::Value) -> Value {
    match value {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => Value::Number(n.to_string()),
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => Value::List(items.into_iter().map(convert).collect()),
        serde_yaml::Value::Mapping(map) => Value::Map(
            map.into_iter()
                .map(|(k, v)| (convert(k).to_text(), convert(v)))
                .collect(),
        ),
        serde_yaml::Value::Tagged(tagged) => convert(tagged.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_an_error_with_a_line() {
        let err = parse_mapping("id: a\ntitle: x\nid: b\n").unwrap_err();
        assert!(err.message.contains("duplicate"), "{}", err.message);
        assert_eq!(err.line, Some(3));
    }

    #[test]
    fn a_field_given_twice_in_a_typed_document_points_at_its_second_line() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Config {
            languages: Option<Vec<String>>,
            baseline: Option<String>,
            fields: Option<std::collections::BTreeMap<String, String>>,
        }
        let text = "# comments first\nlanguages: [en, es]\nbaseline: git\nbaseline: git\n";
        let err = from_str::<Config>(text).unwrap_err();
        assert!(err.message.contains("duplicate field"), "{}", err.message);
        assert_eq!((err.line, err.column), (Some(4), Some(1)));
        // A nested one: its line and indentation.
        let err = parse_mapping("fields:\n  status: a\n  status: b\n").unwrap_err();
        assert_eq!(
            (err.line, err.column),
            (Some(3), Some(3)),
            "{}",
            err.message
        );
    }

    proptest::proptest! {
        /// Whenever the fast path answers, it answers what the YAML parser does.
        #[test]
        fn fast_path_agrees_with_the_parser(lines in proptest::collection::vec(line(), 0..8)) {
            let text = lines.join("\n");
            if let Some(fast) = parse_simple(&text) {
                proptest::prop_assert_eq!(Ok(fast), parse_full(&text), "{:?}", text);
            }
        }
    }

    fn line() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let key = prop_oneof![
            Just("title".to_string()),
            Just("id".to_string()),
            Just("source_hash".to_string()),
            Just("null".to_string()),
            Just("a-b".to_string()),
            "[a-z_][a-z0-9_-]{0,6}",
        ];
        let value = prop_oneof![
            "[A-Za-zÀ-ÿ][A-Za-z0-9 ,.!?'()/-]{0,20}",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}",
            "[0-9+.-][0-9a-fx.e_:-]{0,8}",
            "[0-9][0-9a-f]{31}",
            "[0-9]{3}e[0-9]{2}",
            "0x[0-9a-f]{2}",
            "[0-9]{2}[a-z]{2}",
            "\"[^\"\\\\\n]{0,12}\"",
            "'[^'\n]{0,12}'",
            Just("null".to_string()),
            Just("TRUE".to_string()),
            Just("~".to_string()),
            Just("yes".to_string()),
            "[a-z]{1,5}: [a-z]{1,5}",
            "[a-z]{1,5} #[a-z]{1,5}",
            Just("[a, b]".to_string()),
            Just("[]".to_string()),
            Just("[ ]".to_string()),
            Just("[a, b,]".to_string()),
            Just("[a,, b]".to_string()),
            Just("[true, null, ~, yes]".to_string()),
            Just("[2026-01-01, 12, 1.5, 0x1f, 3e2]".to_string()),
            Just("[a b, c-d, e_f, À]".to_string()),
            "\\[ ?[a-z0-9]{1,4}(, ?[a-zA-Z0-9 .-]{1,5}){0,3} ?\\]",
            "\\[[a-z0-9 ,:'\"#{}\\[\\]-]{0,12}\\]",
            "\\PC{0,10}",
        ];
        prop_oneof![
            8 => (key, value, "[ ]{0,2}").prop_map(|(k, v, sp)| format!("{k}: {v}{sp}")),
            1 => Just(String::new()),
            1 => Just("# comment".to_string()),
            1 => "[a-z]{1,5}:".prop_map(|s| s),
            1 => "  [a-z]{1,5}: x".prop_map(|s| s),
        ]
    }

    #[test]
    fn fast_path_takes_common_front_matter() {
        let text = "title: \"Foro del aniversario\"\ntranslator: M. R.\ndate: 2026-03-21\nsource_hash: 0772d9229db95f0a5b9010e1f638dd8b\nstatus: draft\n";
        let fast = parse_simple(text).expect("the fast path takes it");
        assert_eq!(Ok(fast), parse_full(text));
    }

    #[test]
    fn fast_path_takes_a_list_of_words() {
        let text = "title: A\ntags: [a, b]\ntranslate_to: [ es , pt-BR ]\nnone: []\n";
        let fast = parse_simple(text).expect("the fast path takes it");
        assert_eq!(Ok(fast), parse_full(text));
    }

    #[test]
    fn a_list_is_not_front_matter() {
        let err = parse_mapping("- a\n- b\n").unwrap_err();
        assert!(err.message.contains("mapping"));
    }

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        assert_eq!(scalar("Paris Commune"), "Paris Commune");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("12"), "\"12\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar(""), "\"\"");
    }
}
