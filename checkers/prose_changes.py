"""Changes the text states: “单位产品电耗由8350 kWh/t降至8120 kWh/t，降低了3.8%”.

Reviewers recompute these as they recompute the tables, and a report may print the right
table and a wrong sentence (or the reverse). Only the tight form is read: an indicator, 由 A
(unit) 降至/提高到 B (unit), and right after it, in the same clause, the change — a rate (“降低
3.8%”, “下降2.6个百分点”) or an amount in B's own unit (“减少0.23 t”, “每吨酵母少耗糖蜜0.32 t”). A
rate with anything else between (“，单位产品取水量降低18.8%”) is another indicator's and is not
read. Silence when another reading of the printed figures holds: the rate of a rate in
percentage points, the change of the figures as rounded (A and B each ± half their last
digit), within the tolerance of the table checks.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.numbers import NUMBER_IN_TEXT, PERCENT_WORDS
from checkers.findings import Hit
from checkers.report import Report
from checkers.rule_models import IndicatorRules, ProseChangeWords
from checkers.tables import agrees, fmt, indicator, value
from checkers.targets import AT_LEAST, BOUND, target_elsewhere

_UNIT = r"[A-Za-z°℃%％/·²³\u4e00-\u9fff]{0,8}?"


def _any(words: list[str]) -> str:
    """An alternation of the words, longest first (降低至 before 降低)."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True))) or "(?!)"


def _patterns(words: ProseChangeWords) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """(stated change, claimed target, lead words) from indicators.yaml's prose_changes."""
    return _compiled(*(tuple(getattr(words, f)) for f in ProseChangeWords.model_fields))


@lru_cache(maxsize=8)  # one rule pack, a few profiles: the same words each time
def _compiled(*lists: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    words = ProseChangeWords(**dict(zip(ProseChangeWords.model_fields, map(list, lists),
                                        strict=True)))
    from_to = (r"(?P<label>[\u4e00-\u9fffA-Za-z₂₃ₓ]{2,20})由\s*(?P<before>" + NUMBER_IN_TEXT
               + r")\s*(?P<unit_b>" + _UNIT + r")\s*(?:" + _any(words.to_words) + r")\s*(?P<after>"
               + NUMBER_IN_TEXT + r")\s*(?P<unit_a>" + _UNIT + r")\s*[，,（(]\s*")
    particles = f"(?:{_any(words.change_particles)})?" if words.change_particles else ""
    stated = re.compile(
        from_to + r"(?P<lead>每[\u4e00-\u9fff]{1,6}|)(?:" + _any(words.change_words) + ")"
        + particles + r"(?P<what>[\u4e00-\u9fff]{0,4}?)\s*(?:(?P<n>" + NUMBER_IN_TEXT
        + r")\s*(?P<unit_n>个百分点|[%％]|" + _UNIT + r")|(?P<words>" + PERCENT_WORDS
        + r"))(?=[\s，,。；;）)]|$)")
    adverbs = f"(?:{_any(words.claim_adverbs)})?" if words.claim_adverbs else ""
    terms = f"(?:{_any(words.claim_terms)})?" if words.claim_terms else ""
    claimed = re.compile(from_to + r"(?P<status>" + adverbs + "(?:" + _any(words.claim_verbs)
                         + ")了?" + terms + r"(?:清洁生产)?目标)")
    lead = re.compile(f"^(?:{_any(words.lead_words)})")
    return stated, claimed, lead


def prose_change_hits(report: Report, cfg: IndicatorRules, tol: float,
                      known: set[tuple[str, str]], targets) -> list[Hit]:
    """`known`: (rule, indicator) pairs a table check already reported; `targets`: the target
    tables' targets (targets.stated_targets)."""
    hits = []
    stated, claimed, lead = _patterns(cfg.prose_changes)
    for para in report.paragraphs:
        found = [_check(m, cfg, tol, para.location, lead) for m in stated.finditer(para.text)]
        found += [_claim(m, cfg, targets, para.location, lead) for m in claimed.finditer(para.text)]
        for hit in found:
            if hit and (hit.rule_id, hit.subject) not in known:
                known.add((hit.rule_id, hit.subject))
                hits.append(hit)
    return hits


def _claim(m: re.Match, cfg: IndicatorRules, targets, location, lead: re.Pattern) -> Hit | None:
    """The target the report's target table sets, with its sign: the only way the sentence's
    claim can be judged (no sign, no finding)."""
    after = value(m.group("after"))
    label = lead.sub("", m.group("label"))
    goal, matched = target_elsewhere(label, m.group("unit_a") or m.group("unit_b"), targets, cfg)
    bound = BOUND.search(goal)
    limit = value(bound.group("n")) if bound else None
    if after.number is None or limit is None or limit.number is None:
        return None
    margin = max(limit.half_unit, after.half_unit)
    at_least = bound.group("op") in AT_LEAST
    if (after.number >= limit.number - margin) if at_least else (after.number <= limit.number + margin):
        return None
    return Hit("CON-TARGET", indicator(label, cfg).name, location, m.group(0), {
        "label": label, "target": bound.group(0), "after": m.group("after"),
        "status": m.group("status")},
        unsure="目标取自目标表中同类指标，按指标类别对应" if matched == "name" else "")


def _check(m: re.Match, cfg: IndicatorRules, tol: float, location, lead: re.Pattern) -> Hit | None:
    said = m.group("n") or m.group("words")  # "降低3.8%", "降低百分之三点八"
    before, after, stated = value(m.group("before")), value(m.group("after")), value(said)
    if None in (before.number, after.number, stated.number) or not before.number:
        return None
    unit_b, unit_a = m.group("unit_b"), m.group("unit_a")
    words = m.group("words") or ""
    unit_n = ("%" if words.startswith("百") else "‰") if words else m.group("unit_n")
    if unit_b and unit_a and unit_b != unit_a:
        return None  # "由186万kWh降至142 kWh": not one quantity as printed
    label = lead.sub("", m.group("label"))
    name = indicator(label, cfg).name
    change = abs(before.number - after.number)
    # the change of the figures as printed, or as they may have been before rounding
    lows = [abs((before.number + a) - (after.number + b))
            for a in (-before.half_unit, before.half_unit) for b in (-after.half_unit, after.half_unit)]
    percent_of = unit_b in ("%", "％") or unit_a in ("%", "％") or "率" in label
    fields = {"label": label, "column": "正文中", "before": m.group("before"),
              "after": m.group("after")}
    if unit_n == "个百分点":
        if not percent_of or _near(stated, change, min(lows), max(lows), tol):
            return None
        return Hit("CON-REDUCTION", name, location, m.group(0), fields | {
            "stated": f"{m.group('n')}个百分点", "expected": fmt(change)})
    if unit_n in ("%", "％"):
        if m.group("lead") or m.group("what"):
            return None  # "每吨…降低5%", "降低能耗5%": not the rate of this change
        rates = [low / abs(before.number + a) * 100 for low, a in
                 zip(lows, (-before.half_unit, -before.half_unit, before.half_unit,
                            before.half_unit), strict=True) if before.number + a]
        expected = change / abs(before.number) * 100
        if _near(stated, expected, min(rates), max(rates), tol) or (
                percent_of and _near(stated, change, min(lows), max(lows), tol)):
            return None
        return Hit("CON-PERCENT", name, location, m.group(0), fields | {
            "stated": m.group("n") or fmt(stated.number), "expected": fmt(round(expected, 2)),
            "formula": f"({m.group('before')} − {m.group('after')}) ÷ {m.group('before')}"})
    if unit_n != (unit_a or unit_b) or not unit_n:
        return None  # an amount in another unit (an annual total, "减少31.6 t/a") is another figure
    if _near(stated, change, min(lows), max(lows), tol):
        return None
    return Hit("CON-REDUCTION", name, location, m.group(0), fields | {
        "stated": f"{m.group('n')} {unit_n}", "expected": fmt(change)})


def _near(stated, expected: float, low: float, high: float, tol: float) -> bool:
    """The stated figure agrees with the computed one, or lies within what the printed inputs'
    rounding allows."""
    return agrees(stated, expected, tol, signed=False) or (
        low - stated.half_unit <= abs(stated.number) <= high + stated.half_unit)
