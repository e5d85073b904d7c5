#!/usr/bin/env bash
# Builds the single large input files the README's streaming figures are measured on, from a
# benchmark archive (`recur-corpus --seed 7 --size 1GB`, what `make bench` caches):
#   big.mbox   its 54 mbox files concatenated 400 times (606 MB)
#   all.mbox   the same 40 times (61 MB)
#   notes.txt  its first 3,000 notes (by path), repeated to 150 MB: one document
#   notes-cp1251.txt  notes.txt in windows-1251, without what that charset lacks (88 MB)
#   notes.md   notes.txt under YAML front matter (title, client, date): one Markdown document
#   notes.html the first 25 MB of notes.txt (whole lines) as one HTML page, a <p> a paragraph
#   notes-big.html  all of notes.txt as one HTML page the same way (152 MB)
#   attachment.eml  a short e-mail with the first 30 MB of big.mbox attached in base64 (41 MB)
# Usage: scripts/large-inputs.sh [ARCHIVE] [OUT]   (defaults: .build/bench-archives/1GB, .build/large-inputs)
set -euo pipefail
archive=${1:-.build/bench-archives/1GB}
out=${2:-.build/large-inputs}
[ -d "$archive/mail/mbox" ] || { echo "no archive at $archive (run: BENCH_MEMORY_SIZES=1GB make bench, or recur-corpus --seed 7 --size 1GB --out $archive)" >&2; exit 64; }
mkdir -p "$out"
export LC_ALL=C
mboxes() { for i in $(seq "$1"); do for f in "$archive"/mail/mbox/*.mbox; do cat "$f"; echo; done; done; }
mboxes 400 > "$out/big.mbox.tmp" && mv "$out/big.mbox.tmp" "$out/big.mbox"
mboxes 40 > "$out/all.mbox.tmp" && mv "$out/all.mbox.tmp" "$out/all.mbox"
find "$archive/notes" -name '*.txt' | sort | sed -n '1,3000p' | while read -r f; do cat "$f"; printf '\n\n'; done > "$out/notes-once.tmp"
: > "$out/notes.txt.tmp"
while [ "$(stat -c %s "$out/notes.txt.tmp")" -lt 150000000 ]; do cat "$out/notes-once.tmp" >> "$out/notes.txt.tmp"; done
rm "$out/notes-once.tmp"
mv "$out/notes.txt.tmp" "$out/notes.txt"
# iconv -c leaves out the Finnish and Japanese letters windows-1251 lacks, and says so by its status.
{ iconv -c -f UTF-8 -t WINDOWS-1251 "$out/notes.txt" || true; } > "$out/notes-cp1251.txt.tmp"
mv "$out/notes-cp1251.txt.tmp" "$out/notes-cp1251.txt"
{ printf -- '---\ntitle: Meeting notes\nclient: Agrocenter\ndate: 2024-03-05\n---\n\n'; cat "$out/notes.txt"; } > "$out/notes.md.tmp"
mv "$out/notes.md.tmp" "$out/notes.md"
{ printf '<!DOCTYPE html><html><head><meta charset=utf-8><title>Notes</title></head><body>\n'
  head -c 25000000 "$out/notes.txt" | sed '$d' | awk 'BEGIN { RS = "" } { print "<p>" $0 "</p>" }'
  printf '</body></html>\n'; } > "$out/notes.html.tmp"
mv "$out/notes.html.tmp" "$out/notes.html"
{ printf '<!DOCTYPE html><html><head><meta charset=utf-8><title>Notes</title></head><body>\n'
  awk 'BEGIN { RS = "" } { print "<p>" $0 "</p>" }' "$out/notes.txt"
  printf '</body></html>\n'; } > "$out/notes-big.html.tmp"
mv "$out/notes-big.html.tmp" "$out/notes-big.html"
{ printf 'From: client@agrocenter.ru\nTo: team@agency.fi\nDate: Tue, 5 Mar 2024 10:20:00 +0300\nSubject: CRM\n'
  printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="XYZ"\n\n--XYZ\n'
  printf 'Content-Type: text/plain; charset=utf-8\n\nНужна интеграция с CRM.\n\nИ сквозная аналитика.\n\n--XYZ\n'
  printf 'Content-Type: application/octet-stream; name="export.mbox"\nContent-Transfer-Encoding: base64\n\n'
  head -c 30000000 "$out/big.mbox" | base64 -w 76
  printf -- '--XYZ--\n'; } > "$out/attachment.eml.tmp"
mv "$out/attachment.eml.tmp" "$out/attachment.eml"
ls -l "$out"
