"""The HTML report in a real browser (Debian's headless Chromium): highlighted evidence has
the highlight colours on screen, and an article's <script> never runs.

Without Chromium, the test installs Debian's ``chromium`` when it runs as root with apt-get
(so the README's test command passes on a fresh machine); otherwise it skips with the
install command, except in CI (``CI`` set), where it fails: CI cannot pass without having
looked at the page.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

from summarizer.core.briefing import build_briefing
from summarizer.core.records import SummaryRecord
from summarizer.files.articles import article_from_text
from summarizer.files.schema_loader import load_schema
from summarizer.views.html import render_html
from tests.conftest import ROOT
from tests.test_briefing import bridge_summary, record, record_of


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def install_chromium() -> str | None:
    """Debian's chromium through apt-get, when this process may (root, apt-get present)."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        if subprocess.run(cmd, env=env, capture_output=True, timeout=1200).returncode != 0:
            return None
    return find_chromium()


@pytest.fixture(scope="module")
def chromium_path() -> str:
    found = find_chromium() or install_chromium()
    if found:
        return found
    message = (
        "Chromium is not installed and could not be installed here (needs root and apt-get): apt-get install chromium"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--force-device-scale-factor=1",
    "--hide-scrollbars",
    "--window-size=1000,1400",
]
# mark.ok / mark.bad / mark.unsure in the report's CSS
OK_RGB, BAD_RGB, UNSURE_RGB = (0xFF, 0xF1, 0x76), (0xFF, 0x52, 0x52), (0xFF, 0xB7, 0x4D)
# Test harness (not article content): writes the first marks' boxes into the title.
# Runs inline at the end of the body: getBoundingClientRect forces layout, no load race.
HARNESS = """<script>
const box = s => { const m = document.querySelector(s); if (!m) return '0,0,0,0';
                   const r = m.getBoundingClientRect();
                   return [r.left, r.top, r.right, r.bottom].map(Math.round).join(','); };
document.title = 'ok=' + box('mark.ok') + ';bad=' + box('mark.bad') + ';unsure=' + box('mark.unsure');
</script></body>"""


def chromium(binary: str, tmp: Path, *args: str) -> str:
    proc = subprocess.run(
        [binary, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def dominant(img: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int, int]:
    left, top, right, bottom = box
    pixels = [img.getpixel((x, y))[:3] for x in range(left + 1, right - 1) for y in range(top + 2, bottom - 2)]
    return Counter(pixels).most_common(1)[0][0]


def earnings_record() -> SummaryRecord:
    """An EarningsReport (examples/schemas) with a right figure, a figure whose 'counts' the
    words cannot settle (an amber span on the number: uncertain without a judge), a quote
    that is not as the article words it (a red span on the near miss) and an unchecked field."""
    cls = load_schema(f"{ROOT}/examples/schemas/earnings.py:EarningsReport")
    text = (ROOT / "examples/schemas/earnings-report.txt").read_text(encoding="utf-8")
    article = article_from_text(text, id="earnings", source="examples/schemas/earnings-report.txt")
    revenue = next(s for s in text.split(". ") if "611 million" in s)
    summary = cls.model_validate(
        {
            "company": "Tidewater Grain Holdings",
            "headline": "Tidewater Grain lifts quarterly profit",
            "period": "the third quarter",
            "results": [
                {"value": "611 million", "unit": "dollars", "counts": "revenue", "evidence": [revenue]},
                {"value": "1.9 million", "unit": "tonnes", "counts": "new barges leased", "evidence": []},
            ],
            "guidance": [],
            "executives": [],
            "quotes": [{"speaker": "Helena Strand", "text": "exceeded every estimate we made in the autumn"}],
            "sector": "agriculture",
        }
    )
    return record_of(article, summary)


def shot_boxes(binary: str, tmp: Path, html: str) -> tuple[str, Image.Image, dict[str, tuple[int, ...]]]:
    page = tmp / "report.html"
    page.write_text(html.replace("</body>", HARNESS), encoding="utf-8")
    dom = chromium(binary, tmp, "--dump-dom", page.as_uri())
    title = dom.split("<title>")[1].split("</title>")[0]
    assert title.startswith("ok="), f"harness did not run: {title!r}"
    boxes = {
        k: tuple(int(float(v)) for v in box.split(",")) for k, box in (part.split("=") for part in title.split(";"))
    }
    shot = tmp / "shot.png"
    chromium(binary, tmp, f"--screenshot={shot}", page.as_uri())
    return dom, Image.open(shot).convert("RGB"), boxes


def test_report_in_chromium(tmp_path: Path, chromium_path: str) -> None:
    evil = article_from_text(
        "Harbour news\n\nThe bridge opened on Monday.\n"
        "<script>document.documentElement.setAttribute('data-pwned', 'yes')</script>\n"
        "A ferry sank on Friday, officials said.",
        id="evil",
        source="test",
    )
    r = record(evil, bridge_summary(bad_evidence="Harbour news"))
    dom, img, boxes = shot_boxes(chromium_path, tmp_path, render_html(build_briefing([r]), [r]))
    assert 'data-pwned="yes"' not in dom, "the article's script ran"
    assert "&lt;script&gt;" in dom
    assert dominant(img, boxes["ok"]) == OK_RGB
    # "A tunnel closed on Friday.": its words are not in the article, but no name or number
    # is missing, so without a judge it is uncertain (amber), not unsupported.
    assert dominant(img, boxes["unsure"]) == UNSURE_RGB
    assert boxes["bad"] == (0, 0, 0, 0)


def test_report_of_an_example_schema_in_chromium(tmp_path: Path, chromium_path: str) -> None:
    r = earnings_record()
    dom, img, boxes = shot_boxes(chromium_path, tmp_path, render_html(build_briefing([r]), [r]))
    assert dominant(img, boxes["ok"]) == OK_RGB  # the revenue figure and what it counts
    assert dominant(img, boxes["unsure"]) == UNSURE_RGB  # 1.9 million is not a count of barges
    assert dominant(img, boxes["bad"]) == BAD_RGB  # the article says "in the spring"
    assert 'class="unchecked"><code>sector</code> agriculture' in dom
    assert "EarningsReport" in dom
