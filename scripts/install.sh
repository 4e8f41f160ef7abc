#!/usr/bin/env bash
# The one way cpaudit gets installed: a virtual environment in .venv with everything in it.
#   bash scripts/install.sh          runtime only
#   bash scripts/install.sh --test   runtime + what the test suite needs
# torch goes in first, pinned to 2.13.0: on these machines that resolves to the local CPU
# wheel, and with it present nothing later asks for the multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
if [ "${1:-}" = "--test" ]; then extras="[test]"; fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
py=.venv/bin/python
# pip warns about every mirror location it skips; those lines are noise, real errors still show.
pip_install() { "$py" -m pip install --quiet "$@" 2> >(grep -v "^WARNING: Location" >&2); }
pip_install --upgrade pip
pip_install "torch==2.13.0"
pip_install -e ".${extras}"

apt_install() {  # Debian packages the tests need, installed only when missing
  command -v apt-get >/dev/null 2>&1 || return 0
  apt-get install -y -q "$@" >/dev/null 2>&1 || \
    (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "$@" >/dev/null)
}
if [ -n "$extras" ]; then
  # The PDF fixtures embed a CJK TrueType font; Debian's WenQuanYi Micro Hei provides one.
  fc-list 2>/dev/null | grep -qi "wqy" || apt_install fonts-wqy-microhei
  # Browser tests drive Debian's Chromium with Playwright (never `playwright install`).
  [ -x /usr/bin/chromium ] || apt_install chromium chromium-driver
fi
# Refuse to go on if anything pulled CUDA wheels in: they are several GB and useless here.
if "$py" -m pip list 2>/dev/null | grep -qiE '^nvidia-'; then
  echo "install.sh: CUDA packages were installed; torch must be the CPU build (torch==2.13.0)." >&2
  exit 1
fi
echo "cpaudit installed in .venv ($("$py" -c 'import sys; print(sys.version.split()[0])'))"
