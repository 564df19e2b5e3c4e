"""Bad environments end as named errors with the README's exit codes, and nothing done is lost.

The endpoint is the benchmarks' fake server in this process, or nothing at all (these test
the tool's handling of its environment, not model output: no cassette). Full disks and
read-only folders are simulated by fault injection, since tests run as root.
"""

from __future__ import annotations

import ast
import errno
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bench.fake_openai import FakeServer
from summarizer.cli import app
from summarizer.cli.app import printable
from summarizer.core.redact import redact, remember
from summarizer.files import batch_folder as store
from tests.conftest import EXAMPLES, ROOT

runner = CliRunner()


@pytest.fixture
def fake() -> Iterator[tuple[FakeServer, str]]:
    srv = FakeServer(0, delay=0.0, faults=0.0, hang=30.0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv, f"http://127.0.0.1:{srv.server_address[1]}/v1"
    srv.shutdown()
    srv.server_close()


def cli(*args: str, url: str | None = None, **kw: object) -> object:
    extra = ["--base-url", url, "--model", "fake", "--judge", "off", "--retries", "1"] if url else []
    return runner.invoke(app, [*args, *extra], **kw)  # type: ignore[arg-type]


def feed(tmp: Path, rows: list[tuple[str, str]], name: str = "feed.jsonl") -> Path:
    path = tmp / name
    path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows))
    return path


BRIDGE = EXAMPLES[0].read_text(encoding="utf-8")
MEALS = EXAMPLES[1].read_text(encoding="utf-8")


# -- one console function, no markup --------------------------------------------------------


def test_no_module_prints_through_rich_markup() -> None:
    """Only summarizer/cli/app.py may print; it prints Text objects, never markup strings."""
    offenders = []
    for path in (ROOT / "summarizer").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "markup" and path.name != "app.py":
                offenders.append(f"{path}: markup=")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "print"
                and path.relative_to(ROOT).as_posix() != "summarizer/cli/app.py"
            ):
                offenders.append(f"{path}:{node.lineno}: .print(")
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "Console"
                and path.relative_to(ROOT).as_posix() != "summarizer/cli/app.py"
            ):
                offenders.append(f"{path}:{node.lineno}: Console(")
    assert offenders == []


@pytest.mark.parametrize("hostile", ["[/x]", "[bold]loud[/bold]", "\x1b[31mred\x1b[0m", "[/foo].txt"])
def test_user_and_server_text_is_printed_as_written(tmp_path: Path, fake: tuple[FakeServer, str], hostile: str) -> None:
    # a file name (input error), an article source (batch failure), a server's error body
    srv, url = fake
    missing = tmp_path / f"{hostile}.txt"
    result = cli("summarize", str(missing), url=url)
    assert result.exit_code == 1 and printable(f"{missing}: no such file") in result.stderr
    srv.draw = lambda: "500"  # type: ignore[method-assign]
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"id": "x", "text": BRIDGE, "source": hostile}) + "\n")
    result = cli("batch", str(rows), "-o", str(tmp_path / "out"), url=url)
    assert result.exit_code == 1, result.stderr
    assert printable(hostile) in result.stderr and "\x1b" not in result.stderr
    assert "answered HTTP 500" in result.stderr


# -- secrets ------------------------------------------------------------------------------


def test_keys_in_error_bodies_never_reach_stderr_or_files(tmp_path: Path, fake: tuple[FakeServer, str]) -> None:
    _, url = fake
    key = "sk-test-" + "a1b2c3d4" * 3

    def echo_key(self: object) -> None:  # a server that quotes the credentials it got
        handler = self  # type: ignore[assignment]
        length = int(handler.headers.get("Content-Length", 0))  # type: ignore[attr-defined]
        handler.rfile.read(length)  # type: ignore[attr-defined]
        auth = handler.headers.get("Authorization")  # type: ignore[attr-defined]
        handler._send(401, {"error": {"message": f"bad key {key}; header was {auth}"}})  # type: ignore[attr-defined]

    from bench import fake_openai

    original = fake_openai.Handler.do_POST
    fake_openai.Handler.do_POST = echo_key  # type: ignore[method-assign]
    try:
        result = runner.invoke(
            app,
            [
                "batch",
                str(EXAMPLES[0]),
                "-o",
                str(tmp_path / "out"),
                "--base-url",
                url,
                "--model",
                "fake",
                "--judge",
                "off",
                "--api-key",
                key,
                "--retries",
                "1",
            ],
        )
    finally:
        fake_openai.Handler.do_POST = original  # type: ignore[method-assign]
    assert result.exit_code == 1
    written = (tmp_path / "out" / "errors.jsonl").read_text()
    for text in (result.stderr, written):
        assert key not in text and "a1b2c3d4" not in text and "[redacted]" in text
    remember("my-own-configured-secret")
    assert redact("x my-own-configured-secret y Bearer abc.def") == "x [redacted] y Bearer [redacted]"


# -- the folder lock, ids, duplicates, resume ------------------------------------------------


def test_a_second_batch_into_a_locked_folder_fails_at_once(tmp_path: Path, fake: tuple[FakeServer, str]) -> None:
    _, url = fake
    out = tmp_path / "out"
    out.mkdir()
    with store.FolderLock(out):
        result = cli("batch", str(EXAMPLES[0]), "-o", str(out), url=url)
    assert result.exit_code == 2
    assert f"pid {os.getpid()}" in result.stderr and "another batch is writing into this folder" in result.stderr
    assert not (out / "summaries.jsonl").exists() or (out / "summaries.jsonl").read_text() == ""


def test_ids_and_texts(tmp_path: Path, fake: tuple[FakeServer, str]) -> None:
    srv, url = fake
    out = tmp_path / "out"
    rows = feed(tmp_path, [("a", BRIDGE), ("b", MEALS), ("a", MEALS), ("c", BRIDGE)])
    result = cli("batch", str(rows), "-o", str(out), url=url)
    assert result.exit_code == 1, result.stderr
    records = [json.loads(x) for x in (out / "summaries.jsonl").read_text().splitlines()]
    assert sorted(r["article"]["id"] for r in records) == ["a", "b", "c"]
    copy = next(r for r in records if r["article"]["id"] == "c")
    assert copy["duplicate_of"] == "a" and copy["provenance"]["usage"]["total_tokens"] == 0
    (error,) = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    assert error["id"] == "a" and "already names another text" in error["reason"]
    assert srv.counts["requests"] == 2  # the copy made no call
    briefing = tmp_path / "b.json"
    assert cli("brief", str(out / "summaries.jsonl"), "-o", str(briefing)).exit_code == 0
    assert json.loads(briefing.read_text())["articles"] == 2  # one text under two ids counts once


def test_after_a_resume_every_article_is_in_exactly_one_file(tmp_path: Path, fake: tuple[FakeServer, str]) -> None:
    srv, url = fake
    out = tmp_path / "out"
    rows = feed(tmp_path, [("a", BRIDGE), ("b", MEALS)])
    calls = {"n": 0}

    def first_fails() -> str | None:
        calls["n"] += 1
        return "500" if calls["n"] == 1 else None

    srv.draw = first_fails  # type: ignore[method-assign]
    assert cli("batch", str(rows), "-o", str(out), url=url).exit_code == 1
    assert len((out / "errors.jsonl").read_text().splitlines()) == 1
    srv.draw = lambda: None  # type: ignore[method-assign]
    result = cli("batch", str(rows), "-o", str(out), url=url)
    assert result.exit_code == 0, result.stderr
    ids = [json.loads(x)["article"]["id"] for x in (out / "summaries.jsonl").read_text().splitlines()]
    assert sorted(ids) == ["a", "b"] and (out / "errors.jsonl").read_text() == ""
    report = json.loads((out / "report.json").read_text())
    assert report["totals"] == {**report["totals"], "runs": 2, "records": 2, "errors": 0}
    assert report["last_run"]["done"] == 1 and report["last_run"]["skipped"] == 1


# -- environment failures -------------------------------------------------------------------


def test_endpoint_down_without_a_model_is_named(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["summarize", str(EXAMPLES[0]), "--base-url", "http://127.0.0.1:9/v1", "--judge", "off"]
    )
    assert result.exit_code == 1 and "cannot list models at http://127.0.0.1:9/v1" in result.stderr


def test_output_paths(tmp_path: Path, fake: tuple[FakeServer, str]) -> None:
    _, url = fake
    folder = tmp_path / "adir"
    folder.mkdir()
    result = cli("summarize", str(EXAMPLES[0]), "-o", str(folder), url=url)
    assert result.exit_code == 2 and f"{folder}: is a directory" in result.stderr
    a_file = tmp_path / "afile"
    a_file.write_text("keep me")
    result = cli("batch", str(EXAMPLES[0]), "-o", str(a_file), url=url)
    assert result.exit_code == 2 and "is a file; --outdir needs a folder" in result.stderr
    assert a_file.read_text() == "keep me"
    out = tmp_path / "out"
    assert cli("batch", str(EXAMPLES[0]), "-o", str(out), url=url).exit_code == 0
    html = tmp_path / "new" / "deeper" / "r.html"
    result = cli("brief", str(out / "summaries.jsonl"), "-o", str(tmp_path / "b.json"), "--html", str(html))
    assert result.exit_code == 0 and html.read_text().startswith("<!doctype html>")


def test_a_failed_summarize_leaves_the_existing_output_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text('{"old": "record"}\n')
    result = runner.invoke(
        app,
        [
            "summarize",
            str(EXAMPLES[0]),
            "-o",
            str(out),
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--model",
            "m",
            "--judge",
            "off",
            "--retries",
            "1",
        ],
    )
    assert result.exit_code == 1
    assert out.read_text() == '{"old": "record"}\n'


def test_full_disk_leaves_no_torn_line_and_is_named(
    tmp_path: Path, fake: tuple[FakeServer, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, url = fake
    out = tmp_path / "out"
    rows = feed(tmp_path, [("a", BRIDGE), ("b", MEALS)])
    real_write = os.write
    budget = {"left": None}

    def write(fd: int, data: bytes) -> int:  # the disk fills up in the middle of the second record
        path = os.readlink(f"/proc/self/fd/{fd}")
        if path.endswith("summaries.jsonl"):
            if budget["left"] is None:
                budget["left"] = len(data) + 100
            if len(data) > budget["left"]:
                n = real_write(fd, data[: budget["left"]])
                budget["left"] = 0
                if n:
                    return n
                raise OSError(errno.ENOSPC, "No space left on device")
            budget["left"] -= len(data)
        return real_write(fd, data)

    monkeypatch.setattr(store.os, "write", write)
    result = cli("batch", str(rows), "-o", str(out), url=url)
    assert result.exit_code == 2
    assert "summaries.jsonl: cannot write: no space left on the device" in result.stderr
    lines = (out / "summaries.jsonl").read_bytes().split(b"\n")
    assert lines[-1] == b"" and all(json.loads(x) for x in lines[:-1])  # whole lines only
    assert len(lines) == 2


def test_read_only_folder_is_named(
    tmp_path: Path, fake: tuple[FakeServer, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, url = fake
    real_open = os.open

    def read_only(path: str | os.PathLike[str], flags: int, *a: int) -> int:
        if str(path).startswith(str(tmp_path / "out")) and flags & (os.O_WRONLY | os.O_RDWR):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, *a)

    monkeypatch.setattr(store.os, "open", read_only)
    result = cli("batch", str(EXAMPLES[0]), "-o", str(tmp_path / "out"), url=url)
    assert result.exit_code == 2 and "the file system is read-only" in result.stderr


# -- one JSON Lines reader -------------------------------------------------------------------


def test_the_same_errors_for_bad_json_lines_everywhere(tmp_path: Path, fake: tuple[FakeServer, str]) -> None:
    _, url = fake
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"id": "ok", "text": "x"}\n{"broken\n' + b'{"id": "\xff\xfe"}\n' + b"[1, 2]\n")
    expected = [f"{bad}:2: not JSON", f"{bad}:3: is not UTF-8 text", f"{bad}:4: not a JSON object"]
    for command in (
        ["batch", str(bad), "-o", str(tmp_path / "o")],
        ["brief", str(bad), "-o", str(tmp_path / "b.json")],
        ["check-claims", str(bad)],
        ["verify", str(bad)],
    ):
        result = cli(*command, url=url if command[0] == "batch" else None)
        for message in expected:
            assert message in result.stderr, (command, result.stderr)
    binary = tmp_path / "photo.jsonl"
    binary.write_bytes(b"\x89PNG\x00\x00\x00binary")
    for command in (["brief", str(binary), "-o", str(tmp_path / "b.json")], ["check-claims", str(binary)]):
        result = cli(*command)
        assert result.exit_code == 2 and "looks like a binary file" in result.stderr, (command, result.stderr)


def test_non_utf8_stdin_is_an_error_for_that_input(tmp_path: Path, fake: tuple[FakeServer, str]) -> None:
    _, url = fake
    result = cli("batch", "-", "-o", str(tmp_path / "out"), url=url, input=b"Caf\xe9 opens.\n\nA caf\xe9 opened.")
    assert result.exit_code == 1 and "<stdin>: is not UTF-8 text" in result.stderr


def test_unknown_context_gets_the_default_input_limit(tmp_path: Path, fake: tuple[FakeServer, str]) -> None:
    srv, url = fake
    huge = tmp_path / "huge.txt"
    huge.write_text("Title\n\n" + "The council met again. " * 30_000)  # about 200,000 tokens
    result = cli("summarize", str(huge), url=url)
    assert result.exit_code == 1 and "over the input limit of 32,000" in result.stderr
    assert srv.counts.get("requests", 0) == 0
