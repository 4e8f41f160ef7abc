"""What `cpaudit status` and GET /v1/status say about the index's integrity: the wire model
and how it is read from the live generation (assistant.live_index). Its own module so that
answering, which needs the live generation but never reports on it, defines no model class
for it."""

from __future__ import annotations

from typing import Literal

from assistant.live_index import live_generation
from assistant.models import Strict
from assistant.settings import Settings


class IndexHealth(Strict):
    """What `cpaudit status` and GET /v1/status say about the index's integrity."""

    state: Literal["ok", "degraded", "damaged", "missing"]
    current_generation: str | None  # the one CURRENT names
    served_generation: str | None
    problem_zh: str | None = None
    problem_en: str | None = None
    fix: str | None = None


def index_health(settings: Settings) -> IndexHealth:
    live = live_generation(settings)
    fix = None if live.state == "ok" else (
        "cpaudit index" if live.state != "degraded" else
        "cpaudit index（或重启服务 / or restart the service）")
    return IndexHealth(
        state=live.state, current_generation=live.current,
        served_generation=live.gen.name if live.gen else None,
        problem_zh=live.damage.zh if live.damage else None,
        problem_en=live.damage.en if live.damage else None, fix=fix)
