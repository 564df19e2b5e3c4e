"""Everything read from or written to disk, one reader per format.

Owns JSON Lines (:mod:`.jsonl`), article loading (:mod:`.articles`) and batch input discovery
(:mod:`.inputs`), atomic whole-file writes (:mod:`.atomic`), the batch output folder and its
lock (:mod:`.batch_folder`), reading summary records back (:mod:`.record_reader`), loading a
user's schema (:mod:`.schema_loader`) and exporting JSON Schemas (:mod:`.schema_export`), the
judge's score cache (:mod:`.cache`) and kept answers (:mod:`.kept_answers`). Imports only
:mod:`summarizer.core`.
"""
