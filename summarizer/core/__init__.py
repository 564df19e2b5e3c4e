"""The pure core: what a summary is and how it is checked, with no I/O.

Owns the field kinds (:mod:`.kinds`), the default news schema (:mod:`.news`), schema
compilation into a verification plan (:mod:`.schema_plan`), evidence cited by sentence number
(:mod:`.citing`), the output record (:mod:`.records`), the error tree (:mod:`.errors`), key
redaction (:mod:`.redact`), the briefing across sources (:mod:`.briefing`) and the verifier
(:mod:`.verify`). It imports nothing else of the package, no network, file or terminal
library, and no third-party package beyond pydantic and rapidfuzz (the import contracts in
``pyproject.toml`` hold it to that).
"""
