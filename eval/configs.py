"""Configuration specs for `cpaudit eval --configs`.

A spec is `NAME[:key=value,...]`. Names:

    ours            our pipeline as the settings configure it (hybrid when a model is available)
    both|jieba|bigram   ours, lexical only, with that BM25 token mode
    lexical         ours, lexical only (token mode both)
    hybrid          ours, BM25 + dense vectors fused (skipped when no model is available)
    lc-whitespace   LangChain baseline: RecursiveCharacterTextSplitter + BM25Retriever with its
                    default whitespace tokenizer (alias: lc)
    lc-jieba        the same baseline with preprocess_func=jieba.lcut

Keys: chunk=N (max chunk characters; the baseline's chunk_size), k=N (passages handed to the
answerer), tokens=jieba|bigram|both, dense=auto|on|off, model=NAME_OR_PATH (embedding model).

Examples: `both:chunk=400`, `both:k=10`, `hybrid:model=/models/bge-small-zh-v1.5`.
"""

from __future__ import annotations

from pydantic import ValidationError

from assistant.errors import CpauditError
from eval.models import ConfigSpec

DEFAULT_CONFIGS = ("ours", "lc-whitespace", "lc-jieba")
PRESETS: dict[str, tuple[str, ...]] = {
    "default": DEFAULT_CONFIGS,
    "all": (
        "ours", "jieba", "bigram", "both", "hybrid", "both:chunk=300", "both:chunk=1000",
        "both:k=3", "both:k=10", "lc-whitespace", "lc-jieba",
    ),
    "tokens": ("jieba", "bigram", "both", "lc-whitespace", "lc-jieba"),
    "chunks": ("both:chunk=300", "both", "both:chunk=1000", "lc-jieba"),
}
_NAMES: dict[str, dict[str, str]] = {
    "ours": {},
    "lexical": {"dense": "off"},
    "both": {"token_mode": "both", "dense": "off"},
    "jieba": {"token_mode": "jieba", "dense": "off"},
    "bigram": {"token_mode": "bigram", "dense": "off"},
    "hybrid": {"dense": "on"},
    "dense": {"dense": "on"},
    "lc": {"system": "langchain", "preprocess": "whitespace"},
    "lc-whitespace": {"system": "langchain", "preprocess": "whitespace"},
    "lc-jieba": {"system": "langchain", "preprocess": "jieba"},
}
_KEYS = {"chunk": "chunk_max_chars", "k": "top_k", "tokens": "token_mode", "dense": "dense",
         "model": "embedding_model"}


class ConfigSpecError(CpauditError):
    code = "config_spec_error"


def parse_spec(text: str) -> ConfigSpec:
    name, _, rest = text.strip().partition(":")
    if name not in _NAMES:
        raise ConfigSpecError(
            f"未知的评测配置：{name}", f"Unknown eval configuration: {name}",
            hint_zh=f"可选：{', '.join(_NAMES)}", hint_en=f"Choose from: {', '.join(_NAMES)}",
        )
    fields: dict[str, object] = {"label": text.strip(), **_NAMES[name]}
    for pair in filter(None, (p.strip() for p in rest.split(","))):
        key, eq, value = pair.partition("=")
        if not eq or key not in _KEYS:
            raise ConfigSpecError(
                f"配置参数有误：{pair}（应为 key=value，key 为 {', '.join(_KEYS)}）",
                f"Bad configuration option {pair!r}: use key=value with key in "
                f"{', '.join(_KEYS)}",
            )
        fields[_KEYS[key]] = value
    try:
        return ConfigSpec.model_validate(fields)
    except ValidationError as exc:
        raise ConfigSpecError(f"配置 {text} 有误：{exc.errors()[0]['msg']}",
                              f"Bad configuration {text!r}: {exc.errors()[0]['msg']}") from exc


def parse_specs(texts: list[str] | None) -> list[ConfigSpec]:
    """Expand presets and parse; duplicates are dropped, order kept."""
    expanded: list[str] = []
    for text in texts or list(DEFAULT_CONFIGS):
        for part in PRESETS.get(text, (text,)):
            if part not in expanded:
                expanded.append(part)
    return [parse_spec(t) for t in expanded]
