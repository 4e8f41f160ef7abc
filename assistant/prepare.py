"""The install's step that derives cpaudit's prepared files once (`python -m assistant.prepare`,
run by scripts/install.sh): the compact tokenizer dictionary, OpenCC's traditional-to-simplified
table, the gazetteer's tables and the parsed YAML data files, written into
assistant.derived.installed_dir() instead of the cache directory.

Every process reads them from there (assistant.derived.kept_paths) whatever its cache
directory, so a new cache directory no longer means deriving the dictionary again (~1.8 s of a
`cpaudit eval` with nothing kept). A file the install did not derive, or derived from sources
that have changed since (another fingerprint), is derived into the cache directory as before:
nothing depends on this step having run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from assistant import derived

_ROOT = Path(__file__).resolve().parents[1]
# The YAML files read through assistant.datafile with their source: the data files and rule
# packs of the packages, and the bundled corpus's manifest (never eval/'s sets).
_YAML_DIRS = ("assistant", "checkers", "corpus")


def prepare(target: Path | None = None) -> list[Path]:
    """Derive every prepared file into `target` (default: the install's directory); the
    files it holds afterwards. Files of other fingerprints beyond the newest few are removed
    as in the cache directory (assistant.derived.write_atomically)."""
    from assistant import datafile, places, textfold, tokenize

    target = target or derived.installed_dir()
    target.mkdir(parents=True, exist_ok=True)
    with derived.deriving_into(target):
        if not tokenize.prepare():
            raise RuntimeError("the compact tokenizer dictionary could not be derived "
                               "(jieba's dict.txt missing, or a user word without frequency)")
        textfold.prepare()
        places.prepare()
        for folder in _YAML_DIRS:
            for path in sorted((_ROOT / folder).rglob("*.yaml")):
                datafile.parse_yaml(path.read_text("utf-8"), source=path)
    return sorted(p for p in target.iterdir() if p.is_file())


def main() -> int:
    files = prepare()
    size = sum(p.stat().st_size for p in files) / 1e6
    print(f"{len(files)} prepared files ({size:.1f} MB) in {derived.installed_dir()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
