"""Model access over any OpenAI-compatible endpoint.

Owns endpoint resolution (:mod:`.endpoint`), the client that fills a schema through instructor
with its retries and error mapping (:mod:`.client`), the cancellable HTTP transport
(:mod:`.transport`), the compact-JSON grammar for llama.cpp servers (:mod:`.grammar`), the
versioned prompt templates (:mod:`.prompts`) and the judge's one-token client
(:mod:`.judge_client`). Imports only :mod:`summarizer.core`; it never starts an engine.
"""
