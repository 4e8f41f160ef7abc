"""Does a quote state the asked thing ABOUT the asked subject? (issue 11, "slot evidence")

A quantity, date or time question is answered by a sentence holding a number — but a policy
sentence often holds the asked subject in one clause and a number of something else in
another ("…用水量较2020年降幅不低于20%" for "年用水量超过多少算重点用水单位"). Here the
subject is the asking clause's own words (its weighty terms, not only the dictionary's nouns,
which miss 回采率, 保费, 采矿证), and a quote states the slot when some match of the kind's
answer wording (data/answering.yaml, `patterns.asks`) has enough of that weight within the
clauses around it (clauses from the one splitter, assistant/sentences.py).

Also the question's novelty: the share of the asking clause's weight on words no document
uses — a question about a fee, a hotline or a form the documents never name.
"""

from __future__ import annotations

from assistant.evidence import Term, coverage
from assistant.query import places
from assistant.sentences import clauses
from assistant.tokenize import word_tag
from assistant.tuning import tuning


def asking_terms(clause: str, terms: list[Term], kind: str) -> list[Term]:
    """The question's terms inside its asking clause, less the asking words and places: what
    the clause asks about (抽查, 比例 of "抽查比例是多少")."""
    if not clause:
        return []
    return [t for t in terms if t.text in clause and not asking_word(t.text, kind)
            and not places(t.text) and len(t.text) >= 2]


def asking_word(word: str, kind: str) -> bool:
    """Whether a word of the question is one of the words that ask for `kind`, never what is
    asked about: one the kind's question wording matches (比例, 几年), or one of its `asking`
    words as the segmenter cuts them (时间 of "几年时间", 一次 of "多久报一次")."""
    compiled = tuning().compiled
    return bool(compiled[f"{kind}.question"].search(word)
                or compiled[f"{kind}.asking"].fullmatch(word))


def novelty(subject: list[Term]) -> float:
    """The share of the asking clause's weight on dictionary nouns and verbs no document uses
    in any wording (报名, 保费, 奖金). Words the dictionary does not hold (要花, 报给: joined by
    the segmenter) and function words (大概, 的话, 以后) say nothing about what is asked."""
    total = sum(t.weight for t in subject)
    novel = sum(t.weight for t in subject if not t.seen and word_tag(t.text)[:1] in ("n", "v"))
    return novel / total if total else 0.0


def slot_share(kind: str, subject: list[Term], text: str, reach: tuple[int, int],
               title: str = "") -> float:
    """The largest share of the subject's (seen) weight named within `reach` clauses (before,
    after) of a statement of `kind` in the text, or in its first clause (a Chinese sentence's
    topic: "建设单位违反建筑节能标准的，由…责令改正，处…罚款"), or in the document's title
    ("本法自…起施行" speaks of the title's law); 1.0 when there is no seen subject to look for."""
    seen = [t for t in subject if t.seen]
    if not seen:
        return 1.0
    answer = tuning().compiled[f"{kind}.answer"]
    parts = clauses(text) or [text]
    best = 0.0
    for i, part in enumerate(parts):
        if answer.search(part):
            around = "".join(parts[max(0, i - reach[0]):i + reach[1] + 1])
            best = max(best, coverage(seen, f"{parts[0]}{around}", title))
            if best >= 1.0:
                break
    return best
