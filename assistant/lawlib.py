"""The national law library as a corpus: a LawRefBook-style tree indexed without a manifest.

LawRefBook/Laws keeps one Markdown file per law, sorted into folders by kind:

    民法典/物权编.md                                   national law (宪法, 刑法, 民法商法, …)
    行政法规/个体工商户条例(2016-02-06).md               administrative regulation
    司法解释/最高人民法院关于….md                       judicial interpretation
    部门规章/公安部/….md                                departmental rule (issuer: the folder)
    DLC/北京地方法规/地方性法规/北京/….md               local regulation (region: the province)
    案例/…, 其他/…                                      cases and other material

Each file opens with `# title` (and for a split law such as the 民法典, `# 物权编`). The title
comes from that first heading, the kind from the folder, the date from "(YYYY-MM-DD)" in the
file name, the region from the DLC folder. Ids are derived from the path, so they stay stable
when the library grows.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from assistant.lazy_pattern import LazyPattern
from assistant.models import DocKind, DocumentMeta

NATIONAL = "全国"
_SKIP_NAMES = {"_index.md", "README.md", "法律法规模版.md"}
_LAW_FOLDERS = {"宪法", "宪法相关法", "民法典", "民法商法", "行政法", "经济法", "社会法", "刑法",
                "诉讼与非诉讼程序法"}
_KIND_FOLDERS: dict[str, DocKind] = {
    **dict.fromkeys(_LAW_FOLDERS, "law"), "行政法规": "administrative_regulation",
    "司法解释": "judicial_interpretation", "部门规章": "departmental_rule",
    "DLC": "local_regulation", "案例": "case", "其他": "other",
}
_MUNICIPALITIES = {"北京", "上海", "天津", "重庆"}
_AUTONOMOUS = {"内蒙古", "广西", "西藏", "宁夏", "新疆"}
_DATE = LazyPattern(r"\((\d{4}-\d{2}-\d{2})\)\s*$")
_YEAR = LazyPattern(r"（(\d{4})年）\s*$")
_TRAILER = LazyPattern(r"\s*(\(\d{4}-\d{2}-\d{2}\))\s*$")
_INFO_END = "<!-- INFO END -->"
_NATION = "中华人民共和国"
ID_PREFIX = "law-"  # every document of a law library, and no manifest document, has it


def from_law_library(meta: DocumentMeta) -> bool:
    """Was the document read from a law library (not from a corpus manifest)?"""
    return meta.id.startswith(ID_PREFIX)


def is_law_library(root: Path) -> bool:
    """A LawRefBook-style tree: at least two of its kind folders under `root`."""
    return root.is_dir() and sum((root / name).is_dir() for name in _KIND_FOLDERS) >= 2


def scan_library(root: Path) -> list[DocumentMeta]:
    """One DocumentMeta per law file under `root`, in path order."""
    documents = []
    for path in sorted(root.rglob("*.md")):
        rel = path.relative_to(root)
        if path.name in _SKIP_NAMES or any(p.startswith(".") for p in rel.parts):
            continue
        kind = _KIND_FOLDERS.get(rel.parts[0]) if len(rel.parts) > 1 else None
        if kind is None:
            continue
        title, subtitle = headings(path)
        title = title or _TRAILER.sub("", path.stem)
        short = title.removeprefix(_NATION) or title
        documents.append(DocumentMeta(
            id=ID_PREFIX + hashlib.sha1(rel.as_posix().encode()).hexdigest()[:12],
            title=title, short_title=short, aliases=[short + subtitle] if subtitle else [],
            issuer=rel.parts[1] if kind == "departmental_rule" and len(rel.parts) > 2 else "未注明",
            region=_region(rel) if kind == "local_regulation" else NATIONAL,
            date=_date(path.stem), kind=kind, file=rel.as_posix(),
        ))
    return documents


def headings(path: Path) -> tuple[str | None, str | None]:
    """The title (first `# ` heading) and, when a second one precedes the first date line, the
    part of a split law it is (民法典 › 物权编)."""
    found: list[str] = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for n, line in enumerate(handle):
            if line.startswith(_INFO_END) or n > 40 or len(found) == 2:
                break
            if line.startswith("# "):
                found.append(line[2:].strip())
            elif found and line.strip():
                break  # the first date line: no subtitle after it
    return (found[0] if found else None), (found[1] if len(found) > 1 else None)


def _date(stem: str) -> str | None:
    m = _DATE.search(stem) or _YEAR.search(stem)
    return m.group(1) if m else None


def _region(rel: Path) -> str:
    """DLC/北京地方法规/地方性法规/北京/… → 北京市; …/浙江/… → 浙江省."""
    province = rel.parts[3] if len(rel.parts) > 4 else rel.parts[1].removesuffix("地方法规")
    if province in _MUNICIPALITIES:
        return province + "市"
    return province if province in _AUTONOMOUS or province.endswith(("省", "区")) \
        else province + "省"


def unpack(archive: Path, target: Path) -> Path:
    """Unpack a LawRefBook archive into `target` once; the tree is reused afterwards."""
    if is_law_library(target):
        return target
    target.mkdir(parents=True, exist_ok=True)
    import tarfile  # only to unpack a library archive: not on the answering path

    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target
