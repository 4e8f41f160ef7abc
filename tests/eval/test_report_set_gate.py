"""Gate on the dev report set (the half the checkers are tuned on): no false error on a complete
report, at most one per defective report, ≥ 95 % of planted defects found, in every format the
set holds (DOCX and PDF for every report; Markdown and GB18030 text for some of the fourth ten).

The frozen test halves are not gated here: they are run for the README's figures, never tuned
on. A batch written after the checkers were last tuned goes into AWAITING_TUNING until a round
has tuned on it (the fourth ten was tuned on in h10-dev4tune, the fifth in h10-tune5, the sixth
in h10-tune6, the seventh in h10-tune7, the eighth in h10-tune8, the ninth measured blind in
t10-tune9 with nothing to tune: 21 of 21 found, no false error; the sixteen reports of the
retired frozen sets test4 and test5 and the tenth batch (w10-dev10: eight reports following
real published structures; blind 17 of 17 found, no false error) were tuned on by the lead in
round 9; the sixteen of the retired frozen sets test6 and test7, and wushui-jiangbei, in r10-retired,
round 10; the fourteen of the retired frozen sets test2 and test3 in r11-retired, round 11).
"""

from __future__ import annotations

import pytest

from checkers import check_report
from eval.report_sets import evaluate_set

# wushui-jiangbei and the sixteen reports of the frozen sets test6 and test7, retired into dev in
# round 10, were tuned on in r10-retired; the fourteen of the frozen sets test2 and test3, retired
# into dev in round 11, in r11-retired (DOCX = PDF before: 26 of 28 found, one false error; after:
# 28 of 28, none). A batch written after the checkers were last tuned waits here until a round
# has tuned on it.
AWAITING_TUNING: frozenset[str] = frozenset()


@pytest.mark.slow
def test_dev_report_set_stays_clean(settings, index):
    result = evaluate_set("dev", check=lambda path: check_report(path, settings=settings,
                                                                 index=index),
                          exclude=AWAITING_TUNING)
    assert result.status == "ok" and {s.format for s in result.scores} == {"docx", "pdf", "md",
                                                                          "txt"}
    for score in result.scores:  # a format with no defective report (txt) has no recall
        assert score.false_errors_per_complete == 0, score
        assert score.false_errors_per_defective is None or score.false_errors_per_defective <= 1, \
            score
        assert score.recall is None or score.recall >= 0.95, score
        assert set(score.complete_verdicts) == {"可提交"}, score
