//! `report --html`: one self-contained page (no network, fonts or external scripts) with an
//! article × language matrix coloured by state, per-language coverage bars and totals.

use crate::coverage::Coverage;
use crate::pairs::{Item, Pairing};
use crate::render::{problem, thousands};
use crate::state::State;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use std::collections::BTreeMap;
use std::io::Write;

/// What marks a report as tandem's own: `report` replaces only files that carry it.
pub const GENERATOR: &str = "<meta name=\"generator\" content=\"tandem\">";

/// What a URL path must encode (everything but unreserved characters and `/`).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\'')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']')
    .add(b'&');

/// Text made safe inside HTML elements and quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// What the page needs besides the pairs.
pub struct Page<'a> {
    pub pairing: &'a Pairing<'a>,
    pub coverage: &'a [Coverage],
    pub languages: &'a [String],
    /// How to reach the project root from the report's folder (`../`, or a `file://` URL).
    pub root_href: String,
    pub generated: String,
}

fn href(page: &Page, path: &str) -> String {
    escape(&format!(
        "{}{}",
        page.root_href,
        utf8_percent_encode(path, PATH)
    ))
}

/// What a matrix cell shows: a tick for an up-to-date pair, else the state's name.
fn symbol(state: State) -> &'static str {
    match state {
        State::UpToDate => "✓",
        other => other.name(),
    }
}

const STYLE: &str = r#"
:root{--ok:#2e7d32;--old:#e6a100;--miss:#c62828;--draft:#1e88e5;--untr:#8e24aa;--bad:#6d0000;--line:#ddd}
*{box-sizing:border-box}body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#fafafa}
header,section,.controls{padding:12px 24px}h1{margin:0 0 4px;font-size:22px}h2{font-size:16px;margin:0 0 6px}
.meta{color:#666}.langs{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:12px}
.lang{background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 12px}
.bar{display:flex;height:14px;border-radius:3px;overflow:hidden;background:#eee;margin:6px 0}
.bar span{display:block;height:100%}.b-up-to-date{background:var(--ok)}.b-outdated{background:var(--old)}.b-draft{background:var(--draft)}.b-missing{background:var(--miss)}.b-untracked{background:var(--untr)}.b-invalid{background:var(--bad)}
.small{font-size:12px;color:#555}.under{color:var(--miss);font-weight:600}
table{border-collapse:collapse}.totals td,.totals th{padding:2px 10px;text-align:right;border-bottom:1px solid var(--line)}.totals th:first-child{text-align:left}
.wrap{overflow:auto;max-height:80vh;margin:0 24px 24px;border:1px solid var(--line);background:#fff}
.matrix th,.matrix td{border-bottom:1px solid #eee;padding:2px 8px;white-space:nowrap;font-size:12px}
.matrix thead th{position:sticky;top:0;background:#f0f0f0;z-index:1}.matrix tbody th{position:sticky;left:0;background:#fff;text-align:left;font-weight:normal;max-width:420px;overflow:hidden;text-overflow:ellipsis}
.matrix td{text-align:center}.matrix a{color:inherit;text-decoration:none;display:block}
.s-up-to-date{background:#e8f5e9;color:var(--ok)}.s-outdated{background:#fff4d6;color:#8a5a00}.s-missing{background:#fdecea;color:var(--miss)}
.s-draft{background:#e3f2fd;color:#0d47a1}.s-untracked{background:#f3e5f5;color:var(--untr)}.s-orphaned,.s-invalid{background:#6d0000;color:#fff}
.s-original{color:#999}.s-none{color:#ccc}.title{color:#777;margin-left:6px}
.controls input[type=search]{padding:4px 8px;width:280px}.hidden{display:none}
"#;

const SCRIPT: &str = r#"
(function(){var q=document.getElementById('q'),w=document.getElementById('work'),rows=document.querySelectorAll('.matrix tbody tr'),n=document.getElementById('shown');
function f(){var t=q.value.toLowerCase(),only=w.checked,c=0;for(var i=0;i<rows.length;i++){var r=rows[i],s=(!t||r.getAttribute('data-id').indexOf(t)>=0)&&(!only||r.getAttribute('data-todo')==='1');r.className=s?'':'hidden';if(s)c++}n.textContent=c}
q.addEventListener('input',f);w.addEventListener('change',f);f()})();
"#;

pub fn report(out: &mut dyn Write, page: &Page) -> std::io::Result<()> {
    let pairing = page.pairing;
    writeln!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"
    )?;
    writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"tandem\">"
    )?;
    writeln!(
        out,
        "<title>Translation coverage</title>\n<style>{STYLE}</style>\n</head>\n<body>"
    )?;
    let counts = pairing.counts_in(&[]);
    writeln!(
        out,
        "<header><h1>Translation coverage</h1><p class=\"meta\">{} articles · {} languages · generated <time>{}</time> by tandem</p></header>",
        thousands(pairing.articles.len() as u64),
        page.languages.len(),
        escape(&page.generated)
    )?;

    // Per-language bars.
    writeln!(out, "<section class=\"langs\">")?;
    for c in page.coverage {
        writeln!(
            out,
            "<div class=\"lang\" data-lang=\"{}\"><h2>{}</h2>",
            escape(&c.lang),
            escape(&c.lang)
        )?;
        write!(
            out,
            "<div class=\"bar\" role=\"img\" aria-label=\"{}% up to date\">",
            c.coverage
        )?;
        let total = f64::from(c.total.max(1));
        for (state, n) in [
            (State::UpToDate, c.up_to_date),
            (State::Outdated, c.outdated),
            (State::Draft, c.draft),
            (State::Untracked, c.untracked),
            (State::Missing, c.missing),
            (State::Invalid, c.invalid),
        ] {
            if n > 0 {
                write!(
                    out,
                    "<span class=\"b-{}\" style=\"width:{:.2}%\" title=\"{n} {}\"></span>",
                    state.name(),
                    f64::from(n) * 100.0 / total,
                    state.name()
                )?;
            }
        }
        writeln!(out, "</div>")?;
        let under = match c.min {
            Some(m) if c.below_min => {
                format!(" <span class=\"under\">under the minimum of {m}%</span>")
            }
            _ => String::new(),
        };
        writeln!(
            out,
            "<div><strong class=\"coverage\">{}%</strong> of articles, {}% of words{under}</div>",
            c.coverage, c.coverage_words
        )?;
        writeln!(
            out,
            "<div class=\"small\">{} up to date · {} outdated · {} draft · {} missing · {} untracked · {} invalid, of {}</div></div>",
            c.up_to_date, c.outdated, c.draft, c.missing, c.untracked, c.invalid, c.total
        )?;
    }
    writeln!(out, "</section>")?;

    // Totals.
    writeln!(out, "<section><h2>Totals</h2><table class=\"totals\"><tr>")?;
    for s in State::ALL {
        write!(out, "<th>{}</th>", s.name())?;
    }
    writeln!(out, "</tr><tr>")?;
    for s in State::ALL {
        write!(out, "<td class=\"t-{}\">{}</td>", s.name(), counts.get(s))?;
    }
    writeln!(out, "</tr></table></section>")?;

    // The matrix.
    writeln!(
        out,
        "<div class=\"controls\"><input type=\"search\" id=\"q\" placeholder=\"Filter articles by id\" aria-label=\"Filter articles\"> <label><input type=\"checkbox\" id=\"work\"> only articles that need work</label> <span class=\"small\"><span id=\"shown\"></span> shown</span></div>"
    )?;
    writeln!(
        out,
        "<div class=\"wrap\"><table class=\"matrix\"><thead><tr><th>Article</th>"
    )?;
    for l in page.languages {
        write!(out, "<th>{}</th>", escape(l))?;
    }
    writeln!(out, "</tr></thead><tbody>")?;
    let mut by_id: BTreeMap<&str, Vec<&Item>> = BTreeMap::new();
    for item in &pairing.items {
        by_id.entry(&item.id).or_default().push(item);
    }
    let articles: BTreeMap<&str, &crate::document::Original> = pairing
        .articles
        .iter()
        .map(|a| (a.id.as_str(), *a))
        .collect();
    for a in &pairing.articles {
        by_id.entry(&a.id).or_default();
    }
    for (id, items) in &by_id {
        let article = articles.get(id);
        let todo = items.iter().any(|i| i.state != State::UpToDate);
        write!(
            out,
            "<tr data-id=\"{}\" data-todo=\"{}\"><th>",
            escape(&id.to_lowercase()),
            u8::from(todo)
        )?;
        match article {
            Some(a) => {
                write!(
                    out,
                    "<a href=\"{}\">{}</a>",
                    href(page, &a.path),
                    escape(id)
                )?;
                if let Some(t) = &a.title {
                    write!(out, "<span class=\"title\">{}</span>", escape(t))?;
                }
            }
            None => write!(out, "{}", escape(id))?,
        }
        write!(out, "</th>")?;
        for lang in page.languages {
            let cell: Vec<&&Item> = items.iter().filter(|i| i.lang == lang).collect();
            match cell.first() {
                Some(item) => {
                    let file = crate::render::file_of(item);
                    // A translation made from another one says so: the chain is part of it.
                    let title = match item
                        .judged_by
                        .as_ref()
                        .and_then(|j| j.translated_from.as_deref())
                    {
                        Some(from) => format!("{} (made from the {from} translation)", problem(item)),
                        None => problem(item),
                    };
                    write!(
                        out,
                        "<td class=\"s-{}\" data-lang=\"{}\" data-state=\"{}\"><a href=\"{}\" title=\"{}\">{}</a></td>",
                        item.state.name(),
                        escape(lang),
                        item.state.name(),
                        href(page, file),
                        escape(&title),
                        symbol(item.state)
                    )?;
                }
                None if article.is_some_and(|a| &a.lang == lang) => {
                    write!(out, "<td class=\"s-original\" data-lang=\"{}\" data-state=\"original\" title=\"the original\">original</td>", escape(lang))?;
                }
                None => write!(out, "<td class=\"s-none\" data-lang=\"{}\" data-state=\"none\" title=\"not to be translated\">·</td>", escape(lang))?,
            }
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</tbody></table></div>")?;
    writeln!(out, "<script>{SCRIPT}</script>\n</body>\n</html>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
