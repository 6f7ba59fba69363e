#!/bin/sh
# Installs the headless browser the status-page test drives (Debian's chromium, launched by
# playwright-core). Nothing is downloaded outside the distribution's own package archive.
set -e
if [ -x /usr/bin/chromium ]; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present)"
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  echo "chromium: installed $(/usr/bin/chromium --version 2>/dev/null)"
else
  echo "chromium is missing: run 'sudo apt-get install -y chromium' (the status-page test is skipped without it)"
fi
