"""Regenerate the README's screenshots in docs/_static/ from a fresh build of the edition.

Usage: ``python scripts/screenshots.py`` (needs Playwright and Debian's chromium, as the browser tests).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from edition.serve import CHROMIUM, CHROMIUM_ARGS, serving

REPO = Path(__file__).resolve().parent.parent
STATIC = REPO / "docs" / "_static"
TEXT = "texts/stalin-general-secretary.html"


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        subprocess.run([sys.executable, "-m", "edition.cli", "build", str(REPO), "-q", "--strict", "-o", str(site)],
                       check=True)
        with serving(site) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 860}, device_scale_factor=1)
            page.emulate_media(color_scheme="light")

            page.goto(url + "index.html")
            page.screenshot(path=str(STATIC / "screenshot-home.png"))

            page.goto(url + TEXT)
            marker = page.locator("a.tei-noteref").nth(2)
            marker.scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, -260)")
            marker.click()
            page.screenshot(path=str(STATIC / "screenshot-text.png"))

            page.goto(url + "persons/kamenev.html")
            page.screenshot(path=str(STATIC / "screenshot-person.png"))

            phone = browser.new_page(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True)
            phone.goto(url + "persons/index.html")
            phone.get_by_label("Filter by name").fill("kam")
            phone.screenshot(path=str(STATIC / "screenshot-phone-index.png"))
            browser.close()
    for name in ("home", "text", "person", "phone-index"):
        print(f"wrote {STATIC / f'screenshot-{name}.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
