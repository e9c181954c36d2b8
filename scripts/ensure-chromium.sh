#!/usr/bin/env bash
# The browser tests (tests/browser/, the play and console pages) drive Debian's Chromium through
# Playwright for Python; this only makes sure the binary exists (Playwright itself comes with the
# test extra, and never downloads a browser: the tests pass executable_path).
# CAMPFIRE_CHROMIUM names another binary (the tests read the same variable).
set -euo pipefail
CHROMIUM="${CAMPFIRE_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ -n "${CAMPFIRE_CHROMIUM:-}" ]; then
  echo "CAMPFIRE_CHROMIUM=$CHROMIUM is not an executable" >&2
  exit 1
fi
echo "chromium is missing: installing Debian's package" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
test -x "$CHROMIUM"
