//! A publication on disk: where its root is, its configuration, its snapshot store, and the
//! look-ups commands share.

use crate::config::{Config, CONFIG_FILE};
use crate::document::TranslationSummary;
use crate::document::{read_article, read_translation, Article, Original, Translation};
use crate::error::{Error, Result};
use crate::names::check_id;
use crate::pairs::{pair, Ask, OriginalsCell, Pairing};
use crate::scan::{
    language_folders, list_originals, read_originals, read_text, scan_language, Folder, Progress,
    ScanOptions, Scanned,
};
use crate::snapshot::SnapshotStore;
use std::path::PathBuf;

pub struct Project {
    pub config: Config,
    pub store: SnapshotStore,
    /// The originals, read once when first needed.
    originals: OriginalsCell,
}

/// Where to look for the publication.
#[derive(Debug, Clone, Default)]
pub struct Location {
    /// `-C DIR`: the directory to work in.
    pub dir: Option<PathBuf>,
    /// `--config FILE`.
    pub config: Option<PathBuf>,
}

impl Location {
    /// The directory to start from: `-C DIR` or the current directory.
    pub fn start(&self) -> Result<PathBuf> {
        let start = match &self.dir {
            Some(d) => d.clone(),
            None => std::env::current_dir()
                .map_err(|e| Error::new(format!("cannot read the current directory: {e}")))?,
        };
        if !start.is_dir() {
            return Err(
                Error::new(format!("`{}` is not a directory", start.display()))
                    .with_hint("-C takes the folder of the publication"),
            );
        }
        Ok(start)
    }

    /// The project root: the nearest folder upwards that has tandem.yaml, else the start.
    pub fn root(&self) -> Result<PathBuf> {
        let start = self.start()?;
        if self.config.is_none() {
            let absolute = start.canonicalize().unwrap_or_else(|_| start.clone());
            for dir in absolute.ancestors() {
                if dir.join(CONFIG_FILE).is_file() {
                    return Ok(if dir == absolute {
                        start
                    } else {
                        dir.to_path_buf()
                    });
                }
            }
        }
        Ok(start)
    }
}

impl Project {
    pub fn open(location: &Location) -> Result<Project> {
        let root = location.root()?;
        let config = Config::load(&root, location.config.as_deref())?;
        if config.file.is_none() && !root.join("articles").is_dir() {
            return Err(Error::new(format!(
                "no publication here: no {CONFIG_FILE} in {} or any folder above it, and no articles/ folder",
                root.display()
            ))
            .with_hint("run `tandem init` in the publication's folder (it recognises existing sites), or point -C at it"));
        }
        let store = SnapshotStore::new(&root);
        Ok(Project {
            config,
            store,
            originals: OriginalsCell::new(),
        })
    }

    /// Every original (read with the cache the first time it is asked for). Finding none is
    /// an error that names the patterns tried.
    pub fn originals(&self) -> Result<&Folder<Original>> {
        if let Some((folder, _)) = self.originals.get() {
            return Ok(folder);
        }
        let options = ScanOptions::cached();
        let listing = list_originals(&self.config, options);
        if listing.is_empty() {
            return Err(crate::scan::nothing_found(&self.config, &listing.unmatched));
        }
        Ok(&self
            .originals
            .get_or_init(|| read_originals(&self.config, listing, options))
            .0)
    }

    /// Pairs every original with its translations, keeping the pairs `ask.keep` accepts (all
    /// are counted).
    pub fn pair<'a>(&'a self, progress: Option<&dyn Progress>, ask: &Ask) -> Result<Pairing<'a>> {
        pair(
            &self.config,
            &self.originals,
            ScanOptions {
                use_cache: true,
                progress,
            },
            ask,
        )
    }

    /// The readable-or-not translation files of article `id`, in the given languages (every
    /// language folder when `None`), in language order.
    pub fn translations_of(
        &self,
        id: &str,
        langs: Option<&[String]>,
    ) -> Vec<Scanned<TranslationSummary>> {
        let (folders, _) = language_folders(&self.config);
        let mut out = Vec::new();
        for lang in folders {
            if langs.is_some_and(|l| !l.contains(&lang)) {
                continue;
            }
            let folder = scan_language(&self.config, &lang, ScanOptions::cached());
            out.extend(folder.files.into_iter().filter(|t| match &t.result {
                Ok(t) => t.id == id,
                Err(_) => t.default_id == id,
            }));
        }
        out
    }

    pub fn abs(&self, path: &str) -> PathBuf {
        self.config.root.join(path)
    }

    /// The original with this id, or an error naming the id.
    pub fn find_original<'a>(
        &self,
        originals: &'a Folder<Original>,
        id: &str,
    ) -> Result<&'a Scanned<Original>> {
        check_id(id).map_err(Error::new)?;
        let claims: Vec<&Scanned<Original>> = originals
            .files
            .iter()
            .filter(|s| match &s.result {
                Ok(o) => o.id == id,
                Err(_) => s.default_id == id,
            })
            .collect();
        // Two files claiming one id (an `id:` that takes another file's name): acting on either
        // could be acting on the wrong article.
        if claims.len() > 1 {
            let paths: Vec<&str> = claims.iter().map(|s| s.path.as_str()).collect();
            return Err(Error::new(format!(
                "the id `{id}` is ambiguous: {} all claim it",
                paths.join(", ")
            ))
            .with_path(paths[0])
            .with_hint("give each original its own id (fix or remove the `id:` field that repeats another's)"));
        }
        let found = claims.first().copied();
        match found {
            Some(s) => match &s.result {
                Ok(_) => Ok(s),
                Err(d) => Err(Error::from(d.clone()).with_hint("fix the original first")),
            },
            None => {
                let mut err = Error::new(format!("unknown article `{id}`"));
                let ids = originals
                    .files
                    .iter()
                    .filter_map(|s| s.result.as_ref().ok())
                    .map(|o| o.id.as_str());
                err = match crate::names::did_you_mean(&crate::names::closest(id, ids)) {
                    Some(hint) => err.with_hint(hint),
                    None => err.with_hint("`tandem status --all` lists every article"),
                };
                Err(err)
            }
        }
    }

    /// Reads an original in full.
    pub fn read_article(&self, path: &str) -> Result<(Article, String)> {
        let text = read_text(&self.abs(path), path)?;
        let default_id = self.config.layout.original_id(path).unwrap_or_default();
        let article = read_article(&text, path, &default_id, &self.config)?;
        Ok((article, text))
    }

    /// Reads a translation in full.
    pub fn read_translation(&self, path: &str, lang: &str) -> Result<(Translation, String)> {
        let text = read_text(&self.abs(path), path)?;
        let default_id = self
            .config
            .folder_of(lang)
            .and_then(|l| self.config.layout.translation_id(path, l))
            .unwrap_or_default();
        let translation = read_translation(&text, path, &default_id, lang, &self.config)?;
        Ok((translation, text))
    }
}
