"""cpaudit status: what is indexed, which mode runs, whether an LLM is configured."""

from __future__ import annotations

import argparse
import json

from assistant import __version__
from assistant.index_health import index_health
from assistant.journal import pending
from assistant.live_index import live_generation
from assistant.render import plain
from assistant.settings import get_settings
from assistant.tokenize import backend


def status() -> dict:
    settings = get_settings()
    live = live_generation(settings)
    change = pending(settings)
    info: dict = {
        "version": __version__,
        "corpus_dir": str(settings.corpus_dir),
        "data_dir": str(settings.data_dir),
        "index": None,
        "index_health": index_health(settings).model_dump(),
        "interrupted_change": f"{change.op} {change.document.id}" if change else None,
        "llm": {"configured": bool(settings.llm_base_url), "base_url": settings.llm_base_url,
                "model": settings.llm_model if settings.llm_base_url else None},
        "embedding_model": settings.embedding_model or None,
        "tokenizer": backend(),
    }
    if live.gen is not None and live.meta is not None:
        info["index"] = {"generation": live.gen.name,
                         **live.meta.model_dump(exclude={"files", "tokens", "vocab"})}
    return info


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


def say(line: str) -> None:
    print(plain(line))  # titles, paths and URLs may hold control characters


def run(args: argparse.Namespace) -> int:
    info = status()
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=1))
        return 0
    say(f"cpaudit {info['version']}")
    say(f"语料目录 / corpus: {info['corpus_dir']}")
    index, health = info["index"], info["index_health"]
    if health["state"] in ("damaged", "degraded"):
        say(f"索引已损坏 / index DAMAGED: {health['current_generation']} — {health['problem_zh']} / "
              f"{health['problem_en']}")
        say("  " + ("正在使用上一版本 / serving the previous generation "
                      f"{health['served_generation']}" if index else
                      "没有可用的索引，问答将返回 503 / nothing to serve: questions get 503")
              + f"；修复 / fix: {health['fix']}")
    if info["interrupted_change"]:
        say(f"未完成的文件库操作 / interrupted corpus change: {info['interrupted_change']} "
              "（下次启动时自动恢复 / reconciled at the next start）")
    if index is None and health["state"] == "missing":
        say("索引 / index: 未建立 / none — 运行 / run: cpaudit index")
    elif index is not None:
        say(f"索引 / index: {index['documents']} 份文件 / documents, {index['chunks']} 个片段 / "
              f"chunks, 建于 / built {index['built_at']}")
        if index["mode"] == "hybrid":
            say(f"检索模式 / mode: hybrid（BM25 + {index['dense_model']}）")
        else:
            say(f"检索模式 / mode: lexical（仅 BM25）— {index['lexical_reason']}")
    say(f"分词 / tokenizer: {info['tokenizer']}")
    llm = info["llm"]
    say("大模型 / LLM: " + (f"已配置 / configured（{llm['model']} @ {llm['base_url']}）"
                           if llm["configured"] else
                           "未配置，使用摘录式回答 / not configured, extractive answers"))
    return 0
