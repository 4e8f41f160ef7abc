"""The cpaudit command as a user runs it: JSON shape, batch mode, errors without tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from assistant.cli import main

Q = "什么情况下企业必须实施强制性清洁生产审核？"


def test_ask_json_has_the_documented_shape(settings, capsys):
    assert main(["ask", "--json", Q]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"answer", "abstained", "citations", "passages", "mode", "timings"} <= set(data)
    assert data["mode"] == "lexical" and data["abstained"] is False
    cite = data["citations"][0]
    assert {"chunk_id", "doc_id", "title", "section", "article", "page", "quote", "start",
            "end"} <= set(cite)
    assert (cite["doc_id"], cite["article"], cite["page"]) == (
        "cleaner-production-law", "第二十七条", 5)
    assert {"doc_id", "title", "section", "article", "page", "text", "score"} <= set(
        data["passages"][0])


def test_ask_prints_quotes_and_sources(settings, capsys):
    assert main(["ask", Q]) == 0
    out = capsys.readouterr().out
    assert "来源 / Sources" in out and "第二十七条" in out and "第 5 页" in out


def test_batch_answers_every_line_with_its_id(settings, tmp_path, capsys):
    batch = tmp_path / "questions.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "a", "question": Q}, ensure_ascii=False),
        json.dumps({"id": "b", "question": "上海市清洁生产审核补贴标准是多少？"}, ensure_ascii=False),
        "not json",
    ]) + "\n", "utf-8")
    assert main(["ask", "--batch", str(batch)]) == 1  # one bad line
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", None]
    assert lines[0]["abstained"] is False and lines[1]["abstained"] is True
    assert "第 3 行" in lines[2]["error"]


def test_user_errors_exit_2_without_traceback(settings, capsys):
    assert main(["ask", "   "]) == 2
    assert main(["ask", "--batch", "/nonexistent.jsonl"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "错误 / Error" in err


def test_status_reports_mode_and_llm(settings, capsys):
    assert main(["status", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["index"]["mode"] == "lexical" and info["index"]["documents"] == 11
    assert info["llm"]["configured"] is False
    assert main(["status"]) == 0
    assert "lexical" in capsys.readouterr().out


def test_real_console_entry_point(settings):
    env = {**os.environ, "CPAUDIT_DATA_DIR": str(settings.data_dir)}
    result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ask", "--json", Q],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["citations"][0]["article"] == "第二十七条"
    assert "torch" not in result.stderr


def test_the_command_ends_early_with_all_it_printed(settings, capsys):
    """`ask` and `status` end their process without the interpreter's teardown: everything
    printed still arrives, with the exit code (tests/ calls main() in-process: no early end)."""
    env = {**os.environ, "CPAUDIT_DATA_DIR": str(settings.data_dir)}
    env.pop("FORCE_COLOR", None)
    env.pop("TTY_COMPATIBLE", None)
    for argv, code in ((["ask", Q], 0), (["status"], 0), (["ask", " "], 2)):
        result = subprocess.run([sys.executable, "-m", "assistant.cli", *argv],
                                capture_output=True, text=True, env=env, timeout=120)
        assert main(argv) == code == result.returncode, result.stderr
        printed = capsys.readouterr()
        assert result.stdout == printed.out and result.stderr == printed.err


def test_chat_resolves_a_follow_up(settings, monkeypatch, capsys):
    lines = iter(["广州强制性清洁生产审核的重点行业有哪些？", "那广西呢？", "exit"])
    monkeypatch.setattr("rich.console.Console.input", lambda self, prompt="": next(lines))
    assert main(["chat"]) == 0
    out = capsys.readouterr().out.replace("\n", "")  # rich wraps at the terminal width
    assert "理解为：广西强制性清洁生产审核的重点行业有哪些？" in out
    assert out.count("《广西壮族自治区重点行业清洁生产审核实施方案") >= 2  # answer + sources


def test_lexical_mode_never_imports_torch_or_chromadb(settings):
    code = (
        "import sys; from assistant.cli import main; "
        f"main(['ask', '--json', {Q!r}]); "
        "print('HEAVY', sorted(m for m in ('torch', 'chromadb', 'sentence_transformers') "
        "if m in sys.modules))"
    )
    env = {**os.environ, "CPAUDIT_DATA_DIR": str(settings.data_dir)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stdout


def test_a_bad_line_in_a_batch_does_not_stop_it(settings, tmp_path, capsys):
    batch = tmp_path / "q.jsonl"
    batch.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"id": "long", "question": "审核" * 1500}, {"id": "ok", "question": Q}]), "utf-8")
    assert main(["ask", "--batch", str(batch)]) == 1
    first, second = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert first["id"] == "long" and "过长" in first["error"]
    assert second["id"] == "ok" and second["citations"][0]["article"] == "第二十七条"


def test_ask_prints_each_quote_once(settings, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # no wrapping: a quote is counted as printed
    assert main(["ask", "--json", Q]) == 0
    quotes = [c["quote"] for c in json.loads(capsys.readouterr().out)["citations"]]
    assert main(["ask", Q]) == 0
    out = capsys.readouterr().out
    assert quotes and all(out.count(quote) == 1 for quote in quotes)


def test_chat_prints_each_quote_once_and_the_mode_once_a_session(settings, monkeypatch,
                                                                  capsys):
    from assistant.service import ask

    questions = ["广州强制性清洁生产审核的重点行业有哪些？", "那广西呢？",
                 "什么情况下企业必须实施强制性清洁生产审核？"]
    lines = iter([*questions, "exit"])
    monkeypatch.setattr("rich.console.Console.input", lambda self, prompt="": next(lines))
    monkeypatch.setenv("COLUMNS", "1000")
    assert main(["chat"]) == 0
    out = capsys.readouterr().out
    history: list[str] = []
    for question in questions:
        answer = ask(question, history=history, settings=settings)
        history.append(answer.resolved_question or question)
        assert answer.citations
        for c in answer.citations:
            assert out.count(c.quote) == 1, c.quote
    assert out.count("检索模式") == 1


def test_a_refusal_prints_its_context_apart_from_sources(settings, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")
    assert main(["ask", "清洁生产审核评估验收专家的劳务费标准是多少？"]) == 0
    out = capsys.readouterr().out
    assert "现有文件提到" in out and "无法给出有依据的回答" in out
    assert "相关内容（仅供参考，不是答案）" in out and "来源 / Sources" not in out
    label = out.index("相关内容（仅供参考，不是答案）")
    assert "“" in out[label:]  # the context quote follows its label
    assert main(["ask", "--json", "清洁生产审核评估验收专家的劳务费标准是多少？"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["abstained"] and data["citations"] == [] and data["context"]


def test_pydantic_plugins_are_not_looked_for_unless_the_user_asks(monkeypatch, capsys):
    """Looking for pydantic plugins reads every installed distribution's metadata; cpaudit
    uses none, so the command turns the search off, keeping a value the user set."""
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    assert main([]) == 0
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "logfire")
    assert main([]) == 0
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "logfire"
