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
        YamlError {
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
            message,
        }
    }
}

/// Parses front matter: a mapping with string keys (empty text is an empty mapping).
pub fn parse_mapping(text: &str) -> Result<Vec<(String, Value)>, YamlError> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let mut err = YamlError::from_yaml(e);
        // The crate points at the start of the mapping; point at the repeated key instead.
        if let Some(key) = err.message.strip_prefix("duplicate entry with key ") {
            let key = key.trim_matches('"');
            let mut lines = text.lines().enumerate().filter(|(_, l)| {
                l.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            });
            if let Some((n, _)) = lines.nth(1) {
                err.line = Some(n + 1);
                err.column = Some(1);
            }
            err.message = format!("duplicate key `{key}`");
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

/// Deserialises a typed document, such as tandem.yaml.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(YamlError::from_yaml)
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
