"""Data files (YAML or TOML) read into pydantic models at load.

A broken file is an error naming the file, the key path and its line (`第 12 行
required_roles[3].keywordz：未知的键` / `line 12, required_roles[3].keywordz: unknown key`),
never a value from the file: the caller turns (Chinese, English) details into its own
bilingual error. Lines come from YAML's node tree (composed only when something is wrong);
for TOML the line of the nearest key found in the text is given.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from assistant.errors import DataFileError

M = TypeVar("M", bound=BaseModel)
# (Chinese detail, English detail) → the exception to raise; it names the file itself
Broken = Callable[[str, str], Exception]
Loc = tuple[str | int, ...]

_PROBLEMS = 5
# libyaml's loader builds the same objects as PyYAML's Python one (compared on every YAML
# file of the repository) about eight times faster; the data files are read on every start.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str):
    """yaml.safe_load, through libyaml when PyYAML was built with it."""
    return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader


def read_mapping(path: Path, broken: Broken) -> tuple[dict, str]:
    """The file as a mapping, and its text (for line numbers later)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise broken("无法以 UTF-8 读取", "it cannot be read as UTF-8") from exc
    try:
        data = tomllib.loads(text) if path.suffix == ".toml" else parse_yaml(text)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        line = _error_line(exc)
        raise broken(f"语法错误（第 {line} 行）" if line else "语法错误",
                     f"syntax error at line {line}" if line else "syntax error") from exc
    if not isinstance(data, dict):
        raise broken("内容应为“键: 值”表", "it must be a mapping of keys to values")
    return data, text


def validate(model: type[M], data: object, text: str, broken: Broken, *, toml: bool = False) -> M:
    """`data` (read from `text`) as `model`; wrong keys and values are reported by path and
    line, without their values."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        zh, en = problems(exc, KeyLines(text, toml=toml))
        raise broken(f"字段有误：{zh}", f"invalid fields: {en}") from exc


def load(path: Path, model: type[M], broken: Broken | None = None) -> M:
    """The file as `model`; `broken` words the error (default: a DataFileError naming it)."""
    broken = broken or _data_file_error(path)
    data, text = read_mapping(path, broken)
    return validate(model, data, text, broken, toml=path.suffix == ".toml")


def _data_file_error(path: Path) -> Broken:
    label = "/".join(path.parts[-2:])  # "data/answering.yaml": never the server's full path

    def broken(zh: str, en: str) -> DataFileError:
        return DataFileError(f"数据文件 {label} 有误：{zh}。", f"Data file {label} is broken: {en}.",
                             hint_zh="请管理员修正该文件。", hint_en="The operator must fix it.")
    return broken


def _error_line(exc: Exception) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return mark.line + 1
    m = re.search(r"at line (\d+)", str(exc))  # TOMLDecodeError: "… (at line 3, column 5)"
    return int(m.group(1)) if m else None


class KeyLines:
    """Maps a pydantic error location to the key path as written in the file and its line."""

    def __init__(self, text: str, *, toml: bool = False) -> None:
        self.text, self.toml = text, toml
        self._root: yaml.Node | None = None
        if not toml:
            try:
                self._root = yaml.compose(text, Loader=yaml.SafeLoader)
            except yaml.YAMLError:
                self._root = None

    def locate(self, loc: Loc) -> tuple[Loc, int | None]:
        if self.toml or self._root is None:
            return loc, self._toml_line(loc)
        node, path, line = self._root, [], None
        for n, part in enumerate(loc):
            child = _child(node, part)
            if child is None:
                if n == len(loc) - 1:
                    path.append(part)  # a missing key: the line is its enclosing key's
                continue  # a union member's tag ("str", "function-after[…]"), "[key]"
            line, node = child
            path.append(part)
        return tuple(path), line

    def _toml_line(self, loc: Loc) -> int | None:
        for part in reversed([p for p in loc if isinstance(p, str)]):
            key = re.escape(part)
            pattern = re.compile(rf'^\s*(?:\[+[^\]]*\b{key}\b[^\]]*\]+|"?{key}"?\s*=)', re.M)
            if m := pattern.search(self.text):
                return self.text.count("\n", 0, m.start()) + 1
        return None


def _child(node: yaml.Node | None, part: str | int) -> tuple[int, yaml.Node] | None:
    """(line, node) of a key of a mapping node or an item of a sequence node."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return key.start_mark.line + 1, value
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        item = node.value[part]
        return item.start_mark.line + 1, item
    return None


def key_path(loc: Loc) -> str:
    """("required_roles", 3, "keywordz") → "required_roles[3].keywordz"."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top)"


_ZH = {
    "extra_forbidden": "未知的键（拼写有误？）",
    "missing": "缺少必填的键",
    "literal_error": "取值不在允许范围内",
}
_EN = {"extra_forbidden": "unknown key (a typo?)", "missing": "required key is missing"}


def problems(exc: ValidationError, lines: KeyLines | None = None) -> tuple[str, str]:
    """What is wrong where, in Chinese and in English, without the values (pydantic's own
    text would echo them)."""
    zh, en = [], []
    errors = exc.errors(include_url=False, include_input=False)
    errors.sort(key=lambda e: e["type"] != "extra_forbidden")  # typos first: they have lines
    for error in errors[:_PROBLEMS]:
        loc, line = lines.locate(error["loc"]) if lines else (error["loc"], None)
        where_zh = f"第 {line} 行 {key_path(loc)}" if line else key_path(loc)
        where_en = f"line {line}, {key_path(loc)}" if line else key_path(loc)
        kind, msg = error["type"], error["msg"]
        if kind == "value_error":
            zh_msg = "取值无效（" + msg.removeprefix("Value error, ") + "）"
        elif kind.endswith(("_type", "_parsing")):
            zh_msg = "类型或格式不对"
        else:
            zh_msg = _ZH.get(kind, "取值无效")
        if kind == "literal_error":
            zh_msg += f"（可选：{error.get('ctx', {}).get('expected', '')}）"
        zh.append(f"{where_zh}：{zh_msg}")
        en.append(f"{where_en}: {_EN.get(kind, msg)}")
    more = len(exc.errors()) - _PROBLEMS
    if more > 0:
        zh.append(f"另有 {more} 处")
        en.append(f"{more} more")
    return "；".join(zh), "; ".join(en)


def field_problems(exc: ValidationError, limit: int = _PROBLEMS) -> str:
    """Which fields are wrong and why, without their values (for data with no file lines):
    "rules.3.severity: Input should be 'error', 'warning' or 'info'"."""
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or '(top)'}: {e['msg']}"
                     for e in exc.errors(include_url=False, include_input=False)[:limit])
