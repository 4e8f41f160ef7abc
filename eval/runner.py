"""Runs the Q&A set through every configuration in one go and collects the results."""

from __future__ import annotations

import logging
import tempfile
import time
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from assistant.settings import Settings
from eval import ours, run_cache
from eval.configs import parse_spec
from eval.judge import LLMJudge
from eval.metrics import by_asks, by_doc, by_form, by_type, summarize
from eval.models import CheckerEval, ConfigResult, ConfigSpec, EvalRun, ItemResult, QAItem

log = logging.getLogger(__name__)
# Sets whose per-question results may be read (a --qa file has no name): only their baseline
# results are kept on disk.
_PER_QUESTION_READABLE = frozenset({"", "dev"})


@contextmanager
def _progress(show: bool):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=Console(stderr=True), disable=not show, transient=False,
    )
    with progress:
        yield progress


def run_eval(
    items: list[QAItem], specs: list[ConfigSpec], settings: Settings, *, qa_path: Path,
    use_llm: bool = False, judge: bool = False, show_progress: bool = True,
    checkers: bool = False, set_name: str = "",
) -> EvalRun:
    """Evaluate every spec on the same items. `judge` scores the first of our configurations
    with the LLM judge; `use_llm` lets our configurations answer with the LLM; `checkers`
    adds the checker evaluation on the labelled sample reports (against a lexical index)."""
    started = time.perf_counter()
    llm_judge = LLMJudge(settings) if judge else None
    judged = next((s.label for s in specs if s.system == "ours"), None)
    results: list[ConfigResult] = []
    if any(s.system != "ours" for s in specs):
        from eval import baseline  # the LangChain baseline: imported only when it is run
    with tempfile.TemporaryDirectory(prefix="cpaudit-eval-") as tmp, \
            _progress(show_progress) as progress:
        indexes = ours.Indexes(settings, Path(tmp))
        baselines: dict[tuple[int, str], object] = {}
        texts: list[tuple[str, str]] | None = None
        cache_dir = run_cache.kept_dir(settings)
        # per-question results of a held-out set (test, val) are never written anywhere
        keep = set_name in _PER_QUESTION_READABLE
        for spec in specs:
            task = progress.add_task(f"{spec.label}: 建索引 / indexing", total=len(items))
            t0 = time.perf_counter()
            if spec.system == "ours":
                prepared = indexes.get(spec)
                if isinstance(prepared, str):
                    results.append(ConfigResult(spec=spec, status="skipped", note=prepared))
                    progress.update(task, description=f"{spec.label}: {prepared}", completed=0)
                    continue
                meta = prepared.index.meta
                result = ConfigResult(
                    spec=spec, mode=meta.mode, chunks=meta.chunks,
                    build_seconds=round(meta.build_seconds, 2),
                    note=f"{meta.mode}, tokens={meta.token_mode}, chunk≤{meta.chunk_max_chars}, "
                         f"k={prepared.settings.top_k}"
                         + (f", model={meta.dense_model}" if meta.dense_model else "")
                         + (", LLM answers" if use_llm else ", extractive answers"),
                )
                this_judge = llm_judge if spec.label == judged else None
                # extractive answers, no LLM judge: the same inputs give the same results
                cache_key = run_cache.ours_key(spec, items, meta, prepared.settings) \
                    if keep and not use_llm and this_judge is None else None
                cached = run_cache.load_items(cache_dir, spec.label, cache_key) \
                    if cache_key else None
                if cached is not None:
                    result.items = cached
                    result.note += ("; 逐题结果取自缓存（索引、题目、代码、设置均未变）/ per-question "
                                    "results cached: index, questions, code and settings "
                                    "unchanged (latency as then measured)")
                    results.append(_summarized(result))
                    progress.update(task, description=f"{spec.label} (cached)",
                                    completed=len(items))
                    continue

                def evaluate(item, prepared=prepared, this_judge=this_judge) -> ItemResult:
                    return ours.evaluate_item(item, prepared, use_llm=use_llm, judge=this_judge)
            else:
                chunk = spec.chunk_max_chars or settings.chunk_max_chars
                if texts is None:
                    texts = baseline.document_texts(settings, cache_dir if keep else None)
                top_k = spec.top_k or settings.top_k
                note = (f"RecursiveCharacterTextSplitter(chunk_size={chunk}) + BM25Retriever "
                        f"({spec.preprocess} tokens), k={top_k}; answer = top-1 passage")
                cache_key = run_cache.key(texts, items, [chunk, spec.preprocess, top_k])
                cached = run_cache.load(cache_dir, spec.label, cache_key) if keep else None
                if cached is not None:
                    chunks, seconds, result_items = cached
                    results.append(_summarized(ConfigResult(
                        spec=spec, mode="langchain-bm25", chunks=chunks, build_seconds=seconds,
                        note=note + "; 结果取自缓存（语料、题目、基线代码均未变）/ cached: "
                                    "corpus, questions and baseline code unchanged",
                        items=result_items)))
                    progress.update(task, description=f"{spec.label} (cached)",
                                    completed=len(items))
                    continue
                key = (chunk, spec.preprocess)
                if key not in baselines:
                    baselines[key] = baseline.build_baseline(
                        texts, chunk_size=chunk, preprocess=spec.preprocess)
                built = baselines[key]
                result = ConfigResult(
                    spec=spec, mode="langchain-bm25", chunks=len(built.chunks),
                    build_seconds=round(built.build_seconds, 2), note=note,
                )

                def evaluate(item, built=built, top_k=top_k) -> ItemResult:
                    return baseline.evaluate_item(item, built, top_k)
            progress.update(task, description=f"{spec.label}")
            for item in items:
                result.items.append(evaluate(item))
                progress.advance(task)
            if spec.system != "ours" and keep:
                run_cache.store(cache_dir, spec.label, cache_key, result.chunks,
                                     result.build_seconds, result.items)
            elif spec.system == "ours" and cache_key:
                run_cache.store_items(cache_dir, spec.label, cache_key, result.items)
            log.info("%s evaluated in %.1fs", spec.label, time.perf_counter() - t0)
            results.append(_summarized(result))
        checker_eval = _checkers(indexes, cache_dir) if checkers else None
    types: dict[str, int] = {}
    for item in items:
        types[item.type] = types.get(item.type, 0) + 1
    return EvalRun(
        started_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"), qa_path=str(qa_path), set_name=set_name,
        corpus_dir=str(settings.corpus_dir), items=len(items), types=types,
        llm_answers=use_llm, llm_judge=judge, configs=results, checkers=checker_eval,
        seconds=round(time.perf_counter() - started, 2),
    )


def _summarized(result: ConfigResult) -> ConfigResult:
    result.summary = summarize(result.items)
    result.by_type = by_type(result.items)
    result.by_doc = by_doc(result.items)
    result.by_form = by_form(result.items)
    result.by_asks = by_asks(result.items)
    return result


def _checkers(indexes: ours.Indexes, cache_dir: Path) -> CheckerEval:
    from checkers import check_report as check
    from eval.checker_eval import FIXTURES, evaluate_checkers

    prepared = indexes.get(parse_spec("lexical"))
    assert not isinstance(prepared, str)  # a lexical index is never skipped
    key = run_cache.checker_key(FIXTURES, prepared.index.meta, prepared.settings)
    cached = run_cache.load_json(cache_dir, "checkers", key)
    if cached is not None:
        return CheckerEval.model_validate(cached)
    result = evaluate_checkers(check=partial(check, settings=prepared.settings,
                                             index=prepared.index))
    if result.status == "ok":
        run_cache.store_json(cache_dir, "checkers", key, result.model_dump(mode="json"))
    return result
