"""One Ctrl-C or SIGTERM stops ``batch`` and ``summarize`` within 5 s whatever the endpoint
does: finished results are kept, calls in flight are aborted (the server sees the connection
close), report.json says the run was interrupted, stderr says how to resume.

The endpoint is the benchmarks' fake server in this process (no model: what is tested is
process and connection handling), told to answer the first calls and then either hang or
answer 429 with Retry-After: 3600.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.fake_openai import FakeServer
from tests.conftest import EXAMPLES, ROOT
from tests.processes import popen

LIMIT = 5.0


@pytest.fixture
def server() -> Iterator[FakeServer]:
    srv = FakeServer(0, delay=0.0, faults=0.0, hang=120.0, retry_after=3600)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()


def behave(srv: FakeServer, answered: int, then: str) -> None:
    """Answer the first ``answered`` calls normally, then ``then`` ("hang" or "429") for ever."""
    seen = {"n": 0}
    lock = threading.Lock()

    def draw() -> str | None:
        with lock:
            seen["n"] += 1
            return None if seen["n"] <= answered else then

    srv.draw = draw  # type: ignore[method-assign]


def wait_for(predicate, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def articles(tmp: Path, n: int) -> Path:
    base = EXAMPLES[0].read_text(encoding="utf-8")
    feed = tmp / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": f"a{i}", "text": f"{base}\n\n(Edition {i}.)"}) + "\n" for i in range(n)))
    return feed


def run_cli(args: list[str], srv: FakeServer) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    env["PYTHONPATH"] = str(ROOT)
    url = f"http://127.0.0.1:{srv.server_address[1]}/v1"
    return popen(
        [
            sys.executable,
            "-m",
            "summarizer",
            *args,
            "--base-url",
            url,
            "--model",
            "fake",
            "--judge",
            "off",
            "--retries",
            "4",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
@pytest.mark.parametrize("then", ["hang", "429"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
def test_batch_stops_keeps_finished_work_and_says_how_to_resume(
    tmp_path: Path, server: FakeServer, sig: signal.Signals, then: str
) -> None:
    behave(server, answered=2, then=then)
    out = tmp_path / "out"
    proc = run_cli(["batch", str(articles(tmp_path, 6)), "-o", str(out), "--concurrency", "2"], server)
    try:
        # two answered, then two more calls hanging or waiting out a Retry-After
        assert wait_for(lambda: server.counts.get("requests", 0) >= 4), proc.stderr
        time.sleep(0.5)
        closed = "closed_while_hanging" if then == "hang" else "connections_closed"
        before = server.counts.get(closed, 0)
        sent = time.monotonic()
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=30)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
    assert took <= LIMIT, f"took {took:.1f} s to stop"
    assert proc.returncode == (130 if sig is signal.SIGINT else 143), stderr
    assert "run the same command again to resume" in stderr
    records = [json.loads(x) for x in (out / "summaries.jsonl").read_text().splitlines()]
    assert len(records) == 2  # the finished ones are kept
    assert (out / "errors.jsonl").read_text() == ""  # an interruption is no failure
    report = json.loads((out / "report.json").read_text())
    assert report["last_run"]["interrupted"] is True and report["last_run"]["done"] == 2
    assert wait_for(lambda: server.counts.get(closed, 0) > before, 5), server.counts
    # the folder lock was released: a re-run resumes where it stopped
    behave(server, answered=100, then="hang")
    again = run_cli(["batch", str(articles(tmp_path, 6)), "-o", str(out)], server)
    _, stderr = again.communicate(timeout=60)
    assert again.returncode == 0, stderr
    assert "done 4, failed 0, skipped 2" in stderr
    report = json.loads((out / "report.json").read_text())
    assert report["totals"]["runs"] == 2 and report["totals"]["records"] == 6


@pytest.mark.slow
@pytest.mark.parametrize("then", ["hang", "429"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
def test_summarize_stops_and_keeps_the_finished_records(
    tmp_path: Path, server: FakeServer, sig: signal.Signals, then: str
) -> None:
    behave(server, answered=1, then=then)
    out = tmp_path / "out.jsonl"
    out.write_text("old content\n")
    proc = run_cli(["summarize", str(EXAMPLES[0]), str(EXAMPLES[1]), "-o", str(out)], server)
    try:
        assert wait_for(lambda: server.counts.get("requests", 0) >= 2), proc.stderr
        time.sleep(0.5)
        sent = time.monotonic()
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=30)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
    assert took <= LIMIT, f"took {took:.1f} s to stop"
    assert proc.returncode == (130 if sig is signal.SIGINT else 143), stderr
    assert f"1 of 2 article(s) done; not done: {EXAMPLES[1].stem}" in stderr
    (record,) = [json.loads(x) for x in out.read_text().splitlines()]
    assert record["article"]["id"] == EXAMPLES[0].stem


@pytest.fixture
def sigint_ignored() -> Iterator[None]:
    """This process as a background job starts: with SIGINT ignored (inherited by children)."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    yield
    signal.signal(signal.SIGINT, previous)


def test_children_get_sigint_back_when_the_suite_runs_with_it_ignored(sigint_ignored: None) -> None:
    code = "import signal; print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)"
    probe = [sys.executable, "-c", code]
    plain = subprocess.run(probe, capture_output=True, text=True, check=True).stdout.strip()
    ours = popen(probe, stdout=subprocess.PIPE, text=True).communicate(timeout=30)[0].strip()
    assert plain == "False"  # what a background job's child would get: SIGINT stays ignored
    assert ours == "True"  # what the tests' children get: Ctrl-C raises KeyboardInterrupt


@pytest.mark.slow
def test_ctrl_c_stops_the_cli_when_the_suite_runs_as_a_background_job(
    tmp_path: Path, server: FakeServer, sigint_ignored: None
) -> None:
    behave(server, answered=0, then="hang")
    proc = run_cli(["summarize", str(EXAMPLES[0]), "-o", str(tmp_path / "out.jsonl")], server)
    try:
        assert wait_for(lambda: server.counts.get("requests", 0) >= 1)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert f"0 of 1 article(s) done; not done: {EXAMPLES[0].stem}" in stderr
