"""The audit team's leaders: each group (领导小组, 工作小组 …) has one 组长, and the leading
group's is the enterprise's principal (rules/team.yaml).

Each finding is an error only when the reading is certain (checkers/README.md): roles stated
in a team table's 小组职务 column (or a 副组长 named), two 组长 given by one table, a leader read
from a table; otherwise a warning that says what was assumed.
"""

from __future__ import annotations

import re

from checkers.findings import Hit
from checkers.report import Location, Paragraph, Report
from checkers.rule_models import TeamRules

# a sentence that gives someone the role: "由总经理任组长", "组长由王某担任"
_LEADER_GIVEN = re.compile(r"(?:任|担任|为|作为)组长|(?<!副)组长(?:由|为|是)")


def group_before(text: str, at: int, team: TeamRules) -> str:
    """The group a prose mention belongs to: the last one named before it in its paragraph
    ("成立审核领导小组，总经理马建业任组长" → 领导小组)."""
    named = [(text.rfind(g, 0, at), g) for g in team.groups]
    position, group = max(named)
    return group if position >= 0 else ""


def leader_hits(report: Report, team: TeamRules, members: list, where: Location | None,
                paragraphs: list[Paragraph], sections: list[Paragraph]) -> list[Hit]:
    """`members`: checkers.team.Member of every group; `paragraphs`: the team's text (its
    sections and any paragraph naming a group with its roles); `sections`: its sections'."""
    hits: list[Hit] = []
    titles = "、".join(team.leader_titles[:5])
    groups: dict[str, list] = {}
    for m in members:
        groups.setdefault(m.group, []).append(m)
    leaders = {g: [m for m in ms if m.role == "leader"] for g, ms in groups.items()}
    leading = next((g for g in groups if "领导" in g), None)
    if not any(leaders.values()):
        hits.append(_missing(members, "", where, paragraphs, team, titles))
    elif leading is not None and not leaders[leading]:  # the 领导小组 itself has no 组长
        hits.append(_missing(groups[leading], leading, where, paragraphs, team, titles))
    for group_leaders in leaders.values():  # 领导小组 and 工作小组 each have their own leader
        names = list(dict.fromkeys(m.name for m in group_leaders))
        if len(names) > 1:
            second = next(m for m in group_leaders if m.name == names[1])
            hits.append(Hit("TEAM-LEADER-DOUBLE", "组长", second.location, second.evidence,
                            {"count": len(names), "names": "、".join(names)},
                            unsure=_double_unsure(group_leaders)))
    if leading is not None and not leaders[leading]:
        return hits  # the work group's leader need not be the principal
    head = _head_group(leaders)
    for leader in leaders.get(head, [])[:1]:
        post = leader.position or leader.department
        if not _principal(post, team):
            rule = ("TEAM-LEADER-NOT-PRINCIPAL" if _subordinate(post, team)
                    else "TEAM-LEADER-UNCLEAR")
            hits.append(Hit(rule, "组长", leader.location, leader.evidence,
                            {"name": leader.name, "position": leader.position or "职务未写明",
                             "titles": titles}, unsure=_head_unsure(leader, report, sections, team)))
    return hits


def _missing(members: list, group: str, where: Location | None, paragraphs: list[Paragraph],
             team: TeamRules, titles: str) -> Hit:
    """No 组长 (of the whole team, or of its 领导小组). Certain only when the report assigns
    roles (a 小组职务 column, or a 副组长 named) and none is 组长, and no sentence gives the
    role to someone the reading did not catch."""
    words = team.role_words
    evidence = "；".join(f"{m.name}（{m.position or m.department}，{words.of(m.role)[0]}）"
                        for m in members[:4])
    stated = any(m.source.endswith("+role") or m.role == "deputy" for m in members)
    given = any(not group or group_before(p.text, m.start(), team) == group
                for p in paragraphs for m in _LEADER_GIVEN.finditer(p.text))
    unsure = "" if stated and not given else (
        "文字中写明了组长的任命，但未能读出是谁" if given
        else "报告未写明成员的小组职务，组长按各行文字判断")
    # "group" (not in the message): the second reading (checkers/absence.py) looks for the
    # role given within that group only
    return Hit("TEAM-LEADER-MISSING", "组长", members[0].location if group else where or Location(),
               evidence, {"titles": titles, "group": group}, unsure=unsure)


def _double_unsure(group_leaders: list) -> str:
    """Two 组长 are certain when one table gives both to the same group (its group rows or
    column name none, or the same one); from two tables or prose they may lead two groups."""
    sources = {m.source.removesuffix("+role") for m in group_leaders}
    if len(sources) == 1 and "prose" not in sources:
        return ""
    return "两名组长来自不同的表格或文字，可能分属不同小组"


def _head_unsure(leader, report: Report, paragraphs: list[Paragraph], team: TeamRules) -> str:
    """Whether the leader judged is surely the one who must be the principal: the 领导小组's
    (or the only group's) leader, read from a table, where the team's own section names no
    领导小组 whose leader was not read."""
    if leader.source == "prose":
        return "组长及其职务从文字中读出"
    if "领导" in leader.group:
        return ""
    # the leading group under any of its names (领导小组, 领导组)
    named = next((g for g in team.groups if "领导" in g and (
        any(g in p.text for p in paragraphs) or any(g in (t.caption or "") for t in report.tables))),
        "")
    if named:
        return f"报告提到“{named}”，但未能读出其组长；此处判断的是{leader.group or '审核小组'}的组长"
    return ""


def _head_group(leaders: dict[str, list]) -> str:
    """The group whose leader must be the principal: the 领导小组, else the first with one."""
    with_leader = [g for g, ms in leaders.items() if ms]
    return next((g for g in with_leader if "领导" in g), with_leader[0] if with_leader else "")


# "集团副总经理、场站站长", "副总经理兼厂长": one person, several posts — each judged alone
_POSTS = re.compile(r"[、，,；;/]|兼任|兼")


def _posts(position: str) -> list[str]:
    return [p.strip() for p in _POSTS.split(position) if p.strip()] or [position]


def _subordinate(position: str, team: TeamRules) -> bool:
    """Every post is a deputy's or a department's; a post that may head a unit of its own
    ("场站站长", "中心主任") keeps the judgement unsure."""
    return all((team.deputy_marker in post or any(t in post for t in team.subordinate_titles))
               and not _heads_unit(post, team) for post in _posts(position))


def _heads_unit(post: str, team: TeamRules) -> bool:
    """"场站站长": a unit's head (a title that is a principal's when alone) over a unit named
    before it — the audited unit's head, or a sub-unit's; which, the report must say."""
    return team.deputy_marker not in post and any(
        post.endswith(t) for t in team.leader_titles_alone) and not any(
        t in post for t in team.subordinate_titles)


def _principal(position: str, team: TeamRules) -> bool:
    return any(team.deputy_marker not in post and (
        any(t in post for t in team.leader_titles) or post in team.leader_titles_alone)
        for post in _posts(position))
