//! `report --html`: one self-contained page (no network, fonts or external scripts) with an
//! article × language matrix coloured by state, per-language coverage bars and totals.

use crate::coverage::Coverage;
use crate::pairs::{Item, Pairing};
use crate::render::{problem, thousands};
use crate::state::State;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use std::borrow::Cow;
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

/// A relative path as a URL path: each segment percent-encoded, `/` kept.
pub fn url_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

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

/// Where the page's links go.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// Prefix of every file's link: the way from the report's folder to the project root
    /// (`../`), or `--link-base` (a repository's blob URL).
    pub files: String,
    /// Prefix of a file's change history, when the link base is a forge's blob URL
    /// (`https://github.com/o/r/commits/main/`).
    pub history: Option<String>,
    /// Prefix of "create this file", likewise (`https://github.com/o/r/new/main?filename=`).
    pub create: Option<String>,
    /// The comparison of a commit with the link base's revision, likewise: a baseline commit
    /// goes between (`https://github.com/o/r/compare/` + commit + `...main`).
    pub compare: Option<(String, String)>,
}

impl Links {
    /// Links under `base`: for a GitHub or Gitea `…/blob/REF/[folder/]` or GitLab
    /// `…/-/blob/REF/[folder/]` URL, also the history and new-file links of the same forge.
    pub fn under(base: &str) -> Links {
        let files = if base.ends_with('/') {
            base.to_string()
        } else {
            format!("{base}/")
        };
        let Some((repo, dash, rest)) = forge_parts(&files) else {
            return Links {
                files,
                ..Links::default()
            };
        };
        let (rev, folder) = rest.split_once('/').unwrap_or((rest, ""));
        Links {
            history: Some(format!("{repo}/{dash}commits/{rest}")),
            create: Some(if dash.is_empty() {
                format!("{repo}/new/{rev}?filename={folder}")
            } else {
                format!("{repo}/-/new/{rev}/?file_name={folder}")
            }),
            compare: Some((format!("{repo}/{dash}compare/"), format!("...{rev}"))),
            files,
        }
    }
}

/// `https://github.com/o/r/blob/main/docs/` as (`https://github.com/o/r`, ``, `main/docs/`);
/// GitLab's `/-/blob/` gives `-/` as the middle part.
fn forge_parts(url: &str) -> Option<(&str, &'static str, &str)> {
    let (repo, rest, dash) = if let Some(i) = url.find("/-/blob/") {
        (&url[..i], &url[i + "/-/blob/".len()..], "-/")
    } else {
        let i = url.find("/blob/")?;
        (&url[..i], &url[i + "/blob/".len()..], "")
    };
    let scheme = repo.starts_with("https://") || repo.starts_with("http://");
    (scheme && !rest.is_empty()).then_some((repo, dash, rest))
}

/// What the page needs besides the pairs.
pub struct Page<'a> {
    pub pairing: &'a Pairing<'a>,
    pub coverage: &'a [Coverage],
    pub languages: &'a [String],
    /// The languages `check` requires to be complete: marked on the page.
    pub required: &'a [String],
    pub links: Links,
    pub generated: String,
    /// Where a missing translation would be created (the layout's place for it).
    pub missing_path: &'a dyn Fn(&Item) -> Option<String>,
}

/// The state a cell shows, as its index in [`State::ALL`] (what the page's data holds).
fn state_index(state: State) -> usize {
    State::ALL
        .iter()
        .position(|s| *s == state)
        .unwrap_or_default()
}

/// A language's most common shape of translation paths (`translations/es/` + id + `.md`): a
/// cell whose path has that shape leaves it out of the page's data, which the page's script
/// rebuilds from the id.
fn templates<'a>(
    cells: impl Iterator<Item = (&'a str, &'a str, &'a str)>,
    languages: &[String],
) -> Vec<(String, String)> {
    let mut counts: Vec<BTreeMap<(&str, &str), usize>> = vec![BTreeMap::new(); languages.len()];
    for (lang, id, path) in cells {
        let Some(l) = languages.iter().position(|x| x == lang) else {
            continue;
        };
        if let Some(k) = path.rfind(id) {
            let key = (&path[..k], &path[k + id.len()..]);
            *counts[l].entry(key).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|c| {
            c.into_iter()
                .max_by_key(|(_, n)| *n)
                .map(|((p, s), _)| (p.to_string(), s.to_string()))
                .unwrap_or_default()
        })
        .collect()
}

/// Whether `path` is the template's (`prefix` + id + `suffix`), so the page can rebuild it.
fn follows(path: &str, (prefix, suffix): &(String, String), id: &str) -> bool {
    !(prefix.is_empty() && suffix.is_empty())
        && path.len() == prefix.len() + id.len() + suffix.len()
        && path.starts_with(prefix.as_str())
        && path.ends_with(suffix.as_str())
        && &path[prefix.len()..path.len() - suffix.len()] == id
}

/// JSON made safe inside a `<script>` element: `<`, `>` and `&` only occur inside strings,
/// where their escapes mean the same.
struct ScriptSafe<W>(W);

impl<W: Write> Write for ScriptSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        let mut rest = buf;
        while let Some(at) = rest.iter().position(|b| matches!(b, b'<' | b'>' | b'&')) {
            self.0.write_all(&rest[..at])?;
            self.0.write_all(match rest[at] {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                _ => b"\\u0026",
            })?;
            rest = &rest[at + 1..];
        }
        self.0.write_all(rest)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// A sequence serialized from the iterator its function makes, without being collected first.
struct Lazy<F>(F);

impl<F, I> serde::Serialize for Lazy<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: serde::Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

const STYLE: &str = r#"
:root{--ok:#2e7d32;--old:#e6a100;--miss:#c62828;--draft:#1e88e5;--untr:#8e24aa;--bad:#6d0000;--line:#ddd}
*{box-sizing:border-box}body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#fafafa}
header,section,.controls{padding:12px 24px}h1{margin:0 0 4px;font-size:22px}h2{font-size:16px;margin:0 0 6px}
.meta{color:#666}.langs{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:12px}
.lang{background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 12px}
.req{display:inline-block;font-size:11px;font-weight:600;color:#fff;background:#455a64;border-radius:3px;padding:0 5px;margin-left:6px;vertical-align:middle}
.bar{display:flex;height:14px;border-radius:3px;overflow:hidden;background:#eee;margin:6px 0}
.bar span{display:block;height:100%}.b-up-to-date{background:var(--ok)}.b-outdated{background:var(--old)}.b-draft{background:var(--draft)}.b-missing{background:var(--miss)}.b-untracked{background:var(--untr)}.b-invalid{background:var(--bad)}
.small{font-size:12px;color:#555}.under{color:var(--miss);font-weight:600}
table{border-collapse:collapse}.totals td,.totals th{padding:2px 10px;text-align:right;border-bottom:1px solid var(--line)}.totals th:first-child{text-align:left}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;list-style:none;margin:0;padding:0}.legend li{display:flex;align-items:center;gap:6px}
.legend .c{display:inline-block;min-width:56px;text-align:center;border-radius:3px;padding:0 4px}
.controls{display:flex;flex-wrap:wrap;gap:8px;align-items:center}.controls input[type=search]{padding:4px 8px;width:280px}
.wrap{overflow:auto;height:75vh;margin:0 24px 24px;border:1px solid var(--line);background:#fff;position:relative}
.row{display:grid;grid-template-columns:var(--cols);height:24px;align-items:center;border-bottom:1px solid #eee;font-size:12px;white-space:nowrap}
.head{position:sticky;top:0;background:#f0f0f0;z-index:2;font-weight:600;height:30px}.head>*{cursor:pointer;user-select:none;padding:0 6px;text-align:center}
.head>:first-child{text-align:left}.head [aria-sort=ascending]::after{content:" ▲"}.head [aria-sort=descending]::after{content:" ▼"}
#body{position:relative}#body .row{position:absolute;left:0;right:0}
.art{padding:0 8px;overflow:hidden;text-overflow:ellipsis;position:sticky;left:0;background:inherit}.art a{color:#1a4d8f}
.group{background:#eceff1;font-weight:600}.group>div{padding:0 8px;grid-column:1/-1}
.c{display:block;text-align:center;margin:0 1px;border-radius:2px;color:inherit;text-decoration:none;line-height:20px;overflow:hidden}
.s-up-to-date{background:#e8f5e9;color:var(--ok)}.s-outdated{background:#fff4d6;color:#8a5a00}.s-missing{background:#fdecea;color:var(--miss)}
.s-draft{background:#e3f2fd;color:#0d47a1}.s-untracked{background:#f3e5f5;color:var(--untr)}.s-orphaned,.s-invalid{background:#6d0000;color:#fff}
.s-original{color:#999}.s-none{color:#ccc}.title{color:#777;margin-left:6px}
#detail{position:fixed;right:16px;bottom:16px;width:420px;max-width:calc(100vw - 32px);background:#fff;border:1px solid #bbb;border-radius:6px;box-shadow:0 4px 16px rgba(0,0,0,.15);padding:12px 14px;z-index:3}
#detail h3{margin:0 0 6px;font-size:15px}#detail dl{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:0 0 8px}#detail dt{color:#666}#detail dd{margin:0;overflow-wrap:anywhere}
#detail code{background:#f3f3f3;padding:1px 4px;border-radius:3px}#detail .x{position:absolute;right:8px;top:4px;border:0;background:none;font-size:18px;cursor:pointer}
"#;

/// The matrix: rendered from the page's data, only the rows in view, so a publication of
/// 20,000 articles in a dozen languages opens at once.
const SCRIPT: &str = r#"
(function(){
var D=JSON.parse(document.getElementById('data').textContent),S=D.states,L=D.langs,T=D.templates,R=D.rows,H=24;
var wrap=document.getElementById('matrix'),head=document.getElementById('head'),body=document.getElementById('body'),det=document.getElementById('detail');
var q=document.getElementById('q'),sec=document.getElementById('sec'),lg=document.getElementById('lang'),st=document.getElementById('state'),grp=document.getElementById('group'),shown=document.getElementById('shown');
var key=-1,dir=1,view=[],cols=[];
var TXT={'up-to-date':'✓','untracked':'untracked','orphaned':'orphaned','invalid':'invalid'};
function esc(s){return String(s).replace(/[&<>"']/g,function(c){return '&#'+c.charCodeAt(0)+';'})}
function url(p){return encodeURI(p).replace(/[?#]/g,encodeURIComponent)}
function cell(r,i){return R[r][4][i]}
function path(r,i){var c=cell(r,i);if(c.length>3&&c[3]!==null)return c[3];return T[i][0]||T[i][1]?T[i][0]+R[r][0]+T[i][1]:''}
function words(c){return Array.isArray(c)?c[1]:0}
function label(c){var s=S[c[0]];if(TXT[s])return TXT[s];if(s==='outdated')return c[2]+'¶ '+c[1]+'w';return c[1]+'w'}
function todo(r){for(var k=0;k<cols.length;k++){var c=cell(r,cols[k]);if(Array.isArray(c)&&c[0]!==0)return true}return false}
function build(){
 var t=q.value.toLowerCase(),s=sec.value,state=st.value,l=lg.value;
 cols=[];for(var i=0;i<L.length;i++)if(!l||L[i]===l)cols.push(i);
 wrap.style.setProperty('--cols','minmax(240px,1fr) repeat('+cols.length+',76px)');
 var h='<div data-k="-1">Article</div>';for(var k=0;k<cols.length;k++){var n=L[cols[k]];h+='<div data-k="'+cols[k]+'" title="sort by this language: most work first">'+esc(n)+(D.required.indexOf(n)>=0?'<span class="req" title="required: check fails while it is incomplete">req</span>':'')+'</div>'}
 head.innerHTML=h;var a=head.querySelector('[data-k="'+key+'"]');if(a)a.setAttribute('aria-sort',dir>0?'ascending':'descending');
 var rows=[];
 for(var r=0;r<R.length;r++){var row=R[r];
  if(s&&row[3]!==s)continue;
  if(t&&row[0].toLowerCase().indexOf(t)<0&&(!row[1]||row[1].toLowerCase().indexOf(t)<0))continue;
  if(state==='work'){if(!todo(r))continue}
  else if(state){var any=false;for(var k=0;k<cols.length;k++){var c=cell(r,cols[k]);if(Array.isArray(c)&&S[c[0]]===state)any=true}if(!any)continue}
  rows.push(r)}
 rows.sort(function(x,y){
  if(grp.checked&&R[x][3]!==R[y][3])return R[x][3]<R[y][3]?-1:1;
  if(key>=0){var cx=cell(x,key),cy=cell(y,key),wx=Array.isArray(cx)?(cx[0]===0?0:1+cx[1]):-1,wy=Array.isArray(cy)?(cy[0]===0?0:1+cy[1]):-1;if(wx!==wy)return (wy-wx)*dir}
  return R[x][0]<R[y][0]?-dir:R[x][0]>R[y][0]?dir:0});
 view=[];var last=null,count=0;
 for(var i=0;i<rows.length;i++){if(grp.checked&&R[rows[i]][3]!==last){last=R[rows[i]][3];view.push({g:last})}view.push(rows[i])}
 shown.textContent=rows.length+' of '+R.length+' articles';
 body.style.height=(view.length*H)+'px';draw()}
function draw(){
 var top=Math.max(0,wrap.scrollTop-head.offsetHeight),first=Math.max(0,Math.floor(top/H)-20),last=Math.min(view.length,first+Math.ceil(wrap.clientHeight/H)+40),h='';
 for(var v=first;v<last;v++){var e=view[v],y='style="top:'+(v*H)+'px"';
  if(typeof e==='object'){h+='<div class="row group" '+y+'><div>'+esc(e.g)+'</div></div>';continue}
  var row=R[e];h+='<div class="row" '+y+'><div class="art">'+(row[2]?'<a href="'+esc(D.base+url(row[2]))+'">'+esc(row[0])+'</a>':esc(row[0]))+(row[1]?'<span class="title">'+esc(row[1])+'</span>':'')+'</div>';
  for(var k=0;k<cols.length;k++){var i=cols[k],c=cell(e,i);
   if(c===0)h+='<span class="c s-none" title="not to be translated">·</span>';
   else if(c===1)h+='<span class="c s-original" title="the original">original</span>';
   else{var p=path(e,i),s=S[c[0]];h+='<a class="c s-'+s+'" data-r="'+e+'" data-l="'+i+'"'+(p?' href="'+esc(D.base+url(p))+'"':'')+' title="'+esc(L[i]+': '+s+(c[4]?' — '+c[4]:''))+'">'+esc(label(c))+'</a>'}}
  h+='</div>'}
 body.innerHTML=h}
function detail(r,i){
 var row=R[r],c=cell(r,i),s=S[c[0]],p=path(r,i),id=row[0],h='<button class="x" aria-label="close">×</button><h3>'+esc(id)+' · '+esc(L[i])+'</h3><dl>';
 function dd(k,v){h+='<dt>'+k+'</dt><dd>'+v+'</dd>'}
 if(row[1])dd('title',esc(row[1]));dd('state','<span class="c s-'+s+'" style="display:inline-block;padding:0 6px">'+esc(s)+'</span>');
 if(c[0]!==0)dd('to translate',c[1]+' words');if(s==='outdated')dd('changed',c[2]+' paragraphs');if(s==='draft')dd('left',c[2]+' paragraphs still the original\'s');
 if(c[4])dd('note',esc(c[4]));
 if(row[2])dd('original','<a href="'+esc(D.base+url(row[2]))+'">'+esc(row[2])+'</a>');
 if(p&&s!=='missing')dd('translation','<a href="'+esc(D.base+url(p))+'">'+esc(p)+'</a>');
 if(s==='outdated'&&c[5]&&D.compare)dd('changes','<a href="'+esc(D.compare[0]+c[5]+D.compare[1])+'">the originals since '+esc(c[5].slice(0,10))+'</a>');
 if(s==='outdated'&&row[2]&&D.history)dd('history','<a href="'+esc(D.history+url(row[2]))+'">history of the original</a>');
 if(s==='missing'&&p)dd('would be',esc(p));
 if(s==='missing'&&p&&D.create)dd('create','<a href="'+esc(D.create+url(p))+'">create '+esc(p)+'</a>');
 var sh=function(w){return /^[A-Za-z0-9_.\/-]+$/.test(w)?w:"'"+w.replace(/'/g,"'\\''")+"'"};
 var cmd={outdated:'tandem diff '+sh(id)+' --lang '+sh(L[i]),missing:'tandem new '+sh(id)+' --lang '+sh(L[i]),untracked:'tandem mark '+sh(id)+' --lang '+sh(L[i]),draft:'tandem diff '+sh(id)+' --lang '+sh(L[i])}[s];
 if(cmd)dd('run','<code>'+esc(cmd)+'</code>');
 det.innerHTML=h+'</dl>';det.hidden=false;det.querySelector('.x').onclick=function(){det.hidden=true}}
body.addEventListener('click',function(ev){var a=ev.target.closest('a.c');if(!a||ev.ctrlKey||ev.metaKey||ev.shiftKey||ev.button!==0)return;ev.preventDefault();detail(+a.getAttribute('data-r'),+a.getAttribute('data-l'))});
head.addEventListener('click',function(ev){var d=ev.target.closest('[data-k]');if(!d)return;var k=+d.getAttribute('data-k');if(k===key)dir=-dir;else{key=k;dir=1}build()});
document.addEventListener('keydown',function(ev){if(ev.key==='Escape')det.hidden=true});
var raf=0;wrap.addEventListener('scroll',function(){if(!raf)raf=requestAnimationFrame(function(){raf=0;draw()})});
[q,sec,lg,st,grp].forEach(function(x){x.addEventListener(x===q?'input':'change',build)});
function fromHash(){var P=new URLSearchParams(location.hash.slice(1));if(P.has('lang'))lg.value=P.get('lang');if(P.has('state'))st.value=P.get('state');if(P.has('section'))sec.value=P.get('section');if(P.has('q'))q.value=P.get('q');build()}
window.addEventListener('hashchange',fromHash);fromHash()})();
"#;

/// What each state means, for the legend.
fn meaning(state: State) -> &'static str {
    match state {
        State::UpToDate => "translated from the original as it is now",
        State::Outdated => "the original changed since: ¶ paragraphs changed, w words to translate",
        State::Missing => "no translation yet: w words to translate",
        State::Draft => "started, not done: w words still to translate",
        State::Untracked => "nobody recorded which version it was made from",
        State::Orphaned => "a translation whose original is gone",
        State::Invalid => "a file tandem cannot read",
    }
}

pub fn report<'p>(out: &mut dyn Write, page: &'p Page) -> std::io::Result<()> {
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
        let required = if page.required.contains(&c.lang) {
            "<span class=\"req\" title=\"required: check fails while it is incomplete\">required</span>"
        } else {
            ""
        };
        writeln!(
            out,
            "<div class=\"lang\" data-lang=\"{}\"><h2>{}{required}</h2>",
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
            "<div class=\"small\">{} up to date · {} outdated · {} draft · {} missing · {} untracked · {} invalid, of {}</div>",
            c.up_to_date, c.outdated, c.draft, c.missing, c.untracked, c.invalid, c.total
        )?;
        writeln!(
            out,
            "<div class=\"small\"><a href=\"#lang={0}&amp;state=work\">what needs work in {0}</a></div></div>",
            escape(&c.lang)
        )?;
    }
    writeln!(out, "</section>")?;

    // Legend and totals.
    writeln!(out, "<section><h2>Legend</h2><ul class=\"legend\">")?;
    for s in State::ALL {
        let sample = match s {
            State::UpToDate => "✓",
            State::Outdated => "2¶ 61w",
            State::Missing | State::Draft => "340w",
            other => other.name(),
        };
        writeln!(
            out,
            "<li data-state=\"{0}\"><span class=\"c s-{0}\">{sample}</span><b>{0}</b> {1}</li>",
            s.name(),
            escape(meaning(s))
        )?;
    }
    writeln!(
        out,
        "<li><span class=\"c s-original\">original</span> the article's own language</li><li><span class=\"c s-none\">·</span> not to be translated into this language</li><li><span class=\"req\">req</span> required: <code>tandem check</code> fails while the language is incomplete</li></ul>"
    )?;
    writeln!(
        out,
        "<p class=\"small\">Click a cell for its details and links; click a column's name to sort by it.</p></section>"
    )?;
    writeln!(out, "<section><h2>Totals</h2><table class=\"totals\"><tr>")?;
    for s in State::ALL {
        write!(out, "<th>{}</th>", s.name())?;
    }
    writeln!(out, "</tr><tr>")?;
    for s in State::ALL {
        write!(out, "<td class=\"t-{}\">{}</td>", s.name(), counts.get(s))?;
    }
    writeln!(out, "</tr></table></section>")?;

    // The matrix's data, one row per article (orphans' ids included).
    // Each pair's file: the translation, or where a missing one would be created.
    let paths: Vec<Option<Cow<str>>> = pairing
        .items
        .iter()
        .map(|i| match &i.translation {
            Some(t) => Some(Cow::Borrowed(&**t)),
            None => (page.missing_path)(i).map(Cow::Owned),
        })
        .collect();
    let mut by_id: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (n, item) in pairing.items.iter().enumerate() {
        by_id.entry(&item.id).or_default().push(n);
    }
    let articles: BTreeMap<&str, &crate::document::Original> = pairing
        .articles
        .iter()
        .map(|a| (a.id.as_str(), *a))
        .collect();
    for a in &pairing.articles {
        by_id.entry(&a.id).or_default();
    }
    let templates = templates(
        pairing
            .items
            .iter()
            .zip(&paths)
            .filter_map(|(i, p)| Some((i.lang, i.id.as_ref(), p.as_deref()?))),
        page.languages,
    );
    let section_of = |id: &'p str| id.split_once('/').map_or("(top)", |(first, _)| first);
    let sections: std::collections::BTreeSet<&str> =
        by_id.keys().map(|id| section_of(id)).collect();
    // An article's row: id, title, original's path, section, a cell per language. Each is made
    // as it is written: the rows of 20,000 articles are never held at once.
    let row = |(id, indexes): (&&'p str, &Vec<usize>)| {
        let id: &'p str = id;
        let article = articles.get(id);
        let section = section_of(id);
        let cells: Vec<Cell> = page
            .languages
            .iter()
            .enumerate()
            .map(
                |(l, lang)| match indexes.iter().find(|&&n| pairing.items[n].lang == lang) {
                    Some(&n) => {
                        let item = &pairing.items[n];
                        let paragraphs = item
                            .changed
                            .as_ref()
                            .or(item.untranslated.as_ref())
                            .map_or(0, |c| c.paragraphs);
                        let path = paths[n].as_deref();
                        let derived = path.is_some_and(|p| follows(p, &templates[l], id));
                        // A translation made from another one says so: the chain is part of it.
                        let note = match (&item.message, pivot(item)) {
                            (Some(m), Some(from)) => {
                                Some(format!("{m} (made from the {from} translation)"))
                            }
                            (Some(m), None) => Some(m.to_string()),
                            (None, Some(from)) => Some(format!("made from the {from} translation")),
                            (None, None)
                                if item.baseline == Some(crate::pairs::Baseline::Unknown) =>
                            {
                                Some(problem(item))
                            }
                            (None, None) => None,
                        };
                        // The commit an outdated translation was made from, for the link to what
                        // changed since.
                        let commit = item
                            .judged_by
                            .as_ref()
                            .and_then(|j| j.commit.as_deref())
                            .filter(|_| {
                                item.state == State::Outdated && page.links.compare.is_some()
                            });
                        Cell::Pair {
                            state: state_index(item.state),
                            words: item.words,
                            paragraphs,
                            path: (!derived || note.is_some() || commit.is_some())
                                .then(|| path.filter(|_| !derived)),
                            note: (note.is_some() || commit.is_some()).then_some(note),
                            commit,
                        }
                    }
                    None if article.is_some_and(|a| &a.lang == lang) => Cell::Original,
                    None => Cell::None,
                },
            )
            .collect();
        (
            id,
            article.and_then(|a| a.title.as_deref()),
            article.map(|a| a.path.as_str()),
            section,
            cells,
        )
    };

    writeln!(
        out,
        "<div class=\"controls\"><input type=\"search\" id=\"q\" placeholder=\"Filter by id or title\" aria-label=\"Filter articles\">"
    )?;
    write!(
        out,
        "<select id=\"sec\" aria-label=\"Section\"><option value=\"\">All sections</option>"
    )?;
    for s in &sections {
        write!(out, "<option>{}</option>", escape(s))?;
    }
    write!(
        out,
        "</select><select id=\"lang\" aria-label=\"Language\"><option value=\"\">All languages</option>"
    )?;
    for l in page.languages {
        write!(out, "<option>{}</option>", escape(l))?;
    }
    write!(
        out,
        "</select><select id=\"state\" aria-label=\"State\"><option value=\"\">Any state</option><option value=\"work\">Needs work</option>"
    )?;
    for s in State::ALL {
        write!(out, "<option>{}</option>", s.name())?;
    }
    writeln!(
        out,
        "</select><label><input type=\"checkbox\" id=\"group\" checked> group by section</label><span class=\"small\" id=\"shown\"></span></div>"
    )?;
    writeln!(
        out,
        "<div class=\"wrap\" id=\"matrix\"><div class=\"row head\" id=\"head\"></div><div id=\"body\"></div></div>"
    )?;
    writeln!(
        out,
        "<noscript><p class=\"controls\">The article × language matrix needs JavaScript; the figures above do not.</p></noscript>"
    )?;
    writeln!(out, "<aside id=\"detail\" hidden></aside>")?;
    let data = Data {
        base: &page.links.files,
        compare: &page.links.compare,
        create: &page.links.create,
        history: &page.links.history,
        langs: page.languages,
        required: page.required,
        rows: Lazy(|| by_id.iter().map(row)),
        states: State::ALL.iter().map(|s| s.name()).collect(),
        templates: &templates,
    };
    write!(out, "<script type=\"application/json\" id=\"data\">")?;
    serde_json::to_writer(ScriptSafe(&mut *out), &data).map_err(std::io::Error::other)?;
    writeln!(out, "</script>")?;
    writeln!(out, "<script>{SCRIPT}</script>\n</body>\n</html>")
}

/// The page's data, as its script reads it (the fields in order of their names).
#[derive(serde::Serialize)]
struct Data<'a, R: serde::Serialize> {
    base: &'a str,
    compare: &'a Option<(String, String)>,
    create: &'a Option<String>,
    history: &'a Option<String>,
    langs: &'a [String],
    required: &'a [String],
    rows: R,
    states: Vec<&'static str>,
    templates: &'a [(String, String)],
}

/// A language's cell of a row.
enum Cell<'a> {
    /// No pair: `0`.
    None,
    /// The original's own language: `1`.
    Original,
    /// `[state, words, paragraphs]`, then, only when needed, the translation's path (`null`
    /// when the language's template gives it), a note (or `null`) and the commit it was made
    /// from.
    Pair {
        state: usize,
        words: u32,
        paragraphs: u32,
        path: Option<Option<&'a str>>,
        note: Option<Option<String>>,
        commit: Option<&'a str>,
    },
}

impl serde::Serialize for Cell<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        match self {
            Cell::None => serializer.serialize_u8(0),
            Cell::Original => serializer.serialize_u8(1),
            Cell::Pair {
                state,
                words,
                paragraphs,
                path,
                note,
                commit,
            } => {
                let mut seq = serializer.serialize_seq(None)?;
                seq.serialize_element(state)?;
                seq.serialize_element(words)?;
                seq.serialize_element(paragraphs)?;
                if let Some(path) = path {
                    seq.serialize_element(path)?;
                }
                if let Some(note) = note {
                    seq.serialize_element(note)?;
                }
                if let Some(commit) = commit {
                    seq.serialize_element(commit)?;
                }
                seq.end()
            }
        }
    }
}

/// The language of the translation an item was made from, when it was made from one.
fn pivot<'a>(item: &'a Item) -> Option<&'a str> {
    item.judged_by
        .as_ref()
        .and_then(|j| j.translated_from.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_a_script_never_closes_it() {
        let json = serde_json::to_string(&["</script><b>&amp;", "plain", "a>b"]).unwrap();
        let mut out = Vec::new();
        // Written in pieces, as a serializer does.
        for piece in json.as_bytes().chunks(3) {
            ScriptSafe(&mut out).write_all(piece).unwrap();
        }
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            r#"["\u003c/script\u003e\u003cb\u003e\u0026amp;","plain","a\u003eb"]"#
        );
        let back: Vec<String> = serde_json::from_str(&out).unwrap();
        assert_eq!(back, ["</script><b>&amp;", "plain", "a>b"]);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
