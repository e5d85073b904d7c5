#!/usr/bin/env bash
# Renders a recur report.html to a PNG with headless Chromium (installed from Debian when missing).
# Usage: scripts/screenshot-report.sh REPORT.html OUT.png [WIDTHxHEIGHT]
set -euo pipefail
report=${1:?usage: scripts/screenshot-report.sh REPORT.html OUT.png [WIDTHxHEIGHT]}
out=${2:?usage: scripts/screenshot-report.sh REPORT.html OUT.png [WIDTHxHEIGHT]}
size=${3:-1200x2400}
[ -f "$report" ] || { echo "screenshot-report: $report: no such file" >&2; exit 66; }
# Chromium, and CJK fonts so that Japanese themes do not render as empty boxes.
missing=""
for p in chromium fonts-noto-cjk; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi
browser=$(command -v chromium || command -v chromium-browser)
abs=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
"$browser" --headless --disable-gpu --no-sandbox --hide-scrollbars --screenshot="$out" \
  --window-size="${size/x/,}" "file://$abs" 2>/dev/null
echo "wrote $out"
