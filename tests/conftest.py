"""Test configuration: cassettes are replay-only, body-matched, scrubbed and fully consumed.

Re-record every cassette against the embedded model (the real 1.5B model behind llama.cpp's
server from the default engine, started by the ``llm_endpoint`` fixture)::

    python -m pytest --record-mode=rewrite -p no:randomly tests

Set ``SUMMARIZER_RECORD_BASE_URL`` (and ``SUMMARIZER_RECORD_MODEL``,
``SUMMARIZER_RECORD_API_KEY``) to record against a server you started yourself instead, e.g.
``summarizer serve``. CI never records.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from vcr.errors import CannotOverwriteExistingCassetteException

from tests.cassette_tools import (
    FILTERED_HEADERS,
    RECORD_COMMAND,
    ReadableYaml,
    json_body_matcher,
    scrub_request,
)

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SUMMARIZER_SHARED", ROOT.parent / "shared"))
SEED_DIR = SHARED / "data" / "articles"
SEEDS = sorted(SEED_DIR.glob("*.txt"))
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))
RECORDED_MODEL = "qwen2.5-coder-1.5b-instruct-q4_k_m"
REPLAY_BASE_URL = "http://127.0.0.1:9/v1"  # never contacted: vcrpy answers from the cassette


def pytest_configure(config: pytest.Config) -> None:
    if not SEEDS:
        raise pytest.UsageError(f"the shared seed articles are missing: {SEED_DIR} (set SUMMARIZER_SHARED)")
    mode = config.getoption("--record-mode", default="none")
    if os.environ.get("CI") and mode not in (None, "none"):
        raise pytest.UsageError("CI never records cassettes: drop --record-mode")


_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI nothing may be skipped: a skipped test is an untested feature."""
    if os.environ.get("CI") and _skipped and exitstatus == 0:
        print(f"\nCI: {len(_skipped)} test(s) skipped, which CI does not allow: {_skipped[:5]}")
        session.exitstatus = 1


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    vcr.register_matcher("json_body", json_body_matcher)
    vcr.register_serializer("yaml", ReadableYaml)


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(ROOT / "cassettes" / request.module.__name__.rsplit(".", 1)[-1])


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "serializer": "yaml",
        "match_on": ["method", "path", "json_body"],
        "filter_headers": FILTERED_HEADERS,
        "before_record_request": scrub_request,
        "decode_compressed_response": True,
        "allow_playback_repeats": False,
    }


@pytest.fixture(autouse=True)
def _cassette_contract(request: pytest.FixtureRequest, record_mode: str) -> Iterator[None]:
    """A recorded test must play every interaction of its cassette, and a request that is not
    in the cassette fails with the cassette's name and the re-record command."""
    if request.node.get_closest_marker("vcr") is None:
        yield
        return
    cassette = request.getfixturevalue("vcr")
    misses: list[str] = []
    original = cassette.can_play_response_for

    def can_play(req: Any) -> bool:
        ok = bool(original(req))
        if not ok and cassette.write_protected:
            why = str(CannotOverwriteExistingCassetteException(cassette=cassette, failed_request=req))
            misses.append(" ".join(why.split())[:800])
        return ok

    cassette.can_play_response_for = can_play
    yield
    cassette.can_play_response_for = original
    where = cassette._path
    if misses:
        pytest.fail(
            f"stale cassette {where}: a request is not recorded ({misses[0]}). Re-record with: {RECORD_COMMAND}",
            pytrace=False,
        )
    if record_mode == "none" and not cassette.all_played:
        pytest.fail(
            f"cassette {where} has interactions this test did not play "
            f"({cassette.play_count} of {len(cassette.data)}); re-record with: {RECORD_COMMAND}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def llm_endpoint(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """Where recorded tests send requests: nowhere real on replay; a real server on record."""
    mode = request.config.getoption("--record-mode", default="none")
    if mode in (None, "none"):
        yield {"base_url": REPLAY_BASE_URL, "model": RECORDED_MODEL, "api_key": "replayed"}
        return
    url = os.environ.get("SUMMARIZER_RECORD_BASE_URL")
    if url:
        yield {
            "base_url": url,
            "model": os.environ.get("SUMMARIZER_RECORD_MODEL", RECORDED_MODEL),
            "api_key": os.environ.get("SUMMARIZER_RECORD_API_KEY", "none"),
        }
        return
    from summarizer.run.api import embedded_server
    from summarizer.run.settings import Settings

    with embedded_server(Settings()) as server:  # the default engine, with its slots
        assert server.alias == RECORDED_MODEL
        yield {"base_url": server.base_url, "model": server.alias, "api_key": server.api_key}


def endpoint_args(endpoint: dict[str, str]) -> list[str]:
    """The CLI flags that point a command at the recorded endpoint."""
    return [
        "--base-url",
        endpoint["base_url"],
        "--model",
        endpoint["model"],
        "--api-key",
        endpoint["api_key"],
        "--retries",
        "1",
    ]


@pytest.fixture
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No endpoint configuration leaks in from the developer's shell."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path
