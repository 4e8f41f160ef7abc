"""The audit team (审核小组): found as a table or in prose; leader, functions, auditors.

Per the Guangzhou action plan in the corpus the leader is the enterprise's principal leader and
the members cover 行政管理, 设备管理, 节能环保, 财务, 工艺技术 and 一线操作 personnel; the
titles, keywords and column names are in rules/team.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.sentences import sentence_spans
from assistant.textfold import compare_key
from checkers.findings import Hit
from checkers.report import Location, Paragraph, Report, Table
from checkers.rule_models import ConsultantWords, TeamRules
from checkers.rules import Config
from checkers.tables import find_column
from checkers.team_leaders import group_before, leader_hits

_CERT_CODE = re.compile(r"证书(?:编号|号)[：:]?\s*[A-Za-z0-9][A-Za-z0-9\-]{3,}")  # 证书编号 / 证书号


def _unspaced(text: str) -> str:
    """Without whitespace: a PDF line may space a code apart ("S D-CPA-2019-0317")."""
    return re.sub(r"\s+", "", text)


@dataclass
class Member:
    name: str
    position: str
    department: str
    role: str  # leader | deputy | member
    location: Location
    evidence: str
    group: str = ""  # 领导小组 / 工作小组 …: each group has its own leader
    # "table N" (with "+role": the table has a role column) or "prose": how sure the reading is
    source: str = "prose"


def check_team(report: Report, config: Config) -> list[Hit]:
    team = config.team
    members, where = _table_members(report, team)
    prose, prose_where = _prose_members(report, team)
    known = {m.name for m in members}
    members += [m for m in prose if m.name not in known]  # prose may name more people
    where = where or prose_where
    if not members:
        named = next((w for w in (*team.groups, *team.team_captions)
                      if any(w in p.text for p in report.paragraphs)
                      or any(w in h.title for h in report.headings)), "")
        return [Hit("TEAM-MISSING", "审核小组", where or Location(), "",
                    unsure=f"报告提到“{named}”，但未能从表格或文字中读出成员" if named else "")]
    hits = leader_hits(report, team, members, where, _team_paragraphs(report, team),
                       _team_sections(report, team))
    for role in team.required_roles:  # covered by anyone in any of the groups
        if role.role in config.skip_roles:
            continue
        if not any(any(k in m.position + m.department for k in role.keywords)
                   or any(g in m.group for g in role.groups)
                   or m.department.strip() in role.departments for m in members):
            hits.append(Hit("TEAM-ROLE-UNCOVERED", role.role, where,
                            "；".join(f"{m.name} {m.position} {m.department}".strip()
                                     for m in members),
                            {"keywords": "、".join(role.keywords[:4])}))
    # a consultant on the team (its firm as the member's unit) is a consultant's report too
    on_team = any(w in m.department + m.position for m in members
                  for w in team.consultant.service_words)
    if on_team or _by_consultant(report, team.consultant):
        hits += _auditor_hits(report, team, members)
    return hits


def _role(text: str, team: TeamRules) -> str | None:
    for role in ("deputy", "leader", "member"):
        if any(word in text for word in team.role_words.of(role)):
            return role
    return None


def _is_team_table(table: Table, team: TeamRules) -> bool:
    header, caption = table.header, compare_key(table.caption or "")
    if find_column(header, team.columns.name) is None:
        return False
    if find_column(header, team.columns.certificate) is not None or any(
            compare_key(c) in caption for c in team.auditor_captions):
        return False
    return (any(compare_key(c) in caption for c in team.team_captions)
            or find_column(header, team.columns.team_role) is not None
            or team.columns.role_column(header) is not None)


def _table_members(report: Report, team: TeamRules) -> tuple[list[Member], Location | None]:
    """Members of every team table (a 领导小组 table and a 工作小组 table, or one table whose
    group rows "审核领导小组" / "审核工作小组" divide it), each with its group."""
    cols = team.columns
    members: list[Member] = []
    where = None
    for n, table in enumerate(report.tables):
        if not _is_team_table(table, team):
            continue
        header = table.header
        name = find_column(header, cols.name)
        role_col = find_column(header, cols.team_role)
        if role_col is None:
            role_col = cols.role_column(header)
        role_head = [header[role_col]] if role_col is not None else []
        position = find_column(header, cols.position, exclude=cols.team_role + role_head)
        department = find_column(header, cols.department)
        group_col = find_column(header, cols.group, exclude=cols.team_role + cols.position + role_head)
        group = _group_of(table.caption or "", team)
        for row in table.rows[1:]:
            cells = row.cells + [""] * (len(header) - len(row.cells))
            filled = [c for c in cells if c.strip()]
            if len(filled) == 1 and not cells[name]:
                group = _group_of(filled[0], team) or filled[0]  # a group row
                continue
            if (named := _group_of(cells[name], team)) and _role(cells[name], team) is None \
                    and (role_col is None or _role(cells[role_col], team) is None):
                group = named  # "领导小组" in the name column across the row: a group row
                continue
            if not cells[name]:
                continue
            if group_col is not None and cells[group_col].strip():
                group = _group_of(cells[group_col], team) or cells[group_col]
            elif role_col is not None and (named := _group_of(cells[role_col], team)):
                group = named  # "领导小组组长" / "工作小组组员": the role names its group
            role = _role(cells[role_col], team) if role_col is not None else None
            members.append(Member(
                name=cells[name], position=cells[position] if position is not None else "",
                department=cells[department] if department is not None else "",
                role=role or _role(" ".join(cells), team) or "member",
                location=row.location, evidence=" | ".join(cells), group=group,
                source=f"table {n}" + ("+role" if role_col is not None else ""),
            ))
        where = where or table.location
    return members, where


def _group_of(text: str, team: TeamRules) -> str:
    """"清洁生产审核工作小组成员" → "工作小组": which group a caption or group row names."""
    return next((g for g in team.groups if g in text), "")


def _team_sections(report: Report, team: TeamRules) -> list[Paragraph]:
    """The paragraphs under the team's own headings (审核小组, 组织机构 …)."""
    words = [compare_key(w) for w in team.team_headings]
    sections = [i for i, h in enumerate(report.headings) if any(w in compare_key(h.title) for w in words)]
    return [p for i in sections for p in report.within(i)[0]]


def _team_paragraphs(report: Report, team: TeamRules) -> list[Paragraph]:
    paragraphs = _team_sections(report, team)
    # and wherever a paragraph names a group with its roles ("清洁生产审核领导小组：主任孙伟东任
    # 组长；…") — under a heading such as "领导重视与审核机构" that names no team
    seen = {p.order for p in paragraphs}
    return paragraphs + [p for p in report.paragraphs if p.order not in seen
                         and any(c in p.text for c in team.team_captions)
                         and all(w in p.text for w in team.team_paragraph_words)]


def _prose_members(report: Report, team: TeamRules) -> tuple[list[Member], Location | None]:
    suffixes = "|".join(sorted(map(re.escape, team.position_suffixes), key=len, reverse=True))
    mention = re.compile(
        # the post never spans 由: "领导小组由总经理刘振华任组长" is 总经理, of the 领导小组
        rf"(?:^|[，。；、：:]|由|和|及|与|为)(?P<pos>(?:(?!由)[\u4e00-\u9fffA-Za-z]){{0,12}}?(?:{suffixes})"
        r"(?:[（(][^（）()]{1,10}[）)])?)"  # "副主任（分管节能）李红梅", "设备主管（工程师）吴国强"
        # the department, or a consultancy's full name ("广西八桂清洁生产技术咨询有限公司": 16)
        rf"(?P<name>[\u4e00-\u9fff]{{2,3}})(?:[（(](?P<dept>[^（）()]{{2,25}})[）)]"
        r"|(?=[，、。；和及等]|任|担任|为))")
    roles = "|".join(sorted((re.escape(w) for w in team.role_words.all()),
                            key=len, reverse=True))
    assigned = re.compile(rf"(?:任|担任|为|作为)(?:{roles})")
    led_by = re.compile(rf"(?P<role>{roles})由$")
    role_first = re.compile(rf"(?P<role>{roles})[：:为是]\s*(?P<name>[\u4e00-\u9fff]{{2,3}})"
                            r"[（(](?P<pos>[^（）()]{2,20})[）)]")
    # "罗振宇（技术部经理）任副组长": the name first, the post (or department) in brackets
    name_first = re.compile(r"(?:^|[，。；、：:]|由)(?P<name>[\u4e00-\u9fff]{2,3})"
                            r"[（(](?P<pos>[^（）()]{2,20}(?:[（(][^（）()]{1,10}[）)])?)[）)]"
                            rf"(?:任|担任|为|作为)(?P<role>{roles})")
    paragraphs = _team_paragraphs(report, team)
    members: list[Member] = []
    for para in paragraphs:
        for m in mention.finditer(para.text):
            name = m.group("name")
            if name.endswith("担") and para.text.startswith("任", m.end()):
                name = name[:-1]  # "…王海担任组长": the verb is 担任, the name 王海
            if _role(name, team) or name in team.not_names or len(name) < 2:
                continue  # "由总监任组长": no name, only the post and the role; "主任办公会";
                # "总经理共同担任组长": an adverb, not a name
            rest = para.text[m.end():]
            _, cut = next(sentence_spans(rest, semicolons=True), (0, 0))
            tail = rest[:cut].rstrip("；。！？!?\n")  # the rest of the member's clause
            # "孙伟明任组长，冯建明、马丽任副组长": the first role given after the name, within
            # its clause, is the member's (a list shares the role named at its end)
            given = assigned.search(tail)
            # "组长由总经理唐国华担任": the role named before 由 is the member's
            led = led_by.search(para.text, 0, m.start() + 1) if m.group(0).startswith("由") \
                else None
            role = _role(led.group("role"), team) if led else (
                _role(given.group(0), team) if given else "member")
            members.append(Member(name, m.group("pos"), m.group("dept") or "", role,
                                  para.location, para.text[m.start():m.end() + len(tail)],
                                  group_before(para.text, m.start(), team)))
        for m in [*role_first.finditer(para.text), *name_first.finditer(para.text)]:
            post = m.group("pos")
            is_post = post.rstrip("）)").endswith(tuple(team.position_suffixes)) or "（" in post
            members.append(Member(m.group("name"), post if is_post else "",
                                  "" if is_post else post,
                                  _role(m.group("role"), team) or "member", para.location,
                                  m.group(0), group_before(para.text, m.start(), team)))
    where = paragraphs[0].location if paragraphs else None
    return members, where


def _by_consultant(report: Report, words: ConsultantWords) -> bool:
    """Whether a consultant wrote the report: the cover's preparer is not the enterprise (nor
    its audit team), else the opening paragraphs say the audit was commissioned."""
    company = next((report.cover[f] for f in words.company_fields if report.cover.get(f)), "")
    preparer = next((report.cover[f] for f in words.preparer_fields if report.cover.get(f)), "")
    if preparer:
        return not (company and company in preparer) and not any(
            w in preparer for w in words.own_preparer_words)
    return any(any(w in p.text for w in words.commission_words)
               and any(w in p.text for w in words.service_words)
               for p in report.paragraphs[:words.opening_paragraphs])


def _auditor_hits(report: Report, team: TeamRules, members: list[Member]) -> list[Hit]:
    cols = team.columns
    hits = []
    # consultants listed in the team table itself ("朱国栋 | 某环境咨询有限公司 | 清洁生产审核师")
    outside = [m for m in members if any(w in m.department + m.position
                                         for w in team.consultant.service_words + ["审核师"])
               and not _CERT_CODE.search(_unspaced(m.evidence))]
    if outside:
        hits.append(Hit("TEAM-AUDITOR-NO-CERT", "审核师证书编号", outside[0].location,
                        outside[0].evidence, {"names": "、".join(m.name for m in outside),
                                              "listed": ""}))
    for table in report.tables:
        cert = find_column(table.header, cols.certificate)
        name = find_column(table.header, cols.name)
        if name is None:
            continue
        if cert is None:
            # the consultant's own table (表2 审核咨询人员: 姓名 | 单位 | 职称) with no certificate
            # column: a row names an auditor without a number unless its text gives one
            caption = compare_key(table.caption or "")
            if not any(compare_key(c) in caption for c in team.auditor_captions):
                continue
            missing = [r for r in table.rows[1:] if len(r.cells) > name and r.cells[name]
                       and not _CERT_CODE.search(_unspaced(" ".join(r.cells)))]
        else:
            missing = [r for r in table.rows[1:] if len(r.cells) > name and r.cells[name]
                       and (len(r.cells) <= cert or not r.cells[cert].strip(" -—"))]
        if missing:
            hits.append(Hit("TEAM-AUDITOR-NO-CERT", "审核师证书编号", missing[0].location,
                            " | ".join(missing[0].cells),
                            {"names": "、".join(r.cells[name] for r in missing),
                             "listed": f"（见{table.caption}）" if table.caption else ""}))
    titles = "|".join(map(re.escape, team.auditor_titles))
    # "罗志刚（高级工程师…", or the title first: "清洁生产审核师孙志刚（某咨询有限公司）任技术顾问"
    auditor = re.compile(rf"([\u4e00-\u9fff]{{2,3}})[（(，,]\s*(?:{titles})"
                         r"|审核师([\u4e00-\u9fff]{2,3})[（(]")
    for para in _team_paragraphs(report, team):
        if not any(w in para.text for w in team.auditor_paragraph_words):
            continue
        names = [a or b for a, b in auditor.findall(para.text)]
        if len(names) > len(_CERT_CODE.findall(_unspaced(para.text))):
            hits.append(Hit("TEAM-AUDITOR-NO-CERT", "审核师证书编号", para.location, para.text,
                            {"names": "、".join(names), "listed": ""}))
    return hits
