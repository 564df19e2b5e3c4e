"""Speed of the embedded model through the tool, next to raw llama.cpp on the same machine.

    python bench/local_speed.py                      # 1.5B, json and tools modes, seed articles
    python bench/local_speed.py --local-model small --modes json

For each mode and article it prints: seconds for the whole extraction, prompt and completion
tokens, generation tokens/s, time to first token (a 1-token streamed probe sent first, so the
second article shows what the server's prefix cache saves on the static prompt), and the
verifier's grounding rate; the server's and the client's peak RSS. Then raw
``Llama.create_completion`` tokens/s in-process as the ceiling (a short prompt), and on the
tool's own messages without and with a JSON grammar, which shows what the long prompt and
constrained decoding cost.

Target: the tool's generation rate is at least 70 % of raw llama.cpp's (exit 1 otherwise).
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
from pathlib import Path
from typing import Any

from summarizer.articles import load_article
from summarizer.endpoint import Endpoint, EndpointKind, Mode
from summarizer.llm import LLMClient
from summarizer.local import EmbeddedServer
from summarizer.pipeline import Summarizer
from summarizer.prompts import load_prompt
from summarizer.schema import ArticleSummary

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((Path(os.environ.get("SUMMARIZER_SHARED", ROOT.parent / "shared")) / "data/articles").glob("*.txt"))
TARGET_RATIO = 0.70

RAW = """
import json, sys, time, llama_cpp
m = llama_cpp.Llama(model_path=sys.argv[1], n_ctx=8192, n_threads=int(sys.argv[2]), verbose=False)
messages, schema = json.load(open(sys.argv[3]))

def rate(run):
    run(1)  # warm-up; leaves the prompt in llama.cpp's prefix cache
    t = time.perf_counter()
    r = run(300)
    return r["usage"]["completion_tokens"] / (time.perf_counter() - t)

out = {
    "short prompt": rate(lambda n: m.create_completion(
        "Write a short news report about a bridge reopening.", max_tokens=n, temperature=0)),
    "the tool's prompt, free text": rate(lambda n: m.create_chat_completion(
        messages=messages, max_tokens=n, temperature=0)),
    "the tool's prompt, JSON schema grammar": rate(lambda n: m.create_chat_completion(
        messages=messages, max_tokens=n, temperature=0,
        response_format={"type": "json_object", "schema": schema})),
}
print(json.dumps(out))
"""


class ProbingClient(LLMClient):
    """Before the first real call, sends the exact same request streamed with max_tokens=1:
    its latency is the time to first token, and it leaves the whole prompt in the server's
    cache, so the real call that follows measures generation alone."""

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


def main() -> int:
    ap = argparse.ArgumentParser(description="embedded model speed")
    ap.add_argument("--local-model", default=None)
    ap.add_argument("--modes", default="json,tools")
    args = ap.parse_args()
    rates: list[float] = []
    with EmbeddedServer(args.local_model) as srv:
        print(f"model {srv.alias}; server started in {srv.start_seconds:.1f} s; threads {srv.threads}")
        print(f"{'mode':<6}{'article':<26}{'sec':>7}{'prompt':>8}{'compl':>7}{'gen tok/s':>10}{'TTFT s':>8}{'ground':>8}")
        for mode in filter(None, args.modes.split(",")):  # --modes "" measures raw llama.cpp only
            ep = Endpoint(EndpointKind.EMBEDDED, srv.base_url, "none", srv.alias, Mode(mode), srv.context)
            grounding = []
            for path in SEEDS:
                article = load_article(str(path))
                client = ProbingClient(ep)
                rec = Summarizer(client)(article)
                first = client.ttft or 0.0
                client.close()
                p = rec.provenance
                rate = p.usage.completion_tokens / p.seconds
                rates.append(rate)
                grounding.append(rec.verification.grounding_rate)
                print(f"{mode:<6}{path.name:<26}{p.seconds:>7.1f}{p.usage.prompt_tokens:>8}"
                      f"{p.usage.completion_tokens:>7}{rate:>10.2f}{first:>8.2f}"
                      f"{rec.verification.grounding_rate:>8.2f}")
            print(f"{mode:<6}mean grounding {statistics.mean(grounding):.3f}")
        model_path, threads = srv.model_path, srv.threads
        assert srv.process is not None
        status = Path(f"/proc/{srv.process.pid}/status").read_text()
        peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: server {peak:,.0f} MB, this client process {own:,.0f} MB")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump([load_prompt().messages(load_article(str(SEEDS[0])).text),
                   ArticleSummary.model_json_schema()], f)
    raws = json.loads(subprocess.run([sys.executable, "-c", RAW, str(model_path), str(threads), f.name],
                                     capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])
    os.unlink(f.name)
    for label, value in raws.items():
        print(f"raw llama.cpp, {label}: {value:.2f} tok/s")
    raw = raws["short prompt"]
    if not rates:
        return 0
    tool = statistics.mean(rates)
    print(f"tool mean generation: {tool:.2f} tok/s (ratio to the short-prompt limit {tool / raw:.2f}, "
          f"target >= {TARGET_RATIO})")
    return 0 if tool / raw >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
