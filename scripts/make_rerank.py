"""Write assistant/data/rerank.yaml: the top ten's learned re-ranker (assistant/rerank.py),
fitted on STARD's dev questions only (eval/stard_rerank.py).

Every dev question is asked with the learned vocabulary of the other four folds (as
`cpaudit eval-stard --split dev --folds 5` asks it), its first 50 places recorded with their
features and labels; the model is fitted on all of those rows. The 334 frozen test questions
are never read for learning: `train` raises if one is given. Measure any change by
cross-validation (`cpaudit eval-stard --split dev --folds 5 --no-baseline`, which fits each
fold's model on the other folds), never by a plain dev run.

    .venv/bin/python scripts/make_rerank.py [--questions PATH]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.rerank import RERANK_FILE  # noqa: E402
from assistant.settings import get_settings  # noqa: E402
from eval.stard import load_questions, split  # noqa: E402
from eval.stard_command import library_settings  # noqa: E402
from eval.stard_learn import fold_tables  # noqa: E402
from eval.stard_rerank import collect, train  # noqa: E402

HEADER = """\
# The top ten's learned re-ranker (assistant/rerank.py): a logistic regression over the
# candidates' features, fitted on STARD's 900 dev questions only (eval/data/stard-split.json;
# each asked with the learned vocabulary of the other folds) by scripts/make_rerank.py —
# regenerate it with that script, do not edit by hand. Used when data/answering.yaml says
# `rerank: true`.
"""


def main() -> None:
    from assistant.index import build_index
    from assistant.retrieve import load_index

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path,
                        default=Path("/work/shared/data/stard/train.jsonl"))
    parser.add_argument("--archive", type=Path,
                        default=Path("/work/shared/data/lawrefbook-laws.tar.gz"))
    parser.add_argument("--library", type=Path, help="an unpacked LawRefBook tree instead")
    args = parser.parse_args()
    settings = library_settings(get_settings(), args)
    build_index(settings, use_dense=False, show_progress=False)
    dev = split(load_questions(args.questions), "dev")
    model = train(collect(load_index(settings), dev, fold_tables(dev)))
    data = model.model_dump(mode="json")
    for name in ("mean", "scale", "weights"):
        data[name] = [round(v, 6) for v in data[name]]
    data["bias"] = round(data["bias"], 6)
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    RERANK_FILE.write_text(HEADER + body, "utf-8")
    print(f"{RERANK_FILE.relative_to(ROOT)}: {model.provenance.candidates} candidates of "
          f"{model.provenance.questions} dev questions ({model.provenance.positives} labelled)")


if __name__ == "__main__":
    main()
