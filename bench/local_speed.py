"""Speed of the embedded model through the tool, next to raw llama.cpp on the same machine.

    python bench/local_speed.py                      # 1.5B, json and tools modes, seed articles
    python bench/local_speed.py --local-model small --modes json

For each mode and article it prints: seconds for the whole extraction, prompt and completion
tokens, generation tokens/s, time to first token (a 1-token streamed probe sent first, so the
second article shows what the server's prefix cache saves on the static prompt), and the
verifier's grounding rate. Then raw ``Llama.create_completion`` tokens/s as the ceiling.

Target: the tool's generation rate is at least 70 % of raw llama.cpp's (exit 1 otherwise).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from summarizer.articles import load_article
from summarizer.endpoint import Endpoint, EndpointKind, Mode
from summarizer.llm import LLMClient
from summarizer.local import EmbeddedServer
from summarizer.pipeline import Summarizer

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((Path(os.environ.get("SUMMARIZER_SHARED", ROOT.parent / "shared")) / "data/articles").glob("*.txt"))
TARGET_RATIO = 0.70

RAW = """
import sys, time, llama_cpp
m = llama_cpp.Llama(model_path=sys.argv[1], n_ctx=2048, n_threads=int(sys.argv[2]), verbose=False)
m.create_completion("Hello", max_tokens=4)  # warm-up
t = time.perf_counter()
r = m.create_completion("Write a short news report about a bridge reopening.", max_tokens=200,
                        temperature=0)
dt = time.perf_counter() - t
print(r["usage"]["completion_tokens"] / dt)
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
        for mode in args.modes.split(","):
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
    raw = float(subprocess.run([sys.executable, "-c", RAW, str(model_path), str(threads)],
                               capture_output=True, text=True, check=True).stdout.strip())
    tool = statistics.mean(rates)
    print(f"raw llama.cpp create_completion: {raw:.2f} tok/s; tool mean generation: {tool:.2f} tok/s "
          f"(ratio {tool / raw:.2f}, target >= {TARGET_RATIO})")
    return 0 if tool / raw >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
