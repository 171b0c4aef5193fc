#!/usr/bin/env bash
# Renders the HTML coverage report of a publication to a PNG in headless Chromium, to check it
# in a real browser.  Usage: scripts/report-screenshot.sh [PUBLICATION_DIR] [OUT.png]
# Needs Chromium (Debian: apt-get install chromium).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
publication="${1:-$here}"
png="$(realpath -m "${2:-$here/target/report.png}")"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cargo run --quiet --release --manifest-path "$here/Cargo.toml" -- -C "$publication" report --html "$out/report"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$browser" ]; then
  echo "error: Chromium not found; install it (apt-get install chromium)" >&2
  exit 2
fi
mkdir -p "$(dirname "$png")"
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$out/profile" --hide-scrollbars --window-size=1400,1000 \
  --screenshot="$png" "file://$out/report/index.html" 2>/dev/null
echo "wrote $png"
