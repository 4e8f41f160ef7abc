"""Data files (YAML or TOML) read into pydantic models at load.

A broken file is an error naming the file, the key path and its line (`第 12 行
required_roles[3].keywordz：未知的键` / `line 12, required_roles[3].keywordz: unknown key`),
never a value from the file: the caller turns (Chinese, English) details into its own
bilingual error. Lines come from YAML's node tree (composed only when something is wrong);
for TOML the line of the nearest key found in the text is given.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    import yaml

from assistant.errors import DataFileError

M = TypeVar("M", bound=BaseModel)
# (Chinese detail, English detail) → the exception to raise; it names the file itself
Broken = Callable[[str, str], Exception]
Loc = tuple[str | int, ...]

_PROBLEMS = 5


def parse_yaml(text: str, source: Path | None = None):
    """yaml.safe_load, through libyaml when PyYAML was built with it (the same objects as
    PyYAML's Python loader on every YAML file of the repository, about eight times faster).

    The data files are read on every start: with `source`, the parsed value is also kept
    under the text's hash (assistant.derived: by the install, else in the cache directory)
    and read back from there — without importing PyYAML — the next time the same text is
    parsed. Only a value JSON gives
    back unchanged is kept (dates are tagged; numeric keys or timestamps are not kept)."""
    if source is None:
        return _safe_load(text)
    from assistant.derived import kept_paths, write_atomically

    name = hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:12]
    where = kept_paths(f"yaml{name}-{hashlib.sha256(text.encode()).hexdigest()[:32]}.json")
    for path in where:  # the install's copy, then the cache directory's
        try:
            return json.loads(path.read_bytes(), object_hook=_from_json)
        except (OSError, ValueError):
            continue
    path = where[-1]
    value = _safe_load(text)
    try:
        data = json.dumps(value, ensure_ascii=False, default=_to_json)
        if json.loads(data, object_hook=_from_json) == value:
            write_atomically(path, [data.encode("utf-8")])
    except (TypeError, ValueError, OSError):
        pass  # not JSON (a timestamp), or the cache directory is read-only: parsed each time
    return value


def _to_json(value: object) -> object:
    if type(value) is datetime.date:  # a manifest's `date: 2012-02-29`
        return {"$date": value.isoformat()}
    raise TypeError(type(value).__name__)


def _from_json(obj: dict) -> object:
    if len(obj) == 1 and isinstance(obj.get("$date"), str):
        return datetime.date.fromisoformat(obj["$date"])
    return obj


def _safe_load(text: str):
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506


def is_syntax_error(exc: BaseException) -> bool:
    """A YAML or TOML syntax error (the modules are imported only when a file is parsed)."""
    yaml, tomllib = sys.modules.get("yaml"), sys.modules.get("tomllib")
    return bool((yaml and isinstance(exc, yaml.YAMLError))
                or (tomllib and isinstance(exc, tomllib.TOMLDecodeError)))


def read_mapping(path: Path, broken: Broken) -> tuple[dict, str]:
    """The file as a mapping, and its text (for line numbers later)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise broken("无法以 UTF-8 读取", "it cannot be read as UTF-8") from exc
    try:
        if path.suffix == ".toml":
            import tomllib

            data = tomllib.loads(text)
        else:
            data = parse_yaml(text, source=path)
    except Exception as exc:
        if not is_syntax_error(exc):
            raise
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
        import yaml

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
    import yaml

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
