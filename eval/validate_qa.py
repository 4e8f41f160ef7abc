"""Validate the Q&A evaluation set (``eval/data/qa.jsonl``).

Usage: ``python eval/validate_qa.py [path]``

Checks, for every line: the fields and their types (pydantic ``QAItem``, ``extra="forbid"``),
unique ids, per-type rules (unanswerable items carry no evidence, comparison items cite two or
more documents, multi-turn items carry a history), that every quote is verbatim in its
document after whitespace removal and full-width digit/letter folding, that every answer
keyword occurs in an evidence quote and in the reference answer, and that ``article`` /
``section`` name a real article / heading that holds a quote. Then it checks the set-level
coverage (type counts, citations per document), prints a summary and exits 1 on any failure.

Documents are read from ``corpus/manifest.yaml`` + ``corpus/docs/``; a PDF/DOCX entry is read
from its text original in ``corpus/originals/``. A document the corpus does not provide is read
from the shared source in ``FALLBACK_SOURCES``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from eval.models import QAItem

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_QA_PATH = REPO_ROOT / "eval" / "data" / "qa.jsonl"
CORPUS_DIR = REPO_ROOT / "corpus"

_SHARED = Path("/work/shared")
# The one place that maps doc_id -> original source, used when the corpus lacks a document.
FALLBACK_SOURCES: dict[str, Path] = {
    "gz-action-plan": _SHARED / "seeds" / "000_65eec224a9527c02.txt",
    "fs-plan-2011": _SHARED / "seeds" / "001_6b91debf9f7c1c24.txt",
    "gd-plan-2023": _SHARED / "seeds" / "002_cbb8a38525e94340.txt",
    "gx-plan-2021": _SHARED / "seeds" / "003_63966f63608741e5.txt",
    "sc-notice-2016": _SHARED / "seeds" / "004_5e0e577a9a410316.txt",
    "cleaner-production-law": _SHARED / "laws" / "清洁生产促进法(2012-02-29).md",
    "circular-economy-law": _SHARED / "laws" / "循环经济促进法(2018-10-26).md",
    "environmental-protection-law": _SHARED / "laws" / "环境保护法(2014-04-24).md",
    "eia-law": _SHARED / "laws" / "环境影响评价法(2018-12-29).md",
    "energy-conservation-law": _SHARED / "laws" / "节约能源法(2018-10-26).md",
    "shandong-cp-regulation": _SHARED / "laws" / "山东省清洁生产促进条例(2020-11-27).md",
}

MIN_ITEMS = 130
MIN_TYPE_COUNTS: dict[str, int] = {
    "number": 15,
    "list": 12,
    "comparison": 10,
    "multi_turn": 10,
    "paraphrase": 20,
    "unanswerable": 18,
}
MIN_CITATIONS_PER_DOC = 6
QUOTE_CHARS = (15, 120)  # preferred quote length after normalization; outside -> warning
BINARY_SUFFIXES = {".pdf", ".docx"}
TEXT_SUFFIXES = (".md", ".txt")

_ARTICLE_START = re.compile(r"^\s*(第[零一二三四五六七八九十百]+条)[\s\u3000]")


# --------------------------------------------------------------------------- text helpers


def _fold_char(ch: str) -> str:
    code = ord(ch)
    if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
        return chr(code - 0xFEE0)  # full-width digit/latin -> ASCII; punctuation untouched
    return ch


def normalize(text: str) -> str:
    """Drop all whitespace (incl. U+3000) and fold full-width ASCII digits/letters."""
    return "".join(_fold_char(ch) for ch in text if not ch.isspace())


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def split_articles(text: str) -> dict[str, str]:
    """Map 第X条 -> normalized text of that article (up to the next article or heading)."""
    articles: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        match = _ARTICLE_START.match(line)
        if match:
            current = match.group(1)
            articles.setdefault(current, [])
        elif line.lstrip().startswith("#"):
            current = None
        if current is not None:
            articles[current].append(line)
    return {key: normalize("\n".join(lines)) for key, lines in articles.items()}


# --------------------------------------------------------------------------- documents


@dataclass
class Corpus:
    texts: dict[str, str] = field(default_factory=dict)  # doc_id -> raw text
    sources: dict[str, Path] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # doc_id -> law/plan/... when known
    normalized: dict[str, str] = field(default_factory=dict)
    articles: dict[str, dict[str, str]] = field(default_factory=dict)

    def add(self, doc_id: str, path: Path, kind: str | None = None) -> None:
        text = read_text(path)
        self.texts[doc_id] = text
        self.sources[doc_id] = path
        self.normalized[doc_id] = normalize(text)
        self.articles[doc_id] = split_articles(text)
        if kind:
            self.kinds[doc_id] = kind


def _manifest_entries(manifest: Path) -> list[dict[str, object]]:
    data = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
    entries = data.get("documents", []) if isinstance(data, dict) else data
    return [e for e in entries if isinstance(e, dict)]


def _text_path(corpus_dir: Path, doc_id: str, file: str) -> Path | None:
    path = corpus_dir / file
    if not path.exists():
        path = corpus_dir / "docs" / file
    if path.suffix.lower() in BINARY_SUFFIXES:
        for stem in (path.stem, doc_id):
            for suffix in TEXT_SUFFIXES:
                original = corpus_dir / "originals" / f"{stem}{suffix}"
                if original.exists():
                    return original
        return None
    return path if path.exists() else None


def load_corpus(corpus_dir: Path = CORPUS_DIR) -> Corpus:
    corpus = Corpus()
    manifest = corpus_dir / "manifest.yaml"
    if manifest.exists() and (corpus_dir / "docs").is_dir():
        for entry in _manifest_entries(manifest):
            doc_id = str(entry.get("id") or entry.get("doc_id") or "")
            file = entry.get("file") or entry.get("path")
            if not doc_id or not file:
                continue
            path = _text_path(corpus_dir, doc_id, str(file))
            if path is not None:
                kind = entry.get("kind")
                corpus.add(doc_id, path, str(kind) if kind else None)
    for doc_id, path in FALLBACK_SOURCES.items():
        if doc_id not in corpus.texts and path.exists():
            corpus.add(doc_id, path)
    return corpus


# --------------------------------------------------------------------------- checks


def _check_item(item: QAItem, corpus: Corpus) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    warnings: list[str] = []
    norm_quotes: list[str] = []
    for n, ev in enumerate(item.evidence, 1):
        quote = normalize(ev.quote)
        norm_quotes.append(quote)
        if ev.doc_id not in corpus.normalized:
            errors.append(f"evidence {n}: unknown doc_id {ev.doc_id!r}")
            continue
        if quote not in corpus.normalized[ev.doc_id]:
            errors.append(f"evidence {n}: quote not verbatim in {ev.doc_id}: {ev.quote!r}")
        lo, hi = QUOTE_CHARS
        if not lo <= len(quote) <= hi:
            warnings.append(f"evidence {n}: quote has {len(quote)} chars (prefer {lo}-{hi})")
    answer = normalize(item.reference_answer)
    for kw in item.answer_keywords:
        nkw = normalize(kw)
        if not any(nkw in q for q in norm_quotes):
            errors.append(f"keyword {kw!r} is in no evidence quote")
        if nkw not in answer:
            errors.append(f"keyword {kw!r} is not in the reference answer")
    if item.article is not None:
        holders = [
            ev.doc_id
            for ev, q in zip(item.evidence, norm_quotes, strict=True)
            if q in corpus.articles.get(ev.doc_id, {}).get(item.article, "")
        ]
        if not holders:
            errors.append(f"article {item.article}: no evidence quote lies in that article")
    if item.section is not None:
        heading = normalize(item.section)
        docs = {ev.doc_id for ev in item.evidence}
        if not any(heading in corpus.normalized.get(d, "") for d in docs):
            errors.append(f"section {item.section!r} is not a heading of a cited document")
    return errors, warnings


@dataclass
class Report:
    items: list[QAItem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def validate(path: Path, corpus: Corpus) -> Report:
    report = Report()
    seen: set[str] = set()
    lines = path.read_text(encoding="utf-8").splitlines()
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"line {lineno}"
        try:
            item = QAItem.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            report.errors.append(f"{where}: invalid JSON: {exc}")
            continue
        except ValidationError as exc:
            msgs = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'item'}: {e['msg']}" for e in exc.errors()
            )
            report.errors.append(f"{where}: {msgs}")
            continue
        where = f"{where} ({item.id})"
        if item.id in seen:
            report.errors.append(f"{where}: duplicate id")
        seen.add(item.id)
        errors, warnings = _check_item(item, corpus)
        report.errors.extend(f"{where}: {msg}" for msg in errors)
        report.warnings.extend(f"{where}: {msg}" for msg in warnings)
        report.items.append(item)

    types = Counter(item.type for item in report.items)
    if len(report.items) < MIN_ITEMS:
        report.errors.append(f"set: {len(report.items)} items, need at least {MIN_ITEMS}")
    for qa_type, minimum in MIN_TYPE_COUNTS.items():
        if types[qa_type] < minimum:
            report.errors.append(f"set: {types[qa_type]} {qa_type} items, need {minimum}")
    per_doc = citations_per_doc(report.items)
    for doc_id in corpus.texts:
        if per_doc[doc_id] < MIN_CITATIONS_PER_DOC:
            report.errors.append(
                f"set: {doc_id} cited {per_doc[doc_id]} times, need {MIN_CITATIONS_PER_DOC}"
            )
    return report


def citations_per_doc(items: list[QAItem]) -> Counter[str]:
    return Counter(ev.doc_id for item in items for ev in item.evidence)


def print_summary(report: Report, corpus: Corpus, path: Path) -> None:
    print(f"{path}: {len(report.items)} items")
    print("per type:")
    for qa_type, count in sorted(Counter(i.type for i in report.items).items()):
        print(f"  {qa_type:<13} {count:>4}")
    print("evidence quotes per document (items citing it):")
    per_doc = citations_per_doc(report.items)
    items_per_doc = Counter(d for i in report.items for d in {e.doc_id for e in i.evidence})
    for doc_id in sorted(corpus.texts):
        source = corpus.sources[doc_id]
        try:
            shown = source.relative_to(REPO_ROOT)
        except ValueError:
            shown = source
        print(f"  {doc_id:<29} {per_doc[doc_id]:>4} ({items_per_doc[doc_id]:>3})  {shown}")
    for warning in report.warnings:
        print(f"warning: {warning}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate the cpaudit Q&A evaluation set.")
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_QA_PATH)
    args = parser.parse_args(argv)
    if not args.path.exists():
        print(f"error: {args.path} does not exist / 文件不存在", file=sys.stderr)
        return 1
    corpus = load_corpus()
    report = validate(args.path, corpus)
    print_summary(report, corpus, args.path)
    if report.errors:
        print(f"FAILED: {len(report.errors)} problem(s)")
        for error in report.errors:
            print(f"  {error}")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
