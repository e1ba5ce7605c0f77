"""The screenshot of the query page in the docs (docs/query-page.png), taken from a real server.

    python docs/screenshot_query_page.py [OUT.png]

starts `tttt-kg serve` on a free loopback port (tests/served.py), opens `/` in Debian's headless
Chromium (tttt_kg.viz.browser), opens the named query "The mandate on a given day", runs it with
Ctrl+Enter and saves the page. tests/test_query_page_browser.py runs ``shoot`` on its own server,
so the script the docs' picture comes from is the one the tests run.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TAB = "q-mandate-at"


def shoot(browser, base_url: str, out: Path, lang: str = "en") -> Path:
    """Open the page, run the named query's tab, and save a PNG of the page to ``out``."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = context.new_page()
        page.goto(f"{base_url}/?lang={lang}")
        page.wait_for_selector("html.yasgui-ready", timeout=30000)
        page.click(f".tabsList a[aria-controls='{TAB}']")
        page.click(f"#{TAB} .CodeMirror")
        page.keyboard.press("Control+Enter")
        page.wait_for_selector(f"#{TAB} .yasr table.dataTable tbody td", timeout=30000)
        page.wait_for_timeout(300)   # let the table settle its column widths
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        return out
    finally:
        context.close()


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(HERE.parent / "tests"))
    from served import running_server

    from tttt_kg.viz.browser import Chromium
    out = Path(argv[0]) if argv else HERE / "query-page.png"
    with running_server() as (base, _):
        chromium = Chromium()
        try:
            shoot(chromium.start(), base, out)
        finally:
            chromium.stop()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
