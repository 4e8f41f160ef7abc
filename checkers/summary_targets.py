"""Targets the summary states (前言, 摘要, 结论: "近期目标是吨钛白废酸产生量≤6.5 t/t") against
the target table's (表2-3 清洁生产目标: ≤7.0). A reviewer reads the summary's figure as the
audit's commitment, so two different targets for one indicator are reported. The match is by
the indicator's label written in the sentence: a warning to verify, never an error.
"""

from __future__ import annotations

import re

from checkers.findings import Hit
from checkers.key_figures import summary_paragraphs
from checkers.report import Report
from checkers.rules import Config
from checkers.tables import value
from checkers.targets import AT_LEAST, BOUND, stated_targets

# a 中远期 / 远期 target in the sentence is not the 近期 one the target table holds
_LATER = re.compile(r"中远期|远期|中长期|长期|中期")


def check_summary_targets(report: Report, config: Config) -> list[Hit]:
    cfg = config.indicators
    targets = stated_targets(report, cfg)
    summary = summary_paragraphs(report, cfg.key_figures.summary_headings)
    hits: list[Hit] = []
    seen: set[str] = set()
    for key, entries in targets.items():
        if key.startswith("="):  # the same entries, by canonical name
            continue
        label = re.sub(r"[（(][^）)]*[）)]", "", entries[0][0]).strip()
        if len(label) < 3 or label in seen:
            continue
        pattern = re.compile(re.escape(label) + r"[^\d。；，,]{0,6}?" + BOUND.pattern)
        for para in summary:
            for m in pattern.finditer(para.text):
                clause = re.split(r"[。；]", para.text[:m.start()])[-1]
                if _LATER.search(clause):
                    continue
                if any(_same(m.group("op"), m.group("n"), goal) for _, _, goal in entries):
                    continue
                seen.add(label)
                hits.append(Hit("CON-TARGET-SUMMARY", label, para.location, para.text, {
                    "stated": m.group("op") + m.group("n"),
                    "table": "、".join(goal for _, _, goal in entries)}))
                break
            if label in seen:
                break
    return hits


def _same(op: str, number: str, goal: str) -> bool:
    """The summary's bound and the table's target text say the same thing, up to the unit's
    power of ten (6.5 t/t and 6500 kg/t) and without a sign in the table."""
    table_op = BOUND.search(goal)
    stated = value(number).number
    theirs = value(table_op.group("n") if table_op else goal).number
    if stated is None or theirs is None:
        return True  # nothing to compare
    if table_op and (table_op.group("op") in AT_LEAST) != (op in AT_LEAST):
        return False
    return any(abs(stated - theirs * 10 ** k) <= 1e-9 * max(1.0, abs(stated))
               for k in range(-4, 5))
