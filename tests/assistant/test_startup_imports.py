"""`cpaudit ask` imports only what answering needs: no scipy (bm25s), no LangChain, no
torch, and not the Python jieba when rjieba segments (its dictionary alone takes ~0.8 s).
Once the cache directory holds its prepared files (assistant.derived), not rjieba's package
either (it builds the whole dictionary on import), nor PyYAML, the gazetteer or rich. A
quantity question (whose focus is a noun) reads parts of speech from the compact dictionary,
not through jieba.posseg. Nor pydantic-settings (and the asyncio it imports): the settings
read from the same environment before are kept in the cache directory (assistant.settings).
Nor tarfile (only to unpack a law-library archive). Nor the model classes answering does not
use: the --batch line model (assistant.commands.ask_batch) and the index-health report of
`status` and GET /v1/status (assistant.index_health). Nor OpenCC: the fold's
traditional-to-simplified table is kept in the cache directory (assistant.textfold).

Run as the `cpaudit` script, a one-question `ask` also leaves the cyclic garbage collector off
(its passes over pydantic's and numpy's objects free nothing in a process that ends by
os._exit) and compiles none of the patterns only follow-ups and English questions use
(assistant.lazy_pattern); `ask --batch`, and an `ask` that has to build the index first, have
the collector on."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

QUESTIONS = ("什么情况下企业必须实施强制性清洁生产审核？", "广东到2025年要推动多少家工业企业开展清洁生产审核？")
NOT_NEEDED = ("scipy", "bm25s", "langchain_core", "langchain_community", "torch", "chromadb",
              "fastapi", "jieba", "pypdf", "pypdfium2", "docx", "rjieba", "yaml", "gb2260",
              "rich", "tomllib", "pydantic_settings", "asyncio", "tarfile",
              "assistant.commands.ask_batch", "assistant.index_health", "opencc")
PROBE = """
import contextlib, io, json, sys
from assistant.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["ask", "--json", {question!r}])
print(json.dumps({{"code": code, "loaded": [m for m in {not_needed!r} if m in sys.modules]}}))
"""


@pytest.mark.parametrize("question", QUESTIONS)
def test_ask_imports_nothing_it_does_not_use(settings, question):
    env = {**os.environ, "CPAUDIT_DATA_DIR": str(settings.data_dir)}
    probe = PROBE.format(question=question, not_needed=NOT_NEEDED)
    for _ in range(2):  # the first run may prepare the cache directory's files
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                                env=env, timeout=120)
        assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out == {"code": 0, "loaded": []}


# The script's way (assistant.cli.main() without argv ends by os._exit): what the probe reports
# is printed by an exit handler, which runs before the process ends.
SCRIPT_PROBE = """
import atexit, gc, json, sys
sys.argv = ["cpaudit", *{argv!r}]
from assistant import bilingual, followup
from assistant.cli import main

def report():
    lazy = [followup._FOLLOWUP_START, followup._PRONOUN, followup._TOWNSHIP, bilingual._WORD,
            bilingual._BRITISH[0][0]]
    print(json.dumps({{"gc": gc.isenabled(),
                      "compiled": [p.pattern for p in lazy if "search" in vars(p)]}}))
    sys.stdout.flush()

atexit.register(report)
main()
"""


@pytest.mark.parametrize(("argv", "collector", "fresh"), [
    (["ask", QUESTIONS[0]], False, False), (["ask", "--json", QUESTIONS[1]], False, False),
    (["ask", "--batch", "{batch}"], True, False),
    pytest.param(["ask", QUESTIONS[0]], True, True, marks=pytest.mark.slow)])  # builds: back on
def test_the_script_ask_collects_no_garbage_and_compiles_no_follow_up_pattern(
        settings, tmp_path, argv, collector, fresh):
    batch = tmp_path / "questions.jsonl"
    batch.write_text(json.dumps({"id": "1", "question": QUESTIONS[0]}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    argv = [a.format(batch=batch) for a in argv]
    data_dir = tmp_path / "new-data" if fresh else settings.data_dir
    env = {**os.environ, "CPAUDIT_DATA_DIR": str(data_dir)}
    result = subprocess.run([sys.executable, "-c", SCRIPT_PROBE.format(argv=argv)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out == {"gc": collector, "compiled": []}
