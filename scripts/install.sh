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

# One line per step with the seconds since the start, so a long step (torch) is not silence.
started=$SECONDS
step() { printf 'install.sh [%4ss] %s\n' "$((SECONDS - started))" "$*"; }

if [ ! -x .venv/bin/python ]; then
  step "创建虚拟环境 / creating the virtual environment .venv"
  python3 -m venv .venv
else
  step "使用已有的 .venv / reusing the virtual environment .venv"
fi
py=.venv/bin/python
# pip warns about every mirror location it skips, and setuptools about every editable install;
# those lines are noise, real errors still show.
pip_install() {
  PYTHONWARNINGS="ignore:Editable installation" "$py" -m pip install --quiet "$@" \
    2> >(grep -v "^WARNING: Location" >&2)
}
step "更新 pip / upgrading pip"
pip_install --upgrade pip
step "安装 torch 2.13.0（CPU 版，耗时最长）/ installing torch, CPU build (the longest step)"
pip_install "torch==2.13.0"
if [ -n "$extras" ]; then  # one pip run: a second one would rebuild the editable install
  step "安装 cpaudit、其依赖及测试工具 / installing cpaudit, its dependencies and the test extras"
else
  step "安装 cpaudit 及其依赖 / installing cpaudit and its dependencies"
fi
pip_install -e ".${extras}"
# An editable install leaves the project's own modules uncompiled, and where
# PYTHONDONTWRITEBYTECODE is set every command would compile them again (~0.1 s of each
# `cpaudit ask`): compile them once here. Python checks each .pyc against its source.
step "编译字节码 / compiling the project's modules"
"$py" -m compileall -q -j 0 assistant api checkers eval >/dev/null
# Files every command would otherwise derive into its cache directory — the compact tokenizer
# dictionary (~1.8 s), the traditional-to-simplified table, the gazetteer, the parsed data
# files — derived once into .venv/share/cpaudit (assistant/prepare.py), whatever the cache
# directory later is. Sources changed since are derived into the cache directory as before.
step "预先生成分词词典等数据文件 / deriving the tokenizer dictionary and data tables"
"$py" -m assistant.prepare

apt_install() {  # Debian packages the tests need, installed only when missing
  command -v apt-get >/dev/null 2>&1 || return 0
  apt-get install -y -q "$@" >/dev/null 2>&1 || \
    (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "$@" >/dev/null)
}
if [ -n "$extras" ]; then
  step "Debian 软件包（CJK 字体、Chromium，已有则跳过）/ Debian packages (font, Chromium)"
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
step "完成 / done: cpaudit installed in .venv ($("$py" -c 'import sys; print(sys.version.split()[0])'))"
