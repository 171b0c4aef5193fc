#!/usr/bin/env bash
# Checks the HTML report in headless Chromium: the example publication's report is opened and
# used (legend, links, filters, sorting, details) and screenshots are written to
# docs/screenshots/; with --big, a generated publication of 20,000 articles × 12 languages is
# reported and its size, load and filter times printed.
# Usage: scripts/report-check.sh [--big]
# Needs Chromium (Debian: apt-get install chromium) and Node.js with npm (playwright-core is
# installed into target/report-check/ on first use).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
command -v "${CHROMIUM:-chromium}" >/dev/null || { echo "error: Chromium not found; install it (apt-get install chromium)" >&2; exit 2; }
command -v npm >/dev/null || { echo "error: npm not found; install Node.js" >&2; exit 2; }
work="$here/target/report-check"
mkdir -p "$work"
if [ ! -d "$work/node_modules/playwright-core" ]; then
  (cd "$work" && npm init -y >/dev/null && npm install --silent playwright-core@1 >/dev/null)
fi
cp "$here/scripts/report-check.mjs" "$work/check.mjs"
cargo build --quiet --release --manifest-path "$here/Cargo.toml"
tandem="$here/target/release/tandem"
SOURCE_DATE_EPOCH=1764547200 "$tandem" -C "$here" report --html target/report --force
mkdir -p "$here/docs/screenshots"
node "$work/check.mjs" "$here/target/report/index.html" "$here/docs/screenshots"
if [ "${1:-}" = "--big" ]; then
  big="$work/big"
  if [ ! -f "$big/tandem.yaml" ]; then
    cargo build --quiet --release --examples --manifest-path "$here/Cargo.toml"
    "$here/target/release/examples/corpus" "$big" --articles 20000 --languages 12 >/dev/null
  fi
  "$tandem" -C "$big" report --html "$big/report" --force
  for run in 1 2 3; do node "$work/check.mjs" "$big/report/index.html" "" timing; done
fi
