#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests when it is absent (Playwright's own browser download
# cannot work here: only Debian's packages, NuGet and npm are reachable). Needs root; prints the path.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then command -v chromium; exit 0; fi
if [ "$(id -u)" -ne 0 ]; then echo "chromium is absent and installing it needs root (apt-get install chromium)" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
command -v chromium
