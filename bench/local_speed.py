"""The embedded engines side by side, in one run: llama-cpp-python's server against llama.cpp's
own llama-server (serial, 2 and 4 slots), on the two seed articles and 8 SummaC documents.

    python bench/local_speed.py                   # the default runs, about 90 minutes on 2 cores
    python bench/local_speed.py --runs old-tools,new --articles seeds

Runs: both engines on the prompt released at commit 5b7cbf7 (bench/variants/v1.toml, copied
quotes as evidence) with the same schema, mode and output limit (1,500 tokens); then the new
engine with the current prompt (sentence numbers) and the compact-JSON grammar, its defaults.
Each slot has the full 8,192-token context. Per article: seconds (time to first token included), prompt
and completion tokens, generation tokens/s (after the first token, serial runs), and
whether the answer validated. Serial runs first send the same request streamed
with max_tokens=1 (its latency is the time to first token, and it leaves the prompt in the
server's cache), so the real call measures generation. Per run: articles per hour (validated
answers over wall time) and the server's peak RSS. Then raw llama.cpp on the tool's own
prompt, unconstrained, as the ceiling: llama-server without a response format, and
llama-cpp-python in-process (without and with the JSON-schema grammar).

Targets (exit 1 when one is missed), new engine in its default mode against the old engine:
- seconds for the second seed article of a serial run (prompt prefix cached) <= 0.6 x old;
- validated articles per hour over the 8 SummaC documents >= 1.5 x old;
- the tool's generation rate on its own prompt >= 0.6 x raw unconstrained llama.cpp.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.core.citing import number_sentences
from summarizer.core.errors import SummarizerError
from summarizer.core.news import ArticleSummary
from summarizer.core.records import Article
from summarizer.engine.server import EmbeddedServer, Engine
from summarizer.files.articles import article_from_text, load_article
from summarizer.llm.client import LLMClient
from summarizer.llm.endpoint import Endpoint, EndpointKind, Mode
from summarizer.llm.prompts import Cite, Prompt, load_prompt
from summarizer.run.api import embedded_server
from summarizer.run.pipeline import Summarizer
from summarizer.run.settings import LocalOptions, Settings

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = Path(os.environ.get("SUMMARIZER_SHARED", ROOT.parent / "shared"))
SEEDS = sorted((SHARED / "data/articles").glob("*.txt"))
SUMMAC = SHARED / "data/faithfulness/summac"
# (file, key): 430-630 words each, news of four kinds (CNN, Daily Mail, BBC), distinct documents
NAMED = [
    ("factcc", "factcc_1"),
    ("factcc", "factcc_4"),
    ("summeval", "summeval_1"),
    ("summeval", "summeval_2"),
    ("polytope", "polytope_3"),
    ("xsumfaith", "xsumfaith_3"),
    ("xsumfaith", "xsumfaith_6"),
    ("xsumfaith", "xsumfaith_15"),
]
V1 = "v1"  # the prompt released at commit 5b7cbf7 (bench/variants/v1.toml): copied quotes
CURRENT = "summarize"  # prompts/summarize.toml: sentence numbers
RUNS = {  # name: (engine, slots, mode, prompt, compact grammar, article sets)
    "old-tools": (Engine.LLAMA_CPP_PYTHON, 1, Mode.TOOLS, V1, False, ("seeds", "summac")),
    "old-json": (Engine.LLAMA_CPP_PYTHON, 1, Mode.JSON, V1, False, ("seeds", "summac")),
    "new-tools-v1": (Engine.LLAMA_SERVER, 1, Mode.TOOLS, V1, False, ("seeds",)),
    "new-json-v1": (Engine.LLAMA_SERVER, 1, Mode.JSON, V1, False, ("seeds", "summac")),
    "new-json-v1-2": (Engine.LLAMA_SERVER, 2, Mode.JSON, V1, False, ("summac",)),
    "new-json-v1-4": (Engine.LLAMA_SERVER, 4, Mode.JSON, V1, False, ("summac",)),
    "new": (Engine.LLAMA_SERVER, 1, Mode.JSON, CURRENT, True, ("seeds", "summac")),
    "new-2": (Engine.LLAMA_SERVER, 2, Mode.JSON, CURRENT, True, ("seeds", "summac")),
}
DEFAULT_RUNS = "old-tools,old-json,new-tools-v1,new-json-v1,new-json-v1-2,new,new-2"
OLD, NEW = "old-tools", "new"  # each engine as released: old defaults, new defaults
SAME = ("old-json", "new-json-v1")  # the same prompt, schema, mode and limit on both engines
CONTEXT = 8192
TARGET_SECOND_SEED = 0.6
TARGET_PER_HOUR = 1.5
TARGET_RATE = 0.6

RAW_PY = """
import json, sys, time, llama_cpp
m = llama_cpp.Llama(model_path=sys.argv[1], n_ctx=8192, n_threads=int(sys.argv[2]), verbose=False)
messages, schema = json.load(open(sys.argv[3]))

def rate(run):
    run(1)  # warm-up; leaves the prompt in llama.cpp's prefix cache
    t = time.perf_counter()
    r = run(300)
    return r["usage"]["completion_tokens"] / (time.perf_counter() - t)

print(json.dumps({
    "llama-cpp-python in-process, free text": rate(lambda n: m.create_chat_completion(
        messages=messages, max_tokens=n, temperature=0)),
    "llama-cpp-python in-process, JSON-schema grammar": rate(lambda n: m.create_chat_completion(
        messages=messages, max_tokens=n, temperature=0,
        response_format={"type": "json_object", "schema": schema})),
}))
"""


def articles(which: str) -> list[Article]:
    if which == "seeds":
        return [load_article(str(p)) for p in SEEDS]
    data = {f: json.loads((SUMMAC / f"{f}.json").read_text()) for f in {f for f, _ in NAMED}}
    return [article_from_text(data[f][k]["document"], id=k, source=f"{f}.json#{k}") for f, k in NAMED]


class ProbingClient(LLMClient):
    """Sends the exact request streamed with max_tokens=1 before the first real call: its
    latency is the time to first token, and the real call then measures generation."""

    ttft: float | None = None

    def _send(self, **kwargs: Any) -> Any:
        if self.ttft is None:
            t = time.perf_counter()
            stream = self._client.chat.completions.create(**{**kwargs, "stream": True, "max_tokens": 1})
            for _ in stream:
                break
            self.ttft = time.perf_counter() - t
            stream.close()
        return super()._send(**kwargs)


@dataclass
class Row:
    article: str
    seconds: float
    prompt: int = 0
    completion: int = 0
    ttft: float | None = None
    ok: bool = False
    note: str = ""

    @property
    def rate(self) -> float:
        """Generation tokens/s: completion tokens over the call's time after the first token
        (serial runs measure the time to first token with the probe; parallel runs cannot)."""
        gen = self.seconds - (self.ttft or 0.0)
        return self.completion / gen if gen > 0 else 0.0


@dataclass
class Result:
    name: str
    rows: dict[str, list[Row]] = field(default_factory=dict)
    per_hour: dict[str, float] = field(default_factory=dict)
    peak_rss: float = 0.0


def one(srv: EmbeddedServer, mode: Mode, prompt: Prompt, grammar: bool, article: Article, probe: bool) -> Row:
    ep = Endpoint(EndpointKind.EMBEDDED, srv.base_url, srv.api_key, srv.alias, mode, srv.context, grammar=grammar)
    client = (ProbingClient if probe else LLMClient)(ep, max_output_tokens=1500)
    started = time.perf_counter()
    try:
        rec = Summarizer(client, prompt=prompt, max_reasks=2)(article)
    except SummarizerError as e:
        return Row(
            article.id,
            time.perf_counter() - started,
            ok=False,
            note=str(e).split("\n")[0][:90],
            ttft=getattr(client, "ttft", None),
        )
    finally:
        client.close()
    p = rec.provenance
    return Row(
        article.id,
        p.seconds,
        p.usage.prompt_tokens,
        p.usage.completion_tokens,
        getattr(client, "ttft", None),
        True,
        f"grounding {rec.verification.grounding_rate:.2f}, attempts {p.attempts}",
    )


def run(name: str, sets: list[str]) -> Result:
    engine, slots, mode, prompt_name, grammar, wanted = RUNS[name]
    prompt = load_prompt(prompt_name, HERE / "variants" if prompt_name == V1 else None)
    result = Result(name)
    with embedded_server(Settings(local=LocalOptions(context=CONTEXT, slots=slots, engine=engine))) as srv:
        print(
            f"\n== {name}: {engine.value}, {slots} slot(s) x {CONTEXT} tokens, mode {mode.value}, "
            f"prompt {prompt.version}{', compact grammar' if grammar else ''}; "
            f"started in {srv.start_seconds:.1f} s",
            flush=True,
        )
        for which in (s for s in sets if s in wanted):
            items = articles(which)
            t0 = time.perf_counter()
            if slots == 1:
                rows = []
                for a in items:
                    rows.append(one(srv, mode, prompt, grammar, a, probe=True))
                    show(rows[-1])
            else:
                with ThreadPoolExecutor(slots) as pool:
                    rows = list(pool.map(lambda a: one(srv, mode, prompt, grammar, a, probe=False), items))
                for r in rows:
                    show(r)
            wall = time.perf_counter() - t0
            result.rows[which] = rows
            result.per_hour[which] = sum(r.ok for r in rows) / wall * 3600
            print(
                f"   {which}: {sum(r.ok for r in rows)}/{len(rows)} validated in {wall:.0f} s = "
                f"{result.per_hour[which]:.1f} articles/hour",
                flush=True,
            )
        result.peak_rss = srv.peak_rss_mb() or 0.0
    print(f"   peak RSS of the server: {result.peak_rss:,.0f} MB", flush=True)
    return result


def show(r: Row) -> None:
    ttft = f"{r.ttft:6.1f}" if r.ttft is not None else "     -"
    print(
        f"   {r.article:<28}{r.seconds:7.1f} s{r.prompt:7}{r.completion:6}{r.rate:7.2f} tok/s "
        f"TTFT {ttft}  {'valid' if r.ok else 'INVALID'}  {r.note}",
        flush=True,
    )


def raw_rates() -> dict[str, float]:
    """Raw llama.cpp on the tool's own prompt (first seed), unconstrained, and with the grammar."""
    prompt = load_prompt()
    text = load_article(str(SEEDS[0])).text
    messages = prompt.messages(number_sentences(text)[0] if prompt.cite is Cite.SENTENCES else text)
    out: dict[str, float] = {}
    with embedded_server(Settings(local=LocalOptions(context=CONTEXT, slots=1, engine=Engine.LLAMA_SERVER))) as srv:

        def ask(n: int) -> dict[str, Any]:
            body = json.dumps({"model": srv.alias, "messages": messages, "max_tokens": n, "temperature": 0}).encode()
            req = urllib.request.Request(
                srv.base_url + "/chat/completions",
                data=body,
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {srv.api_key}"},
            )
            with urllib.request.urlopen(req, timeout=900) as r:
                return dict(json.loads(r.read()))

        ask(1)
        t = time.perf_counter()
        answer = ask(300)
        out["llama-server, free text"] = answer["usage"]["completion_tokens"] / (time.perf_counter() - t)
        model_path, threads = srv.model_path, srv.threads
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump([messages, ArticleSummary.model_json_schema()], f)
    proc = subprocess.run(
        [sys.executable, "-c", RAW_PY, str(model_path), str(threads), f.name], capture_output=True, text=True
    )
    os.unlink(f.name)
    if proc.returncode == 0:
        out.update(json.loads(proc.stdout.strip().splitlines()[-1]))
    else:
        print(f"llama-cpp-python raw run failed: {proc.stderr[-300:]}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", default=DEFAULT_RUNS)
    ap.add_argument("--articles", default="seeds,summac")
    args = ap.parse_args()
    sets = args.articles.split(",")
    results = {name: run(name, sets) for name in args.runs.split(",") if name}
    raws = raw_rates()
    print()
    for label, value in raws.items():
        print(f"raw llama.cpp on the tool's prompt, {label}: {value:.2f} tok/s")
    misses: list[str] = []
    checked = 0
    same_old, same_new = (results.get(n) for n in SAME)
    if same_old and same_new and "summac" in same_old.per_hour and "summac" in same_new.per_hour:
        print(
            f"same prompt, schema, mode and limit: {SAME[1]} {same_new.per_hour['summac']:.1f} vs {SAME[0]} "
            f"{same_old.per_hour['summac']:.1f} articles/hour over the 8 SummaC documents"
        )
    old, new = results.get(OLD), results.get(NEW)
    if old and new and "seeds" in old.rows and "seeds" in new.rows:
        o, n = old.rows["seeds"][1], new.rows["seeds"][1]
        ratio = n.seconds / o.seconds
        print(
            f"second seed article: {NEW} {n.seconds:.1f} s vs {OLD} {o.seconds:.1f} s = {ratio:.2f} "
            f"(target <= {TARGET_SECOND_SEED})"
        )
        checked += 1
        misses += [] if ratio <= TARGET_SECOND_SEED else ["second seed article"]
    best = max(
        (r for r in results.values() if r.name in ("new", "new-2")),
        key=lambda r: r.per_hour.get("summac", 0),
        default=None,
    )
    if old and best and "summac" in old.per_hour and "summac" in best.per_hour:
        ratio = best.per_hour["summac"] / max(old.per_hour["summac"], 1e-9)
        print(
            f"articles/hour on the 8 SummaC documents: {best.name} {best.per_hour['summac']:.1f} vs "
            f"{OLD} {old.per_hour['summac']:.1f} = {ratio:.2f}x (target >= {TARGET_PER_HOUR})"
        )
        checked += 1
        misses += [] if ratio >= TARGET_PER_HOUR else ["articles per hour"]
    if new and raws:
        gen = [r.rate for rows in new.rows.values() for r in rows if r.ok]
        limit = max(v for k, v in raws.items() if "free text" in k)
        tool = statistics.mean(gen) if gen else 0.0
        print(
            f"tool generation ({NEW}, serial, prompt cached): {tool:.2f} tok/s = {tool / limit:.2f} of "
            f"raw unconstrained {limit:.2f} (target >= {TARGET_RATE})"
        )
        checked += 1
        misses += [] if tool / limit >= TARGET_RATE else ["generation rate"]
    for r in results.values():
        print(f"peak RSS {r.name}: {r.peak_rss:,.0f} MB")
    if not checked:  # these runs and articles hold none of the targets' comparisons
        print(f"no target checked: the targets need {OLD} with {NEW} and new-2, on seeds and summac")
        return 1
    print("targets missed: " + ", ".join(misses) if misses else f"all {checked} targets checked are met")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
