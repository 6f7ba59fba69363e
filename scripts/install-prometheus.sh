#!/bin/sh
# Installs the Prometheus server the exposition and Prometheus-source tests run (Debian's package,
# 2.x). The tests start their own server on a free port; the package's service is not used.
set -e
if command -v prometheus >/dev/null 2>&1; then
  echo "prometheus: $(prometheus --version 2>&1 | head -n 1)"
  exit 0
fi
if [ "$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null
echo "prometheus: installed $(prometheus --version 2>&1 | head -n 1)"
