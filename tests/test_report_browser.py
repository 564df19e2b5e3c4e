"""The HTML report in a real browser (Debian's headless Chromium): highlighted evidence has
the highlight colours on screen, and an article's <script> never runs.

.ci/run installs chromium; without it this test fails rather than skips, so CI cannot pass
without having looked at the page.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

from PIL import Image

from summarizer.articles import article_from_text
from summarizer.briefing import build_briefing
from summarizer.report import render_html
from tests.test_briefing import bridge_summary, record

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--force-device-scale-factor=1", "--hide-scrollbars", "--window-size=1000,1400"]
OK_RGB, BAD_RGB = (0xFF, 0xF1, 0x76), (0xFF, 0x52, 0x52)  # mark.ok / mark.bad in report.CSS
# Test harness (not article content): writes the first marks' boxes into the title.
# Runs inline at the end of the body: getBoundingClientRect forces layout, no load race.
HARNESS = """<script>
const box = s => { const r = document.querySelector(s).getBoundingClientRect();
                   return [r.left, r.top, r.right, r.bottom].map(Math.round).join(','); };
document.title = 'ok=' + box('mark.ok') + ';bad=' + box('mark.bad');
</script></body>"""


def chromium(tmp: Path, *args: str) -> str:
    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: install Debian's chromium"
    proc = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def dominant(img: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int, int]:
    left, top, right, bottom = box
    pixels = [img.getpixel((x, y))[:3] for x in range(left + 1, right - 1) for y in range(top + 2, bottom - 2)]
    return Counter(pixels).most_common(1)[0][0]


def test_report_in_chromium(tmp_path: Path) -> None:
    evil = article_from_text(
        "Harbour news\n\nThe bridge opened on Monday.\n"
        "<script>document.documentElement.setAttribute('data-pwned', 'yes')</script>\n"
        "A ferry sank on Friday, officials said.", id="evil", source="test")
    r = record(evil, bridge_summary(bad_evidence="Harbour news"))
    html = render_html(build_briefing([r]), [r]).replace("</body>", HARNESS)
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    dom = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert 'data-pwned="yes"' not in dom, "the article's script ran"
    assert "&lt;script&gt;" in dom
    title = dom.split("<title>")[1].split("</title>")[0]
    assert title.startswith("ok="), f"harness did not run: {title!r}"
    boxes = dict(part.split("=") for part in title.split(";"))
    ok_box = tuple(int(float(v)) for v in boxes["ok"].split(","))
    bad_box = tuple(int(float(v)) for v in boxes["bad"].split(","))
    shot = tmp_path / "shot.png"
    chromium(tmp_path, f"--screenshot={shot}", page.as_uri())
    img = Image.open(shot).convert("RGB")
    assert dominant(img, ok_box) == OK_RGB
    assert dominant(img, bad_box) == BAD_RGB
