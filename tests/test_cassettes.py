"""Cassettes hold no credentials and no article, and they are all used."""

from __future__ import annotations

import re

import pytest

from tests.cassette_tools import scrub_request
from tests.conftest import EXAMPLES, ROOT, SEEDS

CASSETTES = sorted((ROOT / "cassettes").rglob("*.yaml"))
CREDENTIAL = re.compile(r"(?i)authorization:|api[-_]key:|bearer\s+[a-z0-9]|sk-[a-z0-9]{8}|openai-organization:")


def test_there_are_cassettes() -> None:
    assert CASSETTES, "no cassettes found: record them (see tests/conftest.py)"


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: p.stem)
def test_no_credentials(path) -> None:
    assert not CREDENTIAL.search(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: p.stem)
def test_no_whole_article(path) -> None:
    text = path.read_text(encoding="utf-8")
    for article in [*SEEDS, *EXAMPLES]:
        body = article.read_text(encoding="utf-8")
        paragraphs = [p for p in body.split("\n") if len(p) > 200]
        assert body not in text
        leaked = [p[:60] for p in paragraphs if p in text]
        assert len(leaked) < max(2, len(paragraphs) // 2), f"{path} copies {article.name}: {leaked}"


def test_scrubbing_replaces_the_article_by_its_hash_and_keeps_articles_apart() -> None:
    class Req:
        def __init__(self, text: str) -> None:
            self.body = (
                '{"messages": [{"role": "user", "content": "<article>\\n' + text + '\\n</article>"}]}'
            ).encode()
            self.headers = {"User-Agent": "x", "Content-Type": "application/json"}

    a, b = scrub_request(Req("first article")), scrub_request(Req("second article"))
    assert b"first article" not in a.body and b"sha256:" in a.body
    assert a.body != b.body and "User-Agent" not in a.headers
    assert scrub_request(a).body == a.body  # idempotent: matching scrubs again


def test_every_cassette_belongs_to_a_test() -> None:
    tests = {p.stem: p.read_text() for p in (ROOT / "tests").glob("test_*.py")}
    for path in CASSETTES:
        module = path.parent.name
        name = path.stem.split("[")[0]
        assert module in tests and f"def {name}(" in tests[module], f"orphan cassette {path}"
