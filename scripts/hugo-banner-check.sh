#!/usr/bin/env bash
# Builds a two-language Hugo site with the reader banner of docs/hugo/ and checks that the
# outdated translation, and only it, shows the banner with a link to its original.
# Usage: scripts/hugo-banner-check.sh        Needs Hugo (Debian: apt-get install hugo).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
command -v hugo >/dev/null || { echo "error: hugo not found; install it (apt-get install hugo)" >&2; exit 2; }
cargo build --quiet --release --manifest-path "$here/Cargo.toml"
tandem="$here/target/release/tandem"
site="$(mktemp -d)"
trap 'rm -rf "$site"' EXIT
cd "$site"
mkdir -p content/en/docs content/es/docs layouts/_default data
cat > hugo.toml <<'TOML'
baseURL = "https://example.org/"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = true
[languages.en]
contentDir = "content/en"
[languages.es]
contentDir = "content/es"
TOML
cp -r "$here/docs/hugo/layouts/partials" layouts/
echo '<html><body>{{ partial "tandem-banner.html" . }}<main>{{ .Content }}</main></body></html>' > layouts/_default/single.html
cp layouts/_default/single.html layouts/_default/list.html
printf 'languages: [en, es]\nlayout:\n  originals: content/en/{id}.md\n  translations: content/{lang}/{id}.md\n' > tandem.yaml
printf -- '---\ntitle: Install\n---\n\nInstall it with the package manager.\n' > content/en/docs/install.md
printf -- '---\ntitle: Use\n---\n\nRun it daily.\n' > content/en/docs/use.md
printf -- '---\ntitle: Instalar\n---\n\nInstálalo con el gestor de paquetes.\n' > content/es/docs/install.md
printf -- '---\ntitle: Usar\n---\n\nÚsalo a diario.\n' > content/es/docs/use.md
"$tandem" mark docs/install docs/use --lang es >/dev/null
printf -- '---\ntitle: Install\n---\n\nInstall it with the package manager of your system.\n' > content/en/docs/install.md
"$tandem" report --manifest data/tandem.json
hugo --quiet
banner="$(grep -o '<aside class="tandem-banner[^>]*>.*</aside>' public/es/docs/install/index.html)"
expected='<aside class="tandem-banner tandem-outdated" role="note">This translation may be outdated: the original has changed since it was translated (1 paragraph). <a href="/en/docs/install/">Read the original</a>.</aside>'
[ "$banner" = "$expected" ] || { echo "error: unexpected banner: $banner" >&2; exit 1; }
for page in public/es/docs/use/index.html public/en/docs/install/index.html; do
  ! grep -q tandem-banner "$page" || { echo "error: $page has a banner it should not" >&2; exit 1; }
done
echo "ok: the outdated translation shows the banner, the up-to-date one and the original do not"
