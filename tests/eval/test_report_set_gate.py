"""Gate on the dev report set (the half the checkers are tuned on): no false error on a complete
report, at most one per defective report, ≥ 95 % of planted defects found, in both formats.

The frozen test half is not gated here: it is run for the README's figures, never tuned on.
Dev's fourth ten (eval/data/reports/dev/README.md, "The fourth ten") was written after the
checkers were last tuned, as material for the next round of tuning; it is left out of the gate
until that round has tuned on it (whoever does removes them from AWAITING_TUNING and lets the
gate see their Markdown and text formats too).
"""

from __future__ import annotations

import pytest

from checkers import check_report
from eval.report_sets import evaluate_set

AWAITING_TUNING = frozenset({
    "taoci-jinhong", "tuzhuang-ruida", "zhengji-hengli", "lengzha-huarui", "zhongyao-tianyi",
    "dilun-hengxiang", "jiaju-mulin", "smt-xinda", "jiguan-yantai", "sidian-junda",
})


@pytest.mark.slow
def test_dev_report_set_stays_clean(settings, index):
    result = evaluate_set("dev", check=lambda path: check_report(path, settings=settings,
                                                                 index=index),
                          exclude=AWAITING_TUNING)
    assert result.status == "ok" and {s.format for s in result.scores} == {"docx", "pdf"}
    for score in result.scores:
        assert score.false_errors_per_complete == 0, score
        assert score.false_errors_per_defective <= 1, score
        assert score.recall >= 0.95, score
        assert set(score.complete_verdicts) == {"可提交"}, score
