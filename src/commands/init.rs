//! `tandem init`: writes tandem.yaml and creates the folders; never overwrites anything.

use crate::commands::Context;
use crate::config::{language_folders, CONFIG_FILE};
use crate::error::{Error, Result};
use crate::snapshot::{SnapshotStore, SNAPSHOTS_DIR};
use crate::write::{create_dir_all, write_atomic};

pub fn execute(ctx: &mut Context) -> Result<u8> {
    let root = ctx.location.start()?;
    let config_path = match &ctx.location.config {
        Some(f) if f.is_absolute() => f.clone(),
        Some(f) => root.join(f),
        None => root.join(CONFIG_FILE),
    };
    let shown = crate::config::display_path(&root, &config_path);
    if config_path.exists() {
        return Err(Error::new(format!(
            "{shown} already exists; tandem init never overwrites it"
        ))
        .with_path(&shown)
        .with_hint("edit it by hand, or delete it and run `tandem init` again"));
    }

    let source_lang = "en";
    let mut languages = vec![source_lang.to_string()];
    languages.extend(language_folders(&root.join("translations")));
    languages.sort();
    languages.dedup();

    let yaml = format!(
        "# tandem configuration. Every key is optional; `languages` lists the folders found\n\
         # under translations/ when this file was written.\n\
         source_lang: {source_lang}                # language of originals that do not say\n\
         languages: [{}]         # every language of the publication\n\
         articles: articles             # folder of originals\n\
         translations: translations     # one folder per language inside\n\
         required: []                   # languages `tandem check` requires to be complete\n\
         translatable: [title]          # front matter fields that count in the fingerprint\n",
        languages.join(", ")
    );
    let mut created = Vec::new();
    for dir in ["articles", "translations"] {
        let path = root.join(dir);
        if !path.exists() {
            create_dir_all(&path)?;
            created.push(format!("{dir}/"));
        }
    }
    let snapshots_existed = root.join(SNAPSHOTS_DIR).exists();
    SnapshotStore::new(&root).ensure_layout()?;
    if !snapshots_existed {
        created.push(format!("{SNAPSHOTS_DIR}/"));
    }
    if let Some(parent) = config_path.parent() {
        create_dir_all(parent)?;
    }
    write_atomic(&config_path, yaml.as_bytes())?;
    writeln!(
        ctx.out,
        "created {shown} (languages: {})",
        languages.join(", ")
    )?;
    for c in created {
        writeln!(ctx.out, "created {c}")?;
    }
    Ok(crate::exit::OK)
}
