"""Reading articles: titles, ids, hashes, stdin, and every unusable input named with its reason."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from summarizer.core.errors import InputError
from summarizer.files.articles import load_article
from tests.conftest import EXAMPLES, SEEDS


def test_example_title_and_identity() -> None:
    a = load_article(str(EXAMPLES[0]))
    raw = EXAMPLES[0].read_text(encoding="utf-8")
    assert a.id == EXAMPLES[0].stem and a.source == str(EXAMPLES[0])
    assert a.title == raw.splitlines()[0] and a.text == raw
    assert a.sha256 == hashlib.sha256(raw.encode()).hexdigest()


def test_a_caption_paragraph_is_not_taken_for_a_title() -> None:
    assert load_article(str(SEEDS[0])).title is None


def test_stdin_and_crlf() -> None:
    a = load_article("-", stdin=io.BytesIO(b"Title here\r\n\r\nBody text.\r\n"))
    assert a.id.startswith("stdin-") and a.source == "-" and a.text == "Title here\n\nBody text.\n"
    assert a.title == "Title here"


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("empty.txt", b" \n\t", "the file is empty"),
        ("bin.txt", b"\x00\x01\x02abc", "looks like a binary file"),
        ("latin.txt", "caf\xe9".encode("latin-1"), "is not UTF-8 text"),
        ("page.pdf", b"%PDF-1.4", "unsupported file type '.pdf'"),
    ],
)
def test_unusable_files_are_named(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as e:
        load_article(str(path))
    assert str(e.value).startswith(f"{path}: ") and reason in str(e.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_article(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="is a directory"):
        load_article(str(tmp_path))
