"""cpaudit status: what is indexed, which mode runs, whether an LLM is configured."""

from __future__ import annotations

import argparse
import json

from assistant import __version__
from assistant.generations import IndexMeta, current_generation
from assistant.render import plain
from assistant.settings import get_settings


def status() -> dict:
    settings = get_settings()
    gen = current_generation(settings)
    info: dict = {
        "version": __version__,
        "corpus_dir": str(settings.corpus_dir),
        "data_dir": str(settings.data_dir),
        "index": None,
        "llm": {"configured": bool(settings.llm_base_url), "base_url": settings.llm_base_url,
                "model": settings.llm_model if settings.llm_base_url else None},
        "embedding_model": settings.embedding_model or None,
    }
    if gen is not None:
        meta = IndexMeta.model_validate_json((gen / "meta.json").read_text("utf-8"))
        info["index"] = {"generation": gen.name, **meta.model_dump()}
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
    index = info["index"]
    if index is None:
        say("索引 / index: 未建立 / none — 运行 / run: cpaudit index")
    else:
        say(f"索引 / index: {index['documents']} 份文件 / documents, {index['chunks']} 个片段 / "
            f"chunks, 建于 / built {index['built_at']}")
        if index["mode"] == "hybrid":
            say(f"检索模式 / mode: hybrid（BM25 + {index['dense_model']}）")
        else:
            say(f"检索模式 / mode: lexical（仅 BM25）— {index['lexical_reason']}")
    llm = info["llm"]
    say("大模型 / LLM: " + (f"已配置 / configured（{llm['model']} @ {llm['base_url']}）"
                           if llm["configured"] else
                           "未配置，使用摘录式回答 / not configured, extractive answers"))
    return 0
