"""Screenshots of the built docs' main pages in a headless browser, to check the layout at a given width (nothing
clipped, no table running out of the page).

Usage: python tools/screenshots.py [--html docs/_build/html] [--out docs/_build/screenshots] [--width 1280]
                                   [--height 3000] [--browser chromium] [PAGE ...]

Build the docs first (``make docs``). Needs Chromium or Chrome (Debian: ``apt-get install chromium``); it runs with
no sandbox, GPU or network. Each page becomes ``<out>/<page>.png``, ``--height`` pixels of it from the top.
"""

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["index", "quickstart", "strict", "mutation-and-views", "errors", "performance", "compliance", "api/core"]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", default=PAGES)
    parser.add_argument("--html", default=str(ROOT / "docs" / "_build" / "html"))
    parser.add_argument("--out", default=str(ROOT / "docs" / "_build" / "screenshots"))
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=3000)
    parser.add_argument("--browser", default=None, help="default: the first of chromium, chromium-browser, "
                                                          "google-chrome found on PATH")
    args = parser.parse_args(argv)
    browser = args.browser or next((b for b in ("chromium", "chromium-browser", "google-chrome")
                                    if shutil.which(b)), None)
    if browser is None:
        sys.exit("no Chromium or Chrome found: apt-get install chromium (or pass --browser)")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for page in args.pages:
        html = Path(args.html) / f"{page}.html"
        if not html.exists():
            sys.exit(f"{html} does not exist: build the docs first (make docs)")
        png = out / f"{page.replace('/', '-')}.png"
        subprocess.run([browser, *FLAGS, f"--window-size={args.width},{args.height}", f"--screenshot={png}",
                        html.resolve().as_uri()], check=True, capture_output=True, timeout=120)
        print(f"wrote {png}")


if __name__ == "__main__":
    main()
