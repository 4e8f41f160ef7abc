"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by Playwright
(never `playwright install`), desktop and phone contexts, screenshots under test-artifacts/."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SKIP_REASON = ("/usr/bin/chromium is missing: apt-get install -y chromium chromium-driver "
               "(scripts/install.sh --test)")
DESKTOP = {"viewport": {"width": 1440, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)


def shot(page, name: str, *, full_page: bool = True) -> None:
    """full_page=False: what the screen shows (a phone's view, a bottom sheet in place)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=full_page)
