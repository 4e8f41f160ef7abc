"""Runs the Q&A set through every configuration in one go and collects the results."""

from __future__ import annotations

import logging
import tempfile
import time
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from assistant import forked
from assistant.settings import Settings
from eval import ours, run_cache
from eval.configs import parse_spec
from eval.judge import LLMJudge
from eval.metrics import by_asks, by_doc, by_form, by_type, summarize
from eval.models import CheckerEval, ConfigResult, ConfigSpec, EvalRun, QAItem

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
    adds the checker evaluation on the labelled sample reports (against a lexical index).

    The LangChain baselines share nothing with our configurations, so where a second core is
    free (assistant.forked) they run in a forked process while this one runs ours and the
    checkers; their results are the same either way (each depends on its inputs alone), and
    if the forked process fails they are computed here."""
    started = time.perf_counter()
    llm_judge = LLMJudge(settings) if judge else None
    judged = next((s.label for s in specs if s.system == "ours"), None)
    cache_dir = run_cache.kept_dir(settings)
    # per-question results of a held-out set (test, val) are never written anywhere
    keep = set_name in _PER_QUESTION_READABLE
    baseline_specs = [s for s in specs if s.system != "ours"]
    shared: dict = {}  # what the baselines share: the documents' texts, the built retrievers
    forked = _fork_baselines(baseline_specs, items, settings, cache_dir, keep)
    results: list[ConfigResult | None] = [None] * len(specs)  # in the order of `specs`
    try:
        with tempfile.TemporaryDirectory(prefix="cpaudit-eval-") as tmp, \
                _progress(show_progress) as progress:
            indexes = ours.Indexes(settings, Path(tmp))
            waiting: list[tuple[int, object]] = []  # (position, progress task) of a forked one
            for n, spec in enumerate(specs):
                task = progress.add_task(f"{spec.label}: 建索引 / indexing", total=len(items))
                if spec.system == "ours":
                    results[n] = _ours(
                        spec, items, indexes, cache_dir, keep, use_llm=use_llm,
                        judge=llm_judge if spec.label == judged else None,
                        progress=progress, task=task)
                elif forked is not None:  # computed by the forked process, received below
                    progress.update(task, description=f"{spec.label}: 另一进程 / in a second "
                                                      "process")
                    waiting.append((n, task))
                else:
                    results[n] = _baseline(spec, items, settings, cache_dir, keep,
                                                    shared, progress=progress, task=task)
            checker_eval = _checkers(indexes, cache_dir) if checkers else None
            if forked is not None:
                received = forked.result()
                forked = None
                if not isinstance(received, list) or len(received) != len(waiting):
                    log.warning("the baselines' process sent no results: computing them here")
                    received = [_baseline(specs[n], items, settings, cache_dir, keep, shared,
                                          progress=progress, task=task) for n, task in waiting]
                for (n, task), result in zip(waiting, received, strict=True):
                    results[n] = result
                    progress.update(task, description=specs[n].label, completed=len(items))
    finally:
        if forked is not None:  # interrupted or failed here: the forked process stops too
            forked.stop()
    types: dict[str, int] = {}
    for item in items:
        types[item.type] = types.get(item.type, 0) + 1
    return EvalRun(
        started_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"), qa_path=str(qa_path), set_name=set_name,
        corpus_dir=str(settings.corpus_dir), items=len(items), types=types,
        llm_answers=use_llm, llm_judge=judge, configs=results,
        checkers=checker_eval, seconds=round(time.perf_counter() - started, 2),
    )


def _ours(spec: ConfigSpec, items: list[QAItem], indexes: ours.Indexes, cache_dir: Path,
          keep: bool, *, use_llm: bool, judge: LLMJudge | None, progress, task) -> ConfigResult:
    t0 = time.perf_counter()
    prepared = indexes.get(spec)
    if isinstance(prepared, str):
        progress.update(task, description=f"{spec.label}: {prepared}", completed=0)
        return ConfigResult(spec=spec, status="skipped", note=prepared)
    meta = prepared.index.meta
    result = ConfigResult(
        spec=spec, mode=meta.mode, chunks=meta.chunks,
        build_seconds=round(meta.build_seconds, 2),
        note=f"{meta.mode}, tokens={meta.token_mode}, chunk≤{meta.chunk_max_chars}, "
             f"k={prepared.settings.top_k}"
             + (f", model={meta.dense_model}" if meta.dense_model else "")
             + (", LLM answers" if use_llm else ", extractive answers"),
    )
    # extractive answers, no LLM judge: the same inputs give the same results
    cache_key = run_cache.ours_key(spec, items, meta, prepared.settings) \
        if keep and not use_llm and judge is None else None
    cached = run_cache.load_items(cache_dir, spec.label, cache_key) if cache_key else None
    if cached is not None:
        result.items = cached
        result.note += ("; 逐题结果取自缓存（索引、题目、代码、设置均未变）/ per-question "
                        "results cached: index, questions, code and settings "
                        "unchanged (latency as then measured)")
        progress.update(task, description=f"{spec.label} (cached)", completed=len(items))
        return _summarized(result)
    progress.update(task, description=f"{spec.label}")
    for item in items:
        result.items.append(ours.evaluate_item(item, prepared, use_llm=use_llm, judge=judge))
        progress.advance(task)
    if cache_key:
        run_cache.store_items(cache_dir, spec.label, cache_key, result.items)
    log.info("%s evaluated in %.1fs", spec.label, time.perf_counter() - t0)
    return _summarized(result)


def _baseline(spec: ConfigSpec, items: list[QAItem], settings: Settings, cache_dir: Path,
              keep: bool, shared: dict, *, progress=None, task=None) -> ConfigResult:
    """One LangChain baseline's results; `shared` keeps the documents' texts and the built
    retrievers for the next baseline of the run."""
    from eval import baseline  # LangChain: imported only when a baseline is run

    t0 = time.perf_counter()
    chunk = spec.chunk_max_chars or settings.chunk_max_chars
    if "texts" not in shared:
        shared["texts"] = baseline.document_texts(settings, cache_dir if keep else None)
    texts = shared["texts"]
    top_k = spec.top_k or settings.top_k
    note = (f"RecursiveCharacterTextSplitter(chunk_size={chunk}) + BM25Retriever "
            f"({spec.preprocess} tokens), k={top_k}; answer = top-1 passage")
    cache_key = run_cache.key(texts, items, [chunk, spec.preprocess, top_k])
    cached = run_cache.load(cache_dir, spec.label, cache_key) if keep else None
    if cached is not None:
        chunks, seconds, result_items = cached
        if progress is not None:
            progress.update(task, description=f"{spec.label} (cached)", completed=len(items))
        return _summarized(ConfigResult(
            spec=spec, mode="langchain-bm25", chunks=chunks, build_seconds=seconds,
            note=note + "; 结果取自缓存（语料、题目、基线代码均未变）/ cached: "
                        "corpus, questions and baseline code unchanged",
            items=result_items))
    built_key = ("built", chunk, spec.preprocess)
    if built_key not in shared:
        shared[built_key] = baseline.build_baseline(texts, chunk_size=chunk,
                                                    preprocess=spec.preprocess)
    built = shared[built_key]
    result = ConfigResult(spec=spec, mode="langchain-bm25", chunks=len(built.chunks),
                          build_seconds=round(built.build_seconds, 2), note=note)
    if progress is not None:
        progress.update(task, description=f"{spec.label}")
    for item in items:
        result.items.append(baseline.evaluate_item(item, built, top_k))
        if progress is not None:
            progress.advance(task)
    if keep:
        run_cache.store(cache_dir, spec.label, cache_key, result.chunks, result.build_seconds,
                        result.items)
    log.info("%s evaluated in %.1fs", spec.label, time.perf_counter() - t0)
    return _summarized(result)


def _fork_baselines(specs: list[ConfigSpec], items: list[QAItem], settings: Settings,
                    cache_dir: Path, keep: bool) -> forked.Forked | None:
    """The baselines' results computed in a forked process, when one may run beside this one
    (before the progress display starts its thread: a fork copies only this one)."""
    if not specs or not forked.usable():
        return None
    shared: dict = {}
    return forked.Forked.start(lambda: [_baseline(spec, items, settings, cache_dir, keep, shared)
                                        for spec in specs])


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
