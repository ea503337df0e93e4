#!/usr/bin/env bash
# The benchmark's anchor: LibreOffice Writer, headless, to time the status quo (a Word file
# converted to PDF) against our PDF in the same run (tests/bench/test_word_anchor_bench.py).
# Installs it when `soffice` is missing; never fails the bench: without it (no root, no apt,
# no network) it says so and the anchor benchmark is skipped with the same message.
set -uo pipefail
if command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "LibreOffice is not installed and this user cannot install it (not root, no sudo):"
    echo "the Word-to-PDF anchor of make bench will be skipped."
    exit 0
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "LibreOffice is not installed and apt-get is missing: the Word-to-PDF anchor will be skipped."
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
echo "Installing LibreOffice Writer (headless) for the benchmark's Word-to-PDF anchor..."
$SUDO apt-get update -qq || true
for package in libreoffice-writer-nogui libreoffice-writer; do
  if $SUDO apt-get install -y -qq --no-install-recommends "$package"; then
    exit 0
  fi
done
echo "Could not install LibreOffice Writer: the Word-to-PDF anchor of make bench will be skipped."
exit 0
