"""``batch --engine ray``: the same records as the local batch, on Ray in local mode and on a
``ray start --head`` cluster on loopback, and no article lost when an actor dies.

The endpoint is the benchmarks' fake server in this process (what is tested is the stage and
the driver, not model output). Ray starts in 5-15 s on 2 cores. The test extra installs Ray;
without it these tests skip, which CI does not allow.
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
from typing import Any

import pytest

ray = pytest.importorskip("ray", reason="pip install -e '.[ray]' to test the Ray engine")
pq = pytest.importorskip("pyarrow.parquet")

from typer.testing import CliRunner  # noqa: E402

from bench.fake_openai import FakeServer  # noqa: E402
from summarizer.cli import app  # noqa: E402
from summarizer.raystage import record_from_row  # noqa: E402
from summarizer.run.ray_batch import run_ray_batch  # noqa: E402
from summarizer.run.settings import Settings  # noqa: E402
from tests.conftest import SHARED  # noqa: E402

runner = CliRunner()
TIMING = ("seconds", "created_at")


@pytest.fixture(scope="module")
def fake() -> Iterator[tuple[FakeServer, str]]:
    srv = FakeServer(0, delay=0.05, faults=0.0, hang=0.0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv, f"http://127.0.0.1:{srv.server_address[1]}/v1"
    srv.shutdown()
    srv.server_close()


def corpus(tmp: Path, n: int) -> Path:
    docs: list[str] = []
    for name in ("factcc", "summeval"):
        for item in json.loads((SHARED / "data/faithfulness/summac" / f"{name}.json").read_text()).values():
            if item["document"] not in docs:
                docs.append(item["document"])
    path = tmp / "articles.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{i:03d}", "text": docs[i]}) + "\n" for i in range(n)))
    return path


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    # A JSON Lines article without a "source" is named by where it was read: "file:line" in the
    # local batch; Ray's readers give no line numbers, so its records use the article's id.
    record = {**record, "article": {**record["article"], "source": record["article"]["id"]}}
    prov = {k: v for k, v in record["provenance"].items() if k not in TIMING}
    if prov.get("judge"):
        prov["judge"] = {k: v for k, v in prov["judge"].items() if k not in TIMING}
    return {**record, "provenance": prov}


def ray_records(out: Path) -> dict[str, dict[str, Any]]:
    rows = pq.read_table(out / "records").to_pylist()
    return {r["article_id"]: comparable(json.loads(record_from_row(r).model_dump_json())) for r in rows}


def options(url: str, judge: bool = True) -> Settings:
    return Settings(base_url=[url], model="fake", judge=judge, max_output_tokens=1500)


@pytest.mark.slow
def test_ray_in_local_mode_gives_the_local_batch_s_records(
    tmp_path: Path, fake: tuple[FakeServer, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, url = fake
    src = corpus(tmp_path, 50)
    local = tmp_path / "local"
    # each run gets an empty judge cache of its own, so both make the same judge calls
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache-local"))
    result = runner.invoke(
        app, ["batch", str(src), "-o", str(local), "--base-url", url, "--model", "fake", "--concurrency", "4"]
    )
    assert result.exit_code == 0, result.stderr
    expected = {
        r["article"]["id"]: comparable(r) for r in map(json.loads, (local / "summaries.jsonl").read_text().splitlines())
    }
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache-ray"))
    report = run_ray_batch(
        [str(src)], tmp_path / "ray", options(url), address=None, actors=2, threads=2, num_cpus=2, say=lambda m: None
    )
    assert report.done == 50 and report.failed == 0
    assert ray_records(tmp_path / "ray") == expected
    # a re-run skips every (key, id) already written
    again = run_ray_batch(
        [str(src)], tmp_path / "ray", options(url), address=None, actors=2, threads=2, num_cpus=2, say=lambda m: None
    )
    assert again.done == 0 and again.skipped == 50


@pytest.mark.slow
def test_a_killed_actor_loses_no_article(tmp_path: Path) -> None:
    srv = FakeServer(0, delay=0.3, faults=0.0, hang=0.0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{srv.server_address[1]}/v1"
    src = corpus(tmp_path, 40)
    killed: list[int] = []

    def kill_one_actor() -> None:  # the worker process of one SummarizeBatch actor, mid-run
        end = time.monotonic() + 300  # Ray's start-up alone can take a minute on a busy machine
        while time.monotonic() < end and not killed:
            if srv.counts.get("requests", 0) >= 8:
                ps = subprocess.run(["pgrep", "-f", "SummarizeBatch"], capture_output=True, text=True)
                pids = [int(p) for p in ps.stdout.split() if int(p) != os.getpid()]
                if pids:
                    os.kill(pids[0], signal.SIGKILL)
                    killed.append(pids[0])
            time.sleep(0.2)

    threading.Thread(target=kill_one_actor, daemon=True).start()
    try:
        report = run_ray_batch(
            [str(src)],
            tmp_path / "out",
            options(url, judge=False),
            address=None,
            actors=2,
            threads=2,
            num_cpus=2,
            say=lambda m: None,
        )
    finally:
        srv.shutdown()
        srv.server_close()
    assert killed, "no actor was found to kill"
    ids = [r["article_id"] for r in pq.read_table(tmp_path / "out" / "records").to_pylist()]
    errors = [json.loads(x)["id"] for x in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert sorted(ids + errors) == [f"a{i:03d}" for i in range(40)]  # every article once
    assert report.done + report.failed == 40


@pytest.mark.slow
def test_batch_against_a_ray_cluster_address(tmp_path: Path, fake: tuple[FakeServer, str]) -> None:
    _, url = fake
    env = {**os.environ, "RAY_ADDRESS": ""}
    ray_bin = Path(sys.executable).parent / "ray"
    head = subprocess.run(
        [
            str(ray_bin),
            "start",
            "--head",
            "--node-ip-address=127.0.0.1",
            "--port=0",
            "--num-cpus=2",
            "--include-dashboard=false",
            "--disable-usage-stats",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert head.returncode == 0, head.stderr[-2000:]
    try:
        address = next(line.split("'")[1] for line in head.stdout.splitlines() if "ray start --address=" in line)
        src = corpus(tmp_path, 10)
        result = runner.invoke(
            app,
            [
                "batch",
                str(src),
                "-o",
                str(tmp_path / "out"),
                "--engine",
                "ray",
                "--ray-address",
                address,
                "--base-url",
                url,
                "--model",
                "fake",
                "--judge",
                "off",
                "--format",
                "jsonl",
            ],
        )
        assert result.exit_code == 0, result.stderr
        rows = [json.loads(x) for f in (tmp_path / "out" / "records").iterdir() for x in f.read_text().splitlines()]
        assert sorted(r["article_id"] for r in rows) == [f"a{i:03d}" for i in range(10)]
        assert json.loads((tmp_path / "out" / "report.json").read_text())["last_run"]["engine"] == "ray"
    finally:
        subprocess.run([str(ray_bin), "stop", "--force"], capture_output=True, env=env, timeout=120)
