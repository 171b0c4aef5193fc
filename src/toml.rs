//! TOML front matter (between `+++` lines, as Hugo and Zola write it): read into the same
//! values as YAML front matter, and one field set while keeping every other byte. The only
//! module that names the TOML crate.

use crate::yaml::{Value, YamlError};
use toml_edit::{DocumentMut, Item};

/// Parses TOML front matter into its top-level fields, in the order written.
pub fn parse_mapping(text: &str) -> Result<Vec<(String, Value)>, YamlError> {
    let doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        let (line, column) = match e.span() {
            Some(span) => {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                (Some(line), Some(column))
            }
            None => (None, None),
        };
        YamlError {
            line,
            column,
            message: what_is_wrong(&e),
        }
    })?;
    Ok(doc
        .iter()
        .map(|(k, item)| (k.to_string(), item_value(item)))
        .collect())
}

/// The crate's message repeats the line and a caret; its first line says what is wrong.
fn what_is_wrong(e: &toml_edit::TomlError) -> String {
    e.message()
        .lines()
        .next()
        .unwrap_or("not valid TOML")
        .to_string()
}

fn item_value(item: &Item) -> Value {
    let table = |t: &toml_edit::Table| {
        Value::Map(
            t.iter()
                .map(|(k, i)| (k.to_string(), item_value(i)))
                .collect(),
        )
    };
    match item {
        Item::None => Value::Null,
        Item::Value(v) => value(v),
        Item::Table(t) => table(t),
        Item::ArrayOfTables(a) => Value::List(a.iter().map(table).collect()),
    }
}

fn value(v: &toml_edit::Value) -> Value {
    use toml_edit::Value as V;
    match v {
        V::String(s) => Value::String(s.value().clone()),
        V::Integer(i) => Value::Number(i.value().to_string()),
        V::Float(f) => Value::Number(f.value().to_string()),
        V::Boolean(b) => Value::Bool(*b.value()),
        // A date is text to everything tandem does with a field.
        V::Datetime(d) => Value::String(d.value().to_string()),
        V::Array(a) => Value::List(a.iter().map(value).collect()),
        V::InlineTable(t) => Value::Map(t.iter().map(|(k, v)| (k.to_string(), value(v))).collect()),
    }
}

/// `text` as a TOML string, quoted and escaped as TOML needs (`"Home"`).
pub fn scalar(text: &str) -> String {
    toml_edit::Value::from(text).to_string().trim().to_string()
}

/// The 1-based line of the top-level `key = …` (or of the table `[key]`) in `text`.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            let bare = l
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='));
            let quoted = l
                .strip_prefix('"')
                .and_then(|r| r.strip_prefix(key))
                .is_some_and(|rest| rest.starts_with('"'));
            let table = l
                .strip_prefix('[')
                .and_then(|r| r.strip_prefix(key))
                .is_some_and(|rest| rest.starts_with(']'));
            bare || quoted || table
        })
        .map(|i| i + 1)
}

/// Sets field `key` (dotted: a field of a table, `l10n.sourceCommit`) to the string `value` in
/// TOML front matter `text`, keeping every other field as written; a missing field is added
/// (and a missing table). Errors say why the field cannot be set (the text is not TOML, or a
/// parent of the field is not a table).
pub fn set_field(text: &str, key: &str, value: &str) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| what_is_wrong(&e))?;
    let names: Vec<&str> = key.split('.').collect();
    // A top-level key spelled with a dot is that key, as when reading.
    let names = if doc.contains_key(key) {
        vec![key]
    } else {
        names
    };
    let (last, parents) = names.split_last().ok_or("no field named")?;
    let mut table: &mut dyn toml_edit::TableLike = doc.as_table_mut();
    for name in parents {
        if !table.contains_key(name) {
            table.insert(name, Item::Table(toml_edit::Table::new()));
        }
        table = table
            .get_mut(name)
            .and_then(Item::as_table_like_mut)
            .ok_or_else(|| format!("`{name}` is not a table, so `{key}` cannot be set in it"))?;
    }
    match table.get_mut(last) {
        Some(item) if item.is_value() => {
            // The new value keeps the old one's place and the space before it; a comment after
            // the old value described it, and goes with it.
            let prefix = item
                .as_value()
                .and_then(|v| v.decor().prefix())
                .and_then(|p| p.as_str())
                .unwrap_or(" ")
                .to_string();
            let mut new = toml_edit::Value::from(value);
            new.decor_mut().set_prefix(prefix);
            *item = Item::Value(new);
        }
        Some(_) => return Err(format!("`{key}` is a table, not a field that holds text")),
        None => {
            table.insert(last, toml_edit::value(value));
        }
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_as_yaml_front_matter_would() {
        let fields = parse_mapping(
            "title = \"Home\"\nweight = 2\ndraft = false\ndate = 2024-01-02\ntags = [\"a\", \"b\"]\n[l10n]\nsourceCommit = \"abc\"\n",
        )
        .unwrap();
        let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        assert_eq!(get("title"), Some(Value::String("Home".into())));
        assert_eq!(get("weight"), Some(Value::Number("2".into())));
        assert_eq!(get("draft"), Some(Value::Bool(false)));
        assert_eq!(get("date"), Some(Value::String("2024-01-02".into())));
        assert_eq!(
            get("l10n"),
            Some(Value::Map(vec![(
                "sourceCommit".into(),
                Value::String("abc".into())
            )]))
        );
        let e = parse_mapping("title = \"x\"\nweight = = 2\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e:?}");
    }

    #[test]
    fn scalars_read_back_as_written() {
        for text in [
            "Home",
            "About \"us\"",
            "it's",
            "a\\b",
            "tab\there",
            "",
            "ünï",
        ] {
            let fields = parse_mapping(&format!("x = {}\n", scalar(text))).unwrap();
            assert_eq!(fields[0].1, Value::String(text.to_string()), "{text:?}");
        }
    }

    #[test]
    fn sets_a_field_keeping_every_other_byte() {
        let text = "title = \"Home\"   # the page's title\nweight = 2\n\n[extra]\nicon = \"x\"\n";
        let added = set_field(text, "source_hash", "abc").unwrap();
        assert_eq!(
            added,
            "title = \"Home\"   # the page's title\nweight = 2\nsource_hash = \"abc\"\n\n[extra]\nicon = \"x\"\n"
        );
        let replaced = set_field(&added, "source_hash", "def").unwrap();
        assert_eq!(replaced, added.replace("abc", "def"));
        let nested = set_field(text, "extra.sourceCommit", "c0ffee").unwrap();
        assert_eq!(nested, format!("{text}sourceCommit = \"c0ffee\"\n"));
        assert!(set_field(text, "weight.x", "1").is_err());
        assert!(set_field(text, "extra", "1").is_err());
        assert_eq!(key_line(text, "weight"), Some(2));
        assert_eq!(key_line(text, "extra"), Some(4));
    }
}
