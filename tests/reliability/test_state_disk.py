"""A full disk: a corpus change gets a bilingual 507 ("磁盘空间不足 / no space left on device"),
changes nothing and leaves no partial .building-* generation behind; once space is freed the
same upload works. The data dir lives on a small tmpfs, which only root can mount."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from fastapi.testclient import TestClient
from support.state_check import NOTICE, NOTICE_META, check_consistent, files_of, settings_of, small_corpus

from api.app import create_app
from assistant.index import build_index

FREE_BYTES = 64 * 1024  # room for the journal and the upload, not for a new index generation


@pytest.fixture
def small_disk(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs for the full-disk case needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(directory, leave: int) -> os.PathLike:
    filler = directory / "filler"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    os.truncate(filler, max(filler.stat().st_size - leave, 0))
    return filler


def test_full_disk_is_a_clear_error_and_changes_nothing(tmp_path, small_disk):
    template = small_corpus(tmp_path / "template")
    build_index(template)
    shutil.copytree(template.corpus_dir, small_disk / "corpus")
    shutil.copytree(template.data_dir, small_disk / "data")
    settings = settings_of(small_disk)
    bundled = files_of(settings.corpus_dir)
    form = {"title": NOTICE_META.title, "id": NOTICE_META.id}
    with TestClient(create_app(settings)) as client:
        filler = fill(small_disk, FREE_BYTES)
        before = files_of(settings.data_dir)
        response = client.post("/v1/documents", data=form,
                               files={"file": ("notice.txt", NOTICE.encode())})
        assert response.status_code == 507, response.text
        error = response.json()["error"]
        assert error["code"] == "disk_full" and "磁盘空间不足" in error["message_zh"]
        assert "No space left on device" in error["message_en"], error
        after = files_of(settings.data_dir)
        assert after == before, sorted(set(after) ^ set(before))
        assert not list((settings.data_dir / "index").glob(".building-*"))
        assert client.post("/v1/ask", json={"question": "清洁生产审核"}).status_code == 200

        filler.unlink()  # space freed: the same upload goes through
        response = client.post("/v1/documents", data=form,
                               files={"file": ("notice.txt", NOTICE.encode())})
        assert response.status_code == 201, response.text
    check_consistent(settings, bundled)
