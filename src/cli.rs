//! Command-line arguments (clap derive). Commands receive checked values, never these types.

use crate::state::State;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The version, with the commit it was built from (see build.rs).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("TANDEM_COMMIT"), ")");

/// Keeps a multilingual publication's original articles and their translations paired, and
/// tells each person what needs doing.
#[derive(Debug, Parser)]
#[command(
    name = "tandem",
    version = VERSION,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Exit codes: 0 done, 1 problems found (check, coverage --min), 2 could not do the job."
)]
pub struct Cli {
    /// Work in DIR as if tandem were started there
    #[arg(
        short = 'C',
        value_name = "DIR",
        global = true,
        help_heading = "Global options"
    )]
    pub dir: Option<PathBuf>,

    /// Read this configuration file instead of tandem.yaml
    #[arg(
        long,
        value_name = "FILE",
        global = true,
        help_heading = "Global options"
    )]
    pub config: Option<PathBuf>,

    /// When to colour the output
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true, help_heading = "Global options")]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal unless NO_COLOR is set
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write tandem.yaml (with the languages found in translations/) and create the folders
    ///
    /// In an existing site (Hugo, Zola, tldr, Starlight, Astro docs, VitePress, Docusaurus, MDN)
    /// it recognises the layout instead and writes a configuration that reads the site as it
    /// is, with the record the site keeps of what each translation was made from: stamps when
    /// every translation has a source_hash, the commit in MDN's `l10n.sourceCommit` or a Hugo
    /// site's `default_lang_commit`, or else the git history (with Lunaria's ignored keywords
    /// when the site has its configuration). It says what it found and chose, and never
    /// overwrites a tandem.yaml.
    Init,
    /// List the pairs that need work, grouped by language, with the words to translate
    Status(StatusArgs),
    /// Show how an original changed since a translation was last brought up to date
    Diff(DiffArgs),
    /// Per language: how many articles are up to date, outdated, draft, missing; coverage
    Coverage(CoverageArgs),
    /// CI gate: list every problem and exit 1 if any fails the policy
    Check(CheckArgs),
    /// Write the editors' dashboard (HTML), a summary badge (SVG) or the readers' banner manifest (JSON)
    Report(ReportArgs),
    /// Start a translation: a draft with the original's front matter and text to translate over
    New(NewArgs),
    /// Record that translations are up to date with their original as it is now
    Mark(MarkArgs),
    /// Show one article: its file, language and every language's state
    Show(ShowArgs),
    /// Delete snapshots that no translation refers to
    Gc(GcArgs),
    /// Record stamps (source_hash and snapshot) for translations judged from git, so they keep
    /// their baseline without git history
    Adopt(AdoptArgs),
    /// Rename an article: its original and every translation, each in its layout's place
    /// (stamps stay valid). When the original was renamed already, moves its translations
    Mv(MvArgs),
    /// Print a completion script for a shell (bash, zsh, fish, elvish, powershell)
    Completions(CompletionsArgs),
    /// Print tandem's manual page (roff; `tandem man > tandem.1`)
    Man,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct MvArgs {
    /// The article's id now
    pub old: String,
    /// Its new id
    pub new: String,
    /// Only list what would be moved
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct AdoptArgs {
    /// Only list what would be recorded
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Only these articles
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,

    /// Only these languages (repeatable, or comma-separated: --lang es,fr)
    #[arg(long = "lang", value_name = "L", value_delimiter = ',')]
    pub langs: Vec<String>,

    /// Only pairs in this state (repeatable): up-to-date, outdated, missing, draft, untracked, orphaned, invalid
    #[arg(long = "state", value_name = "S", value_parser = parse_state)]
    pub states: Vec<State>,

    /// Every pair, up-to-date ones included
    #[arg(long)]
    pub all: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

fn parse_state(s: &str) -> Result<State, String> {
    s.parse()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The article
    #[arg(value_name = "ID")]
    pub id: String,

    /// The translation's language
    #[arg(long, value_name = "L")]
    pub lang: String,

    /// Output format
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The article to translate
    #[arg(value_name = "ID")]
    pub id: String,

    /// The language to translate into
    #[arg(long, value_name = "L")]
    pub lang: String,

    /// Leave the body empty instead of copying the original's text to translate over
    #[arg(long)]
    pub empty: bool,

    /// Overwrite an existing translation
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("which").required(true).args(["langs", "all_langs"]))]
pub struct MarkArgs {
    /// The articles whose translations are up to date
    #[arg(value_name = "ID", required = true)]
    pub ids: Vec<String>,

    /// The translation's language (repeatable, or comma-separated: --lang es,fr)
    #[arg(long = "lang", value_name = "L", value_delimiter = ',')]
    pub langs: Vec<String>,

    /// Every existing translation of the articles (after a change that needs no translation)
    #[arg(long)]
    pub all_langs: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The article
    #[arg(value_name = "ID")]
    pub id: String,

    /// Output format
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
}

#[derive(Debug, Args)]
pub struct GcArgs {
    /// Only list what would be deleted
    #[arg(long)]
    pub dry_run: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// One row per language and first folder of the article id
    Section,
}

#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// Only these languages (repeatable, or comma-separated: --lang es,fr)
    #[arg(long = "lang", value_name = "L", value_delimiter = ',')]
    pub langs: Vec<String>,

    /// Exit 1 when a shown language's coverage by articles is under PCT percent
    #[arg(long, value_name = "PCT", value_parser = parse_percent)]
    pub min: Option<f64>,

    /// Split each language's figures
    #[arg(long, value_enum, value_name = "WHAT")]
    pub by: Option<By>,

    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

fn parse_percent(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("`{s}` is not a percentage"))?;
    if (0.0..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("`{s}` is not a percentage from 0 to 100"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// One line per problem, then a summary
    Human,
    Json,
    /// GitHub Actions workflow commands that annotate files in a pull request
    Github,
    /// A summary fit for a pull-request comment
    Markdown,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Only these languages (repeatable, or comma-separated: --lang es,fr)
    #[arg(long = "lang", value_name = "L", value_delimiter = ',')]
    pub langs: Vec<String>,

    /// States that fail the check, comma-separated; `default` stands for the default policy
    /// (outdated, orphaned, invalid, and missing in required languages), so `default,draft`
    /// adds drafts to it
    #[arg(long, value_name = "STATE,…")]
    pub fail_on: Vec<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,

    /// Compare with the publication at REF (a branch, tag or commit): list the translations
    /// this change makes outdated, brings up to date or breaks, and the new originals to
    /// translate; fail only on problems the change brings
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("output").required(true).multiple(true).args(["html", "badge", "manifest"]))]
pub struct ReportArgs {
    /// Folder to write the dashboard into, as index.html (created if needed)
    #[arg(long, value_name = "DIR")]
    pub html: Option<PathBuf>,

    /// Write a summary badge (SVG: the share of translations up to date) for a README
    #[arg(long, value_name = "FILE")]
    pub badge: Option<PathBuf>,

    /// Write the manifest a site's templates read to show readers that a translation may be
    /// outdated (JSON: every translated page's state, baseline, original and what changed)
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,

    /// Replace DIR/index.html even when tandem did not write it
    #[arg(long)]
    pub force: bool,

    /// Link files under this URL instead of relatively, for a published report: a
    /// repository's blob URL (`https://github.com/OWNER/REPO/blob/main/`) also gives each
    /// outdated page a link to its original's history and each missing one a "create" link
    #[arg(long, value_name = "URL")]
    pub link_base: Option<String>,
}
