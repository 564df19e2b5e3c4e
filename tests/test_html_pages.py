"""Web pages as they come: the story wherever it sits, never the consent banner or the menu.

Pages are built here from invented sentences, in several shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.core.errors import InputError
from summarizer.files.html import extract_article, is_boilerplate
from tests.scripted import scripted
from tests.test_answers_as_they_come import cli, files  # noqa: F401 - the fixture

STORY = [
    "The river authority in Port Malden approved a new flood barrier on Tuesday after three years of debate.",
    "Engineers said the barrier would cost 48 million dollars and protect about 12,000 homes on the eastern bank.",
    "Mayor Ilse Varga called the vote a turning point for the town and promised work would begin in spring.",
    "Residents who opposed the plan argued that the money should have gone to moving houses away from the water.",
    "The authority said construction would take two years and that the old levee would stay in place until then.",
    "A public meeting on the detailed design is planned for next month at the town hall.",
]
BANNER = (
    '<div id="consent-banner" class="cmp-container"><h2>Your privacy choices</h2><p>We value your privacy. '
    "We and our partners use cookies and similar technologies to store and access information on your device. "
    "By clicking Accept all you consent to our use of cookies. You can manage your preferences or reject "
    "non-essential cookies at any time. Read our privacy policy and cookie policy for more information about "
    "how we process personal data.</p><button>Accept all</button><button>Reject all</button></div>"
)
NAV = (
    "<nav><ul>" + "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in ("Home", "News", "Sport")) + "</ul></nav>"
)
PARAS = "".join(f"<p>{s}</p>" for s in STORY)


def page(body: str) -> str:
    return f"<html><head><title>Flood barrier approved</title></head><body>{body}</body></html>"


SHAPES = {
    "story in an aside, banner first": page(
        f'{BANNER}{NAV}<aside class="story">{PARAS}</aside><footer>All rights reserved</footer>'
    ),
    "story in an article, banner last": page(f"{NAV}<article><h1>Flood barrier approved</h1>{PARAS}</article>{BANNER}"),
    "story in divs, sign-in lines inside": page(
        f'{NAV}<div class="main"><p>Sign in</p><p>Skip to content</p>{PARAS}'
        "<p>Subscribe to our newsletter for more news</p></div>"
    ),
    "banner in a dialog, story in a section": page(f'<div role="dialog">{BANNER}</div><section>{PARAS}</section>'),
}


@pytest.mark.parametrize("html", SHAPES.values(), ids=SHAPES.keys())
def test_the_story_is_found_and_no_boilerplate_becomes_article_text(html: str) -> None:
    got = extract_article(html, "page.html")
    for sentence in STORY:
        assert sentence in got.text
    lowered = got.text.lower()
    for phrase in ("cookie", "consent", "accept all", "privacy", "sign in", "skip to content", "newsletter"):
        assert phrase not in lowered
    assert got.method.startswith(("trafilatura precision", "trafilatura recall", "page paragraphs"))


def test_a_page_that_holds_only_boilerplate_is_an_error_naming_it() -> None:
    with pytest.raises(InputError, match=r"^consent\.html: no article text found"):
        extract_article(page(f"{BANNER}{NAV}<footer>All rights reserved</footer>"), "consent.html")


def test_boilerplate_is_told_from_a_story_about_cookies() -> None:
    assert is_boilerplate("Accept all")
    assert is_boilerplate("We and our partners use cookies to store information. By clicking Accept all you agree.")
    assert not is_boilerplate("The bakery on Mill Street sold 400 cookies on its first morning, the owner said.")


def test_batch_summarises_the_story_says_which_extraction_and_fails_a_banner_page(files: Path) -> None:  # noqa: F811
    pages = files / "pages"
    pages.mkdir()
    (pages / "aside.html").write_text(SHAPES["story in an aside, banner first"])
    (pages / "plain.html").write_text(SHAPES["story in an article, banner last"])
    (pages / "banner.html").write_text(page(BANNER + NAV))
    answer = {
        "headLine": "The river authority in Port Malden approved a new flood barrier",
        "place": "Port Malden",
        "people": [],
        "evidence": [1],
    }
    with scripted([(200, json.dumps(answer))]) as srv:
        result = cli(srv.url, "batch", str(pages), "-o", str(files / "out"), "--schema", f"{files / 'note.py'}:Note")
        shown = [r["messages"][-1]["content"] for r in srv.requests]
    assert result.exit_code == 1
    assert all("cookie" not in s.lower() for s in shown)
    records = {
        json.loads(x)["article"]["id"]: json.loads(x)
        for x in (files / "out" / "summaries.jsonl").read_text().splitlines()
    }
    assert sorted(records) == ["aside", "plain"]
    assert records["aside"]["provenance"]["extraction"].startswith("trafilatura recall")
    assert records["plain"]["provenance"]["extraction"] == "trafilatura precision"
    (error,) = [json.loads(x) for x in (files / "out" / "errors.jsonl").read_text().splitlines()]
    assert error["item"] == str(pages / "banner.html") and "no article text found" in error["reason"]
