"""Train the answer/abstain scorer on the dev Q&A set and write assistant/data/answer_scorer.yaml;
with --cv, first measure it by 5-fold cross-validation grouped by item against the rules on the
same folds (every figure out of fold: each fold answered by a scorer, and thresholds, fitted on
the other four).

    .venv/bin/python scripts/train_answer_scorer.py --cv            # measure only
    .venv/bin/python scripts/train_answer_scorer.py --cv --write    # measure, then write
    .venv/bin/python scripts/train_answer_scorer.py --rank-only [--write]

--rank-only: a first-quote ranker and nothing else (what ships): trained on the answerable items
of the dev split's tuning part (eval.scorer_learn.tuning_part), its abstain bar at 0 and its
rescue bar never reached, so it orders the rules' candidates and never refuses or answers
differently from them; measured on the tuning and check parts against the rules.

Dev only: eval.scorer_learn.train refuses any id of a frozen set (test, val, val2, test2, test3, test4, test5).
The index is built lexical-only into a temporary directory, as `cpaudit eval` builds it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "assistant" / "data" / "answer_scorer.yaml"
# --rank-only's L2 penalty: the check part gained the same at 5 and 10 (112 at 1, 3, 20, 30)
RANK_L2 = 5.0
COLUMNS = ("hit@5", "keyword_recall", "first_quote_answers", "confidently_wrong",
           "confidently_wrong_rate", "abstention_recall", "false_abstention_rate",
           "followups_right", "answered_right")
HEADER = """\
# The learned answer/abstain scorer (assistant/answer_scorer.py): a logistic regression over
# the rules' candidate quotes, trained on the dev Q&A set only (never a frozen set) by
# scripts/train_answer_scorer.py — regenerate it with that script, do not edit by hand.
# Used when data/answering.yaml says `answer_scorer: true`.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cv", action="store_true", help="5-fold cross-validation on dev")
    parser.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(ROOT)}")
    parser.add_argument("--report", type=Path, help="write the CV figures here (JSON)")
    parser.add_argument("--rank-only", action="store_true",
                        help="a ranker only, trained on the dev split's tuning part")
    parser.add_argument("--l2", type=float, default=None, help="L2 penalty (default: 1, or "
                        f"{RANK_L2} with --rank-only)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))

    from assistant import answer_scorer
    from assistant.settings import get_settings
    from assistant.tuning import overridden as tuning_overridden
    from eval import ours
    from eval.configs import parse_spec
    from eval.dataset import SETS, load_set
    from eval.metrics import summarize
    from eval.scorer_learn import (
        NEVER,
        TUNING_PART,
        choose_thresholds,
        collect,
        folds,
        out_of_fold,
        train,
        tuning_part,
    )

    items = load_set("dev")
    trained_on = [str(p.relative_to(ROOT)) for p in SETS["dev"]]
    by_id = {i.id: i for i in items}

    def evaluate(item, prepared):
        return ours.evaluate_item(item, prepared, use_llm=False)

    with tempfile.TemporaryDirectory(prefix="cpaudit-scorer-") as tmp:
        settings = get_settings().model_copy(update={"embedding_model": ""})
        prepared = ours.Indexes(settings, Path(tmp)).get(parse_spec("lexical"))
        groups, rules = collect(items, prepared, evaluate)
        rule_results = dict(zip((i.id for i in items), rules, strict=True))
        print(f"{len(groups)} dev items, {sum(len(g.rows) for g in groups)} candidates, "
              f"{int(sum(g.labels.sum() for g in groups))} answering", file=sys.stderr)
        report: dict = {}
        if args.rank_only:
            tuned = tuning_part(by_id)
            l2 = RANK_L2 if args.l2 is None else args.l2
            model = train([g for g in groups if g.id in tuned and g.answerable],
                          trained_on=trained_on, threshold=0.0, rescue=NEVER, l2=l2,
                          part=TUNING_PART + " (answerable items)", items=len(tuned),
                          threshold_rule="none: a first-quote ranker only (abstain bar 0, rescue "
                                         "never): the rules decide every refusal")
            with answer_scorer.overridden(model), tuning_overridden(answer_scorer=True):
                ranked = {i.id: evaluate(i, prepared) for i in items}
            print(f"{'column':<24}{'tuning: rules':>14}{'scorer':>9}{'check: rules':>14}{'scorer':>9}")
            parts = [[i.id for i in items if (i.id in tuned) == side] for side in (True, False)]
            figures = [(summarize([rule_results[i] for i in ids]), summarize([ranked[i] for i in ids]))
                       for ids in parts]
            for c in COLUMNS:
                print(f"{c:<24}" + "".join(f"{_fmt(a[c]):>14}{_fmt(b[c]):>9}" for a, b in figures))
            if args.write:
                _write(model)
                print(f"wrote {OUT.relative_to(ROOT)}: a ranker only, L2 {l2}")
            return 0
        if args.cv:
            cv_results, per_fold = {}, []
            for n, held in enumerate(folds(groups)):
                rest = [g for m, part in enumerate(folds(groups)) if m != n for g in part]
                threshold, rescue = choose_thresholds(rest, out_of_fold(rest, 4))
                model = train(rest, trained_on=trained_on, threshold=threshold, rescue=rescue,
                              threshold_rule="inner 4-fold CV on the training folds")
                per_fold.append({"fold": n, "items": len(held), "threshold": threshold,
                                 "rescue": rescue})
                with answer_scorer.overridden(model), tuning_overridden(answer_scorer=True):
                    for g in held:
                        cv_results[g.id] = evaluate(by_id[g.id], prepared)
            order = [i.id for i in items]
            cv = summarize([cv_results[i] for i in order])
            base = summarize([rule_results[i] for i in order])
            # dev items only: which answers the scorer changed, for reading its misses
            changed = [{"id": i, "question": by_id[i].question, **{
                f"{who}_{k}": getattr(r, k) for who, r in (("rules", rule_results[i]),
                                                          ("scorer", cv_results[i]))
                for k in ("abstained", "keyword_recall", "first_quote_answers", "first_quote")}}
                for i in order if rule_results[i].answer != cv_results[i].answer]
            report = {"folds": per_fold, "rules": {c: base[c] for c in COLUMNS},
                      "scorer": {c: cv[c] for c in COLUMNS}, "changed": changed}
            print(f"{'column':<24}{'rules':>10}{'scorer (CV)':>14}")
            for c in COLUMNS:
                print(f"{c:<24}{_fmt(base[c]):>10}{_fmt(cv[c]):>14}")
            for f in per_fold:
                print(f"fold {f['fold']}: {f['items']} items, threshold {f['threshold']}, "
                      f"rescue {f['rescue']}")
        if args.report:
            args.report.write_text(json.dumps(report, indent=2, ensure_ascii=False), "utf-8")
        if args.write:
            threshold, rescue = choose_thresholds(groups, out_of_fold(groups, 5))
            model = train(groups, trained_on=trained_on, threshold=threshold, rescue=rescue,
                          threshold_rule="5-fold CV on dev: fewest confidently wrong with no "
                                         "more answerable refused and none fewer right than the "
                                         "rules; the abstain bar refusing no right answer")
            _write(model)
            print(f"wrote {OUT.relative_to(ROOT)}: threshold {threshold}, rescue {rescue}")
    return 0


def _fmt(value) -> str:
    return "—" if value is None else (str(value) if isinstance(value, int) else f"{value:.3f}")


def _write(model) -> None:
    import yaml

    data = model.model_dump(mode="json")
    data["weights"] = [round(w, 6) for w in data["weights"]]
    data["mean"] = [round(w, 6) for w in data["mean"]]
    data["scale"] = [round(w, 6) for w in data["scale"]]
    data["bias"] = round(data["bias"], 6)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    OUT.write_text(HEADER + text, "utf-8")


if __name__ == "__main__":
    sys.exit(main())
