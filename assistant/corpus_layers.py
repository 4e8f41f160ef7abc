"""The corpus a user sees: the bundled corpus (CPAUDIT_CORPUS_DIR) with the user's own layer
from the data directory on top.

The bundled corpus is the product's data and is never written at run time (a `git status`
stays clean). What a user changes lives in `<data dir>/corpus/`:

    manifest.yaml   the user's documents (same entry format as corpus/manifest.yaml) and
                    `removed:`, the ids of documents the user deleted
    docs/           the uploaded files, named after the document id
    journal.json    the corpus change in progress, if any (assistant.journal)

Deleting a bundled document hides it: its id goes into `removed:` and the listing, the index
and every answer leave it out, while corpus/ keeps the file (delete the id from `removed:` and
run `cpaudit index` to bring it back). An upload may reuse the id of a deleted document; a user
document whose id the bundled corpus also has (after an update of corpus/) replaces it.
Ids of deleted user documents stay in `removed:` too, so that a repeated DELETE (a client's
retry after a crash) is told "already removed" rather than 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from assistant.corpus import MANIFEST, load_manifest
from assistant.datafile import parse_yaml
from assistant.durable import write_durably
from assistant.errors import CorpusError
from assistant.models import DocumentMeta
from assistant.settings import Settings

HEADER = ("# cpaudit: the user's layer over the bundled corpus (written by cpaudit; see\n"
          "# assistant/corpus_layers.py). documents: uploaded documents; removed: deleted ids.\n")


@dataclass(frozen=True)
class UserLayer:
    documents: list[DocumentMeta] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CorpusView:
    bundled_dir: Path
    user_dir: Path
    bundled: list[DocumentMeta]
    layer: UserLayer

    @property
    def documents(self) -> list[DocumentMeta]:
        """Bundled documents not removed or replaced, then the user's, in upload order."""
        hidden = set(self.layer.removed) | {d.id for d in self.layer.documents}
        return [d for d in self.bundled if d.id not in hidden] + list(self.layer.documents)

    def find(self, doc_id: str) -> DocumentMeta | None:
        return next((d for d in self.documents if d.id == doc_id), None)

    def is_user(self, doc_id: str) -> bool:
        return any(d.id == doc_id for d in self.layer.documents)

    def path(self, doc: DocumentMeta) -> Path:
        """Where a document's file is: in the user's layer or in the bundled corpus."""
        return (self.user_dir if self.is_user(doc.id) else self.bundled_dir) / doc.file

    def with_document(self, doc: DocumentMeta) -> CorpusView:
        others = [d for d in self.layer.documents if d.id != doc.id]
        removed = [i for i in self.layer.removed if i != doc.id]
        return replace(self, layer=UserLayer([*others, doc], removed))

    def without(self, doc_id: str) -> CorpusView:
        others = [d for d in self.layer.documents if d.id != doc_id]
        removed = [*[i for i in self.layer.removed if i != doc_id], doc_id]
        return replace(self, layer=UserLayer(others, removed))


def user_dir(settings: Settings) -> Path:
    return settings.data_dir / "corpus"


def load_view(settings: Settings) -> CorpusView:
    return CorpusView(settings.corpus_dir, user_dir(settings),
                      load_manifest(settings.corpus_dir), load_layer(settings))


def load_layer(settings: Settings) -> UserLayer:
    root = user_dir(settings)
    path = root / MANIFEST
    if not path.is_file():
        return UserLayer()
    documents = load_manifest(root)  # the same checks as the bundled manifest
    raw = parse_yaml(path.read_text("utf-8"), source=path) or {}
    removed = raw.get("removed") or []
    if not isinstance(removed, list) or not all(isinstance(i, str) for i in removed):
        raise CorpusError(f"用户文件清单的 removed 应为文档编号列表：{path}",
                          f"`removed:` must be a list of document ids: {path}",
                          hint_zh=f"请修改 {path}。", hint_en=f"Fix {path}.")
    return UserLayer(documents, removed)


def save_layer(settings: Settings, layer: UserLayer) -> None:
    """Rewrite the user's manifest atomically and durably."""
    import yaml

    body = yaml.safe_dump(
        {"documents": [d.model_dump(exclude_none=True) for d in layer.documents],
         "removed": list(layer.removed)},
        allow_unicode=True, sort_keys=False, width=100,
    )
    write_durably(user_dir(settings) / MANIFEST, (HEADER + "\n" + body).encode("utf-8"))
